import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { QueueModule } from '@carepact/queue';
import { AccountsService } from './accounts.service';
import { AuthService } from './auth.service';
import { IDENTITY_ENTITIES } from './identity.entities';
import { IdentityRepository } from './identity.repository';
import { StaffService } from './staff.service';
import { AuditAccessService } from './audit-access.service';

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), AuditModule, DatabaseModule, QueueModule],
  providers: [IdentityRepository, AuthService, StaffService, AuditAccessService, AccountsService],
  exports: [AuthService, StaffService, IdentityRepository, AuditAccessService, AccountsService],
})
export class IdentityModule {}
