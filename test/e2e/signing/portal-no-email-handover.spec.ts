/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeViolation, SigningHarness, axeViolations, launchChromium, pageBasics, startSigningHarness } from '@carepact/testing';

interface RequestView {
  id: string;
  signers: { id: string; role: string; delivery: string }[];
}

/**
 * Jeanne Martin has no e-mail address: she signs in person, on a session staff open on the
 * establishment's tablet, and the signed document is handed to her in person (handoverRecipients,
 * channel 'in_hand'; CASF D.311 III). The recap she reads right after signing said « vous recevez un
 * e-mail avec un lien pour le télécharger » and « vous sera envoyé par e-mail »; it says now, as the
 * landing does, that the establishment hands it over. Checked in Chromium (axe, 1280 and 320 px);
 * PORTAL_SCREENSHOTS=<dir> saves the screenshots.
 */
const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe('the recap after signing in person, without e-mail', () => {
  let h: SigningHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startSigningHarness();
    browser = await launchChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const checked = async (page: Page, label: string) => {
    expect({ page: label, violations: await axeViolations(page) }).toEqual({ page: label, violations: [] as AxeViolation[] });
    const basics = await pageBasics(page);
    expect({ page: label, lang: basics.lang, h1: basics.h1, overflowX: basics.overflowX }).toEqual({ page: label, lang: 'fr', h1: 1, overflowX: false });
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${label}.png`), fullPage: true });
  };

  it('Jeanne Martin signs on the tablet: the establishment hands the document over, no e-mail is promised', async () => {
    const docId = await h.document('Jeanne', 'contrat-sejour');
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as RequestView;
    const jeanne = created.signers.find((s) => s.role === 'resident')!;
    expect(jeanne.delivery).toBe('in_person');
    const opened = (await (await staff(`/api/signature-requests/${created.id}/signers/${jeanne.id}/in-person`, { method: 'POST' })).json()) as { url: string };

    const context = await browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      expect((await page.goto(opened.url))?.status()).toBe(200);
      const main = async () => ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');
      // The landing already said it (session 19).
      expect(await main()).toContain('l’établissement vous remet le document signé en main propre');
      await page.goto(`${h.base}/portail/document`);
      await page.goto(`${h.base}/portail/signer`);
      await page.check('#consent');
      await page.fill('#typedName', 'Jeanne Martin');
      await Promise.all([page.waitForURL((u) => u.pathname !== '/portail/signer'), page.locator('form[action="/portail/signer"] button[type=submit]').click()]);
      await page.waitForLoadState();
      expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');
      const recap = await main();
      expect(recap).not.toMatch(/e-mail|courriel/i);
      expect(recap).toContain('Quand toutes les signatures seront réunies, l’établissement scelle le document et vous le remet en main propre.');
      expect(recap).toContain('Le document final, avec toutes les signatures, vous sera remis en main propre par l’établissement.');
      await checked(page, 'recap-sans-e-mail-1280');
      await page.setViewportSize({ width: 320, height: 640 });
      await page.reload();
      expect(await main()).not.toMatch(/e-mail|courriel/i);
      await checked(page, 'recap-sans-e-mail-320');
    } finally {
      await context.close();
    }
  }, 180000);
});
