import { Controller, Get, Inject, Injectable, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { redisOptions, workerHeartbeatKey } from '@carepact/queue';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import type { Response } from 'express';
import { Public } from '../http/auth.guard';

type State = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'degraded';
  postgres: State;
  redis: State;
  worker: State;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.redis = new Redis(redisOptions(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true }));
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  async check(): Promise<HealthReport> {
    const [postgres, redis, worker] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1'), 2000).then(() => 'up' as const, () => 'down' as const),
      withTimeout(this.redis.ping(), 2000).then(() => 'up' as const, () => 'down' as const),
      withTimeout(this.redis.exists(workerHeartbeatKey(this.config.redis.prefix)), 2000).then(
        (n) => (n === 1 ? ('up' as const) : ('down' as const)),
        () => 'down' as const,
      ),
    ]);
    const ok = postgres === 'up' && redis === 'up' && worker === 'up';
    return { status: ok ? 'ok' : 'degraded', postgres, redis, worker };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

@ApiTags('Exploitation')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'État de PostgreSQL, Redis et du worker (200, ou 503 si l’un est indisponible)' })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }
}
