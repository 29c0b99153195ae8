import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@carepact/audit';
import { AppConfig, ConfigModule } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { IdentityModule } from '@carepact/identity';
import { ResidentsModule } from '@carepact/residents';
import { DocumentsModule } from '@carepact/documents';
import { BulkRunsController } from './documents/bulk-runs.controller';
import { DocumentsController } from './documents/documents.controller';
import { SigningModule } from '@carepact/signing';
import { ArchiveModule } from '@carepact/archive';
import { DocumentHistoryController } from './documents/document-history.controller';
import { RetentionController } from './archive/retention.controller';
import { DocumentVisaController } from './documents/document-visa.controller';
import { SoleSignatureController } from './documents/sole-signature.controller';
import { OtherParentController } from './documents/other-parent.controller';
import { SigningController } from './signing/signing.controller';
import { PortalActionsController } from './portal/portal-actions.controller';
import { PortalController } from './portal/portal.controller';
import { PortalPages } from './portal/portal-pages';
import { PortalSessionController } from './portal/portal-session.controller';
import { DevMailController, DevMailService } from './dev/dev-mail.controller';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { HealthController, HealthService } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console.controllers';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { StaffAuthGuard } from './http/auth.guard';
import { ResidentsController } from './residents/residents.controller';
import { StaffController } from './staff/staff.controller';
import { AnnexFilesController } from './staff/annex-files.controller';

/** The API only wires libs together: business rules live in libs. */
@Module({})
export class ApiModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), AuditModule, IdentityModule, ResidentsModule, DocumentsModule, SigningModule, ArchiveModule],
      controllers: [
        HomeController,
        HealthController,
        AuthController,
        StaffController,
        AnnexFilesController,
        ResidentsController,
        DocumentsController,
        BulkRunsController,
        DocumentHistoryController,
        RetentionController,
        DocumentVisaController,
        SoleSignatureController,
        OtherParentController,
        SigningController,
        AuditController,
        PortalSessionController,
        PortalController,
        PortalActionsController,
        ...CONSOLE_CONTROLLERS,
        // Development only: in production /dev/mail is not a route at all.
        ...(config.env === 'production' ? [] : [DevMailController]),
      ],
      providers: [
        HealthService,
        PortalPages,
        ...CONSOLE_PROVIDERS,
        DevMailService,
        { provide: APP_GUARD, useClass: StaffAuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
