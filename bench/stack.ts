import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD, WORKER_NODE_FLAGS } from '@carepact/config';
import { freePort } from './free-port';

/**
 * The product as the benches measure it: a fresh database seeded with the demo establishment, the
 * compiled api (and worker) as real processes on a random port, a PostgreSQL client on the same
 * database. `stop()` ends the processes and drops the database.
 */
export interface BenchStack {
  url: string;
  env: NodeJS.ProcessEnv;
  api: ChildProcess;
  /** The worker process, when started. */
  worker: ChildProcess | null;
  pg: Client;
  /** A staff session cookie (`name=value`) for a demo account. */
  login(email: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(o: { worker: boolean; env?: Record<string, string> }): Promise<BenchStack> {
  const root = projectRoot();
  const name = `carepact_bench_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  base.pathname = `/${name}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: base.toString(), PORT: String(port), PUBLIC_URL: url, QUEUE_PREFIX: name, WORKER_HEALTH_PORT: '0', ...o.env };
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  cli(['db:migrate']);
  cli(['seed:demo']);
  // BENCH_NODE_ARGS passes node flags to the processes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const start = (script: string, flags: readonly string[] = []) => spawn(process.execPath, [...nodeArgs, ...flags, join(root, script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const api = start('dist/apps/api/src/main.js');
  const worker = o.worker ? start('dist/apps/worker/src/main.js', WORKER_NODE_FLAGS) : null;
  const procs: ChildProcess[] = [api, ...(worker ? [worker] : [])];
  const pg = new Client({ connectionString: base.toString() });
  const stop = async () => {
    await pg.end().catch(() => undefined);
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))));
    const admin = new Client({ connectionString: new URL('/postgres', base).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  try {
    // Without a worker /health answers 503 (worker missing): any answer below 500 or a 503 means the api is up.
    for (let i = 0; i < 200; i++) {
      try {
        const status = (await fetch(`${url}/health`)).status;
        if (o.worker ? status === 200 : status < 500 || status === 503) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await pg.connect();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    env,
    api,
    worker,
    pg,
    async login(email) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0];
    },
    stop,
  };
}
