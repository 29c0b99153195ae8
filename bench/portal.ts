/**
 * `npm run bench:portal`: the signing portal's landing page (GET /portail) and reading page
 * (GET /portail/document) under 200 concurrent connections on loopback, ~10 s each, with the api and
 * the worker as real processes on a fresh database seeded with the demo establishment. Prints
 * p50/p95/p99 latency, requests/s and errors per page. Target (issue 9): p95 ≤ 30 ms, 0 errors.
 *
 * The session is a real one: an in-person signing link (no e-mail needed) opened once; every
 * request carries its cookie and is checked by the portal like any other.
 *
 * Also prints the api's CPU time per request (from /proc), the figure that compares two builds when
 * other work shares the machine.
 *
 * BENCH_CONNECTIONS and BENCH_SECONDS change the load; BENCH_NODE_ARGS passes node flags to the api
 * and the worker (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { percentile } from './stats';

interface AutocannonResult {
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
// autocannon ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const root = projectRoot();
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/**
 * CPU time the api process used (user + system, ms), from /proc: on a machine shared with other
 * work, CPU per request compares two builds where latency cannot. Null where /proc is absent.
 */
function cpuMs(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (!pid || !existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function run(url: string, cookie: string, seconds: number): Promise<{ result: AutocannonResult; latencies: number[]; statuses: Map<number, number> }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie }, timeout: 10 }, (err, result) =>
      err ? reject(err) : resolve({ result, latencies, statuses }),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

async function main(): Promise<void> {
  const name = `carepact_bench_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  base.pathname = `/${name}`;
  const port = 3900 + Math.floor(Math.random() * 90);
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: base.toString(),
    PORT: String(port),
    PUBLIC_URL: url,
    QUEUE_PREFIX: name,
    WORKER_HEALTH_PORT: '0',
    OUTBOX_POLL_MS: '50',
  };
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  cli(['db:migrate']);
  cli(['seed:demo']);
  const procs: ChildProcess[] = [];
  const start = (script: string) => {
    const p = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), join(root, script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    procs.push(p);
    return p;
  };
  const api = start('dist/apps/api/src/main.js');
  start('dist/apps/worker/src/main.js');
  const pg = new Client({ connectionString: base.toString() });
  try {
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
    const staffCookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const staff = (path: string, init: RequestInit = {}) => fetch(url + path, { ...init, headers: { 'Content-Type': 'application/json', Cookie: staffCookie } });
    const residents = (await (await staff('/api/residents')).json()) as { id: string; firstName: string }[];
    const jeanne = residents.find((r) => r.firstName === 'Jeanne')!;
    const fixture = JSON.parse(readFileSync(join(root, 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
    const { resident: _key, ...data } = fixture.documents['contrat-sejour'];
    const created = await staff('/api/documents', { method: 'POST', body: JSON.stringify({ residentId: jeanne.id, type: 'contrat-sejour', data }) });
    if (created.status !== 202) throw new Error(`POST /api/documents: ${created.status} ${await created.text()}`);
    const { id: documentId } = (await created.json()) as { id: string };
    for (;;) {
      const doc = (await (await staff(`/api/documents/${documentId}`)).json()) as { status: string };
      if (doc.status === 'ready') break;
      if (doc.status === 'failed') throw new Error('document generation failed');
      await new Promise((r) => setTimeout(r, 100));
    }
    const request = await staff(`/api/documents/${documentId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Banc d’essai : délai légal de la personne de démonstration dépassé.' }) });
    if (request.status !== 201) throw new Error(`signature request: ${request.status} ${await request.text()}`);
    const { id: requestId, signers } = (await request.json()) as { id: string; signers: { id: string; role: string }[] };
    const resident = signers.find((s) => s.role === 'resident')!;
    const opened = (await (await staff(`/api/signature-requests/${requestId}/signers/${resident.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const link = await fetch(opened.url, { redirect: 'manual' });
    if (link.status !== 303) throw new Error(`opening the link: ${link.status}`);
    const cookie = (link.headers.get('set-cookie') ?? '').split(';')[0];
    for (const path of ['/portail', '/portail/document']) {
      const res = await fetch(url + path, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    }
    await pg.connect();
    const [{ before }] = (await pg.query(`SELECT count(*)::int AS before FROM signature_events WHERE request_id = $1`, [requestId])).rows as { before: number }[];

    console.log(`bench:portal — ${CONNECTIONS} connections, ${SECONDS} s per page, loopback (${process.version}, ${availableParallelism()} cores)`);
    for (const [label, path] of [
      ['landing  GET /portail', '/portail'],
      ['reading  GET /portail/document', '/portail/document'],
    ] as const) {
      await run(url + path, cookie, 2); // warm-up
      const cpuBefore = cpuMs(api.pid);
      const { result, latencies, statuses } = await run(url + path, cookie, SECONDS);
      const cpuAfter = cpuMs(api.pid);
      const cpu = cpuBefore !== null && cpuAfter !== null && result.requests.total ? `   api CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(2)} ms/request` : '';
      const errors = result.errors + result.timeouts + result.non2xx;
      console.log(
        `  ${label.padEnd(32)} p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(latencies, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(latencies, 99)
          .toFixed(1)
          .padStart(6)} ms   ${result.requests.average.toFixed(0).padStart(6)} req/s   ${result.requests.total} requests   errors ${errors} (${[...statuses]
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')})${cpu}`,
      );
    }
    const [{ after }] = (await pg.query(`SELECT count(*)::int AS after FROM signature_events WHERE request_id = $1`, [requestId])).rows as { after: number }[];
    console.log(`  evidence events written during the run: ${after - before} (reading again records nothing)`);
  } finally {
    await pg.end().catch(() => undefined);
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))));
    const admin = new Client({
      connectionString: (() => {
        const u = new URL(base);
        u.pathname = '/postgres';
        return u.toString();
      })(),
    });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
