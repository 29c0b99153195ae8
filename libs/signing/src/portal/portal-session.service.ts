import { Injectable } from '@nestjs/common';
import { AuditActor } from '@carepact/audit';
import { DomainError, ValidationError, randomToken, safeEqualHex, sha256Hex } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { documentResidentArchived } from '@carepact/documents';
import { SigningLinks } from '../links/signing-links.service';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { PortalSessionEntity, SignerEntity } from '../requests/signing.entities';
import { SigningRepository } from '../requests/signing.repository';
import { PortalContextReader, StampedContext } from './portal-context.reader';
import { PortalRequestCancelledForDeathError, cancelledForDeath } from './cancelled-for-death';
import { ACCESS_CODE_MAX_TRIES, LinkNotFoundError, PORTAL_ABSOLUTE_MS, PORTAL_IDLE_MS, PortalContext, PortalPersonArchivedError, PortalSessionExpiredError, DISPLAY_FACTS_MS, personArchived } from './portal.types';
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
  /** Contexts this process loaded, each with the stamp of the signing state it was read from (see readContext). */
  private readonly kept = new Map<string, KeptContext>();
  /** Loads running for page reads, by session token: concurrent reads of one session share one. */
  private readonly loading = new Map<string, Promise<KeptContext>>();

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
      // A link of a request cancelled with the person's death: its holder, invited to sign it, is told
      // so (no new link will come, C. civ. 443 al. 1). Unknown, revoked and expired links: one error, one page (no oracle).
      if (link && (link.revokedAt || link.expiresAt <= now)) {
        const death = await cancelledForDeath(em, link.requestId, link.signerId);
        if (death) throw new PortalRequestCancelledForDeathError(death);
      }
      if (!link || link.revokedAt || link.expiresAt <= now) throw new LinkNotFoundError();
      const request = await this.repo.requestById(em, link.requestId);
      const signer = await this.repo.signerById(em, link.signerId);
      if (!request || !signer || link.versionHash !== request.versionHash) throw new LinkNotFoundError();
      // The person in the intermediate archive: the link no longer opens (the page says why; nothing is recorded).
      const archived = await documentResidentArchived(em, request.organisationId, request.documentId, now);
      if (archived) throw new PortalPersonArchivedError(request.status === 'completed');
      // A link used to sign or refuse (issue 13, item 4) still opens, read-only: the signer's own
      // answer, "Vous avez signé le … à …", and what was signed. The signature stays single-use: the
      // signer's row left 'pending' when they answered, and every action requires 'pending' under
      // the request's lock. Its owner learns nothing new: the completion e-mail goes to the same
      // address. Cancelling or expiring the request revokes it (then the 404 above).
      const readOnly = link.purpose === 'sign' && link.usedAt !== null;
      if (readOnly && signer.status === 'pending') throw new LinkNotFoundError();
      if (link.purpose === 'sign' && !readOnly && (request.status !== 'active' || signer.status !== 'pending')) throw new LinkNotFoundError();
      // A download link opens once the document is sealed: completed, or established and still open to
      // a countersignature (a DIPC, CASF D.311 II-III: handed over as soon as the director signed).
      if (link.purpose === 'download' && request.status !== 'completed' && !(request.status === 'active' && (await this.repo.sealOf(em, request.id)))) throw new LinkNotFoundError();
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
   * a cancellation elsewhere is seen at once. Page reads use readContext instead.
   */
  async context(sessionToken: string | undefined): Promise<PortalContext> {
    if (!sessionToken || !PORTAL_TOKEN.test(sessionToken)) throw new PortalSessionExpiredError();
    return (await this.loadAndKeep(sessionToken)).ctx;
  }

  /**
   * For page reads (GET): the context, exact as of this request, for the price of one short query
   * while nothing changed. The stamp of the session's signing state (session, link, request, its
   * signers, recorded views, seal: PortalContextReader) is read for every request; the context this
   * process kept is used only if it was read with that same stamp, so a revoked link, an ended or
   * expired session, a signature, a refusal or a cancellation — made here, by the worker or by
   * another api instance — is seen by the very next read, and the session's time limits are checked
   * against the clock at every read. What comes from other libs (the resident's names and reading
   * preferences, the establishment's name and contact: display only, changed by staff edits) is
   * read again at most DISPLAY_FACTS_MS later. A context is reused with its identity: whatever a
   * caller derived from it (a rendered page) stays valid as long as the same object comes back.
   */
  async readContext(sessionToken: string | undefined): Promise<PortalContext> {
    if (!sessionToken || !PORTAL_TOKEN.test(sessionToken)) throw new PortalSessionExpiredError();
    const kept = this.kept.get(sessionToken);
    // Nothing kept (first read, or after a form's `forget`): a load of our own, started after this request arrived.
    if (!kept) return (await this.loadAndKeep(sessionToken)).ctx;
    const stamp = await this.reader.stamp(kept.tokenHash);
    if (stamp === null) {
      this.kept.delete(sessionToken);
      throw new PortalSessionExpiredError();
    }
    const now = Date.now();
    if (stamp === kept.stamp && now - kept.at < DISPLAY_FACTS_MS && usableWithoutWrite(kept.ctx, now)) return kept.ctx;
    // A load already running serves this read only if it saw the state this read's own stamp names.
    const running = this.loading.get(sessionToken);
    if (running) {
      const shared = await running.catch(() => null);
      if (shared?.stamp === stamp) return shared.ctx;
    }
    const mine = this.loadAndKeep(sessionToken);
    this.loading.set(sessionToken, mine);
    try {
      return (await mine).ctx;
    } finally {
      if (this.loading.get(sessionToken) === mine) this.loading.delete(sessionToken);
    }
  }

  /** Drops what this process kept of a session: every form calls it before and after its change. */
  forget(sessionToken: string | undefined): void {
    if (sessionToken) this.kept.delete(sessionToken);
  }

  /**
   * Loads the context fresh and keeps it. When the signing state (stamp) and the display facts are
   * those already kept, the kept object is kept (and returned): its identity is its version.
   */
  private async loadAndKeep(sessionToken: string): Promise<KeptContext> {
    const tokenHash = sha256Hex(sessionToken);
    const { ctx, stamp } = await this.load(tokenHash);
    const facts = displayFactsOf(ctx);
    const at = Date.now();
    const before = this.kept.get(sessionToken);
    if (before && before.stamp === stamp && before.facts === facts) {
      before.at = at;
      return before;
    }
    const kept = { ctx, stamp, facts, tokenHash, at };
    if (this.kept.size >= 10_000) this.kept.clear();
    this.kept.set(sessionToken, kept);
    return kept;
  }

  private async load(tokenHash: string): Promise<StampedContext> {
    const now = new Date();
    const read = await this.reader.read(tokenHash);
    const session = read?.ctx.session;
    if (!read || !session) throw new PortalSessionExpiredError();
    // Every read and write goes through here: a session lives only as long as the link that opened it.
    const ended = session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > PORTAL_IDLE_MS || !isLinkLive(read.ctx, now);
    // Its request cancelled with the person's death (an in-person session too, which has no link to
    // revoke): said so, not « ouvrez le lien du dernier e-mail » — nothing more is signed for her.
    if (read.ctx.request.status === 'cancelled') {
      const death = await cancelledForDeath(this.tx.manager, read.ctx.request.id, read.ctx.signer.id);
      if (death) throw new PortalRequestCancelledForDeathError(death);
    }
    if (ended) throw new PortalSessionExpiredError();
    // Nor past the day the person's file went to the intermediate archive: nothing read, downloaded or signed any more.
    if (personArchived(read.ctx, now)) throw new PortalPersonArchivedError(read.ctx.request.status === 'completed');
    // The idle clock is written at most once a minute (IDLE_CLOCK_MS): reading a page is not a write.
    // The write changes the session's stamp: the next read loads the context again, with the new clock.
    if (now.getTime() - session.lastSeenAt.getTime() > IDLE_CLOCK_MS) await this.tx.manager.update(PortalSessionEntity, { id: session.id }, { lastSeenAt: now });
    return read;
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
      // The request's lock first, as every transaction that changes a signer and appends to the audit chain takes it.
      await this.repo.lockRequest(em, ctx.request.id);
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

/** How often the session's idle clock (last_seen_at) is written. */
const IDLE_CLOCK_MS = 60_000;

interface KeptContext {
  ctx: PortalContext;
  /** The stamp of the signing state `ctx` was read from. */
  stamp: string;
  /** The display facts from other libs in `ctx` (displayFactsOf). */
  facts: string;
  tokenHash: string;
  /** When `ctx` was last loaded (or found unchanged) from the database. */
  at: number;
}

/** What the context holds from other libs than this one (resident, establishment), as one comparable string. */
function displayFactsOf(ctx: PortalContext): string {
  return JSON.stringify([ctx.residentName, ctx.establishmentName, ctx.establishment, ctx.preferences, ctx.document]);
}

/**
 * A kept context still serves a read at `now`: the session is within its absolute and idle limits,
 * its link is live, and its idle clock needs no write yet. The rows themselves are those of the
 * database (same stamp); only the clock moved.
 */
function usableWithoutWrite(ctx: PortalContext, now: number): boolean {
  const { expiresAt, lastSeenAt } = ctx.session;
  return expiresAt.getTime() > now && now - lastSeenAt.getTime() <= IDLE_CLOCK_MS && isLinkLive(ctx, new Date(now)) && !personArchived(ctx, new Date(now));
}

/** The session's link is neither revoked nor past its expiry (a used link still shows the signer's own outcome). */
export function isLinkLive(ctx: Pick<PortalContext, 'link'>, now = new Date()): boolean {
  return !ctx.link || (!ctx.link.revokedAt && ctx.link.expiresAt > now);
}

