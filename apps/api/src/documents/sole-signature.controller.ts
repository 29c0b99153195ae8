import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { StaffActor } from '@carepact/identity';
import { SoleSignatureService } from '@carepact/signing';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

/**
 * The judge's ordonnance (C. civ. 469 al. 3). Required-ness, the date (real, not in the future) and
 * the text rules are checked by the service, with a French message per field (the console's form
 * shows them beside its fields); the DTO only keeps the shape.
 */
export class SoleSignatureDto {
  @ApiProperty({ description: 'Juridiction qui a rendu l’ordonnance.', example: 'Juge des contentieux de la protection, tribunal judiciaire de Valville' })
  @IsOptional() @IsString() @MaxLength(2000)
  court?: string;
  @ApiProperty({ description: 'Date de l’ordonnance (AAAA-MM-JJ), pas dans le futur.', example: '2026-11-30' })
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
 * After the curateur refused to assist the person (C. civ. 469 al. 3): the judge's authorisation for
 * her to sign the document alone, recorded on the document; a new signature request then goes to her
 * alone (and the establishment's countersignature).
 */
@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api/documents/:id/sole-signature-authorisation')
export class SoleSignatureController {
  constructor(private readonly sole: SoleSignatureService) {}

  @Get()
  @ApiOperation({ summary: 'Autorisation du juge de signer seule (C. civ. 469) : enregistrée ou non, refus d’assistance auquel elle répond, prochaine étape' })
  view(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.sole.view(actor, id);
  }

  @Post()
  @ApiOperation({
    summary:
      'Enregistrer l’ordonnance du juge autorisant la personne à signer seule le document après le refus d’assistance du curateur (C. civ. 469 al. 3) ; 409 ASSISTANCE_NOT_REFUSED sans refus d’assistance, SOLE_SIGNATURE_NOT_APPLICABLE hors mesure d’assistance',
  })
  record(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: SoleSignatureDto) {
    return this.sole.record(actor, id, dto);
  }
}
