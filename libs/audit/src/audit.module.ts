import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUDIT_ENTITIES } from './audit.entities';
import { AuditService } from './audit.service';
import { AuditVerifier } from './audit-verifier';
import { AuditAnchor } from './audit-anchor';
import { AuditLogService } from './audit-log.service';

@Module({
  imports: [TypeOrmModule.forFeature(AUDIT_ENTITIES)],
  providers: [AuditService, AuditVerifier, AuditAnchor, AuditLogService],
  exports: [AuditService, AuditVerifier, AuditAnchor, AuditLogService],
})
export class AuditModule {}
