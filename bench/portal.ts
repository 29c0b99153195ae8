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
 * other work shares the machine, and that of the PostgreSQL backends serving this database (the
 * api's and the worker's connections): what each page read costs the database.
 *
 * BENCH_CONNECTIONS and BENCH_SECONDS change the load; BENCH_NODE_ARGS passes node flags to the api
 * and the worker (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { cpuMs, load, loadErrors } from './load';
import { startStack } from './stack';
import { goal, percentile } from './stats';

const root = projectRoot();
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function main(): Promise<void> {
  const stack = await startStack({ worker: true, env: { OUTBOX_POLL_MS: '50' } });
  const { url, pg } = stack;
  try {
    const staffCookie = await stack.login('admissions@les-tilleuls.example');
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
    /** CPU time of each PostgreSQL backend connected to this database (but this client's own), by pid. */
    const backendsCpuMs = async (): Promise<Map<number, number>> => {
      const { rows } = await pg.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      return new Map((rows as { pid: number }[]).map(({ pid }) => [pid, cpuMs(pid) ?? 0]));
    };
    const [{ before }] = (await pg.query(`SELECT count(*)::int AS before FROM signature_events WHERE request_id = $1`, [requestId])).rows as { before: number }[];

    console.log(`bench:portal — ${CONNECTIONS} connections, ${SECONDS} s per page, loopback (${process.version}, ${availableParallelism()} cores)`);
    for (const [label, path] of [
      ['landing  GET /portail', '/portail'],
      ['reading  GET /portail/document', '/portail/document'],
    ] as const) {
      await load(url + path, { connections: CONNECTIONS, seconds: 2, cookies: [cookie] }); // warm-up
      const cpuBefore = cpuMs(stack.api.pid);
      const pgBefore = await backendsCpuMs();
      const run = await load(url + path, { connections: CONNECTIONS, seconds: SECONDS, cookies: [cookie] });
      const { result, latencies, statuses } = run;
      const cpuAfter = cpuMs(stack.api.pid);
      const pgAfter = await backendsCpuMs();
      const pgCpu = [...pgAfter].reduce((sum, [pid, ms]) => sum + ms - (pgBefore.get(pid) ?? 0), 0);
      const cpu =
        cpuBefore !== null && cpuAfter !== null && result.requests.total
          ? `   api CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(3)} ms/request, PostgreSQL ${(pgCpu / result.requests.total).toFixed(3)} ms/request`
          : '';
      const errors = loadErrors(run);
      console.log(
        `  ${label.padEnd(32)} p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(latencies, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(latencies, 99)
          .toFixed(1)
          .padStart(6)} ms   ${result.requests.average.toFixed(0).padStart(6)} req/s   ${result.requests.total} requests of ${(result.throughput.total / Math.max(1, result.requests.total) / 1024).toFixed(1)} kB   errors ${errors} (${[...statuses]
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')})${cpu}   ${goal('p95 ≤ 30 ms, 0 errors', percentile(latencies, 95) <= 30 && errors === 0)}`,
      );
    }
    const [{ after }] = (await pg.query(`SELECT count(*)::int AS after FROM signature_events WHERE request_id = $1`, [requestId])).rows as { after: number }[];
    console.log(`  evidence events written during the run: ${after - before} (reading again records nothing)`);
  } finally {
    await stack.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
