import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { PortalClient, launchChromium, waitUntil } from '@carepact/testing';
import { projectRoot } from '@carepact/common';
import { SigningHarness, startSigningHarness } from './signing-harness';

/** Screenshots for a human to look at, when asked (DIPC_SCREENSHOTS=<dir>). */
const SHOTS = process.env.DIPC_SCREENSHOTS;

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
    await h.waitForMail('marc.garnier@example.org', 1, /signature/i);

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
  }, 300000);
});
