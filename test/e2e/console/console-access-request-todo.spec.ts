import { DataSource } from 'typeorm';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * An open access request in the console: in « À faire » with its due date and « En retard », linked
 * to where it is answered; the same request entered again in « Archives et demandes d’accès »: 409,
 * the error beside « Demande reçue le » and a link to the open one. axe, 320 px; screenshots.
 */
describe('console: open access requests in « À faire », the same request refused', () => {
  let h: ConsoleHarness;
  let person: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';

  beforeAll(async () => {
    h = await startConsoleHarness();
    [person] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Demandeuse' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.post('/api/data-jobs/access-request').send({ residentId: person, request: { from: 'person', receivedOn: '2026-10-01', statement: 'Courrier de la personne : copie de son dossier' } }).expect(202);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« À faire » lists it, late; entering it again is refused beside its field with a link to the open one', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console');
    const section = page.locator('section.todo-section', { hasText: 'Demandes d’accès aux informations à satisfaire' });
    expect(await section.textContent()).toMatch(/En retard.*Demandeuse.*Demande d’accès de la personne à ses informations \(RGPD, art\. 15\).*Réponse due au plus tard le\s*1er novembre 2026/s);
    await checkConsolePage(page, 'À faire');
    await page.setViewportSize({ width: 1280, height: 900 });
    await section.screenshot({ path: `${shots}/console-a-faire-demande-acces-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await section.screenshot({ path: `${shots}/console-a-faire-demande-acces-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto('/console/archives?personne-acces=Demandeuse#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('La personne elle-même').check();
    await page.getByLabel('Demande reçue le').fill('2026-10-01');
    await page.getByLabel('La demande reçue').fill('Le même courrier, saisi de nouveau');
    await submitForm(page, 'Préparer l’export de ses données', { exact: true });
    expect(await page.textContent('#requestReceivedOn-erreur')).toContain('Cette demande est déjà enregistrée et n’a pas encore reçu de réponse');
    const link = page.getByRole('link', { name: 'Voir la demande déjà enregistrée' });
    expect(await link.getAttribute('href')).toMatch(/^\/console\/archives#demande-[0-9a-f-]{36}$/);
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-doublon-1280.png` });
    await link.click();
    expect(await page.locator(`tr[id^="demande-"]`).count()).toBeGreaterThan(0);
  });
});
