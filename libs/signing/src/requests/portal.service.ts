import { Injectable } from '@nestjs/common';
import { AuditActor } from '@carepact/audit';
import { ConflictError, DomainError, ValidationError, randomToken, safeEqualHex, sha256Hex } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { BlobStore, DocumentEntity } from '@carepact/documents';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import type { PolicyDecision, ViewToRecord } from '../policy/policy.types';
import { EventContext, EvidenceLog } from './evidence-log';
import { SignatureRequestsService } from './signature-requests.service';
import { EXPRESSIONS, Expression, PortalSessionEntity, SignatureRequestEntity, SignerEntity, SignerQuestionEntity, SigningLinkEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';

/** Sessions: 30 minutes idle, 2 hours at most (SECURITY-RELIABILITY.md, "Signing links"). */
export const PORTAL_IDLE_MS = 30 * 60_000;
export const PORTAL_ABSOLUTE_MS = 2 * 3600_000;
export const ACCESS_CODE_MAX_TRIES = 5;
/** How long a page read may reuse the session context this process just loaded. */
export const RECENT_CONTEXT_MS = 1000;

/** Unknown, expired, used and revoked links: one error, one page, one status (no oracle). */
export class LinkNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'LINK_NOT_FOUND', 'Ce lien n’est pas ou plus valable.');
  }
}

export class PortalSessionExpiredError extends DomainError {
  constructor() {
    super('unauthenticated', 'PORTAL_SESSION_EXPIRED', 'Votre session a expiré. Rouvrez le lien reçu par e-mail, ou demandez un nouveau lien à l’établissement.');
  }
}

export interface PortalContext {
  session: PortalSessionEntity;
  signer: SignerEntity;
  request: SignatureRequestEntity;
  document: Pick<DocumentEntity, 'id' | 'type'>;
  link: SigningLinkEntity | null;
  residentName: string;
  establishmentName: string;
  /**
   * Reading preferences chosen by default: the resident's own (from their file) when the resident
   * is the one signing; a representative or parent reads the complete version unless they switch.
   */
  preferences: { largePrint: boolean; easyToRead: boolean };
  /** Views this signer is asked to record, and whether each is done. */
  views: (ViewToRecord & { recorded: boolean })[];
  /** Sequential mode: others must sign first. */
  waitingFor: string[];
  purpose: 'sign' | 'download';
}

function normaliseName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’'`-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The portal context in one round trip. The signer's drawn signature (up to a few hundred kB) is
 * left out: no page shows it. In sequential mode, who must sign first (same order as signersOf).
 */
const CONTEXT_SQL = `
SELECT to_jsonb(ps) AS session,
       to_jsonb(sg) - 'drawn_signature' AS signer,
       to_jsonb(r) AS request,
       to_jsonb(l) AS link,
       d.id AS document_id, d.type AS document_type,
       res.first_name, res.last_name, res.prefers_large_print, res.prefers_easy_to_read,
       e.name AS establishment_name,
       ARRAY(SELECT v.view_key FROM recorded_views v WHERE v.request_id = r.id) AS recorded_views,
       CASE WHEN r.mode = 'sequential' THEN ARRAY(
         SELECT o.first_name || ' ' || o.last_name FROM signature_signers o
          WHERE o.request_id = r.id AND o.order_no < sg.order_no AND NOT o.optional AND o.status <> 'signed'
          ORDER BY o.order_no, CASE o.role WHEN 'resident' THEN 0 WHEN 'director' THEN 2 ELSE 1 END, o.key)
       ELSE ARRAY[]::text[] END AS waiting_for
  FROM portal_sessions ps
  JOIN signature_signers sg ON sg.id = ps.signer_id
  JOIN signature_requests r ON r.id = sg.request_id
  LEFT JOIN signing_links l ON l.id = ps.link_id
  JOIN documents d ON d.id = r.document_id
  JOIN residents res ON res.id = d.resident_id
  JOIN establishments e ON e.id = d.establishment_id
 WHERE ps.token_hash = $1`;

