import { ConsoleArchiveController } from './archive/archive.controller';
import { AccountLinksController } from './admin/account-links.controller';
import { ConsoleAdminController } from './admin/admin.controller';
import { AnnexFilesConsoleController } from './admin/annex-files.controller';
import { BulkConsoleController } from './bulk/bulk.controller';
import { ConsolePageCache } from './cache/console-page-cache';
import { AuditJournalController } from './audit/audit-journal.controller';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleHomeController } from './console-home.controller';
import { CorrectionController } from './documents/correction.controller';
import { DocumentHistoryPageController } from './documents/document-history.controller';
import { DocumentPageController } from './documents/document-page.controller';
import { NewDocumentController } from './documents/new-document.controller';
import { PaperUploadController } from './documents/paper-upload.controller';
import { VisaRulesController } from './documents/visa-rules.controller';
import { ConsoleResidentsController } from './residents/console-residents.controller';
import { ConservationController } from './retention/conservation.controller';

/** The staff console's routes (server-rendered French pages; same services and permissions as the API). */
export const CONSOLE_CONTROLLERS = [
  ConsoleAuthController,
  ConsoleHomeController,
  ConsoleResidentsController,
  NewDocumentController,
  DocumentPageController,
  CorrectionController,
  ConsoleAdminController,
  AnnexFilesConsoleController,
  AccountLinksController,
  AuditJournalController,
  DocumentHistoryPageController,
  PaperUploadController,
  ConsoleArchiveController,
  ConservationController,
  VisaRulesController,
  BulkConsoleController,
];

/** Providers the console's controllers need besides the libs' services. */
export const CONSOLE_PROVIDERS = [ConsolePageCache];
