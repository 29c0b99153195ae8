import request from 'supertest';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { insertResidentsWithSignedContracts, loginAgent, TEST_PASSWORD, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm, csrfOf } from './console-harness';

/**
 * Issue 11 in the console: « Conservation » for administrators (records.manage) — the retention
 * durations (default, rule, the organisation's value) and a form to change one (the service's
 * French error beside the field, audited), the organisation's active holds named and linked (not
 * ids), and « Simuler une purge »: what would be deleted today and what is kept, with counts;
 * nothing deleted. Others: no menu entry, 403. axe, one h1, French title, 320 px.
 */
describe('console: conservation (retention durations, holds, purge dry run)', () => {
  let h: ConsoleHarness;
  let held: string;
  let gone: string;
  let heldDocument: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
    // Two people with a signed contract (admitted in 2024), who left on 1 June 2024.
    [held, gone] = await insertResidentsWithSignedContracts(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 2, tag: 'Ancien' });
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    for (const id of [held, gone]) await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2024-06-01' }).expect(200);
    heldDocument = ((await h.app.get(DataSource).query(`SELECT id FROM documents WHERE resident_id = $1`, [held])) as { id: string }[])[0].id;
    await admin.post('/api/legal-holds').send({ subjectType: 'document', subjectId: heldDocument, reason: 'Contestation de la facture de mai' }).expect(201);
    await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: held, reason: 'Demande du juge des tutelles' }).expect(201);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });
  let worker: WorkerHandle | undefined;
  const db = () => h.app.get(DataSource);
  const count = (sql: string, params: unknown[] = []) => h.count(sql, params);
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const checkPage = checkConsolePage;
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Sections de la console' });

  it('only records.manage sees the section; others get 403 on the page and its POSTs', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.director.email);
    expect(await nav(page).getByRole('link', { name: 'Conservation' }).count()).toBe(0);
    expect((await page.goto('/console/conservation'))!.status()).toBe(403);
    await page.context().close();

    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: h.org.users.director.email, password: TEST_PASSWORD }).expect(303);
    const csrf = csrfOf((await agent.get('/console').expect(200)).text);
    await agent.post('/console/conservation/durees').type('form').send({ _csrf: csrf, subject: 'contrat-sejour', years: '1' }).expect(403);
    await agent.post('/console/conservation/simulations').type('form').send({ _csrf: csrf }).expect(403);
    await agent.post('/console/conservation/simulations/00000000-0000-4000-8000-000000000000/executer').type('form').send({ _csrf: csrf, confirm: 'oui' }).expect(403);
    expect(await count(`SELECT count(*) AS n FROM retention_policies`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);
  });

  it('an administrator changes durations (French error beside the field first), sees the holds by name, and simulates a purge that deletes nothing', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await Promise.all([page.waitForNavigation(), nav(page).getByRole('link', { name: 'Conservation' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Conservation des données');
    const rows = page.locator('section[aria-labelledby="durees"] tbody tr');
    // Five document types, the documents of a person admitted as a minor (C. civ. 2226 al. 2), the person's file.
    expect(await rows.count()).toBe(7);
    expect(await rows.nth(5).textContent()).toContain('C. civ. art. 2226 al. 2');
    expect(await rows.first().locator('th').textContent()).toBe('Contrat de séjour');
    expect(await rows.first().locator('td').first().textContent()).toBe('5 ans');
    expect(await rows.first().textContent()).toContain('C. civ. art. 2224');
    // The holds: named and linked, never an id.
    const holds = page.locator('section[aria-labelledby="gels"]');
    expect(await holds.locator('tbody tr').count()).toBe(2);
    const heldName = ((await db().query(`SELECT first_name || ' ' || last_name AS n FROM residents WHERE id = $1`, [held])) as { n: string }[])[0].n;
    expect(await holds.getByRole('link', { name: heldName, exact: true }).getAttribute('href')).toBe(`/console/residents/${held}`);
    expect(await holds.getByRole('link', { name: `Contrat de séjour de ${heldName}` }).getAttribute('href')).toBe(`/console/documents/${heldDocument}`);
    expect(await holds.textContent()).toContain('Demande du juge des tutelles');
    expect(await holds.textContent()).toContain('administrator console');
    expect(await holds.textContent()).not.toContain(held);
    await checkPage(page, 'Conservation des données');
    await page.screenshot({ path: `${shots}/conservation.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/conservation-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 0 years: the service's error beside the field and summed up; nothing changed.
    await page.selectOption('#subject', 'contrat-sejour');
    await page.fill('#years', '0');
    await submit(page, 'Changer la durée');
    expect(await page.title()).toBe('Erreur — Conservation des données — CarePact');
    expect(await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      ['#years', 'Durée en années : Durée en années entières, de 1 à 100.'],
    ]);
    expect(await page.textContent('#years-erreur')).toBe('Durée en années entières, de 1 à 100.');
    expect(await page.inputValue('#years')).toBe('0');
    expect(await page.inputValue('#subject')).toBe('contrat-sejour');
    await checkPage(page, 'Erreur — Conservation des données');
    expect(await count(`SELECT count(*) AS n FROM retention_policies`)).toBe(0);

    // One year for contracts and for the file: both people's retention (from 1 June 2024) has ended.
    for (const subject of ['contrat-sejour', 'dossier-resident']) {
      await page.selectOption('#subject', subject);
      await page.fill('#years', '1');
      await submit(page, 'Changer la durée');
      expect(await page.getByRole('status').textContent()).toContain('La durée de conservation a été changée.');
    }
    expect(await rows.first().locator('td').first().textContent()).toBe('1 an (modifiée par l’organisation)');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.policy_changed'`)).toBe(2);

    // The dry run.
    const before = await count(`SELECT count(*) AS n FROM residents`);
    await submit(page, 'Simuler une purge');
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/conservation\/simulations\/[0-9a-f-]{36}$/);
    const title = (await page.locator('h1').textContent())!;
    expect(title).toMatch(/^Simulation de purge du \d/);
    expect(await page.getByRole('status').textContent()).toContain('rien n’a été supprimé');
    const goneName = ((await db().query(`SELECT first_name || ' ' || last_name AS n FROM residents WHERE id = $1`, [gone])) as { n: string }[])[0].n;
    const deleted = page.locator('section[aria-labelledby="supprime"]');
    expect(await deleted.locator('li').allTextContents()).toEqual(['1 document dont la durée de conservation est écoulée ;', '1 dossier de personne (identité, contacts, mesures de protection).']);
    expect(await deleted.getByRole('link', { name: `Contrat de séjour de ${goneName}` }).count()).toBe(1);
    expect(await deleted.getByRole('link', { name: goneName, exact: true }).getAttribute('href')).toBe(`/console/residents/${gone}`);
    expect(await deleted.textContent()).toContain('1er juin 2025');
    const kept = page.locator('section[aria-labelledby="garde"]');
    expect(await kept.locator('li').allTextContents()).toEqual([
      'Sous un gel : 1 document, 1 dossier ;',
      'Demande d’accès en cours : 0 document, 0 dossier ;',
      'Durée de conservation en cours : 0 document, 0 dossier ;',
      'Documents en cours de génération ou de signature : 0 ;',
      'Dossiers gardés parce qu’un de leurs documents l’est : 0.',
    ]);
    await checkPage(page, title);
    await page.screenshot({ path: `${shots}/conservation-simulation.png`, fullPage: true });
    expect(await count(`SELECT count(*) AS n FROM residents`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM documents`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'retention.purge_reported'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'retention.%purged'`)).toBe(0);
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('an administrator runs the simulation from its page: the box to tick first (400, nothing asked), then the purge, followed to its end; a second run is refused (409)', async () => {
    worker = await startWorker(h.db.config, { probe: false });
    const [{ id: reportId }] = (await db().query(`SELECT id FROM data_jobs WHERE kind = 'purge_report' ORDER BY created_at DESC LIMIT 1`)) as { id: string }[];
    const goneDocument = ((await db().query(`SELECT id FROM documents WHERE resident_id = $1`, [gone])) as { id: string }[])[0].id;
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/conservation/simulations/${reportId}`);
    const title = (await page.locator('h1').textContent())!;
    const run = page.locator('section[aria-labelledby="executer"]');
    expect(await run.textContent()).toContain('La purge supprime définitivement ce qui est listé ci-dessus (1 document et 1 dossier de personne), avec les fichiers des documents.');

    // The box not ticked: refused beside it and summed up; no purge asked.
    await submit(page, 'Exécuter la purge');
    expect(await page.title()).toBe(`Erreur — ${title} — CarePact`);
    expect(await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      ['#confirm', 'Confirmation : Cochez la case pour confirmer la suppression définitive.'],
    ]);
    expect(await page.textContent('#confirm-erreur')).toContain('Cochez la case pour confirmer la suppression définitive.');
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run'`)).toBe(0);
    await checkPage(page, `Erreur — ${title}`);
    await run.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/conservation-executer-erreur.png` });

    await page.check('#confirm');
    await submit(page, 'Exécuter la purge');
    expect(new URL(page.url()).pathname).toBe(`/console/conservation/simulations/${reportId}`);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.requested' AND payload->>'kind' = 'purge_run'`)).toBe(1);
    expect(await page.locator('section[aria-labelledby="executer"]').count()).toBe(0);
    await waitUntil('the purge to finish', async () => (await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run' AND status = 'done'`)) === 1, 90_000);
    await page.reload();
    expect(await page.getByRole('status').textContent()).toMatch(/Purge exécutée le .* : 1 document supprimé, 1 dossier supprimé\./);
    expect(await page.locator('section[aria-labelledby="supprime"]').textContent()).toContain('Dossier supprimé le');
    await checkPage(page, title);
    await page.screenshot({ path: `${shots}/conservation-executee-console.png`, fullPage: true });
    expect(await count(`SELECT count(*) AS n FROM residents WHERE id = $1`, [gone])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [goneDocument])).toBe(0);
    // The held person and document are still there.
    expect(await count(`SELECT count(*) AS n FROM residents WHERE id = $1`, [held])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM documents WHERE id = $1`, [heldDocument])).toBe(1);

    // Posted again (another tab, an old page): the service's conflict, in French; nothing more runs.
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: h.org.users.administrator.email, password: TEST_PASSWORD }).expect(303);
    const csrf = csrfOf((await agent.get(`/console/conservation/simulations/${reportId}`).expect(200)).text);
    const again = await agent.post(`/console/conservation/simulations/${reportId}/executer`).type('form').send({ _csrf: csrf, confirm: 'oui' }).expect(409);
    expect(again.text).toContain('La purge n’a pas été lancée : Ce rapport a déjà été exécuté : lancez une nouvelle simulation.');
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'purge_run'`)).toBe(1);
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  }, 180_000);
});
