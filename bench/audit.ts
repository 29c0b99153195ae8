/**
 * `npm run bench:audit`: the audit chain at scale (issue 12, item 4).
 *
 * 1. Appends: 10 organisations at once through the real AuditService (one prepared statement:
 *    head update with its row lock and the hash, event insert), CONCURRENCY appends in flight per
 *    organisation for BENCH_SECONDS each, measured twice: events that go with no other write
 *    (`appendAlone`: the statement is its own transaction; goal ≥ 2,000 appends/s), then each in a
 *    transaction of its own (START, append, COMMIT), the cost an append adds when it goes with a
 *    state change being between the two.
 * 2. Verification: one chain of BENCH_AUDIT_EVENTS events (default 1,000,000, generated once with
 *    valid hashes by bulk inserts and reused: database `carepact_bench_audit`), closed by a real
 *    signed checkpoint, verified by `audit:verify` as its own process. Goal ≤ 10 s, streaming:
 *    peak RSS flat (printed beside the figure for a tenth of the events).
 * Prints figures and goals; exits 0 either way.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AUDIT_ENTITIES, AuditService, GENESIS_HASH, eventHash } from '@carepact/audit';
import { projectRoot } from '@carepact/common';
import { loadConfig } from '@carepact/config';
import { TransactionRunner, dataSourceOptions } from '@carepact/database';
import { peakRun, procCpuSeconds } from './stats';

const NAME = 'carepact_bench_audit';
const ORGS = 10;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const BATCH = 5000;

/**
 * CPU of the PostgreSQL backends serving this benchmark's database, other than `db`'s own (the pool
 * of the appends, then audit:verify's), polled every 100 ms: what each used since the first poll
 * (all of it for a backend that started later), at its last reading.
 */
async function watchBackends(db: Client): Promise<{ stop(): number }> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let started = false;
  let polling: Promise<void> | null = null;
  const poll = () =>
    (polling ??= db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).then(
      ({ rows }) => {
        for (const { pid } of rows as { pid: number }[])
          try {
            const cpu = procCpuSeconds(pid);
            if (!first.has(pid)) first.set(pid, started ? 0 : cpu);
            last.set(pid, cpu);
          } catch {
            /* ended */
          }
        started = true;
      },
      () => undefined,
    ).finally(() => (polling = null)));
  await poll();
  // A poll still waiting for its answer (a loaded machine) is not sent again.
  const timer = setInterval(() => void poll(), 100);
  return {
    stop() {
      clearInterval(timer);
      let sum = 0;
      for (const [pid, cpu] of last) sum += cpu - (first.get(pid) ?? 0);
      return sum;
    },
  };
}

type Append = (chainId: string, n: number) => Promise<unknown>;

