import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { projectRoot } from '@carepact/common';
import { runMigrations, ensureDatabaseExists } from '@carepact/database';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { PrivatePostgres, PrivateRedis, TEST_PASSWORD, contractData, curatelleResident, envFor, freePort, loginAgent, seedOrganisation, testConfig, waitUntil } from '@carepact/testing';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { startWorker } from '../../../apps/worker/src/bootstrap';
import { RenderProcessor } from '../../../apps/worker/src/processors/render.processor';

/** SECURITY-RELIABILITY.md: a PostgreSQL restart never crashes a process; work resumes when it returns. */
describe('PostgreSQL restart', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    redis = await PrivateRedis.start();
  }, 60000);
  afterAll(async () => {
    await redis?.stop();
    pg?.destroy();
  });

  it('the api and the worker survive PostgreSQL going away; /health says so; queued work completes after it returns', async () => {
    const url = pg.url.replace(/\/postgres$/, '/carepact');
    await ensureDatabaseExists(url);
    const port = await freePort();
    const config = testConfig({ DATABASE_URL: url, REDIS_URL: redis.url, PORT: String(port), OUTBOX_POLL_MS: '100', OUTBOX_RESWEEP_MS: '500' });
    await runMigrations(config);
    const env = envFor(config, { PORT: String(port), WORKER_HEALTH_PORT: '0', OUTBOX_POLL_MS: '100', OUTBOX_RESWEEP_MS: '500' });
    const procs = ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'].map((s) => spawn(process.execPath, [join(projectRoot(), s)], { env, stdio: 'ignore' }));
    const exited: boolean[] = [false, false];
    procs.forEach((p, i) => p.on('exit', () => (exited[i] = true)));
    const health = async () => (await fetch(`http://127.0.0.1:${port}/health`)).json() as Promise<{ postgres: string; worker: string }>;
    try {
      await waitUntil('api and worker up', async () => (await health()).worker === 'up' && (await health()).postgres === 'up', 30000);
      pg.stopServer();
      await waitUntil('health to report PostgreSQL down', async () => (await health()).postgres === 'down', 20000);
      await new Promise((r) => setTimeout(r, 2000));
      expect(exited).toEqual([false, false]);
      pg.startServer();
      await waitUntil('PostgreSQL back in health', async () => (await health()).postgres === 'up', 30000);
      // Work written after the restart is relayed and done (the relay's LISTEN reconnects, polling continues).
      const client = new Client({ connectionString: url });
      await client.connect();
      const chainId = randomUUID();
      await client.query(`INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES ($1, 0, $2, now())`, [chainId, '0'.repeat(64)]);
      await client.query(`INSERT INTO outbox (organisation_id, job_name, job_id, payload, created_at, available_at) VALUES ($1, 'audit.checkpoint', $2, $3, now(), now())`, [
        chainId,
        `audit.checkpoint__${chainId}`,
        JSON.stringify({ chainId }),
      ]);
      await waitUntil('the job to be done', async () => (await client.query(`SELECT done_at FROM outbox WHERE organisation_id = $1`, [chainId])).rows[0].done_at !== null, 30000);
      await client.end();
      expect(exited).toEqual([false, false]);
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))));
    }
  }, 120000);

  it('a render job that meets a PostgreSQL outage longer than its attempts window uses no attempt and completes after the restart', async () => {
    const url = pg.url.replace(/\/postgres$/, '/carepact_outage');
    await ensureDatabaseExists(url);
    // Backoff 200 ms: the 5 attempts of a render job used to be spent in about 3 s (0.2 + 0.4 + 0.8 + 1.6).
    const config = testConfig({ DATABASE_URL: url, REDIS_URL: redis.url, OUTBOX_POLL_MS: '100', JOB_BACKOFF_MS: '200', JOB_OUTAGE_RETRY_MS: '500' });
    await runMigrations(config);
    const api = await createApiApp(config);
    await api.init();
    let created: { id: string; versionId: string };
    try {
      const org = await seedOrganisation(api, 'outage');
      const agent = await loginAgent(api, org.users.admissions.email, TEST_PASSWORD);
      const residentId = (await agent.post('/api/residents').send(curatelleResident(org.establishmentId)).expect(201)).body.id;
      created = (
        await agent
          .post('/api/documents')
          .send({ residentId, type: 'contrat-sejour', data: contractData({ participation: { person: { presence: 'present' } } }) })
          .expect(202)
      ).body;
    } finally {
      await api.close();
    }
    const worker = await startWorker(config, { probe: false });
    const client = new Client({ connectionString: url });
    try {
      const render = worker.app.get(RenderProcessor).worker;
      await render.pause(true);
      const queue = worker.app.get<Queue>(getQueueToken('render'), { strict: false });
      await waitUntil('the relay to enqueue the render job', async () => (await queue.getJobCounts('waiting')).waiting === 1);
      const [job] = await queue.getJobs(['waiting']);

      pg.stopServer();
      render.resume();
      // Three times the old attempts window, PostgreSQL down: the job waits, no attempt used.
      await new Promise((r) => setTimeout(r, 9000));
      const during = (await queue.getJob(job.id!))!;
      expect(await during.getState()).not.toBe('failed');
      expect(during.attemptsMade).toBe(0);
      expect(during.attemptsStarted).toBeGreaterThan(1);
      pg.startServer();

      await client.connect();
      const statusOf = async () => ((await client.query(`SELECT status FROM documents WHERE id = $1`, [created.id])).rows[0] as { status: string }).status;
      await waitUntil('the document to be generated after the restart', async () => (await statusOf()) === 'ready', 40000);
      // The processor writes the document before BullMQ moves the job to completed: read the job's
      // hash only once it is completed, or its attempt count can be read from before the move.
      await waitUntil('BullMQ to move the job to completed', async () => (await queue.getJobState(job.id!)) === 'completed', 10000);
      const done = (await queue.getJob(job.id!))!;
      expect(done.attemptsMade).toBe(1); // the one attempt that succeeded (BullMQ counts it on completion)
      const { rows } = await client.query(`SELECT done_at, failed_at FROM outbox WHERE id = $1`, [(job.data as { outboxId: string }).outboxId]);
      expect(rows[0].done_at).not.toBeNull();
      expect(rows[0].failed_at).toBeNull();
    } finally {
      await client.end().catch(() => undefined);
      await worker.close();
    }
  }, 90000);
});
