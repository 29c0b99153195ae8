/**
 * `npm run bench:purge [N]`: N documents (default 2,000) of residents whose stay ended in 2015,
 * one in ten signed (request, signers, sealed PDF), then the dry run (`purge --dry-run`, a CLI
 * process) and the purge itself (RetentionService.purge in this process, as the worker's job runs
 * it), then `audit:verify` (a CLI process) which must exit 0. Prints wall time, this process's CPU
 * time for the purge (PostgreSQL's is not in it), items per second and peak RSS of the dry run.
 * Goals: dry run ≤ 10 s; purge of 2,000 documents ≤ 120 s (a nightly job) at one transaction per
 * item; audit:verify exit 0.
 *
 * Its own database (`carepact_bench_purge`), dropped and recreated at each run: a purge destroys
 * what it measures.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataJobsService, PurgeReport, RetentionService } from '@carepact/archive';
import { projectRoot, sha256Hex } from '@carepact/common';
import { loadConfig } from '@carepact/config';
import { systemActor } from '@carepact/identity';
import { CliModule } from '../apps/cli/src/cli.module';
import { FixtureEvent, appendFixtureEvents, chainHead, insertFixtureDocument } from './document-fixture';
import { peakRun } from './stats';

const root = projectRoot();
const NAME = 'carepact_bench_purge';

async function seed(db: Client, n: number): Promise<string> {
  const [est] = (await db.query(`SELECT id, organisation_id FROM establishments ORDER BY created_at LIMIT 1`)).rows as { id: string; organisation_id: string }[];
  const orgId = est.organisation_id;
  const residents = ((await db.query(`SELECT id FROM residents WHERE establishment_id = $1`, [est.id])).rows as { id: string }[]).map((r) => r.id);
  await db.query(`UPDATE residents SET admission_date = '2012-01-01', departed_on = '2015-06-30' WHERE id = ANY ($1)`, [residents]);
  const chain = await chainHead(db, orgId);
  const at = new Date('2014-05-01T10:00:00Z');
  for (let i = 0; i < n; i++) {
    await db.query('BEGIN');
    const signed = i % 10 === 0;
    const { documentId: docId, versionId } = await insertFixtureDocument(db, { organisationId: orgId, establishmentId: est.id, residentId: residents[i % residents.length], at, signed }, { nom: 'banc' });
    const events: FixtureEvent[] = [{ action: 'document.created', subjectType: 'document', subjectId: docId, payload: {} }];
    if (signed) {
      const requestId = randomUUID();
      const pdf = randomBytes(60_000);
      const pdfSha = sha256Hex(pdf);
      await db.query(`INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ($1, $2, $3, now())`, [pdfSha, pdf.length, pdf]);
      await db.query(
        `INSERT INTO signature_requests (id, organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'completed', 'parallel', $8, '{}', '{}', $8, $8)`,
        [requestId, orgId, est.id, docId, versionId, sha256Hex(docId), pdfSha, at],
      );
      await db.query(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at, typed_name)
         VALUES ($1, 'resident', 'resident', 'Banc', 'Essai', 'self', 'CASF L.311-4', 1, false, 'in_person', 'signed', $2, 'Banc Essai')`,
        [requestId, at],
      );
      await db.query(`INSERT INTO signature_events (request_id, kind, at, details) VALUES ($1, 'signed', $2, '{}')`, [requestId, at]);
      await db.query(
        `INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at) VALUES ($1, $2, $3, '{}', $4, 'banc d’essai', $5)`,
        [requestId, versionId, pdfSha, sha256Hex('{}'), at],
      );
      events.push({ action: 'signature.sealed', subjectType: 'signature_request', subjectId: requestId, payload: {} });
    }
    await appendFixtureEvents(db, chain, events, at);
    await db.query('COMMIT');
  }
  return orgId;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  base.pathname = `/${NAME}`;
  const secretsDir = join(tmpdir(), 'carepact-bench-purge-secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: base.toString(), CAREPACT_SECRETS_DIR: secretsDir };
  const config = loadConfig(env);
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: 'inherit' });
  const admin = new Client({ connectionString: new URL('/postgres', base).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME}`);
  await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  cli(['db:migrate']);
  cli(['seed:demo']);
  const db = new Client({ connectionString: base.toString() });
  await db.connect();
  console.log(`Génération de ${n} documents de personnes parties en 2015 …`);
  const orgId = await seed(db, n);
  const blobsBefore = Number((await db.query(`SELECT count(*) AS n FROM blobs`)).rows[0].n);

  const dry = await peakRun(['purge', '--dry-run', '--organisation', orgId, '--json'], env);
  if (dry.code !== 0) throw new Error(`dry run failed (${dry.code}): ${dry.out}`);
  const { id: reportId, report } = JSON.parse(dry.out.slice(dry.out.indexOf('{'))) as { id: string; report: PurgeReport };

  const ctx = await NestFactory.createApplicationContext(CliModule.register(config), { logger: ['error'] });
  const run = await ctx.get(DataJobsService).requestPurge(systemActor(orgId, [], 'bench:purge'), reportId);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const outcome = await ctx.get(RetentionService).purge(orgId, run.id, report, { type: 'system', id: 'bench:purge' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await ctx.close();
  const blobsAfter = Number((await db.query(`SELECT count(*) AS n FROM blobs`)).rows[0].n);
  await db.end();

  const verify = await peakRun(['audit:verify'], env);
  const items = outcome.documents + outcome.residents;
  console.log(`\n${n} documents, ${report.residents.length} dossiers ; blobs ${blobsBefore} → ${blobsAfter}`);
  console.log(`simulation (purge --dry-run) : ${dry.seconds.toFixed(1)} s, pic RSS ${dry.peakMb.toFixed(0)} Mo   (objectif : ≤ 10 s)`);
  console.log(
    `purge : ${outcome.documents} documents + ${outcome.residents} dossiers, ${outcome.blobs} blobs en ${seconds.toFixed(1)} s (${(items / seconds).toFixed(0)} éléments/s), ` +
      `CPU du processus ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s   (objectif : 2 000 documents ≤ 120 s)`,
  );
  console.log(`audit:verify après la purge : code ${verify.code} en ${verify.seconds.toFixed(1)} s   (objectif : 0)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
