import { formatDateFr } from '@carepact/common';
import { addDaysIso } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, axeViolations, curatelleResident, libertyAnnexData, loginAgent, pageBasics } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * « À faire » → « Réévaluer l’annexe liberté d’aller et venir » (CASF L.311-4-1 I): the link opens the
 * new-document form of an avenant prefilled from the annex in force — the resident's latest SIGNED
 * annex —, not from whichever avenant came after it (here an accompaniment avenant signed since, and
 * an annex draft never signed). What the new collegial procedure establishes afresh (dates, opinions)
 * is left empty; the measures stay to be reviewed. In Chromium, axe-core, a picture in /tmp.
 */
describe('console: « Réévaluer » the liberty annex prefills from the signed annex in force', () => {
  let h: ConsoleHarness;
  let residentId: string;
  const today = todayIso();

  beforeAll(async () => {
    h = await startConsoleHarness();
    const agent = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const res = await agent.post('/api/residents').send({ ...curatelleResident(h.org.establishmentId), firstName: 'Lucie', lastName: 'Réévaluée', email: null });
    expect(res.status).toBe(201);
    residentId = res.body.id as string;
    const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<{ id: string }[]>;
    const doc = async (type: string, status: string, daysAgo: number, document: Record<string, unknown>) => {
      const at = `${addDaysIso(today, -daysAgo)}T09:00:00Z`;
      const [d] = await sql(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [h.org.organisationId, h.org.establishmentId, residentId, type, status, at],
      );
      const [v] = await sql(
        `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
         VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.4.0', 'h', 'r', $4, $5, $6) RETURNING id`,
        [h.org.organisationId, d.id, type, JSON.stringify({ document }), `hash-${type}-${daysAgo}`, at],
      );
      await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1 RETURNING id`, [d.id, v.id]);
    };
    const annexDay = addDaysIso(today, -170);
    await doc('contrat-sejour', 'signed', 200, { startDate: addDaysIso(today, -200) });
    // The annex in force, to review within ten days.
    await doc('avenant', 'signed', 170, libertyAnnexData(annexDay, addDaysIso(today, -200), { nextReview: addDaysIso(today, 10) }));
    // Since: an accompaniment avenant, signed (the latest avenant), and an annex started but never signed (cancelled).
    await doc('avenant', 'signed', 100, { purpose: 'accompagnement', appliesTo: 'contrat-sejour', objectives: ['Marcher chaque jour jusqu’au jardin.'] });
    await doc('avenant', 'cancelled', 50, libertyAnnexData(addDaysIso(today, -50), addDaysIso(today, -200), { libertyAnnex: { measures: [{ measure: 'Brouillon jamais signé' }] } }));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the link carries the annex’s purpose; the form starts from the signed annex, dates and opinions to establish again — axe', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    const liberty = page.locator('.todo-section', { has: page.getByRole('heading', { name: /^Annexes liberté d’aller et venir à réévaluer/ }) });
    const link = liberty.locator('li.todo a', { hasText: 'Lucie Réévaluée' });
    expect(await link.textContent()).toBe(`Lucie Réévaluée — Réévaluer l’annexe liberté d’aller et venir avant le ${formatDateFr(addDaysIso(today, 10))}`);
    expect(await link.getAttribute('href')).toBe(`/console/residents/${residentId}/documents/nouveau?type=avenant&objet=liberte-aller-venir`);
    await Promise.all([page.waitForNavigation(), link.click()]);

    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', h1: 1, overflowX: false });
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Réévaluation : prérempli avec l’annexe sur la liberté d’aller et venir signée en vigueur');
    expect(main).toContain(`créée le ${formatDateFr(addDaysIso(today, -170))}`);
    // The annex's purpose and its measure, not the accompaniment avenant's objectives nor the unsigned draft.
    expect(await page.locator('select#purpose').inputValue()).toBe('liberte-aller-venir');
    expect(await page.locator('#libertyAnnex-measures-0-measure').inputValue()).toBe('Port d’un bracelet d’alerte qui prévient l’équipe quand la personne franchit le portail.');
    expect(await page.locator('#libertyAnnex-collegialProcedure-initiatorName').inputValue()).toBe('Dr Sophie Lemaire');
    expect(await page.content()).not.toContain('Marcher chaque jour jusqu’au jardin.');
    expect(await page.content()).not.toContain('Brouillon jamais signé');
    // What the new procedure establishes: empty.
    for (const id of ['issuedOn', 'nextReview', 'libertyAnnex-examination-on', 'libertyAnnex-collegialProcedure-on']) expect({ id, value: await page.locator(`#${id}`).inputValue() }).toEqual({ id, value: '' });
    expect(await page.locator('#libertyAnnex-residentOpinion-expression').inputValue()).toBe('');

    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/liberty-review-prefill.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/liberty-review-top.png' });
    await page.locator('#libertyAnnex-measures-0-measure').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/liberty-review-measures.png' });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false });
    expect(await axeViolations(page)).toEqual([]);
    expect(page.problems).toEqual([]);
    await page.context().close();
  });
});
