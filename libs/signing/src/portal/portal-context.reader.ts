import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@carepact/database';
import type { DocumentSubtype } from '@carepact/common';
import { ARCHIVED_SINCE_SQL, DocumentType, DocumentsRepository } from '@carepact/documents';
import { IdentityRepository } from '@carepact/identity';
import { ResidentsRepository } from '@carepact/residents';
import { PortalSessionEntity, SignatureRequestEntity, SignerEntity, SignerStatus, SigningLinkEntity, ViewAccount } from '../requests/signing.entities';
import { blockingSigners, bySigningOrder } from '../requests/whose-turn';
import { judgeDecided, residenceDisagreement } from '../policy/residence-dispute';
import type { PortalContext } from './portal.types';

/**
 * The version stamp of a session's signing state: the row versions (PostgreSQL's `xmin`, which
 * every UPDATE, INSERT and DELETE of a row changes) of the session, its link, the request, each of
 * its signers, its recorded views and its sealed document. Two reads with the same stamp saw the
 * same signing state; any change to one of these rows — by this process, the worker or another api
 * instance — gives another stamp once committed. `$1` is the session's token hash.
 */
/**
 * The first day of the intermediate archive of the request's person (ARCHIVED_SINCE_SQL: her
 * departure, the organisation's active-base delay), a date as text or NULL; whether it has come is
 * checked against the clock at every read (PortalSessionService), as a link's expiry. Inside, `r`
 * and `o` (ARCHIVED_SINCE_SQL's aliases) are the resident and her organisation; `sg` is the outer signer.
 */
const ARCHIVE_FROM = `(SELECT ${ARCHIVED_SINCE_SQL}
     FROM signature_requests ar_q JOIN documents ar_d ON ar_d.id = ar_q.document_id
     JOIN residents r ON r.id = ar_d.resident_id JOIN organisations o ON o.id = r.organisation_id
    WHERE ar_q.id = sg.request_id)`;

const STAMP = `concat_ws(':', ps.xmin::text, sg.xmin::text, r.xmin::text, COALESCE(l.xmin::text, '-'), COALESCE(${ARCHIVE_FROM}, '-'),
         COALESCE((SELECT string_agg(o.xmin::text, ',' ORDER BY o.id) FROM signature_signers o WHERE o.request_id = r.id), '-'),
         COALESCE((SELECT string_agg(v.xmin::text, ',' ORDER BY v.id) FROM recorded_views v WHERE v.request_id = r.id), '-'),
         COALESCE((SELECT string_agg(d.xmin::text, ',' ORDER BY d.id) FROM sealed_documents d WHERE d.request_id = r.id), '-'))`;

const SESSION_FROM = `
  FROM portal_sessions ps
  JOIN signature_signers sg ON sg.id = ps.signer_id
  JOIN signature_requests r ON r.id = sg.request_id
  LEFT JOIN signing_links l ON l.id = ps.link_id
 WHERE ps.token_hash = $1`;

/**
 * The stamps alone, of several sessions at once (`$1`: their token hashes): one index lookup per
 * table and session, a short string per session.
 */
const STAMPS_SQL = `SELECT ps.token_hash AS hash, ${STAMP} AS stamp ${SESSION_FROM.replace('ps.token_hash = $1', 'ps.token_hash = ANY($1::text[])')}`;

/**
 * The signing side of the context in one round trip, reading only this lib's tables: session,
 * signer (without the drawn signature, up to a few hundred kB that no page shows), request, link,
 * the views already recorded and, in sequential mode only, the request's signers (whose turn); and
 * the stamp of that state, read in the same snapshot.
 */
const SESSION_SQL = `
SELECT ${STAMP} AS stamp,
       ${ARCHIVE_FROM} AS archive_from,
       to_jsonb(ps) AS session,
       to_jsonb(sg) - 'drawn_signature' AS signer,
       to_jsonb(r) AS request,
       to_jsonb(l) AS link,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('key', v.view_key, 'expression', v.expression, 'comment', v.comment, 'at', v.recorded_at, 'by', v.recorded_by_signer_id,
                                           'byName', (SELECT b.first_name || ' ' || b.last_name FROM signature_signers b WHERE b.id = v.recorded_by_signer_id), 'accounts', v.accounts))
                   FROM recorded_views v WHERE v.request_id = r.id), '[]'::jsonb) AS recorded_views,
       CASE WHEN r.mode = 'sequential' THEN (
         SELECT jsonb_agg(jsonb_build_object('key', o.key, 'role', o.role, 'orderNo', o.order_no, 'optional', o.optional, 'status', o.status,
                                             'firstName', o.first_name, 'lastName', o.last_name))
           FROM signature_signers o WHERE o.request_id = r.id)
       END AS signers ${SESSION_FROM}`;

