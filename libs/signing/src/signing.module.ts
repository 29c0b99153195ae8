import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { DocumentsModule } from '@carepact/documents';
import { IdentityModule } from '@carepact/identity';
import { QueueModule } from '@carepact/queue';
import { ResidentsModule } from '@carepact/residents';
import { precompileEmailTemplates } from '@carepact/notifications';
import { PadesSealer, SmtpMailer } from './requests/adapters';
import { EvidenceLog } from './requests/evidence-log';
import { PortalService } from './requests/portal.service';
import { SealedDownloadService } from './requests/sealed-download.service';
import { SignatureRequestsService } from './requests/signature-requests.service';
import { MAILER, SEALER, SigningJobsService } from './requests/signing-jobs.service';
import { SIGNING_ENTITIES } from './requests/signing.entities';
import { SigningRepository } from './requests/signing.repository';

@Module({
  imports: [TypeOrmModule.forFeature(SIGNING_ENTITIES), DatabaseModule, AuditModule, IdentityModule, ResidentsModule, DocumentsModule, QueueModule],
  providers: [SigningRepository, EvidenceLog, SignatureRequestsService, PortalService, SealedDownloadService],
  exports: [SigningRepository, EvidenceLog, SignatureRequestsService, PortalService, SealedDownloadService],
})
export class SigningModule {}

class SealWarmup implements OnApplicationBootstrap {
  constructor(@Inject(SEALER) private readonly sealer: PadesSealer) {}
  async onApplicationBootstrap(): Promise<void> {
    // Loads (or creates, in development) the establishment's certificate once, before any job,
    // and compiles every e-mail template: a broken template fails the start, not a send.
    await this.sealer.describe();
    precompileEmailTemplates();
  }
}

/** The worker's side: emails over SMTP and the PAdES seal. */
@Module({})
export class SigningWorkerModule {
  static register(): DynamicModule {
    return {
      module: SigningWorkerModule,
      imports: [SigningModule, DatabaseModule, DocumentsModule, QueueModule],
      providers: [
        { provide: MAILER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SmtpMailer(config) },
        { provide: SEALER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PadesSealer(config) },
        SealWarmup,
        SigningJobsService,
      ],
      exports: [SigningJobsService],
    };
  }
}
