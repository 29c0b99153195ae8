import { Inject, Logger } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { DataJobsService } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { OutboxService } from '@carepact/queue';
import { JobHandlers, JobProcessor } from './job-processor';

/**
 * Queue `data`: archive packages, access requests (RGPD art. 15) and purge runs, one at a time
 * (they stream large files and walk whole establishments), their progress in `data_jobs`.
 */
@Processor('data', { concurrency: 1 })
export class DataProcessor extends JobProcessor<'data'> {
  protected readonly log = new Logger('DataProcessor');
  readonly queue = 'data';
  readonly handlers: JobHandlers<'data'> = {
    'data.run': {
      run: (d) => this.jobs.run(d.outboxId, d.dataJobId),
      // Shown as failed with its reason, never left « en cours ».
      failed: (em, _row, d, failure) => this.jobs.failed(em, d.dataJobId, `${failure.code}: ${failure.message}`),
    },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jobs: DataJobsService,
  ) {
    super(outbox, config);
  }
}
