import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditService, PLATFORM_CHAIN_ID } from '@carepact/audit';
import { DomainError, hmacSha256Hex, randomToken } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor } from './access';
import { IdentityRepository } from './identity.repository';
import { burnPasswordCheck, verifyPassword } from './passwords';

/**
 * Login limits. Per account, no lockout (five wrong guesses by someone else must not lock the owner
 * out): after 3 failures in a row each further attempt waits 1 s, 2 s, 4 s… at most 60 s, counted
 * from the last failure; a success resets it. Per IP: 30 failures in 15 minutes.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_FREE_FAILURES = 3;
export const LOGIN_MAX_DELAY_MS = 60_000;
export const LOGIN_MAX_FAILURES_PER_IP = 30;

/** The wait imposed after `consecutiveFailures` failed logins of one account. */
export function loginDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_MS, 1000 * 2 ** (consecutiveFailures - LOGIN_FREE_FAILURES));
}

/** Staff sessions: 8 h absolute, 1 h idle. */
export const SESSION_ABSOLUTE_MS = 8 * 3600 * 1000;
export const SESSION_IDLE_MS = 3600 * 1000;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: StaffActor;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
  ) {}

  private keyed(value: string): string {
    return hmacSha256Hex(this.config.secrets.session, value);
  }

  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    const emailHash = this.keyed(`email:${email}`);

    // 1. A short transaction, one account at a time: check the account's delay and the IP's limit,
    //    then reserve the attempt as a failure (until the password proves right), so that parallel
    //    guesses see each other instead of all passing the same check.
    const gate = await this.tx.run(async (t) => {
      await this.repo.lockLoginsOf(t, emailHash);
      const now = new Date();
      const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
      const recent = await this.repo.recentAttempts(t, emailHash, since, LOGIN_FREE_FAILURES + 10);
      const byIp = await this.repo.countRecentFailures(t, { ip }, since);
      const lastSuccess = recent.findIndex((a) => a.succeeded);
      const consecutive = lastSuccess === -1 ? recent.length : lastSuccess;
      let waitMs = consecutive > 0 ? loginDelayMs(consecutive) - (now.getTime() - recent[0].attemptedAt.getTime()) : 0;
      if (byIp >= LOGIN_MAX_FAILURES_PER_IP) waitMs = Math.max(waitMs, LOGIN_WINDOW_MS);
      if (waitMs > 0) {
        // Not recorded as an attempt: no password was checked, and it must not lengthen the wait.
        await this.audit.append(t, {
          chainId: PLATFORM_CHAIN_ID,
          actor: { type: 'anonymous', id: null },
          action: 'staff.login.rate_limited',
          payload: { emailHash, by: byIp >= LOGIN_MAX_FAILURES_PER_IP ? 'ip' : 'account' },
        });
        return { limited: true as const, waitMs };
      }
      const attempt = await this.repo.recordAttempt(t, { emailHash, ip, succeeded: false, attemptedAt: now });
      return { limited: false as const, attemptId: attempt.id, now };
    });
    if (gate.limited) {
      const seconds = Math.max(1, Math.ceil(gate.waitMs / 1000));
      const when = seconds <= 90 ? `${seconds} seconde${seconds > 1 ? 's' : ''}` : `${Math.ceil(seconds / 60)} minutes`;
      throw new DomainError('rate_limited', 'LOGIN_RATE_LIMITED', `Trop de tentatives de connexion. Réessayez dans ${when}.`, [], seconds);
    }

    // 2. The password check (argon2, ~25 ms) outside any transaction.
    const user = await this.repo.findUserByEmail(this.tx.manager, email);
    let ok = false;
    // A disabled account gets exactly the answer of a wrong password.
    if (user && user.active) ok = await verifyPassword(user.passwordHash, password);
    else await burnPasswordCheck(password);

    const token = randomToken();
    const now = gate.now;
    const result = await this.tx.run(async (t) => {
      if (!ok || !user) {
        await this.audit.append(t, {
          chainId: user?.organisationId ?? PLATFORM_CHAIN_ID,
          actor: { type: 'anonymous', id: null },
          action: 'staff.login.failed',
          subject: user ? { type: 'staff_user', id: user.id } : undefined,
          payload: { emailHash },
        });
        return null;
      }
      await this.repo.markAttemptSucceeded(t, gate.attemptId);
      const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
      const session = await this.repo.insertSession(t, {
        userId: user.id,
        tokenHash: this.keyed(`session:${token}`),
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        revokedAt: null,
      });
      await this.audit.append(t, {
        chainId: user.organisationId,
        actor: { type: 'staff', id: user.id },
        action: 'staff.login.succeeded',
        subject: { type: 'staff_session', id: session.id },
      });
      const roles = await this.repo.rolesOf(t, user.id);
      const actor: StaffActor = {
        kind: 'staff',
        userId: user.id,
        organisationId: user.organisationId,
        email: user.email,
        name: user.name,
        sessionId: session.id,
        roles: roles.map((r) => ({ establishmentId: r.establishmentId, role: r.role })),
      };
      return { token, expiresAt, actor };
    });
    if (!result) throw new DomainError('unauthenticated', 'INVALID_CREDENTIALS', 'Adresse e-mail ou mot de passe incorrect.');
    return result;
  }

  /** Resolves a session cookie to the staff member, or null (expired, idle, revoked, unknown). */
  async authenticate(token: string | undefined): Promise<StaffActor | null> {
    if (!token || token.length > 100) return null;
    const now = new Date();
    const em = this.tx.manager;
    const session = await this.repo.findSessionContext(em, this.keyed(`session:${token}`), now);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
    if (!session.active) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.repo.touchSession(em, session.sessionId, now);
    return {
      kind: 'staff',
      userId: session.userId,
      organisationId: session.organisationId,
      email: session.email,
      name: session.name,
      sessionId: session.sessionId,
      roles: session.roles,
    };
  }

  async logout(actor: StaffActor): Promise<void> {
    await this.tx.run(async (t) => {
      if (await this.repo.revokeSession(t, actor.sessionId, new Date())) {
        await this.audit.append(t, {
          chainId: actor.organisationId,
          actor: { type: 'staff', id: actor.userId },
          action: 'staff.logout',
          subject: { type: 'staff_session', id: actor.sessionId },
        });
      }
    });
  }
}
