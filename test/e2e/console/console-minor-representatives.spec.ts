import { DataSource } from 'typeorm';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * A minor under tutelle (C. civ. 390, 408): the console's resident form records the decision that
 * organises it (the conseil de famille's, the judge's, or the arrêté of a pupille de l'État, CASF
 * L.224-8) and the tuteur among the contacts, with his role beside the minor. Without them the
 * errors sit beside their fields and in the summary, nothing is written; the file then shows them.
 */
describe('console: a minor under tutelle', () => {
  let h: ConsoleHarness;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp/minor-representatives';
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('without the decision nor the tuteur: errors beside the fields, nothing written; with them: the file shows the decision and the tuteur', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/nouveau`);
    await page.fill('#firstName', 'Enzo');
    await page.fill('#lastName', 'Petit');
    await page.fill('#birthDate', '2014-05-30');
    await page.fill('#admissionDate', '2026-09-07');
    await page.check('#stayType-0');
    await page.selectOption('#parentalAuthority', 'tutelle');
    await submitForm(page, 'Créer le dossier', { exact: true });

    const summary = page.locator('.error-summary');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#parentalAuthority', '#minorDecision']);
    expect(await summary.textContent()).toContain('Sous tutelle, c’est le tuteur qui représente le mineur (C. civ. 408)');
    expect(await page.getAttribute('#minorDecision', 'aria-describedby')).toBe('minorDecision-aide minorDecision-erreur');
    expect(await page.getAttribute('#parentalAuthority', 'aria-describedby')).toContain('parentalAuthority-erreur');
    expect(await h.count('SELECT count(*) AS n FROM residents')).toBe(0);
    await checkConsolePage(page, 'Erreur — Nouveau résident');
    await page.locator('#minorDecision').scrollIntoViewIfNeeded();
    await page.locator('#minorDecision').screenshot({ path: `${shots}/minor-decision-form-error.png` });

    await submitForm(page, 'Ajouter un contact', { exact: true });
    await page.fill('#contacts-0-firstName', 'Hélène');
    await page.fill('#contacts-0-lastName', 'Roux');
    await page.fill('#contacts-0-relation', 'tante');
    await page.selectOption('#contacts-0-minorRole', 'tuteur');
    await page.fill('#minorDecision-authority', 'Conseil de famille, TJ de Valville');
    await page.fill('#minorDecision-reference', 'RG 25/00042');
    await page.fill('#minorDecision-date', '2025-03-03');
    await submitForm(page, 'Créer le dossier', { exact: true });
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/residents\/[0-9a-f-]{36}$/);
    const identity = page.locator('section[aria-labelledby="identite"]');
    expect(await identity.textContent()).toContain('DécisionConseil de famille, TJ de Valville, RG 25/00042, du 3 mars 2025');
    expect(await page.locator('section[aria-labelledby="contacts"]').textContent()).toContain('tuteur du mineur');
    await checkConsolePage(page, 'Dossier d’Enzo Petit');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const [row] = (await h.app.get(DataSource).query(
      `SELECT r.parental_authority AS pa, r.minor_decision_reference AS ref, c.minor_role AS role FROM residents r JOIN contacts c ON c.resident_id = r.id WHERE r.id = $1`,
      [id],
    )) as { pa: string; ref: string; role: string }[];
    expect(row).toEqual({ pa: 'tutelle', ref: 'RG 25/00042', role: 'tuteur' });

    // The edit form shows the decision on file, and the pupille de l'État box.
    await page.goto(`${h.url}/console/residents/${id}/modifier`);
    expect(await page.inputValue('#minorDecision-reference')).toBe('RG 25/00042');
    await page.check('#minorDecision-wardOfState');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(await identity.textContent()).toContain('pupille de l’État (CASF L.224-1)');
    await page.goto(`${h.url}/console/residents/${id}/modifier`);
    await checkConsolePage(page, 'Modifier le dossier d’Enzo Petit');
    await page.locator('#minorDecision').scrollIntoViewIfNeeded();
    await page.locator('#minorDecision').screenshot({ path: `${shots}/minor-decision-form.png` });
  });
});
