import request from 'supertest';
import { axeViolations, pageBasics } from '@carepact/testing';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * Issue 10, shape: `/` leads to a French login page; the console uses the API's staff session and
 * login rules; every form carries a CSRF token; POST → redirect → GET; pages pass axe in Chromium.
 */
describe('console: login, session, CSRF (issue 10)', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const http = () => request(h.app.getHttpServer());

  it('/ leads to the login page when nobody is connected; a console page sends there and back', async () => {
    const home = await http().get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/connexion');
    const deep = await http().get('/console?x=1');
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe('/connexion?suite=%2Fconsole%3Fx%3D1');
    // The JSON API keeps answering 401 in JSON.
    const api = await http().get('/api/me');
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('the login form refuses a post without its token, and a wrong password in French without saying which part was wrong', async () => {
    const noToken = await http().post('/connexion').type('form').send({ email: h.org.users.director.email, password: 'x' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Ce formulaire a expiré');
    expect(noToken.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^carepact_session=/)]));

    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const wrong = await agent.post('/connexion').type('form').send({ _csrf: csrf, email: h.org.users.director.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Adresse e-mail ou mot de passe incorrect.');
    // The e-mail typed stays in the field, escaped; the password never comes back.
    expect(wrong.text).toContain(`value="${h.org.users.director.email}"`);
    expect(wrong.text).not.toContain('not-the-password');
    const missing = await agent.post('/connexion').type('form').send({ _csrf: csrf, email: '', password: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<a href="#email">Saisissez votre adresse e-mail.</a>');
    expect(missing.text).toContain('aria-describedby="email-erreur"');
  });

  it('a login goes where the person was going (console paths only), and logout needs the page’s token', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion?suite=%2F%2Fevil.example').expect(200);
    expect(form.text).not.toContain('evil.example');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const ok = await agent.post('/connexion').type('form').send({ _csrf: csrf, email: h.org.users.director.email, password: 'correct-horse-battery-staple', suite: '/console?x=1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/console?x=1');
    const home = await agent.get('/console').expect(200);
    expect(home.text).toContain('Bonjour director console');
    expect(home.text).toContain('<h1>À faire</h1>');
    expect(home.text).toContain('EHPAD console');
    // The same session opens the JSON API.
    await agent.get('/api/me').expect(200);

    expect((await agent.post('/deconnexion').type('form').send({ _csrf: 'forged' })).status).toBe(403);
    await agent.get('/api/me').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const out = await agent.post('/deconnexion').type('form').send({ _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/connexion?deconnexion=1');
    await agent.get('/api/me').expect(401);
  });

  it('in Chromium: log in by keyboard, see the home page, log out — axe finds nothing, at 320 px too', async () => {
    const page = await h.newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'Connexion — CarePact', h1: 1 });

    // Keyboard only: skip link, then the fields in order, Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.getByLabel('Adresse e-mail').focus();
    await page.keyboard.type(h.org.users.admissions.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('mauvais');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('.error-summary').textContent()).toContain('Adresse e-mail ou mot de passe incorrect.');
    expect(await axeViolations(page)).toEqual([]);
    // The refused login answers 401, which Chromium reports on its console: expected here, and only here.
    expect(page.problems).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    page.problems.length = 0;

    await h.login(page, h.org.users.admissions.email);
    expect(new URL(page.url()).pathname).toBe('/console');
    expect(await page.locator('h1').textContent()).toBe('À faire');
    expect(await page.locator('main').textContent()).toContain('Bonjour admissions console');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'À faire — CarePact', h1: 1, overflowX: false });
    await page.setViewportSize({ width: 1280, height: 800 });

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Vous êtes déconnecté.');
    expect(page.problems).toEqual([]);
    await page.context().close();
  });
});
