import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule, DocumentsWorkerModule } from '@carepact/documents';
import { IdentityModule } from '@carepact/identity';
import { QueueModule } from '@carepact/queue';
import { ResidentsModule, ResidentsRepository } from '@carepact/residents';
import { precompileEmailTemplatesApart } from '@carepact/notifications';
import { RenderPool } from '@carepact/rendering';
import { PadesSealer, SmtpMailer } from './requests/adapters';
import { SigningLinks } from './links/signing-links.service';
import { PortalActionsService } from './portal/portal-actions.service';
import { PortalContextReader } from './portal/portal-context.reader';
import { PortalReadsService } from './portal/portal-reads.service';
import { PortalSessionService } from './portal/portal-session.service';
import { DipcOfferService } from './requests/dipc-offer.service';
import { EvidenceLog } from './requests/evidence-log';
import { RequestAccess } from './requests/request-access';
import { RequestViews } from './requests/request-views.service';
import { SealedDownloadService } from './requests/sealed-download.service';
import { PaperSignaturesService } from './paper/paper-signatures.service';
import { SignatureProgress } from './requests/signature-progress.service';
import { ContractInForce } from './requests/contract-in-force';
import { SignatureRequestsService } from './requests/signature-requests.service';
import { SignerActionsService } from './requests/signer-actions.service';
import { MAILER, SEALER, SigningJobsService } from './requests/signing-jobs.service';
import { SIGNING_ENTITIES } from './requests/signing.entities';
import { SigningRepository } from './requests/signing.repository';
import { WorklistRepository } from './worklist/worklist.repository';
import { WorklistService } from './worklist/worklist.service';
import { DocumentVisaService } from './visa/document-visa.service';
import { VISA_ENTITIES } from './visa/visa.entities';
import { SOLE_SIGNATURE_ENTITIES } from './sole-signature/sole-signature.entities';
import { SoleSignatureService } from './sole-signature/sole-signature.service';
import { OTHER_PARENT_ENTITIES } from './other-parent/other-parent.entities';
import { OtherParentService } from './other-parent/other-parent.service';
import { SealCertificateService } from './seal/seal-certificate-state';
import { AnnexFilesService } from './annexes/annex-files.service';
import { HolderConflictGenerationCheck } from './policy/holder-conflict-generation';

@Module({
  imports: [TypeOrmModule.forFeature([...SIGNING_ENTITIES, ...VISA_ENTITIES, ...SOLE_SIGNATURE_ENTITIES, ...OTHER_PARENT_ENTITIES]), DatabaseModule, AuditModule, IdentityModule, ResidentsModule, DocumentsModule, QueueModule],
  providers: [
    SigningRepository,
    EvidenceLog,
    SigningLinks,
    ContractInForce,
    SignatureProgress,
    RequestAccess,
    RequestViews,
    SignatureRequestsService,
    SignerActionsService,
    DipcOfferService,
    PortalContextReader,
    PortalSessionService,
    PortalReadsService,
    PortalActionsService,
    SealedDownloadService,
    PaperSignaturesService,
    WorklistRepository,
    WorklistService,
    DocumentVisaService,
    SoleSignatureService,
    OtherParentService,
    SealCertificateService,
    AnnexFilesService,
    // The holder's conflict of interest refused at generation too (C. civ. 451 al. 2, 454 al. 5, 455).
    HolderConflictGenerationCheck,
    // Names and reading preferences of the resident a request is about, read through the owner's
    // repository (ResidentsModule exports only its service, whose reads load the whole file).
    ResidentsRepository,
  ],
  exports: [
    SealCertificateService,
    AnnexFilesService,
    SigningRepository,
    EvidenceLog,
    SigningLinks,
    RequestViews,
    SignatureRequestsService,
    SignerActionsService,
    DipcOfferService,
    PortalSessionService,
    PortalReadsService,
    PortalActionsService,
    SealedDownloadService,
    PaperSignaturesService,
    WorklistService,
    DocumentVisaService,
    SoleSignatureService,
    OtherParentService,
    ResidentsRepository,
  ],
})
export class SigningModule {}

class SealWarmup implements OnApplicationBootstrap {
  constructor(@Inject(SEALER) private readonly sealer: PadesSealer) {}
  async onApplicationBootstrap(): Promise<void> {
    // Loads (or creates, in development) the establishment's certificate once, before any job,
    // and compiles every e-mail template: a broken template fails the start, not a send.
    await this.sealer.describe();
    await precompileEmailTemplatesApart();
  }
}

/** The worker's side: emails over SMTP and the PAdES seal (its final render on the worker's RenderPool). */
@Module({})
export class SigningWorkerModule {
  static register(): DynamicModule {
    return {
      module: SigningWorkerModule,
      imports: [SigningModule, DatabaseModule, DocumentsModule, DocumentsWorkerModule, IdentityModule, QueueModule],
      providers: [
        { provide: MAILER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SmtpMailer(config) },
        { provide: SEALER, inject: [APP_CONFIG, RenderPool], useFactory: (config: AppConfig, pool: RenderPool) => new PadesSealer(config, pool) },
        SealWarmup,
        SigningJobsService,
      ],
      exports: [SigningJobsService, MAILER],
    };
  }
}
