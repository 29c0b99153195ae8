import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  PortalClient,
  TEST_PASSWORD,
  archiveResident,
  archivedResidentWithRefusedContract,
  launchChromium,
  loginAgent,
  residentWithContract,
  sendToTuteurInPerson,
  waitForReady,
} from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { calendarDayIn } from '@carepact/common';
import { SigningLinks } from '@carepact/signing';
import { lookupSubjects } from '@carepact/archive';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { insertSealedRequest } from '../worklist/worklist-fixtures';

/** Where the pages of this spec are left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.ARCHIVE_ACTS_SHOTS ?? join(tmpdir(), 'archive-signing-acts');

/**
 * The intermediate archive (libs/documents intermediate-archive.ts) against new acts, the portal
 * and « À faire » (session 17's review): a person in the intermediate archive left long ago.
 * - no new signing act for her (send, new link, in-person session, access code, countersignature,
 *   paper): 409 RESIDENT_ARCHIVED, even with an opening of the archive; the console says so in place
 *   of the send form; a departed person still in the active base may still sign (regularisation);
 * - the portal no longer opens, reads or signs for her: a session kept from before, and a link
 *   reopened, get the page of a link no longer valid (410 PORTAL_PERSON_ARCHIVED);
 * - « À faire » leaves her out of every section (her refusal « Un DIPC est à établir »);
 * - where the archive, not the role, withholds the questions, the page says so.
 */
