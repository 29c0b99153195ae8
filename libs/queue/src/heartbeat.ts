import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import Redis from 'ioredis';
import { redisOptions } from './redis-options';

export const HEARTBEAT_INTERVAL_MS = 5000;
export const HEARTBEAT_TTL_MS = 15000;

export function workerHeartbeatKey(prefix: string): string {
  return `${prefix}:worker:heartbeat`;
}

/** The worker says it is alive; `GET /health` reads it. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('WorkerHeartbeat');
  private redis: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    this.redis = new Redis(redisOptions(this.config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
    this.redis.on('error', () => undefined); // reconnects on its own; health reports the outage
    const beat = () =>
      void this.redis
        ?.set(workerHeartbeatKey(this.config.redis.prefix), JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), 'PX', HEARTBEAT_TTL_MS)
        .catch((e: Error) => this.log.warn(`heartbeat failed: ${e.message}`));
    // The beats start once connected: sent earlier (a slow start can take longer than one interval),
    // the offline queue being off, they only fail and warn on a normal start. Later failures are real outages.
    this.redis.once('ready', () => {
      beat();
      this.timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis?.del(workerHeartbeatKey(this.config.redis.prefix)).catch(() => undefined);
    this.redis?.disconnect();
  }
}
