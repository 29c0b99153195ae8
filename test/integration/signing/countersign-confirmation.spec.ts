import { DataSource } from 'typeorm';
import { PortalClient, TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { generatedAdultContract } from './signed-in-person';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * The establishment's countersignature binds it: never one call without an explicit statement
 * (C. civ. 1367). The console asks for the box « J’ai lu le document et je le contresigne pour
 * l’établissement (version N) »; `POST /api/signature-requests/:id/countersign` signed with an empty
 * body. It now wants `{ "confirm": true, "version": N }`, N the request's version: without it 400
 * COUNTERSIGN_NOT_CONFIRMED, another version 409 COUNTERSIGN_VERSION_MISMATCH, nothing signed.
 */
describe('the API countersignature states its confirmation and the version signed', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let ds: DataSource;
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('refused without confirm, without version or for another version (API and console); signed with both, the event recording the version', async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    ds = h.app.get(DataSource);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    const documentId = await generatedAdultContract(h, admissions, async () => {
      worker = await startWorker(h.db.config, { probe: false });
    });
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      versionNumber: number;
      signers: { id: string; role: string; name: string }[];
    };
    expect(view.versionNumber).toBe(1);
    const resident = view.signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissions.post(`/api/signature-requests/${view.id}/signers/${resident.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    expect((await portal.sign({ consent: 'oui', typedName: resident.name })).status).toBe(303);

    const countersigned = async () => (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'countersigned'`, [view.id])) as { details: Record<string, unknown> }[];
    const post = (body?: object) => director.post(`/api/signature-requests/${view.id}/countersign`).send(body ?? {});
    for (const [body, field] of [
      [{}, 'confirm'],
      [{ confirm: false, version: 1 }, 'confirm'],
      [{ confirm: true }, 'version'],
    ] as const) {
      const res = await post(body);
      expect({ body, status: res.status, code: res.body.error?.code, details: res.body.error?.details }).toEqual({
        body,
        status: 400,
        code: 'COUNTERSIGN_NOT_CONFIRMED',
        details: [expect.objectContaining({ field, code: 'COUNTERSIGN_NOT_CONFIRMED', message: expect.stringContaining('« J’ai lu le document et je le contresigne pour l’établissement (version 1) »') })],
      });
    }
    // No body at all (the call as it was): refused the same.
    const bare = await director.post(`/api/signature-requests/${view.id}/countersign`);
    expect({ status: bare.status, code: bare.body.error?.code }).toEqual({ status: 400, code: 'COUNTERSIGN_NOT_CONFIRMED' });
    expect((await post({ confirm: 'oui', version: 1 })).status).toBe(400);
    const other = await post({ confirm: true, version: 2 });
    expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 409, code: 'COUNTERSIGN_VERSION_MISMATCH' });
    expect(other.body.error.message).toBe('Cette demande porte sur la version 1 du document, pas sur la version 2 : relisez la version 1 avant de la contresigner.');

    // The console: the box names version 1 and carries it; a form naming another version is refused too.
    const page = (await director.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(text(page)).toContain('J’ai lu le document et je le contresigne pour l’établissement (version 1).');
    expect(page).toContain('<input type="hidden" name="version" value="1"/>');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const stale = await director.post(`/console/documents/${documentId}/demandes/${view.id}/contresigner`).type('form').send({ _csrf: csrf, confirm: 'oui', version: '2' });
    expect(stale.status).toBe(409);
    expect(text(stale.text)).toContain('Cette demande porte sur la version 1 du document, pas sur la version 2');
    expect(await countersigned()).toEqual([]);
    expect((await ds.query(`SELECT status FROM signature_signers WHERE request_id = $1 AND role = 'director'`, [view.id])) as unknown[]).toEqual([{ status: 'pending' }]);

    const ok = await post({ confirm: true, version: 1 });
    expect({ status: ok.status, error: ok.body.error }).toEqual({ status: 200, error: undefined });
    expect(await countersigned()).toEqual([{ details: expect.objectContaining({ versionNumber: 1, confirmed: true }) }]);
  }, 180_000);
});
