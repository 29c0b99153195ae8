import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { RESIDENTS_ENTITIES } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import { ProtectionMeasuresService } from './protection-measures.service';
import { ResidentAccess } from './resident-access';
import { ResidentContactsService } from './resident-contacts.service';
import { ResidentViews } from './resident-views';
import { ResidentsService } from './residents.service';

@Module({
  imports: [TypeOrmModule.forFeature(RESIDENTS_ENTITIES), AuditModule, DatabaseModule],
  providers: [ResidentsRepository, ResidentAccess, ResidentViews, ResidentContactsService, ProtectionMeasuresService, ResidentsService],
  exports: [ResidentsService, ResidentContactsService, ProtectionMeasuresService],
})
export class ResidentsModule {}
