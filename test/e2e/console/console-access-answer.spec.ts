import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * A request after the death in the console (CSP L.1110-4 V, L.1111-7): the proof of standing on the
 * form; the answer page — the request, its deadline and beside it the 48 hours, the sorting (what is
 * kept and why; the zip made again of it), the delivery refused before 48 hours, the reasoned
 * refusal and its letter. axe, one h1, French title, 320 px; screenshots at 1280 and 320 px.
 */
describe('console: answering a request after the death', () => {
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
    [gone] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Partie' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an ayant droit: standing recorded, the answer page sorts (error beside the field, then recorded), delivery refused before 48 hours, then a reasoned refusal with its letter', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Partie#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Ayant droit, concubin ou partenaire de PACS d’une personne décédée').check();
    await page.getByLabel('Demande reçue le').fill(today);
    await page.getByLabel('La demande reçue').fill('Courrier de son fils, acte de notoriété joint : causes du décès');
    await page.getByLabel('Date du décès').fill('2026-10-02');
    await page.getByLabel('Connaître les causes de la mort').check();
    await page.getByLabel('Non, aucune opposition n’est enregistrée').check();
    await submit(page, 'Préparer l’export de ses données');
    // Without the proof of standing: refused beside its field.
    expect(await page.textContent('#requestStandingProofType-erreur')).toContain('qualité du demandeur');
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-qualite-erreur-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-qualite-erreur-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel('Pièce qui établit la qualité du demandeur').selectOption('acte_notoriete');
    await page.getByLabel('Référence de la pièce').fill('Me Durand, notaire à Lyon, réf. 2026/1187');
    await page.getByLabel('Date de la pièce').fill('2026-10-20');
    await submit(page, 'Préparer l’export de ses données');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    const jobId = /demande=([0-9a-f-]+)/.exec(page.url())![1];
    await run(jobId);
    await page.goto('/console/archives');
    expect(await page.locator('td[data-label="État"]').first().textContent()).toMatch(/Réponse due au plus tard le .* ; pas avant le .* à .*L\.1111-7/);
    await checkConsolePage(page, 'Archives et demandes d’accès');
    await shoot(page, 'console-archives-liste-48h');

    await page.getByRole('link', { name: /Trier, transmettre ou refuser/ }).click();
    await checkConsolePage(page, 'Demande d’un ayant droit');
    await shoot(page, 'console-reponse-ayant-droit');
    // Delivery before the selection and the 48 hours: refused (the selection first).
    await submit(page, 'Enregistrer la transmission');
    expect(await page.textContent('.error-summary')).toContain('enregistrez d’abord les éléments retenus');
    await submit(page, 'Enregistrer le tri');
    expect(await page.getAttribute('#selection-items', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#justification', 'aria-invalid')).toBe('true');
    await checkConsolePage(page, 'Erreur — Demande d’un ayant droit');
    await shoot(page, 'console-reponse-tri-erreur');
    await page.getByLabel(/^Contrat de séjour créé le/).first().check();
    await page.getByLabel('Pourquoi ces éléments').fill('Le contrat de séjour établit les soins prévus : utile pour connaître les causes de la mort.');
    await submit(page, 'Enregistrer le tri');
    expect(page.url()).toMatch(/reponse\?fait=tri/);
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.selection_recorded' AND payload->>'jobId' = $1`, [jobId])).toBe(1);
    await run(jobId);
    await page.reload();
    expect(await page.getByRole('link', { name: 'Télécharger le paquet à transmettre' }).count()).toBe(1);
    // Received today: not before 48 hours.
    await submit(page, 'Enregistrer la transmission');
    expect(await page.textContent('.error-summary')).toMatch(/quarante-huit heures.*pas avant le/);
    await checkConsolePage(page, 'Erreur — Demande d’un ayant droit');
    await shoot(page, 'console-reponse-trop-tot');

    await page.getByLabel('La qualité du demandeur n’est pas établie par les pièces produites').check();
    await page.getByLabel('Explication pour le demandeur').fill('L’acte de notoriété produit ne vous désigne pas parmi les héritiers.');
    await submit(page, 'Enregistrer le refus');
    expect(page.url()).toMatch(/reponse\?fait=refus/);
    expect(await page.textContent('.letter')).toContain('Nous ne pouvons pas y donner suite');
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'access_request.refused' AND payload->>'jobId' = $1`, [jobId])).toBe(1);
    await checkConsolePage(page, 'Demande d’un ayant droit');
    await shoot(page, 'console-reponse-refus-lettre');
    await page.goto('/console/archives');
    expect(await page.locator('td[data-label="Fichier"]').first().textContent()).toBe('Aucun : demande refusée');
    await page.context().close();
  }, 300_000);
});
