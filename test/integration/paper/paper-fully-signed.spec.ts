import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { scanOf } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { generatedDemoDipc } from '../signing/signed-in-person';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * A DIPC: the director signs it, the person may countersign it or not (CASF D.311). Once the
 * director has signed, every required signature is in and the request only waits for its seal;
 * the person's optional signature is still « en attente ». Depositing a paper scan then (declaring
 * her signature on it) would change what the queued seal builds from: the service refuses it with
 * 409 SIGNATURE_REQUEST_FULLY_SIGNED, as the cancel does, and the console no longer offers it.
 */
describe('paper scan on a fully-signed request waiting for its seal', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let ds: DataSource;
  let admissions: request.Agent;
  let documentId = '';
  let requestId = '';
  let personId = '';
  let scan: Buffer;

  const stored = async () => ({
    paper: ((await ds.query(`SELECT count(*)::int AS n FROM paper_signatures WHERE request_id = $1`, [requestId])) as { n: number }[])[0].n,
    person: ((await ds.query(`SELECT status FROM signature_signers WHERE id = $1`, [personId])) as { status: string }[])[0].status,
    events: ((await ds.query(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind IN ('paper_uploaded', 'signed_on_paper')`, [requestId])) as { n: number }[])[0].n,
  });

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    ({ documentId } = await generatedDemoDipc(h, admissions, async () => {
      worker = await startWorker(h.db.config, { probe: false });
    }));
    // No worker from here: the seal job waits in the outbox, as behind a busy seal queue.
    await worker!.close();
    worker = undefined;
    const doc = (await admissions.get(`/api/documents/${documentId}`)).body as { versions: { renditions: { format: string; variant: string; href: string }[] }[] };
    const pdf = (await admissions.get(doc.versions[0].renditions.find((r) => r.format === 'pdf' && r.variant === 'standard')!.href).buffer(true).parse(binary)).body as Buffer;
    scan = await scanOf(pdf, [1]);
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string; optional: boolean }[];
    };
    requestId = view.id;
    const person = view.signers.find((s) => s.role !== 'director')!;
    expect(person.optional).toBe(true);
    personId = person.id;
    expect((await countersignRequest(director, requestId)).status).toBe(200);
    expect((await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body).toMatchObject({ status: 'active', awaitingSeal: true });
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('POST …/paper declaring the optional signer: 409 SIGNATURE_REQUEST_FULLY_SIGNED in French, nothing stored', async () => {
    const res = await admissions.post(`/api/signature-requests/${requestId}/paper?signerIds=${personId}`).set('Content-Type', 'application/pdf').send(scan);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'SIGNATURE_REQUEST_FULLY_SIGNED' });
    expect(res.body.error.message).toContain('Toutes les signatures requises sont recueillies');
    expect(res.body.error.message).toContain('scan signé sur papier');
    expect(await stored()).toEqual({ paper: 0, person: 'pending', events: 0 });
  });

  it('the console document page no longer offers « Déposer le scan signé sur papier »; its form, posted anyway, says why', async () => {
    const page = await admissions.get(`/console/documents/${documentId}`).expect(200);
    // A DIPC the director signed, the person's countersignature optional and not given (CASF D.311 II): established, not « toutes les signatures ».
    expect(page.text).toContain('Document signé et établi par l’établissement : le scellement du PDF est en cours, puis il est remis à Ahmed Benali.');
    expect(page.text).not.toContain('Déposer le scan signé sur papier');
    expect(page.text).not.toContain(`/demandes/${requestId}/papier`);
    // An old page's link, and its form posted anyway: the same refusal, in French.
    const form = await admissions.get(`/console/documents/${documentId}/demandes/${requestId}/papier`);
    expect(form.status).toBe(409);
    expect(form.text).toContain('Toutes les signatures requises sont recueillies');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const posted = await admissions
      .post(`/console/documents/${documentId}/demandes/${requestId}/papier`)
      .field('_csrf', csrf)
      .field('signerIds', personId)
      .attach('scan', scan, { filename: 'scan.pdf', contentType: 'application/pdf' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Toutes les signatures requises sont recueillies');
    expect(await stored()).toEqual({ paper: 0, person: 'pending', events: 0 });
  });
});
