import { Module } from '@nestjs/common';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule } from '@carepact/documents';
import { IdentityModule } from '@carepact/identity';
import { SigningModule } from '@carepact/signing';
import { ArchiveExporter } from './archive-exporter.service';
import { DocumentHistoryService } from './history/document-history.service';

/** Export side (database); verification needs no module: `verifyArchive` works from the zip alone. */
@Module({
  imports: [DatabaseModule, AuditModule, IdentityModule, DocumentsModule, SigningModule],
  providers: [ArchiveExporter, DocumentHistoryService],
  exports: [ArchiveExporter, DocumentHistoryService],
})
export class ArchiveModule {}
