import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { AuditModule } from '@carepact/audit';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { QueueModule } from '@carepact/queue';
import { RenderPool } from '@carepact/rendering';
import { DocumentGenerator } from './document-generator';
import { DocumentsModule } from './documents.module';

/** Closes the render threads when the application stops (after in-flight renders finish). */
@Injectable()
class RenderPoolCloser implements OnModuleDestroy {
  constructor(@Inject(RenderPool) private readonly pool: RenderPool) {}
  onModuleDestroy(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * The worker's side of documents: one RenderPool (WORKER_RENDER_THREADS threads) shared by the
 * document generator and the seal's final render, and the generator itself. The API never
 * renders, so it never starts the threads.
 */
@Module({
  imports: [DocumentsModule, DatabaseModule, AuditModule, QueueModule],
  providers: [{ provide: RenderPool, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new RenderPool(config.worker.renderThreads) }, RenderPoolCloser, DocumentGenerator],
  exports: [RenderPool, DocumentGenerator, DocumentsModule],
})
export class DocumentsWorkerModule {}
