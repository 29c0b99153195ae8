import { Client } from 'pg';
import { SEALER } from '@carepact/signing';
import { TEST_PASSWORD, loginAgent, waitUntil, PortalClient, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { generatedDemoDipc } from './signed-in-person';

/**
 * The seal builds its evidence from the signers and views it read before rendering the PDF, without
 * the request's lock. On a DIPC the person's own signature is optional (CASF D.311): the director
 * countersigns, the seal starts, and she signs while the PDF renders. Her signature is committed;
 * the seal must not then commit evidence that calls her `pending`: under the lock it sees that what
 * it built from changed, and the job runs again on fresh data (SEAL_INPUTS_CHANGED, retried).
 */
describe('a signature given while the seal renders', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('is in the sealed evidence, signed, and the completion e-mail goes to her too', async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', JOB_BACKOFF_MS: '50' });
    await h.app.listen(0, '127.0.0.1');
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    const { documentId } = await generatedDemoDipc(h, admissions, async () => {
      worker = await startWorker(h.db.config, { probe: false });
    });
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string; optional: boolean }[];
    };
    const person = view.signers.find((s) => s.role !== 'director')!;
    expect(person.optional).toBe(true);
    const { url } = (await admissions.post(`/api/signature-requests/${view.id}/signers/${person.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');

    // The first seal renders slowly (a long document, a busy pool): she signs meanwhile.
    const sealer = worker!.app.get(SEALER, { strict: false }) as { seal: (...a: unknown[]) => Promise<Buffer> };
    const real = sealer.seal.bind(sealer);
    let signedDuringSeal = 0;
    let renders = 0;
    sealer.seal = async (...a: unknown[]) => {
      renders++;
      if (!signedDuringSeal) signedDuringSeal = (await portal.post('/portail/signer', { consent: 'oui', typedName: 'Ahmed Benali' })).status;
      return real(...a);
    };
    expect((await countersignRequest(director, view.id)).status).toBe(200);

    const su = new Client({ connectionString: h.db.url });
    await su.connect();
    try {
      await waitUntil('sealed', async () => (await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [view.id])).rows[0].status !== 'active', 60_000);
      expect(signedDuringSeal).toBe(303);
      // Rendered twice: the first seal, built before her signature, was refused under the lock and retried.
      expect(renders).toBe(2);
      expect((await su.query(`SELECT status FROM signature_requests WHERE id = $1`, [view.id])).rows).toEqual([{ status: 'completed' }]);
      expect((await su.query(`SELECT status FROM signature_signers WHERE id = $1`, [person.id])).rows).toEqual([{ status: 'signed' }]);
      const evidence = (await su.query(`SELECT evidence FROM sealed_documents WHERE request_id = $1`, [view.id])).rows[0].evidence as { signers: { id: string; status: string; at: string | null }[]; events: { kind: string; signerId: string | null }[] };
      expect(evidence.signers.find((s) => s.id === person.id)).toMatchObject({ status: 'signed', at: expect.any(String) });
      expect(evidence.events.some((e) => e.kind === 'signed' && e.signerId === person.id)).toBe(true);
      // Sealed once; the completion e-mail queued for her as for anyone who signed with an address.
      expect((await su.query(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'sealed'`, [view.id])).rows[0].n).toBe(1);
      expect((await su.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notify.completed' AND payload->>'signerId' = $1`, [person.id])).rows[0].n).toBe(1);
    } finally {
      await su.end();
    }
  }, 180_000);
});
