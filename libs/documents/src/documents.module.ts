import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { IdentityModule } from '@carepact/identity';
import { QueueModule } from '@carepact/queue';
import { ResidentsModule } from '@carepact/residents';
import { ANNEX_FILES_ENTITIES } from './annexes/annex-files.entities';
import { AnnexFilesRepository } from './annexes/annex-files.repository';
import { BlobStore } from './blob-store';
import { DocumentLifecycle } from './document-lifecycle.service';
import { BULK_ENTITIES } from './bulk/bulk-runs.entities';
import { BulkRunsService } from './bulk/bulk-runs.service';
import { DOCUMENTS_ENTITIES } from './documents.entities';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { GenerationChecks } from './generation-checks';

@Module({
  imports: [TypeOrmModule.forFeature([...DOCUMENTS_ENTITIES, ...BULK_ENTITIES, ...ANNEX_FILES_ENTITIES]), DatabaseModule, AuditModule, IdentityModule, ResidentsModule, QueueModule],
  providers: [DocumentsRepository, BlobStore, DocumentsService, DocumentLifecycle, BulkRunsService, AnnexFilesRepository, GenerationChecks],
  exports: [DocumentsService, BlobStore, DocumentsRepository, DocumentLifecycle, BulkRunsService, AnnexFilesRepository, GenerationChecks],
})
export class DocumentsModule {}
