import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, archiveResident, archivedResidentWithRefusedContract, insertResidentsWithSignedContracts, launchChromium, loginAgent, waitUntil } from '@carepact/testing';
import { calendarDayIn } from '@carepact/common';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { tariffAvenantDataFor } from '../documents/tariff-avenant-data';
import { insertSealedRequest } from '../worklist/worklist-fixtures';

/** Where the document page, as admissions see it past the active base, is left for a person to look at. */
const SHOTS = process.env.ARCHIVE_READERS_SHOTS ?? join(tmpdir(), 'archive-readers');

/**
 * The intermediate archive (intermediate-archive.ts) from the readers an attacker's review found
 * without its check (session 16): past the active base, a person's content is read only by whoever
 * opened her archive with a reason.
 * - the replacement DIPC's offer after a refused contract (`GET|POST …/dipc`, the console's page and
 *   form) carries the contract's objectives, services, prices and the refusal's reason;
 * - the signature inbox gives the refusal's reason and the questions, as the request's view does not;
 * - a tariff avenant read the price in force from an archived person's signed contract (filled, or
 *   named in the refusal), and bulk candidates offered departed residents (CASF L.342-3: a price
 *   change applies to the contracts in force; the departure ends the contract).
 */
describe('intermediate archive: the DIPC offer, the signature inbox and tariff avenants', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let coordinator: request.Agent;
  let residentId = '';
  let doc = '';
  let requestId = '';
  const REASON = 'Le tarif dépendance est contesté par la famille';
  const QUESTION = 'Pourquoi la chambre double est-elle facturée ?';
  const VISA_REMARK = 'Les mots de Mme Marchal sur ses promenades ont été reformulés.';
  const est = () => ({ organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId });

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    coordinator = await loginAgent(h.app, h.orgA.users.coordinator.email, TEST_PASSWORD);
    // A contract sent to the tuteur, who asks a question then refuses it with a reason; then in the
    // intermediate archive (left on 1 January 2020: since 2 January 2022).
    ({ residentId, documentId: doc, requestId } = await archivedResidentWithRefusedContract({ ds, admin, admissions, establishmentId: h.orgA.establishmentId, base, question: QUESTION, reason: REASON }));
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('the replacement DIPC’s offer (the contract’s content, the refusal’s reason) is refused past the active base, by the API and the console', async () => {
    for (const agent of [admissions, coordinator, admin]) {
      const offer = await agent.get(`/api/signature-requests/${requestId}/dipc`);
      expect({ status: offer.status, code: offer.body.error?.code }).toEqual({ status: 403, code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
      expect(JSON.stringify(offer.body)).not.toMatch(/objectives|promenade|contesté/);
    }
    // The request's view does not offer it either (its next step was « create_dipc »).
    expect((await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body).toMatchObject({ status: 'refused', contentWithheld: true, nextStep: null });
    const created = await admissions.post(`/api/signature-requests/${requestId}/dipc`);
    expect({ status: created.status, code: created.body.error?.code }).toEqual({ status: 403, code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
    // The console's page: still shown (metadata), without the offer; its form refused the same way.
    const page = await admissions.get(`/console/documents/${doc}`).expect(200);
    expect(page.text).not.toContain('Créer le DIPC');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await admissions.post(`/console/documents/${doc}/demandes/${requestId}/dipc`).type('form').send({ _csrf: csrf }).expect(403);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1 AND type = 'dipc'`, [residentId]))[0].n)).toBe(0);
  });

  it('the internal visa’s remark (the content: what to correct, her words) is withheld past the active base; the decision stays', async () => {
    await ds.query(
      `INSERT INTO document_visas (organisation_id, establishment_id, document_id, version_id, approver_role, decision, reason, decided_by, decided_by_name, decided_at)
       SELECT d.organisation_id, d.establishment_id, d.id, d.current_version_id, 'coordinator', 'rejected', $2, $3, 'Coordination', '2019-12-01' FROM documents d WHERE d.id = $1`,
      [doc, VISA_REMARK, h.orgA.users.coordinator.id],
    );
    for (const agent of [admissions, coordinator, admin]) {
      const visa = (await agent.get(`/api/documents/${doc}/visa`).expect(200)).body as { state: string; decision: { reason: string | null; reasonWithheld?: boolean } };
      expect(visa).toMatchObject({ state: 'rejected', decision: { decision: 'rejected', reason: null, reasonWithheld: true } });
    }
    // Sending: the archived person is refused before the visa, whose refusal would quote the remark (the code reviewer's finding).
    const [{ status }] = (await ds.query(`SELECT status FROM documents WHERE id = $1`, [doc])) as { status: string }[];
    await ds.query(`UPDATE documents SET status = 'ready' WHERE id = $1`, [doc]);
    try {
      const sent = await admissions.post(`/api/documents/${doc}/signature-requests`).send({ lateReason: 'Envoi de contrôle.' });
      expect({ status: sent.status, code: sent.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
      expect(JSON.stringify(sent.body)).not.toContain('promenades');
    } finally {
      await ds.query(`UPDATE documents SET status = $2 WHERE id = $1`, [doc, status]);
    }
    const page = (await admissions.get(`/console/documents/${doc}`).expect(200)).text;
    expect(page).toContain('Visa refusé');
    expect(page).not.toContain('promenades');
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const shown = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width: 1000, height: 900 } })).newPage();
      await shown.goto('/portail/lien-invalide');
      await shown.setContent(page, { waitUntil: 'load' });
      await shown.locator('#visa').screenshot({ path: join(SHOTS, 'visa-archived.png') });
      await shown.locator(`section[data-request-id="${requestId}"]`).screenshot({ path: join(SHOTS, 'request-archived.png') });
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('the signature inbox keeps the refusal and the question to handle, without what the signer wrote, as the request’s view', async () => {
    const inbox = (await admissions.get('/api/signature-inbox').expect(200)).body as {
      refusals: { request_id: string; refusal_reason: string | null }[];
      questions: { request_id: string; message: string }[];
    };
    expect(inbox.refusals.filter((x) => x.request_id === requestId)).toEqual([expect.objectContaining({ refusal_reason: null })]);
    expect(inbox.questions.filter((x) => x.request_id === requestId)).toEqual([expect.objectContaining({ message: '' })]);
    expect(JSON.stringify(inbox)).not.toMatch(/contesté|chambre double/);
    const view = (await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body as { contentWithheld: boolean; questions: { message: string }[] };
    expect(view.contentWithheld).toBe(true);
    expect(view.questions.map((q) => q.message)).toEqual(['']);
  });

  it('an action on a request (the handover recorded) answers with the request as the reader may read it: the texts withheld, as GET', async () => {
    const [{ version }] = (await ds.query(`SELECT current_version_id AS version FROM documents WHERE id = $1`, [doc])) as { version: string }[];
    const sealed = await insertSealedRequest(ds, { ...est(), today: calendarDayIn(new Date()) }, { documentId: doc, versionId: version }, [
      { key: 'resident', role: 'resident', firstName: 'Yvonne', lastName: 'Marchal' },
      { key: 'director', role: 'director', firstName: 'Claire', lastName: 'Direction' },
    ]);
    await ds.query(`UPDATE signature_requests SET late_reason = 'Sa fille ne voulait pas du contrat' WHERE id = $1`, [sealed]);
    const [signer] = (await ds.query(`SELECT id FROM signature_signers WHERE request_id = $1 AND key = 'resident'`, [sealed])) as { id: string }[];
    await ds.query(`INSERT INTO signer_questions (request_id, signer_id, message, asked_at, answer, answered_at) VALUES ($1, $2, 'Puis-je garder mon chat Minou ?', now(), 'Oui, Minou est le bienvenu.', now())`, [sealed, signer.id]);
    const handed = await admissions
      .post(`/api/signature-requests/${sealed}/handover`)
      .send({ recipientKey: 'resident', handedOn: calendarDayIn(new Date()), how: 'En main propre, en présence de sa fille Sophie' })
      .expect(200);
    expect(handed.body).toMatchObject({ contentWithheld: true, sentLate: { reason: '' }, questions: [{ message: '', answer: '' }] });
    expect(JSON.stringify(handed.body)).not.toMatch(/Minou|Sophie|ne voulait pas/);
    expect(JSON.stringify((await admissions.get(`/api/signature-requests/${sealed}`).expect(200)).body)).not.toMatch(/Minou|Sophie|ne voulait pas/);
  });

  it('once an administrator opened the archive for herself, she reads the offer and the inbox’s texts (creating the DIPC stays refused); the others still do not', async () => {
    await admin.post(`/api/residents/${residentId}/archive-access`).send({ reason: 'Contentieux sur le tarif (courrier du 12/11/2026)' }).expect(201);
    const offer = (await admin.get(`/api/signature-requests/${requestId}/dipc`).expect(200)).body as { data: { contractRefused: { reasonGiven: string } } };
    expect(offer.data.contractRefused.reasonGiven).toBe(REASON);
    // She reads the request's content; the DIPC is not offered as a next step: no new document in the archive (archive-new-documents.spec.ts).
    expect((await admin.get(`/api/signature-requests/${requestId}`).expect(200)).body).toMatchObject({ contentWithheld: false, nextStep: null });
    const inbox = (await admin.get('/api/signature-inbox').expect(200)).body as { refusals: { request_id: string; refusal_reason: string }[]; questions: { request_id: string; message: string }[] };
    expect(inbox.refusals.find((x) => x.request_id === requestId)?.refusal_reason).toBe(REASON);
    expect(inbox.questions.find((x) => x.request_id === requestId)?.message).toBe(QUESTION);
    expect((await admin.get(`/api/documents/${doc}/visa`).expect(200)).body.decision).toMatchObject({ reason: VISA_REMARK });
    expect((await admissions.get(`/api/documents/${doc}/visa`).expect(200)).body.decision).toMatchObject({ reason: null, reasonWithheld: true });
    expect((await admissions.get(`/api/signature-requests/${requestId}/dipc`).expect(403)).body.error.code).toBe('ARCHIVE_INTERMEDIATE_RESTRICTED');
    expect(JSON.stringify((await coordinator.get('/api/signature-inbox').expect(200)).body)).not.toMatch(/contesté|chambre double/);
  });

  it('no tariff avenant after the departure, none in the intermediate archive: refused before the contract’s price is read; not among the bulk candidates', async () => {
    const [archived, left, here, other] = await insertResidentsWithSignedContracts(ds, { ...est(), count: 4, tag: 'Depart' });
    const lastMonth = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    await archiveResident(ds, admin, archived);
    await admin.put(`/api/residents/${left}/departure`).send({ departedOn: lastMonth }).expect(200);
    const post = (id: string, data: Record<string, unknown>) => admissions.post('/api/documents').send({ residentId: id, type: 'avenant', data });
    const avenants = async (id: string) => Number((await ds.query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1 AND type = 'avenant'`, [id]))[0].n);

    // Archived: the contract's price (79,00 €) was filled into the avenant, or named by the refusal of a wrong « before ».
    const data = await tariffAvenantDataFor(h, ds, archived, '2027-01-01');
    const wrongBefore = { ...data, tariffChange: { ...(data.tariffChange as object), previousPrices: { hebergementPerDay: 70, dependanceGir56PerDay: 6.5, totalPerDay: 76.5 } } };
    for (const [agent, body] of [[admissions, wrongBefore], [admissions, data], [admin, data]] as const) {
      const refused = await agent.post('/api/documents').send({ residentId: archived, type: 'avenant', data: body });
      // No new document at all for her (intermediate-archive.ts assertNoNewDocumentFor), before the tariff rules.
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
      expect(JSON.stringify(refused.body)).not.toMatch(/79,00|72,50/);
      expect(refused.body.error.message).toMatch(/archive intermédiaire/);
    }
    expect(await avenants(archived)).toBe(0);
    // Departed last month: the new prices of 1 January 2027 apply to no day of her stay; those of 1 June 2026 did.
    const after = await post(left, await tariffAvenantDataFor(h, ds, left, '2027-01-01'));
    expect({ status: after.status, code: after.body.error?.code }).toEqual({ status: 409, code: 'TARIFF_AVENANT_RESIDENT_DEPARTED' });
    expect(after.body.error.message).toMatch(/a quitté l’établissement le .*L\.342-3/);
    await post(left, await tariffAvenantDataFor(h, ds, left, '2026-06-01')).expect(202);
    await post(here, await tariffAvenantDataFor(h, ds, here, '2027-01-01')).expect(202);

    type Candidate = { residentId: string; eligible: boolean; code: string | null; reason: string | null };
    const candidates = async (effectiveOn?: string) =>
      new Map(
        ((await admissions.get('/api/bulk-runs/candidates').query({ establishmentId: h.orgA.establishmentId, ...(effectiveOn ? { effectiveOn } : {}) }).expect(200)).body as Candidate[]).map((c) => [
          c.residentId,
          c,
        ]),
      );
    const in2028 = await candidates('2028-01-01');
    expect(in2028.get(archived)).toMatchObject({ eligible: false, code: 'TARIFF_AVENANT_RESIDENT_DEPARTED' });
    expect(in2028.get(left)).toMatchObject({ eligible: false, code: 'TARIFF_AVENANT_RESIDENT_DEPARTED' });
    expect(in2028.get(other)).toMatchObject({ eligible: true });
    const undated = await candidates();
    expect([undated.get(archived)?.eligible, undated.get(left)?.eligible, undated.get(other)?.eligible]).toEqual([false, false, true]);
    // A run started for everyone leaves them out (skipped, with the reason), and creates nothing for them.
    const run = (
      await admissions
        .post('/api/bulk-runs')
        .send({
          kind: 'avenant-tarifs',
          establishmentId: h.orgA.establishmentId,
          residentIds: [archived, left, other],
          commonData: { effectiveOn: '2028-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 15 décembre 2027', percentage: 2, cvsConsultedOn: '2026-11-20' },
        })
        .expect(202)
    ).body as { id: string };
    await waitUntil('the run', async () => (await admissions.get(`/api/bulk-runs/${run.id}`)).body.status === 'completed', 90000);
    const items = (await ds.query(`SELECT resident_id, status, code FROM bulk_run_items WHERE run_id = $1`, [run.id])) as { resident_id: string; status: string; code: string | null }[];
    expect(new Map(items.map((i) => [i.resident_id, [i.status, i.code]]))).toEqual(
      new Map([
        [archived, ['skipped', 'TARIFF_AVENANT_RESIDENT_DEPARTED']],
        [left, ['skipped', 'TARIFF_AVENANT_RESIDENT_DEPARTED']],
        [other, ['created', null]],
      ]),
    );
    expect([await avenants(archived), await avenants(left)]).toEqual([0, 1]);
  });
});
