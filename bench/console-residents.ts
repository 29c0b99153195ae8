/**
 * `npm run bench:console-residents`: the console's resident pages (issue 10: p95 ≤ 50 ms at 20
 * concurrent staff sessions, with the demo data and with 2,000 residents). The api runs as a real
 * process on a fresh database migrated and seeded with the demo establishment; 20 staff sessions
 * (the demo's admissions, coordination, direction and administration accounts, 5 logins each) take
 * turns on 20 connections. Each page for ~10 s: the list's first page, a search, a page further on
 * (keyset cursor), and Marcel Dupont's file. Then 2,000 residents (a third under a measure) are
 * added to the establishment and the pages measured again. Prints p50/p95/p99, requests/s, errors.
 *
 * BENCH_CONNECTIONS and BENCH_SECONDS change the load.
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
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
// autocannon ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const root = projectRoot();
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ACCOUNTS = ['admissions@les-tilleuls.example', 'coordination@les-tilleuls.example', 'direction@les-tilleuls.example', 'admin@jardins-du-val.example'];

/** CPU time of the api process (user + system, ms) from /proc: the figure that holds when other work shares the machine. */
function cpuMs(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (!pid || !existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Execution time of a query as PostgreSQL reports it (EXPLAIN ANALYZE), best of 5. */
async function sqlMs(pg: Client, sql: string, params: unknown[]): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const rows = (await pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows as { 'QUERY PLAN': { 'Execution Time': number }[] }[];
    best = Math.min(best, rows[0]['QUERY PLAN'][0]['Execution Time']);
  }
  return best;
}

function run(url: string, cookies: string[], seconds: number): Promise<{ result: AutocannonResult; latencies: number[]; statuses: Map<number, number> }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let turn = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        // Each request in the name of the next session: 20 sessions checked, as many staff members would.
        requests: [{ setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: cookies[turn++ % cookies.length] } }) }],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies, statuses })),
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
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: base.toString(), PORT: String(port), PUBLIC_URL: url, QUEUE_PREFIX: name, WORKER_HEALTH_PORT: '0' };
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  cli(['db:migrate']);
  cli(['seed:demo']);
  const procs: ChildProcess[] = [spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] })];
  const pg = new Client({ connectionString: base.toString() });
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/health`)).status < 500) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const cookies: string[] = [];
    for (let i = 0; i < 20; i++) {
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: ACCOUNTS[i % ACCOUNTS.length], password: process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`login: ${login.status}`);
      cookies.push((login.headers.get('set-cookie') ?? '').split(';')[0]);
    }
    await pg.connect();
    const [marcel] = (await pg.query(`SELECT id, organisation_id, establishment_id FROM residents WHERE last_name = 'Dupont' AND first_name = 'Marcel'`)).rows as {
      id: string;
      organisation_id: string;
      establishment_id: string;
    }[];

    const measure = async (label: string) => {
      const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM residents`)).rows as { n: number }[];
      const [middle] = (await pg.query(`SELECT id FROM residents ORDER BY carepact_fold(last_name) COLLATE "C", carepact_fold(first_name) COLLATE "C", id OFFSET $1 LIMIT 1`, [Math.floor(n / 2)])).rows as { id: string }[];
      console.log(`  ${label}: ${n} residents`);
      for (const [page, path] of [
        ['console home (for comparison)', '/console'],
        ['list, first page', '/console/residents'],
        ['list, search « dupont »', '/console/residents?q=dupont'],
        ['list, a page in the middle', `/console/residents?apres=${middle.id}`],
        ['file of Marcel Dupont', `/console/residents/${marcel.id}`],
      ] as const) {
        const check = await fetch(url + path, { headers: { cookie: cookies[0] } });
        if (check.status !== 200) throw new Error(`${path}: ${check.status}`);
        await run(url + path, cookies, 2); // warm-up
        const cpuBefore = cpuMs(procs[0].pid);
        const { result, latencies, statuses } = await run(url + path, cookies, SECONDS);
        const cpuAfter = cpuMs(procs[0].pid);
        const cpu = cpuBefore !== null && cpuAfter !== null && result.requests.total ? `   api CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(2)} ms/request` : '';
        const errors = result.errors + result.timeouts + result.non2xx;
        console.log(
          `    ${page.padEnd(30)} p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(latencies, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(latencies, 99)
            .toFixed(1)
            .padStart(6)} ms   ${result.requests.average.toFixed(0).padStart(5)} req/s   errors ${errors} (${[...statuses].map(([s, c]) => `${s}×${c}`).join(', ')})${cpu}`,
        );
      }
    };

    console.log(`bench:console-residents — ${CONNECTIONS} connections over 20 staff sessions, ${SECONDS} s per page, loopback (${process.version}, ${availableParallelism()} cores)`);
    await measure('demo data');
    // 2,000 more residents in the demo establishment, a third under a curatelle.
    await pg.query(
      `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, room, created_at, updated_at)
       SELECT $1, $2, (ARRAY['Jeanne','Louis','Émile','Marie','Zoé','André'])[1 + i % 6] || ' ' || i,
              (ARRAY['Martin','Bernard','Lefèvre','Thomas','Petit','Robert','Richard','Durand','Dubois','Moreau','Dupont'])[1 + i % 11] || '-' || i,
              '1940-01-01', '2024-01-01', 'permanent', (i % 300)::text, now(), now()
         FROM generate_series(1, 2000) i`,
      [marcel.organisation_id, marcel.establishment_id],
    );
    await pg.query(
      `WITH m AS (
         INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, general, acts, court, judgment_reference, judgment_date, end_date, judge_authorises_holder_alone, created_at, updated_at)
         SELECT organisation_id, id, 'curatelle', 'assistance', ARRAY['personne','biens'], true, ARRAY[]::text[], 'Tribunal judiciaire de Valville', 'RG ' || left(id::text, 8), '2024-01-01', '2029-01-01', false, now(), now()
           FROM residents WHERE last_name ~ '-[0-9]+$' AND (substring(last_name from '-([0-9]+)$')::int % 3) = 0
         RETURNING id, resident_id, organisation_id)
       SELECT count(*) FROM m`,
    );
    await pg.query('ANALYZE');
    await measure('with 2,000 more residents');
    // The list's queries alone, as PostgreSQL times them (the same SQL as ResidentsRepository).
    const fold = `r.search_name LIKE '%' || carepact_fold($3) || '%'`;
    const order = `ORDER BY carepact_fold(r.last_name) COLLATE "C", carepact_fold(r.first_name) COLLATE "C", r.id LIMIT 51`;
    const args = [marcel.organisation_id, marcel.establishment_id];
    console.log(`  SQL (PostgreSQL execution time, best of 5):`);
    for (const [label, sql, params] of [
      ['first page', `SELECT r.id FROM residents r WHERE r.organisation_id = $1 AND r.establishment_id = $2 ${order}`, args],
      ['count', `SELECT count(*) FROM residents r WHERE r.organisation_id = $1 AND r.establishment_id = $2`, args],
      ['search page « dupont »', `SELECT r.id FROM residents r WHERE r.organisation_id = $1 AND r.establishment_id = $2 AND ${fold} ${order}`, [...args, 'dupont']],
      ['search count « dupont »', `SELECT count(*) FROM residents r WHERE r.organisation_id = $1 AND r.establishment_id = $2 AND ${fold}`, [...args, 'dupont']],
    ] as const)
      console.log(`    ${label.padEnd(30)} ${(await sqlMs(pg, sql, [...params])).toFixed(2)} ms`);
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
