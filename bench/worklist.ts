/**
 * `npm run bench:worklist`: the console's « À faire » page (GET /console, WorklistService) with
 * 2,000 residents in one establishment, 20 concurrent staff sessions on loopback for ~10 s, the api in
 * this process on a fresh database. Prints p50/p95/p99 latency and requests/s. Target (issue 10):
 * p95 ≤ 50 ms.
 *
 * The data are written in SQL (no rendering): per resident a signed contract (most), a signed first
 * avenant (most), a projet personnalisé whose version input is ~4 kB like a real snapshot, a protection
 * measure for one in three, and 60 requests in progress. BENCH_RESIDENTS, BENCH_SECONDS and
 * BENCH_CONNECTIONS change the load.
 */
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createTestDatabase, seedOrganisation, TEST_PASSWORD } from '@carepact/testing';
import { createApiApp } from '../apps/api/src/bootstrap';
import { INestApplication } from '@nestjs/common';
import { AuthService } from '@carepact/identity';
import { SigningRepository, WorklistRepository, WorklistService } from '@carepact/signing';
import { percentile, timeRuns } from './stats';

interface AutocannonResult {
  requests: { average: number; total: number };
  errors: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

async function seed(ds: DataSource, org: string, est: string): Promise<void> {
  const filler = 'x'.repeat(3800);
  await ds.query(
    `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, created_at, updated_at)
     SELECT $1, $2, 'Prénom' || i, 'Nom' || i, date '1940-01-01' + (i % 3000), current_date - 200 - (i % 1500), 'permanent', now(), now() FROM generate_series(1, $3) i`,
    [org, est, RESIDENTS],
  );
  const docs = async (type: string, status: string, modulo: number, withInput: boolean) => {
    await ds.query(
      `WITH d AS (
         INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
         SELECT $1, $2, r.id, $3, $4, now() - ((row_number() OVER ()) % 330) * interval '1 day', now() FROM residents r
          WHERE r.establishment_id = $2 AND (abs(hashtext(r.id::text || $3)) % 100) < $5 * 10 - (CASE WHEN $5 = 10 THEN 4 ELSE 0 END) RETURNING id, created_at)
       , v AS (
         INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         SELECT $1, d.id, 1, 'Création', 'ready', $3, '1.1.0', 'h', 'r',
                CASE WHEN $6 THEN jsonb_build_object('document', jsonb_build_object('nextReview', (d.created_at + interval '11 months')::date::text, 'notes', $7::text)) ELSE '{}'::jsonb END,
                md5(d.id::text), d.created_at FROM d RETURNING id)
       SELECT count(*) FROM v`,
      [org, est, type, status, modulo, withInput, filler],
    );
    // A data-modifying CTE's rows are not visible to its own statement: the link is a second one.
    await ds.query(`UPDATE documents d SET current_version_id = v.id FROM document_versions v WHERE v.document_id = d.id AND d.current_version_id IS NULL`);
  };
  await docs('contrat-sejour', 'signed', 10, false);
  await docs('avenant', 'signed', 10, false);
  await docs('projet-personnalise', 'signed', 10, true);
  await ds.query(
    `INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, acts, court, judgment_reference, judgment_date, end_date, created_at, updated_at)
     SELECT $1, r.id, 'curatelle', 'assistance', '{personne,biens}', '{}', 'TJ', 'RG', date '2024-01-01', current_date + (abs(hashtext(r.id::text)) % 1000) - 100, now(), now()
       FROM residents r WHERE r.establishment_id = $2 AND abs(hashtext(r.id::text)) % 3 = 0`,
    [org, est],
  );
  await ds.query(
    `WITH d AS (SELECT id, current_version_id FROM documents WHERE establishment_id = $2 AND type = 'contrat-sejour' LIMIT 60),
     r AS (INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
           SELECT $1, $2, d.id, d.current_version_id, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', '{}', now() FROM d RETURNING id)
     INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status)
     SELECT r.id, k.key, k.role, 'Prénom', 'Nom', 'en son nom propre', 'CASF', k.o, false, k.delivery, 'pending' FROM r,
            (VALUES ('resident', 'resident', 1, 'email'), ('director', 'director', 2, 'staff')) AS k(key, role, o, delivery)`,
    [org, est],
  );
  await ds.query('ANALYZE');
}

/** Where one request's time goes: each query alone, the whole service, the whole page (median of 10). */
async function profile(app: INestApplication, cookie: string, url: string): Promise<void> {
  const actor = await app.get(AuthService).authenticate(decodeURIComponent(cookie.split('=')[1]));
  if (!actor) throw new Error('no actor');
  const repo = app.get(WorklistRepository);
  const em = app.get(DataSource).manager;
  const est = actor.roles.map((r) => r.establishmentId);
  const today = new Date().toISOString().slice(0, 10);
  const parts: [string, () => Promise<unknown>][] = [
    ['residents', () => repo.residentDeadlines(em, actor.organisationId, est, today, { avenantAdmittedBy: today, projetAdmittedBy: today, projetDatedBy: today, reviewBy: today })],
    ['measures', () => repo.measuresEnding(em, actor.organisationId, est, today, '2027-03-01')],
    ['requests', () => app.get(SigningRepository).activeRequests(em, actor.organisationId, est)],
    ['refusals', () => repo.refusals(em, actor.organisationId, est)],
    ['questions', () => repo.questions(em, actor.organisationId, est)],
    ['failed', () => repo.failedGenerations(em, actor.organisationId, est)],
    ['service', () => app.get(WorklistService).forActor(actor)],
    ['page', () => fetch(`${url}/console`, { headers: { Cookie: cookie } }).then((r) => r.text())],
  ];
  for (const [name, f] of parts) console.log(`${name.padEnd(10)} median ${percentile(await timeRuns(10, 2, f), 50).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const app = await createApiApp(db.config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    const org = await seedOrganisation(app, 'bench');
    const owner = new DataSource({ type: 'postgres', url: db.url });
    await owner.initialize();
    const t0 = Date.now();
    await seed(owner, org.organisationId, org.establishmentId);
    await owner.destroy();
    console.log(`${RESIDENTS} residents seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: org.users.admissions.email, password: TEST_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${url}/console`, { headers: { Cookie: cookie } });
    const html = await page.text();
    console.log(`GET /console: ${page.status}, ${html.length} bytes, ${(html.match(/<li class="todo/g) ?? []).length} items shown; ${/(\d+) choses à faire/.exec(html)?.[1]} to do`);
    if (process.env.BENCH_PROFILE) await profile(app, cookie, url);
    const latencies: number[] = [];
    const result = await new Promise<AutocannonResult>((resolve, reject) => {
      const inst = autocannon({ url: `${url}/console`, connections: CONNECTIONS, duration: SECONDS, headers: { Cookie: cookie } }, (err, r) => (err ? reject(err) : resolve(r)));
      inst.on('response', (_c, _s, _b, t) => latencies.push(t));
    });
    console.log(
      `À faire, ${CONNECTIONS} connections, ${SECONDS} s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
        `${result.requests.average.toFixed(0)} req/s, ${result.errors} errors, ${result.non2xx} non-2xx`,
    );
  } finally {
    await app.close();
    if (process.env.BENCH_KEEP) console.log(`kept database ${db.name}`);
    else await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
