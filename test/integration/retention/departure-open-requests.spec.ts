import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import {
  ARCHIVED_ADMISSION_DATE,
  ARCHIVED_DEPARTURE_DATE,
  PortalClient,
  TEST_PASSWORD,
  archivedResidentWithRefusedContract,
  launchChromium,
  loginAgent,
  residentWithContract,
  sendToTuteurInPerson,
  waitUntil,
} from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { readZip } from '../archive/archive-tools';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the departure form is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEPARTURE_SHOTS ?? join(tmpdir(), 'departure-open-requests');
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * The intermediate archive's loose ends (session 17's review):
 * - staff may not answer a question of an archived person's signer: the answer comes with a new
 *   invitation to sign (409 RESIDENT_ARCHIVED, API and console);
 * - the departure names the person's signature requests still open and, on request
 *   (`cancelOpenRequests`, « Annuler ces demandes »), cancels them in the same action, as a cancel
 *   does (event with its reason, links revoked, the signers invited told by e-mail — the departure
 *   as the reason —, or `email_skipped` when the departure archives the person at once); without
 *   it they go on;
 * - the access request's zip says, in LISEZMOI.txt, which request it answers.
 */
describe('departure with signatures in progress; answers refused in the archive; the access zip names its request', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  const mailbox = new DevMailbox();
  const TUTEUR = 'olivier.marchal@example.org';
  const cancelMailDone = (requestId: string) =>
    waitUntil('the cancellation e-mail job', async () => {
      const rows = (await ds.query(`SELECT done_at IS NOT NULL AS done FROM outbox WHERE job_name = 'notify.cancelled' AND payload->>'requestId' = $1`, [requestId])) as { done: boolean }[];
      return rows.length > 0 && rows.every((r) => r.done);
    });
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const requestRow = async (id: string) =>
    ((await ds.query(`SELECT r.status, d.status AS "documentStatus" FROM signature_requests r JOIN documents d ON d.id = r.document_id WHERE r.id = $1`, [id])) as { status: string; documentStatus: string }[])[0];

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')), SMTP_URL: `smtp://127.0.0.1:${port}` });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  let archived: { residentId: string; documentId: string; requestId: string } = { residentId: '', documentId: '', requestId: '' };

  it('an answer to a question of an archived person’s signer: 409 RESIDENT_ARCHIVED (API and console), nothing recorded, no form', async () => {
    const c = await archivedResidentWithRefusedContract({ ds, admin, admissions, establishmentId: h.orgA.establishmentId, base, lastName: 'Question', question: 'La chambre est-elle au rez-de-chaussée ?', reason: 'Le tarif est contesté' });
    archived = c;
    const [{ id: questionId }] = (await ds.query(`SELECT id FROM signer_questions WHERE request_id = $1`, [c.requestId])) as { id: string }[];
    const events = () => count(`SELECT count(*) AS n FROM signature_events WHERE request_id = $1 AND kind = 'question_answered'`, [c.requestId]);
    const before = await events();
    expect(before).toBe(0);
    for (const agent of [admissions, admin]) {
      const res = await agent.post(`/api/signature-requests/${c.requestId}/questions/${questionId}/answer`).send({ answer: 'Oui, au rez-de-chaussée. Vous pourrez ensuite le signer.' });
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
      expect(res.body.error.message).toMatch(/a quitté l’établissement le 1er janvier 2020 .*archive intermédiaire depuis le 2 janvier 2022 : aucune nouvelle signature/);
    }
    // Even with the archive opened (consultation): the content is shown, the answer form is not; posted anyway, refused.
    await admin.post(`/api/residents/${c.residentId}/archive-access`).send({ reason: 'Contentieux sur la facturation' }).expect(201);
    const page = (await admin.get(`/console/documents/${c.documentId}`).expect(200)).text;
    expect(page).toContain('La chambre est-elle au rez-de-chaussée ?');
    expect(page).not.toContain(`/questions/${questionId}/repondre"`);
    const posted = await admin
      .post(`/console/documents/${c.documentId}/demandes/${c.requestId}/questions/${questionId}/repondre`)
      .type('form')
      .send({ _csrf: csrfOf(page), answer: 'Oui, au rez-de-chaussée.' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('archive intermédiaire');
    expect((await ds.query(`SELECT answered_at FROM signer_questions WHERE id = $1`, [questionId]))[0].answered_at).toBeNull();
    expect(await count(`SELECT count(*) AS n FROM signer_question_answers WHERE question_id = $1`, [questionId])).toBe(0);
    expect(await events()).toBe(before);
  }, 240_000);

  it('a departure while a signature is in progress: named in the answer and on the form; left to run without « Annuler ces demandes »', async () => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Enzo', ready: true });
    const sent = await sendToTuteurInPerson(admissions, base, made.documentId);
    const res = await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2026-11-30' }).expect(200);
    expect(res.body.openSignatureRequests).toEqual([expect.objectContaining({ id: sent.requestId, documentId: made.documentId, document: 'contrat de séjour' })]);
    expect(res.body.openSignatureRequests[0].waitingFor.length).toBeGreaterThan(0);
    expect(res.body.warning).toMatch(/^1 demande de signature est en cours : contrat de séjour \(envoyée le .*\)\. Elle se poursuit jusqu’à son échéance ; pour l’annuler avec le départ : cancelOpenRequests: true\.$/);
    expect(res.body.cancelledSignatureRequests).toBeUndefined();
    expect(await requestRow(sent.requestId)).toEqual({ status: 'active', documentStatus: 'in_signature' });
    // The form names it and offers to cancel it.
    const file = (await admin.get(`/console/residents/${made.residentId}`).expect(200)).text;
    expect(file).toContain('id="demandes-en-cours"');
    expect(file).toMatch(/1 demande de signature est en cours :<\/strong><\/p><ul><li><a href="\/console\/documents\/[^"]+">Contrat de séjour<\/a> : envoyée le /);
    expect(file).toMatch(/<input type="checkbox" id="cancelOpenRequests" name="cancelOpenRequests" value="oui"/);
    expect(file).toContain('Annuler cette demande');
    expect(file).toContain('Le motif inscrit dans l’historique sera « Départ de la personne le 30 novembre 2026 »');
    expect(file.replace(/\s+/g, ' ')).toContain('Ceux qui avaient reçu la demande et ont une adresse e-mail sont prévenus par e-mail de l’annulation, pour cause de départ de la personne');
    await shoot(file, 'departure-form', '#conservation');
    // A wrong type: refused, nothing changed.
    expect((await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2020-01-01', cancelOpenRequests: 'oui' }).expect(400)).body.error.details[0].code).toBe('INVALID_BOOLEAN');
    expect((await ds.query(`SELECT departed_on::text AS d FROM residents WHERE id = $1`, [made.residentId]))[0].d).toBe('2026-11-30');

    // The departure corrected to its real day (archived at once: ARCHIVED_* of libs/testing), with the
    // requests cancelled. archivedResidentWithRefusedContract does not fit here: its request is
    // refused, and this one must still be open when the departure cancels it.
    await ds.query(`UPDATE residents SET admission_date = $2 WHERE id = $1`, [made.residentId, ARCHIVED_ADMISSION_DATE]);
    const outbox = () => count(`SELECT count(*) AS n FROM outbox WHERE job_name LIKE 'signing.%' OR job_name LIKE '%mail%'`);
    const mailsBefore = await outbox();
    const done = await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: ARCHIVED_DEPARTURE_DATE, cancelOpenRequests: true }).expect(200);
    expect(done.body).toMatchObject({ departedOn: '2020-01-01', openSignatureRequests: [], cancelledSignatureRequests: [expect.objectContaining({ id: sent.requestId })] });
    expect(done.body.warning).toBeUndefined();
    expect(await requestRow(sent.requestId)).toEqual({ status: 'cancelled', documentStatus: 'ready' });
    const [cancelled] = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [sent.requestId])) as { details: { reason: string } }[];
    expect(cancelled.details.reason).toBe('Départ de la personne le 1er janvier 2020');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE subject_id = $1 AND action LIKE '%cancelled%'`, [sent.requestId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM signing_links WHERE request_id = $1 AND revoked_at IS NULL`, [sent.requestId])).toBe(0);
    expect(await outbox()).toBe(mailsBefore);
    // The tuteur had his in-person session: his cancellation e-mail is queued with the cancel, then
    // not sent — the person is in the intermediate archive —, as every e-mail about her (`email_skipped`).
    await cancelMailDone(sent.requestId);
    expect(mailbox.list().filter((m) => m.to.includes(TUTEUR) && /annulée/.test(m.subject))).toEqual([]);
    expect(await ds.query(`SELECT signer_id AS "signerId", details FROM signature_events WHERE request_id = $1 AND kind = 'email_skipped'`, [sent.requestId])).toEqual([
      { signerId: sent.tuteurId, details: { kind: 'signature-cancelled', reason: 'resident_archived' } },
    ]);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE subject_id = $1 AND action = 'signature.email_skipped'`, [sent.requestId])).toBe(1);
    // The tablet's link: no longer valid.
    const reopened = await new PortalClient(base).open(sent.link);
    expect(reopened.status).toBe(404); // revoked: the one page of a link not or no longer valid (no oracle)
    expect(await reopened.text()).toContain('Ce lien n’est pas ou plus valable');
  }, 240_000);

  it('the console: « Annuler ces demandes » ticked cancels them with the departure, reason « Départ de la personne le … »', async () => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Console', ready: true });
    const sent = await sendToTuteurInPerson(admissions, base, made.documentId);
    const file = (await admin.get(`/console/residents/${made.residentId}`).expect(200)).text;
    const posted = await admin.post(`/console/residents/${made.residentId}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), departedOn: '2026-11-30', cancelOpenRequests: 'oui' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toContain('fait=fin-enregistree-annulees');
    expect(await requestRow(sent.requestId)).toEqual({ status: 'cancelled', documentStatus: 'ready' });
    const [cancelled] = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [sent.requestId])) as { details: { reason: string } }[];
    expect(cancelled.details.reason).toBe('Départ de la personne le 30 novembre 2026');
    const after = (await admin.get(posted.headers.location).expect(200)).text;
    expect(after).toContain('Les demandes de signature en cours ont été annulées');
    expect(after).not.toContain('id="demandes-en-cours"');
    // Not archived: the tuteur, invited (his in-person session), is told by e-mail, the departure as the one reason given.
    await cancelMailDone(sent.requestId);
    await waitUntil('the cancellation e-mail', async () => mailbox.list().some((m) => m.to.includes(TUTEUR) && /^Demande de signature annulée : /.test(m.subject)), 10_000);
    const mail = mailbox.list().find((m) => m.to.includes(TUTEUR) && /^Demande de signature annulée : /.test(m.subject))!;
    expect(mail.text.replace(/[\u2068\u2069]/g, '')).toContain('a annulé la demande de signature pour le contrat de séjour d’Yvonne Console, à la suite du départ d’Yvonne Console de l’établissement.');
    expect(mail.text).not.toContain('30 novembre 2026');
    expect(await count(`SELECT count(*) AS n FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND details->>'kind' = 'signature-cancelled'`, [sent.requestId])).toBe(1);
  }, 240_000);

  const zipOf = async (residentId: string, stated: Record<string, unknown>): Promise<string> => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId, request: stated }).expect(202)).body as { id: string };
    await waitUntil(`data job ${job.id}`, async () => ['done', 'failed'].includes((await admin.get(`/api/data-jobs/${job.id}`)).body.status), 90000);
    const dl = await admin
      .get(`/api/data-jobs/${job.id}/download`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = join(mkdtempSync(join(tmpdir(), 'carepact-access-')), 'acces.zip');
    writeFileSync(file, dl.body as Buffer);
    return (await readZip(file)).get('LISEZMOI.txt')!.toString('utf8');
  };

  it('LISEZMOI.txt names the request the zip answers: who asked, received when, due when, on what basis, the request as recorded', async () => {
    const statement = 'Courrier recommandé des parents, réf. AR 1A 234 567 : copie de tous les documents du séjour';
    const readme = await zipOf(archived.residentId, { from: 'representative', receivedOn: '2026-10-31', statement });
    expect(readme.split('\n')[0]).toBe('Demande d’accès — article 15 du RGPD');
    expect(readme).toContain('- demandée par : son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…) ;');
    expect(readme).toContain('- reçue le 31 octobre 2026 ;');
    expect(readme).toContain('- réponse due au plus tard le 30 novembre 2026 (un mois après sa réception, RGPD article 12.3');
    expect(readme).toContain('- fondement : droit d’accès de la personne concernée, article 15 du RGPD ;');
    expect(readme).toContain(`- la demande, telle que l’établissement l’a enregistrée : « ${statement} ».`);
    expect(readme).toContain('personne.json : le même dossier au format informatique');

    const heir = await zipOf(archived.residentId, {
      from: 'ayant_droit',
      receivedOn: '2026-11-25',
      statement: 'Courrier de son fils, acte de notoriété joint : causes du décès',
      purpose: 'causes_of_death',
      deceasedOn: '2026-10-02',
      deceasedObjection: 'none',
      // The proof of standing, required after the death (CSP L.1110-4 V, L.1111-7).
      standingProof: { type: 'acte_notoriete', reference: 'Me Durand, notaire à Lyon', issuedOn: '2026-10-20' },
    });
    expect(heir.split('\n')[0]).toBe('Demande d’accès d’un ayant droit — articles L.1110-4 V et L.1111-7 du Code de la santé publique');
    expect(heir).not.toContain('article 15 du RGPD');
    expect(heir).toContain('- demandée par : ayant droit, concubin ou partenaire de PACS d’une personne décédée ;');
    expect(heir).toContain('- décès de la personne le 2 octobre 2026');
    expect(heir).toContain('- motif indiqué : connaître les causes de la mort ;');
    expect(heir).toContain('- réponse due au plus tard le 3 décembre 2026 (huit jours) ;');
    expect(heir).toContain('« Courrier de son fils, acte de notoriété joint : causes du décès »');
    // The Archives page: the people named without « né·e », the representative including a minor's parents.
    const archives = (await admin.get('/console/archives?personne-acces=Question&actualiser=non').expect(200)).text;
    expect(archives).not.toContain('né·e');
    expect(archives).toMatch(/Question [^<,]+, date de naissance : /);
    expect(archives).toContain('Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)');
    await shoot(archives, 'archives-page');
  }, 240_000);

  async function shoot(html: string, name: string, selector?: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, `${name}.html`), html);
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        const path = join(SHOTS, `${name}-${width}.png`);
        if (selector) await page.locator(selector).first().locator('xpath=..').screenshot({ path });
        else await page.screenshot({ path, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  }
});
