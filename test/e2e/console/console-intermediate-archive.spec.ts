import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { insertResidentsWithSignedContracts, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * A sector lawyer's review (session 12) in the console: the intermediate archive (CNIL délib.
 * 2021-028, 2023-095) — the file says since when, the document stays listed « archivé », its page
 * shows no content to staff, an administrator opens the archive with a reason (error beside the
 * field first); the archives regime on « Conservation » and the visa of the archives asked before a
 * public organisation's purge (Code du patrimoine R.212-14). axe, one h1, French title, 320 px.
 */
describe('console: intermediate archive and public archives', () => {
  let h: ConsoleHarness;
  let gone: string;
  let doc: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const titleOf = async (page: Page) => (await page.title()).replace(/ — CarePact$/, '');
  beforeAll(async () => {
    h = await startConsoleHarness();
    [gone] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Partie' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    // Left on 1 June 2024: past the 24 months of the active base on 2 June 2026.
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2024-06-01' }).expect(200);
    doc = ((await h.app.get(DataSource).query(`SELECT id FROM documents WHERE resident_id = $1`, [gone])) as { id: string }[])[0].id;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('staff: the file says the documents are archived, each still listed; the document page shows no content and says why', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.coordinator.email);
    await page.goto(`/console/residents/${gone}`);
    const section = page.locator('section[aria-labelledby="conservation"]');
    expect(await section.textContent()).toContain('Depuis le 2 juin 2026 (2 ans après la fin de l’accompagnement), ses documents sont en archive intermédiaire');
    expect(await section.getByRole('button', { name: 'Ouvrir l’archive intermédiaire' }).count()).toBe(0);
    expect(await page.locator('section[aria-labelledby="documents"] li').first().textContent()).toContain('archivé (archive intermédiaire depuis le 2 juin 2026)');
    await checkConsolePage(page, await titleOf(page));
    await page.goto(`/console/documents/${doc}`);
    expect(await page.locator('#archive-intermediaire').textContent()).toContain('Archivé : depuis le 2 juin 2026, ce document est en archive intermédiaire');
    expect(await page.locator('a[href*="/renditions/"], a[href$="/signed.pdf"]').count()).toBe(0);
    await checkConsolePage(page, await titleOf(page));
    await page.screenshot({ path: `${shots}/console-document-archive-intermediaire.png`, fullPage: true });
    await page.context().close();
  });

  it('an administrator opens the archive: the reason required (error beside the field), then recorded and audited', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/residents/${gone}#archive-intermediaire`);
    // Blanks pass the browser's « required » and are refused by the service.
    await page.fill('#archiveReason', '  ');
    await submit(page, 'Ouvrir l’archive intermédiaire');
    expect(await page.textContent('#archiveReason-erreur')).toContain('Motif requis pour ouvrir l’archive intermédiaire');
    expect(await page.getAttribute('#archiveReason', 'aria-invalid')).toBe('true');
    expect(await h.count(`SELECT count(*) AS n FROM archive_access_grants`)).toBe(0);
    await checkConsolePage(page, await titleOf(page));
    await page.locator('#archiveReason').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-resident-archive-motif-erreur.png` });
    await page.fill('#archiveReason', 'Réclamation de la famille sur une chute de mars 2024');
    await submit(page, 'Ouvrir l’archive intermédiaire');
    expect(await page.getByRole('status').textContent()).toContain('L’archive intermédiaire est ouverte pour vous pendant une heure');
    expect(await page.locator('section[aria-labelledby="conservation"]').textContent()).toMatch(/Archive ouverte pour vous jusqu’à \d\d? h \d\d\./);
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened' AND subject_id = $1`, [gone])).toBe(1);
    await checkConsolePage(page, await titleOf(page));
    await page.locator('#archive-intermediaire').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-resident-archive-ouverte.png` });
    // Open for her: the document page shows its content again, without the notice.
    await page.goto(`/console/documents/${doc}`);
    expect(await page.locator('#archive-intermediaire').count()).toBe(0);
    await page.context().close();
  });

  it('Conservation: the archives regime; a public organisation’s purge asks for the archives’ visa', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/conservation');
    await page.fill('#activeBaseMonths', '2000');
    await submit(page, 'Enregistrer le régime des archives');
    expect(await page.textContent('#activeBaseMonths-erreur')).toContain('un nombre entier de mois, de 0 à 1200');
    await checkConsolePage(page, await titleOf(page));
    await page.fill('#activeBaseMonths', '24');
    await page.check('#publicLaw');
    await submit(page, 'Enregistrer le régime des archives');
    expect(await page.getByRole('status').textContent()).toContain('Le régime des archives a été enregistré.');
    expect(await page.locator('section[aria-labelledby="archives"]').textContent()).toContain('Les dossiers de l’organisation sont des archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine)');
    await checkConsolePage(page, await titleOf(page));
    await page.locator('section[aria-labelledby="archives"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-conservation-archives.png` });

    // One year for contracts: the one of June 2024 is past its retention, so the simulation has something to delete.
    await (await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD)).put('/api/retention/policies/contrat-sejour').send({ years: 1 }).expect(200);
    await submit(page, 'Simuler une purge');
    await page.check('#confirm');
    await submit(page, 'Exécuter la purge');
    // Every visa field's own error at once (session 17); the signatory's names who gives the visa (R.212-14).
    expect(await page.textContent('#visaReference-erreur')).toContain('Référence du visa requise');
    expect(await page.textContent('#visaSignatory-erreur')).toContain('chargée du contrôle scientifique et technique de l’État sur les archives (art. R.212-14)');
    expect(await h.count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run'`)).toBe(0);
    await checkConsolePage(page, await titleOf(page));
    await page.fill('#visaReference', 'BE-2026-14');
    await page.fill('#visaDate', '2999-01-01');
    await page.fill('#visaSignatory', 'Mme Durand, directrice des archives départementales');
    await page.check('#confirm');
    await submit(page, 'Exécuter la purge');
    expect(await page.textContent('#visaDate-erreur')).toBe('La date du visa ne peut être dans le futur.');
    expect(await page.inputValue('#visaReference')).toBe('BE-2026-14');
    await checkConsolePage(page, await titleOf(page));
    await page.locator('section[aria-labelledby="executer"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-conservation-visa-archives.png`, fullPage: true });
    await page.fill('#visaDate', '2026-11-30');
    await page.check('#confirm');
    await submit(page, 'Exécuter la purge');
    const [job] = (await h.app.get(DataSource).query(`SELECT params FROM data_jobs WHERE kind = 'purge_run'`)) as { params: Record<string, unknown> }[];
    expect(job.params.visa).toEqual({ reference: 'BE-2026-14', date: '2026-11-30', signatory: 'Mme Durand, directrice des archives départementales' });
    await page.context().close();
  });
});
