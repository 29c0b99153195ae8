import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { AnchorDisagreementError, AuditAnchor, AuditService } from '@carepact/audit';
import { JobData, OutboxService } from '@carepact/queue';
import { Job, UnrecoverableError } from 'bullmq';
import { reportFailure } from './failure';

/**
 * Queue `audit`: the chained, signed checkpoints. Whatever chain a job names, the checkpoint
 * signs the heads of every chain (jobs enqueued per chain before issue 7 still work); the
 * scheduler now names the platform chain. The anchor file is written after the commit.
 */
@Processor('audit', { concurrency: 1 })
export class AuditProcessor extends WorkerHost {
  private readonly log = new Logger('AuditProcessor');

  constructor(
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly anchor: AuditAnchor,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'audit.checkpoint': {
        const data = job.data as JobData<'audit.checkpoint'>;
        const { ran, result } = await this.outbox.runOnce(data.outboxId, async (em, row) => {
          // Workers re-check that a job's ids belong to the organisation it was enqueued for.
          if (row.organisationId !== data.chainId) throw new UnrecoverableError('CHAIN_MISMATCH');
          const cp = await this.audit.checkpoint(em);
          return cp ? { seq: cp.seq, chains: cp.chains, moved: cp.moved } : null;
        });
        // Also on a redelivery (ran: false): a crash after the commit left the anchor behind.
        try {
          const { appended } = await this.anchor.sync();
          return { ran, checkpoint: result ?? null, anchored: appended };
        } catch (e) {
          // Retrying cannot reconcile a database that lost checkpoints the anchor holds.
          if (e instanceof AnchorDisagreementError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
          throw e;
        }
      }
      default:
        throw new UnrecoverableError(`UNKNOWN_JOB: ${job.name}`);
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    await reportFailure(this.outbox, this.log, job, error);
  }
}
