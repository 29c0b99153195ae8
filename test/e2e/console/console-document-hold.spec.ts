import request from 'supertest';
import type { Page } from 'playwright-core';
import { contractData, curatelleResident, loginAgent, TEST_PASSWORD } from '@carepact/testing';
import { addEstablishment, addUser } from '../../integration/api/api-harness';
import { checkConsolePage, ConsoleHarness, csrfOf, startConsoleHarness, submitForm } from './console-harness';

/**
 * A legal hold on one document, from its page (RGPD art. 18.1.c): before, only the API could place
 * one (the Conservation page said « pour un document, par l’API »). An administrator places it
 * (reason required, the service's French error tied to the field), sees it with its reason and
 * author, finds it named on the Conservation page, lifts it (reason required); each step audited.
 * A hold on the person's file shows on her documents' pages, to whom may read her file. A role without records.manage sees
 * the hold, no form, and gets 403 on both POSTs. axe, one h1, French title, 320 px.
 */
describe('console: a legal hold on a document, from its page', () => {
  let h: ConsoleHarness;
  let residentId: string;
  let documentId: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  const title = 'Contrat de séjour de Marcel Dupont';
  beforeAll(async () => {
    h = await startConsoleHarness();
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.org.establishmentId)).expect(201)).body.id as string;
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const section = (page: Page) => page.locator('section[aria-labelledby="conservation"]');
  const audited = (action: string) => h.count(`SELECT count(*) AS n FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, documentId]);
  const submit = (page: Page, name: string) => submitForm(page, name, { exact: true });
  const summaryLinks = (page: Page) => page.locator('.error-summary a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));

  it('an administrator places a hold on the document (reason required), sees it, finds it named on the Conservation page, lifts it; audited', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/documents/${documentId}`);
    expect(await section(page).textContent()).toContain('Aucun gel sur ce document.');
    await checkConsolePage(page, title);

    // No reason: the service's error, summed up with a link to the field and beside it; nothing written.
    await submit(page, 'Placer un gel');
    expect(await page.title()).toBe(`Erreur — ${title} — CarePact`);
    expect(await summaryLinks(page)).toEqual([['#holdReason', 'Motif requis : de 3 à 500 caractères.']]);
    expect(await page.textContent('#holdReason-erreur')).toBe('Motif requis : de 3 à 500 caractères.');
    expect(await page.getAttribute('#holdReason', 'aria-invalid')).toBe('true');
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds`)).toBe(0);
    await checkConsolePage(page, `Erreur — ${title}`);

    await page.fill('#holdReason', 'Contestation du contrat devant le juge');
    await submit(page, 'Placer un gel');
    expect(await page.getByRole('status').first().textContent()).toContain('Le gel a été placé : ce document ne peut pas être supprimé tant qu’il n’est pas levé.');
    const s = section(page);
    expect(await s.textContent()).toContain('Motif : Contestation du contrat devant le juge');
    expect(await s.textContent()).toContain('placé par administrator console');
    expect(await s.textContent()).toContain('Gel en place sur ce document depuis le');
    expect(await s.textContent()).toContain('il ne peut pas être supprimé tant qu’il n’est pas levé');
    expect(await page.getByRole('button', { name: 'Placer un gel' }).count()).toBe(0);
    await checkConsolePage(page, title);
    await s.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/document-hold-placed.png` });
    expect(await audited('legal_hold.placed')).toBe(1);
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds WHERE subject_type = 'document' AND subject_id = $1 AND lifted_at IS NULL`, [documentId])).toBe(1);

    // The Conservation page names it by its type and person, linked to this page.
    await page.goto('/console/conservation');
    expect(await page.locator(`a[href="/console/documents/${documentId}"]`).textContent()).toBe(title);
    expect(await page.textContent('body')).toContain('depuis la page du document pour un document seul');

    // Lifting needs a reason too.
    await page.goto(`/console/documents/${documentId}`);
    await submit(page, 'Lever le gel');
    expect(await summaryLinks(page)).toEqual([['#liftReason', 'Motif requis : de 3 à 500 caractères.']]);
    expect(await page.textContent('#liftReason-erreur')).toBe('Motif requis : de 3 à 500 caractères.');
    await checkConsolePage(page, `Erreur — ${title}`);
    await page.fill('#liftReason', 'Jugement rendu, appel expiré');
    await submit(page, 'Lever le gel');
    expect(await page.getByRole('status').first().textContent()).toContain('Le gel a été levé.');
    expect(await section(page).textContent()).toContain('Aucun gel sur ce document.');
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lift_reason = 'Jugement rendu, appel expiré'`, [documentId])).toBe(1);
    expect(await audited('legal_hold.lifted')).toBe(1);
    // The refused forms answer 400 (as every console form that fails), which Chromium logs; nothing else.
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('a hold on the person shows on her document (not to the auditor, who does not read files); admissions sees the holds, no form, and gets 403 on both POSTs', async () => {
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    await admin.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: residentId, reason: 'Enquête administrative en cours' }).expect(201);
    const hold = (await admin.post('/api/legal-holds').send({ subjectType: 'document', subjectId: documentId, reason: 'Contentieux sur ce contrat' }).expect(201)).body as { id: string };

    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`/console/documents/${documentId}`);
    const s = section(page);
    const text = (await s.textContent())!;
    expect(text).toContain('Gel en place sur le dossier de la personne depuis le');
    expect(text).toContain('ni son dossier ni ses documents, celui-ci compris, ne peuvent être supprimés tant qu’il n’est pas levé');
    expect(await s.locator(`a[href="/console/residents/${residentId}#gels"]`).textContent()).toBe('voir son dossier');
    expect(text).toContain('Gel en place sur ce document depuis le');
    // Reasons and authors are for records management only (as GET /api/legal-holds).
    expect(text).not.toContain('Contentieux sur ce contrat');
    expect(text).not.toContain('Enquête administrative');
    expect(await s.locator('form').count()).toBe(0);
    await checkConsolePage(page, title);
    await s.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/document-hold-read-only.png` });
    await page.context().close();

    // The auditor reads documents, not residents' files: the document's hold, not the person's.
    const auditor = await h.newPage();
    await h.login(auditor, h.org.users.auditor.email);
    await auditor.goto(`/console/documents/${documentId}`);
    const seen = (await section(auditor).textContent())!;
    expect(seen).toContain('Gel en place sur ce document depuis le');
    expect(seen).not.toContain('dossier de la personne');
    await auditor.context().close();

    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email: h.org.users.admissions.email, password: TEST_PASSWORD }).expect(303);
    const csrf = csrfOf((await agent.get(`/console/documents/${documentId}`).expect(200)).text);
    const base = `/console/documents/${documentId}`;
    await agent.post(`${base}/gels`).type('form').send({ _csrf: csrf, holdReason: 'Un motif suffisant' }).expect(403);
    await agent.post(`${base}/gels/${hold.id}/lever`).type('form').send({ _csrf: csrf, liftReason: 'Un motif suffisant' }).expect(403);
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [documentId])).toBe(1);
    // A hold of another subject is not lifted from this page, even by an administrator.
    const adminConsole = request.agent(h.app.getHttpServer());
    const f2 = await adminConsole.get('/connexion').expect(200);
    await adminConsole.post('/connexion').type('form').send({ _csrf: csrfOf(f2.text), email: h.org.users.administrator.email, password: TEST_PASSWORD }).expect(303);
    const adminCsrf = csrfOf((await adminConsole.get(base).expect(200)).text);
    const active = (await admin.get('/api/legal-holds?active=1').expect(200)).body as { id: string; subjectId: string }[];
    const personHoldId = active.find((x) => x.subjectId === residentId)!.id;
    await adminConsole.post(`${base}/gels/${personHoldId}/lever`).type('form').send({ _csrf: adminCsrf, liftReason: 'Un motif suffisant' }).expect(404);
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [residentId])).toBe(1);
  });
  it('a coordinator here who administers another establishment: no hold form on the document, 403 on both POSTs, and the Conservation page does not list its hold (the code review of session 18)', async () => {
    const other = await addEstablishment(h.app, h.org.organisationId, 'Les Chênes');
    await addUser(h.app, h.org.organisationId, 'coord-admin@chenes.test', [
      { establishmentId: h.org.establishmentId, role: 'coordinator' },
      { establishmentId: other, role: 'administrator' },
    ]);
    const login = async (email: string) => {
      const agent = request.agent(h.app.getHttpServer());
      const form = await agent.get('/connexion').expect(200);
      await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), email, password: TEST_PASSWORD }).expect(303);
      return agent;
    };
    const agent = await login('coord-admin@chenes.test');
    const base = `/console/documents/${documentId}`;
    const page = await agent.get(base).expect(200);
    expect(page.text).not.toContain('Placer un gel');
    const csrf = csrfOf(page.text);
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    const active = (await admin.get('/api/legal-holds?active=1').expect(200)).body as { id: string; subjectId: string }[];
    const documentHold = active.find((x) => x.subjectId === documentId)!;
    await agent.post(`${base}/gels`).type('form').send({ _csrf: csrf, holdReason: 'Un motif suffisant' }).expect(403);
    await agent.post(`${base}/gels/${documentHold.id}/lever`).type('form').send({ _csrf: csrf, liftReason: 'Un motif suffisant' }).expect(403);
    expect(await h.count(`SELECT count(*) AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [documentId])).toBe(1);
    // The Conservation page: the establishment's administrator sees the hold and its reason, she does not.
    expect((await (await login(h.org.users.administrator.email)).get('/console/conservation').expect(200)).text).toContain('Contentieux sur ce contrat');
    const conservation = (await agent.get('/console/conservation').expect(200)).text;
    expect(conservation).not.toContain('Contentieux sur ce contrat');
    expect(conservation).not.toContain(documentId);
  });
});
