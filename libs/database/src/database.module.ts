import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { dataSourceOptions } from './data-source';
import { TransactionRunner } from './transaction';

@Module({ providers: [TransactionRunner], exports: [TransactionRunner] })
export class DatabaseModule {
  /** Once per app: the connection as the restricted application role, entities from each lib's forFeature. */
  static forRoot(opts: { poolSize?: number } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, { as: 'app', poolSize: opts.poolSize }),
            autoLoadEntities: true,
            retryAttempts: 20,
            retryDelay: 1500,
          }),
        }),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
