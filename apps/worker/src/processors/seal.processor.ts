import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { JobData, OutboxService, PermanentJobError } from '@carepact/queue';
import { SigningJobsService } from '@carepact/signing';
import { Job, UnrecoverableError } from 'bullmq';
import { reportFailure } from './failure';

/** Queue `seal`: final render, PAdES seal, storage, completion emails — once per request. */
@Processor('seal', { concurrency: 1 })
export class SealProcessor extends WorkerHost {
  private readonly log = new Logger('SealProcessor');

  constructor(
    private readonly outbox: OutboxService,
    private readonly jobs: SigningJobsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'signing.seal': {
        const d = job.data as JobData<'signing.seal'>;
        try {
          return await this.jobs.seal(d.outboxId, d.requestId);
        } catch (e) {
          if (e instanceof PermanentJobError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
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
