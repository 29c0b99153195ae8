import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { Queue } from 'bullmq';
import { redisOptions } from '@carepact/queue';
import { SigningHarness, axeViolations, launchChromium, pageBasics, startSigningHarness, waitUntil, focusedIdOnceSettled } from '@carepact/testing';

/**
 * Issue 11 items 7 and 8, issue 10 item 8, in Debian's Chromium on the whole product (api + worker
 * processes, the demo data, a real SMTP server): the administrator invites a coordinator; the
 * coordinator sets a password from the e-mail's link and logs in; the link then no longer works.
 * Password reset answers the same for any address. Bull Board opens for the administrator only.
 * The director changes the establishment's settings and the next document prints them.
 */
describe('console: accounts, establishment settings, queues (issue 11 items 7-8, issue 10 item 8)', () => {
  let h: SigningHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    h = await startSigningHarness();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await h?.close();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ baseURL: h.base, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const login = async (page: Page, email: string, password = DEFAULT_DEMO_PASSWORD) => {
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
  };
  const submit = async (page: Page, name: string | RegExp) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
  };
  const quality = async (page: Page, state: string) => {
    expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
    const basics = await pageBasics(page);
    expect({ state, lang: basics.lang, h1: basics.h1, title: /— CarePact$/.test(basics.title) }).toEqual({ state, lang: 'fr', h1: 1, title: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect({ state, overflowX: (await pageBasics(page)).overflowX }).toEqual({ state, overflowX: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('the administrator invites a coordinator by e-mail; the coordinator sets a password from the link and logs in', async () => {
    const admin = await newPage();
    await login(admin, 'admin@jardins-du-val.example');
    await admin.getByRole('link', { name: 'Comptes' }).click();
    await admin.waitForURL('**/console/admin/comptes');
    await quality(admin, 'comptes');
    await admin.screenshot({ path: '/tmp/console-admin-comptes.png', fullPage: true });
    // A form with a missing name comes back with the error beside its field; nothing is created.
    await admin.getByLabel(/^Adresse e-mail professionnelle/).fill('camille.leroy@les-tilleuls.example');
    await admin.getByLabel(/^Rôle/).selectOption('coordinator');
    await submit(admin, 'Envoyer l’invitation');
    expect(await admin.locator('#name-erreur').textContent()).toBeTruthy();
    await quality(admin, 'comptes, erreur');
    expect(await h.sql(`SELECT 1 FROM staff_users WHERE email = 'camille.leroy@les-tilleuls.example'`)).toHaveLength(0);
    // Keyboard only: the error summary's link leads to the field; type the name, Enter sends the form.
    await admin.locator('#erreurs a[href="#name"]').focus();
    await admin.keyboard.press('Enter');
    expect(await focusedIdOnceSettled(admin, 'name')).toBe('name');
    await admin.keyboard.type('Camille Leroy');
    await Promise.all([admin.waitForNavigation(), admin.keyboard.press('Enter')]);
    expect(await admin.getByRole('status').first().textContent()).toContain('L’invitation est envoyée');
    expect(await admin.getByRole('row', { name: /Camille Leroy/ }).textContent()).toContain('Coordination — EHPAD Les Tilleuls');

    const [mail] = await h.waitForMail('camille.leroy@les-tilleuls.example', 1, /Votre compte CarePact/);
    expect(mail.text).toContain('vous a créé un compte dans la console du personnel de CarePact : Coordination — EHPAD Les Tilleuls.');
    const link = /(http\S+\/compte\/mot-de-passe\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    // At rest, only the token's SHA-256.
    const token = link.split('/').pop()!;
    const stored = await h.sql<{ token_hash: string }>(`SELECT token_hash FROM account_tokens t JOIN staff_users u ON u.id = t.user_id WHERE u.email = 'camille.leroy@les-tilleuls.example'`);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);
    // The account cannot log in before a password is chosen.
    const before = await fetch(`${h.base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'camille.leroy@les-tilleuls.example', password: token }) });
    expect(before.status).toBe(401);

    const coordinator = await newPage();
    const landing = await coordinator.goto(new URL(link).pathname);
    expect(landing!.headers()['cache-control']).toBe('no-store');
    expect(landing!.headers()['referrer-policy']).toBe('no-referrer');
    expect(await coordinator.locator('h1').textContent()).toBe('Choisir votre mot de passe');
    await quality(coordinator, 'choisir le mot de passe');
    await coordinator.screenshot({ path: '/tmp/console-admin-mot-de-passe.png' });
    // Opening the link twice (a mail scanner, then the person) consumes nothing.
    await coordinator.reload();
    await coordinator.getByLabel(/^Mot de passe \(obligatoire\)/).fill('court');
    await coordinator.getByLabel(/^Mot de passe, une seconde fois/).fill('court');
    await submit(coordinator, 'Enregistrer le mot de passe');
    expect(await coordinator.locator('#password-erreur').textContent()).toContain('au moins 10 caractères');
    await quality(coordinator, 'mot de passe trop court');
    await coordinator.getByLabel(/^Mot de passe \(obligatoire\)/).fill('jardin lumineux de novembre');
    await coordinator.getByLabel(/^Mot de passe, une seconde fois/).fill('jardin lumineux de novembre');
    await submit(coordinator, 'Enregistrer le mot de passe');
    expect(new URL(coordinator.url()).pathname).toBe('/connexion');
    expect(await coordinator.getByRole('status').first().textContent()).toContain('Votre mot de passe est enregistré');
    await login(coordinator, 'camille.leroy@les-tilleuls.example', 'jardin lumineux de novembre');
    expect(new URL(coordinator.url()).pathname).toBe('/console');
    expect(await coordinator.locator('.who').textContent()).toContain('Camille Leroy');

    // The link served once.
    const again = await coordinator.goto(new URL(link).pathname);
    expect(again!.status()).toBe(404);
    expect(await coordinator.locator('h1').textContent()).toBe('Lien non valable');
    const events = await h.sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_id = (SELECT id::text FROM staff_users WHERE email = 'camille.leroy@les-tilleuls.example') ORDER BY seq`,
    );
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.created', 'user.invited', 'account.email_sent', 'staff.password.set']));
  }, 120_000);

  it('a reset answers the same for a known and an unknown address, e-mails only the account, and is rate-limited', async () => {
    const page = await newPage();
    const ask = async (email: string) => {
      await page.goto('/compte/mot-de-passe-oublie');
      await page.getByLabel(/^Adresse e-mail de votre compte/).fill(email);
      await submit(page, 'Recevoir un lien par e-mail');
      return (await page.locator('main').textContent()) ?? '';
    };
    await page.goto('/connexion');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Mot de passe oublié ?' }).click()]);
    await quality(page, 'mot de passe oublié');
    const known = await ask('direction@les-tilleuls.example');
    const unknown = await ask('personne@nulle-part.example');
    expect(known).toContain('Si un compte actif utilise cette adresse');
    expect(unknown).toBe(known.replace('direction@les-tilleuls.example', 'personne@nulle-part.example'));
    const [mail] = await h.waitForMail('direction@les-tilleuls.example', 1, /Nouveau mot de passe CarePact/);
    expect(mail.text).toContain('votre mot de passe actuel reste valable');
    expect(h.mailsTo('personne@nulle-part.example')).toHaveLength(0);
    await ask('personne@nulle-part.example');
    await ask('personne@nulle-part.example');
    const limited = await ask('personne@nulle-part.example');
    expect(limited).toContain('Trop de demandes');
    // The director still logs in with the old password until the link is used.
    const director = await newPage();
    await login(director, 'direction@les-tilleuls.example');
    expect(new URL(director.url()).pathname).toBe('/console');
  }, 120_000);

  it('a person changes their password from the console, by keyboard; a wrong current password is said beside its field', async () => {
    const page = await newPage();
    await login(page, 'coordination@les-tilleuls.example');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Mot de passe' }).click()]);
    await quality(page, 'changer de mot de passe');
    await page.getByLabel(/^Mot de passe actuel/).focus();
    await page.keyboard.type('pas le bon mot de passe');
    await page.keyboard.press('Tab');
    await page.keyboard.type('une phrase assez longue');
    await page.keyboard.press('Tab');
    await page.keyboard.type('une phrase assez longue');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('#current-erreur').textContent()).toBe('Le mot de passe actuel est incorrect.');
    await quality(page, 'changer de mot de passe, erreur');
    await page.getByLabel(/^Mot de passe actuel/).fill(DEFAULT_DEMO_PASSWORD);
    await page.getByLabel(/^Nouveau mot de passe \(obligatoire\)/).fill('une phrase assez longue');
    await page.getByLabel(/^Nouveau mot de passe, une seconde fois/).fill('une phrase assez longue');
    await submit(page, 'Changer le mot de passe');
    expect(await page.getByRole('status').first().textContent()).toContain('Votre mot de passe est changé');
    const again = await newPage();
    await login(again, 'coordination@les-tilleuls.example', 'une phrase assez longue');
    expect(new URL(again.url()).pathname).toBe('/console');
  }, 120_000);

  it('Bull Board opens for the administrator only, with its own CSP for its styles', async () => {
    const anonymous = await fetch(`${h.base}/console/admin/files`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/connexion?suite=%2Fconsole%2Fadmin%2Ffiles');
    const director = await h.staff('direction@les-tilleuls.example');
    const refused = await director('/console/admin/files');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('réservées à l’administration');
    expect((await director('/console/admin/files/api/queues')).status).toBe(403);
    const admin = await h.staff('admin@jardins-du-val.example');
    const board = await admin('/console/admin/files');
    expect(board.status).toBe(200);
    const csp = board.headers.get('content-security-policy')!;
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const queues = (await (await admin('/console/admin/files/api/queues')).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['audit', 'data', 'notify', 'render', 'seal']);
    // The rest of the console keeps the strict policy.
    expect((await admin('/console')).headers.get('content-security-policy')).not.toContain('unsafe-inline');

    // The board itself runs in the browser under its CSP: its bundles load (the <base> it needs is
    // allowed), it lists the five queues; the only thing blocked is its link to Google's web fonts.
    const page = await newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await login(page, 'admin@jardins-du-val.example');
    await page.goto('/console/admin/files');
    for (const name of ['audit', 'render', 'notify', 'seal', 'data']) await page.getByRole('link', { name, exact: true }).first().waitFor({ timeout: 15000 });
    expect(problems.filter((p) => !p.includes('fonts.googleapis.com'))).toEqual([]);
    // Its icon-only buttons are named in French and its key hint contrasted (queue-board-a11y.*): axe finds nothing.
    await page.getByRole('button', { name: 'Réglages' }).waitFor({ timeout: 15000 });
    expect(await axeViolations(page)).toEqual([]);

    // A failed job: listed with its error, retried from the board (audited); nothing else may change.
    const queue = new Queue('notify', { connection: redisOptions(h.db.config.redis.url), prefix: h.db.config.redis.prefix });
    try {
      const job = await queue.add('no.such.job', { outboxId: '00000000-0000-0000-0000-000000000000' }, { attempts: 1 });
      await waitUntil('job failed', async () => (await job.getState()) === 'failed', 20000);
      const failed = (await (await admin('/console/admin/files/api/queues?activeQueue=notify&status=failed')).json()) as { queues: { name: string; jobs: { id: string; failedReason: string }[] }[] };
      const listed = failed.queues.find((q) => q.name === 'notify')!.jobs.find((j) => j.id === job.id)!;
      expect(listed.failedReason).toContain('UNKNOWN_JOB');
      // The failed jobs as the board shows them: still no axe violation.
      await page.goto('/console/admin/files/queue/notify?status=failed');
      await page.getByText('UNKNOWN_JOB').first().waitFor({ timeout: 15000 });
      expect(await axeViolations(page)).toEqual([]);
      const retry = await admin(`/console/admin/files/api/queues/notify/${job.id}/retry`, { method: 'PUT' });
      expect(retry.status).toBe(204);
      await waitUntil('job retried', async () => ((await queue.getJob(job.id!))?.attemptsStarted ?? 0) >= 2, 20000);
      await waitUntil('retry audited', async () => (await h.sql(`SELECT 1 FROM audit_events WHERE action = 'queue.job_action' AND payload->>'path' = $1`, [`/api/queues/notify/${job.id}/retry`])).length === 1, 5000);
      for (const [method, path] of [
        ['POST', '/api/queues/notify/add'],
        ['PUT', '/api/queues/notify/obliterate'],
        ['PUT', '/api/queues/notify/clean/failed'],
        ['PATCH', `/api/queues/notify/${job.id}/update-data`],
      ]) {
        const refusedWrite = await admin(`/console/admin/files${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: '{}' });
        expect({ path, status: refusedWrite.status }).toEqual({ path, status: 403 });
      }
      expect((await director(`/console/admin/files/api/queues/notify/${job.id}/retry`, { method: 'PUT' })).status).toBe(403);
      expect(await queue.getJob(job.id!)).toBeTruthy();
    } finally {
      await queue.close();
    }
  });

  it('the director changes the establishment settings; the seal certificate is shown; the next contract prints the new annexes and tariff', async () => {
    const page = await newPage();
    await login(page, 'direction@les-tilleuls.example');
    await page.getByRole('link', { name: 'Établissements' }).click();
    await page.waitForURL('**/console/admin/etablissements');
    await quality(page, 'établissements');
    // The auditor may read the settings (no form), never change them.
    const auditor = await newPage();
    await login(auditor, 'audit@jardins-du-val.example');
    const estId = (await h.sql<{ id: string }>(`SELECT id FROM establishments`))[0].id;
    await auditor.goto(`/console/admin/etablissements/${estId}`);
    await quality(auditor, 'paramètres, lecture seule');
    expect(await auditor.locator('form[action^="/console/admin/etablissements"]').count()).toBe(0);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'EHPAD Les Tilleuls' }).click()]);
    await quality(page, 'paramètres');
    await page.screenshot({ path: '/tmp/console-admin-parametres.png' });
    expect(await page.locator('#cachet ~ dl').textContent()).toContain('Jours restants');
    await page.getByLabel(/^Téléphone de l’établissement/).fill('01 98 76 54 32');
    await page.locator('[name="contacts.0.label"]').fill('Accueil');
    await page.locator('[name="contacts.0.email"]').fill('pas-une-adresse');
    const annexes = await page.getByLabel(/^Documents remis avec le contrat/).inputValue();
    await page.getByLabel(/^Documents remis avec le contrat/).fill(`${annexes}\nProtocole canicule 2027`);
    await page.getByLabel(/^Hébergement, par jour/).fill('81.4');
    await submit(page, 'Enregistrer les paramètres');
    expect(await page.locator('#contacts-0-email-erreur').textContent()).toContain('Adresse e-mail invalide');
    await quality(page, 'paramètres, erreur');
    await page.locator('[name="contacts.0.email"]').fill('accueil@les-tilleuls.example');
    await submit(page, 'Enregistrer les paramètres');
    expect(await page.getByRole('status').first().textContent()).toContain('Les paramètres sont enregistrés');
    const [est] = await h.sql<{ phone: string; contacts: unknown; annexes: string[]; tariffs: Record<string, unknown> }>(`SELECT phone, contacts, annexes, tariffs FROM establishments`);
    expect(est.phone).toBe('01 98 76 54 32');
    expect(est.contacts).toEqual([{ label: 'Accueil', email: 'accueil@les-tilleuls.example' }]);
    expect(est.annexes).toContain('Protocole canicule 2027');
    expect(est.tariffs.hebergementPerDay).toBe(81.4);

    // A new document takes the new values (documents already generated keep theirs).
    const id = await h.document('Marcel', 'contrat-sejour');
    const call = await h.staff('admissions@les-tilleuls.example');
    const doc = (await (await call(`/api/documents/${id}`)).json()) as { versions: { renditions: { format: string; variant: string; href?: string; url?: string }[] }[] };
    const html = doc.versions[0].renditions.find((r) => r.format === 'html' && r.variant === 'standard')!;
    const body = await (await call(html.href ?? html.url!)).text();
    expect(body).toContain('Protocole canicule 2027');
    expect(body).toMatch(/81,40/);
    await waitUntil('settings audited', async () => (await h.sql(`SELECT 1 FROM audit_events WHERE action = 'establishment.updated'`)).length > 0, 5000);
  }, 180_000);
});
