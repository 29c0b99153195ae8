import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuditService } from '@carepact/audit';
import { projectRoot } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { OutboxService, redisOptions } from '@carepact/queue';
import { PrivateRedis, TestDatabase, createTestDatabase, envFor, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { AuditProcessor } from '../../../apps/worker/src/processors/audit.processor';

/** Creates `n` audit chains with one event each, and one checkpoint job per chain through the outbox. */
async function produce(tx: TransactionRunner, audit: AuditService, outbox: OutboxService, n: number): Promise<string[]> {
  const chains: string[] = [];
  for (let i = 0; i < n; i++) {
    const chainId = randomUUID();
    chains.push(chainId);
    await tx.run(async (em) => {
      await audit.append(em, { chainId, actor: { type: 'system', id: 'test' }, action: 'test.event' });
      await outbox.enqueue(em, 'audit.checkpoint', { chainId }, { key: `${chainId}_test`, organisationId: chainId });
    });
  }
  return chains;
}

/** ARCHITECTURE.md: "a lost Redis (restart without persistence, flush) loses no work". */
describe('outbox → BullMQ: pending work survives a lost Redis and is done exactly once', () => {
  let redis: PrivateRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    db = await createTestDatabase({
      REDIS_URL: redis.url,
      OUTBOX_POLL_MS: '100',
      OUTBOX_RESWEEP_MS: '500',
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600',
    });
  });
  afterAll(async () => {
    await redis?.stop();
    await db?.drop();
  });

  it('after FLUSHALL, every pending job is re-enqueued and its work done once', async () => {
    const worker: WorkerHandle = await startWorker(db.config, { probe: false });
    try {
      const app = worker.app;
      const bullWorker = app.get(AuditProcessor).worker;
      await bullWorker.pause(true);
      const chains = await produce(app.get(TransactionRunner), app.get(AuditService), app.get(OutboxService), 20);
      const ds = app.get(DataSource);
      const queue = app.get<Queue>(getQueueToken('audit'), { strict: false });
      await waitUntil('the relay to enqueue every row', async () => {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE enqueued_at IS NULL`);
        return n === 0;
      });
      expect((await queue.getJobCounts('waiting')).waiting).toBe(20);

      // Every queued job is gone. (No count right after: the relay's resweep may already be
      // re-adding them under load; `enqueue_count >= 2` below proves they were re-enqueued.)
      await redis.flushAll();
      bullWorker.resume();

      await waitUntil('every outbox row to be done', async () => {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL`);
        return n === 0;
      });
      const rows = (await ds.query(`SELECT enqueue_count, failed_at FROM outbox`)) as { enqueue_count: number; failed_at: Date | null }[];
      expect(rows.every((r) => r.enqueue_count >= 2 && r.failed_at === null)).toBe(true);
      const perChain = (await ds.query(`SELECT chain_id, count(*)::int AS n FROM audit_checkpoints GROUP BY chain_id`)) as { chain_id: string; n: number }[];
      expect(perChain.map((r) => r.chain_id).sort()).toEqual([...chains].sort());
      expect(perChain.every((r) => r.n === 1)).toBe(true);

      // A second delivery of the same work (at-least-once) changes nothing.
      const [row] = (await ds.query(`SELECT id, payload FROM outbox LIMIT 1`)) as { id: string; payload: { chainId: string } }[];
      const dup = await queue.add('audit.checkpoint', { ...row.payload, outboxId: row.id }, { jobId: `duplicate-${row.id}` });
      await waitUntil('the duplicate to complete', async () => (await dup.getState()) === 'completed');
      expect((await queue.getJob(dup.id!))?.returnvalue).toMatchObject({ ran: false });
      const [{ total }] = await ds.query(`SELECT count(*)::int AS total FROM audit_checkpoints`);
      expect(total).toBe(20);
    } finally {
      await worker.close();
    }
  });

  it('a job left in BullMQ’s failed set with its outbox row unmarked (the failure could not be written) is retried by the resweep, and its work done once', async () => {
    const worker: WorkerHandle = await startWorker(db.config, { probe: false });
    const intruder = { worker: null as Worker | null };
    try {
      const app = worker.app;
      const ds = app.get(DataSource);
      const queue = app.get<Queue>(getQueueToken('audit'), { strict: false });
      await app.get(AuditProcessor).worker.pause(true);
      const [chainId] = await produce(app.get(TransactionRunner), app.get(AuditService), app.get(OutboxService), 1);
      const rowOf = async () =>
        ((await ds.query(`SELECT id, job_id, done_at, failed_at, enqueue_count FROM outbox WHERE organisation_id = $1`, [chainId])) as {
          id: string;
          job_id: string;
          done_at: Date | null;
          failed_at: Date | null;
          enqueue_count: number;
        }[])[0];
      await waitUntil('the relay to enqueue the row', async () => (await rowOf()).enqueue_count === 1);
      // The job's last attempt fails and nothing records it (as when PostgreSQL was down at that
      // moment): another consumer of the queue fails it without touching the outbox.
      const failing = new Worker(
        'audit',
        async (): Promise<unknown> => {
          throw new UnrecoverableError('simulated: the failure could not be recorded');
        },
        { connection: redisOptions(db.config.redis.url), prefix: db.config.redis.prefix },
      );
      intruder.worker = failing;
      const { job_id } = await rowOf();
      await waitUntil('the job to sit in the failed set', async () => (await queue.getJobState(job_id)) === 'failed');
      await failing.close();
      intruder.worker = null;
      expect(await rowOf()).toMatchObject({ done_at: null, failed_at: null });

      app.get(AuditProcessor).worker.resume();
      await waitUntil('the resweep to revive the job and the work to be done', async () => (await rowOf()).done_at !== null, 20000);
      const row = await rowOf();
      expect(row.failed_at).toBeNull();
      expect(row.enqueue_count).toBe(2);
      // The row is marked done inside the handler; BullMQ moves the job to completed once it returns.
      await waitUntil('BullMQ to record the job completed', async () => (await queue.getJobState(job_id)) === 'completed');
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_checkpoints WHERE chain_id = $1`, [chainId]);
      expect(n).toBe(1);
    } finally {
      await intruder.worker?.close();
      await worker.close();
    }
  });

  it('a Redis restart without persistence does not crash the worker process; work resumes when Redis returns', async () => {
    const child: ChildProcess = spawn(process.execPath, [join(projectRoot(), 'dist/apps/worker/src/main.js')], {
      env: envFor(db.config, { OUTBOX_POLL_MS: '100', OUTBOX_RESWEEP_MS: '500', AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600', WORKER_HEALTH_PORT: '0' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let exited = false;
    child.on('exit', () => (exited = true));
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await redis.stop();
      // Work arrives while Redis is down.
      const chains: string[] = [];
      for (let i = 0; i < 5; i++) {
        const chainId = randomUUID();
        chains.push(chainId);
        await ds.transaction(async (em) => {
          await em.query(`INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES ($1, 0, $2, now())`, [chainId, '0'.repeat(64)]);
        });
      }
      // Chains with an empty head: the handler finds nothing to sign and still completes its row once.
      for (const chainId of chains)
        await ds.query(
          `INSERT INTO outbox (organisation_id, job_name, job_id, payload, created_at, available_at) VALUES ($1, 'audit.checkpoint', $2, $3, now(), now())`,
          [chainId, `audit.checkpoint__${chainId}_restart`, JSON.stringify({ chainId })],
        );
      await new Promise((r) => setTimeout(r, 1500));
      expect(exited).toBe(false);
      await redis.startProcess();
      await waitUntil('the outbox rows to be done after Redis returns', async () => {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id LIKE '%_restart' AND done_at IS NULL`);
        return n === 0;
      });
      expect(exited).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await ds.destroy();
    }
  });
});
