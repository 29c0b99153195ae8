import { Inject, Logger } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { AnchorDisagreementError, AuditAnchor, AuditService } from '@carepact/audit';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { JobData, OutboxService, PermanentJobError } from '@carepact/queue';
import { JobHandlers, JobProcessor } from './job-processor';

/**
 * Queue `audit`: the chained, signed checkpoints. Whatever chain a job names, the checkpoint
 * signs the heads of every chain (jobs enqueued per chain before issue 7 still work); the
 * scheduler now names the platform chain. The anchor file is written after the commit.
 */
@Processor('audit', { concurrency: 1 })
export class AuditProcessor extends JobProcessor<'audit'> {
  protected readonly log = new Logger('AuditProcessor');
  readonly queue = 'audit';
  readonly handlers: JobHandlers<'audit'> = {
    'audit.checkpoint': { run: (d) => this.checkpoint(d) },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly audit: AuditService,
    private readonly anchor: AuditAnchor,
  ) {
    super(outbox, config);
  }

  private async checkpoint(data: JobData<'audit.checkpoint'>) {
    const { ran, result } = await this.outbox.runOnce(data.outboxId, async (em, row) => {
      // Workers re-check that a job's ids belong to the organisation it was enqueued for.
      if (row.organisationId !== data.chainId) throw new PermanentJobError('CHAIN_MISMATCH', 'job chain mismatch');
      const cp = await this.audit.checkpoint(em);
      return cp ? { seq: cp.seq, chains: cp.chains, moved: cp.moved } : null;
    });
    // Also on a redelivery (ran: false): a crash after the commit left the anchor behind.
    try {
      const { appended } = await this.anchor.sync();
      return { ran, checkpoint: result ?? null, anchored: appended };
    } catch (e) {
      // Retrying cannot reconcile a database that lost checkpoints the anchor holds.
      if (e instanceof AnchorDisagreementError) throw new PermanentJobError(e.code, e.message);
      throw e;
    }
  }
}