describe('intermediate archive: no new signing act, no portal, nothing « à faire »', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let auditor: request.Agent;
  /** A: a contract ready, never sent. B: sent, the tuteur reading it on a tablet. C: refused by the tuteur after a question. */
  const people = { A: { id: '', doc: '' }, B: { id: '', doc: '', request: '', tuteur: '' }, C: { id: '', doc: '', request: '', link: '' } };
  let portalB: PortalClient;
  let csrfB = '';

  const shoot = async (html: string, name: string, selector?: string) => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, `${name}.html`), html);
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        const path = join(SHOTS, `${name}-${width}.png`);
        if (selector) await page.locator(selector).first().screenshot({ path });
        else await page.screenshot({ path, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    for (const [key, lastName] of [['A', 'Envoi'], ['B', 'Portail']] as const) {
      const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName });
      Object.assign(people[key], { id: made.residentId, doc: made.documentId });
    }
    // C: the tuteur asks a question, then refuses; her link, used, still reopens read-only. Not yet archived.
    const c = await archivedResidentWithRefusedContract({ ds, admin, admissions, establishmentId: h.orgA.establishmentId, base, lastName: 'Refus', question: 'La chambre est-elle au rez-de-chaussée ?', reason: 'Le tarif est contesté', archive: false });
    Object.assign(people.C, { id: c.residentId, doc: c.documentId, request: c.requestId, link: c.link });
    expect((await new PortalClient(base).open(c.link)).status).toBe(303);
    for (const key of ['A', 'B'] as const) await waitForReady(admissions, people[key].doc);
    // B: the tuteur reads the contract on a tablet.
    const b = await sendToTuteurInPerson(admissions, base, people.B.doc);
    Object.assign(people.B, { request: b.requestId, tuteur: b.tuteurId });
    portalB = new PortalClient(base);
    expect((await portalB.open(b.link)).status).toBe(303);
    expect((await portalB.get('/portail/document')).status).toBe(200);
    await portalB.get('/portail/question');
    csrfB = portalB.csrf();
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  /** Past the active base: admitted in 2014, left on 1 January 2020 (24 months: archived since 2 January 2022). */
  const archive = (residentId: string) => archiveResident(ds, admin, residentId);

  it('a departed person still in the active base may be sent the document; in the intermediate archive, nobody sends it, opening or not', async () => {
    const { id, doc } = people.A;
    // Left two days ago: still in the active base, the send form stays (regularisation).
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-11-30' }).expect(200);
    const recent = (await admissions.get(`/console/documents/${doc}`).expect(200)).text;
    expect(recent).toContain('Envoyer en signature');
    expect(recent).not.toContain('id="signature-archive"');
    // The active base's delay has passed since (the departure as it would be recorded today).
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', departed_on = '2020-01-01' WHERE id = $1`, [id]);
    await admin.post(`/api/residents/${id}/archive-access`).send({ reason: 'Contentieux sur la facturation' }).expect(201);
    for (const agent of [admissions, admin]) {
      const sent = await agent.post(`/api/documents/${doc}/signature-requests`).send({ lateReason: 'Régularisation' });
      expect({ status: sent.status, code: sent.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
      expect(sent.body.error.message).toMatch(/a quitté l’établissement le 1er janvier 2020 .*archive intermédiaire depuis le 2 janvier 2022/);
    }
    // The console: a notice in place of the send form; the form, posted anyway, refused in French.
    const page = (await admissions.get(`/console/documents/${doc}`).expect(200)).text;
    expect(page).toContain('id="signature-archive"');
    expect(page).not.toContain('Envoyer en signature');
    expect(page).not.toContain('Prêt à envoyer en signature');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const posted = await admissions.post(`/console/documents/${doc}/envoyer`).type('form').send({ _csrf: csrf, mode: 'parallel', lateReason: 'Régularisation' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('archive intermédiaire');
    expect(Number((await ds.query(`SELECT count(*) AS n FROM signature_requests WHERE document_id = $1`, [doc]))[0].n)).toBe(0);
    await shoot(page, 'document-archived-send', '#signatures ~ *');
    await shoot(page, 'document-archived-page');
  }, 60_000);

  it('the departure recorded backdated: the portal refuses the session kept from before (reading, signing), staff may not give a new link', async () => {
    const { id, request: requestId, tuteur } = people.B;
    await archive(id);
    // The same session, whose context this process kept while the signing state did not change.
    const read = await portalB.get('/portail/document');
    const html = await read.text();
    expect(read.status).toBe(410);
    expect(html).toContain('Ce lien n’est plus valable');
    expect(html).toContain('archive intermédiaire');
    expect(html).not.toContain('Marchal');
    expect((await portalB.get('/portail')).status).toBe(410);
    const signed = await portalB.post('/portail/signer', { _csrf: csrfB, consent: 'oui', typedName: 'Tuteur' }, false);
    expect(signed.status).toBe(410);
    expect((await ds.query(`SELECT status FROM signature_signers WHERE id = $1`, [tuteur]))[0].status).toBe('pending');
    // Staff: no new link, in-person session, access code or e-mail for her.
    for (const path of ['in-person', 'resend', 'access-code']) {
      const res = await admissions.post(`/api/signature-requests/${requestId}/signers/${tuteur}/${path}`).send({});
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 409, code: 'RESIDENT_ARCHIVED' });
    }
    // The console: no form for these acts on the request, which may still be cancelled.
    const page = (await admissions.get(`/console/documents/${people.B.doc}`).expect(200)).text;
    expect(page).toContain(`id="demande-${requestId}-archive"`);
    for (const act of ['renvoyer', 'code', 'en-presence']) expect(page).not.toContain(`/signataires/${tuteur}/${act}"`);
    expect(page).not.toContain('/papier"');
    expect(page).toContain('Annuler la demande de signature');
    await shoot(html, 'portal-archived');
    await shoot(page, 'request-archived', `section[data-request-id="${requestId}"]`);
  }, 60_000);

  it('« À faire » leaves an archived person’s refusal out (a departed one’s stays); her used link no longer reopens; the page says the archive withholds the questions', async () => {
    const { id, doc, link } = people.C;
    const todo = async () => (await admissions.get('/console').expect(200)).text;
    // Departed two days ago: the refusal is still to handle (a DIPC to draw up, regularisation).
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-11-30' }).expect(200);
    const before = await todo();
    expect(before).toContain(`/console/documents/${doc}`);
    expect(before).toContain('Un DIPC est à établir');
    // The departure corrected to its real day, 1 January 2020: past the active base.
    await archive(id);
    const after = await todo();
    expect(after).not.toContain(`/console/documents/${doc}`);
    expect(after).not.toContain('Un DIPC est à établir');
    // The link used to refuse reopened read-only; now the page of a link no longer valid.
    const reopened = await new PortalClient(base).open(link);
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('Ce lien n’est plus valable');
    // Admissions read the content by role: the archive is why the question is not shown, and the page says how to open it.
    const page = (await admissions.get(`/console/documents/${doc}`).expect(200)).text;
    expect(page).toContain('1 question posée');
    expect(page).toMatch(/le dossier de la personne est en archive intermédiaire depuis le 2 janvier 2022[^<]*administrateur qui ouvre l’archive/);
    expect(page).not.toContain('que votre rôle ne permet pas de consulter');
    // The auditor does not by role: the role is the reason, as before.
    const audit = (await auditor.get(`/console/documents/${doc}`).expect(200)).text;
    expect(audit).toContain('que votre rôle ne permet pas de consulter');
    await shoot(page, 'questions-archived', 'section.questions');
  }, 60_000);

  it('the download link of a completed request no longer opens once the person is archived: the page says her copy was handed over', async () => {
    const { doc } = people.A; // in the intermediate archive since the first test
    const [{ version }] = (await ds.query(`SELECT current_version_id AS version FROM documents WHERE id = $1`, [doc])) as { version: string }[];
    const requestId = await insertSealedRequest(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, today: calendarDayIn(new Date()) }, { documentId: doc, versionId: version }, [
      { key: 'tuteur', role: 'tuteur', firstName: 'Olivier', lastName: 'Marchal', email: 'olivier.marchal@example.test' },
      { key: 'director', role: 'director', firstName: 'Claire', lastName: 'Direction' },
    ]);
    const [r] = (await ds.query(`SELECT id, organisation_id AS "organisationId", version_hash AS "versionHash", deadline FROM signature_requests WHERE id = $1`, [requestId])) as {
      id: string;
      organisationId: string;
      versionHash: string;
      deadline: Date;
    }[];
    const [{ id: tuteur }] = (await ds.query(`SELECT id FROM signature_signers WHERE request_id = $1 AND key = 'tuteur'`, [requestId])) as { id: string }[];
    const { token } = await h.app.get(SigningLinks).issue(ds.manager, r, tuteur, 'download');
    const opened = await new PortalClient(base).open(`${base}/s/${token}`);
    const html = await opened.text();
    expect(opened.status).toBe(410);
    expect(html).toContain('Le document signé vous a été remis');
    await shoot(html, 'portal-archived-download');
  }, 60_000);

  it('the history’s lineage and the archive’s subjects name an avenant to a DIPC by what it amends (documents.subtype), not « avenant au contrat de séjour »', async () => {
    const { id: residentId, doc } = people.B;
    const [{ id: avenant }] = (await ds.query(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, subtype, status, created_at, updated_at)
       VALUES ($1, $2, $3, 'avenant', 'avenant-dipc', 'generation_failed', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId],
    )) as { id: string }[];
    const subjects = await lookupSubjects(ds.manager, h.orgA.organisationId, { documents: [avenant] });
    expect(subjects.documents.get(avenant)).toMatchObject({ state: 'present', type: 'avenant', subtype: 'avenant-dipc' });
    const history = (await admissions.get(`/console/documents/${doc}/historique`).expect(200)).text;
    const lineage = /<ol class="lineage">([^]*?)<\/ol>/.exec(history)![1];
    expect(lineage).toMatch(/Avenant au document individuel de prise en charge \(DIPC\)/i);
    expect(lineage).not.toMatch(/avenant au contrat de séjour/i);
  }, 60_000);
});
