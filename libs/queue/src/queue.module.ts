import { BeforeApplicationShutdown, DynamicModule, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { safeErrorLog } from '@carepact/common';
import type { Queue } from 'bullmq';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUEUES } from './jobs';
import { OutboxEntity } from './outbox.entity';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { redisOptions } from './redis-options';
import { WorkerHeartbeat } from './heartbeat';

/**
 * A listener on every queue's 'error': a Redis outage, or a connection closed while the worker
 * stops, is logged (BullMQ reconnects on its own) instead of surfacing as an unhandled error event.
 */
@Injectable()
export class QueueErrorLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('Queues');
  private queues: Queue[] = [];
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.queues = QUEUES.map((name) => {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (e: Error) => this.log.warn({ queue: name, err: safeErrorLog(e) }, 'queue connection error'));
      return queue;
    });
  }

  /**
   * A process stopped right after it started (a test, a failed boot) closed its queues while their
   * connections were still being set up, and BullMQ then reported « Connection is closed » on a
   * connection nobody listened to. Closing waits (2 s at most) for them to be ready.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.race([Promise.allSettled(this.queues.map((q) => q.waitUntilReady())), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

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
      providers: [OutboxService, OutboxRelay, WorkerHeartbeat, QueueErrorLog],
      exports: [OutboxService, OutboxRelay, BullModule],
    };
  }
}
