/**
 * `npm run bench:pipeline [N]`: pushes N documents (default 500) through API → outbox → worker →
 * stored versions, with the api and the worker as real processes on a fresh database, and prints
 * documents/s, latency (request → version generated) median and p95, the worker's peak RSS
 * (VmHWM, main process and its render threads) and the number of stalled jobs. Targets (issue 3):
 * ≥ 6 bundles/s, worker RSS ≤ 400 MB, no job stalled.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { projectRoot } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD, loadConfig } from '@carepact/config';
import { redisOptions } from '@carepact/queue';
import { percentile } from './stats';

const root = projectRoot();

function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 500);
  const name = `carepact_bench_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  base.pathname = `/${name}`;
  const port = 3900 + Math.floor(Math.random() * 90);
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: base.toString(), PORT: String(port), QUEUE_PREFIX: name, WORKER_HEALTH_PORT: '0', OUTBOX_POLL_MS: '50' };
  const config = loadConfig(env);
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: 'inherit' });
  cli(['db:migrate']);
  cli(['seed:demo']);
  const procs: ChildProcess[] = [];
  const start = (script: string) => {
    const p = spawn(process.execPath, [join(root, script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    procs.push(p);
    return p;
  };
  const api = start('dist/apps/api/src/main.js');
  const worker = start('dist/apps/worker/src/main.js');
  const events = new QueueEvents('render', { connection: redisOptions(config.redis.url), prefix: config.redis.prefix });
  let stalled = 0;
  events.on('stalled', () => stalled++);
  const pg = new Client({ connectionString: base.toString() });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/health`)).status === 200) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admissions@les-tilleuls.example', password: process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const residents = (await (await fetch(`${url}/api/residents`, { headers: { Cookie: cookie } })).json()) as { id: string; firstName: string }[];
    const marcel = residents.find((r) => r.firstName === 'Marcel')!;
    const fixture = JSON.parse(readFileSync(join(root, 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
    const { resident: _key, ...data } = fixture.documents['contrat-sejour'];
    await pg.connect();

    const t0 = Date.now();
    let next = 0;
    const post = async () => {
      while (next < n) {
        const i = next++;
        // Each document differs (one more objective, with its easy-to-read counterpart), so each bundle is really rendered and stored.
        const objectives = [...((data.objectives as string[] | undefined) ?? []), `Objectif de banc d’essai n° ${i}.`];
        const objectivesFalc = [...((data.objectivesFalc as string[] | undefined) ?? []), `Vous avez un objectif : le numéro ${i}.`];
        const body = JSON.stringify({ residentId: marcel.id, type: 'contrat-sejour', data: { ...data, objectives, ...(data.objectivesFalc ? { objectivesFalc } : {}) } });
        const res = await fetch(`${url}/api/documents`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body });
        if (res.status !== 202) throw new Error(`POST /api/documents: ${res.status} ${await res.text()}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, post));
    const postedMs = Date.now() - t0;
    let done = 0;
    let peakRss = 0;
    for (;;) {
      peakRss = Math.max(peakRss, vmHwmMb(worker.pid!));
      const [{ ready, failed }] = (await pg.query(`SELECT count(*) FILTER (WHERE status = 'ready')::int AS ready, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM document_versions`)).rows;
      done = ready + failed;
      if (failed) throw new Error(`${failed} version(s) failed`);
      if (done >= n) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = (await pg.query(`SELECT extract(epoch FROM created_at) * 1000 AS c, extract(epoch FROM generated_at) * 1000 AS g FROM document_versions`)).rows as { c: number; g: number }[];
    const first = Math.min(...rows.map((r) => Number(r.c)));
    const last = Math.max(...rows.map((r) => Number(r.g)));
    const latencies = rows.map((r) => Number(r.g) - Number(r.c));
    const seconds = (last - first) / 1000;
    const [{ blobs, mb }] = (await pg.query(`SELECT count(*)::int AS blobs, (sum(byte_size) / 1048576.0)::numeric(10,1) AS mb FROM blobs`)).rows;
    console.log(`bench:pipeline — ${n} contrats de séjour through API → outbox → worker (${process.version}, ${availableParallelism()} cores)`);
    console.log(`  posted in ${(postedMs / 1000).toFixed(1)} s (8 concurrent clients, 202 each)`);
    console.log(`  throughput        ${(n / seconds).toFixed(2)} bundles/s (${n} bundles × 9 renditions in ${seconds.toFixed(1)} s)`);
    console.log(`  latency           median ${(percentile(latencies, 50) / 1000).toFixed(2)} s   p95 ${(percentile(latencies, 95) / 1000).toFixed(2)} s  (request → generated, queueing included)`);
    console.log(`  worker peak RSS   ${peakRss.toFixed(0)} MB (VmHWM)`);
    console.log(`  stalled jobs      ${stalled}`);
    console.log(`  stored            ${blobs} blobs, ${mb} MB`);
  } finally {
    await events.close();
    await pg.end().catch(() => undefined);
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))));
    const admin = new Client({ connectionString: (() => { const u = new URL(base); u.pathname = '/postgres'; return u.toString(); })() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    void api;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
