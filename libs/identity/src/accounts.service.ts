import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditActor, AuditService, PLATFORM_CHAIN_ID } from '@carepact/audit';
import { DomainError, FieldError, NotFoundError, ValidationError, hmacSha256Hex, randomToken, sha256Hex } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { StaffActor, assertCanManageUsersIn, assertCanSomewhere, auditActor } from './access';
import { AccountTokenEntity, AccountTokenPurpose, PasswordResetRequestEntity, StaffRole, StaffSessionEntity, StaffUserEntity } from './identity.entities';
import { IdentityRepository } from './identity.repository';
import { LOGIN_FREE_FAILURES, LOGIN_WINDOW_MS, loginDelayMs } from './auth.service';
import { hashPassword, verifyPassword } from './passwords';
import { StaffService, StaffUserView } from './staff.service';

/**
 * How long a password link works. An invitation leaves a few days to whoever starts on Monday; a
 * reset link is for now. Single use and short-lived, as the CNIL asks of password renewal links
 * (délibération n° 2022-100 du 21 juillet 2022, recommandation « mots de passe », art. 5).
 */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  invitation: 7 * 24 * 3600 * 1000,
  reset: 3600 * 1000,
};

/**
 * Reset requests per hour: per address (counted whether or not an account has it, so the limit
 * tells nothing about who has an account) and per IP.
 */
export const RESET_WINDOW_MS = 3600 * 1000;
export const RESET_MAX_PER_EMAIL = 3;
export const RESET_MAX_PER_IP = 20;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** The one answer to a reset request, whether the address has an account or not (no enumeration). */
export const RESET_REQUESTED_MESSAGE =
  'Si un compte actif utilise cette adresse, un e-mail vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe. Le lien fonctionne une heure.';

export interface NewInvitation {
  email: string;
  name: string;
  roles: { establishmentId: string; role: StaffRole }[];
}

/** What the password page shows before anything is consumed (GET never consumes). */
export interface AccountLinkView {
  purpose: AccountTokenPurpose;
  name: string;
  email: string;
  expiresAt: Date;
}

export class AccountLinkInvalidError extends DomainError {
  constructor() {
    super('not_found', 'ACCOUNT_LINK_INVALID', 'Ce lien n’est pas ou plus valable : il a déjà servi, il a expiré ou un lien plus récent l’a remplacé. Demandez un nouveau lien.');
  }
}

