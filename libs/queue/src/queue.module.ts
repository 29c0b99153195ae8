import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUEUES } from './jobs';
import { OutboxEntity } from './outbox.entity';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { redisOptions } from './redis-options';
import { WorkerHeartbeat } from './heartbeat';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxEntity]), DatabaseModule],
  providers: [OutboxService],
  exports: [OutboxService],
})
export class QueueModule {
  /** Producers only need the outbox (PostgreSQL); the worker also gets BullMQ and the relay. */
  static forWorker(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        TypeOrmModule.forFeature([OutboxEntity]),
        DatabaseModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ connection: redisOptions(config.redis.url), prefix: config.redis.prefix }),
        }),
        ...QUEUES.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [OutboxService, OutboxRelay, WorkerHeartbeat],
      exports: [OutboxService, OutboxRelay, BullModule],
    };
  }
}
