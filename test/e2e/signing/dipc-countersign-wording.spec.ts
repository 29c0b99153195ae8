import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { PortalClient, axeViolations, launchChromium, waitUntil } from '@carepact/testing';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '@carepact/common';
import { SigningHarness, startSigningHarness } from './signing-harness';

/** Screenshots for a human to look at, when asked (DIPC_SCREENSHOTS=<dir>). */
const SHOTS = process.env.DIPC_SCREENSHOTS;
const flat = (html: string) => html.replace(/&nbsp;/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The page's visible text, axe-core's violations (held at 0), and a picture when asked. */
async function look(page: Page, shot: string): Promise<string> {
  expect(await axeViolations(page)).toEqual([]);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  }
  return ((await page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ');
}
/** An e-mail's HTML as a mail client shows it. */
async function lookAtMail(browser: Browser, html: string, shot: string): Promise<void> {
  if (!SHOTS) return;
  const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  await page.close();
}

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal »; D.311 III: handed over at once. End to end (api,
 * worker, real SMTP, Chromium): what the director reads after signing, what a reminder tells an
 * optional countersigner while the window is open, and what the curateur reads after countersigning
 * while the person may still countersign — each says what is true: the DIPC is established and in
 * force, the countersignature is optional and possible until the request's deadline.
 */
describe('DIPC under curatelle: the wording of the establishment, the reminders and the recap (CASF D.311 II-III)', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('the director establishes it from the console; a reminder offers the optional countersignature; the curateur’s recap says who may still countersign', async () => {
    const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8'));
    const { resident: _r, ...dipc } = fixture.documents.dipc;
    const admissions = await h.staff('admissions@les-tilleuls.example');
    const [{ id: establishmentId }] = await h.sql<{ id: string }>(`SELECT establishment_id AS id FROM residents WHERE first_name = 'Ahmed'`);
    const resident = await admissions('/api/residents', {
      method: 'POST',
      body: JSON.stringify({
        establishmentId,
        firstName: 'Léa',
        lastName: 'Garnier',
        birthDate: '1975-09-02',
        admissionDate: '2026-11-16',
        plannedEndDate: '2026-12-10',
        stayType: 'temporary',
        room: '9',
        email: 'lea.garnier@example.org',
        preferences: { largePrint: false, easyToRead: false, language: 'fr' },
        protectionMeasure: {
          type: 'curatelle',
          mode: 'assistance',
          scope: ['personne', 'biens'],
          court: 'Tribunal judiciaire de Valville',
          judgmentReference: 'RG 24/01234',
          judgmentDate: '2024-05-06',
          endDate: '2034-05-06',
          holders: [{ role: 'curateur', firstName: 'Marc', lastName: 'Garnier', email: 'marc.garnier@example.org' }],
        },
      }),
    });
    expect({ status: resident.status, body: resident.status === 201 ? null : await resident.text() }).toEqual({ status: 201, body: null });
    const docId = await h.document('Léa', 'dipc', { ...dipc, residenceChoice: { agrees: true, recordedOn: '2026-11-16' } });
    const res = await admissions(`/api/documents/${docId}/signature-requests`, {
      method: 'POST',
      body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', reminderDays: [3] }),
    });
    const created = (await res.json()) as { id: string; signers: { role: string; name: string; optional: boolean }[] };
    expect(res.status).toBe(201);
    expect(created.signers.filter((s) => s.role !== 'director').every((s) => s.optional)).toBe(true);
    expect(created.signers.filter((s) => s.role !== 'director').map((s) => s.name).sort()).toEqual(['Léa Garnier', 'Marc Garnier']);
    const [invitation] = await h.waitForMail('marc.garnier@example.org', 1, /signature/i);

    // 0. What the director receives at once (notifyCountersignDue: only her signature is required): sign to
    // establish the DIPC (CASF D.311 II), not « contresigner » what « toutes les personnes concernées » signed.
    const [due] = await h.waitForMail('direction@les-tilleuls.example', 1, /^(À signer pour l’établir|Contresignature attendue)/);
    expect(due.subject).toBe('À signer pour l’établir : document individuel de prise en charge (DIPC) — EHPAD Les Tilleuls');
    for (const body of [due.text, flat(due.html)]) {
      expect(body).not.toMatch(/Toutes les personnes concernées ont signé|contresignature est attendue|Contresigner dans la console/);
      expect(body).toContain('Le document individuel de prise en charge (DIPC) de Léa Garnier attend votre signature : c’est elle qui l’établit (CASF, article D. 311).');
      expect(body).toMatch(/Ils pourront ensuite le contresigner, s’ils le souhaitent, jusqu’au .+ : ce n’est pas obligatoire, et cela ne retarde rien\./);
      expect(body).toContain('Signer et établir le document dans la console');
    }

    // 0 bis. The curateur's portal before the director signed: a countersignature he may give, « pour assister » Léa
    // (C. civ. 467), the documents handed over « avec le document individuel de prise en charge ».
    const early = await launchChromium();
    try {
      await lookAtMail(early, due.html, 'email-countersign-due-dipc.png');
      const page = await early.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(PortalClient.linksIn(invitation.text, h.base)[0]);
      const landing = await look(page, 'portal-dipc-landing-curateur.png');
      expect(landing).toContain('Vous pouvez le contresigner : Marc Garnier, en qualité de curateur, pour assister Léa Garnier. Ce n’est pas obligatoire.');
      expect(landing).not.toContain('Vous signez :');
      expect(landing).toContain('Si vous le souhaitez, vous contresignez. Ce n’est pas obligatoire.');
      await page.goto(`${h.base}/portail/document`);
      const reading = (await page.locator('#apres-lecture').locator('..').innerText()).replace(/\s+/g, ' ');
      expect(reading).toContain('vous pouvez le contresigner, si vous le souhaitez : ce n’est pas obligatoire.');
      expect(await page.getByRole('link', { name: 'Contresigner le document' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Ne pas contresigner' }).count()).toBe(1);
      await page.goto(`${h.base}/portail/signer`);
      const sign = await look(page, 'portal-dipc-sign-curateur.png');
      expect(await page.getByLabel('J’ai lu le document et je le contresigne en qualité de curateur, pour assister Léa Garnier.').count()).toBe(1);
      expect(sign).not.toContain('Documents remis avec le contrat');
      expect(await page.locator('#documents-remis').innerText()).toBe('Documents remis avec le document individuel de prise en charge');
      expect(await page.locator('h1').innerText()).toBe('Contresigner : document individuel de prise en charge (DIPC)');
      expect(await page.getByRole('button', { name: 'Contresigner', exact: true }).count()).toBe(1);
    } finally {
      await early.close();
    }

    // 1. The director signs from the console: « Signer et établir le document »; the confirmation says it is established.
    const browser = await launchChromium();
    try {
      const login = await fetch(`${h.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'direction@les-tilleuls.example', password: DEFAULT_DEMO_PASSWORD }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      await context.addCookies([{ name: cookie.slice(0, cookie.indexOf('=')), value: cookie.slice(cookie.indexOf('=') + 1), url: h.base }]);
      const page = await context.newPage();
      await page.goto(`${h.base}/console/documents/${docId}`);
      // A click alone never signs: without the box ticked the service refuses (400, the page says why).
      const form = page.locator('form[action$="/contresigner"]');
      const unconfirmed = await page.request.post(`${h.base}${await form.getAttribute('action')}`, { form: { _csrf: (await form.locator('input[name="_csrf"]').getAttribute('value'))! } });
      expect(unconfirmed.status()).toBe(400);
      expect(await unconfirmed.text()).toContain('Cochez la case pour confirmer que vous signez ce document pour l’établissement.');
      await page.getByLabel(/J’ai lu le document et je le signe pour l’établissement \(version 1\)/).check();
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.locator('form[action$="/contresigner"]').screenshot({ path: join(SHOTS, 'console-director-confirm.png') });
      }
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Signer et établir le document' }).click()]);
      const notice = await page.locator('.notice.success').first().innerText();
      expect(notice).not.toContain('Contresignature enregistrée');
      expect(notice).toContain('Document signé et établi (CASF D.311) : il s’applique dès maintenant.');
      expect(notice).toMatch(/remis à (Léa Garnier et Marc Garnier|Marc Garnier et Léa Garnier), qui pourront encore le contresigner, sans obligation, jusqu’au/);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, 'console-director-established.png'), fullPage: true });
      }
    } finally {
      await browser.close();
    }
    const staff = await h.staff('admissions@les-tilleuls.example');
    const state = async () => (await (await staff(`/api/signature-requests/${created.id}`)).json()) as { status: string; sealed: { edition: number } | null; countersignUntil: string | null };
    await waitUntil('established and sealed', async () => (await state()).sealed !== null, 60000);
    expect((await state()).countersignUntil).not.toBeNull();

    // 2. A reminder in the window: optional, the DIPC already in force; never « attendue ».
    await h.ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = 'signing.remind' AND payload->>'requestId' = $1`, [created.id]);
    const [reminder] = await h.waitForMail('marc.garnier@example.org', 1, /^Rappel/);
    expect(reminder.subject).toMatch(/^Rappel : contresignature facultative, possible jusqu’au /);
    expect(reminder.text).toContain('est établi : EHPAD Les Tilleuls l’a signé, il s’applique déjà et vous a été remis.');
    expect(reminder.text).toContain('Ce n’est pas obligatoire : le document s’applique, que vous le contresigniez ou non.');
    expect(reminder.text).not.toMatch(/attendue|attend encore/);

    // 3. The curateur countersigns with the reminder's link; his recap: established, Léa may still countersign until the deadline.
    const link = PortalClient.linksIn(reminder.text, h.base)[0];
    const portal = new PortalClient(h.base);
    expect((await portal.open(link)).status).toBe(303);
    await portal.get('/portail');
    const signed = await portal.sign({ consent: 'oui', typedName: 'Marc Garnier' });
    expect({ status: signed.status, page: signed.status === 303 ? 'ok' : portal.lastHtml.slice(0, 1500) }).toEqual({ status: 303, page: 'ok' });
    await waitUntil('countersigned and sealed again', async () => (await state()).sealed!.edition === 2, 60000);
    expect((await state()).status).toBe('active');
    expect((await portal.get('/portail')).status).toBe(200);
    const recap = portal.lastHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(recap).not.toContain('Toutes les signatures sont réunies');
    expect(recap).toContain('Le document est établi : la direction de l’établissement l’a signé. Il s’applique dès maintenant. Votre contresignature est enregistrée : le document scellé avec votre signature est prêt.');
    expect(recap).toMatch(/Léa Garnier peut encore le contresigner jusqu’au \d+ \S+ \d{4} à \d+ h \d+\. Ce n’est pas obligatoire : le document s’applique déjà\./);
    expect(recap).toContain('« J’ai lu le document et je le contresigne en qualité de curateur, pour assister Léa Garnier. »');
    if (SHOTS) {
      const shot = await launchChromium();
      try {
        const page = await shot.newPage({ viewport: { width: 1000, height: 900 } });
        await page.goto(link);
        await page.screenshot({ path: join(SHOTS, 'portal-recap-established.png'), fullPage: true });
      } finally {
        await shot.close();
      }
    }
    // The consent recorded in the evidence is the sentence he ticked.
    const [signedEvent] = await h.sql<{ consent: string }>(
      `SELECT e.details->>'consent' AS consent FROM signature_events e JOIN signature_signers s ON s.id = e.signer_id WHERE e.request_id = $1 AND e.kind = 'signed' AND s.role = 'curateur'`,
      [created.id],
    );
    expect(signedEvent.consent).toBe('J’ai lu le document et je le contresigne en qualité de curateur, pour assister Léa Garnier.');

    // 4. Léa chooses not to countersign (her reminder's link): nothing is refused, the DIPC stays in force, nothing more
    // is asked of her — never « L’établissement va vous contacter ».
    const [leaReminder] = await h.waitForMail('lea.garnier@example.org', 1, /^Rappel/);
    const browser2 = await launchChromium();
    try {
      const page = await browser2.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(PortalClient.linksIn(leaReminder.text, h.base)[0]);
      await page.goto(`${h.base}/portail/document`);
      await page.goto(`${h.base}/portail/refuser`);
      const refuse = await look(page, 'portal-dipc-decline.png');
      expect(await page.locator('h1').innerText()).toBe('Ne pas contresigner');
      expect(refuse).toContain('Votre contresignature n’est pas obligatoire : le document s’applique dès que la direction de l’établissement l’a signé, que vous le contresigniez ou non');
      expect(refuse).toContain('rien d’autre n’est attendu de vous');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Je ne le contresigne pas' }).click()]);
      const declined = await look(page, 'portal-dipc-declined.png');
      expect(await page.locator('h1').innerText()).toBe('Votre choix est enregistré');
      expect(declined).not.toMatch(/va vous contacter|Il vous contactera|refusé/);
      expect(declined).toContain('Ce n’était pas obligatoire (article D.311 du code de l’action sociale et des familles).');
      expect(declined).toContain('Le document est établi : la direction de l’établissement l’a signé. Il s’applique, sans votre contresignature. Rien d’autre n’est attendu de vous.');
    } finally {
      await browser2.close();
    }
    await waitUntil('the window closed', async () => (await state()).status === 'completed', 60000);

    // 5. The console's request page: Marc « Contresigné », Léa chose not to (optional), the director's signature established it.
    const browser3 = await launchChromium();
    try {
      const login = await fetch(`${h.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admissions@les-tilleuls.example', password: DEFAULT_DEMO_PASSWORD }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const context = await browser3.newContext({ viewport: { width: 1200, height: 900 } });
      await context.addCookies([{ name: cookie.slice(0, cookie.indexOf('=')), value: cookie.slice(cookie.indexOf('=') + 1), url: h.base }]);
      const page = await context.newPage();
      await page.goto(`${h.base}/console/documents/${docId}`);
      const cards = await page.locator('.signer-card').allInnerTexts();
      const card = (name: string) => (cards.find((c) => c.startsWith(name)) ?? '').replace(/\s+/g, ' ');
      expect(card('Marc Garnier')).toMatch(/Contresigné le /);
      expect(card('Léa Garnier')).toMatch(/A choisi de ne pas contresigner le .+ \(facultatif : le document s’applique sans\)/);
      expect(card('Léa Garnier')).not.toMatch(/Refusé le/);
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-request-dipc-countersigners.png'), fullPage: true });
    } finally {
      await browser3.close();
    }
  }, 300000);
});
