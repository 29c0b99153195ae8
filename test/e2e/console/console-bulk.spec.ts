import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { curatelleResident, insertResidentsWithSignedContracts, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * Issue 10 item 7 in Chromium: the January tariff avenant for the residents of an establishment,
 * from the console — the form (common data typed once, residents all eligible by default with a
 * box to leave one out, the excluded ones with their reason), its errors, the preview of one
 * resident's avenant, the start, the progress page in each state (running: refreshes itself without
 * JavaScript and updates live with it; finished with a resident in failure, linked, and « Relancer »).
 * axe-core, one h1, French title, 320 px, on each page state.
 */
describe('console: bulk generation (issue 10 item 7)', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle | undefined;
  let signed: string[];
  let marcelId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness({ OUTBOX_POLL_MS: '100' });
    const ds = h.app.get(DataSource);
    const where = { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId };
    signed = await insertResidentsWithSignedContracts(ds, { ...where, count: 2, tag: 'Lot' });
    // The third contract prints no tariff: with a percentage only, its avenant cannot be computed.
    signed.push(...(await insertResidentsWithSignedContracts(ds, { ...where, count: 1, tag: 'Sanstarif', withoutPrices: true })));
    const admin = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    marcelId = (await admin.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id;
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const submit = (page: Page, name: string | RegExp) => submitForm(page, name);
  const checkPage = checkConsolePage;

  it('admissions prepares, previews and starts the tariff avenant; follows the progress; sees the resident in failure', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Sections de la console' }).getByRole('link', { name: 'Générations groupées' }).click()]);
    expect(await page.getByText('Aucune génération groupée pour le moment.').count()).toBe(1);
    await checkPage(page, 'Générations groupées');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Nouvelle génération groupée' }).click()]);
    const formTitle = 'Nouvelle génération groupée — EHPAD console';
    await checkPage(page, formTitle);
    // Every eligible resident by default; Marcel (no signed contract) excluded, with the reason.
    expect(await page.getByRole('checkbox').count()).toBe(3);
    expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(0);
    expect(await page.locator('ul.not-applicable li').textContent()).toMatch(/^Marcel Dupont : Aucun contrat de séjour ni DIPC signé.*CASF L\.311-4/);
    expect(await page.getByText('3 résidents sur 3 éligibles recevront l’avenant.').count()).toBe(1);

    // Nothing typed: the errors beside the fields and summed up, linked.
    await submit(page, 'Prévisualiser');
    expect(await page.title()).toBe(`Erreur : ${formTitle} — CarePact`);
    const summary = page.locator('.error-summary');
    expect(await summary.locator('a').count()).toBe(3);
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#commonData-effectiveOn');
    expect(await page.locator('#commonData-effectiveOn').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, `Erreur : ${formTitle}`);
    await page.screenshot({ path: `${shots}/console-bulk-form-errors.png` });
    // The refused form answered 400 (Chromium logs it); from here on, nothing may fail.
    page.problems.length = 0;

    await page.fill('#commonData-effectiveOn', '2027-01-01');
    await page.getByLabel(/^Revalorisation annuelle/).check();
    await page.fill('#commonData-basisReference', 'arrêté du 18 décembre 2026');
    await page.fill('#commonData-percentage', '2,5');
    await page.fill('#commonData-cvsConsultedOn', '2026-11-20');
    await submit(page, 'Prévisualiser');
    const preview = page.locator('section.preview');
    expect(await preview.locator('h2').first().textContent()).toBe('Aperçu : l’avenant de Résident Lot-00001');
    expect(await preview.textContent()).toMatch(/74,31\s€/);
    expect(await preview.textContent()).toContain('L.342-3');
    await checkPage(page, formTitle);
    await page.screenshot({ path: `${shots}/console-bulk-preview.png`, fullPage: true });

    await submit(page, 'Lancer la génération pour 3 résidents');
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/generations\/[0-9a-f-]{36}$/);
    const runTitle = 'Avenant tarifaire au 1er janvier 2027 — EHPAD console';
    expect(await page.locator('h1').textContent()).toBe(runTitle);
    expect(await page.getByText('La génération a commencé : suivez ici sa progression.').count()).toBe(1);
    // No worker yet: the run is waiting. Without JavaScript the page refreshes itself (meta refresh,
    // in <noscript>); with it the script takes over.
    const html = await (await page.request.get(page.url())).text();
    expect(html).toContain('<meta http-equiv="refresh" content="5"/>');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.locator('progress').getAttribute('value')).toBe('0');
    expect(await page.locator('[data-bulk="pending"]').textContent()).toBe('3');
    await checkPage(page, runTitle);
    await page.screenshot({ path: `${shots}/console-bulk-progress-running.png`, fullPage: true });
    // The script follows the run: the page is not reloaded under it past the 5 seconds of the
    // refresh meant for browsers without JavaScript (it is in <noscript>).
    let loads = 0;
    page.on('load', () => loads++);
    await page.waitForTimeout(6_000);
    expect(loads).toBe(0);

    // The worker starts: the script follows the API and reloads the page when the run ends.
    worker = await startWorker(h.db.config, { probe: false });
    await page.waitForFunction(() => document.querySelector('[data-bulk="status"]')?.textContent === 'Terminée', undefined, { timeout: 120_000 });
    expect(await page.locator('[data-bulk="generated"]').textContent()).toBe('2');
    expect(await page.locator('[data-bulk="failed"]').textContent()).toBe('1');
    expect(await page.locator('progress').getAttribute('value')).toBe('3');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    const row = page.locator('table tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('a').getAttribute('href')).toBe(`/console/residents/${signed[2]}`);
    expect(await row.textContent()).toContain('TARIFF_NO_PREVIOUS_PRICE');
    expect(await page.getByRole('button', { name: 'Relancer le résident en échec' }).count()).toBe(1);
    expect(page.problems).toEqual([]);
    await checkPage(page, runTitle);
    await page.screenshot({ path: `${shots}/console-bulk-progress-done.png`, fullPage: true });

    await submit(page, 'Relancer le résident en échec');
    expect(await page.getByText('Les résidents en échec sont relancés.').count()).toBe(1);
    await page.waitForFunction(() => document.querySelector('[data-bulk="status"]')?.textContent === 'Terminée', undefined, { timeout: 60_000 });
    expect(await page.locator('[data-bulk="failed"]').textContent()).toBe('1');
    expect(marcelId).toBeTruthy();
  });

  it('the auditor has no bulk section and cannot start one', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.auditor.email);
    expect(await page.getByRole('link', { name: 'Générations groupées' }).count()).toBe(0);
    const res = await page.goto('/console/generations/nouvelle');
    expect(res?.status()).toBe(403);
  });
});
