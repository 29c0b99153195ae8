import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { AuditLogFilter, AuditLogService, auditLogEventView } from '@carepact/audit';
import { ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { AuditAccessService, IdentityRepository, StaffActor, assertCanSomewhere, auditActor } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { idParam, intParam, textParam } from '../http/query-params';

/**
 * `2026-03-01` (a whole day: `to` includes it) or a full ISO date-time. Days are UTC days, like
 * the stored times: the console converts local dates before asking.
 */
function dateParam(name: string, raw: string | undefined, end: boolean): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const d = new Date(day ? `${raw}T00:00:00.000Z` : raw);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(raw) || Number.isNaN(d.getTime()))
    throw new ValidationError([{ field: name, code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ ou ISO 8601.' }]);
  if (day && end) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** The audit log's filters as the API's query string (and the console's filter form) names them. */
export interface FilterQuery {
  actor?: string;
  action?: string;
  residentId?: string;
  documentId?: string;
  subjectId?: string;
  from?: string;
  to?: string;
}

/** Parses and checks the filters (French messages, stable codes); shared with the console's « Journal d’audit ». */
export function filterOf(q: FilterQuery): AuditLogFilter {
  return {
    actorId: textParam('actor', q.actor),
    action: textParam('action', q.action),
    residentId: idParam('residentId', q.residentId),
    documentId: idParam('documentId', q.documentId),
    subjectId: q.subjectId ? new ParseIdPipe().transform(q.subjectId) : undefined,
    from: dateParam('from', q.from, false),
    to: dateParam('to', q.to, true),
  };
}

@ApiTags('Audit')
@ApiCookieAuth()
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditAccessService,
    private readonly log: AuditLogService,
    private readonly tx: TransactionRunner,
    private readonly identity: IdentityRepository,
  ) {}

  @Get('verify')
  @ApiOperation({ summary: 'Vérifier la chaîne d’audit de l’organisation (auditeur, administrateur)' })
  verify(@Actor() actor: StaffActor) {
    return this.audit.verify(actor);
  }

  @Get('events')
  @ApiOperation({
    summary:
      'Lire le journal d’audit, filtré (acteur, action — « signature.* » pour une famille —, résident, document, dates) ; pagination par curseur : afterSeq = seq du dernier événement reçu. Cette lecture est elle-même journalisée.',
  })
  @ApiQuery({ name: 'afterSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'residentId', required: false })
  @ApiQuery({ name: 'documentId', required: false })
  @ApiQuery({ name: 'subjectId', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  async events(@Actor() actor: StaffActor, @Query() q: FilterQuery & { afterSeq?: string; limit?: string }) {
    assertCanSomewhere(actor, 'audit.read');
    const filter = filterOf(q);
    const page = { afterSeq: intParam('afterSeq', q.afterSeq, 0, Number.MAX_SAFE_INTEGER), limit: intParam('limit', q.limit, 1, 500) };
    return this.tx.run(async (em) => {
      const rows = await this.log.search(em, actor.organisationId, filter, page);
      await this.auditRead(em, actor, filter, page.afterSeq ?? 0, rows.length);
      return rows.map(auditLogEventView);
    });
  }

  @Get('events.csv')
  @ApiOperation({
    summary:
      'Exporter le journal filtré en CSV (UTF-8 avec BOM pour les tableurs ; une cellule commençant par = + - @ est préfixée d’une apostrophe). L’export est journalisé (audit.exported).',
  })
  async csv(@Actor() actor: StaffActor, @Query() q: FilterQuery, @Res({ passthrough: true }) res: Response) {
    assertCanSomewhere(actor, 'audit.read');
    const filter = filterOf(q);
    const users = await this.identity.usersOfOrganisation(this.tx.manager, actor.organisationId);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const exported = await this.tx.run((em) => this.log.exportCsv(em, actor.organisationId, auditActor(actor), filter, names));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="journal-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(exported.csv(this.tx.manager)));
  }

  private auditRead(em: EntityManager, actor: StaffActor, filter: AuditLogFilter, afterSeq: number, count: number) {
    return this.log.recordRead(em, actor.organisationId, auditActor(actor), {
      afterSeq,
      count,
      subjectId: filter.subjectId ?? null,
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.residentId ? { residentId: filter.residentId } : {}),
      ...(filter.documentId ? { documentId: filter.documentId } : {}),
      ...(filter.from ? { from: filter.from.toISOString() } : {}),
      ...(filter.to ? { to: filter.to.toISOString() } : {}),
    });
  }
}
