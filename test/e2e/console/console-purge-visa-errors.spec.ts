import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { insertResidentsWithSignedContracts, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * « Exécuter la purge » for public archives (Code du patrimoine R.212-14: the visa's reference, date
 * and signatory), everything left empty: every error at once — the three visa fields and the box —
 * not the box first and the visa on a second round (the newcomer's shots 26, 26b). The Conservation
 * page with a 2-month active base (CNIL délib. n° 2023-095: a warning, the rules at 2 months).
 */
describe('console: the purge form of public archives refuses every field at once', () => {
  let h: ConsoleHarness;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
    const ids = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Parti' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    for (const id of ids) await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2024-06-01' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });

  it('public archives, nothing filled: the visa’s three fields and the box, in one summary; nothing asked', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/conservation');
    for (const subject of ['contrat-sejour', 'dossier-resident']) {
      await page.selectOption('#subject', subject);
      await page.fill('#years', '1');
      await submit(page, 'Changer la durée');
    }
    await page.fill('#activeBaseMonths', '2');
    await page.check('#publicLaw');
    await submit(page, 'Enregistrer le régime des archives');
    const archives = page.locator('section[aria-labelledby="archives"]');
    expect(await archives.textContent()).toContain('La base active est de 2 mois, moins que les 2 ans à compter du dernier contact');
    expect(await page.locator('section[aria-labelledby="durees"]').textContent()).not.toContain('base active de 2 ans');
    await checkConsolePage(page, 'Conservation des données');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/conservation-base-2-mois-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/conservation-base-2-mois-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await submit(page, 'Simuler une purge');
    const title = (await page.locator('h1').textContent())!;
    await submit(page, 'Exécuter la purge');
    expect(await page.title()).toBe(`Erreur — ${title} — CarePact`);
    const summary = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(summary).toEqual(['#visaReference', '#visaDate', '#visaSignatory', '#confirm']);
    for (const id of ['visaReference', 'visaDate', 'visaSignatory', 'confirm']) expect(await page.locator(`#${id}-erreur`).count()).toBe(1);
    expect(await h.count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run'`)).toBe(0);
    await checkConsolePage(page, `Erreur — ${title}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/purge-visa-errors-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/purge-visa-errors-320.png`, fullPage: true });
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  }, 180_000);
});
