import request from 'supertest';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { axeViolations, curatelleResident, loginAgent, pageBasics, seedOrganisation, TEST_PASSWORD, focusedIdOnceSettled } from '@carepact/testing';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm, csrfOf } from './console-harness';

/**
 * Issue 10 item 2: the residents pages of the console, on the services of the JSON API — the list
 * (search whatever the accents and case, establishments the person may read, keyset pages), the
 * file, the create and edit forms with the API's own French field errors beside each field and
 * summed up at the top; what each role may see and do.
 */
describe('console: residents (issue 10 item 2)', () => {
  let h: ConsoleHarness;
  let marcelId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const db = () => h.app.get(DataSource);
  const count = (sql: string, params: unknown[] = []) => h.count(sql, params);
  const consoleAgent = async (email: string) => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email, password: TEST_PASSWORD }).expect(303);
    return agent;
  };
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const checkPage = checkConsolePage;

  it('admissions creates Marcel Dupont (curatelle renforcée) through the form: errors beside the fields and summed up, nothing written; then fixed', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Sections de la console' }).getByRole('link', { name: 'Résidents' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Résidents');
    expect(await page.getByText('Aucun résident pour le moment.').count()).toBe(1);
    await checkPage(page, 'Résidents');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Nouveau résident' }).click()]);
    await checkPage(page, 'Nouveau résident');
    const m = curatelleResident(h.org.establishmentId);
    const holder = m.protectionMeasure.holders[0];
    await page.fill('#firstName', m.firstName);
    // Last name forgotten, the contact's e-mail mistyped, the measure's end date left out.
    await page.fill('#birthDate', m.birthDate);
    await page.fill('#admissionDate', m.admissionDate);
    await page.fill('#room', m.room);
    await page.fill('#email', m.email);
    await page.check('#preferences-easyToRead');
    await page.fill('#contacts-0-firstName', 'Sylvie');
    await page.fill('#contacts-0-lastName', 'Martin');
    await page.fill('#contacts-0-relation', 'fille');
    await page.fill('#contacts-0-email', 'sylvie.martin@');
    // « Ajouter un contact » gives one more block, keeps what was typed, saves nothing and puts the focus in the new block.
    await submit(page, 'Ajouter un contact');
    expect(await focusedIdOnceSettled(page, 'contacts-1-firstName')).toBe('contacts-1-firstName');
    expect(await page.inputValue('#contacts-0-email')).toBe('sylvie.martin@');
    await page.selectOption('#protectionMeasure-type', m.protectionMeasure.type);
    await page.check('#protectionMeasure-mode-0');
    await page.check('#protectionMeasure-scope-personne');
    await page.check('#protectionMeasure-scope-biens');
    await page.fill('#protectionMeasure-court', m.protectionMeasure.court);
    await page.fill('#protectionMeasure-judgmentReference', m.protectionMeasure.judgmentReference);
    await page.fill('#protectionMeasure-judgmentDate', m.protectionMeasure.judgmentDate);
    await page.selectOption('#protectionMeasure-holders-0-role', holder.role);
    await page.fill('#protectionMeasure-holders-0-firstName', holder.firstName);
    await page.fill('#protectionMeasure-holders-0-lastName', holder.lastName);
    await page.fill('#protectionMeasure-holders-0-organisationName', holder.organisationName);
    await page.fill('#protectionMeasure-holders-0-email', holder.email);
    await submit(page, 'Créer le dossier');

    // Every problem at once: the DTO's own checks (the API's codes and messages) and the file's rules on
    // the values that could be read (C. civ. 441: a judicial measure has an end date), beside each field and in the summary.
    expect(await page.title()).toBe('Erreur — Nouveau résident — CarePact');
    const summary = page.locator('.error-summary');
    expect(await summary.locator('h2').textContent()).toBe('Rien n’a été enregistré : corrigez les champs signalés');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      ['#lastName', 'Nom d’usage : Champ obligatoire.'],
      ['#contacts-0-email', 'Contact 1 — Adresse e-mail : Adresse e-mail invalide.'],
      ['#protectionMeasure-endDate', 'Mesure de protection — Date de fin : Indiquez la date de fin de la mesure fixée par le jugement.'],
    ]);
    expect(await focusedIdOnceSettled(page, 'erreurs')).toBe('erreurs');
    expect(await page.getAttribute('#lastName', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#lastName', 'aria-describedby')).toBe('lastName-erreur');
    expect(await page.textContent('#lastName-erreur')).toBe('Champ obligatoire.');
    expect(await page.textContent('#contacts-0-email-erreur')).toBe('Adresse e-mail invalide.');
    // The blank second contact block is gone, the rest is kept as typed.
    expect(await page.locator('#contacts-1-firstName').count()).toBe(0);
    expect(await page.inputValue('#protectionMeasure-holders-0-lastName')).toBe('Benaïssa');
    await checkPage(page, 'Erreur — Nouveau résident');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/residents-form-errors-top.png` });
    // The link of the summary leads to its field.
    await summary.getByRole('link', { name: 'Contact 1 — Adresse e-mail : Adresse e-mail invalide.' }).click();
    expect(await page.evaluate(() => location.hash)).toBe('#contacts-0-email');
    await page.screenshot({ path: `${shots}/residents-form-errors-contact.png` });
    await summary.getByRole('link', { name: 'Nom d’usage : Champ obligatoire.' }).click();
    expect(await page.evaluate(() => location.hash)).toBe('#lastName');
    await page.screenshot({ path: `${shots}/residents-form-errors.png`, fullPage: true });
    expect(await count('SELECT count(*) AS n FROM residents')).toBe(0);

    // The format errors fixed, the rule's error alone remains: the same errors as the JSON API.
    await page.fill('#lastName', m.lastName);
    await page.fill('#contacts-0-email', 'sylvie.martin@example.org');
    await submit(page, 'Créer le dossier');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      ['#protectionMeasure-endDate', 'Mesure de protection — Date de fin : Indiquez la date de fin de la mesure fixée par le jugement.'],
    ]);
    const api = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const { endDate: _omitted, ...withoutEnd } = m.protectionMeasure;
    const viaApi = await api.post('/api/residents').send({ ...m, protectionMeasure: withoutEnd }).expect(400);
    expect(viaApi.body.error.details).toEqual([{ field: 'protectionMeasure.endDate', code: 'REQUIRED', message: 'Indiquez la date de fin de la mesure fixée par le jugement.' }]);
    expect(await count('SELECT count(*) AS n FROM residents')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'resident.%'`)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#protectionMeasure-endDate', m.protectionMeasure.endDate);
    await submit(page, 'Créer le dossier');
    const url = new URL(page.url());
    expect(url.pathname).toMatch(/^\/console\/residents\/[0-9a-f-]{36}$/);
    marcelId = url.pathname.split('/').pop()!;
    expect(await page.locator('h1').textContent()).toBe('Marcel Dupont');
    expect(await page.getByRole('status').textContent()).toContain('Le dossier a été créé.');
    const mesures = page.locator('section[aria-labelledby="mesures"]');
    expect(await mesures.locator('h3').textContent()).toBe('Curatelle renforcée en cours');
    expect(await mesures.textContent()).toContain('20 mai 2030');
    expect(await mesures.textContent()).toContain('Karim Benaïssa, curateur (UDAF du Val)');
    expect(await page.locator('section[aria-labelledby="contacts"]').textContent()).toContain('Sylvie Martin — fille');
    expect(await page.locator('section[aria-labelledby="preferences"]').textContent()).toContain('Facile à lire et à comprendreoui');
    // « Nouveau document » leads to the document form; the documents section is there, empty.
    expect(await page.locator(`a[href="/console/residents/${marcelId}/documents/nouveau"]`).count()).toBeGreaterThan(0);
    expect(await page.getByText('Aucun document pour le moment.').count()).toBe(1);
    await checkPage(page, 'Dossier de Marcel Dupont');
    await page.screenshot({ path: `${shots}/residents-file.png`, fullPage: true });

    // The same file as the JSON API sees it, and the same audit events.
    const file = (await api.get(`/api/residents/${marcelId}`).expect(200)).body;
    expect(file).toMatchObject({ firstName: 'Marcel', lastName: 'Dupont', room: '112', preferences: { easyToRead: true, largePrint: false, language: 'fr' } });
    expect(file.protectionMeasures[0]).toMatchObject({ type: 'curatelle_renforcee', mode: 'assistance', scope: ['personne', 'biens'], endDate: '2030-05-20', holders: [{ role: 'curateur', lastName: 'Benaïssa' }] });
    const actions = (await db().query(`SELECT action FROM audit_events WHERE actor_id = $1 ORDER BY seq`, [h.org.users.admissions.id])) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['resident.created', 'contact.created', 'measure.created']));
    expect(page.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('admissions edits a contact: the API’s error beside the field first, then saved and audited', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`/console/residents/${marcelId}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Modifier le contact Sylvie Martin' }).click()]);
    await checkPage(page, 'Modifier le contact Sylvie Martin — Marcel Dupont');
    await page.fill('#phone', '06 12 34 56 78');
    await page.fill('#email', 'pas-une-adresse');
    await submit(page, 'Enregistrer');
    expect(await page.textContent('#email-erreur')).toBe('Adresse e-mail invalide.');
    expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#email');
    expect(await page.inputValue('#phone')).toBe('06 12 34 56 78');
    await checkPage(page, 'Erreur — Modifier le contact Sylvie Martin — Marcel Dupont');
    expect(await count(`SELECT count(*) AS n FROM contacts WHERE phone IS NOT NULL`)).toBe(0);
    await page.fill('#email', 'sylvie.martin@example.net');
    await submit(page, 'Enregistrer');
    expect(new URL(page.url()).pathname).toBe(`/console/residents/${marcelId}`);
    expect(await page.getByRole('status').textContent()).toContain('Le contact a été mis à jour.');
    expect(await page.locator('section[aria-labelledby="contacts"]').textContent()).toContain('sylvie.martin@example.net — 06 12 34 56 78');
    const [event] = (await db().query(`SELECT payload FROM audit_events WHERE action = 'contact.updated' ORDER BY seq DESC LIMIT 1`)) as { payload: { changedFields: string[] } }[];
    expect(event.payload.changedFields.sort()).toEqual(['email', 'phone']);

    // The identity form too: a required field emptied is refused with the API's message, nothing written.
    await page.goto(`/console/residents/${marcelId}/modifier`);
    await page.fill('#room', '');
    await page.fill('#firstName', '');
    await submit(page, 'Enregistrer');
    expect(await page.textContent('#firstName-erreur')).toBe('Trop court (1 au moins).');
    expect(((await db().query(`SELECT room FROM residents WHERE id = $1`, [marcelId])) as { room: string }[])[0].room).toBe('112');
    await page.fill('#firstName', 'Marcel');
    await page.fill('#room', '114');
    await submit(page, 'Enregistrer');
    expect(await page.locator('section[aria-labelledby="sejour"]').textContent()).toContain('Chambre114');
    await page.context().close();
  }, 120_000);

  it('search finds « dupont », « DUPONT » and « Dupônt » (accents and case ignored on both sides), by establishment and by page', async () => {
    const api = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const base = { establishmentId: h.org.establishmentId, birthDate: '1940-03-01', admissionDate: '2025-01-10', stayType: 'permanent' };
    for (const [firstName, lastName] of [
      ['Élodie', 'Lefèvre'],
      ['Jean', 'Dupond'],
      ['Anne', 'N’Diaye-Dupont'],
    ])
      await api.post('/api/residents').send({ ...base, firstName, lastName }).expect(201);

    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    const names = async () => page.locator('tbody th').allTextContents();
    for (const q of ['dupont', 'DUPONT', 'Dupônt', 'dupont marcel', 'MARCEL']) {
      await page.goto(`/console/residents?q=${encodeURIComponent(q)}`);
      expect({ q, names: await names() }).toEqual({ q, names: q.toLowerCase().includes('marcel') ? ['Dupont Marcel'] : ['Dupont Marcel', 'N’Diaye-Dupont Anne'] });
    }
    await page.goto('/console/residents?q=elodie');
    expect(await names()).toEqual(['Lefèvre Élodie']);
    await page.goto(`/console/residents?q=${encodeURIComponent("n'diaye dupont")}`);
    expect(await names()).toEqual(['N’Diaye-Dupont Anne']);
    // LIKE's wildcards are only characters.
    await page.goto('/console/residents?q=%25');
    expect(await names()).toEqual([]);
    expect(await page.getByText('Aucun résident ne correspond à cette recherche.').count()).toBe(1);

    // By keyboard: the search field, Enter.
    await page.goto('/console/residents');
    expect(await names()).toEqual(['Dupond Jean', 'Dupont Marcel', 'Lefèvre Élodie', 'N’Diaye-Dupont Anne']);
    const row = page.locator('tbody tr', { hasText: 'Dupont Marcel' });
    const since = new Date().toISOString().slice(0, 10) < '2026-10-15' ? 'admission prévue le' : 'depuis le';
    expect(await row.locator('td').allTextContents()).toEqual(['EHPAD console', '114', `Hébergement permanent, ${since} 15 octobre 2026`, 'Curatelle renforcée, fin le 20 mai 2030', 'en cours']);
    await page.getByLabel('Nom ou prénom').focus();
    await page.keyboard.type('DUPÔNT');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await names()).toEqual(['Dupont Marcel', 'N’Diaye-Dupont Anne']);
    expect(await page.getByRole('status').textContent()).toBe('2 résidents trouvés.');
    await checkPage(page, 'Résidents : recherche « DUPÔNT »');
    await page.goto('/console/residents');
    await page.screenshot({ path: `${shots}/residents-list.png`, fullPage: true });
    await page.context().close();
  }, 120_000);

  it('the coordinator reads the list and the file but sees no way to change them, and may not post', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.coordinator.email);
    await page.goto('/console/residents');
    expect(await page.getByRole('link', { name: 'Nouveau résident' }).count()).toBe(0);
    await page.goto(`/console/residents/${marcelId}`);
    expect(await page.locator('h1').textContent()).toBe('Marcel Dupont');
    expect(await page.locator('main a', { hasText: /Modifier|Ajouter|Supprimer|Désigner|Enregistrer/ }).count()).toBe(0);
    await checkPage(page, 'Dossier de Marcel Dupont');
    await page.context().close();

    const agent = await consoleAgent(h.org.users.coordinator.email);
    const file = await agent.get(`/console/residents/${marcelId}`).expect(200);
    const token = csrfOf(file.text);
    for (const path of ['/console/residents/nouveau', `/console/residents/${marcelId}/modifier`, `/console/residents/${marcelId}/contacts/nouveau`, `/console/residents/${marcelId}/mesures/nouvelle`]) {
      const got = await agent.get(path);
      expect({ path, status: got.status }).toEqual({ path, status: 403 });
      expect(got.text).toContain('<h1>Accès refusé</h1>');
    }
    const before = await count('SELECT count(*) AS n FROM audit_events');
    const post = await agent.post(`/console/residents/${marcelId}/modifier`).type('form').send({ _csrf: token, firstName: 'Marcelle', lastName: 'Dupont', birthDate: '1947-07-02', admissionDate: '2026-10-15', stayType: 'permanent' });
    expect(post.status).toBe(403);
    expect(await count('SELECT count(*) AS n FROM audit_events')).toBe(before);
  }, 120_000);

  it('a form without the page’s token is refused and writes nothing', async () => {
    const agent = await consoleAgent(h.org.users.admissions.email);
    const res = await agent.post('/console/residents/nouveau').type('form').send({ establishmentId: h.org.establishmentId, firstName: 'X', lastName: 'Y', birthDate: '1950-01-01', admissionDate: '2026-01-01', stayType: 'permanent' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Ce formulaire a expiré');
    expect(await count(`SELECT count(*) AS n FROM residents WHERE last_name = 'Y'`)).toBe(0);
  });

  it('the auditor has no residents section and gets a 403 page on a file (care details); another organisation’s resident is a 404 page', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.auditor.email);
    expect(await page.getByRole('link', { name: 'Résidents' }).count()).toBe(0);
    const list = await page.goto('/console/residents');
    expect(list!.status()).toBe(403);
    const file = await page.goto(`/console/residents/${marcelId}`);
    expect(file!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Accès refusé');
    expect(await page.content()).not.toContain('Dupont');
    await checkPage(page, 'Accès refusé');

    const other = await seedOrganisation(h.app, 'autre');
    const otherApi = await loginAgent(h.app, other.users.admissions.email, TEST_PASSWORD);
    const foreign = (await otherApi.post('/api/residents').send({ ...curatelleResident(other.establishmentId), lastName: 'Ailleurs' }).expect(201)).body.id as string;
    await page.context().close();
    const admissions = await h.newPage();
    await h.login(admissions, h.org.users.admissions.email);
    for (const path of [`/console/residents/${foreign}`, `/console/residents/${foreign}/modifier`]) {
      const res = await admissions.goto(path);
      expect(res!.status()).toBe(404);
      expect(await admissions.locator('h1').textContent()).toBe('Page introuvable');
      expect(await admissions.content()).not.toContain('Ailleurs');
    }
    await checkPage(admissions, 'Page introuvable');
    await admissions.goto('/console/residents?q=ailleurs');
    expect(await admissions.locator('tbody tr').count()).toBe(0);
    await admissions.context().close();
  }, 120_000);

  it('by keyboard alone: from the list to a new resident’s file', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto('/console/residents');
    // At 320 px the list stacks (WCAG 1.4.10): one row per person, each cell named, nothing to scroll sideways.
    const list = page.locator('.table-scroll');
    expect(await list.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    expect(await page.locator('tbody tr').first().locator('td').first().textContent()).toBeTruthy();
    expect(await page.locator('tbody td[data-label="Établissement"]').count()).toBe(await page.locator('tbody tr').count());
    await page.screenshot({ path: `${shots}/console-residents-liste-320.png`, fullPage: true });
    const tabTo = async (target: string, max = 120) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((t) => document.activeElement?.id === t || document.activeElement?.textContent?.trim() === t, target)) return;
      }
      throw new Error(`focus never reached ${target}`);
    };
    await tabTo('Nouveau résident');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await tabTo('firstName');
    await page.keyboard.type('Émile');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Durand');
    await tabTo('birthDate');
    // Chromium's date field in fr-FR: day, month, year.
    await page.keyboard.type('12031938');
    await tabTo('admissionDate');
    await page.keyboard.type('01022025');
    // The radio group is one tab stop: the focus lands on the checked choice (permanent); arrows move it.
    await tabTo('stayType-0');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => [document.activeElement?.id, (document.activeElement as HTMLInputElement).checked])).toEqual(['stayType-1', true]);
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => [document.activeElement?.id, (document.activeElement as HTMLInputElement).checked])).toEqual(['stayType-0', true]);
    await tabTo('room');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/residents\/[0-9a-f-]{36}\?fait=cree$/);
    expect(await page.locator('h1').textContent()).toBe('Émile Durand');
    expect(await page.locator('section[aria-labelledby="sejour"]').textContent()).toContain('Chambre7');
    expect((await pageBasics(page)).overflowX).toBe(false);
    await page.context().close();
  }, 120_000);

  it('a page link that leads nowhere any more (mistyped, purged, another organisation’s): the start of the same search, said in French, 200', async () => {
    const other = await seedOrganisation(h.app, 'curseur');
    const otherApi = await loginAgent(h.app, other.users.admissions.email, TEST_PASSWORD);
    const foreign = (await otherApi.post('/api/residents').send({ ...curatelleResident(other.establishmentId), lastName: 'Dupont-Ailleurs' }).expect(201)).body.id as string;
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    const notice = 'Cette page de la liste n’existe plus : voici le début de la liste.';
    const unknown = '0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f';
    for (const cursor of [`apres=${unknown}`, `avant=${unknown}`, `apres=${foreign}`, `avant=${foreign}`, `apres=${marcelId.slice(0, 8)}`, 'avant=']) {
      const res = await page.goto(`/console/residents?q=dupont&${cursor}`);
      expect({ cursor, status: res!.status() }).toEqual({ cursor, status: 200 });
      expect({ cursor, notice: await page.getByText(notice).count() }).toEqual({ cursor, notice: 1 });
      // The search is kept: its words in the field, its first page, no way back to a page before it.
      expect(await page.getByLabel('Nom ou prénom').inputValue()).toBe('dupont');
      expect(await page.locator('tbody th').allTextContents()).toEqual(['Dupont Marcel', 'N’Diaye-Dupont Anne']);
      expect(await page.locator('a[rel="prev"]').count()).toBe(0);
      expect(await page.content()).not.toContain('Dupont-Ailleurs');
    }
    await checkPage(page, 'Résidents : recherche « dupont »');
    await page.screenshot({ path: `${shots}/residents-list-unknown-page.png`, fullPage: true });
    // A known cursor: its page, no notice.
    await page.goto(`/console/residents?q=dupont&apres=${marcelId}`);
    expect(await page.locator('tbody th').allTextContents()).toEqual(['N’Diaye-Dupont Anne']);
    expect(await page.getByText(notice).count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('pages of 50 in name order with 2,000 residents: forward and back, no one twice, few queries', async () => {
    // 2,000 residents straight into the table (bench data: the services' audit trail is not the point here).
    await db().query(
      `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, room, created_at, updated_at)
       SELECT $1, $2, 'Prénom' || i, (ARRAY['Martin','Bernard','Élie','Thomas','Petit','Robert','Richard','Durand','Dubois','Moreau'])[1 + i % 10] || ' ' || i, '1940-01-01', '2024-01-01', 'permanent', (i % 300)::text, now(), now()
         FROM generate_series(1, 2000) i`,
      [h.org.organisationId, h.org.establishmentId],
    );
    const agent = await consoleAgent(h.org.users.admissions.email);
    const seen: string[] = [];
    const pages: string[][] = [];
    let next: string | null = '/console/residents';
    while (next) {
      const res = await agent.get(next).expect(200);
      const ids = [...res.text.matchAll(/<th scope="row"><a href="\/console\/residents\/([0-9a-f-]{36})">/g)].map((x) => x[1]);
      pages.push(ids);
      seen.push(...ids);
      const link = /<a href="([^"]+)" rel="next">/.exec(res.text);
      next = link ? link[1].replace(/&amp;/g, '&') : null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await count('SELECT count(*) AS n FROM residents WHERE organisation_id = $1', [h.org.organisationId]));
    expect(pages.slice(0, -1).every((p) => p.length === 50)).toBe(true);
    // Order: folded last name, then first name (Élie between Dubois and Durand and Martin, not after Z).
    const order = (await db().query(
      `SELECT id FROM residents WHERE organisation_id = $1 ORDER BY carepact_fold(last_name) COLLATE "C", carepact_fold(first_name) COLLATE "C", id`,
      [h.org.organisationId],
    )) as { id: string }[];
    expect(seen).toEqual(order.map((o) => o.id));
    // Back from page 3 to page 2.
    const third = await agent.get(`/console/residents?apres=${pages[1][49]}`).expect(200);
    const prev = /<a href="([^"]+)" rel="prev">/.exec(third.text)![1].replace(/&amp;/g, '&');
    const second = await agent.get(prev).expect(200);
    expect([...second.text.matchAll(/<th scope="row"><a href="\/console\/residents\/([0-9a-f-]{36})">/g)].map((x) => x[1])).toEqual(pages[1]);
    // The first page of one establishment is read in index order (no sort of the 2,000 rows).
    await db().query('ANALYZE residents');
    const plan = JSON.stringify(
      await db().query(
        `EXPLAIN (FORMAT JSON) SELECT r.id FROM residents r WHERE r.organisation_id = $1 AND r.establishment_id = $2
          ORDER BY carepact_fold(r.last_name) COLLATE "C", carepact_fold(r.first_name) COLLATE "C", r.id LIMIT 51`,
        [h.org.organisationId, h.org.establishmentId],
      ),
    );
    expect(plan).toContain('ix_residents_list_order');
    expect(plan).not.toContain('"Node Type":"Sort"');
  }, 180_000);
});
