import { Inject, Logger } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { OutboxService } from '@carepact/queue';
import { AccountMailJobs } from '@carepact/identity';
import { SigningJobsService } from '@carepact/signing';
import { JobHandlers, JobProcessor } from './job-processor';

/** Queue `notify`: invitations, reminders, expiry, staff notices, completion and cancellation emails, account e-mails (password links). */
@Processor('notify', { concurrency: 4 })
export class NotifyProcessor extends JobProcessor<'notify'> {
  protected readonly log = new Logger('NotifyProcessor');
  readonly queue = 'notify';
  readonly handlers: JobHandlers<'notify'> = {
    'signing.invite': {
      run: (d) => this.jobs.invite(d.outboxId, d.signerId, d.reason === 'reminder' ? 'signature-reminder' : d.reason === 'answer' ? 'question-answered' : 'signature-invitation'),
      // Every attempt failed (a refused address is handled by the job itself): staff are told.
      gaveUp: async (d, failure) => {
        if (failure.kind !== 'permanent') await this.jobs.inviteGaveUp(d.signerId);
      },
    },
    'signing.remind': { run: (d) => this.jobs.remind(d.outboxId, d.requestId, d.day) },
    'signing.expire': { run: (d) => this.jobs.expire(d.outboxId, d.requestId) },
    'notify.staff': { run: (d) => this.jobs.notifyStaff(d.outboxId, d.requestId, d.kind, d.signerId, d.failure) },
    'notify.completed': { run: (d) => this.jobs.notifyCompleted(d.outboxId, d.requestId, d.signerId) },
    'notify.cancelled': { run: (d) => this.jobs.notifyCancelled(d.outboxId, d.requestId, d.signerId, d.departure, d.otherContractSigned === true, d.death === true) },
    'account.mail': {
      run: (d) => this.accounts.send(d.outboxId, d.userId, d.purpose, d.invitedBy),
      // A refused address is recorded by the job itself; every attempt failing is recorded here.
      failed: async (em, _row, d, failure) => {
        if (failure.kind !== 'permanent') await this.accounts.failedForGood(em, d.userId, d.purpose);
      },
    },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jobs: SigningJobsService,
    private readonly accounts: AccountMailJobs,
  ) {
    super(outbox, config);
  }
}
