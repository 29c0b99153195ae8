import { mkdirSync } from 'node:fs';
import request from 'supertest';
import { TEST_PASSWORD, loginAgent, tutelleResident } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

interface Holder {
  contactId: string;
  lastName: string;
  establishmentEmployee: boolean;
}

/**
 * Co-tuteurs (C. civ. 447 al. 2): only the one who is the establishment's préposé (C. civ. 451
 * al. 2) is in conflict for the contract, its avenants and the DIPC. The measure form has one box per
 * holder, in a fieldset with its legend and its hint; a keyboard user ticks the other one, the file
 * says who is tied to the establishment. Every page state: axe 0 violations, 320 px without
 * horizontal scrolling.
 */
describe('console: the establishment’s préposé is marked holder by holder', () => {
  let h: ConsoleHarness;
  let api: request.Agent;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp/holder-conflict';
  beforeAll(async () => {
    h = await startConsoleHarness();
    api = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('two co-tuteurs, one ticked: the form shows one box each; ticking the other with the keyboard moves the tie; the file names him', async () => {
    const base = tutelleResident(h.org.establishmentId);
    const created = (
      await api
        .post('/api/residents')
        .send({
          ...base,
          protectionMeasure: {
            ...base.protectionMeasure,
            holders: [
              { role: 'tuteur', firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD de test', email: 'h.lenoir@ehpad.example', establishmentEmployee: true },
              { role: 'tuteur', firstName: 'Marie', lastName: 'Marchal', relation: 'fille', email: 'marie.marchal@example.org' },
            ],
          },
        })
        .expect(201)
    ).body as { id: string; protectionMeasures: { id: string; holders: Holder[] }[] };
    const m = created.protectionMeasures[0];
    const herve = m.holders.find((x) => x.lastName === 'Lenoir')!;
    const marie = m.holders.find((x) => x.lastName === 'Marchal')!;

    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/${created.id}/mesures/${m.id}/modifier`);
    const group = page.getByRole('group', { name: 'Titulaires préposés de l’établissement (C. civ. 451 al. 2)' });
    const herveBox = group.getByRole('checkbox', { name: 'Hervé Lenoir, tuteur', exact: true });
    const marieBox = group.getByRole('checkbox', { name: 'Marie Marchal, tuteur', exact: true });
    expect([await herveBox.isChecked(), await marieBox.isChecked()]).toEqual([true, false]);
    expect(await group.getAttribute('aria-describedby')).toBe('establishmentEmployeeContactIds-aide');
    await checkConsolePage(page, 'Modifier la tutelle — Yvonne Marchal');
    await group.scrollIntoViewIfNeeded();
    await page.locator('h2', { hasText: 'Personnes qui exercent la mesure' }).evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: `${shots}/measure-form-two-holders.png`, fullPage: false });
    await group.screenshot({ path: `${shots}/measure-form-holders-group.png` });

    // Keyboard only: Space on each box.
    await herveBox.focus();
    await page.keyboard.press('Space');
    await marieBox.focus();
    await page.keyboard.press('Space');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(new URL(page.url()).pathname).toBe(`/console/residents/${created.id}`);
    const saved = (await api.get(`/api/residents/${created.id}`).expect(200)).body.protectionMeasures[0].holders as Holder[];
    expect(Object.fromEntries(saved.map((x) => [x.contactId, x.establishmentEmployee]))).toEqual({ [herve.contactId]: false, [marie.contactId]: true });
    expect(await page.locator('section[aria-labelledby="mesures"]').textContent()).toContain('Titulaire préposé de l’établissement (C. civ. 451 al. 2)Marie Marchal');
    await checkConsolePage(page, 'Dossier d’Yvonne Marchal');
  });

  it('the new measure form: a labelled box in each holder’s block; axe 0', async () => {
    const base = tutelleResident(h.org.establishmentId);
    const id = ((await api.post('/api/residents').send({ ...base, firstName: 'Lucie', protectionMeasure: undefined }).expect(201)).body as { id: string }).id;
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/${id}/mesures/nouvelle`);
    const block = page.getByRole('group', { name: 'Titulaire 1' });
    expect(await block.getByRole('checkbox', { name: 'Préposé de l’établissement, ou salarié de l’établissement ou de son organisme gestionnaire (C. civ. 451 al. 2)' }).count()).toBe(1);
    await checkConsolePage(page, 'Enregistrer une mesure de protection — Lucie Marchal');
  });
});