interface PreparablePool {
  query<R>(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

interface SessionRow {
  stamp: string;
  archive_from: string | null;
  session: Record<string, unknown>;
  signer: Record<string, unknown>;
  request: Record<string, unknown>;
  link: Record<string, unknown> | null;
  recorded_views: { key: string; expression: string; comment: string | null; at: string; by: string | null; byName: string | null; accounts?: ViewAccount[] }[];
  signers: { key: string; role: string; orderNo: number; optional: boolean; status: SignerStatus; firstName: string; lastName: string }[] | null;
}

/** A context and the stamp of the signing state it was read from (same snapshot). */
export interface StampedContext {
  ctx: PortalContext;
  stamp: string;
}

/** A document's type and resident never change: the reader keeps them once read. */
type DocumentSubject = { type: DocumentType; subtype: DocumentSubtype | null; residentId: string };

/**
 * Reads the portal context behind a session token hash. Two round trips once a document is known
 * to this process: the signing query above, then the resident (names, reading preferences) and the
 * establishment (name, phone, address) in parallel, each through its owner's repository. Nothing that can change
 * is kept between calls; PortalSessionService reuses a context for page reads while its stamp holds.
 */
@Injectable()
export class PortalContextReader {
  private readonly columns = new Map<object, { property: string; column: string; date: boolean }[]>();
  /** By version id: a document's subtype follows its current version (DocumentsService), which a request's version is when sent. */
  private readonly subjects = new Map<string, DocumentSubject>();
  /** Whether a version cites the judge's decision on where the person lives, by version id (a version never changes). */
  private readonly judgeDecisions = new Map<string, boolean>();
  /** Stamps asked for since the last query, by token hash (see stamp). */
  private stampsAsked = new Map<string, { resolve: (stamp: string | null) => void; reject: (e: unknown) => void }[]>();
  /** A stamps query is running: the next one is sent when it returns. */
  private stampsReading = false;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly documents: DocumentsRepository,
    private readonly residents: ResidentsRepository,
    private readonly identity: IdentityRepository,
  ) {}

  /**
   * The stamp of the session's signing state (see STAMP), or null when no session has this token
   * hash. Stamps are read by one query for all the sessions asked for meanwhile, sent after the turn
   * of the event loop they were asked in — or, while such a query is running, as soon as it returns
   * (one at a time: under load each query answers many reads). Either way each stamp is read after it
   * was asked for: never a snapshot older than the read that asks.
   */
  stamp(tokenHash: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      if (!this.stampsAsked.size && !this.stampsReading) setImmediate(() => void this.readStamps());
      const waiting = this.stampsAsked.get(tokenHash);
      if (waiting) waiting.push({ resolve, reject });
      else this.stampsAsked.set(tokenHash, [{ resolve, reject }]);
    });
  }

  private async readStamps(): Promise<void> {
    const asked = this.stampsAsked;
    this.stampsAsked = new Map();
    this.stampsReading = true;
    try {
      const rows = await this.prepared<{ hash: string; stamp: string }>('portal_session_stamps_v2', STAMPS_SQL, [...asked.keys()]);
      const stamps = new Map(rows.map((r) => [r.hash, r.stamp]));
      for (const [hash, waiting] of asked) for (const w of waiting) w.resolve(stamps.get(hash) ?? null);
    } catch (e) {
      for (const waiting of asked.values()) for (const w of waiting) w.reject(e);
    } finally {
      this.stampsReading = false;
      if (this.stampsAsked.size) void this.readStamps();
    }
  }

  /** The context and its stamp, or null when no session has this token hash (the caller checks expiry). */
  async read(tokenHash: string): Promise<StampedContext | null> {
    const [row] = await this.prepared<SessionRow>('portal_session_context_v4', SESSION_SQL, tokenHash);
    if (!row) return null;
    const session = this.hydrate(PortalSessionEntity, row.session);
    const signer = this.hydrate(SignerEntity, row.signer);
    const request = this.hydrate(SignatureRequestEntity, row.request);
    const link = row.link ? this.hydrate(SigningLinkEntity, row.link) : null;
    const em = this.tx.manager;
    const subject = await this.subjectOf(request.documentId, request.versionId);
    const [resident, establishment] = await Promise.all([
      this.residents.findInOrganisation(em, request.organisationId, subject.residentId),
      this.identity.findEstablishment(em, request.organisationId, request.establishmentId),
    ]);
    if (!resident || resident.establishmentId !== request.establishmentId || !establishment) return null;
    const signers = (row.signers ?? []).sort(bySigningOrder);
    const ctx: PortalContext = {
      session,
      signer,
      request,
      document: { id: request.documentId, type: subject.type, subtype: subject.subtype },
      link,
      residentName: `${resident.firstName} ${resident.lastName}`,
      establishmentName: establishment.name,
      establishment: { name: establishment.name, phone: establishment.phone?.trim() || null, address: establishment.address },
      preferences: signer.role === 'resident' ? { largePrint: resident.prefersLargePrint, easyToRead: resident.prefersEasyToRead } : { largePrint: false, easyToRead: false },
      views: request.policy.views
        .filter((v) => v.recordedBy.includes(signer.key))
        .map((v) => {
          const done = row.recorded_views.find((x) => x.key === v.key);
          const accounts = (done?.accounts ?? []).map((x) => ({ comment: x.comment, at: x.at, byName: x.byName, byMe: x.signerId === signer.id }));
          return { ...v, recorded: Boolean(done), answer: done ? { expression: done.expression, comment: done.comment, at: done.at, byMe: done.by === signer.id, byName: done.byName, accounts } : null };
        }),
      residenceDispute: await this.residenceDispute(request, row.recorded_views, signer.id),
      waitingFor: blockingSigners(request.mode, signers, signer.orderNo).map((s) => `${s.firstName} ${s.lastName}`),
      purpose: link?.purpose ?? 'sign',
      archiveFrom: row.archive_from,
    };
    return { ctx, stamp: row.stamp };
  }

  /**
   * The policy's rule (residence-dispute.ts) on the views recorded in this snapshot; the version's
   * input is read only when her view is a disagreement, and kept: a version never changes (the
   * judge's decision comes in a new version, sent in a new request).
   */
  private async residenceDispute(request: SignatureRequestEntity, recorded: SessionRow['recorded_views'], signerId: string): Promise<PortalContext['residenceDispute']> {
    const view = residenceDisagreement(request.policy, recorded);
    if (!view) return null;
    let decided = this.judgeDecisions.get(request.versionId);
    if (decided === undefined) {
      const version = await this.documents.versionInput(this.tx.manager, request.versionId);
      decided = judgeDecided(version?.input);
      if (this.judgeDecisions.size > 10_000) this.judgeDecisions.clear();
      this.judgeDecisions.set(request.versionId, decided);
    }
    return decided ? null : { person: view.person, byMe: recorded.find((r) => r.key === view.key)?.by === signerId };
  }

  private async subjectOf(documentId: string, versionId: string): Promise<DocumentSubject> {
    const hit = this.subjects.get(versionId);
    if (hit) return hit;
    const doc = await this.documents.findById(this.tx.manager, documentId);
    if (!doc) throw new Error(`document ${documentId} of a signature request not found`);
    if (this.subjects.size > 10_000) this.subjects.clear();
    const subject = { type: doc.type, subtype: doc.subtype ?? null, residentId: doc.residentId };
    this.subjects.set(versionId, subject);
    return subject;
  }

  /**
   * A named (prepared) statement on the pool TypeORM uses: PostgreSQL plans the query once per
   * connection instead of at every page view. Falls back to TypeORM's `query` if the driver is not
   * node-postgres.
   */
  private async prepared<R>(name: string, text: string, param: string | string[]): Promise<R[]> {
    const pool = (this.tx.manager.connection.driver as unknown as { master?: PreparablePool }).master;
    if (pool?.query) return (await pool.query<R>({ name, text, values: [param] })).rows;
    return (await this.tx.manager.query(text, [param])) as R[];
  }

  /** A row of `to_jsonb(table)` as the entity TypeORM would have loaded (timestamps as Dates). */
  private hydrate<T extends object>(entity: new () => T, json: Record<string, unknown>): T {
    let columns = this.columns.get(entity);
    if (!columns) {
      columns = this.tx.manager.connection.getMetadata(entity).columns.map((c) => ({ property: c.propertyName, column: c.databaseName, date: c.type === 'timestamptz' || c.type === 'timestamp' }));
      this.columns.set(entity, columns);
    }
    const out = new entity() as Record<string, unknown>;
    for (const c of columns) {
      const v = json[c.column];
      out[c.property] = v === undefined || v === null ? null : c.date ? new Date(v as string) : v;
    }
    return out as T;
  }
}
