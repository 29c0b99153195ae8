import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditService, SYSTEM_ACTOR } from '@carepact/audit';
import { STAFF_ROLE_LABELS, randomToken, sha256Hex } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { OutboxService, PermanentJobError } from '@carepact/queue';
import { ACCOUNT_TOKEN_TTL_MS } from './accounts.service';
import { AccountTokenPurpose } from './identity.entities';
import { IdentityRepository } from './identity.repository';

/** The data of the `staff-invitation` and `password-reset` e-mails (libs/notifications email-kinds.ts, which identity may not import). */
interface AccountMailData {
  establishment: { name: string; phone?: string | null };
  recipientName: string;
  actionUrl: string;
  expiresAt: Date;
}

/** Sends one account e-mail; the worker provides the SMTP mailer used for every other e-mail (MAILER). */
export interface AccountMailer {
  send(to: { name: string | null; address: string }, kind: 'staff-invitation', data: AccountMailData & { invitedBy: string; roles: string[] }): Promise<void>;
  send(to: { name: string | null; address: string }, kind: 'password-reset', data: AccountMailData): Promise<void>;
}
export const ACCOUNT_MAILER = Symbol('ACCOUNT_MAILER');

/**
 * Worker side of `account.mail`: issues a fresh single-use link (only its SHA-256 is stored; the
 * previous unused links of the account stop working), e-mails it, and records that it was sent.
 * A failed send revokes the link it issued.
 */
@Injectable()
export class AccountMailJobs {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly repo: IdentityRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @Inject(ACCOUNT_MAILER) private readonly mailer: AccountMailer,
  ) {}

  async send(outboxId: string, userId: string, purpose: AccountTokenPurpose, invitedBy?: string | null): Promise<'sent' | 'skipped'> {
    const em = this.tx.manager;
    const user = await this.repo.findUserById(em, userId);
    const roles = user ? await this.repo.rolesOf(em, user.id) : [];
    const establishments = user ? await this.repo.establishmentsByIds(em, user.organisationId, [...new Set(roles.map((r) => r.establishmentId))]) : [];
    if (!user || !user.active || establishments.length === 0) {
      await this.outbox.runOnce(outboxId, async () => undefined);
      return 'skipped';
    }
    const token = randomToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ACCOUNT_TOKEN_TTL_MS[purpose]);
    const issued = await this.tx.run(async (t) => {
      await this.repo.lockUser(t, user.id);
      await this.repo.revokeTokensOf(t, user.id, now);
      return this.repo.insertAccountToken(t, { userId: user.id, purpose, tokenHash: sha256Hex(token), createdAt: now, expiresAt, consumedAt: null, revokedAt: null });
    });
    const names = new Map(establishments.map((e) => [e.id, e.name]));
    const to = { name: user.name, address: user.email };
    const base = { establishment: { name: establishments[0].name, phone: establishments[0].phone }, recipientName: user.name, actionUrl: `${this.config.http.publicUrl}/compte/mot-de-passe/${token}`, expiresAt };
    try {
      if (purpose === 'invitation') {
        const inviter = invitedBy ? await this.repo.findUserInOrganisation(em, user.organisationId, invitedBy) : null;
        const labels = roles.map((r) => `${capitalise(STAFF_ROLE_LABELS[r.role])} — ${names.get(r.establishmentId) ?? ''}`);
        await this.mailer.send(to, 'staff-invitation', { ...base, invitedBy: inviter?.name ?? 'L’administration de votre établissement', roles: labels });
      } else await this.mailer.send(to, 'password-reset', base);
    } catch (e) {
      await this.tx.run((t) => this.repo.revokeTokensOf(t, user.id, new Date()));
      if ((e as { permanent?: boolean })?.permanent) {
        await this.outbox.runOnce(outboxId, (t) =>
          this.audit.append(t, { chainId: user.organisationId, actor: SYSTEM_ACTOR, action: 'account.email_failed', subject: { type: 'staff_user', id: user.id }, payload: { purpose, permanent: true } }),
        );
        throw new PermanentJobError('EMAIL_REJECTED', (e as Error).message);
      }
      throw e;
    }
    await this.outbox.runOnce(outboxId, (t) =>
      this.audit.append(t, { chainId: user.organisationId, actor: SYSTEM_ACTOR, action: 'account.email_sent', subject: { type: 'staff_user', id: user.id }, payload: { purpose, tokenId: issued.id } }),
    );
    return 'sent';
  }

  /**
   * Every attempt met an unreachable or deferring server (in the transaction that marks the job
   * failed): the account's page says the e-mail did not leave, as it does for a refused address,
   * so the administrator checks the address or sends the invitation again.
   */
  async failedForGood(em: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<void> {
    const user = await this.repo.findUserById(em, userId);
    if (!user) return;
    await this.audit.append(em, { chainId: user.organisationId, actor: SYSTEM_ACTOR, action: 'account.email_failed', subject: { type: 'staff_user', id: user.id }, payload: { purpose, permanent: false } });
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
