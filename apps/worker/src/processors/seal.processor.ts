import { Inject, Logger } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { OutboxService } from '@carepact/queue';
import { SigningJobsService } from '@carepact/signing';
import { JobHandlers, JobProcessor } from './job-processor';

/** Queue `seal`: final render (on the render pool), PAdES seal, storage, completion emails — once per request. */
@Processor('seal', { concurrency: 1 })
export class SealProcessor extends JobProcessor<'seal'> {
  protected readonly log = new Logger('SealProcessor');
  readonly queue = 'seal';
  readonly handlers: JobHandlers<'seal'> = {
    'signing.seal': {
      run: (d) => this.jobs.seal(d.outboxId, d.requestId),
      // Never silent: the request shows the failure (event, audit, staff e-mail, console, « À faire »)
      // in the transaction that marks the outbox row failed, and staff may start the seal again.
      failed: (em, row, d, failure) => this.jobs.sealFailed(em, row.id, row.organisationId, d.requestId, failure),
    },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jobs: SigningJobsService,
  ) {
    super(outbox, config);
  }
}
