import { DynamicModule, Module, Type } from '@nestjs/common';
import { ArchiveModule } from '@carepact/archive';
import { AuditModule } from '@carepact/audit';
import { AppConfig, ConfigModule } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule, DocumentsWorkerModule } from '@carepact/documents';
import { QueueModule } from '@carepact/queue';
import { ACCOUNT_MAILER, AccountMailJobs, IdentityModule } from '@carepact/identity';
import { MAILER, SigningWorkerModule } from '@carepact/signing';
import { CheckpointScheduler } from './checkpoint-scheduler';
import { AuditProcessor } from './processors/audit.processor';
import { DataProcessor } from './processors/data.processor';
import { AnyJobProcessor, assertEveryJobHandled } from './processors/job-processor';
import { NotifyProcessor } from './processors/notify.processor';
import { RenderProcessor } from './processors/render.processor';
import { SealProcessor } from './processors/seal.processor';

/** One processor per queue. */
export const WORKER_PROCESSORS: Type<AnyJobProcessor>[] = [AuditProcessor, RenderProcessor, NotifyProcessor, SealProcessor, DataProcessor];

const JOB_HANDLERS_CHECKED = Symbol('JOB_HANDLERS_CHECKED');

/** No HTTP surface but the health probe (main.ts). */
@Module({})
export class WorkerModule {
  static register(config: AppConfig, processors: Type<AnyJobProcessor>[] = WORKER_PROCESSORS): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forWorker(), AuditModule, DocumentsModule, DocumentsWorkerModule, SigningWorkerModule.register(), IdentityModule, ArchiveModule],
      providers: [
        ...processors,
        // Account e-mails (invitations, password resets) go out through the same SMTP mailer as the others.
        { provide: ACCOUNT_MAILER, useExisting: MAILER },
        AccountMailJobs,
        CheckpointScheduler,
        // Checked when the processors are built, before any BullMQ worker exists: a job name of
        // the registry without a handler stops the start instead of failing its jobs one by one.
        { provide: JOB_HANDLERS_CHECKED, inject: processors, useFactory: (...instances: AnyJobProcessor[]) => (assertEveryJobHandled(instances), true) },
      ],
    };
  }
}
