import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DocumentGenerator } from '@carepact/documents';
import { JobData, OutboxService, PermanentJobError } from '@carepact/queue';
import { RenderPool } from '@carepact/rendering';
import { Job, UnrecoverableError } from 'bullmq';
import { reportFailure } from './failure';

/** Queue `render`: document versions → 9 renditions, rendered on the thread pool. */
@Processor('render', { concurrency: 4 })
export class RenderProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('RenderProcessor');
  private readonly pool: RenderPool;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly generator: DocumentGenerator,
  ) {
    super();
    this.pool = new RenderPool(config.worker.renderThreads);
  }

  onApplicationBootstrap(): void {
    // Twice as many jobs in flight as threads: one renders while the other does its I/O.
    this.worker.concurrency = Math.max(2, this.pool.size * 2);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'documents.render': {
        const data = job.data as JobData<'documents.render'>;
        try {
          return await this.generator.generate(data.outboxId, data.versionId, (id, version, input, context) => this.pool.render(id, version, input, context));
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
