import request from 'supertest';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A newcomer walking the admissions journey (Marcel Dupont, under curatelle, in an EHPAD): the
 * console's contract form revealed its required fields over three submissions (the schema's, then
 * the easy-to-read wordings', then the template's rules for an EHPAD: consent interview, état des
 * lieux…), and some messages named fields by their keys. Through HTTP, as the browser posts it
 * (no JavaScript): the first refusal names every missing field by its French label, and filling
 * those (and what their labels say becomes required) is enough for the preview.
 */
describe('console: the new contract form asks for everything at once, in French', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let url: string;
  let csrf: string;

  beforeAll(async () => {
    h = await startApiHarness();
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const resident = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    url = `/console/residents/${resident}/documents/nouveau?type=contrat-sejour`;
    const page = await agent.get(url).expect(200);
    csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (fields: Record<string, string>) => agent.post(url).type('form').send({ _csrf: csrf, _action: 'preview', ...fields });
  /** The error summary's links: [field id, what the link says before « : »]. */
  const summary = (html: string) => [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2].split(' : ')[0]]);
  const visibleText = (html: string) => html.replace(/<[^>]+>/g, ' ');

  it('the first display marks what an EHPAD requires (with its reason) and what an answer would require (with its condition)', async () => {
    const html = (await agent.get(url).expect(200)).text;
    expect(html).toContain('<legend>Entretien de recherche du consentement<span class="required"> (obligatoire)</span></legend>');
    expect(html).toContain('<label for="entryInventoryOn">Date de l’état des lieux d’entrée<span class="required"> (obligatoire)</span></label>');
    // Template 1.6.0: the interview for every adult's contrat de séjour (CASF L.311-4 al. 5), the état des lieux in a home for older people (L.311-7-1).
    expect(html).toContain('Lors de la conclusion du contrat de séjour, le consentement de la personne majeure à être accueillie est recherché dans un entretien, dans tout établissement (CASF L.311-4 al. 5).');
    expect(html).toContain('Dans un établissement pour personnes âgées : état des lieux d’entrée (CASF L.311-7-1).');
    expect(html).toContain('<label for="pricing-gir">GIR<span class="required"> (obligatoire si vous choisissez « les tarifs de l’établissement s’appliquent » pour « Participation financière »)</span></label>');
    expect(html).toContain('<label for="signing-originals">Nombre d’exemplaires originaux<span class="required"> (obligatoire si vous choisissez « sur papier » pour « Mode de signature »)</span></label>');
  });

  it('an empty submission: one refusal naming every required field by its French label, each beside its field; filling them gives the preview', async () => {
    const refused = await post({});
    expect(refused.status).toBe(400);
    const listed = summary(refused.text);
    expect(listed).toEqual([
      ['objectives', 'Objectifs'],
      ['services', 'Prestations'],
      ['duration', 'Durée du contrat'],
      ['annexesHandedOverOn', 'Date de remise du livret d’accueil, de la charte et du règlement de fonctionnement'],
      ['participation-person-presence', 'Participation à l’élaboration › La personne accompagnée › Sa participation'],
      ['consentInterview-on', 'Entretien de recherche du consentement › Date de l’entretien'],
      ['consentInterview-outcome', 'Entretien de recherche du consentement › Résultat de l’entretien'],
      ['consentInterview-noticeGivenOn', 'Entretien de recherche du consentement › Date de remise de la notice sur la personne de confiance'],
      ['consentInterview-attestationSignedOn', 'Entretien de recherche du consentement › Date de l’attestation de délivrance de l’information (signée)'],
      ['entryInventoryOn', 'Date de l’état des lieux d’entrée'],
      ['financialContribution', 'Participation financière'],
      ['signing-place', 'Signature › Lieu de signature'],
      ['signing-mode', 'Signature › Mode de signature'],
    ]);
    for (const [id] of listed) expect(refused.text).toContain(`id="${id}-erreur"`);
    expect(visibleText(refused.text)).not.toMatch(/participation\.|signing\.|consentInterview|« (presence|mode|role) »/);

    // Each field listed, and the easy-to-read wording of each text written (its label says so): nothing more is asked.
    const preview = await post({
      'objectives[0]': 'Permettre à M. Dupont de garder ses promenades.',
      'objectivesFalc[0]': 'Vous gardez votre promenade chaque jour.',
      'services[0]': 'Hébergement en chambre individuelle',
      'servicesFalc[0]': 'Une chambre pour vous seul',
      duration: 'indéterminée',
      durationFalc: 'Ce contrat n’a pas de date de fin.',
      annexesHandedOverOn: '15/10/2026',
      'participation.person.presence': 'present',
      'consentInterview.on': '20/10/2026',
      'consentInterview.outcome': 'consent',
      'consentInterview.noticeGivenOn': '09/10/2026',
      'consentInterview.attestationSignedOn': '09/10/2026',
      entryInventoryOn: '15/10/2026',
      financialContribution: 'aucune',
      'signing.place': 'Valville',
      'signing.mode': 'electronic',
    });
    expect(summary(preview.text)).toEqual([]);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Aperçu avant génération');
  });

  it('a notice on the personne de confiance given 3 days before the consent interview: refused beside its field, with the article (CASF D.311-0-4); 8 days: the preview', async () => {
    const fields = (noticeGivenOn: string) => ({
      'objectives[0]': 'Permettre à M. Dupont de garder ses promenades.',
      'objectivesFalc[0]': 'Vous gardez votre promenade chaque jour.',
      'services[0]': 'Hébergement en chambre individuelle',
      'servicesFalc[0]': 'Une chambre pour vous seul',
      duration: 'indéterminée',
      durationFalc: 'Ce contrat n’a pas de date de fin.',
      annexesHandedOverOn: '15/10/2026',
      'participation.person.presence': 'present',
      'consentInterview.on': '20/10/2026',
      'consentInterview.outcome': 'consent',
      'consentInterview.noticeGivenOn': noticeGivenOn,
      'consentInterview.attestationSignedOn': noticeGivenOn,
      entryInventoryOn: '15/10/2026',
      financialContribution: 'aucune',
      'signing.place': 'Valville',
      'signing.mode': 'electronic',
    });
    const refused = await post(fields('17/10/2026'));
    expect(refused.status).toBe(400);
    expect(summary(refused.text)).toEqual([['consentInterview-noticeGivenOn', 'Entretien de recherche du consentement › Date de remise de la notice sur la personne de confiance']]);
    expect(refused.text).toContain(
      '<p class="field-error" id="consentInterview-noticeGivenOn-erreur">La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien. Ce délai cesse de s’appliquer si la personne a désigné sa personne de confiance avant l’entretien (al. 3) : la date de cette désignation s’enregistre dans son dossier.</p>',
    );
    expect(refused.text).toContain('value="2026-10-17"');
    const preview = await post(fields('12/10/2026'));
    expect(summary(preview.text)).toEqual([]);
    expect(preview.status).toBe(200);
  });

  it('template 1.6.0: the information already delivered elsewhere (CASF D.311-0-4, 2° and 3°) in French; given, no notice is asked and the preview says by whom and when; dated on the interview’s day, refused beside its field', async () => {
    const html = (await agent.get(url).expect(200)).text;
    expect(html).toContain('<legend>Information sur la personne de confiance déjà délivrée ailleurs</legend>');
    expect(html).toContain('pour une personne qui demande l’asile, par l’OFII en lui remettant la notice (CASF D.311-0-4, 2° et 3°)');
    expect(html).toContain('<label for="consentInterview-priorInformation-by">Délivrée par<span class="required"> (obligatoire si cette partie est remplie)</span></label>');
    expect(html).toContain('<option value="etablissement">un autre établissement ou service social ou médico-social</option><option value="ofii">l’OFII (personne qui demande l’asile)</option>');
    expect(html).toContain(
      '<label for="consentInterview-priorInformation-name">Nom de l’établissement ou du service<span class="required"> (obligatoire si vous choisissez « un autre établissement ou service social ou médico-social » pour « Délivrée par »)</span></label>',
    );
    expect(html).toContain('<label for="consentInterview-priorInformation-on">Date de délivrance de l’information<span class="required"> (obligatoire si cette partie est remplie)</span></label>');
    const fields = (interview: Record<string, string>) => ({
      'objectives[0]': 'Permettre à M. Dupont de garder ses promenades.',
      'objectivesFalc[0]': 'Vous gardez votre promenade chaque jour.',
      'services[0]': 'Hébergement en chambre individuelle',
      'servicesFalc[0]': 'Une chambre pour vous seul',
      duration: 'indéterminée',
      durationFalc: 'Ce contrat n’a pas de date de fin.',
      annexesHandedOverOn: '15/10/2026',
      'participation.person.presence': 'present',
      'consentInterview.on': '20/10/2026',
      'consentInterview.outcome': 'consent',
      'consentInterview.noticeGivenOn': '',
      'consentInterview.attestationSignedOn': '',
      'consentInterview.priorInformation.by': '',
      'consentInterview.priorInformation.name': '',
      'consentInterview.priorInformation.on': '',
      ...interview,
      entryInventoryOn: '15/10/2026',
      financialContribution: 'aucune',
      'signing.place': 'Valville',
      'signing.mode': 'electronic',
    });
    // Left blank as a browser posts it, the group is not there: the notice is asked for.
    const blank = await post(fields({}));
    expect(summary(blank.text)).toEqual([
      ['consentInterview-noticeGivenOn', 'Entretien de recherche du consentement › Date de remise de la notice sur la personne de confiance'],
      ['consentInterview-attestationSignedOn', 'Entretien de recherche du consentement › Date de l’attestation de délivrance de l’information (signée)'],
    ]);
    const late = await post(fields({ 'consentInterview.priorInformation.by': 'etablissement', 'consentInterview.priorInformation.name': 'EHPAD Les Glycines', 'consentInterview.priorInformation.on': '20/10/2026' }));
    expect(late.status).toBe(400);
    expect(summary(late.text)).toEqual([
      ['consentInterview-priorInformation-on', 'Entretien de recherche du consentement › Information sur la personne de confiance déjà délivrée ailleurs › Date de délivrance de l’information'],
    ]);
    expect(late.text).toContain('<p class="field-error" id="consentInterview-priorInformation-on-erreur">L’information sur la personne de confiance délivrée par un autre établissement ou service, ou par l’OFII, ne dispense de la notice que si elle l’a été avant l’entretien de recherche du consentement (CASF D.311-0-4, 2° et 3°)');
    const preview = await post(fields({ 'consentInterview.priorInformation.by': 'etablissement', 'consentInterview.priorInformation.name': 'EHPAD Les Glycines', 'consentInterview.priorInformation.on': '15/09/2026' }));
    expect(summary(preview.text)).toEqual([]);
    expect(preview.status).toBe(200);
    expect(visibleText(preview.text).replace(/\s+/g, ' ')).toContain('L’information sur la personne de confiance avait déjà été délivrée à Marcel Dupont le 15 septembre 2026 par EHPAD Les Glycines');
  });

  it('answers that make more fields required: all of them in the same refusal, named in French; what was typed stays', async () => {
    const refused = await post({
      'objectives[0]': 'Garder ses promenades.',
      'participation.person.presence': 'excuse',
      financialContribution: 'tarifs',
      'signing.mode': 'paper',
      'signing.place': 'Valville',
    });
    expect(refused.status).toBe(400);
    const ids = summary(refused.text).map(([id]) => id);
    expect(ids).toEqual(
      expect.arrayContaining(['objectivesFalc', 'participation-person-note', 'participation-others', 'pricing-gir', 'pricing-dependancePerDay', 'pricing-totalPerDay', 'signing-originals', 'consentInterview-on', 'entryInventoryOn']),
    );
    expect(refused.text).toContain('<p class="field-error" id="signing-originals-erreur">Ce champ est obligatoire quand « Mode de signature » est « sur papier ».</p>');
    expect(refused.text).toContain('<p class="field-error" id="participation-person-note-erreur">Ce champ est obligatoire quand « Sa participation » est « était excusée ».</p>');
    expect(refused.text).toContain('Garder ses promenades.</textarea>');
    expect(refused.text).toContain('value="Valville"');
    expect(refused.text).toMatch(/<option value="paper" selected/);
    expect(visibleText(refused.text)).not.toMatch(/« (presence|mode|paper|excuse) »/);
  });
});
