import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditLogFilter, AuditLogService } from '@carepact/audit';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, ValidationError, endOfDayIn } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { AuditAccessService, IdentityRepository, assertCanSomewhere, auditActor } from '@carepact/identity';
import type { Request, Response } from 'express';
import { FilterQuery, filterOf } from '../../audit/audit.controller';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { PageFlash, setFlash, takeFlash } from '../documents/console-flash';
import { JournalForm, PAGE_SIZE, journalPage } from './audit-journal.views';

/** The flash of « Vérifier la chaîne » is bound to this page (console-flash binds each flash to a page key). */
const FLASH_KEY = 'journal';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * « Journal d’audit » (issue 11, item 2) for auditors and administrators (permission `audit.read`):
 * the organisation's audit log filtered (actor, action, resident, document, dates), by keyset pages
 * (`seq` after the last one shown, never OFFSET), « Vérifier la chaîne » naming the first broken event,
 * and the CSV export of the same filters (GET /api/audit/events.csv: streamed, audited). The same
 * services as the API (AuditLogService, AuditAccessService); each read is audited as the API's is.
 * Events carry ids, hashes and counts, never care details (issue 7 item 14; CASF L.311-3 4°).
 */
@ApiExcludeController()
@Controller('console/journal')
export class AuditJournalController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: AuditLogService,
    private readonly access: AuditAccessService,
    private readonly tx: TransactionRunner,
    private readonly identity: IdentityRepository,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'audit.read');
    const q = req.query as Record<string, unknown>;
    const form: JournalForm = {
      actor: str(q.actor),
      action: str(q.action),
      residentId: str(q.residentId),
      documentId: str(q.documentId),
      from: str(q.from),
      to: str(q.to),
    };
    const afterSeq = str(q.afterSeq);
    const users = await this.identity.usersOfOrganisation(this.tx.manager, actor.organisationId);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const flash = takeFlash<PageFlash>(req, res, this.config.secrets.session, actor, FLASH_KEY);
    const csrf = consoleCsrfToken(this.config.secrets.session, actor);
    const base = { actor, csrf, form, staff: users.map((u) => ({ id: u.id, name: u.name })), names, flash: flash?.kind === 'audit-verified' ? flash : null };
    let query: FilterQuery;
    let after: number;
    let filter: AuditLogFilter;
    try {
      ({ query, after } = toApiQuery(form, afterSeq));
      filter = filterOf(query);
    } catch (e) {
      if (e instanceof ValidationError) return sendHtml(res, 400, journalPage({ ...base, errors: e.details, events: [], afterSeq: 0, hasMore: false, apiQuery: null }));
      throw e;
    }
    // One more than shown tells whether a next page exists; the read is audited like the API's (audit.read).
    const rows = await this.tx.run(async (em) => {
      const found = await this.log.search(em, actor.organisationId, filter, { afterSeq: after, limit: PAGE_SIZE + 1 });
      await this.log.recordRead(em, actor.organisationId, auditActor(actor), {
        afterSeq: after,
        count: Math.min(found.length, PAGE_SIZE),
        subjectId: null,
        via: 'console',
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.residentId ? { residentId: filter.residentId } : {}),
        ...(filter.documentId ? { documentId: filter.documentId } : {}),
        ...(filter.from ? { from: filter.from.toISOString() } : {}),
        ...(filter.to ? { to: filter.to.toISOString() } : {}),
      });
      return found;
    });
    sendHtml(res, 200, journalPage({ ...base, errors: [], events: rows.slice(0, PAGE_SIZE), afterSeq: after, hasMore: rows.length > PAGE_SIZE, apiQuery: query }));
  }

  /** « Vérifier la chaîne »: AuditAccessService.verify (audited `audit.verified`), then back to the log with the report. */
  @Post('verifier')
  async verify(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    checkConsoleCsrf(this.config.secrets.session, actor, formBody(req)._csrf);
    assertCanSomewhere(actor, 'audit.read');
    const report = await this.access.verify(actor);
    setFlash(res, this.config.secrets.session, this.config.http.publicUrl.startsWith('https://'), actor, FLASH_KEY, {
      kind: 'audit-verified',
      ok: report.ok,
      events: report.events,
      broken: report.firstBroken ? { seq: report.firstBroken.seq, eventId: report.firstBroken.eventId, reason: report.firstBroken.reason, message: report.firstBroken.message } : null,
    });
    redirectTo(res, '/console/journal#verification');
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * The form's values as the API's query: the days the person typed are days in Paris (the
 * establishment's zone, like every date the console shows), sent as instants — from the first
 * second of « du » to the end of « au », included.
 */
export function toApiQuery(form: JournalForm, afterSeq: string): { query: FilterQuery; after: number } {
  const errors: FieldError[] = [];
  const day = (field: 'from' | 'to', v: string): string | undefined => {
    if (!v) return undefined;
    if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
      errors.push({ field, code: 'INVALID_DATE', message: field === 'from' ? 'Indiquez la date de début (JJ/MM/AAAA).' : 'Indiquez la date de fin (JJ/MM/AAAA).' });
      return undefined;
    }
    const previous = new Date(`${v}T00:00:00Z`);
    if (field === 'from') previous.setUTCDate(previous.getUTCDate() - 1);
    // endOfDayIn gives 23:59:59 in Paris; one second later is the next day's first instant.
    return new Date(endOfDayIn(previous.toISOString().slice(0, 10)).getTime() + 1000).toISOString();
  };
  const from = day('from', form.from);
  const to = day('to', form.to);
  if (from && to && from >= to) errors.push({ field: 'to', code: 'INVALID_PERIOD', message: 'La date de fin doit être le même jour que la date de début ou après.' });
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (form.residentId && !uuid.test(form.residentId))
    errors.push({ field: 'residentId', code: 'INVALID_ID', message: 'L’identifiant du résident a la forme 0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f.' });
  if (form.documentId && !uuid.test(form.documentId))
    errors.push({ field: 'documentId', code: 'INVALID_ID', message: 'L’identifiant du document a la forme 0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f.' });
  if (form.action && !/^[a-z_]+(\.[a-z_]+|\.\*)?$/.test(form.action))
    errors.push({ field: 'action', code: 'INVALID_ACTION', message: 'Indiquez une action, par exemple « signature.signed », ou une famille, par exemple « signature.* ».' });
  if (afterSeq && !/^\d{1,15}$/.test(afterSeq)) errors.push({ field: 'afterSeq', code: 'INVALID_NUMBER', message: 'Page inconnue : revenez au début du journal.' });
  if (errors.length) throw new ValidationError(errors);
  const query: FilterQuery = {
    ...(form.actor ? { actor: form.actor } : {}),
    ...(form.action ? { action: form.action } : {}),
    ...(form.residentId ? { residentId: form.residentId } : {}),
    ...(form.documentId ? { documentId: form.documentId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  return { query, after: afterSeq ? Number(afterSeq) : 0 };
}
