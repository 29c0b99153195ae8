import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { insertResidentsWithSignedContracts } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * A living minor's health information in the console (CSP L.1111-7, L.1111-5, L.1111-5-1, R.1111-6):
 * her parents' request states whether she opposed their being told of some care — missing, the error
 * beside the question —, and whether she asked for a physician — then the one her parents designate,
 * named (the error beside the field without him, R.1111-6 last alinéa); the list says who sorts what
 * she opposed and where the information goes. axe, French title, 320 px; screenshots at 1280 and 320 px.
 */
describe('console: a living minor’s health information asked for by her parents', () => {
  let h: ConsoleHarness;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const shoot = async (page: Page, name: string, selector: string) => {
    await page.locator(selector).screenshot({ path: `${shots}/${name}-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator(selector).screenshot({ path: `${shots}/${name}-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  beforeAll(async () => {
    h = await startConsoleHarness();
    const ds = h.app.get(DataSource);
    const [minor] = await insertResidentsWithSignedContracts(ds, { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Enfant' });
    await ds.query(`UPDATE residents SET birth_date = '2012-05-01' WHERE id = $1`, [minor]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the opposition is asked (error beside it), then recorded with the physician, named (error beside it), and the list says what is not communicated and where it goes (R.1111-6)', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Enfant#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)').check();
    await page.getByLabel('Demande reçue le').fill(today);
    await page.getByLabel('La demande reçue').fill('Courrier de ses parents : copie de son dossier de soins');
    await page.getByLabel('La demande porte sur des informations de santé de la personne (Code de la santé publique, art. L.1111-7)').check();
    await submitForm(page, 'Préparer l’export de ses données', { exact: true });
    expect(await page.textContent('#requestMinorOpposition-erreur')).toContain('art. R.1111-6');
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await shoot(page, 'console-acces-mineur-opposition-erreur', 'section[aria-labelledby="acces"]');
    await shoot(page, 'console-acces-mineur-questions-erreur', 'fieldset:has(#requestMinorOpposition-aide)');
    await page.getByLabel(/^Oui : une opposition du mineur figure au dossier/).check();
    await page.getByLabel('Le mineur demande que l’accès de ses parents ait lieu par l’intermédiaire d’un médecin (art. L.1111-7)').check();
    await submitForm(page, 'Préparer l’export de ses données', { exact: true });
    // R.1111-6 last alinéa: the physician the parents designate, named.
    expect(await page.textContent('#requestMinorPhysician-erreur')).toContain('indiquez le nom du médecin que les titulaires de l’autorité parentale désignent');
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await shoot(page, 'console-acces-mineur-medecin-erreur', 'fieldset:has(#requestMinorOpposition-aide)');
    await page.getByLabel('Médecin désigné par les titulaires de l’autorité parentale (nom)').fill('Dr Claire Martin');
    await submitForm(page, 'Préparer l’export de ses données', { exact: true });
    const row = page.locator('tr', { hasText: 'Une opposition du mineur figure au dossier' }).first();
    expect(await row.textContent()).toContain('le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées à ses parents tant qu’elle est maintenue');
    expect(await row.textContent()).toContain('Le tri est fait par ce professionnel.');
    expect(await row.textContent()).toContain('À la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale (Dr Claire Martin), ou consultées sur place en sa présence');
    await checkConsolePage(page, 'Archives et demandes d’accès');
    await shoot(page, 'console-acces-mineur-liste', 'table');
    await page.close();
  });
});
