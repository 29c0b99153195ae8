import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { StaffActor } from '@carepact/identity';
import { SoleSignatureService } from '@carepact/signing';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

/**
 * The judge's ordonnance (C. civ. 469 al. 3; 494-1 al. 1 and 494-10 for an habilitation familiale).
 * Required-ness, the date (real, not in the future, not before the refusal it answers) and the text
 * rules are checked by the service, with a French message per field (the console's form
 * shows them beside its fields); the DTO only keeps the shape.
 */
export class SoleSignatureDto {
  @ApiProperty({ description: 'Juridiction qui a rendu l’ordonnance.', example: 'Juge des contentieux de la protection, tribunal judiciaire de Valville' })
  @IsOptional() @IsString() @MaxLength(2000)
  court?: string;
  @ApiProperty({ description: 'Date de l’ordonnance (AAAA-MM-JJ), pas dans le futur ni avant le jour (heure de Paris) du refus d’assistance auquel elle répond (400 DECISION_BEFORE_REFUSAL).', example: '2026-11-30' })
  @IsOptional() @IsString() @MaxLength(40)
  decisionDate?: string;
  @ApiProperty({ description: 'Référence de l’ordonnance (n° RG, minute).', example: 'RG 26/00123' })
  @IsOptional() @IsString() @MaxLength(2000)
  reference?: string;
  @ApiPropertyOptional({ description: 'Remarque (facultatif).' })
  @IsOptional() @IsString() @MaxLength(4000)
  note?: string;
}

/**
 * After the curateur refused to assist the person (C. civ. 469 al. 3; for a personne habilitée, C. civ.
 * 494-1 al. 1 and 494-10): the judge's authorisation for her to sign the document alone, recorded on
 * the document for the version whose assistance was refused; a new signature request of that version
 * then goes to her alone (and the establishment's countersignature). Another version, or another
 * measure since, and the assistant is asked again (`setAside` says why).
 */
@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api/documents/:id/sole-signature-authorisation')
export class SoleSignatureController {
  constructor(private readonly sole: SoleSignatureService) {}

  @Get()
  @ApiOperation({
    summary:
      'Autorisation du juge de signer seule (C. civ. 469 ; 494-1 et 494-10 sous habilitation familiale) : enregistrée ou non, version et refus d’assistance auxquels elle répond, si elle est retenue (setAside sinon), prochaine étape',
  })
  view(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.sole.view(actor, id);
  }

  @Post()
  @ApiOperation({
    summary:
      'Enregistrer l’ordonnance du juge autorisant la personne à signer seule la version du document dont le curateur a refusé l’assistance (C. civ. 469 al. 3 ; 494-1 et 494-10 sous habilitation familiale) ; 409 ASSISTANCE_NOT_REFUSED sans refus d’assistance, SOLE_SIGNATURE_NOT_APPLICABLE hors mesure d’assistance, SOLE_SIGNATURE_OTHER_VERSION si le document a changé de version depuis le refus, SOLE_SIGNATURE_MEASURE_CHANGED si la mesure a changé ; 400 DECISION_BEFORE_REFUSAL',
  })
  record(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: SoleSignatureDto) {
    return this.sole.record(actor, id, dto);
  }
}
