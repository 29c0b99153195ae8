import type { RedisOptions } from 'ioredis';

/** ioredis options from REDIS_URL. Reconnects forever with a capped backoff: a Redis restart never ends a process. */
export function redisOptions(url: string, extra: Partial<RedisOptions> = {}): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 + times * 200, 5000),
    ...extra,
  };
}
