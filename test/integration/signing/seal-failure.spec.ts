import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { Client } from 'pg';
import { AuthService, StaffActor } from '@carepact/identity';
import { MAILER, WorklistService } from '@carepact/signing';
import { TEST_PASSWORD, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { generatedAdultContract, signedInPersonAndCountersigned } from './signed-in-person';

/** A PKCS#12 whose certificate expired in 2021: every seal fails for good (SEAL_CERTIFICATE_NOT_VALID). */
function expiredP12(): string {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2020-01-01');
  cert.validity.notAfter = new Date('2021-01-01');
  const attrs = [{ name: 'commonName', value: 'EHPAD a' }, { name: 'organizationName', value: 'Org a' }, { name: 'countryName', value: 'FR' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'phrase-secrete-du-cachet', { algorithm: '3des' });
  const file = join(mkdtempSync(join(tmpdir(), 'carepact-p12-')), 'seal.p12');
  writeFileSync(file, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  return file;
}

type Sent = { to: string; kind: string; data: Record<string, unknown> };

/**
 * A seal that fails for good is never silent (SECURITY-RELIABILITY « Queues and jobs »): the
 * request gets a `seal_failed` event and its audit event (the error code, nothing secret), staff are
 * e-mailed (`seal-failed`), the document page says why in French with « Relancer le scellement »
 * (signature.manage: a new seal job, audited), « À faire » lists it; the deadline passing does not
 * expire it (its signatures are all in). Retried once the certificate is fixed, the seal completes.
 */
describe('a seal that fails for good', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let su: Client;
  const sent: Sent[] = [];
  let requestId = '';
  let documentId = '';
  let director: Awaited<ReturnType<typeof loginAgent>>;

  const actorOf = async (email: string): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const kinds = async () => (await su.query(`SELECT kind FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [requestId])).rows.map((r: { kind: string }) => r.kind);
  /** The worker's mailer records instead of sending (this harness has no SMTP server). */
  const startRecordingWorker = async () => {
    const w = await startWorker(h.db.config, { probe: false });
    const mailer = w.app.get(MAILER, { strict: false }) as { send: (to: { address: string }, kind: string, data: Record<string, unknown>) => Promise<void> };
    mailer.send = async (to, kind, data) => void sent.push({ to: to.address, kind, data });
    return w;
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', JOB_BACKOFF_MS: '50', SEAL_P12_PATH: expiredP12(), SEAL_P12_PASSPHRASE: 'phrase-secrete-du-cachet' });
    await h.app.listen(0, '127.0.0.1');
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    documentId = await generatedAdultContract(h, admissions, async () => (worker = await startRecordingWorker()));
    requestId = await signedInPersonAndCountersigned(admissions, director, documentId, base);
    await waitUntil('the seal failed for good', async () => (await su.query(`SELECT failed_at FROM outbox WHERE job_name = 'signing.seal'`)).rows[0]?.failed_at != null, 60_000);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await su?.end();
    await h?.close();
  });

  it('records a seal_failed event and its audit event (the code, no secret), and tells staff by e-mail', async () => {
    const events = (await su.query(`SELECT kind, details FROM signature_events WHERE request_id = $1 AND kind = 'seal_failed'`, [requestId])).rows;
    expect(events).toEqual([{ kind: 'seal_failed', details: { code: 'SEAL_CERTIFICATE_NOT_VALID', retriesExhausted: false } }]);
    const audit = (await su.query(`SELECT actor_type, payload FROM audit_events WHERE action = 'signature.seal_failed' AND subject_id = $1`, [requestId])).rows;
    expect(audit).toEqual([{ actor_type: 'system', payload: { code: 'SEAL_CERTIFICATE_NOT_VALID', retriesExhausted: false } }]);
    expect(JSON.stringify(audit)).not.toContain('phrase-secrete');
    // Still in progress, its document still in signature: nothing lost, nothing closed.
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'active' }]);
    await waitUntil('the staff e-mail', async () => sent.some((m) => m.kind === 'seal-failed'), 30_000);
    const mail = sent.find((m) => m.kind === 'seal-failed')!;
    expect(mail.data).toMatchObject({ documentType: 'contrat-sejour', residentName: 'Marcel Dupont', cause: expect.stringContaining('certificat de cachet') });
    expect(String(mail.data.consoleUrl)).toContain(`/console/documents/${documentId}?section=demande-${requestId}#demande-${requestId}`);
  });

  it('the document page says it in French with « Relancer le scellement »; « À faire » lists it', async () => {
    const page = await director.get(`/console/documents/${documentId}`).expect(200);
    const text = page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Le scellement du document signé a échoué');
    expect(text).toContain('Le certificat de cachet de l’établissement n’est pas valide');
    expect(text).toContain('Relancer le scellement');
    expect(text).not.toContain('Annuler la demande de signature');
    // The auditor reads it, without the action.
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const audited = (await auditor.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(audited).toContain('Le scellement du document signé a échoué');
    expect(audited).not.toContain('Relancer le scellement');
    // The JSON view says it too.
    const view = (await director.get(`/api/signature-requests/${requestId}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'active', awaitingSeal: true, sealFailure: { code: 'SEAL_CERTIFICATE_NOT_VALID', reason: expect.stringContaining('certificat'), at: expect.any(String) } });

    const w = await h.app.get(WorklistService).forActor(await actorOf(h.orgA.users.admissions.email));
    const items = w.establishments.flatMap((e) => e.sections.flatMap((s) => s.items));
    expect(items.find((i) => i.key === `seal_failed:${requestId}`)).toMatchObject({
      category: 'seal_failed',
      title: 'Contrat de séjour : scellement échoué',
      detail: expect.stringContaining('certificat de cachet'),
      href: `/console/documents/${documentId}#demande-${requestId}`,
    });
    // Not also listed as a countersignature or a signature awaited.
    expect(items.filter((i) => i.requestId === requestId).map((i) => i.category)).toEqual(['seal_failed']);
  });

  it('GET /api/signature-inbox lists it under sealFailures (code, French reason, retry link) for who may retry it; not the auditor', async () => {
    type Inbox = { sealFailures?: Record<string, unknown>[]; countersignatures: { request_id: string }[] };
    for (const agent of [director, await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD)]) {
      const inbox = (await agent.get('/api/signature-inbox').expect(200)).body as Inbox;
      expect(inbox.sealFailures).toEqual([
        {
          request_id: requestId,
          document_id: documentId,
          document_type: 'contrat-sejour',
          code: 'SEAL_CERTIFICATE_NOT_VALID',
          reason: expect.stringContaining('Le certificat de cachet de l’établissement n’est pas valide'),
          failed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          href: `/api/signature-requests/${requestId}/seal-retry`,
          method: 'POST',
        },
      ]);
      expect(inbox.countersignatures.map((c) => c.request_id)).not.toContain(requestId);
    }
    // The auditor may not retry a seal (signature.manage): nothing of it in her inbox.
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    expect(((await auditor.get('/api/signature-inbox').expect(200)).body as Inbox).sealFailures).toEqual([]);
    // Another organisation's staff: nothing either.
    const other = await loginAgent(h.app, h.orgB.users.director.email, TEST_PASSWORD);
    expect(((await other.get('/api/signature-inbox').expect(200)).body as Inbox).sealFailures).toEqual([]);
  });

  it('the deadline passes: the request does not expire (its signatures are all in)', async () => {
    await su.query(`UPDATE signature_requests SET deadline = now() - interval '1 second' WHERE id = $1`, [requestId]);
    await su.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'signing.expire'`);
    await waitUntil('expire ran', async () => (await su.query(`SELECT done_at FROM outbox WHERE job_name = 'signing.expire'`)).rows[0].done_at !== null, 30_000);
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'active' }]);
    expect(await kinds()).not.toContain('expired');
  });

  it('a reader without signature.manage cannot retry; « Relancer le scellement » enqueues a new seal job, audited; once the certificate is fixed the request completes', async () => {
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    expect((await auditor.post(`/api/signature-requests/${requestId}/seal-retry`).send({})).status).toBe(403);

    // The administrator replaces the certificate (here: back to the development one) and the worker restarts.
    await worker!.close();
    worker = undefined;
    h.db.config.seal.p12Path = null;
    h.db.config.seal.p12Passphrase = null;

    const page = await director.get(`/console/documents/${documentId}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const retried = await director.post(`/console/documents/${documentId}/demandes/${requestId}/sceller`).type('form').send({ _csrf: csrf });
    expect(retried.status).toBe(303);
    const after = (await director.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(after).not.toContain('Le scellement du document signé a échoué');
    expect(after).toContain('Le scellement est relancé');
    expect((await director.get('/api/signature-inbox').expect(200)).body.sealFailures).toEqual([]);
    // Twice in a row: nothing failed since, nothing to retry.
    const again = await director.post(`/api/signature-requests/${requestId}/seal-retry`).send({});
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'SEAL_NOT_FAILED' });

    const seals = (await su.query(`SELECT job_id, failed_at IS NOT NULL AS failed FROM outbox WHERE job_name = 'signing.seal' ORDER BY created_at`)).rows;
    expect(seals).toHaveLength(2);
    expect(seals[0].failed).toBe(true);
    expect(seals[1]).toEqual({ job_id: expect.not.stringMatching(`^${seals[0].job_id}$`), failed: false });
    const audit = (await su.query(`SELECT actor_type, actor_id, payload FROM audit_events WHERE action = 'signature.seal_retried' AND subject_id = $1`, [requestId])).rows;
    expect(audit).toEqual([{ actor_type: 'staff', actor_id: h.orgA.users.director.id, payload: { previousCode: 'SEAL_CERTIFICATE_NOT_VALID' } }]);

    worker = await startRecordingWorker();
    await waitUntil('sealed', async () => (await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows[0].status === 'completed', 60_000);
    expect((await su.query(`SELECT status FROM documents WHERE id = $1`, [documentId])).rows).toEqual([{ status: 'signed' }]);
    expect(await kinds()).toEqual(expect.arrayContaining(['seal_failed', 'seal_retried', 'sealed']));
    const w = await h.app.get(WorklistService).forActor(await actorOf(h.orgA.users.admissions.email));
    expect(w.establishments.flatMap((e) => e.sections.flatMap((s) => s.items)).filter((i) => i.requestId === requestId)).toEqual([]);
  }, 120_000);
});
