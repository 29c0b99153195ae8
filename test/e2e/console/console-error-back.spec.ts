import request from 'supertest';
import { TEST_PASSWORD } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, csrfOf, startConsoleHarness } from './console-harness';

/**
 * The console's HTML error page is no dead end: a form the state no longer allows (409) keeps its
 * status and French message, titled « Action impossible dans l’état actuel », and leads back to the
 * form's page (the console pages send no referrer: the nearest console page above the form's
 * action), or to the console page named by a same-origin Referer — never to another site, a
 * `javascript:` address or the portal — else to the console home. The portal keeps its own pages.
 */
describe('console: an error page leads back where the person was', () => {
  let h: ConsoleHarness;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('a form refused with 409 in the browser: its message, « Revenir à la page précédente » to the form’s page, axe and 320 px', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto('/console/admin/comptes');
    // A stale page's button: the administrator's own account, which she may not disable (409 CANNOT_DISABLE_SELF).
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate((id) => {
        const form = document.querySelector('form[action$="/desactiver"]') as HTMLFormElement;
        form.action = `/console/admin/comptes/${id}/desactiver`;
        form.submit();
      }, h.org.users.administrator.id),
    ]);
    expect(response!.status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('Action impossible dans l’état actuel');
    expect(await page.locator('main').textContent()).toContain('Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.');
    const back = page.getByRole('link', { name: 'Revenir à la page précédente' });
    expect(await back.getAttribute('href')).toBe('/console/admin/comptes');
    expect(await page.getByRole('link', { name: 'Retour à l’accueil de la console' }).getAttribute('href')).toBe('/console');
    await checkConsolePage(page, 'Action impossible dans l’état actuel');
    await page.screenshot({ path: `${shots}/console-error-409-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/console-error-409-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([page.waitForNavigation(), back.click()]);
    expect(new URL(page.url()).pathname).toBe('/console/admin/comptes');
    expect(page.problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('the Referer only when it is this server’s console page; never another site, javascript:, the portal', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: h.org.users.administrator.email, password: TEST_PASSWORD }).expect(303);
    const csrf = csrfOf((await agent.get('/console/admin/comptes').expect(200)).text);
    const host = new URL(h.url).host;
    const post = (referer?: string) => {
      const r = agent.post(`/console/admin/comptes/${h.org.users.administrator.id}/desactiver`).type('form');
      return (referer ? r.set('Referer', referer) : r).send({ _csrf: csrf }).expect(409);
    };
    const backOf = (html: string) => /<a href="([^"]*)">Revenir à la page précédente<\/a>/.exec(html)?.[1] ?? null;
    expect(backOf((await post(`http://${host}/console/admin/etablissements?x=1&y=%22`)).text)).toBe('/console/admin/etablissements?x=1&amp;y=%22');
    expect(backOf((await post()).text)).toBe('/console/admin/comptes');
    for (const evil of ['https://evil.example/console/admin', `http://${host}.evil.example/console`, 'javascript:alert(1)//console', `http://${host}/portail`, `http://${host}//evil.example/console`, '/console/admin\\evil'])
      expect(backOf((await post(evil)).text)).toBe('/console/admin/comptes');
    // A page (GET) not found with no Referer: the console home only.
    const missing = await agent.get('/console/documents/00000000-0000-4000-8000-000000000000').expect(404);
    expect(backOf(missing.text)).toBeNull();
    expect(missing.text).toContain('<a href="/console">Retour à l’accueil de la console</a>');
  });

  it('the portal keeps its own error page, with no link to the console', async () => {
    const res = await request(h.app.getHttpServer()).get('/s/inconnu').set('Referer', `${h.url}/console/admin/comptes`).set('Accept', 'text/html');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).not.toContain('/console');
    expect(res.text).not.toContain('Revenir à la page précédente');
  });
});
