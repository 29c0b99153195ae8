import { Foundation1763900000000 } from './1763900000000-foundation';
import { Documents1763910000000 } from './1763910000000-documents';
import { Signing1763920000000 } from './1763920000000-signing';
import { AuditCheckpointChain1763930000000 } from './1763930000000-audit-checkpoint-chain';
import { AuditSubjectIndex1763940000000 } from './1763940000000-audit-subject-index';
import { ResidentSearch1763941000000 } from './1763941000000-resident-search';
import { EstablishmentCategory1763942000000 } from './1763942000000-establishment-category';
import { PaperSignatures1763945000000 } from './1763945000000-paper-signatures';
import { WorklistDeadlines1763946000000 } from './1763946000000-worklist-deadlines';
import { Retention1763950000000 } from './1763950000000-retention';
import { StaffAccounts1763951000000 } from './1763951000000-staff-accounts';
import { AuditAppendFunction1763952000000 } from './1763952000000-audit-append-function';
import { DocumentVisas1763953000000 } from './1763953000000-document-visas';
import { BulkRuns1763954000000 } from './1763954000000-bulk-runs';
import { BlobLz41763960000000 } from './1763960000000-blob-lz4';
import { AuditAppendStatement1763970000000 } from './1763970000000-audit-append-statement';
import { SoleAuthorityProof1763980000000 } from './1763980000000-sole-authority-proof';
import { BulkRunRunningUnique1763990000000 } from './1763990000000-bulk-run-running-unique';
import { AnnexFiles1764000000000 } from './1764000000000-annex-files';
import { SoleSignatureAuthorisations1764010000000 } from './1764010000000-sole-signature-authorisations';
import { PurgeLaterTables1764030000000 } from './1764030000000-purge-later-tables';
import { SealedEditions1764060000000 } from './1764060000000-sealed-editions';
import { HolderConflictOfInterest1764070000000 } from './1764070000000-holder-conflict-of-interest';
import { MinorRepresentatives1764080000000 } from './1764080000000-minor-representatives';
import { IntermediateArchive1764090000000 } from './1764090000000-intermediate-archive';
import { HolderEstablishmentEmployee1764100000000 } from './1764100000000-holder-establishment-employee';
import { DocumentSubtype1764110000000 } from './1764110000000-document-subtype';
import { HolderMission1764120000000 } from './1764120000000-holder-mission';
import { DelegationForms1764140000000 } from './1764140000000-delegation-forms';
import { TariffAvenantSubtype1764150000000 } from './1764150000000-tariff-avenant-subtype';
import { Civility1764160000000 } from './1764160000000-civility';
import { AccessAnswer1764180000000 } from './1764180000000-access-answer';
import { ViewAccounts1764190000000 } from './1764190000000-view-accounts';
import { SoleAuthorityPartialDelegation1764210000000 } from './1764210000000-sole-authority-partial-delegation';
import { OtherParentInformed1764220000000 } from './1764220000000-other-parent-informed';
import { EstablishmentLegalStatus1764230000000 } from './1764230000000-establishment-legal-status';
import { ResidentDeath1764250000000 } from './1764250000000-resident-death';
import { DeathApartFromDeparture1764290000000 } from './1764290000000-death-apart-from-departure';

/** Applied in this order; each has a working `down`. Each migration grants its new tables to carepact_app. */
export const MIGRATIONS = [
  Foundation1763900000000,
  Documents1763910000000,
  Signing1763920000000,
  AuditCheckpointChain1763930000000,
  AuditSubjectIndex1763940000000,
  ResidentSearch1763941000000,
  EstablishmentCategory1763942000000,
  PaperSignatures1763945000000,
  WorklistDeadlines1763946000000,
  Retention1763950000000,
  StaffAccounts1763951000000,
  AuditAppendFunction1763952000000,
  DocumentVisas1763953000000,
  BulkRuns1763954000000,
  BlobLz41763960000000,
  AuditAppendStatement1763970000000,
  SoleAuthorityProof1763980000000,
  BulkRunRunningUnique1763990000000,
  AnnexFiles1764000000000,
  SoleSignatureAuthorisations1764010000000,
  PurgeLaterTables1764030000000,
  SealedEditions1764060000000,
  HolderConflictOfInterest1764070000000,
  MinorRepresentatives1764080000000,
  IntermediateArchive1764090000000,
  HolderEstablishmentEmployee1764100000000,
  DocumentSubtype1764110000000,
  HolderMission1764120000000,
  DelegationForms1764140000000,
  TariffAvenantSubtype1764150000000,
  Civility1764160000000,
  AccessAnswer1764180000000,
  ViewAccounts1764190000000,
  SoleAuthorityPartialDelegation1764210000000,
  OtherParentInformed1764220000000,
  EstablishmentLegalStatus1764230000000,
  ResidentDeath1764250000000,
  DeathApartFromDeparture1764290000000,
];
