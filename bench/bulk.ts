/**
 * `npm run bench:bulk [N]` (issue 12 item 3): N residents (default 2,000) of the demo establishment,
 * each with a signed contract (direct inserts, generated once), then one tariff avenant each through
 * the bulk path as staff use it — POST /api/bulk-runs, the worker's chunked job creating every
 * document through DocumentsService, the render of its 9 renditions — followed through
 * GET /api/bulk-runs/<id> like the progress page. Prints bundles/s, the time until every document
 * is created and until every one is generated, and the api's and the worker's RSS when 10 % are
 * generated and at the end, with the goals beside: ≥ 18 bundles/s, memory flat (RSS at the end
 * within 10 % of RSS at 10 %). Also prints, for both processes, their RSS before the run (the api's
 * fall over a run starts from its start-up state, not from what the run added), the RSS by tenths
 * and its range from 40 % on, once the render threads' heaps have settled, and the worker's V8
 * heaps by isolate (main thread, each render thread: committed, from the spans directory) at 10 %
 * and at the end, so that what grows is named. BENCH_WARMUP=<residents> runs a first, unmeasured
 * bulk run of that many other residents. Exits 0 either way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapGauge } from '@carepact/common';
import { insertResidentsWithSignedContracts } from '@carepact/testing';
import { startStack } from './stack';

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const cpuSeconds = (pid: number | undefined): number => {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return 0;
  }
};

/** The worker's V8 heaps as it last wrote them (CAREPACT_SPANS_DIR), committed MB by isolate. */
function heapsMb(dir: string, pid: number | undefined): { main: number; threads: number[] } | null {
  try {
    const all = JSON.parse(readFileSync(join(dir, `heap-${pid}.json`), 'utf8')) as Record<string, HeapGauge>;
    const mb = (g: HeapGauge) => g.committed / 1048576;
    return { main: mb(all.main), threads: Object.entries(all).filter(([k]) => k !== 'main').map(([, g]) => mb(g)) };
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  const spansDir = mkdtempSync(join(tmpdir(), 'carepact-spans-'));
  const stack = await startStack({ worker: true, env: { OUTBOX_POLL_MS: '50', CAREPACT_SPANS_DIR: spansDir } });
  try {
    const [est] = (await stack.pg.query(`SELECT id, organisation_id FROM establishments ORDER BY name LIMIT 1`)).rows as { id: string; organisation_id: string }[];
    let t = Date.now();
    const residentIds = await insertResidentsWithSignedContracts(stack.pg, { organisationId: est.organisation_id, establishmentId: est.id, count: n, tag: 'Banc' });
    const insertMs = Date.now() - t;
    const cookie = await stack.login('admissions@les-tilleuls.example');
    const commonData = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };
    // BENCH_WARMUP=<residents>: a first run of other residents, not measured, so that the measured
    // one finds the processes as a worker up for days would be (heaps settled); off by default.
    const warm = Number(process.env.BENCH_WARMUP ?? 0);
    if (warm > 0) {
      const ids = await insertResidentsWithSignedContracts(stack.pg, { organisationId: est.organisation_id, establishmentId: est.id, count: warm, tag: 'Chauffe' });
      const r = await fetch(`${stack.url}/api/bulk-runs`, { method: 'POST', headers: { 'Content-Type': 'application/json', cookie }, body: JSON.stringify({ establishmentId: est.id, kind: 'avenant-tarifs', commonData, residentIds: ids }) });
      if (r.status !== 202) throw new Error(`warm-up POST /api/bulk-runs: ${r.status} ${await r.text()}`);
      const { id } = (await r.json()) as { id: string };
      while (((await (await fetch(`${stack.url}/api/bulk-runs/${id}`, { headers: { cookie } })).json()) as { inProgress: boolean }).inProgress) await new Promise((w) => setTimeout(w, 500));
    }
    const api = stack.api.pid;
    const worker = stack.worker?.pid;
    const cpu0 = { api: cpuSeconds(api), worker: cpuSeconds(worker) };
    /** RSS before the run (started, demo seeded, one login): what the run adds. */
    const before = { api: rssMb(api), worker: rssMb(worker) };
    const started = Date.now();
    const res = await fetch(`${stack.url}/api/bulk-runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', cookie },
      body: JSON.stringify({ establishmentId: est.id, kind: 'avenant-tarifs', commonData, residentIds }),
    });
    const startMs = Date.now() - started;
    if (res.status !== 202) throw new Error(`POST /api/bulk-runs: ${res.status} ${await res.text()}`);
    const run = (await res.json()) as { id: string };
    let createdAt = 0;
    let at10: { api: number; worker: number } | null = null;
    let heaps10: ReturnType<typeof heapsMb> = null;
    /** RSS at each tenth of the documents generated: whether memory grows or settles. */
    const trend: { pct: number; api: number; worker: number }[] = [];
    let peak = { api: 0, worker: 0 };
    let last = { created: 0, generated: 0, failed: 0, generationFailed: 0, skipped: 0 };
    let polls = 0;
    const pollMs: number[] = [];
    for (;;) {
      t = Date.now();
      const view = (await (await fetch(`${stack.url}/api/bulk-runs/${run.id}`, { headers: { cookie } })).json()) as {
        status: string;
        inProgress: boolean;
        counts: typeof last & { pending: number };
      };
      pollMs.push(Date.now() - t);
      polls++;
      last = view.counts;
      const now = { api: rssMb(api), worker: rssMb(worker) };
      peak = { api: Math.max(peak.api, now.api), worker: Math.max(peak.worker, now.worker) };
      if (!at10 && view.counts.generated >= n / 10) {
        at10 = now;
        heaps10 = heapsMb(spansDir, worker);
      }
      const tenth = Math.floor((view.counts.generated * 10) / n) * 10;
      if (tenth > 0 && !trend.some((x) => x.pct === tenth)) trend.push({ pct: tenth, ...now });
      if (!createdAt && view.counts.pending === 0) createdAt = Date.now();
      if (!view.inProgress) break;
      if (Date.now() - started > 30 * 60_000) throw new Error('bench:bulk: still running after 30 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const endMs = Date.now() - started;
    const end = { api: rssMb(api), worker: rssMb(worker) };
    const heapsEnd = heapsMb(spansDir, worker);
    const cpu = { api: cpuSeconds(api) - cpu0.api, worker: cpuSeconds(worker) - cpu0.worker };
    const [{ renditions }] = (await stack.pg.query(
      `SELECT count(*)::int AS renditions FROM renditions r JOIN document_versions v ON v.id = r.version_id JOIN bulk_run_items i ON i.document_id = v.document_id WHERE i.run_id = $1`,
      [run.id],
    )).rows as { renditions: number }[];
    const gaps = (
      (await stack.pg.query(
        `SELECT extract(epoch FROM processed_at - lag(processed_at) OVER (ORDER BY processed_at)) * 1000 AS gap FROM bulk_run_items WHERE run_id = $1 AND processed_at IS NOT NULL`,
        [run.id],
      )).rows as { gap: string | null }[]
    )
      .map((r) => Number(r.gap))
      .filter((g) => Number.isFinite(g))
      .sort((x, y) => x - y);
    const rate = last.generated / (endMs / 1000);
    const growth = (a: number, b: number) => (a ? ((b - a) / a) * 100 : 0);
    const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
    const a10 = at10 ?? { api: 0, worker: 0 };
    console.log(
      `bench:bulk — ${n} residents, one tariff avenant each, through POST /api/bulk-runs → chunked job → render (${process.version}, ${availableParallelism()} cores)${warm > 0 ? `, after a warm-up run of ${warm}` : ''}`,
    );
    console.log(`  fixture           ${n} residents with a signed contract inserted in ${(insertMs / 1000).toFixed(1)} s`);
    console.log(`  start             POST answered 202 in ${(startMs / 1000).toFixed(2)} s (eligibility of ${n} residents, ${n} items)`);
    console.log(`  created           all ${last.created} documents created after ${((createdAt - started) / 1000).toFixed(1)} s`);
    console.log(`  generated         all ${last.generated} generated after ${(endMs / 1000).toFixed(1)} s (${renditions} renditions; failed ${last.failed}, generation failed ${last.generationFailed}, skipped ${last.skipped})`);
    console.log(`  throughput        ${rate.toFixed(2)} bundles/s   goal ≥ 18   ${rate >= 18 ? 'met' : 'NOT met'}`);
    console.log(
      `  api RSS           ${a10.api.toFixed(0)} MB at 10 %, ${end.api.toFixed(0)} MB at the end (${pct(growth(a10.api, end.api))}), peak ${peak.api.toFixed(0)} MB   goal within 10 %   ${Math.abs(growth(a10.api, end.api)) <= 10 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  worker RSS        ${a10.worker.toFixed(0)} MB at 10 %, ${end.worker.toFixed(0)} MB at the end (${pct(growth(a10.worker, end.worker))}), peak ${peak.worker.toFixed(0)} MB   goal within 10 %   ${Math.abs(growth(a10.worker, end.worker)) <= 10 ? 'met' : 'NOT met'}`,
    );
    console.log(`  RSS before run    api ${before.api.toFixed(0)} MB, worker ${before.worker.toFixed(0)} MB (started, demo seeded, one login)`);
    console.log(`  api RSS trend     ${trend.map((x) => `${x.pct} %: ${x.api.toFixed(0)}`).join(', ')} MB`);
    console.log(`  worker RSS trend  ${trend.map((x) => `${x.pct} %: ${x.worker.toFixed(0)}`).join(', ')} MB`);
    // Once the render threads' heaps have settled (about 40 %): whether memory still grows.
    const settled = trend.filter((x) => x.pct >= 40);
    const range = (k: 'api' | 'worker') => `${Math.min(...settled.map((x) => x[k])).toFixed(0)}–${Math.max(...settled.map((x) => x[k])).toFixed(0)} MB`;
    if (settled.length) console.log(`  from 40 % on      api ${range('api')}, worker ${range('worker')}`);
    // Written every second by the worker: a figure up to a second old beside the RSS sampled now.
    const heapText = (h: ReturnType<typeof heapsMb>, rss: number) => {
      if (!h) return 'not seen';
      const total = h.main + h.threads.reduce((a, b) => a + b, 0);
      return `main ${h.main.toFixed(0)} + render threads ${h.threads.map((x) => x.toFixed(0)).join(' + ')} = ${total.toFixed(0)} MB (RSS beyond the heaps ${(rss - total).toFixed(0)} MB)`;
    };
    console.log(`  worker V8 heaps   committed, at 10 %: ${heapText(heaps10, a10.worker)}`);
    console.log(`                    at the end: ${heapText(heapsEnd, end.worker)}`);
    console.log(`  CPU               worker ${cpu.worker.toFixed(1)} s (${((cpu.worker * 1000) / Math.max(1, last.generated)).toFixed(1)} ms per bundle), api ${cpu.api.toFixed(1)} s`);
    console.log(
      `  between items     median ${gaps[Math.floor(gaps.length / 2)]?.toFixed(1)} ms, p90 ${gaps[Math.floor(gaps.length * 0.9)]?.toFixed(1)} ms, longest ${gaps[gaps.length - 1]?.toFixed(0)} ms (chunk continuations queue behind the renders)`,
    );
    console.log(`  progress polls    ${polls}, median ${pollMs.sort((x, y) => x - y)[Math.floor(pollMs.length / 2)]} ms (GET /api/bulk-runs/<id>)`);
  } finally {
    await stack.stop();
    rmSync(spansDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.message);
    process.exit(0);
  },
);
