/**
 * The seal with a time-stamping authority configured (SEAL_TSA_URL): PAdES baseline B-T. The TSA
 * is a local RFC 3161 responder over real HTTP (libs/testing tsa-server.ts). While it is down, the
 * seal job fails with TSA_UNAVAILABLE, is retried with the queue's backoff and ends as « Scellement
 * échoué » (event, audit, French reason) without any sealed PDF stored — never a B-B seal in its
 * place. Once it is back and the seal is started again, the sealed PDF carries the token, the
 * evidence JSON states the time it certifies (« horodatage »), the evidence page names the TSA, and
 * « Vérifier à nouveau » checks the token and shows its time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createHash } from 'node:crypto';
import { ArchiveExporter, DocumentHistoryService, Manifest, signManifest, verifyArchive, verifyPades } from '@carepact/archive';
import { AuthService, StaffActor } from '@carepact/identity';
import { MAILER, PadesSealer, sealCmsOf, signatureTimestampOf } from '@carepact/signing';
import { TEST_PASSWORD, TestTsa, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { readZip, writeZip } from '../archive/archive-tools';
import { generatedAdultContract, signedInPersonAndCountersigned } from './signed-in-person';

describe('the seal with a time-stamping authority (PAdES B-T)', () => {
  let h: ApiHarness;
  let tsa: TestTsa;
  let worker: WorkerHandle | undefined;
  let su: Client;
  let requestId = '';
  let documentId = '';
  let director: Awaited<ReturnType<typeof loginAgent>>;

  const startQuietWorker = async () => {
    const w = await startWorker(h.db.config, { probe: false });
    const mailer = w.app.get(MAILER, { strict: false }) as { send: (...a: unknown[]) => Promise<void> };
    mailer.send = async () => undefined;
    return w;
  };
  const actorOf = async (email: string): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };

  beforeAll(async () => {
    // Credentials go only over https (the config refuses them with an http URL; the unit spec checks
    // them against the TSA directly); the token must chain to SEAL_TSA_CA, the test TSA's own CA.
    tsa = await TestTsa.start();
    await tsa.stop(); // down when the documents are signed
    const caFile = join(mkdtempSync(join(tmpdir(), 'tsa-ca-')), 'tsa-ca.pem');
    writeFileSync(caFile, tsa.caPem);
    h = await startApiHarness({
      OUTBOX_POLL_MS: '100',
      JOB_BACKOFF_MS: '50',
      SEAL_TSA_URL: tsa.url,
      SEAL_TSA_CA: caFile,
      SEAL_TSA_TIMEOUT_MS: '2000',
    });
    await h.app.listen(0, '127.0.0.1');
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    documentId = await generatedAdultContract(h, admissions, async () => (worker = await startQuietWorker()));
    requestId = await signedInPersonAndCountersigned(admissions, director, documentId, base);
    await waitUntil('the seal failed for good', async () => (await su.query(`SELECT failed_at FROM outbox WHERE job_name = 'signing.seal'`)).rows[0]?.failed_at != null, 90_000);
  }, 240_000);
  afterAll(async () => {
    await worker?.close();
    await su?.end();
    await h?.close();
    await tsa?.close();
  });

  it('TSA down: TSA_UNAVAILABLE after every attempt, « Scellement échoué » with its event and audit event, no sealed PDF stored', async () => {
    const outbox = (await su.query(`SELECT last_error FROM outbox WHERE job_name = 'signing.seal'`)).rows[0];
    expect(outbox.last_error).toMatch(/^TSA_UNAVAILABLE: L’autorité d’horodatage \(127\.0\.0\.1:\d+\) ne répond pas \(ECONNREFUSED\)/);
    expect(outbox.last_error).not.toContain('secret-tsa');
    const events = (await su.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'seal_failed'`, [requestId])).rows;
    expect(events).toEqual([{ details: { code: 'TSA_UNAVAILABLE', retriesExhausted: true } }]);
    const audit = (await su.query(`SELECT payload FROM audit_events WHERE action = 'signature.seal_failed' AND subject_id = $1`, [requestId])).rows;
    expect(audit).toEqual([{ payload: { code: 'TSA_UNAVAILABLE', retriesExhausted: true } }]);
    expect((await su.query(`SELECT count(*)::int AS n FROM sealed_documents WHERE request_id = $1`, [requestId])).rows).toEqual([{ n: 0 }]);
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'active' }]);
    const view = (await director.get(`/api/signature-requests/${requestId}`).expect(200)).body;
    expect(view.sealFailure).toMatchObject({ code: 'TSA_UNAVAILABLE', reason: expect.stringContaining('L’autorité d’horodatage ne répond pas') });
    const page = (await director.get(`/console/documents/${documentId}`).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toContain('Le scellement du document signé a échoué');
    expect(page).toContain('L’autorité d’horodatage ne répond pas');
  });

  it('TSA back, seal started again: the PDF carries the token, the evidence states its time, « Vérifier à nouveau » checks it', async () => {
    await tsa.restart();
    await director.post(`/api/signature-requests/${requestId}/seal-retry`).send({}).expect((r) => expect(r.status).toBeLessThan(300));
    await waitUntil('sealed', async () => (await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows[0].status === 'completed', 60_000);
    expect(tsa.requests.at(-1)).toMatchObject({ certReq: true });

    const pdf = (await director.get(`/api/signature-requests/${requestId}/signed.pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200)).body as Buffer;
    const pades = verifyPades(pdf);
    expect(pades.ok).toBe(true);
    if (!pades.timestamp?.ok) throw new Error(`no valid timestamp: ${JSON.stringify(pades.timestamp)}`);

    const file = join(mkdtempSync(join(tmpdir(), 'carepact-bt-')), 'scelle.pdf');
    writeFileSync(file, pdf);
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toContain('Signature Validation: Signature is Valid.');
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(`Horodatage : le cachet porte un jeton d’horodatage (RFC 3161) de l’autorité d’horodatage ${new URL(tsa.url).host}`);

    const evidence = (await director.get(`/api/signature-requests/${requestId}/evidence.json`).expect(200)).body;
    expect(evidence.sealTime).toEqual({
      source: 'tsa',
      authority: new URL(tsa.url).host,
      statement: expect.stringContaining('jeton d’horodatage (RFC 3161)'),
      timestamp: {
        genTime: pades.timestamp.genTime.toISOString(),
        serialNumber: pades.timestamp.serialNumber,
        policy: tsa.defaultPolicy,
        tsaCertificate: 'CN=CarePact test TSA, O=CarePact tests, C=FR',
        tsaCertificateSha256: pades.timestamp.tsaCertificate.fingerprint256.replace(/:/g, '').toLowerCase(),
      },
    });

    const verification = await h.app.get(DocumentHistoryService).verify(await actorOf(h.orgA.users.director.email), documentId);
    expect(verification.ok).toBe(true);
    expect(verification.checks.find((c) => c.what.includes('horodatage'))).toMatchObject({ ok: true, detail: expect.stringMatching(/^horodaté le .+ par CN=CarePact test TSA/) });
  }, 120_000);

  it('archive:verify reads the time of each B-T seal; a token altered by an insider (manifest re-signed) is TIMESTAMP_INVALID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carepact-bt-archive-'));
    const file = join(dir, 'document.zip');
    await h.app.get(ArchiveExporter).export({ kind: 'document', id: documentId }, file);
    const path = `documents/${documentId}/signatures/${requestId}/document-scelle.pdf`;
    const report = await verifyArchive(file);
    expect(report).toMatchObject({ ok: true, problem: null, timestamps: [{ file: path, genTime: expect.stringMatching(/^\d{4}-/), authority: 'CarePact test TSA' }] });

    // The token's last byte (its signature) changed in /Contents, outside what the seal signs; every
    // file hash made to match again and the manifest re-signed with the establishment's own key.
    const entries = await readZip(file);
    const pdf = entries.get(path)!;
    const token = signatureTimestampOf(sealCmsOf(pdf)!).token!;
    const at = pdf.indexOf(Buffer.from(token.toString('hex'), 'latin1')) + token.length * 2 - 2;
    const copy = Buffer.from(pdf);
    copy.write(((parseInt(copy.toString('latin1', at, at + 2), 16) ^ 1) & 0xff).toString(16).padStart(2, '0'), at, 'latin1');
    entries.set(path, copy);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    for (const f of manifest.files) if (f.path === path) Object.assign(f, { sha256: createHash('sha256').update(copy).digest('hex'), size: copy.length });
    const bytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n', 'utf8');
    entries.set('manifest.json', bytes);
    entries.set('manifest.json.p7s', signManifest(bytes, await new PadesSealer(h.db.config).sealIdentity()));
    const tampered = join(dir, 'tampered.zip');
    await writeZip(tampered, entries);
    expect((await verifyArchive(tampered)).problem).toEqual({
      code: 'TIMESTAMP_INVALID',
      file: path,
      message: expect.stringContaining('la signature du jeton d’horodatage ne se vérifie pas avec le certificat de l’autorité'),
    });
  }, 120_000);
});
