import { Injectable } from '@nestjs/common';
import { AuditActor } from '@carepact/audit';
import { DomainError, ValidationError, randomToken, safeEqualHex, sha256Hex } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { SigningLinks } from '../links/signing-links.service';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { PortalSessionEntity, SignerEntity } from '../requests/signing.entities';
import { SigningRepository } from '../requests/signing.repository';
import { PortalContextReader } from './portal-context.reader';
import { ACCESS_CODE_MAX_TRIES, LinkNotFoundError, PORTAL_ABSOLUTE_MS, PORTAL_IDLE_MS, PortalContext, PortalSessionExpiredError, RECENT_CONTEXT_MS } from './portal.types';
import { PORTAL_TOKEN, accessCodeMissing } from './portal.types';

export function signerActor(s: Pick<SignerEntity, 'id'>): AuditActor {
  return { type: 'signer', id: s.id };
}

/**
 * The portal session: opened by a link, loaded behind the cookie for every request (idle and
 * absolute limits), protected by a CSRF token and, when staff asked for one, an access code.
 */
@Injectable()
export class PortalSessionService {
  /** Contexts this process loaded lately, for page reads only (see recentContext). */
  private readonly recent = new Map<string, { ctx: PortalContext; at: number }>();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly links: SigningLinks,
    private readonly reader: PortalContextReader,
    private readonly log: EvidenceLog,
  ) {}

  /**
   * The link from the e-mail (a GET: consumes nothing) opens a short session; the caller sets the
   * cookie and redirects to a URL without the token.
   */
  async openLink(token: string, ctx: EventContext): Promise<{ sessionToken: string; expiresAt: Date }> {
    if (!PORTAL_TOKEN.test(token)) throw new LinkNotFoundError();
    return this.tx.run(async (em) => {
      const now = new Date();
      const link = await this.links.byToken(em, token);
      // Unknown, revoked and expired links: one error, one page (no oracle).
      if (!link || link.revokedAt || link.expiresAt <= now) throw new LinkNotFoundError();
      const request = await this.repo.requestById(em, link.requestId);
      const signer = await this.repo.signerById(em, link.signerId);
      if (!request || !signer || link.versionHash !== request.versionHash) throw new LinkNotFoundError();
      // A link used to sign or refuse (issue 13, item 4) still opens, read-only: the signer's own
      // answer, "Vous avez signé le … à …", and what was signed. The signature stays single-use: the
      // signer's row left 'pending' when they answered, and every action requires 'pending' under
      // the request's lock. Its owner learns nothing new: the completion e-mail goes to the same
      // address. Cancelling or expiring the request revokes it (then the 404 above).
      const readOnly = link.purpose === 'sign' && link.usedAt !== null;
      if (readOnly && signer.status === 'pending') throw new LinkNotFoundError();
      if (link.purpose === 'sign' && !readOnly && (request.status !== 'active' || signer.status !== 'pending')) throw new LinkNotFoundError();
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
      await this.log.record(em, request, 'link_opened', signerActor(signer), { signerId: signer.id, ctx, details: readOnly ? { purpose: link.purpose, readOnly } : { purpose: link.purpose } });
      return { sessionToken, expiresAt };
    });
  }

  /**
   * Loads the session behind the portal cookie (idle and absolute limits), with what the pages
   * need, fresh from the database: every form (POST) goes through here, so a signature, a refusal or
   * a cancellation elsewhere is seen at once. Page reads may use recentContext instead.
   */
  async context(sessionToken: string | undefined): Promise<PortalContext> {
    if (!sessionToken || !PORTAL_TOKEN.test(sessionToken)) throw new PortalSessionExpiredError();
    const ctx = await this.load(sessionToken);
    this.recent.set(sessionToken, { ctx, at: Date.now() });
    if (this.recent.size > 10_000) this.recent.clear();
    return ctx;
  }

  /**
   * For page reads only (never for a POST): the context loaded less than RECENT_CONTEXT_MS (1 s)
   * ago in this process, else a fresh one. A reload right after a change in this process is never
   * stale: every POST handler calls `forget` after its change. A change made by another process
   * (the worker, another API instance) shows at most 1 s later; so does a revoked link, for page
   * reads only: no form is ever served from here, and actions re-check the link under the lock.
   */
  async recentContext(sessionToken: string): Promise<PortalContext> {
    const hit = this.recent.get(sessionToken);
    const now = Date.now();
    if (hit && now - hit.at < RECENT_CONTEXT_MS && hit.ctx.session.expiresAt.getTime() > now && isLinkLive(hit.ctx, new Date(now))) return hit.ctx;
    return this.context(sessionToken);
  }

  forget(sessionToken: string | undefined): void {
    if (sessionToken) this.recent.delete(sessionToken);
  }

  private async load(sessionToken: string): Promise<PortalContext> {
    const now = new Date();
    const ctx = await this.reader.read(sha256Hex(sessionToken));
    const session = ctx?.session;
    if (!ctx || !session || session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > PORTAL_IDLE_MS) throw new PortalSessionExpiredError();
    // Every read and write goes through here: a session lives only as long as the link that opened it.
    if (!isLinkLive(ctx, now)) throw new PortalSessionExpiredError();
    // The idle clock is written at most once a minute: reading a page is not a write.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.tx.manager.update(PortalSessionEntity, { id: session.id }, { lastSeenAt: now });
    return ctx;
  }

  checkCsrf(ctx: PortalContext, token: unknown): void {
    const a = Buffer.from(String(token ?? ''));
    const b = Buffer.from(ctx.session.csrfToken);
    if (a.length !== b.length || !safeEqualHex(Buffer.from(a).toString('hex'), b.toString('hex')))
      throw new DomainError('forbidden', 'CSRF_TOKEN_INVALID', 'Ce formulaire a expiré ou ne vient pas de cette page. Rechargez la page et recommencez.');
  }

  needsCode(ctx: PortalContext): boolean {
    return accessCodeMissing(ctx);
  }

  /**
   * Checks the access code staff gave. Each failure is committed in its own transaction before the
   * error is thrown (a failure recorded in the transaction the error rolls back would count
   * nothing); after ACCESS_CODE_MAX_TRIES failures the code is locked until staff issue a new one.
   */
  async verifyCode(ctx: PortalContext, code: string, ev: EventContext): Promise<void> {
    const cleaned = code.replace(/\s+/g, '');
    const outcome = await this.tx.run(async (em): Promise<'ok' | 'expired' | 'locked' | { left: number }> => {
      const s = await em.createQueryBuilder(SignerEntity, 's').setLock('pessimistic_write').where('s.id = :id', { id: ctx.signer.id }).getOneOrFail();
      const locked = s.accessCodeFailures >= ACCESS_CODE_MAX_TRIES;
      if (locked || !s.accessCodeHash || !s.accessCodeExpiresAt || s.accessCodeExpiresAt <= new Date()) {
        await this.log.record(em, ctx.request, 'code_failed', signerActor(s), { signerId: s.id, ctx: ev, details: { reason: locked ? 'locked' : 'expired' } });
        return locked ? 'locked' : 'expired';
      }
      if (!safeEqualHex(sha256Hex(`${s.id}:${cleaned}`), s.accessCodeHash)) {
        const failures = s.accessCodeFailures + 1;
        await em.update(SignerEntity, { id: s.id }, { accessCodeFailures: failures });
        await this.log.record(em, ctx.request, 'code_failed', signerActor(s), { signerId: s.id, ctx: ev, details: { failures } });
        if (failures >= ACCESS_CODE_MAX_TRIES) await this.log.record(em, ctx.request, 'code_locked', signerActor(s), { signerId: s.id, ctx: ev, details: { failures } });
        return { left: ACCESS_CODE_MAX_TRIES - failures };
      }
      await em.update(PortalSessionEntity, { id: ctx.session.id }, { codeVerified: true });
      await this.log.record(em, ctx.request, 'code_ok', signerActor(s), { signerId: s.id, ctx: ev });
      return 'ok';
    });
    if (outcome === 'ok') return;
    if (outcome === 'locked')
      throw new DomainError('forbidden', 'ACCESS_CODE_LOCKED', 'Trop d’essais : ce code est bloqué. Demandez un nouveau code à l’établissement.');
    if (outcome === 'expired') throw new DomainError('invalid', 'ACCESS_CODE_EXPIRED', 'Ce code n’est plus valable. Demandez un nouveau code à l’établissement.');
    const { left } = outcome;
    throw new ValidationError(
      [{ field: 'code', code: 'ACCESS_CODE_WRONG', message: left > 0 ? `Code incorrect. Il vous reste ${left} essai${left > 1 ? 's' : ''}.` : 'Code incorrect. Demandez un nouveau code à l’établissement.' }],
      'Le code ne correspond pas.',
    );
  }
}

/** The session's link is neither revoked nor past its expiry (a used link still shows the signer's own outcome). */
export function isLinkLive(ctx: Pick<PortalContext, 'link'>, now = new Date()): boolean {
  return !ctx.link || (!ctx.link.revokedAt && ctx.link.expiresAt > now);
}
