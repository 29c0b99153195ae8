import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { AuthService } from './auth.service';
import { IDENTITY_ENTITIES } from './identity.entities';
import { IdentityRepository } from './identity.repository';
import { StaffService } from './staff.service';
import { AuditAccessService } from './audit-access.service';

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), AuditModule, DatabaseModule],
  providers: [IdentityRepository, AuthService, StaffService, AuditAccessService],
  exports: [AuthService, StaffService, IdentityRepository, AuditAccessService],
})
export class IdentityModule {}
