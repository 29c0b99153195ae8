import { Injectable } from '@nestjs/common';
import { AuditService, AuditVerifier, ChainReport } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCanSomewhere, auditActor } from './access';

/** Auditors and administrators verify their organisation's chain (reading and export: AuditLogService); each check is itself audited. */
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
    await this.audit.appendAlone(this.tx.manager, {
      chainId: actor.organisationId,
      actor: auditActor(actor),
      action: 'audit.verified',
      payload: { ok: report.ok, events: report.events, firstBrokenSeq: report.firstBroken?.seq ?? null },
    });
    return report;
  }
}
