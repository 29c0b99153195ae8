import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, curatelleResident, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * The archives page and an answer page, as the sector lawyer's review asked: a living person's
 * request about her health information (CSP L.1111-7 — a checkbox on the form; a curateur refused
 * beside « Qui a fait la demande »; the list with the health information's date and the other data's,
 * each named); « Avancement » saying what was made (« Zip prêt le … », « Paquet de travail prêt le
 * … »), not « Terminé »; a refusal « for another reason » showing that reason on its page. axe, one
 * h1, French title; screenshots at 1280 and 320 px.
 */
describe('console: a living person’s health information, what finished, a refusal’s own reason', () => {
  let h: ConsoleHarness;
  let gone: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const run = async (jobId: string) => {
    const ds = h.app.get(DataSource);
    const [{ id }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL ORDER BY created_at DESC`, [jobId])) as { id: string }[];
    await h.app.get(DataJobsService).run(id, jobId);
  };
  const shoot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${shots}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/${name}-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  beforeAll(async () => {
    h = await startConsoleHarness();
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    await admissions.post('/api/residents').send({ ...curatelleResident(h.org.establishmentId), lastName: 'Assistée' }).expect(201);
    [gone] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Partie' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('her health information: the curateur refused beside the field (L.1111-7), her own request listed with both due dates; « Zip prêt le … » once made', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Assist%C3%A9e#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)').check();
    await page.getByLabel('Demande reçue le').fill(today);
    await page.getByLabel('La demande reçue').fill('Courrier de son curateur : copie de son dossier de soins');
    await page.getByLabel('La demande porte sur des informations de santé de la personne (Code de la santé publique, art. L.1111-7)').check();
    await submit(page, 'Préparer l’export de ses données');
    expect(await page.textContent('#requestFrom-erreur')).toContain('ne peut pas demander ses informations de santé à sa place (Code de la santé publique, art. L.1111-7');
    expect(await page.isChecked('#requestHealthInformation')).toBe(true);
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-sante-curateur-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-sante-curateur-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('La personne elle-même').check();
    await page.getByLabel('La demande reçue').fill('Courrier de Mme Assistée : copie de son dossier de soins et de son contrat');
    await submit(page, 'Préparer l’export de ses données');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    const jobId = /demande=([0-9a-f-]+)/.exec(page.url())![1];
    await run(jobId);
    await page.goto('/console/archives?actualiser=non');
    const row = page.locator(`#demande-${jobId}`);
    expect(await row.locator('th').textContent()).toBe('Demande d’accès (RGPD art. 15 ; informations de santé : Code de la santé publique, art. L.1111-7)');
    expect(await row.locator('td[data-label="État"]').textContent()).toMatch(
      /^Terminé\s*Informations de santé : réponse due au plus tard le .+ ; autres données : au plus tard le .+ \(RGPD, art\. 12\) ; communication des informations de santé (à partir du|pas avant le) .+\(48 heures, Code de la santé publique, art\. L\.1111-7\)$/,
    );
    expect(await row.locator('td[data-label="Avancement"]').textContent()).toMatch(/^Zip prêt le .+ à .+$/);
    await checkConsolePage(page, 'Archives et demandes d’accès');
    await shoot(page, 'console-archives-sante');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('section[aria-labelledby="demandes"]').screenshot({ path: `${shots}/console-archives-sante-demandes-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.context().close();
  }, 300_000);

  it('a request after the death: « Paquet de travail prêt le … »; refused for another reason, its page shows « Autre motif : » and the explanation', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Partie#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Ayant droit, concubin ou partenaire de PACS d’une personne décédée').check();
    await page.getByLabel('Demande reçue le').fill(today);
    await page.getByLabel('La demande reçue').fill('Courrier de son fils, acte de notoriété joint : causes du décès');
    await page.getByLabel('Date du décès').fill('2026-10-02');
    await page.getByLabel('Pièce qui établit la qualité du demandeur').selectOption('acte_notoriete');
    await page.getByLabel('Référence de la pièce').fill('Me Durand, notaire à Lyon, réf. 2026/1187');
    await page.getByLabel('Date de la pièce').fill('2026-10-20');
    await page.getByLabel('Connaître les causes de la mort').check();
    await page.getByLabel('Non, aucune opposition n’est enregistrée').check();
    await submit(page, 'Préparer l’export de ses données');
    const jobId = /demande=([0-9a-f-]+)/.exec(page.url())![1];
    await run(jobId);
    await page.goto('/console/archives?actualiser=non');
    expect(await page.locator(`#demande-${jobId} td[data-label="Avancement"]`).textContent()).toMatch(/^Paquet de travail prêt le .+ à .+$/);
    await shoot(page, 'console-archives-paquet-de-travail');

    await page.goto(`/console/archives/${jobId}/reponse`);
    await page.getByLabel('Autre motif (précisé ci-dessous)').check();
    await page.getByLabel('Explication pour le demandeur').fill('Le dossier a été saisi par le juge d’instruction et ne peut être copié avant sa restitution');
    await submit(page, 'Enregistrer le refus');
    expect(page.url()).toMatch(/reponse\?fait=refus/);
    const refusal = (await page.locator('section[aria-labelledby="refus-enregistre"] > p').first().textContent())!.replace(/\s+/g, ' ');
    expect(refusal).toMatch(/^Autre motif : Le dossier a été saisi par le juge d’instruction et ne peut être copié avant sa restitution\. Enregistré le .+\.$/);
    expect(await page.locator('section[aria-labelledby="refus-enregistre"]').textContent()).not.toContain('précisé ci-dessous');
    await checkConsolePage(page, 'Demande d’un ayant droit');
    await shoot(page, 'console-reponse-autre-motif');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('section[aria-labelledby="refus-enregistre"]').screenshot({ path: `${shots}/console-reponse-autre-motif-section-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.context().close();
  }, 300_000);
});
