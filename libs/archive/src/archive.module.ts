import { Module } from '@nestjs/common';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule } from '@carepact/documents';
import { SigningModule } from '@carepact/signing';
import { ArchiveExporter } from './archive-exporter.service';

/** Export side (database); verification needs no module: `verifyArchive` works from the zip alone. */
@Module({
  imports: [DatabaseModule, AuditModule, DocumentsModule, SigningModule],
  providers: [ArchiveExporter],
  exports: [ArchiveExporter],
})
export class ArchiveModule {}
