import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { SigningHarness, axeViolations, launchChromium, pageBasics, startSigningHarness, waitUntil } from '@carepact/testing';
import { scanOf } from '../../unit/paper/scan-fixtures';
import { checkConsolePage } from './console-harness';

/** Where the document page is left for a person to look at. */
const SHOTS = process.env.SECOND_CONTRACT_SHOTS ?? tmpdir();
const REFUSAL =
  'Le document ne peut pas être envoyé en signature : un contrat de séjour est déjà signé pour ce séjour ; il n’y en a qu’un par séjour, toute modification se fait par avenant (CASF L.311-4, D.311).';

/**
 * The security review's reproduction, in Debian's Chromium on the whole product (api and worker
 * processes, the demo establishment): Jeanne Martin's two draft contrats de séjour (allowed: a draft
 * may be abandoned for another); contract A sent and signed on paper, sealed. The page of draft B
 * then no longer offers « Envoyer en signature », and says why: the stay's contract is signed, a
 * change is an avenant (CASF L.311-4, D.311). Before A was signed, B's page offered it.
 */
describe('console: a draft contract’s page once another contract of the stay is signed', () => {
  let h: SigningHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    h = await startSigningHarness();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await h?.close();
  });

  const open = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ baseURL: h.base, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEFAULT_DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
    return page;
  };
  const sendButton = (page: Page) => page.getByRole('button', { name: 'Envoyer en signature' });
  const correct = (page: Page) => page.getByRole('link', { name: 'Corriger : créer une nouvelle version' });
  let a = '';
  let b = '';

  it('Jeanne Martin: A signed on paper — B’s page offers no « Envoyer en signature » and says why; axe, one h1, 320 px', async () => {
    a = await h.document('Jeanne', 'contrat-sejour');
    b = await h.document('Jeanne', 'contrat-sejour');
    const page = await open('admissions@les-tilleuls.example');
    await page.goto(`/console/documents/${b}`);
    // A draft while no contract of the stay is signed: it may be sent (drafts are allowed on purpose).
    await expect(sendButton(page).count()).resolves.toBe(1);
    expect(await correct(page).count()).toBe(1);

    const admissions = await h.staff('admissions@les-tilleuls.example');
    const director = await h.staff('direction@les-tilleuls.example');
    const sent = await admissions(`/api/documents/${a}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Essai : envoi après le délai légal.' }) });
    expect(sent.status).toBe(201);
    const view = (await sent.json()) as { id: string; signers: { id: string }[] };
    const doc = (await (await admissions(`/api/documents/${a}`)).json()) as { versions: { renditions: { format: string; variant: string; href: string }[] }[] };
    const pdf = Buffer.from(await (await admissions(doc.versions[0].renditions.find((r) => r.format === 'pdf' && r.variant === 'standard')!.href)).arrayBuffer());
    const scan = await scanOf(pdf, [1]);
    const uploaded = await director(`/api/signature-requests/${view.id}/paper?signerIds=${view.signers.map((s) => s.id).join(',')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/pdf' },
      body: new Uint8Array(scan),
    });
    expect(uploaded.status).toBe(200);
    await waitUntil('A sealed', async () => (await h.sql<{ status: string }>(`SELECT status FROM documents WHERE id = $1`, [a]))[0].status === 'signed', 60_000);

    await page.goto(`/console/documents/${b}`);
    expect(await sendButton(page).count()).toBe(0);
    const notice = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(notice).toContain(REFUSAL);
    // Said plainly, with the signed contract linked; no « Corriger » (a new version is refused, 409); what is possible instead.
    expect(notice).toContain('Projet non envoyé : un autre contrat de séjour est signé pour ce séjour');
    expect(notice).not.toContain('Prêt à envoyer en signature');
    expect(await correct(page).count()).toBe(0);
    expect(await page.locator('#contrat-en-vigueur').getByRole('link', { name: 'Voir le contrat de séjour signé' }).getAttribute('href')).toBe(`/console/documents/${a}`);
    expect(await page.getByRole('link', { name: 'Rédiger un avenant au contrat signé' }).getAttribute('href')).toMatch(/\/console\/residents\/[0-9a-f-]+\/documents\/nouveau\?type=avenant$/);
    expect(await page.getByRole('link', { name: 'Abandonner ce projet' }).count()).toBe(1);
    await checkConsolePage(page, await page.locator('h1').innerText());
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', h1: 1, overflowX: false });
    await page.screenshot({ path: join(SHOTS, 'second-contract-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect((await pageBasics(page)).overflowX).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'second-contract-320.png'), fullPage: true });
    // The API, asked anyway: 409 with the creation's code and sentence.
    const again = await admissions(`/api/documents/${b}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Essai' }) });
    expect({ status: again.status, code: ((await again.json()) as { error: { code: string } }).error.code }).toEqual({ status: 409, code: 'CONTRACT_ALREADY_IN_FORCE' });
    // The correction form, opened by its address: refused before it is filled (409), not after its preview.
    await page.setViewportSize({ width: 1280, height: 900 });
    const form = await page.goto(`/console/documents/${b}/corriger`);
    expect(form?.status()).toBe(409);
    expect((await page.locator('main').innerText()).replace(/\s+/g, ' ')).toContain('Un contrat de séjour est déjà signé : toute modification se fait par avenant (CASF L.311-4, D.311).');
    // Her file's list of documents: B is not « prêt ».
    await page.goto(`/console/documents/${b}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Retour au dossier/ }).click()]);
    const file = (await page.locator('#documents').locator('xpath=..').innerText()).replace(/\s+/g, ' ');
    expect(file).toContain('Contrat de séjour — projet non envoyé : un autre contrat de séjour est signé pour ce séjour');
    expect(file).toContain('Contrat de séjour — signé');
  }, 240_000);

  it('« Abandonner ce projet »: B closed, audited; its page says so with the link, and offers nothing; axe at 1280 and 320 px', async () => {
    const page = await open('admissions@les-tilleuls.example');
    await page.goto(`/console/documents/${b}`);
    // A confirmation page first (no longer one click), then the message at the top of the document's page.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Abandonner ce projet' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${b}/abandonner`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Confirmer l’abandon du projet' }).click()]);
    expect(new URL(page.url()).hash).toBe('#message');
    // The message is in view (the redirect went to #etat before, below it: scrolled out).
    const box = await page.locator('#message').boundingBox();
    expect(box!.y).toBeGreaterThan(-1);
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Le projet de contrat est abandonné');
    expect(text).toContain('Projet abandonné : un autre contrat de séjour est signé pour ce séjour');
    expect(await page.locator('#contrat-en-vigueur a').getAttribute('href')).toBe(`/console/documents/${a}`);
    expect(await page.getByRole('link', { name: 'Abandonner ce projet' }).count()).toBe(0);
    expect(await correct(page).count()).toBe(0);
    expect(await sendButton(page).count()).toBe(0);
    expect(await h.sql<{ status: string }>(`SELECT status FROM documents WHERE id = $1`, [b])).toEqual([{ status: 'cancelled' }]);
    expect(await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'document.discarded'`, [b])).toEqual([{ n: 1 }]);
    await checkConsolePage(page, await page.locator('h1').innerText());
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', h1: 1, overflowX: false });
    await page.screenshot({ path: join(SHOTS, 'second-contract-abandoned-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect((await pageBasics(page)).overflowX).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'second-contract-abandoned-320.png'), fullPage: true });
  }, 120_000);
});
