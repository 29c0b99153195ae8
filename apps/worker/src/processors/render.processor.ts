import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { BulkRunsService, DocumentGenerator } from '@carepact/documents';
import { OutboxService } from '@carepact/queue';
import { RenderPool } from '@carepact/rendering';
import { JobHandlers, JobProcessor } from './job-processor';

/** Queue `render`: document versions → 9 renditions, rendered on the thread pool; the chunks of bulk runs. */
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
    'documents.bulk': {
      run: (d) => this.bulk.processChunk(d.outboxId, d.runId),
      // The residents still pending are marked failed (to retry), the run ends: no bar stuck forever.
      failed: (em, _row, d, failure) => this.bulk.jobFailed(em, d.runId, failure.code),
    },
  };

  constructor(
    outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly generator: DocumentGenerator,
    private readonly bulk: BulkRunsService,
    private readonly pool: RenderPool,
  ) {
    super(outbox, config);
  }

  onApplicationBootstrap(): void {
    // Twice as many jobs in flight as threads: one renders while the other does its I/O.
    this.worker.concurrency = Math.max(2, this.pool.size * 2);
  }
}
