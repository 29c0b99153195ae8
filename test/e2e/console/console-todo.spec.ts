import { formatDateFr } from '@carepact/common';
import { addDaysIso } from '@carepact/signing';
import { TEST_PASSWORD, axeViolations, curatelleResident, loginAgent, pageBasics } from '@carepact/testing';
import { ConsolePageCache } from '../../../apps/api/src/console/cache/console-page-cache';
import { addEstablishment, addUser } from '../../integration/api/api-harness';
import { WorklistFixture, seedWorklist } from '../../integration/worklist/worklist-fixtures';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * Issue 10, item 1: « À faire », the console's landing page, with data in every category, in
 * Chromium: per establishment, overdue first, French dates, links to the resident and document
 * pages; axe-core, keyboard, 320 px. The auditor lands on what their role allows, with no care detail.
 */
describe('console: À faire (issue 10, item 1)', () => {
  let h: ConsoleHarness;
  let f: WorklistFixture;
  beforeAll(async () => {
    h = await startConsoleHarness();
    f = await seedWorklist(h.app, h.org.users.administrator, h.org.establishmentId, h.org.organisationId);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('admissions see what is to be done, overdue first, with dates in French and links — axe, keyboard, 320 px', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    expect(new URL(page.url()).pathname).toBe('/console');
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'À faire — CarePact', h1: 1 });
    expect(await page.locator('h1').textContent()).toBe('À faire');
    expect(await page.getByRole('heading', { level: 2, name: 'EHPAD console' }).count()).toBe(1);
    const summary = await page.locator('.todo-establishment > p').first().textContent();
    expect(summary).toMatch(/^\d+ choses à faire, dont \d+ en retard\.$/);

    // Every category has its section; the first ones hold overdue items, each marked in words.
    const headings = await page.locator('.todo-section h3').allTextContents();
    for (const title of [
      'Signatures de l’établissement attendues',
      'Refus de signer à traiter',
      'Questions des signataires',
      'Contrats de séjour ou DIPC à établir',
      'Contrats à remettre ou à faire signer',
      'Signatures attendues',
      'Mesures de protection à échéance',
      'Premiers avenants à conclure',
      'Annexes liberté d’aller et venir à réévaluer',
      'Documents à remettre en main propre',
      'Projets personnalisés à formaliser ou à réviser',
      'Générations échouées',
    ])
      expect(headings.some((x) => x.startsWith(title))).toBe(true);
    expect(headings[0]).toMatch(/dont \d+ en retard\)$/);
    const missing = page.locator('.todo-section', { has: page.getByRole('heading', { name: /^Contrats de séjour ou DIPC à établir/ }) });
    const first = missing.locator('li.todo').first();
    expect(await first.locator('.tag-late').textContent()).toBe('En retard');
    // The oldest overdue first: Fanny (refused 30 days after admission) before Alice (20 days).
    expect(await missing.locator('li.todo a').allTextContents()).toEqual([
      'Fanny Refus — DIPC à établir (contrat de séjour refusé)',
      'Alice Sanscontrat — Contrat de séjour à établir',
      'Bruno Nouveau — Contrat de séjour à établir',
    ]);
    const alice = missing.locator('li.todo', { hasText: 'Alice Sanscontrat' });
    expect(await alice.locator('a').getAttribute('href')).toBe(`/console/residents/${f.residents.noContractLate}`);
    expect(await alice.locator('.todo-dates').textContent()).toContain(`À remettre avant le${formatDateFr(addDaysIso(f.today, -5))}`);
    const countersign = page.locator('li.todo', { hasText: 'Émile Contresigne' }).first();
    expect(await countersign.locator('a').getAttribute('href')).toBe(`/console/documents/${f.documents.countersign}`);
    expect(await countersign.textContent()).toContain(`Prêt depuis le${formatDateFr(addDaysIso(f.today, -1))}`);
    expect(await page.locator('main').textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // The annex on the freedom to come and go (CASF L.311-4-1 I): the overdue one first, a link to the new-document form.
    const liberty = page.locator('.todo-section', { has: page.getByRole('heading', { name: /^Annexes liberté d’aller et venir à réévaluer/ }) });
    expect(await liberty.locator('li.todo a').allTextContents()).toEqual([
      `Inès Échue — Réévaluer l’annexe liberté d’aller et venir avant le ${formatDateFr(addDaysIso(f.today, -4))}`,
      `Hugo Mesure — Réévaluer l’annexe liberté d’aller et venir avant le ${formatDateFr(addDaysIso(f.today, 12))}`,
    ]);
    expect(await liberty.locator('li.todo a').first().getAttribute('href')).toBe(`/console/residents/${f.residents.measureExpired}/documents/nouveau?type=avenant&objet=liberte-aller-venir`);
    // The contract to hand over in person (CASF D.311 III): the link reaches the document page's handover block.
    const handover = page.locator('li.todo', { hasText: 'à remettre en main propre à Hugo Mesure' });
    expect(await handover.locator('a').getAttribute('href')).toBe(`/console/documents/${f.documents.measureSoonContract}#remise-${f.requests.handover}`);
    await handover.locator('a').click();
    await page.waitForURL(/#remise-/);
    expect(await page.locator(`#remise-${f.requests.handover}`).textContent()).toBe('Remise du document (CASF D.311 III)');
    expect(await page.locator('.handover').textContent()).toContain('À remettre en main propre');
    await page.goBack();

    expect(await axeViolations(page)).toEqual([]);
    // Keyboard: from the skip link, Tab reaches the first thing to do.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    let reached = false;
    for (let i = 0; i < 5 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.closest('li.todo') !== null)) === true;
    }
    expect(reached).toBe(true);
    const focusedHref = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute('href'));
    expect(focusedHref).toMatch(/^\/console\/(residents|documents)\/[0-9a-f-]{36}$/);

    await page.screenshot({ path: '/tmp/todo-a-faire.png', fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false, h1: 1 });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/todo-a-faire-320.png', fullPage: true });
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it('the auditor lands on what the role allows — the audit log — with no resident named', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.auditor.email);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'Accueil — CarePact', h1: 1 });
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Votre rôle d’audit sert à vérifier');
    expect(await page.getByRole('link', { name: 'Vérifier l’intégrité du journal d’audit' }).getAttribute('href')).toBe('/console/journal#verifier');
    for (const name of ['Sanscontrat', 'Contresigne', 'Curatelle', 'À faire']) expect(text).not.toContain(name);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/todo-auditeur.png', fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false });
    await page.context().close();
  });

  it('follows every audited change at once although the page is kept between changes (page cache)', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    const cache = h.app.get(ConsolePageCache);
    const todo = async () => {
      await page.goto('/console');
      return (await page.locator('main').textContent()) ?? '';
    };
    expect(await todo()).not.toContain('Gaston Arrivant');
    const search = async () => {
      await page.goto('/console/residents?q=arrivant');
      return (await page.locator('main').textContent()) ?? '';
    };
    expect(await search()).toContain('Aucun résident ne correspond à cette recherche.');
    const before = cache.stats;
    await todo();
    // Nothing changed: the worklist was not computed again.
    expect(cache.stats.hits).toBe(before.hits + 1);
    expect(cache.stats.misses).toBe(before.misses);

    // A resident admitted 20 days ago without a contract, created through the API (audited).
    const agent = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    const created = await agent
      .post('/api/residents')
      .send({ ...curatelleResident(h.org.establishmentId), firstName: 'Gaston', lastName: 'Arrivant', admissionDate: addDaysIso(f.today, -20), email: null, protectionMeasure: null });
    expect(created.status).toBe(201);
    expect(await todo()).toContain('Gaston Arrivant — Contrat de séjour à établir');
    // The residents list (kept the same way) finds him too.
    expect(await search()).toContain('Arrivant Gaston');
    // Another member of staff with the same roles sees it too (the part is shared by roles).
    const other = await h.newPage();
    await h.login(other, h.org.users.admissions.email);
    expect(await other.locator('main').textContent()).toContain('Gaston Arrivant');
    // He leaves (planned end yesterday, a temporary stay): gone from the list at the next view.
    const left = await agent.patch(`/api/residents/${created.body.id}`).send({ stayType: 'temporary', plannedEndDate: addDaysIso(f.today, -1) });
    expect(left.status).toBe(200);
    expect(await todo()).not.toContain('Gaston Arrivant');
    await other.context().close();
    await page.context().close();
  });

  it('an establishment with nothing to do says so (empty state: axe, 320 px)', async () => {
    const empty = await addEstablishment(h.app, h.org.organisationId, 'vide');
    await addUser(h.app, h.org.organisationId, 'admissions.vide@example.test', [{ establishmentId: empty, role: 'admissions' }]);
    const page = await h.newPage();
    await h.login(page, 'admissions.vide@example.test');
    expect(await page.locator('h1').textContent()).toBe('À faire');
    expect(await page.locator('.todo-establishment > p').first().textContent()).toBe('Rien à faire pour le moment.');
    expect(await page.locator('li.todo').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false, h1: 1 });
    await page.context().close();
  });
});
