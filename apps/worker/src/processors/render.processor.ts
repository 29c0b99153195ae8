import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DocumentGenerator } from '@carepact/documents';
import { OutboxService } from '@carepact/queue';
import { RenderPool } from '@carepact/rendering';
import { JobHandlers, JobProcessor } from './job-processor';

/** Queue `render`: document versions → 9 renditions, rendered on the thread pool. */
@Processor('render', { concurrency: 4 })
export class RenderProcessor extends JobProcessor<'render'> implements OnApplicationBootstrap {
  protected readonly log = new Logger('RenderProcessor');
  readonly queue = 'render';
  readonly handlers: JobHandlers<'render'> = {
    'documents.render': {
      run: (d) => this.generator.generate(d.outboxId, d.versionId),
      // The document shows "generation failed" (with a retry when its data are fine), never stays "generating".
      failed: (em, row, d, failure) => this.generator.generationFailed(em, row.organisationId, d.versionId, failure),
    },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly generator: DocumentGenerator,
    private readonly pool: RenderPool,
  ) {
    super(outbox, config);
  }

  onApplicationBootstrap(): void {
    // Twice as many jobs in flight as threads: one renders while the other does its I/O.
    this.worker.concurrency = Math.max(2, this.pool.size * 2);
  }
}
