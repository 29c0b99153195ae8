import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { axeViolations, curatelleResident, loginAgent, pageBasics, TEST_PASSWORD } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { readZip } from '../../integration/archive/archive-tools';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * Issue 11 items 3 and 5 in the console: an administrator requests an establishment's archive
 * package and a person's access request, follows their progress on a page that refreshes itself
 * without script (and can stop doing so), and downloads the zips (audited). axe, one h1, French
 * title, 320 px, keyboard.
 */
describe('console: archives and access requests', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle;
  let residentId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });
  const count = async (sql: string, params: unknown[] = []) => Number(((await h.app.get(DataSource).query(sql, params)) as { n: string }[])[0].n);
  const checkPage = async (page: Page, title: string) => {
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: `${title} — CarePact`, h1: 1, overflowX: false });
    await page.setViewportSize({ width: 320, height: 640 });
    expect((await pageBasics(page)).overflowX).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  const submit = async (page: Page, name: string) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  };

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

    // No person chosen: the page again, the error at the top and beside the field, nothing requested.
    await submit(page, 'Préparer l’export de ses données');
    expect(await page.locator('.error-summary').textContent()).toContain('Choisissez la personne.');
    await checkPage(page, 'Erreur — Archives et demandes d’accès');
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);

    // A period whose end precedes its start.
    await page.getByLabel('Périmètre').selectOption('establishment');
    await page.getByLabel('Du (inclus)').fill('2026-12-31');
    await page.getByLabel('Au (inclus)').fill('2026-01-01');
    await submit(page, 'Demander le paquet');
    expect(await page.locator('.error-summary').textContent()).toContain('La fin de la période doit suivre son début.');
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);

    // By keyboard: choose the person, submit.
    await page.locator('#accessResidentId').focus();
    await page.keyboard.press('ArrowDown');
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

    for (let i = 0; i < 120 && (await page.getByRole('link', { name: /^Télécharger le zip/ }).count()) < 2; i++) {
      await page.waitForTimeout(500);
      await page.goto('/console/archives');
    }
    const links = page.getByRole('link', { name: /^Télécharger le zip/ });
    expect(await page.getByRole('cell', { name: 'établissement, du 01/01/2026 au 31/12/2026', exact: true }).count()).toBe(1);
    expect(await links.count()).toBe(2);
    expect(await page.getByText('Une demande est en cours').count()).toBe(0);
    await checkPage(page, 'Archives et demandes d’accès');
    await page.screenshot({ path: `${shots}/console-archives.png`, fullPage: true });

    const access = page.getByRole('link', { name: /Demande d’accès/ });
    const [download] = await Promise.all([page.waitForEvent('download'), access.click()]);
    const zip = await readZip((await download.path())!);
    expect(JSON.parse(zip.get('personne.json')!.toString('utf8')).personne.id).toBe(residentId);
    const archive = page.getByRole('link', { name: /Paquet d’archive/ });
    const [download2] = await Promise.all([page.waitForEvent('download'), archive.click()]);
    expect(readFileSync((await download2.path())!).subarray(0, 2).toString()).toBe('PK');
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.downloaded' AND actor_id = $1`, [h.org.users.administrator.id])).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'rgpd.access_exported' AND subject_id = $1`, [residentId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported' AND subject_id = $1`, [h.org.establishmentId])).toBe(1);
    // The two refused forms answer 400 on purpose (the page with its errors): the browser logs them.
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  }, 180_000);
});
