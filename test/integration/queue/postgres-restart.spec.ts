import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { projectRoot } from '@carepact/common';
import { runMigrations, ensureDatabaseExists } from '@carepact/database';
import { PrivatePostgres, PrivateRedis, envFor, freePort, testConfig, waitUntil } from '@carepact/testing';

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
});
