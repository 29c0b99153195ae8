import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { JobData, OutboxService, PermanentJobError } from '@carepact/queue';
import { SigningJobsService } from '@carepact/signing';
import { Job, UnrecoverableError } from 'bullmq';
import { reportFailure } from './failure';

/** Queue `notify`: invitations, reminders, expiry, staff notices, completion emails. */
@Processor('notify', { concurrency: 4 })
export class NotifyProcessor extends WorkerHost {
  private readonly log = new Logger('NotifyProcessor');

  constructor(
    private readonly outbox: OutboxService,
    private readonly jobs: SigningJobsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    try {
      switch (job.name) {
        case 'signing.invite': {
          const d = job.data as JobData<'signing.invite'>;
          return await this.jobs.invite(d.outboxId, d.signerId, d.reason === 'reminder' ? 'signature-reminder' : 'signature-invitation');
        }
        case 'signing.remind': {
          const d = job.data as JobData<'signing.remind'>;
          return await this.jobs.remind(d.outboxId, d.requestId, d.day);
        }
        case 'signing.expire': {
          const d = job.data as JobData<'signing.expire'>;
          return await this.jobs.expire(d.outboxId, d.requestId);
        }
        case 'notify.staff': {
          const d = job.data as JobData<'notify.staff'>;
          return await this.jobs.notifyStaff(d.outboxId, d.requestId, d.kind, d.signerId, d.failure);
        }
        case 'notify.completed': {
          const d = job.data as JobData<'notify.completed'>;
          return await this.jobs.notifyCompleted(d.outboxId, d.requestId, d.signerId);
        }
        default:
          throw new UnrecoverableError(`UNKNOWN_JOB: ${job.name}`);
      }
    } catch (e) {
      if (e instanceof PermanentJobError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw e;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    await reportFailure(this.outbox, this.log, job, error);
    const final = job && !(error instanceof UnrecoverableError) && job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final && job.name === 'signing.invite') await this.jobs.inviteGaveUp((job.data as JobData<'signing.invite'>).signerId).catch(() => undefined);
  }
}
