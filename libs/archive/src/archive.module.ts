import { Module } from '@nestjs/common';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule } from '@carepact/documents';
import { IdentityModule } from '@carepact/identity';
import { SigningModule } from '@carepact/signing';
import { ArchiveExporter } from './archive-exporter.service';
import { DocumentHistoryService } from './history/document-history.service';
import { QueueModule } from '@carepact/queue';
import { AccessRequestExporter } from './access/access-request.exporter';
import { DataJobsService } from './jobs/data-jobs.service';
import { RetentionService } from './retention/retention.service';

/** Export side (database); verification needs no module: `verifyArchive` works from the zip alone. */
@Module({
  imports: [DatabaseModule, AuditModule, IdentityModule, DocumentsModule, SigningModule, QueueModule],
  providers: [ArchiveExporter, DocumentHistoryService, RetentionService, AccessRequestExporter, DataJobsService],
  exports: [ArchiveExporter, DocumentHistoryService, RetentionService, AccessRequestExporter, DataJobsService],
})
export class ArchiveModule {}
