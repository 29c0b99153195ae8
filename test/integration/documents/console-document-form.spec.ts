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
    expect(html).toContain('Dans un établissement pour personnes âgées : entretien de recherche du consentement');
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
      '<p class="field-error" id="consentInterview-noticeGivenOn-erreur">La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien.</p>',
    );
    expect(refused.text).toContain('value="2026-10-17"');
    const preview = await post(fields('12/10/2026'));
    expect(summary(preview.text)).toEqual([]);
    expect(preview.status).toBe(200);
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
