import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { addUser } from '../../integration/api/api-harness';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * The access request (RGPD art. 15) of a person in the intermediate archive, in the console: the
 * request answered is asked for — who made it, the day it was received (answer due a month later,
 * art. 12(3)), the request as received —, refused without it beside the field, recorded with it.
 * A zip is offered for download only to whoever asked for it. axe, one h1, French title, 320 px.
 */
describe('console: an archived person’s access request', () => {
  let h: ConsoleHarness;
  let gone: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const title = 'Archives et demandes d’accès';
  beforeAll(async () => {
    h = await startConsoleHarness();
    [gone] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Partie' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    // Left on 1 June 2024: past the 24 months of the active base on 2 June 2026.
    await admin.put(`/api/residents/${gone}/departure`).send({ departedOn: '2024-06-01' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the request answered is required (error beside the field), then recorded; only its requester is offered the zip', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Partie#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await submit(page, 'Préparer l’export de ses données');
    expect(await page.textContent('#requestFrom-erreur')).toContain('indiquez la demande d’accès à laquelle vous répondez');
    expect(await page.getAttribute('#requestFrom', 'aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#requestFrom');
    expect(await h.count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`)).toBe(0);
    await checkConsolePage(page, `Erreur — ${title}`);
    await page.locator('section[aria-labelledby="acces"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-acces-archive-erreur-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/console-acces-archive-erreur-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)').check();
    await page.getByLabel('Demande reçue le').fill('2026-11-20');
    await page.getByLabel('La demande reçue').fill('Courrier recommandé de son tuteur, réf. AR 1A 234 : copie de son dossier');
    await submit(page, 'Préparer l’export de ses données');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_access_request' AND subject_id = $1`, [gone])).toBe(1);

    // Run as the worker would: done, the zip offered to her; another administrator is told it is not hers.
    const ds = h.app.get(DataSource);
    const [{ id: jobId }] = (await ds.query(`SELECT id FROM data_jobs WHERE kind = 'access_request'`)) as { id: string }[];
    const [{ id: outboxId }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [jobId])) as { id: string }[];
    await h.app.get(DataJobsService).run(outboxId, jobId);
    await page.goto('/console/archives');
    expect(await page.getByRole('link', { name: /Télécharger le zip/ }).count()).toBe(1);
    await addUser(h.app, h.org.organisationId, 'archives-2@console.test', [{ establishmentId: h.org.establishmentId, role: 'administrator' }]);
    const other = await h.newPage();
    await h.login(other, 'archives-2@console.test');
    await other.goto('/console/archives');
    expect(await other.getByRole('link', { name: /Télécharger le zip/ }).count()).toBe(0);
    expect(await other.locator('td[data-label="Fichier"]').first().textContent()).toBe('Réservé à la personne qui l’a demandé');
    await checkConsolePage(other, title);
    await other.screenshot({ path: `${shots}/console-acces-archive-autre-admin-1280.png`, fullPage: true });
    await other.context().close();
    await page.context().close();
  });

  it('an ayant droit of a deceased person (CSP L.1110-4 V): purpose, day of the death, objection; a recorded objection refused beside its field, then recorded', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Partie#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Ayant droit, concubin ou partenaire de PACS d’une personne décédée').check();
    await page.getByLabel('Demande reçue le').fill('2026-11-27');
    await page.getByLabel('La demande reçue').fill('Courrier de son fils, acte de notoriété joint : causes du décès');
    await page.getByLabel('Date du décès').fill('2026-10-02');
    await page.getByLabel('Connaître les causes de la mort').check();
    await page.getByLabel('Oui, une opposition est enregistrée').check();
    await submit(page, 'Préparer l’export de ses données');
    expect(await page.textContent('#requestDeceasedObjection-erreur')).toContain('opposée, de son vivant');
    expect(await page.getAttribute('#requestDeceasedObjection', 'aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#requestDeceasedObjection');
    // The values stay as given.
    expect(await page.getByLabel('Ayant droit, concubin ou partenaire de PACS d’une personne décédée').isChecked()).toBe(true);
    expect(await page.getByLabel('Date du décès').inputValue()).toBe('2026-10-02');
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_heir_request'`)).toBe(0);
    await checkConsolePage(page, `Erreur — ${title}`);
    await page.locator('section[aria-labelledby="acces"]').scrollIntoViewIfNeeded();
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-ayant-droit-erreur-1280.png` });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('section[aria-labelledby="acces"]').screenshot({ path: `${shots}/console-acces-ayant-droit-erreur-320.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('Non, aucune opposition n’est enregistrée').check();
    // The proof of the requester's standing (recorded with the request).
    await page.getByLabel('Pièce qui établit la qualité du demandeur').selectOption('acte_notoriete');
    await page.getByLabel('Référence de la pièce').fill('Me Durand, notaire à Lyon, réf. 2026/1187');
    await page.getByLabel('Date de la pièce').fill('2026-10-20');
    await submit(page, 'Préparer l’export de ses données');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    expect(await h.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened_for_heir_request' AND subject_id = $1 AND payload->>'requestPurpose' = 'causes_of_death'`, [gone])).toBe(1);
    expect(await page.locator('th[scope="row"]').first().textContent()).toBe('Demande d’un ayant droit (Code de la santé publique, art. L.1110-4 V)');
    await checkConsolePage(page, title);
    await page.context().close();
  });
});
