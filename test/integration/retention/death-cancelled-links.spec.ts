import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { PortalClient, TEST_PASSWORD, launchChromium, loginAgent, residentWithContract, sendToTuteurInPerson, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the pages are left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEATH_LINKS_SHOTS ?? join(tmpdir(), 'death-cancelled-links');

/**
 * What the signers of a request cancelled with the person's death see (the outside review of
 * session 20): the protection measure ends at death (C. civ. 443 al. 1), nothing more is signed for
 * her. Her curateur's link and his open portal session say that the request was cancelled after her
 * death — not « il peut vous envoyer un nouveau lien », not « Rien … n’est perdu » (410
 * PORTAL_REQUEST_CANCELLED_DEATH); her own link names no one; an unknown token keeps the generic 404.
 * The cancellation e-mail has no « Si un nouveau document doit être signé … ». The console's request
 * says when, by whom and why it was cancelled, and each signer's state as what happened. A request
 * staff cancelled for their own reason keeps the generic pages and the e-mail's sentence.
 */
describe('a request cancelled with the person’s death: its links, sessions, e-mail and console page', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  const mailbox = new DevMailbox();
  const plain = (s: string) => s.replace(/[\u2068\u2069]/g, '').replace(/&nbsp;|\u00a0/g, ' ');

  /** Under curatelle renforcée she signs herself, her curateur assisting (C. civ. 467): both invited by e-mail; their links from the mailbox. */
  const sendTo = async (lastName: string) => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { measure: 'curatelle', lastName, ready: true });
    const sent = (await admissions.post(`/api/documents/${made.documentId}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : la famille était absente.' }).expect(201)).body as {
      id: string;
    };
    const signers = (await ds.query(`SELECT id, role, email FROM signature_signers WHERE request_id = $1 AND email IS NOT NULL ORDER BY order_no`, [sent.id])) as { id: string; role: string; email: string }[];
    const self = signers.find((s) => s.role === 'resident')!;
    const curateur = signers.find((s) => s.role !== 'resident' && s.role !== 'director')!;
    // The e-mails' links carry PUBLIC_URL (not set here): their token, opened on this server.
    const tokenIn = (text: string) => /\/s\/([A-Za-z0-9_-]{40,64})/.exec(text)?.[1];
    const linkTo = (email: string) => mailbox.list().find((m) => m.to.includes(email) && m.text.includes(lastName) && tokenIn(m.text));
    await waitUntil('the invitations', async () => !!linkTo(self.email) && !!linkTo(curateur.email), 30_000);
    return {
      ...made,
      requestId: sent.id,
      curateur,
      selfLink: `${base}/s/${tokenIn(linkTo(self.email)!.text)}`,
      curateurLink: `${base}/s/${tokenIn(linkTo(curateur.email)!.text)}`,
    };
  };
  const cancelMail = (email: string, lastName: string) => mailbox.list().find((m) => m.to.includes(email) && /^Demande de signature annulée : /.test(m.subject) && m.text.includes(lastName));

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')), SMTP_URL: `smtp://127.0.0.1:${port}` });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  it('after the death: the curateur’s session and link say the request was cancelled after her death (410), her own link names no one, an unknown token is the generic 404; the e-mail promises nothing new', async () => {
    const p = await sendTo('Lienmort');
    const session = new PortalClient(base);
    expect((await session.open(p.curateurLink)).status).toBe(303);
    expect((await session.get('/portail')).status).toBe(200);
    // He had opened it: the console says so while it is open.
    expect((await admissions.get(`/console/documents/${p.documentId}`).expect(200)).text).toContain('A ouvert le lien, pas encore lu');

    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);

    // His open session: not « Votre session est terminée … Rien de ce que vous aviez déjà validé n’est perdu ».
    for (const path of ['/portail', '/portail/document']) {
      const res = await session.get(path);
      const html = plain(await res.text());
      expect({ path, status: res.status }).toEqual({ path, status: 410 });
      expect(html).toContain('<h1>Cette demande de signature a été annulée</h1>');
      expect(html).toContain('a annulé la demande de signature pour le contrat de séjour de Marcel Lienmort, à la suite de son décès.');
      expect(html).not.toContain('session est terminée');
      expect(html).not.toContain('perdu');
      expect(html).not.toContain('nouveau lien');
    }
    // His link, opened again: the same page, not « il peut vous envoyer un nouveau lien ou vous faire signer sur place ».
    const again = await new PortalClient(base).open(p.curateurLink);
    const linkPage = plain(await again.text());
    expect(again.status).toBe(410);
    expect(linkPage).toContain('à la suite de son décès');
    expect(linkPage).not.toContain('nouveau lien');
    expect(linkPage).not.toContain('sur place');
    // The establishment's contact in the footer (no session, but the request is known).
    expect(linkPage).toMatch(/Besoin d’aide \?<\/strong> (Appelez|Adressez-vous à)/);
    // Her own link (no e-mail was written to her after the death): cancelled, no name, no death.
    const own = await new PortalClient(base).open(p.selfLink);
    const ownPage = plain(await own.text());
    expect(own.status).toBe(410);
    expect(ownPage).toContain('<h1>Cette demande de signature a été annulée</h1>');
    expect(ownPage).not.toMatch(/décès|Lienmort/);
    // A token nobody was given: the one generic page.
    const unknown = await new PortalClient(base).open(`${base}/s/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(plain(await unknown.text())).toContain('Ce lien n’est pas ou plus valable');

    // The e-mail to the curateur: the death, and no « Si un nouveau document doit être signé … ».
    await waitUntil('the cancellation e-mail', async () => !!cancelMail(p.curateur.email, 'Lienmort'), 30_000);
    const mail = cancelMail(p.curateur.email, 'Lienmort')!;
    expect(plain(mail.text)).toContain('à la suite du décès de Marcel Lienmort.');
    expect(plain(mail.text)).not.toContain('nouveau document');
    expect(plain(mail.html ?? '')).not.toContain('nouveau document');

    // The console: when, by whom, why; the signers as what happened.
    const page = (await admissions.get(`/console/documents/${p.documentId}`).expect(200)).text;
    const section = plain(new RegExp(`<section[^>]*data-request-id="${p.requestId}"[^]*?</section>`).exec(page)![0]);
    expect(section).toMatch(/Demande annulée le \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d{2} par administrator a\.<\/strong> Raison/);
    expect(section).toContain('Raison : « Décès de la personne le 30 novembre 2026 ».');
    expect(section).toMatch(/Non signé — demande annulée le \d{1,2}(er)? [a-zéû]+ \d{4} \(décès de la personne le 30 novembre 2026\) : avait ouvert le lien, sans lire le document/);
    expect(section).not.toContain('A ouvert le lien, pas encore lu');
    expect(section).not.toContain('En attente de son tour');
    expect(section).not.toContain('Contresignature attendue');
    await shoot(await session.get('/portail').then((r) => r.text()), 'portal-session-death');
    await shoot(ownPage, 'portal-own-link-death');
    await shoot(page, 'console-request-death', `section[data-request-id="${p.requestId}"]`);
  }, 240_000);

  it('an in-person session (the tablet staff opened for the tuteur), open when the death is recorded: the same page, not « session terminée »', async () => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Tablette', ready: true });
    const sent = await sendToTuteurInPerson(admissions, base, made.documentId);
    const tablet = new PortalClient(base);
    expect((await tablet.open(sent.link)).status).toBe(303);
    expect((await tablet.get('/portail')).status).toBe(200);
    await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    const res = await tablet.get('/portail');
    const html = plain(await res.text());
    expect(res.status).toBe(410);
    expect(html).toContain('pour le contrat de séjour d’Yvonne Tablette, à la suite de son décès.');
    expect(html).not.toContain('session est terminée');
  }, 240_000);

  it('cancelled by staff for their own reason: the generic pages stay (a new link may come), the e-mail keeps « Si un nouveau document … », the console gives the reason and who', async () => {
    const p = await sendTo('Annulstaff');
    const session = new PortalClient(base);
    expect((await session.open(p.curateurLink)).status).toBe(303);
    await admissions.post(`/api/signature-requests/${p.requestId}/cancel`).send({ reason: 'Erreur de tarif' }).expect(200);
    const ended = await session.get('/portail');
    expect(ended.status).toBe(401);
    expect(plain(await ended.text())).toContain('Votre session est terminée');
    const link = await new PortalClient(base).open(p.curateurLink);
    expect(link.status).toBe(404);
    expect(plain(await link.text())).toContain('Ce lien n’est pas ou plus valable');
    await waitUntil('the cancellation e-mail', async () => !!cancelMail(p.curateur.email, 'Annulstaff'), 30_000);
    const mail = plain(cancelMail(p.curateur.email, 'Annulstaff')!.text);
    expect(mail).toContain('Si un nouveau document doit être signé, l’établissement vous contactera.');
    expect(mail).not.toContain('Erreur de tarif');
    const page = (await admissions.get(`/console/documents/${p.documentId}`).expect(200)).text;
    const section = plain(new RegExp(`<section[^>]*data-request-id="${p.requestId}"[^]*?</section>`).exec(page)![0]);
    expect(section).toContain('Raison : « Erreur de tarif ».');
    expect(section).toMatch(/Demande annulée le \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d{2} par [^.<]+\.<\/strong> Raison/);
    expect(section).toMatch(/Non signé — demande annulée le \d{1,2}(er)? [a-zéû]+ \d{4} :/);
    expect(section).not.toContain('(erreur de tarif)');
    await shoot(page, 'console-request-staff', `section[data-request-id="${p.requestId}"]`);
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
        if (selector) await page.locator(selector).first().screenshot({ path });
        else await page.screenshot({ path, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  }
});
