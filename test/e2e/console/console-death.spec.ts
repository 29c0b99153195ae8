import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { curatelleResident, focusedIdOnceSettled, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * The departure form offers « Départ » or « Décès » (migration 1764250000000, residents.deceased_on):
 * an administrator records the person's death, in the browser — refused in the future with the
 * death's French message beside the date, the choice kept; recorded, the file says « Décédée le … »
 * (agreed with her civility) and the list too. axe, one h1, French title, 320 px; screenshots at
 * 1280 and 320 px for a person to look at.
 */
describe('console: the end of the accompaniment by the person’s death', () => {
  let h: ConsoleHarness;
  let residentId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp/console-death';
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    h = await startConsoleHarness();
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send({ ...curatelleResident(h.org.establishmentId), civility: 'madame', firstName: 'Marcelle' }).expect(201)).body.id as string;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const db = () => h.app.get(DataSource);
  const row = async () =>
    ((await db().query(`SELECT departed_on::text AS "departedOn", deceased_on::text AS "deceasedOn" FROM residents WHERE id = $1`, [residentId])) as { departedOn: string | null; deceasedOn: string | null }[])[0];
  const section = (page: Page) => page.locator('section[aria-labelledby="conservation"]');
  const tomorrow = () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  const shoot = async (page: Page, name: string) => {
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      await section(page).screenshot({ path: `${shots}/${name}-${width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('« Décès » with a date in the future is refused beside the date, the choice kept; then recorded: « Décédée le … » on the file and the list', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/residents/${residentId}`);
    const choice = page.getByRole('group', { name: 'L’accompagnement a pris fin par' });
    expect(await choice.getByRole('radio', { name: 'Départ' }).isChecked()).toBe(true);
    expect(await choice.getByRole('radio', { name: 'Décès' }).isChecked()).toBe(false);
    await checkConsolePage(page, 'Dossier de Marcelle Dupont');
    await shoot(page, 'death-form');

    await choice.getByRole('radio', { name: 'Décès' }).check();
    await page.fill('#departedOn', tomorrow());
    await submitForm(page, 'Enregistrer la fin de l’accompagnement', { exact: true });
    expect(await page.title()).toBe('Erreur — Dossier de Marcelle Dupont — CarePact');
    expect(await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      ['#departedOn', 'Fin de l’accompagnement : La date du décès ne peut être dans le futur.'],
    ]);
    expect(await page.textContent('#departedOn-erreur')).toBe('La date du décès ne peut être dans le futur.');
    expect(await page.getAttribute('#departedOn', 'aria-invalid')).toBe('true');
    expect(await page.getByRole('group', { name: 'L’accompagnement a pris fin par' }).getByRole('radio', { name: 'Décès' }).isChecked()).toBe(true);
    expect(await focusedIdOnceSettled(page, 'erreurs')).toBe('erreurs');
    expect(await row()).toEqual({ departedOn: null, deceasedOn: null });
    await checkConsolePage(page, 'Erreur — Dossier de Marcelle Dupont');
    await shoot(page, 'death-error');

    await page.fill('#departedOn', '2026-11-30');
    await submitForm(page, 'Enregistrer la fin de l’accompagnement', { exact: true });
    expect(new URL(page.url()).search).toBe('?fait=deces-enregistre');
    expect(await page.getByRole('status').textContent()).toContain('Le décès de la personne a été enregistré');
    expect(await section(page).locator('dd').first().textContent()).toBe('Décédée le 30 novembre 2026');
    expect(await page.locator('section[aria-labelledby="sejour"]').textContent()).toContain('Fin de l’accompagnementDécédée le 30 novembre 2026');
    expect(await page.getByRole('group', { name: 'L’accompagnement a pris fin par' }).getByRole('radio', { name: 'Décès' }).isChecked()).toBe(true);
    expect(await row()).toEqual({ departedOn: '2026-11-30', deceasedOn: '2026-11-30' });
    await checkConsolePage(page, 'Dossier de Marcelle Dupont');
    await shoot(page, 'death-recorded');

    await page.goto('/console/residents?q=Marcelle');
    expect(await page.locator('td[data-label="Séjour"]').first().textContent()).toBe('Hébergement permanent, admission le 15 octobre 2026 — décédée le 30 novembre 2026');
    await checkConsolePage(page, 'Résidents : recherche « Marcelle »');
    expect(page.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  }, 180_000);
});
