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
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createHash } from 'node:crypto';
import { ArchiveExporter, DocumentHistoryService, Manifest, TSA_CERTIFICATES_FILE, certificatesFromPem, signManifest, verifyArchive, verifyPades } from '@carepact/archive';
import { AuditService, AuditVerifier, SYSTEM_ACTOR } from '@carepact/audit';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { AuthService, StaffActor } from '@carepact/identity';
import { MAILER, PadesSealer, sealCmsOf, signatureTimestampOf } from '@carepact/signing';
import { TEST_PASSWORD, TestTsa, loginAgent, testCertificate, waitUntil } from '@carepact/testing';
import { UsageError } from '../../../apps/cli/src/command';
import { archiveVerify } from '../../../apps/cli/src/commands/archive-verify';
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
  let caFile = '';
  let base = '';

  const startQuietWorker = async () => {
    const w = await startWorker(h.db.config, { probe: false });
    const mailer = w.app.get(MAILER, { strict: false }) as { send: (...a: unknown[]) => Promise<void> };
    mailer.send = async () => undefined;
    return w;
  };
  const signedPdf = async (): Promise<Buffer> =>
    (
      await director
        .get(`/api/signature-requests/${requestId}/signed.pdf`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200)
    ).body as Buffer;
  const actorOf = async (email: string): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };

  beforeAll(async () => {
    // Credentials go only over https (the config refuses them with an http URL; the unit spec checks
    // them against the TSA directly); the token must chain to SEAL_TSA_CA, the test TSA's own CA.
    tsa = await TestTsa.start();
    await tsa.stop(); // down when the documents are signed
    caFile = join(mkdtempSync(join(tmpdir(), 'tsa-ca-')), 'tsa-ca.pem');
    writeFileSync(caFile, tsa.caPem);
    h = await startApiHarness({
      OUTBOX_POLL_MS: '100',
      JOB_BACKOFF_MS: '50',
      SEAL_TSA_URL: tsa.url,
      SEAL_TSA_CA: caFile,
      SEAL_TSA_TIMEOUT_MS: '2000',
    });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
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
      // SEAL_TSA_QUALIFIED unset: not declared qualified (eIDAS art. 42), and the evidence says so.
      qualified: false,
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
    expect(verification.checks.find((c) => c.what.includes('horodatage'))!.detail).toContain('autorité rattachée à une autorité de confiance (SEAL_TSA_CA)');
  }, 120_000);

  it('« Vérifier à nouveau » with SEAL_TSA_CA naming another authority: TIMESTAMP_UNTRUSTED, the check fails', async () => {
    const other = await TestTsa.start();
    const config = h.app.get<AppConfig>(APP_CONFIG);
    const own = config.seal.tsa!.trustedRootsPem;
    try {
      config.seal.tsa!.trustedRootsPem = other.caPem;
      const verification = await h.app.get(DocumentHistoryService).verify(await actorOf(h.orgA.users.director.email), documentId);
      expect(verification.ok).toBe(false);
      expect(verification.checks.filter((c) => !c.ok)).toEqual([
        expect.objectContaining({ what: expect.stringContaining('horodatage'), detail: expect.stringMatching(/^TIMESTAMP_UNTRUSTED : horodaté le .+ par CN=CarePact test TSA.+ne se rattache à aucune autorité d’horodatage de confiance/) }),
      ]);
    } finally {
      config.seal.tsa!.trustedRootsPem = own;
      await other.close();
    }
  });

  it('the sealed audit event carries the certified time, the TSA and the token’s hash; audit:verify passes on a chain mixing old and new sealed events; the history page shows the time', async () => {
    // A sealed event as written before the payload carried the token (or of a B-B seal): same action, no timestamp keys.
    await h.app.get(AuditService).appendAlone(h.app.get(TransactionRunner).manager, {
      chainId: h.orgA.organisationId,
      actor: SYSTEM_ACTOR,
      action: 'signature.sealed',
      subject: { type: 'signature_request', id: '00000000-0000-4000-8000-000000000001' },
      payload: { sealedSha256: '0'.repeat(64), evidenceSha256: '1'.repeat(64), versionHash: '2'.repeat(64), signingMethod: 'electronic', edition: 1 },
    });
    const [{ blob_sha256: sha }] = (await su.query(`SELECT blob_sha256 FROM sealed_documents WHERE request_id = $1`, [requestId])).rows;
    const pdf = await signedPdf();
    const ts = verifyPades(pdf).timestamp;
    if (!ts?.ok) throw new Error('no valid timestamp in the sealed PDF');
    const token = signatureTimestampOf(sealCmsOf(pdf)!).token!;
    const [event] = (await su.query(`SELECT payload FROM audit_events WHERE action = 'signature.sealed' AND subject_id = $1`, [requestId])).rows;
    expect(event.payload).toMatchObject({
      sealedSha256: sha,
      edition: 1,
      timestampGenTime: ts.genTime.toISOString(),
      timestampSerialNumber: ts.serialNumber,
      timestampAuthority: 'CN=CarePact test TSA, O=CarePact tests, C=FR',
      timestampAuthoritySerialNumber: ts.tsaCertificate.serialNumber.toUpperCase(),
      timestampTokenSha256: createHash('sha256').update(token).digest('hex'),
    });
    const sealedEvents = (await su.query(`SELECT payload FROM audit_events WHERE action = 'signature.sealed' AND chain_id = $1`, [h.orgA.organisationId])).rows;
    expect(sealedEvents.filter((e) => 'timestampGenTime' in e.payload)).toHaveLength(1);
    expect(sealedEvents.filter((e) => !('timestampGenTime' in e.payload))).toHaveLength(1);
    // What audit:verify runs: every event's hash recomputed from its stored payload, old and new alike.
    const audit = await h.app.get(AuditVerifier, { strict: false }).verifyAll(h.app.get(TransactionRunner).manager, [h.orgA.organisationId]);
    expect(audit.chains).toEqual([expect.objectContaining({ chainId: h.orgA.organisationId, ok: true })]);

    const page = (await director.get(`/console/documents/${documentId}/historique`).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // SEAL_TSA_QUALIFIED unset: « Horodatage », never « qualifié » (the product cannot know it).
    expect(event.payload.timestampQualified).toBe(false);
    // eIDAS art. 41(2): not qualified, the time is the one the authority « indique », without the presumption of accuracy.
    expect(page).toContain('Horodatage : heure indiquée');
    expect(page).toContain('horodatage non qualifié : sans la présomption d’exactitude');
    expect(page).not.toContain('heure certifiée');
    expect(page).not.toContain('Horodatage qualifié');
    expect(page).toContain(`par l’autorité d’horodatage CN=CarePact test TSA, O=CarePact tests, C=FR (jeton n° ${ts.serialNumber} )`);
  }, 120_000);

  it('archive:verify --tsa-trust / ARCHIVE_TSA_TRUST / SEAL_TSA_CA: each B-T seal’s TSA must chain to a root given (the package carries the TSA’s chain); another root is TIMESTAMP_UNTRUSTED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carepact-bt-trust-'));
    const file = join(dir, 'document.zip');
    await h.app.get(ArchiveExporter).export({ kind: 'document', id: documentId }, file);
    const path = `documents/${documentId}/signatures/${requestId}/document-scelle.pdf`;
    // The TSA's certificate and the CA it was checked against at sealing, listed (hashed) in the signed manifest.
    const entries = await readZip(file);
    const carried = certificatesFromPem(entries.get(TSA_CERTIFICATES_FILE)!.toString('utf8')).map((c) => c.subject.replace(/\n/g, ', '));
    expect(carried).toEqual(['CN=CarePact test TSA, O=CarePact tests, C=FR', expect.stringContaining('CarePact test TSA CA')]);
    expect((JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest).files.map((f) => f.path)).toContain(TSA_CERTIFICATES_FILE);

    const other = await TestTsa.start();
    const otherCa = join(dir, 'autre-ca.pem');
    writeFileSync(otherCa, other.caPem);
    await other.close();
    const caDir = join(dir, 'racines');
    mkdirSync(caDir);
    writeFileSync(join(caDir, 'autre.pem'), other.caPem);
    writeFileSync(join(caDir, 'tsa.crt'), tsa.caPem);

    const trusted = await verifyArchive(file, { tsaTrusted: certificatesFromPem(tsa.caPem) });
    expect(trusted).toMatchObject({ ok: true, timestamps: [{ file: path, requestId, edition: 1, authority: 'CarePact test TSA', trusted: true, qualified: false }] });
    const unchecked = await verifyArchive(file);
    expect(unchecked).toMatchObject({ ok: true, timestamps: [{ trusted: null }] });
    const untrusted = await verifyArchive(file, { tsaTrusted: certificatesFromPem(other.caPem) });
    expect(untrusted).toMatchObject({ ok: false, timestamps: [{ file: path, trusted: false }] });
    expect(untrusted.problem).toEqual({ code: 'TIMESTAMP_UNTRUSTED', file: path, message: expect.stringContaining('« CarePact test TSA », une autorité d’horodatage qui ne se rattache à aucune autorité de confiance fournie') });

    // The command (in process: it reads nothing but the zip, the files named and its variables): the
    // flag (a file, a directory), the variable, and SEAL_TSA_CA by default.
    const cli = async (env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string }> => {
      const saved = { ARCHIVE_TSA_TRUST: process.env.ARCHIVE_TSA_TRUST, SEAL_TSA_CA: process.env.SEAL_TSA_CA };
      delete process.env.ARCHIVE_TSA_TRUST;
      delete process.env.SEAL_TSA_CA;
      Object.assign(process.env, env);
      let stdout = '';
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
      try {
        return { code: await archiveVerify.run([file, ...args]), stdout };
      } finally {
        write.mockRestore();
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    const byFlag = await cli({}, '--tsa-trust', caFile);
    expect(byFlag).toMatchObject({ code: 0 });
    expect(byFlag.stdout).toContain('autorité d’horodatage de confiance (--tsa-trust)');
    expect(await cli({}, '--tsa-trust', caDir)).toMatchObject({ code: 0 });
    const byEnv = await cli({ ARCHIVE_TSA_TRUST: otherCa, SEAL_TSA_CA: caFile });
    expect(byEnv).toMatchObject({ code: 1 });
    expect(byEnv.stdout).toContain(`ÉCHEC  ${path} [TIMESTAMP_UNTRUSTED]`);
    expect(byEnv.stdout).toContain('autorité d’horodatage NON RECONNUE');
    const byDefault = await cli({ SEAL_TSA_CA: caFile });
    expect(byDefault).toMatchObject({ code: 0 });
    expect(byDefault.stdout).toContain('autorité d’horodatage de confiance (SEAL_TSA_CA)');
    const none = await cli({});
    expect(none.stdout).toContain('autorité d’horodatage non vérifiée (utilisez --tsa-trust)');
    await expect(cli({}, '--tsa-trust', join(dir, 'absent.pem'))).rejects.toThrow(UsageError);
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

  it('the attacker’s chain (an end-entity certificate of the trusted root signed « Evil TSA »), sealed by an installation that checked nothing, its TSA declared qualified: « Vérifier à nouveau » and archive:verify say TIMESTAMP_UNTRUSTED; the evidence and the history say « Horodatage qualifié » as declared', async () => {
    const leaf = testCertificate({ cn: 'www.attacker.example', issuer: tsa.ca, serverAuth: true });
    const evil = testCertificate({ cn: 'Evil TSA', issuer: leaf, timeStamping: true });
    const configs = [h.app.get<AppConfig>(APP_CONFIG), worker!.app.get<AppConfig>(APP_CONFIG, { strict: false })];
    const saved = configs.map((c) => ({ roots: c.seal.tsa!.trustedRootsPem, qualified: c.seal.tsa!.qualified }));
    let documentId2 = '';
    let requestId2 = '';
    tsa.signWith(evil, [leaf]);
    try {
      // Sealed without SEAL_TSA_CA (allowed outside production), with SEAL_TSA_QUALIFIED=true.
      for (const c of configs) Object.assign(c.seal.tsa!, { trustedRootsPem: null, qualified: true });
      const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
      documentId2 = await generatedAdultContract(h, admissions, async () => worker);
      requestId2 = await signedInPersonAndCountersigned(admissions, director, documentId2, base);
      await waitUntil('sealed', async () => (await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId2])).rows[0].status === 'completed', 90_000);
    } finally {
      tsa.signWith(null);
      configs.forEach((c, i) => Object.assign(c.seal.tsa!, { trustedRootsPem: saved[i].roots, qualified: saved[i].qualified }));
    }
    const evidence = (await director.get(`/api/signature-requests/${requestId2}/evidence.json`).expect(200)).body;
    expect(evidence.sealTime).toMatchObject({ source: 'tsa', qualified: true, timestamp: { tsaCertificate: 'CN=Evil TSA, O=CarePact tests, C=FR' } });
    const [event] = (await su.query(`SELECT payload FROM audit_events WHERE action = 'signature.sealed' AND subject_id = $1`, [requestId2])).rows;
    expect(event.payload).toMatchObject({ timestampAuthority: 'CN=Evil TSA, O=CarePact tests, C=FR', timestampQualified: true });
    const page = (await director.get(`/console/documents/${documentId2}/historique`).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toContain('Horodatage qualifié (règlement eIDAS, art. 42) : heure certifiée');

    // SEAL_TSA_CA back (the test TSA's root, which did issue the attacker's end-entity certificate).
    const verification = await h.app.get(DocumentHistoryService).verify(await actorOf(h.orgA.users.director.email), documentId2);
    expect(verification.ok).toBe(false);
    expect(verification.checks.filter((c) => !c.ok)).toEqual([
      {
        what: expect.stringContaining('— horodatage qualifié (règlement eIDAS, art. 42) (jeton RFC 3161'),
        ok: false,
        detail: expect.stringMatching(/^TIMESTAMP_UNTRUSTED : horodaté le .+ par CN=Evil TSA.+« www\.attacker\.example » a signé le certificat de « Evil TSA » sans être une autorité de certification/),
      },
    ]);

    const dir = mkdtempSync(join(tmpdir(), 'carepact-bt-forged-'));
    const file = join(dir, 'document.zip');
    await h.app.get(ArchiveExporter).export({ kind: 'document', id: documentId2 }, file);
    const path = `documents/${documentId2}/signatures/${requestId2}/document-scelle.pdf`;
    const report = await verifyArchive(file, { tsaTrusted: certificatesFromPem(tsa.caPem) });
    expect(report).toMatchObject({ ok: false, timestamps: [{ file: path, authority: 'Evil TSA', trusted: false, qualified: true }] });
    expect(report.problem).toEqual({ code: 'TIMESTAMP_UNTRUSTED', file: path, message: expect.stringContaining('sans être une autorité de certification (basicConstraints sans CA:TRUE)') });
  }, 240_000);
});
