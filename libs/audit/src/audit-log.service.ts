import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEventEntity, AuditEventRow, auditEventFromRow } from './audit.entities';
import { withoutStaffFreeText } from './staff-free-text';
import { AuditActor, AuditPayload, AuditService } from './audit.service';

/** Filters of the audit log API (auditors and administrators), all optional and combined with AND. */
export interface AuditLogFilter {
  /** Staff user id, or a system actor's label. */
  actorId?: string;
  /** An exact action, or a family with a trailing `.*` ("signature.*"). */
  action?: string;
  /**
   * Events about the resident: hers (subject the resident), her contacts' and measures', her
   * documents' and everything the document filter finds for each, and the items of bulk runs that
   * named her (events of the run whose payload names her). Read from the live tables, in the
   * caller's organisation: the chain itself is never rewritten.
   */
  residentId?: string;
  /**
   * Events about the document: the document's own, its versions' (document_version) and its
   * signature requests' (signature_request: every `signature.*` step), as its history page shows.
   */
  documentId?: string;
  subjectId?: string;
  /** occurred_at ≥ from. */
  from?: Date;
  /** occurred_at < to. */
  to?: Date;
}

export interface AuditLogPage {
  /** Keyset pagination: events with seq > afterSeq, in chain order. */
  afterSeq?: number;
  limit?: number;
}

const CSV_COLUMNS = ['seq', 'occurredAt', 'actorType', 'actorId', 'actorName', 'action', 'subjectType', 'subjectId', 'payload', 'hash'] as const;

/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab / carriage return that some strip
 * before them) as a formula: "=HYPERLINK(…)" in a staff name or a payload would run when the
 * auditor opens the file (OWASP, "CSV injection"). A leading apostrophe makes it text.
 */
export function csvCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/** UTF-8 byte order mark: spreadsheets (Excel) otherwise read the file as Windows-1252. */
export const CSV_BOM = '\uFEFF';

/**
 * Reading, filtering and exporting one organisation's audit log. Who may call it is checked by the
 * caller (identity's `audit.read` permission); every read and export is itself appended to the chain.
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly audit: AuditService) {}

  async search(em: EntityManager, chainId: string, filter: AuditLogFilter, page: AuditLogPage = {}): Promise<AuditEventEntity[]> {
    const limit = Math.min(page.limit ?? 100, 500);
    const { where, params } = whereOf(chainId, filter);
    params.push(page.afterSeq ?? 0);
    const rows = (await em.query(
      `SELECT * FROM audit_events WHERE ${where} AND seq > $${params.length} ORDER BY seq ASC LIMIT ${limit}`,
      params,
    )) as AuditEventRow[];
    // What it shows: staff's free text of older events withheld (staff-free-text.ts); the stored row is unchanged.
    return rows.map(auditEventFromRow).map((e) => Object.assign(e, { payload: withoutStaffFreeText(e.action, e.payload) }));
  }

  /** Each read of the log is itself an event (`audit.read`), in the reader's transaction. */
  async recordRead(em: EntityManager, chainId: string, actor: AuditActor, payload: AuditPayload): Promise<void> {
    await this.audit.append(em, { chainId, actor, action: 'audit.read', payload });
  }

  async count(em: EntityManager, chainId: string, filter: AuditLogFilter, throughSeq: number): Promise<number> {
    const { where, params } = whereOf(chainId, filter);
    params.push(throughSeq);
    const [{ n }] = (await em.query(`SELECT count(*)::int AS n FROM audit_events WHERE ${where} AND seq <= $${params.length}`, params)) as { n: number }[];
    return n;
  }

  /**
   * Records the export (`audit.exported`, with the filters, the number of events and the last seq
   * included) and returns the CSV as chunks. The export covers the chain up to its head at this
   * moment (`throughSeq`): the audit event states exactly what the file holds, and events appended
   * meanwhile (the export's own included) are not in it.
   */
  async exportCsv(
    em: EntityManager,
    chainId: string,
    actor: AuditActor,
    filter: AuditLogFilter,
    actorNames: Map<string, string> = new Map(),
  ): Promise<{ rows: number; throughSeq: number; csv: (read: EntityManager) => AsyncGenerator<string> }> {
    const [head] = (await em.query(`SELECT seq FROM audit_chain_heads WHERE chain_id = $1`, [chainId])) as { seq: string }[];
    const throughSeq = head ? Number(head.seq) : 0;
    const rows = await this.count(em, chainId, filter, throughSeq);
    await this.audit.append(em, {
      chainId,
      actor,
      action: 'audit.exported',
      payload: {
        format: 'csv',
        rows,
        throughSeq,
        actorId: filter.actorId ?? null,
        action: filter.action ?? null,
        residentId: filter.residentId ?? null,
        documentId: filter.documentId ?? null,
        subjectId: filter.subjectId ?? null,
        from: filter.from?.toISOString() ?? null,
        to: filter.to?.toISOString() ?? null,
      },
    });
    const search = this.search.bind(this);
    async function* csv(read: EntityManager): AsyncGenerator<string> {
      yield CSV_BOM + CSV_COLUMNS.join(',') + '\r\n';
      let after = 0;
      for (;;) {
        const batch = (await search(read, chainId, filter, { afterSeq: after, limit: 500 })).filter((e) => e.seq <= throughSeq);
        if (batch.length === 0) return;
        yield batch.map((e) => csvLine(e, actorNames)).join('');
        after = batch[batch.length - 1].seq;
        if (after >= throughSeq) return;
      }
    }
    return { rows, throughSeq, csv };
  }
}

