import { mkdirSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, tutelleResident } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * « Civilité : — / Madame / Monsieur » on the resident, contact and holder forms (migration
 * 1764160000000): recorded, shown again on the edit form, cleared with « — »; the file agrees the
 * holder's title with it (« tutrice »), and the masculine generic comes back without one.
 */
describe('console: civility', () => {
  let h: ConsoleHarness;
  let api: request.Agent;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp/civ';
  const civilityOf = async (table: 'residents' | 'contacts', id: string) =>
    ((await h.app.get(DataSource).query(`SELECT civility FROM ${table} WHERE id = $1`, [id])) as { civility: string | null }[])[0].civility;
  beforeAll(async () => {
    h = await startConsoleHarness();
    api = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the resident form: Madame recorded, shown selected on the edit form, changed, cleared with « — »; a contact’s too', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/nouveau`);
    const civility = page.locator('#civility');
    expect(await page.locator('label[for="civility"]').textContent()).toBe('Civilité');
    expect(await civility.locator('option').allTextContents()).toEqual(['—', 'Madame', 'Monsieur']);
    await civility.selectOption('madame');
    await page.fill('#firstName', 'Jeanne');
    await page.fill('#lastName', 'Martin');
    await page.fill('#birthDate', '1941-03-14');
    await page.fill('#admissionDate', '2026-09-07');
    await page.check('#stayType-0');
    await page.locator('h2', { hasText: 'Identité' }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/resident-form-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('h2', { hasText: 'Identité' }).first().evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: `${shots}/resident-form-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await submitForm(page, 'Créer le dossier', { exact: true });
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/residents\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(await civilityOf('residents', id)).toBe('madame');
    expect(await page.locator('section[aria-labelledby="identite"]').textContent()).toContain('CivilitéMadame');
    await checkConsolePage(page, 'Dossier de Jeanne Martin');

    await page.goto(`${h.url}/console/residents/${id}/modifier`);
    expect(await page.inputValue('#civility')).toBe('madame');
    await checkConsolePage(page, 'Modifier le dossier de Jeanne Martin');
    await page.selectOption('#civility', 'monsieur');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(await civilityOf('residents', id)).toBe('monsieur');
    await page.goto(`${h.url}/console/residents/${id}/modifier`);
    await page.selectOption('#civility', '');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(await civilityOf('residents', id)).toBeNull();
    expect(await page.locator('section[aria-labelledby="identite"]').textContent()).not.toContain('Civilité');

    await page.goto(`${h.url}/console/residents/${id}/contacts/nouveau`);
    await page.selectOption('#civility', 'monsieur');
    await page.fill('#firstName', 'Paul');
    await page.fill('#lastName', 'Martin');
    await page.fill('#relation', 'fils');
    await submitForm(page, 'Ajouter le contact', { exact: true });
    expect(await page.locator('section[aria-labelledby="contacts"]').textContent()).toContain('Monsieur Paul Martin — fils');
    const [paul] = (await h.app.get(DataSource).query(`SELECT id, civility FROM contacts WHERE resident_id = $1`, [id])) as { id: string; civility: string }[];
    expect(paul.civility).toBe('monsieur');
    await page.goto(`${h.url}/console/residents/${id}/contacts/${paul.id}/modifier`);
    expect(await page.inputValue('#civility')).toBe('monsieur');
    expect(page.problems).toEqual([]);
  });

  it('a tutrice: « Madame Odile Marchal, tutrice » on the file; her civility cleared in the contact form, « tuteur » again', async () => {
    const base = tutelleResident(h.org.establishmentId);
    const created = (
      await api
        .post('/api/residents')
        .send({ ...base, protectionMeasure: { ...base.protectionMeasure, holders: [{ ...base.protectionMeasure.holders[0], firstName: 'Odile', relation: 'fille', civility: 'madame' }] } })
        .expect(201)
    ).body as { id: string; protectionMeasures: { holders: { contactId: string }[] }[] };
    const odile = created.protectionMeasures[0].holders[0].contactId;
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/${created.id}`);
    const mesures = page.locator('section[aria-labelledby="mesures"]');
    expect(await mesures.textContent()).toContain('Madame Odile Marchal, tutrice');
    expect(await page.locator('section[aria-labelledby="contacts"]').textContent()).toContain('Madame Odile Marchal — fille, tutrice');
    await checkConsolePage(page, 'Dossier d’Yvonne Marchal');
    await mesures.screenshot({ path: `${shots}/holder-display-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await mesures.screenshot({ path: `${shots}/holder-display-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(`${h.url}/console/residents/${created.id}/contacts/${odile}/modifier`);
    expect(await page.inputValue('#civility')).toBe('madame');
    await page.selectOption('#civility', '');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(await civilityOf('contacts', odile)).toBeNull();
    expect(await mesures.textContent()).toContain('Odile Marchal, tuteur');
    expect(await mesures.textContent()).not.toContain('tutrice');
    expect(page.problems).toEqual([]);
  });
});
