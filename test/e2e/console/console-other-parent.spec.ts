import { calendarDayIn, formatDateFr } from '@carepact/common';
import { TEST_PASSWORD, contractData, loginAgent, waitUntil } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { addEstablishment, addUser } from '../../integration/api/api-harness';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

const TODAY = calendarDayIn(new Date());
const TOMORROW = calendarDayIn(new Date(Date.now() + 86_400_000));

/**
 * C. civ. 373-2-1 al. 5 on the document page: where one parent alone signs by the judge's decision,
 * « Qui signera et pourquoi » says « À faire : informer l’autre parent » and « Information de l’autre
 * parent » records that he was (date, how, note): refused fields beside their inputs and in the
 * summary, then « Fait : Autre parent informé le … (courrier) par … », the history's French label;
 * nothing of it where the other parent died (C. civ. 373-1). axe 0 violations, 1280 and 320 px.
 */
describe('console: the other parent informed (C. civ. 373-2-1 al. 5)', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle | undefined;
  let judgmentDoc = '';
  let deceasedDoc = '';
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';

  beforeAll(async () => {
    h = await startConsoleHarness({ OUTBOX_POLL_MS: '100' });
    const api = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const minor = (firstName: string, soleAuthority: Record<string, string>) => ({
      establishmentId: h.org.establishmentId,
      firstName,
      lastName: 'Petit',
      birthDate: '2014-05-30',
      admissionDate: '2026-09-07',
      stayType: 'permanent',
      parentalAuthority: 'sole',
      parents: [{ firstName: 'Julie', lastName: 'Petit', email: `julie.${firstName.toLowerCase()}@example.org` }],
      soleAuthority,
    });
    const contract = async (residentId: string) =>
      (await api.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ minorView: 'Il souhaite rester près de sa mère.', minorViewFalc: 'Tu veux rester près de ta maman.' }) }).expect(202)).body
        .id as string;
    const enzo = (await api.post('/api/residents').send(minor('Enzo', { ground: 'judgment', proofReference: 'Jugement JAF, TJ de Valville, RG 24/01234', proofDate: '2024-03-12' })).expect(201)).body.id;
    const hugo = (await api.post('/api/residents').send(minor('Hugo', { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' })).expect(201)).body.id;
    judgmentDoc = await contract(enzo);
    deceasedDoc = await contract(hugo);
    worker = await startWorker(h.db.config, { probe: false });
    for (const id of [judgmentDoc, deceasedDoc]) await waitUntil('generated', async () => (await api.get(`/api/documents/${id}`)).body.status === 'ready', 60_000);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('« À faire », the refused form in French beside its fields, then « Fait » with the record; the history names it', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/documents/${judgmentDoc}`);
    const title = (await page.locator('h1').innerText()).trim();
    expect(await page.locator('#autre-parent').innerText()).toMatch(/^À faire : informer l’autre parent\. .*C\. civ\. 373-2-1 al\. 5\)\. Informez-le de l’admission et du document, sans lui demander de signer\./);
    expect(await page.locator('#autre-parent-a-faire').innerText()).toContain('aucune information de l’autre parent n’est enregistrée');
    await checkConsolePage(page, title);
    await page.locator('#autre-parent-informe').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/other-parent-to-do-1280.png`, fullPage: true });

    // A day to come, no way chosen, a control character in the note: every error at once, nothing written.
    await page.fill('#informedOn', TOMORROW);
    await page.fill('#note', 'Courrier\u0007 envoyé');
    await submitForm(page, 'Enregistrer l’information', { exact: true });
    const summary = page.locator('.error-summary');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#informedOn', '#how', '#note']);
    expect(await summary.locator('li').allInnerTexts()).toEqual([
      'Date de l’information : La date ne peut pas être dans le futur : indiquez le jour où l’autre parent a été informé.',
      'Comment l’autre parent a été informé : Indiquez comment l’autre parent a été informé.',
      'Remarque : Ce texte contient un caractère de contrôle interdit.',
    ]);
    expect(await page.locator('#informedOn-erreur').innerText()).toContain('La date ne peut pas être dans le futur');
    expect(await page.locator('#how-erreur').innerText()).toBe('Indiquez comment l’autre parent a été informé.');
    expect(await page.locator('#note-erreur').innerText()).toBe('Ce texte contient un caractère de contrôle interdit.');
    expect(await page.getAttribute('#informedOn', 'aria-describedby')).toBe('informedOn-aide informedOn-erreur');
    expect(await page.inputValue('#informedOn')).toBe(TOMORROW);
    expect(await h.count('SELECT count(*) AS n FROM other_parent_informed')).toBe(0);
    await checkConsolePage(page, `Erreur — ${title}`);
    await page.screenshot({ path: `${shots}/other-parent-errors-1280.png`, fullPage: true });

    await page.fill('#informedOn', TODAY);
    await page.check('#how-0');
    await page.fill('#note', 'Courrier recommandé avec accusé de réception.');
    await submitForm(page, 'Enregistrer l’information', { exact: true });
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${judgmentDoc}`);
    expect(await page.locator('.notice.success').first().innerText()).toContain('L’information de l’autre parent est enregistrée');
    const done = await page.locator('#autre-parent').innerText();
    expect(done).toMatch(new RegExp(`^Fait : Autre parent informé le ${formatDateFr(TODAY)} \\(courrier\\) par \\S.*\\.`));
    expect(done).not.toContain('À faire');
    const records = await page.locator('.other-parent-records li').allInnerTexts();
    expect(records).toEqual([expect.stringMatching(new RegExp(`^Autre parent informé le ${formatDateFr(TODAY)} \\(courrier\\) par .+ \\(version 1 du document ; enregistré le .+\\) : « Courrier recommandé avec accusé de réception\\. »$`))]);
    expect(await page.locator('#autre-parent-a-faire').count()).toBe(0);
    await checkConsolePage(page, title);
    await page.locator('#autre-parent').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/other-parent-done-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('#autre-parent-informe').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/other-parent-done-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    const [event] = (await h.app.get(DataSource).query(`SELECT payload FROM audit_events WHERE action = 'document.other_parent_informed' AND subject_id = $1`, [judgmentDoc])) as {
      payload: Record<string, unknown>;
    }[];
    expect(event.payload).toMatchObject({ informedOn: TODAY, how: 'courrier', noteSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(event.payload)).not.toContain('recommandé');

    await page.goto(`${h.url}/console/documents/${judgmentDoc}/historique`);
    const timeline = await page.locator('#chronologie + ol.timeline').innerText();
    expect(timeline).toContain('Autre parent informé du document (C. civ. 373-2-1 al. 5) : date et moyen enregistrés');
    expect(timeline).toContain(`Informé le ${formatDateFr(TODAY)} (courrier), avec une remarque (lisible sur la page du document).`);
    expect(timeline).not.toContain('document.other_parent_informed');
  }, 120_000);

  it('where the other parent died (C. civ. 373-1), nothing to inform; another establishment’s staff do not see the document (404)', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/documents/${deceasedDoc}`);
    expect(await page.locator('#qui-signe').count()).toBe(1);
    expect(await page.locator('#autre-parent').count()).toBe(0);
    expect(await page.locator('#autre-parent-informe').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain('373-2-1 al. 5');

    const other = await addEstablishment(h.app, h.org.organisationId, 'Autre');
    await addUser(h.app, h.org.organisationId, 'admissions.autre@example.org', [{ establishmentId: other, role: 'admissions' }]);
    const elsewhere = await h.newPage();
    await h.login(elsewhere, 'admissions.autre@example.org');
    const res = await elsewhere.goto(`${h.url}/console/documents/${judgmentDoc}`);
    expect(res?.status()).toBe(404);
  }, 60_000);
});
