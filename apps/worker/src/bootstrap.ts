import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@carepact/config';
import { PinoNestLogger, createLogger } from '@carepact/common';
import { QUEUES } from '@carepact/queue';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createServer, Server } from 'node:http';
import { AnyJobProcessor } from './processors/job-processor';
import { WORKER_PROCESSORS, WorkerModule } from './worker.module';

export interface WorkerHandle {
  app: INestApplicationContext;
  probe: Server | null;
  close(): Promise<void>;
}

/** Starts the worker: processors, outbox relay, checkpoint scheduler, heartbeat and health probe. */
export async function startWorker(config: AppConfig, opts: { probe?: boolean; processors?: Type<AnyJobProcessor>[] } = {}): Promise<WorkerHandle> {
  const logger = createLogger(config.log.level, 'worker', config.log.format);
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config, opts.processors ?? WORKER_PROCESSORS), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  // Stop cleanly on SIGTERM (systemd, docker, the tests) and SIGINT (Ctrl-C) only, then exit 0 (the
  // logs and span totals flushed by the 'exit' event). Nest's default list also ends the process on
  // SIGUSR2, SIGHUP…: SIGUSR2 is what a heap snapshot or a profiler may use (docs/SCALE.md, session 15).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT', 'SIGHUP'], { useProcessExit: true });
  await app.init();
  let probe: Server | null = null;
  if (opts.probe !== false && config.worker.healthPort > 0) {
    const ds = app.get(DataSource);
    const queue = app.get<Queue>(getQueueToken(QUEUES[0]), { strict: false });
    probe = createServer((req, res) => {
      if (req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      void Promise.all([
        ds.query('SELECT 1').then(() => 'up', () => 'down'),
        queue.client.then((c) => (c as unknown as { ping(): Promise<string> }).ping()).then(() => 'up', () => 'down'),
      ]).then(([postgres, redis]) => {
        const ok = postgres === 'up' && redis === 'up';
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', postgres, redis }));
      });
    });
    probe.listen(config.worker.healthPort, '0.0.0.0');
  }
  return {
    app,
    probe,
    async close() {
      await new Promise<void>((r) => (probe ? probe.close(() => r()) : r()));
      await app.close();
    },
  };
}
