import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { PortalClient, SigningHarness, axeViolations, launchChromium, pageBasics, startSigningHarness, waitUntil, focusedIdOnceSettled } from '@carepact/testing';

/**
 * Issue 10 item 5 and the internal visa of item 3, in Debian's Chromium on the whole product (api
 * and worker processes, the demo establishment, a real SMTP server): the director asks for the
 * coordinator's visa on projets personnalisés; the coordinator writes Lucie Bernard's projet
 * personnalisé in the editor shaped like the meeting (prefilled from the previous version, an
 * objective added with its action, an error beside its field, a review two years ahead refused),
 * generates it, sees « Visa demandé » and gives the visa; then writes Enzo Petit's compte rendu
 * (participants from the file, a refused request without its reason and an outside recipient without
 * the consent first, CSP L.1110-4 III); then answers the question Lucie's tuteur asks from the portal,
 * and the tuteur reads the answer from the e-mail's link. Every new page state: axe 0 violations,
 * one h1, French title, 320 px reflow.
 */
describe('console: projet personnalisé and compte rendu editors, internal visa, answers (issue 10 items 3, 5)', () => {
  let h: SigningHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startSigningHarness();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await h?.close();
  });

  const open = async (email: string): Promise<Page & { problems: string[] }> => {
    const context = await browser.newContext({ baseURL: h.base, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = (await context.newPage()) as Page & { problems: string[] };
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(String(e)));
    page.on('console', (m) => {
      // A form with errors answers 400 on purpose (Chromium logs the status); anything else is a problem.
      if (m.type() === 'error' && !m.text().includes('status of 400')) page.problems.push(m.text());
    });
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEFAULT_DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
    return page;
  };

  const quality = async (page: Page, state: string) => {
    expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
    const basics = await pageBasics(page);
    expect({ state, lang: basics.lang, h1: basics.h1, title: /— CarePact$/.test(basics.title) }).toEqual({ state, lang: 'fr', h1: 1, title: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect({ state, overflowX: (await pageBasics(page)).overflowX }).toEqual({ state, overflowX: false });
    expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  const submit = async (page: Page, name: string | RegExp) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
  };

  /** Each easy-to-read counterpart left empty beside a filled text, in words the FALC lint accepts. */
  const fillEasyToRead = async (page: Page, text = 'Vous avez de l’aide tous les jours.') => {
    const empty = await page.$$eval('input[id*="Falc"], textarea[id*="Falc"]', (els) => els.filter((e) => !(e as HTMLInputElement).value).map((e) => e.id));
    for (const id of empty) {
      const twin = id.replace('Falc', '');
      if ((await page.locator(`#${twin}`).count()) && (await page.inputValue(`#${twin}`))) await page.fill(`#${id}`, text);
    }
  };

  const waitReady = async (page: Page) => {
    await waitUntil('generated', async () => {
      await page.reload();
      return (await page.locator('#etat').innerText()).includes('Prêt à envoyer');
    }, 90_000);
  };

  let projetId: string;

  it('the director asks for the coordinator’s visa on projets personnalisés (« Visas internes »)', async () => {
    const director = await open('direction@les-tilleuls.example');
    await Promise.all([director.waitForNavigation(), director.getByRole('link', { name: 'Visas internes' }).click()]);
    expect(await director.locator('h1').innerText()).toBe('Visas internes avant signature');
    await quality(director, 'visa rules');
    await director.getByRole('group', { name: 'Projet personnalisé' }).getByLabel('Visa du coordinateur ou de la coordinatrice').check();
    await submit(director, /^Enregistrer/);
    expect(await director.locator('.notice.success').innerText()).toContain('Les visas sont enregistrés');
    expect(await director.getByRole('group', { name: 'Projet personnalisé' }).getByLabel('Visa du coordinateur ou de la coordinatrice').isChecked()).toBe(true);
    await quality(director, 'visa rules saved');
    const [event] = await h.sql<{ payload: unknown }>(`SELECT payload FROM audit_events WHERE action = 'establishment.visa_rule_changed'`);
    expect(event.payload).toEqual({ documentType: 'projet-personnalise', approverRole: 'coordinator', previous: null });
    // The coordinator has no such page.
    const coordinator = await open('coordination@les-tilleuls.example');
    expect(await coordinator.getByRole('link', { name: 'Visas internes' }).count()).toBe(0);
    expect(director.problems).toEqual([]);
  });

  it('the coordinator writes Lucie Bernard’s projet personnalisé in the meeting’s order, prefilled from the previous version, then gives the visa', async () => {
    // Last year's projet, generated from the demo data (its visa does not matter here).
    await h.document('Lucie', 'projet-personnalise');
    const lucie = await h.residentId('Lucie');
    const coordinator = await open('coordination@les-tilleuls.example');
    await coordinator.goto(`/console/residents/${lucie}/documents/nouveau`);
    await Promise.all([coordinator.waitForNavigation(), coordinator.getByRole('link', { name: 'Projet personnalisé', exact: true }).click()]);

    // The meeting's steps, prefilled with the previous version: her own words first.
    const steps = await coordinator.locator('.meeting-step h3').allInnerTexts();
    expect(steps).toEqual(['1. Le projet', '2. Les attentes de la personne, dans ses mots', '3. L’évaluation de la situation', '4. Objectifs et actions', '5. L’accord de la personne', '6. Qui a participé']);
    expect(await coordinator.inputValue('#expectations-0-verbatim')).toBe('Je veux aller à la piscine avec mon amie Léa.');
    expect(await coordinator.inputValue('#expectations-0-gatheredBy')).toBe('Paul Girard');
    expect(await coordinator.locator('.notice').first().innerText()).toContain('Prérempli avec les données de la version 1');
    await quality(coordinator, 'projet editor, prefilled');
    await coordinator.screenshot({ path: `${shots}/console-projet-editor.png`, fullPage: true });
    await coordinator.locator('section.meeting-step').nth(1).screenshot({ path: `${shots}/console-projet-attentes.png` });
    await coordinator.locator('section.meeting-step').nth(3).screenshot({ path: `${shots}/console-projet-objectifs.png` });

    // « Ajouter un objectif » is a submit button: the page comes back with one objective more, focused.
    const before = await coordinator.locator('fieldset[id^="objectives-"][id$="-actions"]').count();
    await submit(coordinator, /^Ajouter un objectif/);
    const n = before; // the new objective's index
    expect(await coordinator.locator('fieldset[id^="objectives-"][id$="-actions"]').count()).toBe(before + 1);
    expect(await focusedIdOnceSettled(coordinator, `objectives-${n}`)).toBe(`objectives-${n}`);
    expect(await coordinator.inputValue('#expectations-0-verbatim')).toBe('Je veux aller à la piscine avec mon amie Léa.');
    await coordinator.fill(`#objectives-${n}-title`, 'Revoir son amie Léa chaque mois');
    await coordinator.fill(`#objectives-${n}-actions-0-action`, 'Organiser une visite mensuelle avec la famille de Léa');
    await coordinator.fill(`#objectives-${n}-actions-0-responsible`, 'Paul Girard');
    await coordinator.fill(`#objectives-${n}-actions-0-deadline`, '2027-02-01');
    await coordinator.fill(`#objectives-${n}-evaluation`, 'Nombre de visites réalisées par trimestre');
    // A second action for this objective, without JavaScript: its own « Ajouter une action »; then removed again.
    const addAction = coordinator.locator(`button[value="add:objectives[${n}].actions"]`);
    expect(await addAction.innerText()).toMatch(/^Ajouter une action/);
    await Promise.all([coordinator.waitForNavigation(), addAction.click()]);
    expect(await focusedIdOnceSettled(coordinator, `objectives-${n}-actions-1`)).toBe(`objectives-${n}-actions-1`);
    expect(await coordinator.inputValue(`#objectives-${n}-actions-0-action`)).toBe('Organiser une visite mensuelle avec la famille de Léa');
    await Promise.all([coordinator.waitForNavigation(), coordinator.locator(`button[value="remove:objectives[${n}].actions[1]"]`).click()]);
    expect(await coordinator.locator(`#objectives-${n}-actions-1`).count()).toBe(0);
    await coordinator.fill('#expectations-0-date', '2026-11-25');
    await coordinator.fill('#nextReview', '');
    await fillEasyToRead(coordinator, 'Vous voyez votre amie Léa chaque mois.');

    // The review date is missing: the API's French error beside the field, and in the summary with a link.
    await submit(coordinator, 'Prévisualiser');
    expect(await coordinator.locator('#nextReview-erreur').innerText()).toBe('Ce champ est obligatoire.');
    expect(await coordinator.getAttribute('#nextReview', 'aria-describedby')).toContain('nextReview-erreur');
    expect(await coordinator.locator('.error-summary a[href="#nextReview"]').innerText()).toContain('Prochaine révision');
    expect(await coordinator.inputValue(`#objectives-${n}-title`)).toBe('Revoir son amie Léa chaque mois');
    await quality(coordinator, 'projet editor with an error');

    // Two years ahead: refused beside the field, the projet reviewed at least yearly (ANESM recommendations) and the objectives it carries updated each year (CASF D.311, V; projet 1.12.0).
    expect(await coordinator.locator('input[name="personSigns"]').count()).toBe(0);
    await coordinator.fill('#nextReview', '2028-11-25');
    await submit(coordinator, 'Prévisualiser');
    expect(await coordinator.locator('#nextReview-erreur').innerText()).toContain('au plus tard douze mois après la date du projet');
    expect(await coordinator.locator('#nextReview-erreur').innerText()).toContain('est réactualisée chaque année (CASF D.311, V)');
    expect(await coordinator.locator('#nextReview-erreur').innerText()).not.toContain('D.311 VII');
    await coordinator.fill('#nextReview', '2027-11-25');
    await submit(coordinator, 'Prévisualiser');
    expect(await coordinator.locator('#apercu .cp-doc').innerText()).toContain('Revoir son amie Léa chaque mois');
    await quality(coordinator, 'projet preview');
    await submit(coordinator, 'Générer le document');
    projetId = coordinator.url().split('/').pop()!;
    const [stored] = await h.sql<{ data: { objectives: { title: string; actions: unknown[] }[]; expectations: { verbatim: string }[] } }>(
      `SELECT v.input->'document' AS data FROM documents d JOIN document_versions v ON v.id = d.current_version_id WHERE d.id = $1`,
      [projetId],
    );
    expect(stored.data.objectives[n]).toMatchObject({ title: 'Revoir son amie Léa chaque mois', actions: [expect.objectContaining({ responsible: 'Paul Girard', deadline: '2027-02-01' })] });
    expect(stored.data.expectations[0].verbatim).toBe('Je veux aller à la piscine avec mon amie Léa.');
    await waitReady(coordinator);

    // « Visa demandé »: no send form until the visa; the coordinator gives it from the page (also listed in À faire).
    expect(await coordinator.locator('#visa').innerText()).toContain('Visa demandé');
    expect(await coordinator.locator('section[aria-labelledby="qui-signe"]').count()).toBe(0);
    expect(await coordinator.getByText('L’envoi en signature sera possible une fois le visa').count()).toBe(1);
    await quality(coordinator, 'document awaiting the visa');
    await coordinator.locator('#visa').screenshot({ path: `${shots}/console-visa-requested.png` });
    await coordinator.goto('/console');
    // (Last year's projet, generated after the rule, waits for its visa too.)
    const todo = coordinator.locator('section.todo-section', { has: coordinator.getByRole('heading', { name: /Visas internes à donner/ }) });
    expect(await todo.innerText()).toContain('Lucie Bernard');
    await Promise.all([coordinator.waitForNavigation(), todo.locator(`a[href="/console/documents/${projetId}"]`).click()]);
    expect(coordinator.url()).toContain(`/console/documents/${projetId}`);

    // A refusal needs a reason: the error beside the field, nothing recorded.
    await submit(coordinator, 'Refuser le visa');
    expect(await coordinator.locator('#visa-reason-erreur').innerText()).toContain('Indiquez pourquoi le visa est refusé');
    await quality(coordinator, 'visa refusal without a reason');
    expect(await h.sql(`SELECT 1 FROM document_visas WHERE document_id = $1`, [projetId])).toEqual([]);
    await submit(coordinator, 'Accorder le visa');
    expect(await coordinator.locator('#visa').innerText()).toContain('Visa accordé par');
    expect(await coordinator.locator('section[aria-labelledby="qui-signe"]').count()).toBe(1);
    await quality(coordinator, 'visa given, send form');
    const [approved] = await h.sql<{ action: string }>(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'document.visa_%'`, [projetId]);
    expect(approved.action).toBe('document.visa_approved');
    expect(coordinator.problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    // Two previews more than before (the review date refused, then accepted): more than the default minute on a loaded machine.
  }, 120_000);

  it('the coordinator writes Enzo Petit’s compte rendu: participants from the file, each request with its decision and reason', async () => {
    const enzo = await h.residentId('Enzo');
    const coordinator = await open('coordination@les-tilleuls.example');
    await coordinator.goto(`/console/residents/${enzo}/documents/nouveau?type=compte-rendu-synthese`);
    const steps = await coordinator.locator('.meeting-step h3').allInnerTexts();
    expect(steps[0]).toBe('1. La réunion');
    expect(steps).toContain('5. Demandes de la personne ou de sa famille');
    // Participants from the file: Enzo first (then who holds parental authority, if the file names them).
    expect(await coordinator.inputValue('#participants-0-name')).toBe('Enzo Petit');
    expect(await coordinator.inputValue('#participants-0-role')).toBe('la personne accompagnée');
    await quality(coordinator, 'compte rendu editor, prefilled from the file');
    const fromFile = await coordinator.locator('fieldset[id^="participants-"].row').count();
    await submit(coordinator, /^Ajouter un participant/);
    expect(await focusedIdOnceSettled(coordinator, `participants-${fromFile}`)).toBe(`participants-${fromFile}`);
    await coordinator.fill(`#participants-${fromFile}-name`, 'Paul Girard');
    await coordinator.fill(`#participants-${fromFile}-role`, 'coordinateur de projet');

    await coordinator.fill('#date', '2026-11-27');
    await coordinator.fill('#place', 'Salle de réunion, bâtiment B');
    await coordinator.selectOption('#kind', 'six_mois');
    const participants = await coordinator.locator('fieldset[id^="participants-"].row').count();
    for (let i = 0; i < participants; i++) {
      if (!(await coordinator.inputValue(`#participants-${i}-role`))) await coordinator.fill(`#participants-${i}-role`, 'parent');
      await coordinator.selectOption(`#participants-${i}-presence`, i === 0 ? 'partiel' : 'présente');
    }
    await coordinator.fill('#participants-0-note', 'présent la première demi-heure');
    await coordinator.fill('#personExpression', 'Enzo a montré au tableau de pictogrammes qu’il veut continuer le dessin.');
    await coordinator.fill('#expressionMeans-0', 'tableau de pictogrammes');
    await coordinator.fill('#decisions-0-decision', 'Atelier dessin deux fois par semaine');
    await coordinator.fill('#decisions-0-toldBy', 'Paul Girard');
    await coordinator.fill('#decisions-0-how', 'pendant la réunion, avec les pictogrammes');
    // A request, refused: its reason is required (the template's rule), said beside the field.
    await coordinator.fill('#requests-0-from', 'Julie Petit');
    await coordinator.fill('#requests-0-request', 'Supprimer la piscine');
    await coordinator.selectOption('#requests-0-answer', 'refused');
    await submit(coordinator, /^Ajouter une demande/);
    expect(await focusedIdOnceSettled(coordinator, 'requests-1')).toBe('requests-1');
    await coordinator.fill('#requests-1-from', 'Enzo Petit');
    await coordinator.fill('#requests-1-request', 'Aller au cinéma');
    await coordinator.selectOption('#requests-1-answer', 'accepted');
    await coordinator.fill('#requests-1-responsible', 'Éducateur référent');
    await coordinator.fill('#requests-1-deadline', '2027-01-15');
    await coordinator.fill('#appeal', 'Vous pouvez faire appel à une personne qualifiée (liste affichée à l’accueil).');
    await coordinator.fill('#nextReview', '2027-05-27');
    // Who receives the minutes (compte rendu 1.4.0, CSP L.1110-4): the parents told of the sharing within the team, no objection;
    // his mother, his representative; an orthophoniste outside the team, first without the consent.
    await coordinator.fill('#sharing-informedOn', '2026-11-20');
    await coordinator.fill('#sharing-informedHow', 'entretien avec les deux parents');
    await coordinator.check('#sharing-objected-non');
    await coordinator.fill('#recipients-0-name', 'Julie Petit');
    await coordinator.fill('#recipients-0-function', 'mère');
    await coordinator.selectOption('#recipients-0-circle', 'representant');
    await submit(coordinator, /^Ajouter un destinataire/);
    expect(await focusedIdOnceSettled(coordinator, 'recipients-1')).toBe('recipients-1');
    await coordinator.fill('#recipients-1-name', 'Anne Roux');
    await coordinator.fill('#recipients-1-function', 'orthophoniste');
    await coordinator.fill('#recipients-1-organisation', 'cabinet libéral du Val');
    await coordinator.selectOption('#recipients-1-circle', 'hors_equipe');
    await fillEasyToRead(coordinator);
    await submit(coordinator, 'Prévisualiser');
    expect(await coordinator.locator('#requests-0-reason-erreur').count()).toBe(1);
    expect(await coordinator.locator('.error-summary').innerText()).toContain('Motif');
    // The outside recipient without consent: the refusal beside her consent's date, with the article.
    expect(await coordinator.locator('#recipients-1-consentOn-erreur').innerText()).toContain('CSP L.1110-4 III al. 2');
    expect(await coordinator.getAttribute('#recipients-1-consentOn', 'aria-invalid')).toBe('true');
    expect(await coordinator.getAttribute('#recipients-1-consentOn', 'aria-describedby')).toContain('recipients-1-consentOn-erreur');
    expect(await coordinator.locator('.error-summary a[href="#recipients-1-consentOn"]').count()).toBe(1);
    // Compte rendu 1.6.0: what the parents were told before consenting, each point beside its Oui/Non (CSP D.1110-3-1).
    expect(await coordinator.locator('#recipients-1-consentInformed-media-erreur').innerText()).toContain('de la nature des supports utilisés pour les partager (CSP D.1110-3-1)');
    await quality(coordinator, 'compte rendu with an error');
    await coordinator.locator('section.meeting-step').nth(6).screenshot({ path: `${shots}/console-compte-rendu-destinataires-erreur.png` });
    await coordinator.locator('#recipients-1-consentInformed').screenshot({ path: `${shots}/console-compte-rendu-consentement-erreur-1280.png` });
    await coordinator.setViewportSize({ width: 320, height: 800 });
    await coordinator.locator('#recipients-1-consentInformed').screenshot({ path: `${shots}/console-compte-rendu-consentement-erreur-320.png` });
    await coordinator.setViewportSize({ width: 1280, height: 900 });
    await coordinator.fill('#requests-0-reason', 'La piscine fait partie de la rééducation prescrite.');
    await coordinator.fill('#recipients-1-consentOn', '2026-11-24');
    await coordinator.fill('#recipients-1-consentHow', 'accord écrit des deux parents');
    for (const k of ['informationCategories', 'professionalCategories', 'media', 'security']) await coordinator.check(`#recipients-1-consentInformed-${k}-oui`);
    await fillEasyToRead(coordinator, 'La piscine fait partie de vos soins.');
    await submit(coordinator, 'Prévisualiser');
    const preview = await coordinator.locator('#apercu .cp-doc').innerText();
    expect(preview).toContain('Aller au cinéma');
    expect(preview).toContain('La piscine fait partie de la rééducation prescrite.');
    expect(preview).toContain('Destinataires du compte rendu');
    // (The preview's dates hold no-break spaces.)
    expect(preview).toMatch(/Anne Roux\s+orthophoniste\s+cabinet libéral du Val\s+hors de l’équipe de soins, consentement préalable du 24\snovembre\s2026 \(accord écrit des deux parents\), après information sur les catégories d’informations partagées/);
    await quality(coordinator, 'compte rendu preview');
    await coordinator.locator('section.meeting-step').nth(4).screenshot({ path: `${shots}/console-compte-rendu-demandes.png` });
    await coordinator.locator('section.meeting-step').nth(6).screenshot({ path: `${shots}/console-compte-rendu-destinataires.png` });
    await submit(coordinator, 'Générer le document');
    await waitReady(coordinator);
    // No visa asked for comptes rendus: the send form is there at once.
    expect(await coordinator.locator('#visa').count()).toBe(0);
    expect(coordinator.problems).toEqual([]);
  }, 120_000);

  it('a signer’s question is answered from the document page; the tuteur reads the answer from the e-mail’s link', async () => {
    const coordinator = await open('coordination@les-tilleuls.example');
    await coordinator.goto(`/console/documents/${projetId}`);
    await submit(coordinator, 'Envoyer en signature');
    if (await coordinator.locator('#send-lateReason').count()) {
      await coordinator.fill('#send-lateReason', 'Réunion de projet reportée.');
      await submit(coordinator, 'Envoyer en signature');
    }
    const [tuteur] = await h.sql<{ email: string; first_name: string }>(
      `SELECT s.email, s.first_name FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id WHERE r.document_id = $1 AND s.role <> 'director' AND s.email IS NOT NULL ORDER BY s.order_no LIMIT 1`,
      [projetId],
    );
    const [invite] = await h.waitForMail(tuteur.email, 1);
    const portal = new PortalClient(h.base);
    await portal.open(PortalClient.linksIn(invite.text, h.base)[0]);
    const asked = await portal.post('/portail/question', { message: 'Qui accompagnera Lucie à la piscine ?' });
    expect(asked.status).toBe(303);

    await coordinator.reload();
    const questions = coordinator.locator('.questions');
    expect(await questions.innerText()).toContain('Qui accompagnera Lucie à la piscine ?');
    await quality(coordinator, 'a question to answer');
    // An empty answer: the error beside the field.
    await submit(coordinator, /^Envoyer la réponse/);
    expect(await coordinator.locator('.questions .field-error').count()).toBe(1);
    await quality(coordinator, 'an empty answer');
    await coordinator.locator('.questions textarea').fill('L’éducatrice sportive, chaque mardi.');
    await submit(coordinator, /^Envoyer la réponse/);
    expect(await coordinator.locator('.notice.success').first().innerText()).toContain('Réponse enregistrée');
    expect(await questions.innerText()).toContain('L’éducatrice sportive, chaque mardi.');
    // A second answer is a new event; the first stays the question's answer.
    await coordinator.locator('.questions textarea').fill('Et Léa viendra le premier mardi du mois.');
    await submit(coordinator, /^Envoyer une réponse complémentaire/);
    expect(await questions.innerText()).toContain('Réponse complémentaire du');
    await quality(coordinator, 'question answered twice');
    await questions.screenshot({ path: `${shots}/console-questions.png` });

    // The e-mail carries neither the question nor the answer; its link opens the answers.
    const [mail] = await h.waitForMail(tuteur.email, 1, /^Réponse à votre question/);
    expect(mail.text).not.toContain('piscine');
    expect(mail.text).not.toContain('éducatrice');
    // The tuteur opens it in a browser: the portal's page of his questions and their answers.
    const link = /\/s\/[A-Za-z0-9_-]+\?vers=questions/.exec(mail.text)![0];
    const context = await browser.newContext({ baseURL: h.base, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const tuteurPage = await context.newPage();
    await tuteurPage.goto(link);
    expect(new URL(tuteurPage.url()).pathname).toBe('/portail/question');
    expect(await tuteurPage.locator('h1').innerText()).toBe('Vos questions et les réponses');
    const answers = await tuteurPage.locator('.asked-questions').innerText();
    expect(answers).toContain('Qui accompagnera Lucie à la piscine ?');
    expect(answers).toContain('L’éducatrice sportive, chaque mardi.');
    expect(answers).toContain('Et Léa viendra le premier mardi du mois.');
    await quality(tuteurPage, 'portal: questions and answers');
    await tuteurPage.screenshot({ path: `${shots}/portal-questions-answers.png`, fullPage: true });
    // Two answers, two events: the first is the question's answer, the second a follow-up with its hash.
    const events = await h.sql<{ details: Record<string, unknown> }>(
      `SELECT e.details FROM signature_events e JOIN signature_requests r ON r.id = e.request_id WHERE r.document_id = $1 AND e.kind = 'question_answered' ORDER BY e.at`,
      [projetId],
    );
    // Each answer names the staff member who gave it (the evidence's « who acted »), never its text.
    const staffMember = { byUserId: expect.any(String), byName: 'Paul Girard', byAccount: 'coordination@les-tilleuls.example' };
    expect(events).toEqual([
      { details: { questionId: expect.any(String), ...staffMember } },
      { details: { questionId: expect.any(String), followUp: true, answerSha256: expect.stringMatching(/^[0-9a-f]{64}$/), ...staffMember } },
    ]);
  });
});
