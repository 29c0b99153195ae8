/**
 * `npm run bench:archive [N]`: an establishment's year of N documents (default 2,000) exported as
 * one archive package and verified offline, each as a real CLI process. Prints time and peak RSS
 * (VmHWM) of each. Goal (issue 11): both stream, so peak RSS stays flat whatever the package size:
 * ≤ 200 MB for export and for verify.
 *
 * The year is generated cheaply and reused (database `carepact_bench_archive`): direct inserts of
 * documents, one ready version each with three renditions of small random blobs (PDF 40 KB, DOCX
 * 20 KB, HTML 8 KB: random, so incompressible), one document in ten signed and sealed (a real PAdES
 * seal by the development identity, the same sealed PDF shared by those documents: content-addressed),
 * and the audit events a document leaves (created, version generated, sealed), hashed and chained.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { canonicalJson, projectRoot, sha256Hex } from '@carepact/common';
import { loadConfig } from '@carepact/config';
import { resolve, templateInputFromFixture, templates } from '@carepact/rendering';
import { ensureDevSealIdentity, sealDocument } from '@carepact/signing';
import { FixtureEvent, appendFixtureEvents, chainHead, insertFixtureDocument } from './document-fixture';
import { peakRun } from './stats';

const root = projectRoot();
const NAME = 'carepact_bench_archive';
const YEAR = 2025;

async function seed(db: Client, n: number, secretsDir: string): Promise<{ establishmentId: string }> {
  const [est] = (await db.query(`SELECT id, organisation_id FROM establishments ORDER BY created_at LIMIT 1`)).rows as { id: string; organisation_id: string }[];
  const orgId = est.organisation_id;
  const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM documents WHERE establishment_id = $1 AND created_at >= $2 AND created_at < $3`, [est.id, `${YEAR}-01-01`, `${YEAR + 1}-01-01`])).rows as { count: number }[];
  if (count >= n) return { establishmentId: est.id };
  console.log(`Génération de ${n - count} documents (${YEAR}) …`);
  const residents = ((await db.query(`SELECT id FROM residents WHERE establishment_id = $1`, [est.id])).rows as { id: string }[]).map((r) => r.id);
  const fixture = JSON.parse(readFileSync(join(root, 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const identity = await ensureDevSealIdentity(join(secretsDir, 'seal'), 'CarePact — établissement de démonstration');
  const tree = resolve(templates().load('contrat-sejour'), templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont'), 'standard');
  const sealed = await sealDocument(tree, identity, { signingTime: new Date(Math.floor(Date.now() / 1000) * 1000), reason: 'Banc d’essai' });
  const sealedSha = sha256Hex(sealed);
  await db.query(`INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING`, [sealedSha, sealed.length, sealed]);
  const chain = await chainHead(db, orgId);
  const start = Date.UTC(YEAR, 0, 1);
  const span = Date.UTC(YEAR + 1, 0, 1) - start - 3600_000;
  for (let i = count; i < n; i++) {
    await db.query('BEGIN');
    const at = new Date(start + Math.floor((span * i) / n));
    const residentId = residents[i % residents.length];
    const signed = i % 10 === 0;
    const { documentId: docId, versionId } = await insertFixtureDocument(db, { organisationId: orgId, establishmentId: est.id, residentId, at, signed });
    const events: FixtureEvent[] = [
      { action: 'document.created', subjectType: 'document', subjectId: docId, payload: { residentId, type: 'contrat-sejour' } },
      { action: 'document_version.generated', subjectType: 'document_version', subjectId: versionId, payload: { documentId: docId } },
    ];
    if (signed) {
      const requestId = randomUUID();
      await db.query(
        `INSERT INTO signature_requests (id, organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'completed', 'parallel', $8, '{}', '{}', $8, $8)`,
        [requestId, orgId, est.id, docId, versionId, sha256Hex(docId), sealedSha, at],
      );
      const evidence = { transactionId: requestId, document: { id: docId, versionId }, sealedAt: at.toISOString() };
      await db.query(
        `INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at) VALUES ($1, $2, $3, $4, $5, 'banc d’essai', $6)`,
        [requestId, versionId, sealedSha, canonicalJson(evidence), sha256Hex(canonicalJson(evidence)), at],
      );
      events.push({ action: 'signature.sealed', subjectType: 'signature_request', subjectId: requestId, payload: { sealedSha256: sealedSha } });
    }
    await appendFixtureEvents(db, chain, events, at);
    await db.query('COMMIT');
    if ((i + 1) % 500 === 0) console.log(`  ${i + 1}/${n}`);
  }
  return { establishmentId: est.id };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carepact');
  base.pathname = `/${NAME}`;
  const secretsDir = join(tmpdir(), 'carepact-bench-archive-secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: base.toString(), CAREPACT_SECRETS_DIR: secretsDir };
  loadConfig(env);
  const cli = (args: string[]) => execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env, stdio: 'inherit' });
  const admin = new Client({ connectionString: new URL('/postgres', base).toString() });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [NAME])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  cli(['db:migrate']);
  const db = new Client({ connectionString: base.toString() });
  await db.connect();
  if (!(await db.query(`SELECT 1 FROM establishments LIMIT 1`)).rowCount) cli(['seed:demo']);
  const { establishmentId } = await seed(db, n, secretsDir);
  await db.end();

  const out = join(tmpdir(), `carepact-bench-archive-${YEAR}.zip`);
  const exp = await peakRun(['archive:export', '--establishment', establishmentId, '--from', `${YEAR}-01-01`, '--to', `${YEAR}-12-31`, '--out', out], env);
  if (exp.code !== 0) throw new Error(`export failed (${exp.code}): ${exp.out}`);
  const size = statSync(out).size;
  // Verify offline: no database, no Redis reachable.
  const offline = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
  const ver = await peakRun(['archive:verify', out], offline);
  if (ver.code !== 0) throw new Error(`verify failed (${ver.code}): ${ver.out}`);
  const sha = createHash('sha256').update(readFileSync(out)).digest('hex').slice(0, 16);
  console.log(exp.out.trim());
  console.log(ver.out.trim());
  console.log(`\nPaquet : ${(size / 1024 / 1024).toFixed(1)} Mo (${sha}…), ${n} documents de ${YEAR}`);
  console.log(`export : ${exp.seconds.toFixed(1)} s, pic RSS ${exp.peakMb.toFixed(0)} Mo   (objectif : ≤ 200 Mo, mémoire plate : ${exp.peakMb <= 200 ? 'atteint' : 'NON atteint'})`);
  console.log(`verify : ${ver.seconds.toFixed(1)} s, pic RSS ${ver.peakMb.toFixed(0)} Mo   (objectif : ≤ 200 Mo, mémoire plate : ${ver.peakMb <= 200 ? 'atteint' : 'NON atteint'})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
