import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@carepact/audit';
import { AppConfig, ConfigModule } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { QueueModule } from '@carepact/queue';
import { CheckpointScheduler } from './checkpoint-scheduler';
import { AuditProcessor } from './processors/audit.processor';
import { RenderProcessor } from './processors/render.processor';
import { DocumentsModule } from '@carepact/documents';
import { SigningWorkerModule } from '@carepact/signing';
import { NotifyProcessor } from './processors/notify.processor';
import { SealProcessor } from './processors/seal.processor';

/** No HTTP surface but the health probe (main.ts). One processor per queue. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forWorker(), AuditModule, DocumentsModule, SigningWorkerModule.register()],
      providers: [AuditProcessor, RenderProcessor, NotifyProcessor, SealProcessor, CheckpointScheduler],
    };
  }
}
