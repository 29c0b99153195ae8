import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { AuditService } from '@carepact/audit';
import { JobData, OutboxService } from '@carepact/queue';
import { Job, UnrecoverableError } from 'bullmq';
import { reportFailure } from './failure';

/** Queue `audit`: signed checkpoints of chain heads. */
@Processor('audit', { concurrency: 1 })
export class AuditProcessor extends WorkerHost {
  private readonly log = new Logger('AuditProcessor');

  constructor(
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
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
          const cp = await this.audit.checkpoint(em, data.chainId);
          return cp ? { seq: cp.seq } : null;
        });
        return { ran, checkpoint: result ?? null };
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