export function passwordErrors(password: string, field = 'password', email?: string): FieldError[] {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)
    return [{ field, code: 'WEAK_PASSWORD', message: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères (${PASSWORD_MAX_LENGTH} au plus).` }];
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase())
    return [{ field, code: 'WEAK_PASSWORD', message: 'Le mot de passe ne peut pas être votre adresse e-mail.' }];
  return [];
}

/**
 * Staff accounts beyond their creation (issue 11 item 7): invitations by e-mail, password links
 * (invitation and reset, single use, hashed at rest like signing links), password changes. The
 * e-mail itself is sent by the worker (`account.mail`, AccountMailJobs), which issues the token:
 * it exists only in the e-mail.
 */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly repo: IdentityRepository,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Creates the account without a usable password and queues its invitation. Roles only where the
   * inviting administrator administers (issue 7 item 3), as for POST /api/users.
   */
  async inviteAs(actor: StaffActor, input: NewInvitation): Promise<StaffUserView> {
    assertCanSomewhere(actor, 'user.manage');
    assertCanManageUsersIn(actor, input.roles.map((r) => r.establishmentId));
    return this.tx.run(async (em) => {
      // A random password nobody knows: the account cannot log in until its owner sets one.
      const user = await this.staff.createUser(em, auditActor(actor), actor.organisationId, { ...input, password: randomToken() }, { invited: true });
      await this.queueLink(em, actor.organisationId, user.id, 'invitation', auditActor(actor));
      return user;
    });
  }

  /** Sends a fresh invitation (the previous link stops working when the new one is issued). */
  async reinviteAs(actor: StaffActor, userId: string): Promise<void> {
    assertCanSomewhere(actor, 'user.manage');
    await this.tx.run(async (em) => {
      const user = await this.repo.findUserInOrganisation(em, actor.organisationId, userId);
      const roles = user ? await this.repo.rolesOf(em, user.id) : [];
      if (!user || roles.length === 0) throw new NotFoundError('USER_NOT_FOUND', 'Compte introuvable.');
      assertCanManageUsersIn(actor, roles.map((r) => r.establishmentId));
      if (!user.active) throw new DomainError('conflict', 'USER_DISABLED', 'Ce compte est désactivé : il ne reçoit plus d’invitation.');
      if (user.passwordSetAt)
        throw new DomainError('conflict', 'ACCOUNT_ALREADY_ACTIVATED', 'Cette personne a déjà choisi son mot de passe : si elle l’a oublié, elle utilise « Mot de passe oublié ? » sur la page de connexion.');
      await this.queueLink(em, actor.organisationId, user.id, 'invitation', auditActor(actor), `re_${randomToken(8)}`);
    });
  }

  private async queueLink(em: EntityManager, organisationId: string, userId: string, purpose: AccountTokenPurpose, actor: AuditActor, key = randomToken(8)): Promise<void> {
    const invitedBy = purpose === 'invitation' && actor.type === 'staff' ? actor.id : null;
    await this.outbox.enqueue(em, 'account.mail', { userId, purpose, invitedBy }, { key: `${userId}_${purpose}_${key}`, organisationId });
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: purpose === 'invitation' ? 'user.invited' : 'staff.password_reset.requested',
      subject: { type: 'staff_user', id: userId },
    });
  }

  /**
   * A reset asked from the login page. The answer is the same whether the address has an account or
   * not (RESET_REQUESTED_MESSAGE); only a rate limit can refuse it, counted the same way for every
   * address. Disabled accounts get no e-mail.
   */
  async requestPasswordReset(emailInput: string, ip: string): Promise<void> {
    const email = emailInput.trim().toLowerCase().slice(0, 254);
    const emailHash = hmacSha256Hex(this.config.secrets.session, `reset:${email}`);
    const limited = await this.tx.run(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`reset:${emailHash}`]);
      const now = new Date();
      const since = new Date(now.getTime() - RESET_WINDOW_MS);
      const byEmail = await this.repo.countResetRequests(em, { emailHash }, since);
      const byIp = await this.repo.countResetRequests(em, { ip }, since);
      if (byEmail >= RESET_MAX_PER_EMAIL || byIp >= RESET_MAX_PER_IP) {
        await this.audit.append(em, {
          chainId: PLATFORM_CHAIN_ID,
          actor: { type: 'anonymous', id: null },
          action: 'staff.password_reset.rate_limited',
          payload: { emailHash, by: byIp >= RESET_MAX_PER_IP ? 'ip' : 'account' },
        });
        return true;
      }
      await em.insert(PasswordResetRequestEntity, { emailHash, ip, requestedAt: now });
      const user = email ? await this.repo.findUserByEmail(em, email) : null;
      if (user && user.active) await this.queueLink(em, user.organisationId, user.id, 'reset', { type: 'anonymous', id: null }, `${now.getTime()}`);
      else
        await this.audit.append(em, {
          chainId: user?.organisationId ?? PLATFORM_CHAIN_ID,
          actor: { type: 'anonymous', id: null },
          action: 'staff.password_reset.ignored',
          payload: { emailHash, reason: user ? 'disabled' : 'unknown' },
        });
      return false;
    });
    if (limited) throw new DomainError('rate_limited', 'PASSWORD_RESET_RATE_LIMITED', 'Trop de demandes de nouveau mot de passe. Réessayez dans une heure.', [], Math.ceil(RESET_WINDOW_MS / 1000));
  }

  /** The link's state, for the page that asks for the new password. Consumes nothing. */
  async viewLink(token: string): Promise<AccountLinkView> {
    const found = await this.liveToken(this.tx.manager, token);
    if (!found) throw new AccountLinkInvalidError();
    return { purpose: found.token.purpose, name: found.user.name, email: found.user.email, expiresAt: found.token.expiresAt };
  }

  /**
   * Sets the password from a link: the link is consumed atomically (two posts set it once), every
   * other link of the account stops working, and every open session ends (whoever knew the old
   * password is out). Returns the account's e-mail for the login page.
   */
  async setPasswordWithLink(token: string, password: string): Promise<{ email: string }> {
    const found = await this.liveToken(this.tx.manager, token);
    if (!found) throw new AccountLinkInvalidError();
    const errors = passwordErrors(password, 'password', found.user.email);
    if (errors.length) throw new ValidationError(errors);
    const hash = await hashPassword(password);
    return this.tx.run(async (em) => {
      const now = new Date();
      const rows = returnedRows(
        await em.query(
          `UPDATE account_tokens SET consumed_at = $2 WHERE token_hash = $1 AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING user_id, purpose`,
          [sha256Hex(token), now],
        ),
      ) as { user_id: string; purpose: AccountTokenPurpose }[];
      if (rows.length !== 1) throw new AccountLinkInvalidError();
      const { user_id: userId, purpose } = rows[0];
      await this.repo.lockUser(em, userId);
      const user = await this.repo.findUserById(em, userId);
      if (!user || !user.active) throw new AccountLinkInvalidError();
      await em.update(StaffUserEntity, { id: userId }, { passwordHash: hash, passwordSetAt: now, updatedAt: now });
      await this.repo.revokeTokensOf(em, userId, now);
      const sessionsEnded = await this.repo.revokeSessionsOf(em, userId, now);
      await this.audit.append(em, {
        chainId: user.organisationId,
        actor: { type: 'staff', id: userId },
        action: 'staff.password.set',
        subject: { type: 'staff_user', id: userId },
        payload: { via: purpose, sessionsEnded },
      });
      return { email: user.email };
    });
  }

  /**
   * A logged-in person changes their password: the current one is checked first (a session left
   * open on a shared computer must not be enough), and every other session ends.
   */
  async changePassword(actor: StaffActor, current: string, next: string, ip = 'unknown'): Promise<void> {
    const user = await this.repo.findUserById(this.tx.manager, actor.userId);
    if (!user || !user.active) throw new NotFoundError('USER_NOT_FOUND', 'Compte introuvable.');
    // Guessing the current password from an open session is guessing a login: the same attempts
    // and the same growing delay as the login form (auth.service.ts), counted together.
    const emailHash = hmacSha256Hex(this.config.secrets.session, `email:${user.email}`);
    const waitMs = await this.tx.run(async (em) => {
      await this.repo.lockLoginsOf(em, emailHash);
      const now = new Date();
      const recent = await this.repo.recentAttempts(em, emailHash, new Date(now.getTime() - LOGIN_WINDOW_MS), LOGIN_FREE_FAILURES + 10);
      const lastSuccess = recent.findIndex((a) => a.succeeded);
      const consecutive = lastSuccess === -1 ? recent.length : lastSuccess;
      return consecutive > 0 ? loginDelayMs(consecutive) - (now.getTime() - recent[0].attemptedAt.getTime()) : 0;
    });
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new DomainError('rate_limited', 'PASSWORD_CHANGE_RATE_LIMITED', `Trop de tentatives. Réessayez dans ${seconds} seconde${seconds > 1 ? 's' : ''}.`, [], seconds);
    }
    const ok = await verifyPassword(user.passwordHash, current.slice(0, PASSWORD_MAX_LENGTH));
    if (!ok) {
      await this.tx.run(async (em) => {
        await this.repo.recordAttempt(em, { emailHash, ip, succeeded: false, attemptedAt: new Date() });
        await this.audit.append(em, { chainId: user.organisationId, actor: auditActor(actor), action: 'staff.password.change_failed', subject: { type: 'staff_user', id: user.id } });
      });
      throw new ValidationError([{ field: 'current', code: 'WRONG_PASSWORD', message: 'Le mot de passe actuel est incorrect.' }]);
    }
    const errors = passwordErrors(next, 'password', user.email);
    if (!errors.length && next === current) errors.push({ field: 'password', code: 'SAME_PASSWORD', message: 'Le nouveau mot de passe doit différer de l’actuel.' });
    if (errors.length) throw new ValidationError(errors);
    const hash = await hashPassword(next);
    await this.tx.run(async (em) => {
      const now = new Date();
      await this.repo.lockUser(em, user.id);
      await this.repo.recordAttempt(em, { emailHash, ip, succeeded: true, attemptedAt: now });
      await em.update(StaffUserEntity, { id: user.id }, { passwordHash: hash, passwordSetAt: now, updatedAt: now });
      await this.repo.revokeTokensOf(em, user.id, now);
      const others = await em
        .createQueryBuilder()
        .update(StaffSessionEntity)
        .set({ revokedAt: now })
        .where('user_id = :userId AND id <> :sessionId AND revoked_at IS NULL AND expires_at > :now', { userId: user.id, sessionId: actor.sessionId, now })
        .execute();
      await this.audit.append(em, {
        chainId: user.organisationId,
        actor: auditActor(actor),
        action: 'staff.password.changed',
        subject: { type: 'staff_user', id: user.id },
        payload: { otherSessionsEnded: others.affected ?? 0 },
      });
    });
  }

  private async liveToken(em: EntityManager, token: string): Promise<{ token: AccountTokenEntity; user: StaffUserEntity } | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const found = await this.repo.findAccountToken(em, sha256Hex(token));
    const now = new Date();
    if (!found || found.consumedAt || found.revokedAt || found.expiresAt <= now) return null;
    const user = await this.repo.findUserById(em, found.userId);
    if (!user || !user.active) return null;
    return { token: found, user };
  }
}
