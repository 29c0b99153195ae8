import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService } from '@carepact/audit';
import { EntityManager } from 'typeorm';
import { SignatureEventEntity, SignatureEventKind } from './signing.entities';

export interface EventContext {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Every step leaves two traces in the same transaction: a signature event (the evidence file:
 * time, IP, user agent) and an audit event in the organisation's chain (ids and hashes only).
 */
@Injectable()
export class EvidenceLog {
  constructor(private readonly audit: AuditService) {}

  async record(
    em: EntityManager,
    r: { id: string; organisationId: string },
    kind: SignatureEventKind,
    actor: AuditActor,
    opts: { signerId?: string | null; ctx?: EventContext; details?: Record<string, string | number | boolean | null | string[]> } = {},
  ): Promise<void> {
    const details = opts.details ?? {};
    await em.insert(SignatureEventEntity, <never>{
      requestId: r.id,
      signerId: opts.signerId ?? null,
      kind,
      at: new Date(),
      ip: opts.ctx?.ip ?? null,
      userAgent: opts.ctx?.userAgent ? opts.ctx.userAgent.slice(0, 400) : null,
      details,
    });
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor,
      action: `signature.${kind}`,
      subject: { type: 'signature_request', id: r.id },
      payload: { ...(opts.signerId ? { signerId: opts.signerId } : {}), ...details },
    });
  }
}