interface PreparablePool {
  query<R>(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

interface ContextRow {
  session: Record<string, unknown>;
  signer: Record<string, unknown>;
  request: Record<string, unknown>;
  link: Record<string, unknown> | null;
  document_id: string;
  document_type: string;
  first_name: string;
  last_name: string;
  prefers_large_print: boolean;
  prefers_easy_to_read: boolean;
  establishment_name: string;
  recorded_views: string[];
  waiting_for: string[];
}

@Injectable()
export class PortalService {
  private readonly columns = new Map<object, { property: string; column: string; date: boolean }[]>();
  /** Sessions × variants whose 'viewed' event is known to exist (saves a query per reading). */
  private readonly viewed = new Set<string>();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly requests: SignatureRequestsService,
    private readonly outbox: OutboxService,
    private readonly log: EvidenceLog,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * The link from the e-mail (a GET: consumes nothing) opens a short session; the caller sets the
   * cookie and redirects to a URL without the token.
   */
  async openLink(token: string, ctx: EventContext): Promise<{ sessionToken: string; expiresAt: Date }> {
    if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) throw new LinkNotFoundError();
    return this.tx.run(async (em) => {
      const now = new Date();
      const link = await this.repo.linkByTokenHash(em, sha256Hex(token));
      if (!link || link.revokedAt || link.expiresAt <= now || (link.purpose === 'sign' && link.usedAt)) throw new LinkNotFoundError();
      const request = await this.repo.requestById(em, link.requestId);
      const signer = await this.repo.signerById(em, link.signerId);
      if (!request || !signer || link.versionHash !== request.versionHash) throw new LinkNotFoundError();
      if (link.purpose === 'sign' && (request.status !== 'active' || signer.status !== 'pending')) throw new LinkNotFoundError();
      if (link.purpose === 'download' && request.status !== 'completed') throw new LinkNotFoundError();
      const sessionToken = randomToken();
      const expiresAt = new Date(Math.min(now.getTime() + PORTAL_ABSOLUTE_MS, link.expiresAt.getTime()));
      await em.insert(PortalSessionEntity, {
        signerId: signer.id,
        linkId: link.id,
        tokenHash: sha256Hex(sessionToken),
        csrfToken: randomToken(24),
        openedBy: null,
        codeVerified: false,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
      });
      await this.log.record(em, request, 'link_opened', this.actorOf(signer), { signerId: signer.id, ctx, details: { purpose: link.purpose } });
      return { sessionToken, expiresAt };
    });
  }

  /**
   * Loads the session behind the portal cookie (idle and absolute limits), with what the pages need.
   * Every portal request goes through here, so it is ONE indexed query (session by token hash, then
   * primary-key joins): nothing about the signer or the request is cached between requests, so a
   * signature, a refusal or a cancellation elsewhere is seen at once.
   */
  async context(sessionToken: string | undefined): Promise<PortalContext> {
    if (!sessionToken || !/^[A-Za-z0-9_-]{40,64}$/.test(sessionToken)) throw new PortalSessionExpiredError();
    const ctx = await this.loadContext(sessionToken);
    this.recent.set(sessionToken, { ctx, at: Date.now() });
    if (this.recent.size > 10_000) this.recent.clear();
    return ctx;
  }

  /**
   * For page reads only (never for a POST): the context loaded less than RECENT_CONTEXT_MS ago in
   * this process, else a fresh one. A reload right after a change in this process is never stale:
   * every POST handler calls `forget` after its change.
   */
  async recentContext(sessionToken: string): Promise<PortalContext> {
    const hit = this.recent.get(sessionToken);
    const now = Date.now();
    if (hit && now - hit.at < RECENT_CONTEXT_MS && hit.ctx.session.expiresAt.getTime() > now) return hit.ctx;
    return this.context(sessionToken);
  }

  forget(sessionToken: string | undefined): void {
    if (sessionToken) this.recent.delete(sessionToken);
  }

  private readonly recent = new Map<string, { ctx: PortalContext; at: number }>();

  private async loadContext(sessionToken: string): Promise<PortalContext> {
    const em = this.tx.manager;
    const now = new Date();
    const [row] = await this.contextRows(sha256Hex(sessionToken));
    const session = row && this.hydrate(PortalSessionEntity, row.session);
    if (!session || session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > PORTAL_IDLE_MS) throw new PortalSessionExpiredError();
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await em.update(PortalSessionEntity, { id: session.id }, { lastSeenAt: now });
    const signer = this.hydrate(SignerEntity, row.signer);
    const request = this.hydrate(SignatureRequestEntity, row.request);
    const link = row.link ? this.hydrate(SigningLinkEntity, row.link) : null;
    const decision = request.policy as unknown as PolicyDecision;
    return {
      session,
      signer,
      request,
      document: { id: row.document_id, type: row.document_type as DocumentEntity['type'] },
      link,
      residentName: `${row.first_name} ${row.last_name}`,
      establishmentName: row.establishment_name,
      preferences: signer.role === 'resident' ? { largePrint: row.prefers_large_print, easyToRead: row.prefers_easy_to_read } : { largePrint: false, easyToRead: false },
      views: decision.views.filter((v) => v.recordedBy.includes(signer.key)).map((v) => ({ ...v, recorded: row.recorded_views.includes(v.key) })),
      waitingFor: row.waiting_for,
      purpose: link?.purpose ?? 'sign',
    };
  }

  /**
   * A named (prepared) statement on the pool TypeORM uses: PostgreSQL plans the seven-table query
   * once per connection instead of at every page view. Falls back to TypeORM's `query` if the
   * driver is not node-postgres.
   */
  private async contextRows(tokenHash: string): Promise<ContextRow[]> {
    const pool = (this.tx.manager.connection.driver as unknown as { master?: PreparablePool }).master;
    if (pool?.query) return (await pool.query<ContextRow>({ name: 'portal_context_v1', text: CONTEXT_SQL, values: [tokenHash] })).rows;
    return (await this.tx.manager.query(CONTEXT_SQL, [tokenHash])) as ContextRow[];
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

  versionInput(ctx: PortalContext): Promise<unknown[]> {
    return this.tx.manager.query(`SELECT template_id, template_version, input FROM document_versions WHERE id = $1`, [ctx.request.versionId]);
  }

  checkCsrf(ctx: PortalContext, token: unknown): void {
    const a = Buffer.from(String(token ?? ''));
    const b = Buffer.from(ctx.session.csrfToken);
    if (a.length !== b.length || !safeEqualHex(Buffer.from(a).toString('hex'), b.toString('hex')))
      throw new DomainError('forbidden', 'CSRF_TOKEN_INVALID', 'Ce formulaire a expiré ou ne vient pas de cette page. Rechargez la page et recommencez.');
  }

  needsCode(ctx: PortalContext): boolean {
    return ctx.signer.accessCodeRequired && !ctx.session.codeVerified;
  }

  async verifyCode(ctx: PortalContext, code: string, ev: EventContext): Promise<void> {
    await this.tx.run(async (em) => {
      const s = await em.createQueryBuilder(SignerEntity, 's').setLock('pessimistic_write').where('s.id = :id', { id: ctx.signer.id }).getOneOrFail();
      const cleaned = code.replace(/\s+/g, '');
      if (!s.accessCodeHash || !s.accessCodeExpiresAt || s.accessCodeExpiresAt <= new Date() || s.accessCodeFailures >= ACCESS_CODE_MAX_TRIES) {
        await this.log.record(em, ctx.request, 'code_failed', this.actorOf(s), { signerId: s.id, ctx: ev, details: { reason: 'expired_or_locked' } });
        throw new DomainError('invalid', 'ACCESS_CODE_EXPIRED', 'Ce code n’est plus valable. Demandez un nouveau code à l’établissement.');
      }
      if (!safeEqualHex(sha256Hex(`${s.id}:${cleaned}`), s.accessCodeHash)) {
        await em.update(SignerEntity, { id: s.id }, { accessCodeFailures: s.accessCodeFailures + 1 });
        await this.log.record(em, ctx.request, 'code_failed', this.actorOf(s), { signerId: s.id, ctx: ev });
        const left = ACCESS_CODE_MAX_TRIES - s.accessCodeFailures - 1;
        throw new ValidationError(
          [{ field: 'code', code: 'ACCESS_CODE_WRONG', message: left > 0 ? `Code incorrect. Il vous reste ${left} essai${left > 1 ? 's' : ''}.` : 'Code incorrect. Demandez un nouveau code à l’établissement.' }],
          'Le code ne correspond pas.',
        );
      }
      await em.update(PortalSessionEntity, { id: ctx.session.id }, { codeVerified: true });
      await this.log.record(em, ctx.request, 'code_ok', this.actorOf(s), { signerId: s.id, ctx: ev });
    });
  }

  /** One 'viewed' event per session and variant: reading again writes nothing. */
  async markViewed(ctx: PortalContext, variant: string, ev: EventContext): Promise<void> {
    const key = `${ctx.session.id}:${variant}`;
    if (this.viewed.has(key)) return;
    const em = this.tx.manager;
    const seen = (await em.query(
      `SELECT 1 FROM signature_events WHERE request_id = $1 AND signer_id = $2 AND kind = 'viewed' AND details->>'variant' = $3 AND details->>'session' = $4 LIMIT 1`,
      [ctx.request.id, ctx.signer.id, variant, ctx.session.id],
    )) as unknown[];
    if (!seen.length)
      await this.tx.run((t) => this.log.record(t, ctx.request, 'viewed', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { variant, session: ctx.session.id } }));
    // Bounded: a session lives two hours at most, so forgetting everything now and then costs one query each.
    if (this.viewed.size > 100_000) this.viewed.clear();
    this.viewed.add(key);
  }

  async rendition(ctx: PortalContext, format: string, variant: string, ev: EventContext): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
    const em = this.tx.manager;
    const [r] = (await em.query(`SELECT blob_sha256, media_type FROM renditions WHERE version_id = $1 AND format = $2 AND variant = $3`, [
      ctx.request.versionId,
      format,
      variant,
    ])) as { blob_sha256: string; media_type: string }[];
    if (!r) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Ce format n’existe pas pour ce document.');
    const bytes = await this.blobs.get(em, r.blob_sha256);
    if (!bytes) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Fichier introuvable.');
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format, variant, sha256: r.blob_sha256 } }),
    );
    return { bytes, mediaType: r.media_type, fileName: `${ctx.document.type}-${variant}.${format}` };
  }

  async sealedPdf(ctx: PortalContext, ev: EventContext): Promise<{ bytes: Buffer; fileName: string }> {
    const em = this.tx.manager;
    const seal = await this.repo.sealOf(em, ctx.request.id);
    if (!seal) throw new DomainError('not_found', 'NOT_SEALED', 'Le document signé n’est pas encore disponible.');
    const bytes = (await this.blobs.get(em, seal.blobSha256))!;
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format: 'pdf', variant: 'signed', sha256: seal.blobSha256 } }),
    );
    return { bytes, fileName: `${ctx.document.type}-signe.pdf` };
  }

  async recordView(ctx: PortalContext, input: { viewKey: string; expression: string; comment?: string }, ev: EventContext): Promise<void> {
    const view = ctx.views.find((v) => v.key === input.viewKey);
    if (!view) throw new DomainError('forbidden', 'VIEW_NOT_YOURS', 'Vous n’avez pas à recueillir cet avis.');
    if (!EXPRESSIONS.includes(input.expression as Expression))
      throw new ValidationError([{ field: 'expression', code: 'REQUIRED', message: 'Choisissez ce que la personne exprime.' }], 'Choisissez une réponse.');
    const comment = input.comment?.trim() ? input.comment.trim().slice(0, 2000) : null;
    await this.tx.run(async (em) => {
      await this.assertActive(em, ctx);
      const res = (await em.query(
        `INSERT INTO recorded_views (request_id, view_key, person_name, expression, comment, recorded_by_signer_id, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (request_id, view_key) DO NOTHING RETURNING id`,
        [ctx.request.id, view.key, `${view.person.firstName} ${view.person.lastName}`, input.expression, comment, ctx.signer.id],
      )) as unknown[];
      if (!res.length) throw new ConflictError('VIEW_ALREADY_RECORDED', 'L’avis de la personne est déjà enregistré.');
      await this.log.record(em, ctx.request, 'view_recorded', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { viewKey: view.key, expression: input.expression } });
    });
  }

  /**
   * Signing is a single-use, atomic state change: `UPDATE … WHERE status = 'pending' RETURNING`.
   * Of concurrent submissions exactly one signs; the others are told it is already done.
   */
  async sign(ctx: PortalContext, input: { typedName: string; consent: boolean; drawnSignature?: string | null }, ev: EventContext): Promise<void> {
    const errors = [];
    if (!input.consent) errors.push({ field: 'consent', code: 'CONSENT_REQUIRED', message: 'Cochez la case pour confirmer que vous avez lu le document et que vous le signez.' });
    const expected = `${ctx.signer.firstName} ${ctx.signer.lastName}`;
    if (!input.typedName?.trim()) errors.push({ field: 'typedName', code: 'REQUIRED', message: `Écrivez votre nom complet : ${expected}.` });
    else if (normaliseName(input.typedName) !== normaliseName(expected))
      errors.push({ field: 'typedName', code: 'NAME_MISMATCH', message: `Le nom écrit doit être celui de la personne qui signe : ${expected}.` });
    if (input.drawnSignature && !/^data:image\/png;base64,[A-Za-z0-9+/=]{20,200000}$/.test(input.drawnSignature))
      errors.push({ field: 'drawnSignature', code: 'INVALID', message: 'La signature dessinée n’a pas pu être lue ; vous pouvez signer sans elle.' });
    if (errors.length) throw new ValidationError(errors, 'La signature n’a pas été enregistrée.');
    if (this.needsCode(ctx)) throw new DomainError('forbidden', 'ACCESS_CODE_REQUIRED', 'Saisissez d’abord le code donné par l’établissement.');
    const missingView = ctx.views.find((v) => !v.recorded);
    if (missingView)
      throw new ConflictError('VIEW_REQUIRED_FIRST', `Avant de signer, indiquez l’avis de ${missingView.person.firstName} ${missingView.person.lastName} (il ne bloque pas la signature).`);
    if (ctx.waitingFor.length) throw new ConflictError('NOT_YOUR_TURN', `Votre signature sera demandée après celle de : ${ctx.waitingFor.join(', ')}.`);
    await this.tx.run(async (em) => {
      const request = await this.assertActive(em, ctx);
      const now = new Date();
      const authMethod = ctx.signer.delivery === 'in_person' ? 'in_person_witnessed' : ctx.signer.accessCodeRequired ? 'email_link+access_code' : 'email_link';
      const res = returnedRows(
        await em.query(
          `UPDATE signature_signers SET status = 'signed', acted_at = $2, typed_name = $3, drawn_signature = $4, auth_method = $5, ip = $6, user_agent = $7
            WHERE id = $1 AND status = 'pending' RETURNING id`,
          [ctx.signer.id, now, input.typedName.trim(), input.drawnSignature ?? null, authMethod, ev.ip ?? null, ev.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'Votre réponse est déjà enregistrée.');
      if (ctx.link) await em.update(SigningLinkEntity, { id: ctx.link.id }, { usedAt: now });
      await this.log.record(em, request, 'signed', this.actorOf(ctx.signer), {
        signerId: ctx.signer.id,
        ctx: ev,
        details: { versionHash: request.versionHash, pdfSha256: request.pdfSha256, authMethod, drawn: Boolean(input.drawnSignature) },
      });
      await this.requests.afterSignature(em, request);
    });
  }

  /** A refusal ends the request; for a contrat de séjour the DIPC is then required (CASF D.311). */
  async refuse(ctx: PortalContext, input: { reason?: string }, ev: EventContext): Promise<void> {
    if (this.needsCode(ctx)) throw new DomainError('forbidden', 'ACCESS_CODE_REQUIRED', 'Saisissez d’abord le code donné par l’établissement.');
    const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null;
    await this.tx.run(async (em) => {
      const request = await this.assertActive(em, ctx);
      const now = new Date();
      const res = returnedRows(
        await em.query(
          `UPDATE signature_signers SET status = 'refused', acted_at = $2, refusal_reason = $3, ip = $4, user_agent = $5 WHERE id = $1 AND status = 'pending' RETURNING id`,
          [ctx.signer.id, now, reason, ev.ip ?? null, ev.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'Votre réponse est déjà enregistrée.');
      if (ctx.link) await em.update(SigningLinkEntity, { id: ctx.link.id }, { usedAt: now });
      const optional = ctx.signer.optional;
      if (!optional) {
        await em.update(SignatureRequestEntity, { id: request.id }, { status: 'refused', closedAt: now });
        await this.repo.revokeAllLinks(em, request.id, now);
        const docType = (request.policy as unknown as PolicyDecision).documentType;
        await em.update(DocumentEntity, { id: request.documentId }, { status: docType === 'contrat-sejour' ? 'refused' : 'ready', updatedAt: now });
      }
      await this.log.record(em, request, 'refused', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { withReason: Boolean(reason), optional } });
      await this.outbox.enqueue(em, 'notify.staff', { requestId: request.id, kind: 'refusal', signerId: ctx.signer.id }, { key: `refusal_${ctx.signer.id}`, organisationId: request.organisationId });
    });
  }

  async ask(ctx: PortalContext, message: string, ev: EventContext): Promise<void> {
    const text = message?.trim();
    if (!text) throw new ValidationError([{ field: 'message', code: 'REQUIRED', message: 'Écrivez votre question.' }], 'La question est vide.');
    if (text.length > 2000) throw new ValidationError([{ field: 'message', code: 'TOO_LONG', message: 'Votre question dépasse 2 000 caractères.' }], 'La question est trop longue.');
    await this.tx.run(async (em) => {
      const q = em.create(SignerQuestionEntity, { requestId: ctx.request.id, signerId: ctx.signer.id, message: text, askedAt: new Date(), answeredAt: null, answeredBy: null, answer: null });
      await em.insert(SignerQuestionEntity, q as never);
      await this.log.record(em, ctx.request, 'question', this.actorOf(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { questionId: q.id } });
      await this.outbox.enqueue(em, 'notify.staff', { requestId: ctx.request.id, kind: 'question', signerId: ctx.signer.id }, { key: `question_${q.id}`, organisationId: ctx.request.organisationId });
    });
  }

  private async assertActive(em: EntityManager, ctx: PortalContext): Promise<SignatureRequestEntity> {
    const r = await this.repo.lockRequest(em, ctx.request.id);
    if (!r || r.status !== 'active') throw new ConflictError('SIGNATURE_REQUEST_CLOSED', 'Cette demande de signature est close.');
    return r;
  }

  private actorOf(s: SignerEntity): AuditActor {
    return { type: 'signer', id: s.id };
  }
}
