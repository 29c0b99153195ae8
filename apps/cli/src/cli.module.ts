import { DynamicModule, Module } from '@nestjs/common';
import { ArchiveModule } from '@carepact/archive';
import { AuditModule } from '@carepact/audit';
import { AppConfig, ConfigModule } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { IdentityModule } from '@carepact/identity';
import { ResidentsModule } from '@carepact/residents';

@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ poolSize: 2 }), AuditModule, IdentityModule, ResidentsModule, ArchiveModule],
    };
  }
}
