import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { StaffActor } from '@carepact/identity';
import { OTHER_PARENT_INFORMED_HOW, OtherParentService } from '@carepact/signing';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

/**
 * « Autre parent informé » (C. civ. 373-2-1 al. 5). Required-ness, the date (real, not in the future,
 * not before the document's creation), the choice of how and the text rules are checked by the
 * service, with a French message per field (the console's form shows them beside its fields); the
 * DTO only keeps the shape.
 */
export class OtherParentInformedDto {
  @ApiProperty({ description: 'Date à laquelle l’autre parent a été informé (AAAA-MM-JJ) : pas dans le futur, pas avant la création du document (400 INFORMED_BEFORE_DOCUMENT).', example: '2026-12-03' })
  @IsOptional() @IsString() @MaxLength(40)
  informedOn?: string;
  @ApiProperty({ description: 'Comment : courrier, e-mail, remis en main propre, entretien, autre.', enum: OTHER_PARENT_INFORMED_HOW, example: 'courrier' })
  @IsOptional() @IsString() @MaxLength(40)
  how?: string;
  @ApiPropertyOptional({ description: 'Remarque (facultatif, 500 caractères au plus).' })
  @IsOptional() @IsString() @MaxLength(4000)
  note?: string;
}

/**
 * C. civ. 373-2-1 al. 5: when one parent alone exercises parental authority (by the judge's decision,
 * or by filiation established towards the other parent too), the other keeps the right to be
 * informed of the important choices about the child's life. The signature policy reminds staff
 * (`reminder`); they record here that he was informed of the document: several records allowed,
 * each audited (`document.other_parent_informed`).
 */
@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api/documents/:id/other-parent-informed')
export class OtherParentController {
  constructor(private readonly otherParent: OtherParentService) {}

  @Get()
  @ApiOperation({ summary: 'Information de l’autre parent (C. civ. 373-2-1 al. 5) : si la loi la demande pour ce document (reminder), et les informations enregistrées' })
  view(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.otherParent.view(actor, id);
  }

  @Post()
  @ApiOperation({
    summary:
      'Enregistrer que l’autre parent a été informé du document (C. civ. 373-2-1 al. 5) : date, moyen, remarque ; 409 OTHER_PARENT_NOT_TO_INFORM quand la loi ne le demande pas ; 400 DATE_IN_FUTURE, INFORMED_BEFORE_DOCUMENT, NOT_ALLOWED_VALUE, CONTROL_CHARACTER, BIDI_CONTROL, TOO_LONG',
  })
  record(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: OtherParentInformedDto) {
    return this.otherParent.record(actor, id, dto);
  }
}