/** What the API returns for one event. */
export interface AuditLogEventView {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export function auditLogEventView(e: AuditEventEntity): AuditLogEventView {
  return {
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

function csvLine(e: AuditEventEntity, names: Map<string, string>): string {
  const cells = [
    String(e.seq),
    e.occurredAt.toISOString(),
    e.actorType,
    e.actorId ?? '',
    (e.actorId && names.get(e.actorId)) ?? '',
    e.action,
    e.subjectType ?? '',
    e.subjectId ?? '',
    JSON.stringify(withoutStaffFreeText(e.action, e.payload)),
    e.hash,
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * The resident and document filters go through the subjects' ids: signature events have the
 * request as subject and name neither the document nor the resident, versions name the document
 * only in some payloads. Each filter is one `subject_id = ANY(ARRAY(subquery))`: the subquery (an
 * init plan, run once) gathers the ids from the live tables of the organisation ($1, which is also
 * the chain), and the events are fetched through ix_audit_events_chain_subject (chain_id,
 * subject_id) then sorted by seq — never a walk of the whole chain filtering on the payload, which
 * no index serves. Documents, versions and requests of another organisation never match ($1).
 */

/** The document itself, its versions and its signature requests. */
function documentSubjects(param: string): string {
  const doc = `${param}::uuid`;
  return `SELECT ${doc}::text
    UNION ALL SELECT v.id::text FROM document_versions v WHERE v.organisation_id = $1 AND v.document_id = ${doc}
    UNION ALL SELECT r.id::text FROM signature_requests r WHERE r.organisation_id = $1 AND r.document_id = ${doc}`;
}

/**
 * The resident, her contacts and protection measures (their events also carry her id in the
 * payload), her documents with their versions and signature requests, and the bulk runs that had
 * her among their items — of a run, only the events whose payload names her (item skipped or
 * failed), not the run's own (started, finished), which are about every resident of the run.
 */
function residentClause(param: string): string {
  // One type for the parameter (uuid) everywhere: PostgreSQL refuses one deduced as text here and uuid there.
  const resident = `${param}::uuid`;
  const docs = `SELECT d.id FROM documents d WHERE d.organisation_id = $1 AND d.resident_id = ${resident}`;
  const ids = `SELECT ${resident}::text
    UNION ALL SELECT c.id::text FROM contacts c WHERE c.organisation_id = $1 AND c.resident_id = ${resident}
    UNION ALL SELECT m.id::text FROM protection_measures m WHERE m.organisation_id = $1 AND m.resident_id = ${resident}
    UNION ALL SELECT d.id::text FROM (${docs}) d
    UNION ALL SELECT v.id::text FROM document_versions v WHERE v.organisation_id = $1 AND v.document_id IN (${docs})
    UNION ALL SELECT r.id::text FROM signature_requests r WHERE r.organisation_id = $1 AND r.document_id IN (${docs})
    UNION ALL SELECT b.id::text FROM bulk_runs b WHERE b.organisation_id = $1
      AND EXISTS (SELECT 1 FROM bulk_run_items i WHERE i.run_id = b.id AND i.resident_id = ${resident})`;
  return `(subject_id = ANY(ARRAY(${ids})) AND (subject_type IS DISTINCT FROM 'bulk_run' OR payload->>'residentId' = ${resident}::text))`;
}

function whereOf(chainId: string, f: AuditLogFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [chainId];
  const clauses = ['chain_id = $1'];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.actorId) clauses.push(`actor_id = ${p(f.actorId)}`);
  if (f.action) {
    if (f.action.endsWith('.*')) clauses.push(`starts_with(action, ${p(f.action.slice(0, -1))})`);
    else clauses.push(`action = ${p(f.action)}`);
  }
  if (f.residentId) {
    const x = p(f.residentId);
    clauses.push(UUID.test(f.residentId) ? residentClause(x) : `subject_id = ${x}`);
  }
  if (f.documentId) {
    const x = p(f.documentId);
    clauses.push(UUID.test(f.documentId) ? `subject_id = ANY(ARRAY(${documentSubjects(x)}))` : `subject_id = ${x}`);
  }
  if (f.subjectId) clauses.push(`subject_id = ${p(f.subjectId)}`);
  if (f.from) clauses.push(`occurred_at >= ${p(f.from)}`);
  if (f.to) clauses.push(`occurred_at < ${p(f.to)}`);
  return { where: clauses.join(' AND '), params };
}