/** CONCURRENCY appenders per organisation, each waiting for its append before the next, for SECONDS. */
async function appends(orgs: string[], append: Append): Promise<{ count: number; seconds: number }> {
  const until = Date.now() + SECONDS * 1000;
  let count = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    orgs.flatMap((chainId) =>
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          await append(chainId, count);
          count++;
        }
      }),
    ),
  );
  return { count, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Runs one kind of append on every organisation at once and prints its rate and CPU per append. */
async function measure(db: Client, label: string, orgs: string[], append: Append, goalPerSecond?: number, eventsPerCall = 1): Promise<void> {
  const pg = await watchBackends(db);
  const cpu0 = process.cpuUsage();
  const calls = await appends(orgs, append);
  // Counted in events (a creation's pair is two).
  const a = { count: calls.count * eventsPerCall, seconds: calls.seconds };
  const nodeCpu = process.cpuUsage(cpu0);
  const pgCpu = pg.stop();
  const rate = a.count / a.seconds;
  const goal = goalPerSecond === undefined ? '' : `   goal ≥ ${goalPerSecond.toLocaleString('en')}/s: ${rate >= goalPerSecond ? 'met' : 'NOT met'}`;
  console.log(`  ${label.padEnd(26)} ${rate.toFixed(0).padStart(6)} ajouts/s   (${a.count} en ${a.seconds.toFixed(1)} s)${goal}`);
  // Wall time depends on what else runs on the machine; CPU per append does not (much): what two idle cores would do.
  const nodePer = (nodeCpu.user + nodeCpu.system) / 1e6 / a.count;
  const perAppend = nodePer + pgCpu / a.count;
  console.log(
    `  ${''.padEnd(26)} CPU par ajout ${(perAppend * 1e6).toFixed(0)} µs (Node ${(nodePer * 1e6).toFixed(0)} µs + PostgreSQL ${((pgCpu / a.count) * 1e6).toFixed(0)} µs, hors écriture du journal WAL) → ${cpus().length} cœurs ≈ ${(cpus().length / perAppend).toFixed(0)} ajouts/s`,
  );
}

/** A chain of `n` valid events (hashes chained from genesis), bulk-inserted; returns its id. */
async function generateChain(db: Client, chainId: string, n: number): Promise<void> {
  const [head] = (await db.query(`SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1`, [chainId])).rows as { seq: string; hash: string }[];
  let seq = head ? Number(head.seq) : 0;
  let prev = head ? head.hash : GENESIS_HASH;
  if (!head) await db.query(`INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES ($1, 0, $2, now())`, [chainId, GENESIS_HASH]);
  const t0 = Date.now();
  const base = Date.UTC(2025, 0, 1);
  while (seq < n) {
    const rows = { seq: [] as number[], prev: [] as string[], hash: [] as string[], subject: [] as string[], payload: [] as string[], at: [] as string[] };
    for (let i = 0; i < BATCH && seq < n; i++) {
      seq++;
      const occurredAt = new Date(base + seq * 1000);
      const subjectId = randomUUID();
      const payload = { documentId: subjectId, n: seq };
      const hash = eventHash(prev, { chainId, seq, actorType: 'system', actorId: 'bench', action: 'document.created', subjectType: 'document', subjectId, payload, occurredAt });
      rows.seq.push(seq);
      rows.prev.push(prev);
      rows.hash.push(hash);
      rows.subject.push(subjectId);
      rows.payload.push(JSON.stringify(payload));
      rows.at.push(occurredAt.toISOString());
      prev = hash;
    }
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO audit_events (chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
       SELECT $1, s, p, h, 'system', 'bench', 'document.created', 'document', sub, pl::jsonb, at::timestamptz
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(s, p, h, sub, pl, at)`,
      [chainId, rows.seq, rows.prev, rows.hash, rows.subject, rows.payload, rows.at],
    );
    await db.query(`UPDATE audit_chain_heads SET seq = $2, hash = $3, updated_at = now() WHERE chain_id = $1`, [chainId, seq, prev]);
    await db.query('COMMIT');
    if (seq % 100_000 === 0) console.log(`  ${seq.toLocaleString('fr-FR')} événements (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
}

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  url.pathname = `/${NAME}`;
  const secretsDir = join(tmpdir(), 'carepact-bench-audit-secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url.toString(), CAREPACT_SECRETS_DIR: secretsDir };
  const config = loadConfig(env);
  const admin = new Client({ connectionString: new URL('/postgres', url).toString() });
  await admin.connect();
  if (!(await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [NAME])).rowCount) await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  execFileSync(process.execPath, [join(projectRoot(), 'dist/apps/cli/src/main.js'), 'db:migrate'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  console.log(`bench:audit — ${ORGS} organisations × ${CONCURRENCY} ajouts en parallèle, ${SECONDS} s par mesure, pool de 10 connexions comme l’api et le worker (${process.version}, PostgreSQL local)`);
  // The pool the api and the worker have (10 connections): appends beyond it wait in the process, as they would there.
  const ds = await new DataSource(dataSourceOptions(config, { as: 'app', entities: AUDIT_ENTITIES })).initialize();
  const audit = new AuditService(config);
  const tx = new TransactionRunner(ds);
  const orgs = Array.from({ length: ORGS }, () => randomUUID());
  const event = (chainId: string, n: number) => ({ chainId, actor: { type: 'system' as const, id: 'bench' }, action: 'bench.append', subject: { type: 'document', id: randomUUID() }, payload: { n } });
  // Every connection of the pool opened and every chain started before measuring.
  await Promise.all(orgs.flatMap((chainId) => Array.from({ length: CONCURRENCY }, () => tx.run((em) => audit.append(em, event(chainId, 0))))));
  // An event that goes with no other write (a verification, an export): one statement, its own transaction.
  await measure(db, 'ajouts seuls', orgs, (chainId, n) => audit.appendAlone(ds.manager, event(chainId, n)), 2000);
  // An event in a transaction of its own making: START, the append, COMMIT (the state change it goes with would share them).
  await measure(db, 'ajouts en transaction', orgs, (chainId, n) => tx.run((em) => audit.append(em, event(chainId, n))));
  // A document's creation: two events in its transaction (document.created, document_version.requested), by two appends
  // then by one statement (appendMany, issue 12 session 20), alternately; counted in events.
  for (let round = 0; round < 2; round++) {
    await measure(db, 'paires, 2 ajouts', orgs, (chainId, n) => tx.run(async (em) => {
      await audit.append(em, event(chainId, n));
      await audit.append(em, event(chainId, n));
    }), undefined, 2);
    await measure(db, 'paires, 1 instruction', orgs, (chainId, n) => tx.run((em) => audit.appendMany(em, [event(chainId, n), event(chainId, n)])), undefined, 2);
  }

  // Verification of one long chain: generated once, then reused (the appends above live in their own chains).
  const chainId = '11111111-1111-4111-8111-111111111111';
  const tenth = '22222222-2222-4222-8222-222222222222';
  await generateChain(db, tenth, EVENTS / 10);
  await generateChain(db, chainId, EVENTS);
  // A real signed checkpoint over every head, as the worker writes it.
  await new TransactionRunner(ds).run((em) => audit.checkpoint(em));
  await ds.destroy();
  let tenthPeakMb = 0;
  for (const [label, id, n] of [
    ['1/10', tenth, EVENTS / 10],
    ['complet', chainId, EVENTS],
  ] as const) {
    // The PostgreSQL backends serving audit:verify: their CPU too.
    const backends = await watchBackends(db);
    const r = await peakRun(['audit:verify', '--chain', id], env);
    const pgCpu = backends.stop();
    const ok = r.code === 0 ? 'OK' : `code ${r.code}`;
    if (label === '1/10') tenthPeakMb = r.peakMb;
    // Streaming: ten times the events in (nearly) the same memory — within 10 % of the tenth's peak.
    const goal = label === 'complet' ? `   goal ≤ 10 s: ${r.seconds <= 10 ? 'met' : 'NOT met'}; memory flat (≤ 1.1 × the tenth's peak): ${r.peakMb <= tenthPeakMb * 1.1 ? 'met' : 'NOT met'}` : '';
    console.log(
      `  audit:verify ${label.padEnd(8)} ${n.toLocaleString('fr-FR').padStart(9)} événements  ${r.seconds.toFixed(1).padStart(6)} s   CPU ${r.cpuSeconds.toFixed(1)} s + PostgreSQL ${pgCpu.toFixed(1)} s   pic ${r.peakMb.toFixed(0).padStart(4)} Mo   ${ok}${goal}`,
    );
    if (r.code !== 0) console.log(r.out.split('\n').slice(0, 8).join('\n'));
  }
  await db.end();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
