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
import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import { cpuMs, load, loadErrors } from './load';
import { startStack } from './stack';
import { percentile } from './stats';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ACCOUNTS = ['admissions@les-tilleuls.example', 'coordination@les-tilleuls.example', 'direction@les-tilleuls.example', 'admin@jardins-du-val.example'];

async function sqlMs(pg: Client, sql: string, params: unknown[]): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const rows = (await pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows as { 'QUERY PLAN': { 'Execution Time': number }[] }[];
    best = Math.min(best, rows[0]['QUERY PLAN'][0]['Execution Time']);
  }
  return best;
}

async function main(): Promise<void> {
  const stack = await startStack({ worker: false });
  const { url, pg } = stack;
  try {
    const cookies: string[] = [];
    for (let i = 0; i < 20; i++) cookies.push(await stack.login(ACCOUNTS[i % ACCOUNTS.length]));
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
        await load(url + path, { connections: CONNECTIONS, seconds: 2, cookies }); // warm-up
        const cpuBefore = cpuMs(stack.api.pid);
        const run = await load(url + path, { connections: CONNECTIONS, seconds: SECONDS, cookies });
        const { result, latencies, statuses } = run;
        const cpuAfter = cpuMs(stack.api.pid);
        const cpu = cpuBefore !== null && cpuAfter !== null && result.requests.total ? `   api CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(2)} ms/request` : '';
        const errors = loadErrors(run);
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
    await stack.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
