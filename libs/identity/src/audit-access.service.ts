import { Injectable } from '@nestjs/common';
import { AuditEventEntity, AuditService, AuditVerifier, ChainReport } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCanSomewhere, auditActor } from './access';

export interface AuditEventView {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

/** Auditors and administrators read and verify their organisation's chain; each read is itself audited. */
@Injectable()
export class AuditAccessService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly verifier: AuditVerifier,
  ) {}

  async verify(actor: StaffActor): Promise<ChainReport> {
    assertCanSomewhere(actor, 'audit.read');
    const report = await this.verifier.verifyChain(this.tx.manager, actor.organisationId);
    await this.tx.run((em) =>
      this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'audit.verified',
        payload: { ok: report.ok, events: report.events, firstBrokenSeq: report.firstBroken?.seq ?? null },
      }),
    );
    return report;
  }

  async events(actor: StaffActor, opts: { afterSeq?: number; limit?: number; subjectId?: string }): Promise<AuditEventView[]> {
    assertCanSomewhere(actor, 'audit.read');
    return this.tx.run(async (em) => {
      const rows = await this.audit.listEvents(em, actor.organisationId, opts);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'audit.read',
        payload: { afterSeq: opts.afterSeq ?? 0, count: rows.length, subjectId: opts.subjectId ?? null },
      });
      return rows.map(view);
    });
  }
}

function view(e: AuditEventEntity): AuditEventView {
  return {
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}
