import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@carepact/audit';
import { DatabaseModule } from '@carepact/database';
import { RESIDENTS_ENTITIES } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

@Module({
  imports: [TypeOrmModule.forFeature(RESIDENTS_ENTITIES), AuditModule, DatabaseModule],
  providers: [ResidentsRepository, ResidentsService],
  exports: [ResidentsService],
})
export class ResidentsModule {}
