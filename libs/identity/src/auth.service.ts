import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditService, PLATFORM_CHAIN_ID } from '@carepact/audit';
import { DomainError, hmacSha256Hex, randomToken } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor } from './access';
import { IdentityRepository } from './identity.repository';
import { burnPasswordCheck, verifyPassword } from './passwords';

/** Limits: per account 5 failures / 15 min, per IP 30 failures / 15 min. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_MAX_FAILURES_PER_EMAIL = 5;
export const LOGIN_MAX_FAILURES_PER_IP = 30;
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
    const now = new Date();
    const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
    const em = this.tx.manager;
    const [byEmail, byIp] = await Promise.all([
      this.repo.countRecentFailures(em, { emailHash }, since),
      this.repo.countRecentFailures(em, { ip }, since),
    ]);
    if (byEmail >= LOGIN_MAX_FAILURES_PER_EMAIL || byIp >= LOGIN_MAX_FAILURES_PER_IP) {
      await this.tx.run(async (t) => {
        await this.repo.recordAttempt(t, { emailHash, ip, succeeded: false, attemptedAt: now });
        await this.audit.append(t, {
          chainId: PLATFORM_CHAIN_ID,
          actor: { type: 'anonymous', id: null },
          action: 'staff.login.rate_limited',
          payload: { emailHash },
        });
      });
      throw new DomainError(
        'rate_limited',
        'LOGIN_RATE_LIMITED',
        'Trop de tentatives de connexion. Réessayez dans quinze minutes.',
        [],
        Math.ceil(LOGIN_WINDOW_MS / 1000),
      );
    }

    const user = await this.repo.findUserByEmail(em, email);
    let ok = false;
    if (user && user.active) ok = await verifyPassword(user.passwordHash, password);
    else await burnPasswordCheck(password);

    const token = randomToken();
    const result = await this.tx.run(async (t) => {
      await this.repo.recordAttempt(t, { emailHash, ip, succeeded: ok, attemptedAt: now });
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
    const session = await this.repo.findLiveSession(em, this.keyed(`session:${token}`), now);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
    const user = await this.repo.findUserById(em, session.userId);
    if (!user || !user.active) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.repo.touchSession(em, session.id, now);
    const roles = await this.repo.rolesOf(em, user.id);
    return {
      kind: 'staff',
      userId: user.id,
      organisationId: user.organisationId,
      email: user.email,
      name: user.name,
      sessionId: session.id,
      roles: roles.map((r) => ({ establishmentId: r.establishmentId, role: r.role })),
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
