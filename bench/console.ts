/**
 * `npm run bench:console` (issue 10): the console's « À faire » and resident pages at 20 concurrent
 * staff sessions, p95 ≤ 50 ms, with the demo data and with 2,000 residents. The api runs as a real
 * process on a fresh database migrated and seeded with the demo establishment; 20 staff sessions
 * (the demo's admissions, coordination, direction and administration accounts, 5 logins each) take
 * turns on 20 connections. Each page for ~10 s: « À faire », the residents list's first page, a
 * search, a page further on (keyset cursor), and Marcel Dupont's file. Then 2,000 residents are added
 * to the establishment in SQL, with what gives « À faire » work: for most a signed contract, a signed
 * first avenant and a projet personnalisé whose version input is ~4 kB like a real snapshot; a
 * curatelle for one in three; 60 signature requests in progress — and the pages are measured again.
 * Prints p50/p95/p99, requests/s, the api's CPU per request (robust to other load on the machine),
 * errors; then the « À faire » worklist computed without the page cache (its cost on the first view
 * after each change) and the residents list's SQL alone.
 *
 * BENCH_CONNECTIONS and BENCH_SECONDS change the load; BENCH_PAGES picks pages (e.g. `list,file`).
 */
import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import { cpuMs, load, loadErrors } from './load';
import { startStack } from './stack';
import { percentile } from './stats';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const GOAL_P95_MS = 50;
/** BENCH_PAGES="list,file": only the pages whose label contains one of these words (to profile one). */
const PAGES = process.env.BENCH_PAGES ? process.env.BENCH_PAGES.split(',') : null;
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
        ['À faire', '/console'],
        ['list, first page', '/console/residents'],
        ['list, search « dupont »', '/console/residents?q=dupont'],
        ['list, a page in the middle', `/console/residents?apres=${middle.id}`],
        ['file of Marcel Dupont', `/console/residents/${marcel.id}`],
      ] as const) {
        if (PAGES && !PAGES.some((x) => page.includes(x))) continue;
        const check = await fetch(url + path, { headers: { cookie: cookies[0] } });
        if (check.status !== 200) throw new Error(`${path}: ${check.status}`);
        const bytes = (await check.arrayBuffer()).byteLength;
        await load(url + path, { connections: CONNECTIONS, seconds: 2, cookies }); // warm-up
        const cpuBefore = cpuMs(stack.api.pid);
        const run = await load(url + path, { connections: CONNECTIONS, seconds: SECONDS, cookies });
        const { result, latencies, statuses } = run;
        const cpuAfter = cpuMs(stack.api.pid);
        const cpu = cpuBefore !== null && cpuAfter !== null && result.requests.total ? `   api CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(2)} ms/request` : '';
        const errors = loadErrors(run);
        const p95 = percentile(latencies, 95);
        console.log(
          `    ${page.padEnd(30)} p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms (goal ≤ ${GOAL_P95_MS}${p95 <= GOAL_P95_MS ? ', met' : ', NOT met'})   p99 ${percentile(latencies, 99)
            .toFixed(1)
            .padStart(6)} ms   ${result.requests.average.toFixed(0).padStart(5)} req/s   ${(bytes / 1024).toFixed(0)} KiB   errors ${errors} (${[...statuses].map(([s, c]) => `${s}×${c}`).join(', ')})${cpu}`,
        );
      }
    };

    console.log(`bench:console — ${CONNECTIONS} connections over 20 staff sessions, ${SECONDS} s per page, loopback (${process.version}, ${availableParallelism()} cores)`);
    await measure('demo data');
    // 2,000 more residents in the demo establishment, admitted over the last four years.
    const org = marcel.organisation_id;
    const est = marcel.establishment_id;
    await pg.query(
      `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, room, created_at, updated_at)
       SELECT $1, $2, (ARRAY['Jeanne','Louis','Émile','Marie','Zoé','André'])[1 + i % 6] || ' ' || i,
              (ARRAY['Martin','Bernard','Lefèvre','Thomas','Petit','Robert','Richard','Durand','Dubois','Moreau','Dupont'])[1 + i % 11] || '-' || i,
              '1940-01-01', current_date - 200 - (i % 1500), 'permanent', (i % 300)::text, now(), now()
         FROM generate_series(1, 2000) i`,
      [org, est],
    );
    // For most of them a signed contract, a signed first avenant and a projet personnalisé (whose
    // version input is ~4 kB, like a real snapshot, with its review date), so that « À faire » has a
    // realistic mix of things due and not due.
    const filler = 'x'.repeat(3800);
    for (const [type, withInput] of [
      ['contrat-sejour', false],
      ['avenant', false],
      ['projet-personnalise', true],
    ] as const) {
      await pg.query(
        `WITH d AS (
           INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
           SELECT $1, $2, r.id, $3, 'signed', now() - ((row_number() OVER ()) % 330) * interval '1 day', now() FROM residents r
            WHERE r.establishment_id = $2 AND r.last_name ~ '-[0-9]+$' AND (abs(hashtext(r.id::text || $3)) % 100) < 96 RETURNING id, created_at)
         INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         SELECT $1, d.id, 1, 'Création', 'ready', $3, '1.2.0', 'h', 'r',
                CASE WHEN $4 THEN jsonb_build_object('document', jsonb_build_object('nextReview', (d.created_at + interval '11 months')::date::text, 'notes', $5::text)) ELSE '{}'::jsonb END,
                md5(d.id::text), d.created_at FROM d`,
        [org, est, type, withInput, filler],
      );
      await pg.query(`UPDATE documents d SET current_version_id = v.id FROM document_versions v WHERE v.document_id = d.id AND d.current_version_id IS NULL`);
    }
    // A third under a curatelle, ending between 100 days ago and in 900 days.
    await pg.query(
      `INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, general, acts, court, judgment_reference, judgment_date, end_date, judge_authorises_holder_alone, created_at, updated_at)
       SELECT organisation_id, id, 'curatelle', 'assistance', ARRAY['personne','biens'], true, ARRAY[]::text[], 'Tribunal judiciaire de Valville', 'RG ' || left(id::text, 8), '2024-01-01',
              current_date + (abs(hashtext(id::text)) % 1000) - 100, false, now(), now()
         FROM residents WHERE last_name ~ '-[0-9]+$' AND (substring(last_name from '-([0-9]+)$')::int % 3) = 0`,
    );
    // 60 contracts out for signature (the resident's turn; the director countersigns last).
    await pg.query(
      `WITH d AS (SELECT d.id, d.current_version_id FROM documents d JOIN residents r ON r.id = d.resident_id
                   WHERE d.establishment_id = $2 AND d.type = 'contrat-sejour' AND r.last_name ~ '-[0-9]+$' LIMIT 60),
       u AS (UPDATE documents SET status = 'in_signature' WHERE id IN (SELECT id FROM d)),
       r AS (INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
             SELECT $1, $2, d.id, d.current_version_id, 'h', 'p', 'active', 'sequential', now() + interval '20 days', '{3,7}', '{}', now() FROM d RETURNING id)
       INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
       SELECT r.id, k.key, k.role, 'Prénom', 'Nom', 'en son nom propre', 'CASF L.311-4', k.o, false, k.delivery, 'pending' FROM r,
              (VALUES ('resident', 'resident', 1, 'email'), ('director', 'director', 2, 'staff')) AS k(key, role, o, delivery)`,
      [org, est],
    );
    await pg.query('ANALYZE');
    await measure('with 2,000 more residents');
    // The first view of « À faire » after a change (the cache's miss): a resident's room changed
    // through the API (audited), then one GET, five times.
    const firstViews: number[] = [];
    for (let i = 0; i < 5; i++) {
      const patch = await fetch(`${url}/api/residents/${marcel.id}`, { method: 'PATCH', headers: { cookie: cookies[0], 'content-type': 'application/json' }, body: JSON.stringify({ room: `${110 + i}` }) });
      if (patch.status !== 200) throw new Error(`PATCH resident: ${patch.status} ${await patch.text()}`);
      const t0 = performance.now();
      const page = await fetch(`${url}/console`, { headers: { cookie: cookies[0] } });
      await page.text();
      firstViews.push(performance.now() - t0);
    }
    console.log(`  « À faire » first view after a change (computed, not cached), alone: median ${percentile(firstViews, 50).toFixed(1)} ms, max ${Math.max(...firstViews).toFixed(1)} ms`);
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
