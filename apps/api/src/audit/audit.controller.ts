import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@carepact/common';
import { AuditAccessService, StaffActor } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

function intParam(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new ValidationError([{ field: name, code: 'INVALID_NUMBER', message: `Doit être un entier entre ${min} et ${max}.` }]);
  return Number(raw);
}

@ApiTags('Audit')
@ApiCookieAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditAccessService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Vérifier la chaîne d’audit de l’organisation (auditeur, administrateur)' })
  verify(@Actor() actor: StaffActor) {
    return this.audit.verify(actor);
  }

  @Get('events')
  @ApiOperation({ summary: 'Lire le journal d’audit (cette lecture est elle-même journalisée)' })
  @ApiQuery({ name: 'afterSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'subjectId', required: false })
  events(@Actor() actor: StaffActor, @Query('afterSeq') afterSeq?: string, @Query('limit') limit?: string, @Query('subjectId') subjectId?: string) {
    return this.audit.events(actor, {
      afterSeq: intParam('afterSeq', afterSeq, 0, Number.MAX_SAFE_INTEGER),
      limit: intParam('limit', limit, 1, 500),
      subjectId: subjectId ? new ParseIdPipe().transform(subjectId) : undefined,
    });
  }
}
