import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService } from '@carepact/audit';
import { IdentityRepository } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { sha256Hex } from '@carepact/common';
import { SignatureEventEntity, SignatureEventKind } from './signing.entities';

export interface EventContext {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Free text staff type on a step (how a document was handed over, why a request was cancelled or
 * sent late): it may tell care facts, so the audit chain, which is never purged and which auditors
 * read, keeps its SHA-256 (`howSha256`, …) as it does for an answer (`answerSha256`); the text itself
 * stays on the signature event, purged with the file (SECURITY-RELIABILITY.md: audit payloads hold
 * « ids, hashes and actions — never care details »).
 */
const FREE_TEXT_DETAILS: Readonly<Partial<Record<SignatureEventKind, readonly string[]>>> = {
  handed_over: ['how'],
  cancelled: ['reason'],
  created: ['lateReason'],
};

/**
 * An audit event's payload without the free text staff typed, for a reader without
 * `document.content` (the auditor): events appended before the chain kept only its SHA-256 still
 * hold the text, and the chain is never rewritten.
 */
export function withoutFreeText(action: string, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = action.startsWith('signature.') ? FREE_TEXT_DETAILS[action.slice('signature.'.length) as SignatureEventKind] : undefined;
  if (!keys) return { ...payload };
  const out = { ...payload };
  for (const key of keys) delete out[key];
  return out;
}

/** An event's details as the audit chain keeps them: each free text replaced by its SHA-256. */
export function auditDetails(kind: SignatureEventKind, details: Readonly<Record<string, string | number | boolean | null | string[]>>): Record<string, string | number | boolean | null | string[]> {
  const out = { ...details };
  for (const key of FREE_TEXT_DETAILS[kind] ?? []) {
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
