import { Logger, LoggerService } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptions, WorkerHeartbeat, workerHeartbeatKey } from '@carepact/queue';
import { testConfig } from '@carepact/testing';

/**
 * A normal start says nothing alarming (issue 13, item 10): the worker's heartbeat used to beat
 * before its Redis connection was up and logged "heartbeat failed" on every `npm start`.
 */
describe('worker heartbeat on a normal start', () => {
  const warnings: string[] = [];
  const sink: LoggerService = { log: () => undefined, error: (m: unknown) => warnings.push(String(m)), warn: (m: unknown) => warnings.push(String(m)) };
  const config = testConfig();
  const redis = new Redis(redisOptions(config.redis.url));
  let heartbeat: WorkerHeartbeat;

  beforeAll(() => Logger.overrideLogger(sink));
  afterAll(async () => {
    await heartbeat?.onModuleDestroy();
    redis.disconnect();
    Logger.overrideLogger(false);
  });

  it('the first beat lands once connected, with no warning', async () => {
    heartbeat = new WorkerHeartbeat(config);
    heartbeat.onApplicationBootstrap();
    const deadline = Date.now() + 10_000;
    while (!(await redis.exists(workerHeartbeatKey(config.redis.prefix))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse((await redis.get(workerHeartbeatKey(config.redis.prefix)))!)).toMatchObject({ pid: process.pid });
    expect(warnings).toEqual([]);
  });
});
