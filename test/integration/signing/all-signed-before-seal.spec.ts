import { Client } from 'pg';
import { TEST_PASSWORD, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { generatedAdultContract, signedInPersonAndCountersigned } from './signed-in-person';

/**
 * Every required signature is in (the director's countersignature included) and the seal job is
 * still queued: the request stays `active` until the seal commits. Neither the deadline passing
 * (`signing.expire`) nor staff (« Annuler la demande de signature ») may then throw the signatures
 * away: the expiry does nothing, the cancel answers 409 SIGNATURE_REQUEST_FULLY_SIGNED and the
 * console no longer offers it; the seal then completes the request.
 */
describe('all signed, seal still queued: no expiry, no cancel', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let su: Client;
  let requestId = '';
  let documentId = '';
  let director: Awaited<ReturnType<typeof loginAgent>>;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    // An adult without a protection measure: she signs, then the director countersigns.
    documentId = await generatedAdultContract(h, admissions, async () => (worker = await startWorker(h.db.config, { probe: false })));
    // No worker from here: the seal job waits in the outbox, as behind a busy seal queue.
    await worker!.close();
    worker = undefined;
    requestId = await signedInPersonAndCountersigned(admissions, director, documentId, base);
    expect((await su.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'signing.seal' AND done_at IS NULL`)).rows[0].n).toBe(1);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await su?.end();
    await h?.close();
  });

  it('cancel: 409 SIGNATURE_REQUEST_FULLY_SIGNED in French, nothing changed; the console says the seal is under way and offers no cancel', async () => {
    const res = await director.post(`/api/signature-requests/${requestId}/cancel`).send({});
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'SIGNATURE_REQUEST_FULLY_SIGNED' });
    expect(res.body.error.message).toContain('Toutes les signatures requises sont recueillies');
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'active' }]);
    expect((await su.query(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [requestId])).rows[0].n).toBe(0);

    const page = await director.get(`/console/documents/${documentId}`).expect(200);
    expect(page.text).not.toContain('Annuler la demande de signature');
    expect(page.text).toContain('Toutes les signatures sont réunies : le scellement du PDF est en cours.');
    // The console's form, posted anyway (an old page): the same refusal, in French, on the page.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const posted = await director.post(`/console/documents/${documentId}/demandes/${requestId}/annuler`).type('form').send({ _csrf: csrf });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Toutes les signatures requises sont recueillies');
  });

  it('the deadline passes before the seal runs: the expiry leaves the request alone; the seal then completes it', async () => {
    await su.query(`UPDATE outbox SET available_at = now() + interval '1 hour' WHERE job_name = 'signing.seal'`);
    await su.query(`UPDATE signature_requests SET deadline = now() - interval '1 second' WHERE id = $1`, [requestId]);
    await su.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'signing.expire'`);
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('expire ran', async () => (await su.query(`SELECT done_at FROM outbox WHERE job_name = 'signing.expire'`)).rows[0].done_at !== null, 30_000);
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'active' }]);
    expect((await su.query(`SELECT status FROM documents WHERE id = $1`, [documentId])).rows).toEqual([{ status: 'in_signature' }]);
    expect((await su.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notify.staff' AND payload->>'kind' = 'expired'`)).rows[0].n).toBe(0);

    await su.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'signing.seal'`);
    await waitUntil('sealed', async () => (await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows[0].status !== 'active', 60_000);
    expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).rows).toEqual([{ status: 'completed' }]);
    expect((await su.query(`SELECT status FROM documents WHERE id = $1`, [documentId])).rows).toEqual([{ status: 'signed' }]);
    expect((await su.query(`SELECT count(*)::int AS n FROM sealed_documents WHERE request_id = $1`, [requestId])).rows[0].n).toBe(1);
    const kinds = (await su.query(`SELECT kind FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [requestId])).rows.map((r: { kind: string }) => r.kind);
    expect(kinds).toContain('sealed');
    expect(kinds).not.toContain('expired');
  }, 120_000);
});
