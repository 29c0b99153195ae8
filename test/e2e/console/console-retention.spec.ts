import request from 'supertest';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { curatelleResident, focusedIdOnceSettled, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { addEstablishment, addUser } from '../../integration/api/api-harness';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm, csrfOf } from './console-harness';

/**
 * Issue 11 in the console, on the resident's file: the end of the accompaniment (the start of the
 * retention period) and the legal holds on the person, through RetentionService (its errors, its
 * audit events) — recorded, refused with the service's French errors beside the field and summed up,
 * cleared; a hold placed and lifted with a reason. A role without records.manage sees the date and
 * the hold, no form, and gets 403 on every POST. axe, one h1, French title, 320 px.
 */
describe('console: end of the accompaniment and legal holds on the resident file', () => {
  let h: ConsoleHarness;
  let residentId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const db = () => h.app.get(DataSource);
  const count = (sql: string, params: unknown[] = []) => h.count(sql, params);
  const departedOn = async () => ((await db().query(`SELECT departed_on::text AS d FROM residents WHERE id = $1`, [residentId])) as { d: string | null }[])[0].d;
  const audited = (action: string) => count(`SELECT count(*) AS n FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, residentId]);
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const checkPage = checkConsolePage;
  const section = (page: Page) => page.locator('section[aria-labelledby="conservation"]');
  const summaryLinks = (page: Page) => page.locator('.error-summary a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  const tomorrow = () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };

  it('an administrator records the end of the accompaniment (refused before admission and in the future, French errors), then clears it; audited', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/residents/${residentId}`);
    const s = section(page);
    expect(await s.locator('dd').first().textContent()).toBe('en cours');
    const text = (await s.textContent())!;
    // Projet personnalisé and comptes rendus: 10 years (C. civ. art. 2226, bodily injury), the rest 5 (art. 2224).
    expect(text).toContain('La fin de l’accompagnement fait courir la durée de conservation : le dossier de la personne est conservé 5 ans après cette date, ses documents de 5 ans à 10 ans selon leur type');
    expect(text).toContain('C. civ. art. 2224');
    expect(text).toContain('art. 2226');
    expect(text).toContain('délibération n° 2023-095');
    await checkPage(page, 'Dossier de Marcel Dupont');

    // Before the admission (15 October 2026): the service's error, beside the field and summed up; nothing written.
    await page.fill('#departedOn', '2026-10-01');
    await submit(page, 'Enregistrer la fin de l’accompagnement');
    expect(await page.title()).toBe('Erreur — Dossier de Marcel Dupont — CarePact');
    expect(await page.locator('.error-summary h2').textContent()).toBe('Rien n’a été enregistré : corrigez les champs signalés');
    expect(await summaryLinks(page)).toEqual([['#departedOn', 'Fin de l’accompagnement : La fin de l’accompagnement ne peut précéder l’admission.']]);
    expect(await page.textContent('#departedOn-erreur')).toBe('La fin de l’accompagnement ne peut précéder l’admission.');
    expect(await page.getAttribute('#departedOn', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#departedOn', 'aria-describedby')).toBe('departedOn-aide departedOn-erreur');
    expect(await page.inputValue('#departedOn')).toBe('2026-10-01');
    expect(await focusedIdOnceSettled(page, 'erreurs')).toBe('erreurs');
    await checkPage(page, 'Erreur — Dossier de Marcel Dupont');
    await page.locator('#departedOn').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/retention-departure-error.png` });

    // In the future.
    await page.fill('#departedOn', tomorrow());
    await submit(page, 'Enregistrer la fin de l’accompagnement');
    expect(await summaryLinks(page)).toEqual([['#departedOn', 'Fin de l’accompagnement : La fin de l’accompagnement ne peut être dans le futur.']]);
    expect(await page.textContent('#departedOn-erreur')).toBe('La fin de l’accompagnement ne peut être dans le futur.');
    expect(await departedOn()).toBeNull();
    expect(await audited('resident.departure_recorded')).toBe(0);

    // A right date: post → redirect → the file with the notice; the stay says it too.
    await page.fill('#departedOn', '2026-11-30');
    await submit(page, 'Enregistrer la fin de l’accompagnement');
    expect(new URL(page.url()).pathname).toBe(`/console/residents/${residentId}`);
    expect(new URL(page.url()).search).toBe('?fait=fin-enregistree');
    expect(await page.title()).toBe('Dossier de Marcel Dupont — CarePact');
    expect(await page.getByRole('status').textContent()).toContain('La fin de l’accompagnement a été enregistrée');
    expect(await section(page).locator('dd').first().textContent()).toBe('Parti le 30 novembre 2026');
    expect(await section(page).locator('dd').nth(1).textContent()).toBe('jusqu’au 30 novembre 2031 inclus');
    expect(await page.locator('section[aria-labelledby="sejour"]').textContent()).toContain('Fin de l’accompagnementParti le 30 novembre 2026');
    expect(await departedOn()).toBe('2026-11-30');
    expect(await audited('resident.departure_recorded')).toBe(1);
    await checkPage(page, 'Dossier de Marcel Dupont');
    await section(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/retention-departure-recorded.png` });

    // Accompanied again.
    await submit(page, 'Effacer la date : la personne est de nouveau accompagnée');
    expect(await page.getByRole('status').textContent()).toContain('La date de fin a été effacée : la personne est de nouveau accompagnée.');
    expect(await section(page).locator('dd').first().textContent()).toBe('en cours');
    expect(await page.getByRole('button', { name: 'Effacer la date : la personne est de nouveau accompagnée' }).count()).toBe(0);
    expect(await departedOn()).toBeNull();
    expect(await audited('resident.departure_recorded')).toBe(2);
    const events = (await db().query(`SELECT payload FROM audit_events WHERE action = 'resident.departure_recorded' AND subject_id = $1 ORDER BY seq`, [residentId])) as {
      payload: { departedOn: string | null; previous: string | null };
    }[];
    expect(events.map((e) => [e.payload.departedOn, e.payload.previous])).toEqual([
      ['2026-11-30', null],
      [null, '2026-11-30'],
    ]);
    // The refused forms answer 400 (as every console form that fails), which Chromium logs; nothing else.
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('an administrator places a hold (reason required), sees it with its reason and author, lifts it (reason required); audited and in the API', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/residents/${residentId}`);
    expect(await section(page).textContent()).toContain('Aucun gel sur cette personne.');

    await submit(page, 'Placer un gel');
    expect(await page.title()).toBe('Erreur — Dossier de Marcel Dupont — CarePact');
    expect(await summaryLinks(page)).toEqual([['#holdReason', 'Motif du gel : Motif requis : de 3 à 500 caractères.']]);
    expect(await page.textContent('#holdReason-erreur')).toBe('Motif requis : de 3 à 500 caractères.');
    expect(await count(`SELECT count(*) AS n FROM legal_holds`)).toBe(0);
    await checkPage(page, 'Erreur — Dossier de Marcel Dupont');

    await page.fill('#holdReason', 'Contentieux sur la facturation du séjour');
    await submit(page, 'Placer un gel');
    expect(await page.getByRole('status').textContent()).toContain('Le gel a été placé');
    const s = section(page);
    expect(await s.textContent()).toContain('Motif : Contentieux sur la facturation du séjour');
    expect(await s.textContent()).toContain('placé par administrator console');
    expect(await page.getByRole('button', { name: 'Placer un gel' }).count()).toBe(0);
    await checkPage(page, 'Dossier de Marcel Dupont');
    await s.locator('#gels').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/retention-hold-placed.png` });
    expect(await audited('legal_hold.placed')).toBe(1);
    const api = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    const holds = (await api.get('/api/legal-holds?active=1').expect(200)).body as { subjectId: string; reason: string }[];
    expect(holds.map((x) => [x.subjectId, x.reason])).toEqual([[residentId, 'Contentieux sur la facturation du séjour']]);
    const journal = (await api.get(`/api/audit/events?residentId=${residentId}&action=legal_hold.*`).expect(200)).body as { items?: { action: string }[] } | { action: string }[];
    const items = Array.isArray(journal) ? journal : (journal.items ?? []);
    expect(items.map((e) => e.action)).toContain('legal_hold.placed');

    // Lifting needs a reason too.
    await submit(page, 'Lever le gel');
    expect(await summaryLinks(page)).toEqual([['#liftReason', 'Motif de la levée du gel : Motif requis : de 3 à 500 caractères.']]);
    expect(await page.textContent('#liftReason-erreur')).toBe('Motif requis : de 3 à 500 caractères.');
    await checkPage(page, 'Erreur — Dossier de Marcel Dupont');
    await page.fill('#liftReason', 'Litige clos par un accord');
    await submit(page, 'Lever le gel');
    expect(await page.getByRole('status').textContent()).toContain('Le gel a été levé.');
    expect(await section(page).textContent()).toContain('Aucun gel sur cette personne.');
    expect(await count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NOT NULL AND lift_reason = 'Litige clos par un accord'`, [residentId])).toBe(1);
    expect(await audited('legal_hold.lifted')).toBe(1);
    // The refused forms answer 400 (as every console form that fails), which Chromium logs; nothing else.
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('admissions (no records.manage) sees the date and the hold, no form, and gets 403 on every POST; nothing changes', async () => {
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.put(`/api/residents/${residentId}/departure`).send({ departedOn: '2026-11-28' }).expect(200);
    const hold = (await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: residentId, reason: 'Enquête administrative en cours' }).expect(201)).body as { id: string };

    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`/console/residents/${residentId}`);
    const s = section(page);
    expect(await s.locator('dd').first().textContent()).toBe('Parti le 28 novembre 2026');
    expect(await s.locator('dd').nth(1).textContent()).toBe('jusqu’au 28 novembre 2031 inclus, prolongée tant que le gel est en place');
    expect(await s.textContent()).toContain('Gel en place depuis le');
    // The hold's reason and author are for records management only (as GET /api/legal-holds).
    expect(await s.textContent()).not.toContain('Enquête administrative');
    expect(await s.locator('form').count()).toBe(0);
    expect(await page.locator('#departedOn').count()).toBe(0);
    await checkPage(page, 'Dossier de Marcel Dupont');
    await s.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/retention-read-only.png` });
    await page.context().close();

    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: h.org.users.admissions.email, password: TEST_PASSWORD }).expect(303);
    const csrf = csrfOf((await agent.get(`/console/residents/${residentId}`).expect(200)).text);
    const base = `/console/residents/${residentId}`;
    await agent.post(`${base}/fin-accompagnement`).type('form').send({ _csrf: csrf, departedOn: '2026-11-29' }).expect(403);
    await agent.post(`${base}/fin-accompagnement/effacer`).type('form').send({ _csrf: csrf }).expect(403);
    await agent.post(`${base}/gels`).type('form').send({ _csrf: csrf, holdReason: 'Un motif suffisant' }).expect(403);
    await agent.post(`${base}/gels/${hold.id}/lever`).type('form').send({ _csrf: csrf, liftReason: 'Un motif suffisant' }).expect(403);
    expect(await departedOn()).toBe('2026-11-28');
    expect(await count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [residentId])).toBe(1);
    // Without the form's token, even an administrator's POST is refused.
    const adminConsole = request.agent(h.app.getHttpServer());
    const f2 = await adminConsole.get('/connexion').expect(200);
    await adminConsole.post('/connexion').type('form').send({ _csrf: csrfOf(f2.text), email: h.org.users.administrator.email, password: TEST_PASSWORD }).expect(303);
    const refused = await adminConsole.post(`${base}/fin-accompagnement/effacer`).type('form').send({ _csrf: 'faux' });
    expect(refused.status).toBe(403);
    expect(await departedOn()).toBe('2026-11-28');
    // A hold on another person is not lifted from this file, even by an administrator with the form's token.
    const otherId = (await admin.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
    const other = (await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: otherId, reason: 'Réclamation de la famille' }).expect(201)).body as { id: string };
    const adminCsrf = csrfOf((await adminConsole.get(base).expect(200)).text);
    await adminConsole.post(`${base}/gels/${other.id}/lever`).type('form').send({ _csrf: adminCsrf, liftReason: 'Un motif suffisant' }).expect(404);
    expect(await count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [otherId])).toBe(1);
  });
  it('a coordinator here who administers another establishment: no form on this file, and 403 on every POST (her establishment’s records manager only, as the API)', async () => {
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    const personId = (await admin.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
    const other = await addEstablishment(h.app, h.org.organisationId, 'Les Chênes');
    await addUser(h.app, h.org.organisationId, 'coordinatrice-admin@chenes.test', [
      { establishmentId: h.org.establishmentId, role: 'coordinator' },
      { establishmentId: other, role: 'administrator' },
    ]);
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: 'coordinatrice-admin@chenes.test', password: TEST_PASSWORD }).expect(303);
    const base = `/console/residents/${personId}`;
    const page = await agent.get(base).expect(200);
    expect(page.text).not.toContain('id="departedOn"');
    expect(page.text).not.toContain('Placer un gel');
    // And she is told who records it (the newcomer's review of session 17).
    expect(page.text).toContain('est enregistrée par un administrateur de l’établissement');
    const csrf = csrfOf(page.text);
    await agent.post(`${base}/fin-accompagnement`).type('form').send({ _csrf: csrf, departedOn: '2026-11-29', cancelOpenRequests: 'oui' }).expect(403);
    await agent.post(`${base}/gels`).type('form').send({ _csrf: csrf, holdReason: 'Un motif suffisant' }).expect(403);
    await agent.post(`${base}/archive/ouvrir`).type('form').send({ _csrf: csrf, archiveReason: 'Un motif suffisant' }).expect(403);
    expect(((await db().query(`SELECT departed_on FROM residents WHERE id = $1`, [personId])) as { departed_on: string | null }[])[0].departed_on).toBeNull();
    expect(await count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1`, [personId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE subject_id = $1 AND action = 'resident.departure_recorded'`, [personId])).toBe(0);
  });
});
