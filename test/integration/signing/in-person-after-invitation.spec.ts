import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Staff send a request, then at once start the resident's in-person signature on a tablet, before
 * the worker has sent the queued invitation e-mail. The e-mail must not revoke the tablet link:
 * `portal-paths.spec.ts` failed intermittently under load (401 on the reading page, then a 500 on
 * the signature) because the invitation, sent after the in-person link, revoked it.
 */
describe('in person after sending: the queued invitation leaves the tablet link alive', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('the invitation queued before the switch is skipped; the in-person session signs; a later resend e-mails again', async () => {
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
    // No worker while the request is sent and the tablet link opened: the invitations wait in the outbox.
    await worker.close();
    worker = undefined;
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    const resident = view.signers.find((s) => s.role === 'resident')!;
    const opened = (await admissions.post(`/api/signature-requests/${view.id}/signers/${resident.id}/in-person`).expect(200)).body as { url: string };
    const ds = h.app.get(DataSource);
    const invitations = `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = $1 AND done_at IS NULL`;
    expect((await ds.query(invitations, [resident.id]))[0].n).toBe(1);

    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('the queued invitation handled', async () => (await ds.query(invitations, [resident.id]))[0].n === 0, 30_000);
    // Skipped: no e-mail link issued for the resident, the tablet link not revoked.
    const links = (await ds.query(`SELECT revoked_at FROM signing_links WHERE signer_id = $1 ORDER BY created_at`, [resident.id])) as { revoked_at: Date | null }[];
    expect(links).toEqual([{ revoked_at: null }]);

    // The tablet session still reads and signs.
    // (The portal's cookie is `__Host-` and Secure: carried by hand over the test's plain HTTP.)
    const open = await request(h.app.getHttpServer()).get(new URL(opened.url).pathname).redirects(0);
    expect(open.status).toBe(303);
    const cookie = String(open.headers['set-cookie']).split(';')[0];
    expect((await request(h.app.getHttpServer()).get('/portail/document').set('Cookie', cookie)).status).toBe(200);

    // Resending by e-mail (same address) switches the signer back to e-mail: the invitation goes out.
    await admissions.post(`/api/signature-requests/${view.id}/signers/${resident.id}/resend`).send({}).expect(200);
    expect(await ds.query(`SELECT delivery FROM signature_signers WHERE id = $1`, [resident.id])).toEqual([{ delivery: 'email' }]);
    // The invitation is not skipped this time: it issues the e-mail's link (this harness has no SMTP server to deliver it).
    await waitUntil('the resend invitation issued its link', async () => ((await ds.query(`SELECT count(*)::int AS n FROM signing_links WHERE signer_id = $1`, [resident.id]))[0].n as number) === 2, 30_000);
  }, 180_000);
});
