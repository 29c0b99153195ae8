import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@carepact/database';
import { SigningLinks, SigningRepository } from '@carepact/signing';
import { PortalClient, TEST_PASSWORD, contractData, launchChromium, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface Signer {
  id: string;
  role: string;
  name: string;
  order: number;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const SHOTS = '/tmp/sequential-turn';

/**
 * « Chacun à son tour, dans l’ordre ci-dessus » (sequential mode), the attacker's reproduction: a
 * contract for a minor, Enzo, whose parents both sign (C. civ. 372, 373-2), one after the other, the
 * director last. Staff resent the link to the second parent out of turn (200), who recorded Enzo's
 * view (« désaccord », 303) before the first parent's turn: the first parent's own view was then
 * refused (409 VIEW_ALREADY_RECORDED). Before a signer's turn nobody acts for them: staff give no
 * link, code or in-person session (NOT_THEIR_TURN, API and console), and the portal records no view
 * from them — neither records nor corrects it —, takes neither their signature nor their refusal
 * (NOT_YOUR_TURN: a later signer's refusal ended the whole request) and offers no form.
 */
describe('« Chacun à son tour »: nothing is done for a signer before their turn', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let ds: DataSource;
  let base = '';
  let admissions: request.Agent;
  let documentId = '';
  let requestId = '';
  let first: Signer;
  let second: Signer;
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => ds.query(q, params) as Promise<T[]>;
  /** What people see, at 1280 and 320 px wide (the portal's own stylesheets, served by the running api). */
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
  const eventsOf = async (signerId: string) => (await sql<{ kind: string }>(`SELECT kind FROM signature_events WHERE signer_id = $1 ORDER BY at`, [signerId])).map((e) => e.kind);

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (
      await admissions
        .post('/api/residents')
        .send({
          establishmentId: h.orgA.establishmentId,
          firstName: 'Enzo',
          lastName: 'Petit',
          birthDate: '2014-05-30',
          admissionDate: '2026-09-07',
          stayType: 'permanent',
          parentalAuthority: 'shared',
          parents: [
            { firstName: 'Julie', lastName: 'Petit', email: 'julie.petit@example.org' },
            { firstName: 'Thomas', lastName: 'Petit', email: 'thomas.petit@example.org' },
          ],
        })
        .expect(201)
    ).body.id as string;
    const data = contractData({ minorView: 'Enzo souhaite garder son club de football.', minorViewFalc: 'Tu veux garder ton club de football.' });
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data }).expect(202)).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ mode: 'sequential', lateReason: 'Essai : envoi après le délai légal.' });
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    requestId = sent.body.id as string;
    const signers = [...(sent.body.signers as Signer[])].sort((a, b) => a.order - b.order);
    expect(signers.map((s) => [s.role, s.order])).toEqual([
      ['parent', 1],
      ['parent', 2],
      ['director', 3],
    ]);
    [first, second] = signers;
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('staff: a new link, an access code or an in-person session for the second parent are refused with NOT_THEIR_TURN, naming whose turn it is (API and console); nothing is sent or written', async () => {
    for (const [path, then] of [
      ['resend', 'Son lien lui sera envoyé par e-mail automatiquement à son tour.'],
      ['access-code', 'Un code pourra lui être donné à son tour'],
      ['in-person', 'La session de signature en présence pourra être ouverte à son tour.'],
    ]) {
      const res = await admissions.post(`/api/signature-requests/${requestId}/signers/${second.id}/${path}`).send({});
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 409, code: 'NOT_THEIR_TURN' });
      expect(res.body.error.message).toContain(`Ce n’est pas encore le tour de ${second.name} : chacun signe à son tour, et sa signature vient après celle de : ${first.name}.`);
      expect(res.body.error.message).toContain(then);
    }
    expect(await eventsOf(second.id)).toEqual([]);
    expect(await sql(`SELECT 1 FROM signing_links WHERE signer_id = $1`, [second.id])).toEqual([]);
    expect(await sql(`SELECT 1 FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = $1`, [second.id])).toEqual([]);
    expect(await sql(`SELECT delivery, access_code_required FROM signature_signers WHERE id = $1`, [second.id])).toEqual([{ delivery: 'email', access_code_required: false }]);

    // The console: the card says so, with no button; the forms, posted anyway, are refused in French.
    const page = (await admissions.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(text(page)).toContain(`Son tour n’est pas encore venu : sa signature vient après celle de ${first.name}. Le lien lui sera envoyé automatiquement à son tour`);
    for (const act of ['renvoyer', 'code', 'en-presence']) {
      expect(page).not.toContain(`/signataires/${second.id}/${act}"`);
      expect(page).toContain(`/signataires/${first.id}/${act}"`);
    }
    await shoot(page, 'console-signer-cards', 'ul.signer-cards');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    for (const act of ['renvoyer', 'code', 'en-presence']) {
      const posted = await admissions.post(`/console/documents/${documentId}/demandes/${requestId}/signataires/${second.id}/${act}`).type('form').send({ _csrf: csrf });
      expect({ act, status: posted.status }).toEqual({ act, status: 409 });
      expect(text(posted.text)).toContain(`Ce n’est pas encore le tour de ${second.name}`);
    }
    expect(await eventsOf(second.id)).toEqual([]);
  });

  it('portal: a link the second parent holds before their turn shows no form for Enzo’s view nor a refusal, and records neither (NOT_YOUR_TURN); the first parent records it, signs, and the second’s turn comes', async () => {
    // A link given before this rule (the reproduction's resend): issued as the service issues it,
    // to the signer as sent (e-mail, no code), whatever the staff test above let through.
    await sql(`UPDATE signature_signers SET delivery = 'email', access_code_required = false WHERE id = $1`, [second.id]);
    const { token } = await h.app.get(TransactionRunner).run(async (em) => {
      const r = await h.app.get(SigningRepository).lockRequest(em, requestId);
      return h.app.get(SigningLinks).issue(em, r!, second.id, 'email');
    });
    const early = new PortalClient(base);
    expect((await early.open(`${base}/s/${token}`)).status).toBe(303);
    await early.get('/portail/document');
    expect(early.lastHtml).not.toContain('href="/portail/avis"');
    expect(text(early.lastHtml)).toContain(`Ce n’est pas encore votre tour. Votre signature sera demandée après celle de : ${first.name}. Vous recevrez un e-mail.`);
    await shoot(early.lastHtml, 'portal-document-not-your-turn', 'section[aria-labelledby="apres-lecture"]');
    const viewPage = await early.get('/portail/avis');
    expect(viewPage.status).toBe(200);
    expect(early.lastHtml).not.toContain('name="viewKey"');
    expect(text(early.lastHtml)).toContain(`Ce n’est pas encore votre tour. Votre signature sera demandée après celle de : ${first.name}.`);
    expect(text(early.lastHtml)).toContain('Vous pourrez alors indiquer l’avis d’Enzo Petit, s’il n’a pas déjà été enregistré.');
    await shoot(early.lastHtml, 'portal-avis-not-your-turn');

    const recorded = await early.post('/portail/avis', { viewKey: 'resident', expression: 'desaccord', comment: '' });
    expect(recorded.status).toBe(409);
    expect(text(early.lastHtml)).toContain(
      `Ce n’est pas encore votre tour : votre signature sera demandée après celle de : ${first.name}. Vous recevrez un e-mail. Vous pourrez alors indiquer l’avis d’Enzo Petit, s’il n’a pas déjà été enregistré.`,
    );
    expect(early.lastHtml).not.toContain('name="viewKey"');
    await shoot(early.lastHtml, 'portal-avis-refused');
    // Posting the signature form before one's turn: told it is not one's turn, not to give the view first (the code review of session 17).
    const earlySign = await early.post('/portail/signer', { consent: 'oui', typedName: second.name });
    expect(earlySign.status).toBe(409);
    expect(text(early.lastHtml)).toContain('Ce n’est pas encore votre tour');
    expect(text(early.lastHtml)).not.toContain('Avant de signer, indiquez l’avis');
    expect(await sql(`SELECT 1 FROM recorded_views WHERE request_id = $1`, [requestId])).toEqual([]);
    expect(await eventsOf(second.id)).not.toContain('view_recorded');

    // Nor a refusal before one's turn: it would end the request for the first parent, whose turn it
    // is, before she was even asked. No refusal button or form; posted anyway, 409 NOT_YOUR_TURN
    // naming whom it waits for; the request goes on. Asking a question stays open (it decides nothing).
    await early.get('/portail/document');
    expect(early.lastHtml).not.toContain('href="/portail/refuser"');
    expect(early.lastHtml).toContain('href="/portail/question"');
    const refusePage = await early.get('/portail/refuser');
    expect(refusePage.status).toBe(200);
    expect(early.lastHtml).not.toContain('action="/portail/refuser"');
    expect(text(early.lastHtml)).toContain(`Ce n’est pas encore votre tour. Votre signature sera demandée après celle de : ${first.name}. Vous recevrez un e-mail.`);
    await shoot(early.lastHtml, 'portal-refuser-not-your-turn');
    const earlyRefusal = await early.post('/portail/refuser', { reason: 'Je ne suis pas d’accord.' });
    expect(earlyRefusal.status).toBe(409);
    expect(text(early.lastHtml)).toContain(`Ce n’est pas encore votre tour : votre signature sera demandée après celle de : ${first.name}. Vous recevrez un e-mail.`);
    expect(early.lastHtml).not.toContain('action="/portail/refuser"');
    expect(await sql(`SELECT status FROM signature_signers WHERE id = $1`, [second.id])).toEqual([{ status: 'pending' }]);
    expect(await sql(`SELECT status FROM signature_requests WHERE id = $1`, [requestId])).toEqual([{ status: 'active' }]);
    expect(await eventsOf(second.id)).not.toContain('refused');
    expect(await sql(`SELECT 1 FROM outbox WHERE job_name = 'notify.staff' AND payload->>'kind' = 'refusal' AND payload->>'requestId' = $1`, [requestId])).toEqual([]);

    // The first parent, at their turn: records Enzo's view (no longer taken from them) and signs.
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${first.id}/in-person`).expect(200)).body as { url: string };
    const firstPortal = new PortalClient(base);
    await firstPortal.open(base + new URL(url).pathname);
    await firstPortal.get('/portail/avis');
    expect(firstPortal.lastHtml).toContain('name="viewKey" value="resident"');
    await firstPortal.get('/portail/document');
    const own = await firstPortal.post('/portail/avis', { viewKey: 'resident', expression: 'accord', comment: '' });
    expect({ status: own.status, location: own.headers.get('location') }).toEqual({ status: 303, location: '/portail/signer?fait=avis' });
    const signed = await firstPortal.post('/portail/signer', { consent: 'oui', typedName: first.name });
    expect(signed.status).toBe(303);
    expect(await sql(`SELECT expression, recorded_by_signer_id AS by FROM recorded_views WHERE request_id = $1`, [requestId])).toEqual([{ expression: 'accord', by: first.id }]);

    // The second parent's turn: invited, and staff may now give a new link.
    await waitUntil('the second parent invited', async () => (await sql(`SELECT 1 FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = $1`, [second.id])).length > 0, 30_000);
    expect((await admissions.post(`/api/signature-requests/${requestId}/signers/${second.id}/resend`).send({})).status).toBe(200);
  }, 120_000);
});
