import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { StaffActor } from '@carepact/identity';
import { DocumentVisaService, VISA_APPROVER_ROLES } from '@carepact/signing';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { SafeText } from '../http/validators';

export class VisaDecisionDto {
  @ApiProperty({ enum: ['approved', 'rejected'] }) @IsDefined() @IsIn(['approved', 'rejected'])
  decision: 'approved' | 'rejected';
  @ApiPropertyOptional({ description: 'Obligatoire pour un refus : ce qui est à corriger.' }) @IsOptional() @IsString() @MaxLength(2000) @SafeText('text')
  reason?: string;
}

export class VisaRuleDto {
  @ApiProperty({ enum: [...VISA_APPROVER_ROLES], nullable: true, description: 'null : aucun visa pour ce type.' })
  @ValidateIf((_o, v) => v !== null)
  @IsIn([...VISA_APPROVER_ROLES])
  approverRole: 'coordinator' | 'director' | null;
}

/** The internal visa (issue 10, item 3): the rule per establishment and type, and the decision on a document's version. */
@ApiTags('Documents')
@ApiCookieAuth()
@Controller('api')
export class DocumentVisaController {
  constructor(private readonly visa: DocumentVisaService) {}

  @Get('documents/:id/visa')
  @ApiOperation({ summary: 'Visa interne de la version courante : demandé, accordé, refusé (ou aucun visa)' })
  view(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.visa.view(actor, id);
  }

  @Post('documents/:id/visa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accorder ou refuser (avec la raison) le visa interne de la version courante, avant l’envoi en signature' })
  decide(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: VisaDecisionDto) {
    return this.visa.decide(actor, id, dto);
  }

  @Get('establishments/:id/visa-rules')
  @ApiOperation({ summary: 'Pour chaque type de document, qui donne le visa interne (coordinateur, direction, aucun)' })
  rules(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.visa.rules(actor, id);
  }

  @Put('establishments/:id/visa-rules/:type')
  @ApiOperation({ summary: 'Régler le visa interne d’un type de document (direction, administrateur)' })
  setRule(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Param('type') type: string, @Body() dto: VisaRuleDto) {
    return this.visa.setRule(actor, id, type, dto.approverRole ?? null);
  }
}
