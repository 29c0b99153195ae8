import { DataSource } from 'typeorm';
import { sha256Hex } from '@carepact/common';
import type { Page } from 'playwright-core';
import { PortalClient, TEST_PASSWORD, contractData, curatelleResident, focusedIdOnceSettled, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ConsoleHarness, checkConsolePage, startConsoleHarness } from './console-harness';

/**
 * What an outside newcomer / accessibility review found in the console (items 1, 2, 5, 7, 8, 9),
 * in Debian's Chromium on the real api and worker: the focus after « Retirer » (WCAG 2.4.3), a
 * confirmation with a reason before a signature request is cancelled, every error of the resident
 * form in one round (console and API), the deadline hint once the legal deadline is past, French
 * pages for mistyped addresses, the resident's language in words.
 */
describe('console: newcomer review (focus, cancel confirmation, errors at once, deadline hint, 404, language)', () => {
  let h: ConsoleHarness;
  let worker: WorkerHandle | undefined;
  let admissionsApi: Awaited<ReturnType<typeof loginAgent>>;
  let residentId = '';
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp/newcomer-review';
  const db = () => h.app.get(DataSource);

  beforeAll(async () => {
    h = await startConsoleHarness({ OUTBOX_POLL_MS: '100' });
    admissionsApi = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    // Marcel's file without his curatelle: he signs alone, then the director countersigns.
    const { protectionMeasure: _m, ...adult } = curatelleResident(h.org.establishmentId);
    residentId = (await admissionsApi.post('/api/residents').send(adult).expect(201)).body.id as string;
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const loggedIn = async (role: 'admissions' | 'director'): Promise<Page & { problems: string[] }> => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users[role].email);
    return page;
  };

  it('item 1: « Retirer » puts the focus on the row that took its place, or on the list when none is left — never on the page', async () => {
    const page = await loggedIn('admissions');
    await page.goto(`/console/residents/${residentId}/documents/nouveau?type=contrat-sejour`);
    await page.fill('#objectives-0', 'Premier objectif');
    await Promise.all([page.waitForNavigation(), page.locator('button[value="add:objectives"]').click()]);
    await page.keyboard.type('Deuxième objectif');
    // By keyboard, as the review did: Tab from « Objectif 1 » to its « Retirer », Enter.
    await page.focus('#objectives-0');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Retirer : Objectif 1');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await focusedIdOnceSettled(page, 'objectives-0')).toBe('objectives-0');
    expect(await page.inputValue('#objectives-0')).toBe('Deuxième objectif');
    await page.screenshot({ path: `${shots}/remove-row-focus.png` });
    // The last row removed: the list's group takes the focus.
    await page.focus('#objectives-0');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await focusedIdOnceSettled(page, 'objectives')).toBe('objectives');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('FIELDSET');
    await page.screenshot({ path: `${shots}/remove-last-row-focus.png` });
    expect(page.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });

  it('items 7 and 2: the deadline hint once the legal deadline is past; « Annuler la demande » asks for confirmation and a reason, names who signed, records the reason', async () => {
    const documentId = (await admissionsApi.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissionsApi.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);

    // 7. Admission on 15 October 2026: the legal deadline (one month, CASF D.311) is past.
    const page = await loggedIn('admissions');
    await page.goto(`/console/documents/${documentId}`);
    const hint = await page.locator('#send-deadline-aide, #deadline-aide, [id$="deadline-aide"]').first().innerText();
    expect(hint).toContain('Le délai légal est déjà dépassé (depuis le 15 novembre 2026)');
    expect(hint).not.toContain('jamais après le délai légal');
    await page.locator('form[action$="/envoyer"]').screenshot({ path: `${shots}/send-form-late-hint.png` });

    // 2. Sent (late, with its reason); Marcel signs in person on the tablet.
    const view = (await admissionsApi.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Dossier complété tardivement' }).expect(201)).body as { id: string; signers: { id: string; role: string }[] };
    const marcel = view.signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissionsApi.post(`/api/signature-requests/${view.id}/signers/${marcel.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(h.url);
    await portal.open(h.url + new URL(url).pathname);
    expect((await portal.sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);

    await page.goto(`/console/documents/${documentId}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Annuler la demande de signature' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${documentId}/demandes/${view.id}/annuler`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Marcel Dupont (en son nom propre) a déjà signé : sa signature ne comptera plus ; il faudra signer à nouveau la prochaine demande');
    expect(text).toContain('personne ne pourra plus signer cette demande');
    await checkConsolePage(page, 'Annuler la demande de signature — Contrat de séjour');
    await page.screenshot({ path: `${shots}/cancel-confirmation.png`, fullPage: true });
    // Nothing is cancelled by the first click.
    const status = async () => ((await db().query(`SELECT status FROM signature_requests WHERE id = $1`, [view.id])) as { status: string }[])[0].status;
    expect(await status()).toBe('active');

    // Without a reason: the same page, the error beside the field and summed up, still nothing cancelled.
    const [noReason] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Confirmer l’annulation' }).click()]);
    expect(noReason!.status()).toBe(400);
    expect(await focusedIdOnceSettled(page, 'erreurs')).toBe('erreurs');
    expect(await page.locator('#reason-erreur').innerText()).toBe('Indiquez pourquoi la demande de signature est annulée.');
    await checkConsolePage(page, 'Erreur — Annuler la demande de signature — Contrat de séjour');
    await page.screenshot({ path: `${shots}/cancel-confirmation-error.png`, fullPage: true });
    expect(await status()).toBe('active');

    await page.fill('#reason', 'Erreur sur le tarif : le contrat sera corrigé puis renvoyé.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Confirmer l’annulation' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${documentId}`);
    expect(await page.locator('main').innerText()).toContain('La demande de signature est annulée');
    expect(await status()).toBe('cancelled');
    // The reason is on the request's event; the audit chain, never purged, keeps its SHA-256 (security review, session 15).
    const audit = (await db().query(`SELECT payload FROM audit_events WHERE action = 'signature.cancelled' AND subject_id = $1`, [view.id])) as { payload: { reason?: string; reasonSha256?: string } }[];
    expect(audit.map((a) => [a.payload.reason, a.payload.reasonSha256])).toEqual([[undefined, sha256Hex('Erreur sur le tarif : le contrat sera corrigé puis renvoyé.')]]);
    const event = (await db().query(`SELECT details->>'reason' AS reason FROM signature_events WHERE kind = 'cancelled' AND request_id = $1`, [view.id])) as { reason: string }[];
    expect(event.map((e) => e.reason)).toEqual(['Erreur sur le tarif : le contrat sera corrigé puis renvoyé.']);
    await page.goto(`/console/documents/${documentId}/historique`);
    expect(await page.locator('ol.timeline').innerText()).toContain('Raison de l’annulation : Erreur sur le tarif : le contrat sera corrigé puis renvoyé.');
    await page.locator('ol.timeline li', { hasText: 'Raison de l’annulation' }).screenshot({ path: `${shots}/history-cancel-reason.png` });

    // The JSON API stays as programs know it: the reason is optional there (and recorded when given).
    const again = (await admissionsApi.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Renvoi après correction' }).expect(201)).body as { id: string };
    expect((await admissionsApi.post(`/api/signature-requests/${again.id}/cancel`)).status).toBe(200);
    const third = (await admissionsApi.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Renvoi après correction' }).expect(201)).body as { id: string };
    await admissionsApi.post(`/api/signature-requests/${third.id}/cancel`).send({ reason: 'Envoyé par erreur' }).expect(200);
    const reasons = (await db().query(`SELECT subject_id, payload->>'reasonSha256' AS reason FROM audit_events WHERE action = 'signature.cancelled' AND subject_id = ANY($1::text[])`, [[again.id, third.id]])) as { subject_id: string; reason: string | null }[];
    expect(Object.fromEntries(reasons.map((r) => [r.subject_id, r.reason]))).toEqual({ [again.id]: null, [third.id]: sha256Hex('Envoyé par erreur') });
  }, 180_000);

  it('item 5: the resident form reports every problem in one round — format errors and the file’s rules — in the console and the API', async () => {
    const page = await loggedIn('admissions');
    await page.goto('/console/residents/nouveau');
    await page.fill('#firstName', 'Émile');
    await page.fill('#lastName', 'Zola 😀');
    await page.fill('#birthDate', '2030-01-01');
    await page.fill('#admissionDate', '2026-11-02');
    await page.check('#stayType-1');
    await page.fill('#email', 'emile@');
    await page.fill('#preferences-language', 'français');
    await page.selectOption('#protectionMeasure-type', 'tutelle');
    await page.check('#protectionMeasure-mode-1');
    const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer le dossier' }).click()]);
    expect(res!.status()).toBe(400);
    const summary = await page.locator('#erreurs').innerText();
    const anchors = await page.locator('#erreurs li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // Format errors (name, e-mail, language) and rule errors (birth date, end of stay, the tutelle's holder) together.
    for (const anchor of ['#lastName', '#email', '#preferences-language', '#birthDate', '#plannedEndDate', '#protectionMeasure-holders']) expect(anchors).toContain(anchor);
    expect(summary).toContain('Indiquez un code de langue à deux lettres, par exemple fr');
    expect(summary).toContain('La date de naissance ne peut pas être dans le futur.');
    expect(summary).toContain('Un séjour temporaire doit avoir une date de fin prévue.');
    expect(summary).toContain('Indiquez la personne qui exerce la mesure.');
    await page.locator('#erreurs').screenshot({ path: `${shots}/resident-form-all-errors.png` });
    await page.locator('#preferences-language').locator('xpath=..').screenshot({ path: `${shots}/resident-form-language-error.png` });

    const api = await admissionsApi.post('/api/residents').send({
      establishmentId: h.org.establishmentId,
      firstName: 'Émile',
      lastName: 'Zola 😀',
      birthDate: '2030-01-01',
      admissionDate: '2026-11-02',
      stayType: 'temporary',
      email: 'emile@',
      preferences: { language: 'français' },
      protectionMeasure: { type: 'tutelle', mode: 'representation', scope: ['personne', 'biens'], general: true, judgmentDate: '2025-01-10', endDate: '2030-01-10' },
    });
    expect(api.status).toBe(400);
    const fields = (api.body.error.details as { field: string; code: string }[]).map((d) => `${d.field} ${d.code}`);
    expect(fields).toEqual(
      expect.arrayContaining(['email INVALID_EMAIL', 'preferences.language INVALID_LANGUAGE', 'birthDate DATE_IN_FUTURE', 'plannedEndDate REQUIRED', 'protectionMeasure.holders REQUIRED']),
    );
    expect(fields.some((f) => f.startsWith('lastName '))).toBe(true);
    // Nothing written.
    expect(await h.count(`SELECT count(*) AS n FROM residents WHERE first_name = 'Émile'`)).toBe(0);

    // A change to a file, too: the patch's format errors with the rules on the file as it would become.
    const patch = await admissionsApi.patch(`/api/residents/${residentId}`).send({ email: 'marcel@', stayType: 'temporary', preferences: { language: 'FR' } });
    expect(patch.status).toBe(400);
    expect((patch.body.error.details as { field: string; code: string }[]).map((d) => `${d.field} ${d.code}`)).toEqual(['preferences.language INVALID_LANGUAGE', 'email INVALID_EMAIL', 'plannedEndDate REQUIRED']);
    await page.goto(`/console/residents/${residentId}/modifier`);
    await page.fill('#email', 'marcel@');
    await page.check('#stayType-1');
    const [edit] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer', exact: true }).click()]);
    expect(edit!.status()).toBe(400);
    expect(await page.locator('#erreurs li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#email', '#plannedEndDate']);
    expect((await admissionsApi.get(`/api/residents/${residentId}`).expect(200)).body).toMatchObject({ email: 'marcel.dupont@example.org', stayType: 'permanent' });
  });

  it('item 9: the language in words on the file (« français »), and a minor’s parental authority asked in French words', async () => {
    const page = await loggedIn('admissions');
    await page.goto(`/console/residents/${residentId}`);
    expect(await page.locator('dt:text-is("Langue") + dd').innerText()).toBe('français');
    await page.locator('section[aria-labelledby="preferences"]').screenshot({ path: `${shots}/resident-language.png` });

    // Item 4: a minor without parental authority.
    const minor = await admissionsApi.post('/api/residents').send({
      establishmentId: h.org.establishmentId,
      firstName: 'Enzo',
      lastName: 'Petit',
      birthDate: '2014-05-05',
      admissionDate: '2026-11-02',
      stayType: 'permanent',
    });
    expect(minor.status).toBe(400);
    const message = (minor.body.error.details as { field: string; message: string }[]).find((d) => d.field === 'parentalAuthority')!.message;
    expect(message).toBe('Pour un mineur, indiquez qui exerce l’autorité parentale : conjointe (les deux parents), exclusive (un seul parent), placement décidé par le juge, délégation ou tutelle.');
  });

  it('item 8: a mistyped address outside /console, /compte and /api answers a browser with the French « Page introuvable » page; programs and /api keep JSON, with ’', async () => {
    const page = await h.newPage();
    const res = await page.goto('/documents/nope');
    expect(res!.status()).toBe(404);
    expect(res!.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').innerText()).toBe('Page introuvable');
    expect(await page.locator('main').innerText()).toContain('Cette adresse n’existe pas.');
    await checkConsolePage(page, 'Page introuvable');
    await page.screenshot({ path: `${shots}/not-found-outside-console.png` });

    const program = await fetch(`${h.url}/documents/nope`, { headers: { accept: 'application/json' } });
    expect(program.status).toBe(404);
    expect(await program.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'Cette adresse n’existe pas.' } });
    const noAccept = await fetch(`${h.url}/documents/nope`, { headers: { accept: '*/*' } });
    expect(noAccept.headers.get('content-type')).toContain('application/json');
    const api = await fetch(`${h.url}/api/nope`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});
