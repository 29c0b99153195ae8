import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService, STAFF_FREE_TEXT } from '@carepact/audit';
import { IdentityRepository } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { sha256Hex } from '@carepact/common';
import { SignatureEventEntity, SignatureEventKind } from './signing.entities';

export interface EventContext {
  ip?: string | null;
  userAgent?: string | null;
}

/** The free texts of each step the audit chain keeps as SHA-256 (@carepact/audit STAFF_FREE_TEXT). */
const freeTextOf = (kind: SignatureEventKind): readonly string[] => STAFF_FREE_TEXT[`signature.${kind}`] ?? [];

/** An event's details as the audit chain keeps them: each free text replaced by its SHA-256. */
export function auditDetails(kind: SignatureEventKind, details: Readonly<Record<string, string | number | boolean | null | string[]>>): Record<string, string | number | boolean | null | string[]> {
  const out = { ...details };
  for (const key of freeTextOf(kind)) {
    const text = out[key];
    if (typeof text !== 'string') continue;
    delete out[key];
    out[`${key}Sha256`] = sha256Hex(text);
  }
  return out;
}

/**
 * Every step leaves two traces in the same transaction: a signature event (the evidence file:
 * time, IP, user agent) and an audit event in the organisation's chain (ids and hashes only).
 * A staff member's step also names them on the signature event (their account and name at that
 * moment: the evidence says who opened the in-person session, issued the code, recorded the
 * witness); the audit event keeps the actor's id only.
 */
@Injectable()
export class EvidenceLog {
  constructor(
    private readonly audit: AuditService,
    private readonly identity: IdentityRepository,
  ) {}

  async record(
    em: EntityManager,
    r: { id: string; organisationId: string },
    kind: SignatureEventKind,
    actor: AuditActor,
    opts: { signerId?: string | null; ctx?: EventContext; details?: Record<string, string | number | boolean | null | string[]> } = {},
  ): Promise<void> {
    const details = opts.details ?? {};
    const staff = actor.type === 'staff' && actor.id && !('byUserId' in details) ? await this.staffOf(em, r.organisationId, actor.id) : {};
    await em.insert(SignatureEventEntity, <never>{
      requestId: r.id,
      signerId: opts.signerId ?? null,
      kind,
      at: new Date(),
      ip: opts.ctx?.ip ?? null,
      userAgent: opts.ctx?.userAgent ? opts.ctx.userAgent.slice(0, 400) : null,
      details: { ...staff, ...details },
    });
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor,
      action: `signature.${kind}`,
      subject: { type: 'signature_request', id: r.id },
      payload: { ...(opts.signerId ? { signerId: opts.signerId } : {}), ...auditDetails(kind, details) },
    });
  }

  /** The staff member who acts, in the organisation of the request (their id alone when the account is not found there). */
  private async staffOf(em: EntityManager, organisationId: string, userId: string): Promise<{ byUserId: string; byName?: string; byAccount?: string }> {
    const user = await this.identity.findUserInOrganisation(em, organisationId, userId);
    return user ? { byUserId: user.id, byName: user.name, byAccount: user.email } : { byUserId: userId };
  }
}
