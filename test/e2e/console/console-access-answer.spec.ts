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
    // Its state as its answer page says it (not the job's « Terminé »), the day received, the working package named as such.
    expect(await page.locator('td[data-label="État"]').first().textContent()).toMatch(/^Paquet de travail prêt, à trier.*Réponse due au plus tard le .* ; communication (pas avant le .* à |à partir du ).*L\.1111-7/);
    expect(await page.locator('td[data-label="Date"]').first().textContent()).toMatch(/^Reçue le .* \(enregistrée le .* à .*\)$/);
    expect(await page.getByRole('link', { name: /^Télécharger le paquet de travail \(à ne pas transmettre\)/ }).count()).toBe(1);
    await checkConsolePage(page, 'Archives et demandes d’accès');
    await shoot(page, 'console-archives-liste-48h');

    await page.getByRole('link', { name: /Trier, transmettre ou refuser/ }).click();
    await checkConsolePage(page, 'Demande d’un ayant droit');
    await shoot(page, 'console-reponse-ayant-droit');
    // Before the selection and the 48 hours: no button (the server's 409 ACCESS_SELECTION_REQUIRED stays, access-answer-after-death.spec.ts), why and from when.
    expect(await page.getByRole('button', { name: 'Enregistrer la transmission' }).count()).toBe(0);
    expect(await page.textContent('#transmission-pas-encore')).toMatch(/Vous pourrez enregistrer la transmission après le tri.*Dans tous les cas, à partir du .* seulement/);
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
    // Received today: not before 48 hours — no button (409 ACCESS_REQUEST_TOO_EARLY stays), from when.
    expect(await page.getByRole('button', { name: 'Enregistrer la transmission' }).count()).toBe(0);
    expect(await page.textContent('#transmission-pas-encore')).toMatch(/Vous pourrez enregistrer la transmission à partir du \d+ \S+ \d{4}/);
    await checkConsolePage(page, 'Demande d’un ayant droit');
    await shoot(page, 'console-reponse-trop-tot');
    await page.goto('/console/archives');
    expect(await page.getByRole('link', { name: /^Télécharger le paquet à transmettre/ }).count()).toBe(1);
    expect(await page.locator('td[data-label="État"]').first().textContent()).toMatch(/^Tri enregistré, paquet prêt à transmettre/);
    await page.goto(`/console/archives/${jobId}/reponse`);

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

  it('the parents of a deceased minor: « not emancipated » required on the form; the refusal offers neither the purpose nor the deceased’s objection (L.1110-4 V al. 2); the legal status not recorded: a warning and a link to the settings; recorded, the letter names its recourse only', async () => {
    const ds = h.app.get(DataSource);
    const [minor] = await insertResidentsWithSignedContracts(ds, { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Enfant' });
    // Born 3 October 2008: 17 on 2 October 2026.
    await ds.query(`UPDATE residents SET birth_date = '2008-10-03', admission_date = '2020-01-06' WHERE id = $1`, [minor]);
    await ds.query(`UPDATE establishments SET legal_status = NULL WHERE id = $1`, [h.org.establishmentId]);
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.put(`/api/residents/${minor}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/archives?personne-acces=Enfant#acces');
    await page.locator('section[aria-labelledby="acces"] input[type="radio"][name="accessResidentId"]').first().check();
    await page.getByLabel('Titulaire de l’autorité parentale d’un mineur décédé').check();
    await page.getByLabel('Demande reçue le').fill('2026-11-20');
    await page.getByLabel('La demande reçue').fill('Courrier de sa mère, livret de famille joint');
    await page.getByLabel('Date du décès').fill('2026-10-02');
    await page.getByLabel('Pièce qui établit la qualité du demandeur').selectOption('livret_famille');
    await page.getByLabel('Référence de la pièce').fill('Livret de famille, mairie de Lyon 3e');
    await page.getByLabel('Date de la pièce').fill('2007-06-01');
    await submit(page, 'Préparer l’export de ses données');
    // Not confirmed « not emancipated » (C. civ. 413-7): refused beside the checkbox.
    expect(await page.textContent('#requestNotEmancipated-erreur')).toContain('n’était pas émancipée');
    expect(await page.getAttribute('#requestNotEmancipated', 'aria-invalid')).toBe('true');
    await checkConsolePage(page, 'Erreur — Archives et demandes d’accès');
    await page.getByLabel('La personne n’était pas émancipée').check();
    await submit(page, 'Préparer l’export de ses données');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    const jobId = /demande=([0-9a-f-]+)/.exec(page.url())![1];
    await run(jobId);
    await page.goto(`/console/archives/${jobId}/reponse`);
    await checkConsolePage(page, 'Demande des parents d’un mineur décédé');
    const reasons = await page.locator('input[type="radio"][name="reason"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(reasons).toEqual(['standing_not_proven', 'minor_secret', 'other']);
    // The legal status not recorded: said, with the way to record it.
    expect(await page.textContent('#recours-statut')).toContain('n’est pas renseigné');
    await shoot(page, 'console-reponse-parents-statut-inconnu');
    await page.getByRole('link', { name: 'Renseigner le statut juridique dans les paramètres de l’établissement' }).click();
    expect(page.url()).toContain(`/console/admin/etablissements/${h.org.establishmentId}#legalStatus`);
    await page.getByLabel('Statut juridique').selectOption('private');
    await submit(page, 'Enregistrer les paramètres');
    const [{ legal_status }] = (await ds.query(`SELECT legal_status FROM establishments WHERE id = $1`, [h.org.establishmentId])) as { legal_status: string }[];
    expect(legal_status).toBe('private');
    const [updated] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'establishment.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, [h.org.establishmentId])) as { payload: Record<string, unknown> }[];
    expect(updated.payload).toMatchObject({ changedFields: expect.arrayContaining(['legalStatus']), legalStatusFrom: null, legalStatusTo: 'private' });
    await page.goto(`/console/archives/${jobId}/reponse`);
    expect(await page.textContent('#recours-statut')).toContain('tribunal judiciaire');
    await page.getByLabel('Autre motif (précisé ci-dessous)').check();
    await page.getByLabel('Explication pour le demandeur').fill('Le livret de famille produit ne mentionne pas l’enfant.');
    await submit(page, 'Enregistrer le refus');
    expect(page.url()).toMatch(/reponse\?fait=refus/);
    const letter = (await page.textContent('.letter'))!;
    expect(letter).toContain('Ce refus peut être contesté devant le tribunal judiciaire.');
    // CASF L.311-5 serves the person taken in charge, not a deceased minor's parents (the sector lawyer's review of session 20).
    expect(letter).not.toContain('personne qualifiée');
    expect(letter).not.toContain('CADA');
    expect(letter).not.toContain('précisé ci-dessous');
    await checkConsolePage(page, 'Demande des parents d’un mineur décédé');
    await shoot(page, 'console-reponse-parents-lettre-prive');
    await ds.query(`UPDATE establishments SET legal_status = NULL WHERE id = $1`, [h.org.establishmentId]);
    await page.context().close();
  }, 300_000);
});
