import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { formatDateFr } from '@carepact/common';
import { contractData, curatelleResident, insertResidents, loginAgent, TEST_PASSWORD, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { readZip } from '../../integration/archive/archive-tools';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * Issue 11 items 3 and 5 in the console: an administrator requests an establishment's archive
 * package and a person's access request, follows their progress on a page that refreshes itself
 * without script (and can stop doing so), and downloads the zips (audited). axe, one h1, French
 * title, 320 px, keyboard. Issue 12: the person is found by name (the first 20 matches as radio
 * buttons), not picked from a list of every resident that stopped at 1,000.
 */
describe('console: archives and access requests', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle;
  let residentId: string;
  let martins: string[];
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
    // More namesakes than a search shows: « Martin-00001 Résident » … « Martin-00025 Résident ».
    martins = await insertResidents(h.app.get(DataSource), { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 25, tag: 'Martin' });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });
  const count = (sql: string, params: unknown[] = []) => h.count(sql, params);
  const checkPage = checkConsolePage;
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });

  it('only administrators see the section; others get 403', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    expect(await page.getByRole('navigation', { name: 'Sections de la console' }).getByRole('link', { name: 'Archives' }).count()).toBe(0);
    expect((await page.goto('/console/archives'))!.status()).toBe(403);
    await page.context().close();
  });

  it('an access request and an establishment package: French errors, progress with a self-refresh that can be stopped, downloads audited', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Sections de la console' }).getByRole('link', { name: 'Archives' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Archives et demandes d’accès');
    await checkPage(page, 'Archives et demandes d’accès');
    expect(await page.getByText('Aucune demande pour l’instant.').count()).toBe(1);

    // No person chosen: the page again, the error at the top and beside the field (the search, as
    // nothing was searched yet), nothing requested.
    await submit(page, 'Préparer l’export de ses données');
    expect(await page.locator('.error-summary').textContent()).toContain('Choisissez la personne.');
    expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#personne-acces');
    expect(await page.locator('#personne-acces').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'Erreur — Archives et demandes d’accès');
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);

    // A period whose end precedes its start.
    await page.getByLabel('Périmètre').selectOption('establishment');
    await page.getByLabel('Du (inclus)').fill('2026-12-31');
    await page.getByLabel('Au (inclus)').fill('2026-01-01');
    await submit(page, 'Demander le paquet');
    expect(await page.locator('.error-summary').textContent()).toContain('La fin de la période doit suivre son début.');
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);

    // A person's package: Enter in the search field searches (a GET of its own, no script); 25
    // namesakes, the first 20 shown as radio buttons, the scope set to « Une personne ».
    await page.goto('/console/archives');
    await page.locator('#personne-paquet').fill('MARTIN');
    await Promise.all([page.waitForNavigation(), page.locator('#personne-paquet').press('Enter')]);
    expect(new URL(page.url()).search).toBe('?personne-paquet=MARTIN');
    expect(new URL(page.url()).hash).toBe('#export');
    const found = page.getByRole('group', { name: 'Personne (pour une personne)' });
    expect(await found.getByRole('radio').count()).toBe(20);
    expect(await found.textContent()).toContain('25 personnes trouvées : voici les 20 premières par ordre alphabétique. Précisez le nom pour trouver les autres.');
    expect(await page.getByLabel('Périmètre').inputValue()).toBe('resident');
    await checkPage(page, 'Archives et demandes d’accès');
    await page.screenshot({ path: `${shots}/console-archives-personne.png`, fullPage: true });
    // Not chosen: refused, the same 20 people offered again, the error on them.
    await submit(page, 'Demander le paquet');
    expect(await page.locator('.error-summary').textContent()).toContain('Choisissez la personne.');
    expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#residentId');
    expect(await found.getByRole('radio').count()).toBe(20);
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);
    // Refined: one person.
    await page.locator('#personne-paquet').fill('martin 00007');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Rechercher la personne du paquet' }).click()]);
    await found.getByLabel('Martin-00007 Résident, date de naissance : 8 janvier 1940').check();
    await submit(page, 'Demander le paquet');
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE params->>'id' = $1`, [martins[6]])).toBe(1);

    // The access request by keyboard: type the name, Enter searches; Tab past « Rechercher » to the
    // one person found, Space chooses her, Tab to the request's button, Enter.
    await page.locator('#personne-acces').focus();
    await page.keyboard.type('dupont marcel');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.getByRole('group', { name: 'Personne', exact: true }).textContent()).toContain('1 personne trouvée.');
    await page.locator('#personne-acces').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Dupont Marcel, date de naissance : 2 juillet 1947').isChecked()).toBe(true);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Tab').then(() => page.keyboard.press('Enter'))]);
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    expect(await page.getByText('Demande enregistrée.').count()).toBe(1);

    await page.getByLabel('Périmètre').selectOption('establishment');
    await page.getByLabel('Du (inclus)').fill('2026-01-01');
    await page.getByLabel('Au (inclus)').fill('2026-12-31');
    const response = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Demander le paquet', exact: true }).click()]).then(([r]) => r!);
    // Queued or running: the page refreshes itself (HTTP Refresh, no script) and says how to stop it.
    if ((await response.text()).includes('Arrêter l’actualisation')) expect(response.headers()['refresh']).toBe('5');
    await checkPage(page, 'Archives et demandes d’accès');

    // The person can stop the refresh.
    const stopped = await page.request.get('/console/archives?actualiser=non');
    expect(stopped.headers()['refresh']).toBeUndefined();

    for (let i = 0; i < 120 && (await page.getByRole('link', { name: /^Télécharger le zip/ }).count()) < 3; i++) {
      await page.waitForTimeout(500);
      await page.goto('/console/archives');
    }
    const links = page.getByRole('link', { name: /^Télécharger le zip/ });
    // Each request names what it is about: the establishment, each person by name linked to her file
    // (never an id prefix).
    expect(await page.getByRole('cell', { name: 'établissement EHPAD console, du 1er janvier 2026 au 31 décembre 2026', exact: true }).count()).toBe(1);
    const scopes = page.locator('td[data-label="Périmètre"]');
    expect(await scopes.allTextContents()).toEqual([
      'établissement EHPAD console, du 1er janvier 2026 au 31 décembre 2026',
      'personne : Dupont Marcel, date de naissance : 2 juillet 1947',
      'personne : Martin-00007 Résident, date de naissance : 8 janvier 1940',
    ]);
    expect(await scopes.getByRole('link', { name: 'Dupont Marcel, date de naissance : 2 juillet 1947' }).getAttribute('href')).toBe(`/console/residents/${residentId}`);
    expect(await scopes.getByRole('link', { name: 'Martin-00007 Résident, date de naissance : 8 janvier 1940' }).getAttribute('href')).toBe(`/console/residents/${martins[6]}`);
    expect(await page.getByRole('link', { name: 'Télécharger le zip (Demande d’accès (RGPD art. 15), personne : Dupont Marcel, date de naissance : 2 juillet 1947)' }).count()).toBe(1);
    expect(await links.count()).toBe(3);
    expect(await page.getByText('Une demande est en cours').count()).toBe(0);
    await checkPage(page, 'Archives et demandes d’accès');
    await page.screenshot({ path: `${shots}/console-archives.png`, fullPage: true });

    const access = page.getByRole('link', { name: /Demande d’accès/ });
    const [download] = await Promise.all([page.waitForEvent('download'), access.click()]);
    const zip = await readZip((await download.path())!);
    expect(JSON.parse(zip.get('personne.json')!.toString('utf8')).personne.id).toBe(residentId);
    const archive = page.getByRole('link', { name: /Paquet d’archive, établissement/ });
    const [download2] = await Promise.all([page.waitForEvent('download'), archive.click()]);
    expect(readFileSync((await download2.path())!).subarray(0, 2).toString()).toBe('PK');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.downloaded' AND actor_id = $1`, [h.org.users.administrator.id])).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'rgpd.access_exported' AND subject_id = $1`, [residentId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported' AND subject_id = $1`, [h.org.establishmentId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported' AND subject_id = $1`, [martins[6]])).toBe(1);

    // A document's package: named by its type and resident, linked to its page (never an id prefix).
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await page.goto('/console/archives');
    await page.getByLabel('Périmètre').selectOption('document');
    await page.getByLabel('Identifiant du document (pour un document)').fill(documentId);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Demander le paquet', exact: true }).click()]);
    expect(page.url()).toMatch(/\/console\/archives\?demande=/);
    await page.goto('/console/archives?actualiser=non');
    const first = scopes.first();
    expect(await first.textContent()).toBe('document : Contrat de séjour de Dupont Marcel');
    expect(await first.getByRole('link', { name: 'Contrat de séjour de Dupont Marcel', exact: true }).getAttribute('href')).toBe(`/console/documents/${documentId}`);
    expect(await page.locator('tbody').textContent()).not.toContain(documentId.slice(0, 8));
    await checkPage(page, 'Archives et demandes d’accès');
    await page.screenshot({ path: `${shots}/console-archives-document.png`, fullPage: true });
    // The refused forms answer 400 on purpose (the page with its errors): the browser logs them.
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('a person whose file was purged at the end of its retention: said in French, no id, no link, no zip; the names in one query', async () => {
    // Martin-00007 (her package was made above) left in mid-2024; with a one-year retention for
    // the file, the purge deletes it (and the zip made for her).
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.put('/api/retention/policies/dossier-resident').send({ years: 1 }).expect(200);
    await admin.put(`/api/residents/${martins[6]}/departure`).send({ departedOn: '2024-06-30' }).expect(200);
    const report = (await admin.post('/api/retention/purge-reports').expect(201)).body as { id: string; report: { residents: { id: string }[] } };
    expect(report.report.residents.map((r) => r.id)).toEqual([martins[6]]);
    const run = (await admin.post(`/api/retention/purge-reports/${report.id}/run`).expect(202)).body as { id: string };
    await waitUntil('purge done', async () => (await admin.get(`/api/data-jobs/${run.id}`)).body.status === 'done', 60_000);
    expect(await count(`SELECT count(*) AS n FROM residents WHERE id = $1`, [martins[6]])).toBe(0);

    const db = h.app.get(DataSource);
    const query = jest.spyOn(db, 'query');
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    query.mockClear();
    await page.goto('/console/archives');
    // Five requests listed (two of them about people): their people and establishment in one query.
    const named = query.mock.calls.filter(([sql]) => /\bresidents\b|\bestablishments\b/.test(sql as string) && /purge_tombstones/.test(sql as string));
    query.mockRestore();
    expect(named).toHaveLength(1);

    const today = formatDateFr(new Date());
    const row = page.locator('tbody tr', { has: page.locator('td[data-label="Périmètre"]', { hasText: 'personne dont le dossier' }) });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td[data-label="Périmètre"]').textContent()).toBe(`personne dont le dossier a été supprimé le ${today} (durée de conservation atteinte)`);
    expect(await row.getByRole('link').count()).toBe(0);
    expect(await row.locator('td[data-label="Fichier"]').textContent()).toBe('Fichier supprimé par la purge (durée de conservation atteinte).');
    expect(await page.locator('tbody').textContent()).not.toContain(martins[6].slice(0, 8));
    expect(await page.locator('tbody').textContent()).not.toMatch(/personne [0-9a-f]{8}…/);
    expect(await page.getByRole('link', { name: 'Dupont Marcel, date de naissance : 2 juillet 1947', exact: true }).getAttribute('href')).toBe(`/console/residents/${residentId}`);
    // The simulation by its day and the purge by the simulation it carried out (the same query
    // names them), each linked to the simulation's page: no « rapport 1a2b3c4d… », no « jour 2026-… ».
    const scopeOfKind = (kind: string) => page.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${kind}$`) }) }).locator('td[data-label="Périmètre"]');
    expect(await scopeOfKind('Purge').textContent()).toBe(`suppressions de la simulation du ${today}`);
    expect(await scopeOfKind('Purge').getByRole('link').getAttribute('href')).toBe(`/console/conservation/simulations/${report.id}`);
    expect(await scopeOfKind('Simulation de purge').textContent()).toBe(`dossiers et documents à supprimer au ${today}`);
    expect(await scopeOfKind('Simulation de purge').getByRole('link').getAttribute('href')).toBe(`/console/conservation/simulations/${report.id}`);
    expect(await page.locator('tbody').textContent()).not.toMatch(/rapport [0-9a-f]{8}…|jour \d{4}-/);
    await checkPage(page, 'Archives et demandes d’accès');
    await page.screenshot({ path: `${shots}/console-archives-purge.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), scopeOfKind('Purge').getByRole('link').click()]);
    expect(await page.locator('h1').textContent()).toContain('Simulation');
    // Read again after the purge: it says the purge ran and what it deleted, not « rien n’a été supprimé ».
    const longToday = formatDateFr(new Date());
    expect(await page.getByRole('status').textContent()).toMatch(new RegExp(`Purge exécutée le ${longToday} à \\d{1,2} h \\d\\d : 0 document supprimé, 1 dossier supprimé\\.$`));
    expect(await page.locator('section[aria-labelledby="supprime"] tbody th').allTextContents()).toEqual([`Dossier supprimé le ${longToday}`]);
    await checkPage(page, (await page.locator('h1').textContent())!);
    await page.screenshot({ path: `${shots}/conservation-simulation-after-purge.png`, fullPage: true });
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
