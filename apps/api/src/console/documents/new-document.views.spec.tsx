import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, type FieldError } from '@carepact/common';
import { AvenantAlreadyExistsError } from '@carepact/documents';
import { templateInputFromFixture, templates, validateTemplateInput } from '@carepact/rendering';
import { viewActor } from '@carepact/testing';
import { completeErrors, templateRequirements } from './form-requirements';
import { chooseTypePage, documentFormPage, refusalMessage } from './new-document.views';
import { Data, formSchemaOf } from './schema-form';

const actor = viewActor('admissions');
const ahmed = { id: 'r-ahmed', name: 'Ahmed Benali' };
const marcel = { id: 'r-marcel', name: 'Marcel Dupont' };

describe('new document pages: « de » elided before a vowel (was « Retour au dossier de Ahmed Benali », « DIPC de Ahmed Benali »)', () => {
  it('the type choice links back to « le dossier d’Ahmed Benali », « de Marcel Dupont » stays', () => {
    const html = chooseTypePage(actor, 'csrf', ahmed, [{ type: 'dipc', allowed: true, reason: null }]);
    expect(html).toContain('>Retour au dossier d’Ahmed Benali</a>');
    expect(html).not.toContain('de Ahmed');
    expect(chooseTypePage(actor, 'csrf', marcel, [{ type: 'dipc', allowed: true, reason: null }])).toContain('>Retour au dossier de Marcel Dupont</a>');
  });

  it('the form’s heading: « Document individuel de prise en charge (DIPC) d’Ahmed Benali »', () => {
    const schema = formSchemaOf(templates().load('dipc').content.inputSchema);
    const html = documentFormPage(actor, 'csrf', { type: 'dipc', resident: ahmed, schema, data: {} });
    expect(html).toMatch(/<h1>\s*Document individuel de prise en charge \(DIPC\) d’Ahmed Benali\s*<\/h1>/);
    expect(html).toContain('>Retour au dossier d’Ahmed Benali</a>');
    expect(html).not.toContain('de Ahmed');
  });
});

/**
 * The newcomer's admissions walk (Marcel Dupont, curatelle, EHPAD): the contract's form revealed its
 * required fields over three submissions (the schema's, then the easy-to-read wordings', then the
 * template's rules for an EHPAD), and named some by their keys. Now: all of them from the first
 * display, and all of them in the first refusal, by their French labels.
 */
describe('the contract form: every required field at once, in French', () => {
  const template = templates().load('contrat-sejour');
  const schema = formSchemaOf(template.content.inputSchema);
  const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const marcelInput = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
  const input = (document: Data) => ({ ...marcelInput, document });
  // What the file prefills (prefillFromFile): his judgment, his curateur.
  const prefilled: Data = { priorDecisions: ['Jugement de curatelle renforcée du 20 mai 2025 (RG 25/00412)'], participation: { person: {}, others: [{ name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur, UDAF du Val' }] } };
  const page = (data: Data, errors?: FieldError[]) =>
    documentFormPage(actor, 'csrf', {
      type: 'contrat-sejour',
      resident: marcel,
      schema,
      data,
      requirements: templateRequirements('contrat-sejour', schema, template, input(data)),
      ...(errors ? { errors, errorMessage: 'Les données du document sont invalides ou incomplètes. Corrigez les champs signalés.' } : {}),
    });
  /** The service's refusal (DocumentsService: the schema's errors only, as long as there are any), then the form's. */
  const refusal = (data: Data) => {
    const reported = validateTemplateInput(template, input(data)).map((e) => ({ ...e, field: e.field.replace(/^document\./, '') }));
    return completeErrors('contrat-sejour', schema, template, input(data), reported);
  };
  const summary = (html: string) => [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2].split(' : ')[0]]);
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ');

  it('first display: the EHPAD’s requirements marked with their reason, the tariff’s GIR with its condition', () => {
    const html = page(prefilled);
    expect(html).toContain('<legend>Entretien de recherche du consentement<span class="required"> (obligatoire)</span></legend>');
    expect(html).toContain('<label for="consentInterview-on">Date de l’entretien<span class="required"> (obligatoire)</span></label>');
    expect(html).toContain('<label for="entryInventoryOn">Date de l’état des lieux d’entrée<span class="required"> (obligatoire)</span></label>');
    // Every contrat de séjour with an adult (CASF L.311-4 al. 5, template 1.6.0), the état des lieux in a home for older people.
    expect(html).toContain('<p class="hint requirement" id="consentInterview-pourquoi">Lors de la conclusion du contrat de séjour, le consentement de la personne majeure à être accueillie est recherché dans un entretien, dans tout établissement (CASF L.311-4 al. 5).</p>');
    expect(html).toContain('<p class="hint requirement" id="entryInventoryOn-pourquoi">Dans un établissement pour personnes âgées : état des lieux d’entrée (CASF L.311-7-1).</p>');
    expect(html).toContain(
      '<label for="pricing-gir">GIR<span class="required"> (obligatoire si vous choisissez « les tarifs de l’établissement s’appliquent » pour « Participation financière »)</span></label>',
    );
    // Not asked of an adult: the minor's view.
    expect(html).toMatch(/<label for="minorView">Avis de la personne mineure<\/label>/);
  });

  it('an empty submission lists every missing field in one refusal, in the page’s order, by its French label, none by its key', () => {
    const html = page(prefilled, refusal(prefilled));
    expect(summary(html)).toEqual([
      ['objectives', 'Objectifs'],
      ['services', 'Prestations'],
      ['duration', 'Durée du contrat'],
      ['priorDecisionsFalc', 'Décisions antérieures (jugements, orientations), en facile à lire'],
      ['annexesHandedOverOn', 'Date de remise du livret d’accueil, de la charte et du règlement de fonctionnement'],
      ['participation-person-presence', 'Participation à l’élaboration › La personne accompagnée › Sa participation'],
      ['participation-others-0-roleFalc', 'Participation à l’élaboration › Participant 1 › Fonction ou lien, en facile à lire'],
      ['participation-others-0-presence', 'Participation à l’élaboration › Participant 1 › Présence'],
      // The template's rules for an EHPAD, which came only on the third submission.
      ['consentInterview-on', 'Entretien de recherche du consentement › Date de l’entretien'],
      ['consentInterview-outcome', 'Entretien de recherche du consentement › Résultat de l’entretien'],
      ['consentInterview-noticeGivenOn', 'Entretien de recherche du consentement › Date de remise de la notice sur la personne de confiance'],
      ['consentInterview-attestationSignedOn', 'Entretien de recherche du consentement › Date de l’attestation de délivrance de l’information (signée)'],
      ['entryInventoryOn', 'Date de l’état des lieux d’entrée'],
      ['financialContribution', 'Participation financière'],
      // « Signature : obligatoire », then its place and mode on the next submission: now each at once.
      ['signing-place', 'Signature › Lieu de signature'],
      ['signing-mode', 'Signature › Mode de signature'],
    ]);
    for (const [id] of summary(html)) expect(html).toContain(`id="${id}-erreur"`);
    expect(text(html)).not.toMatch(/« (role|priorDecisions|presence|mode) »|participation\.|pricing\.|signing\./);
  });

  it('answers that make more fields required: all of them in the same refusal, with the easy-to-read wording’s FALC problems; what was typed stays', () => {
    const data: Data = {
      ...prefilled,
      objectives: ['Garder ses promenades.'],
      objectivesFalc: ['VOUS GARDEZ 100% DE VOS PROMENADES.'],
      financialContribution: 'tarifs',
      participation: { person: { presence: 'excuse' }, others: [] },
      signing: { mode: 'paper' },
    };
    const errors = refusal(data);
    const html = page(data, errors);
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['objectivesFalc[0]', 'participation.person.note', 'participation.others', 'pricing.gir', 'pricing.dependancePerDay', 'pricing.totalPerDay', 'signing.place', 'signing.originals', 'consentInterview.on']),
    );
    expect(html).toContain('<p class="field-error" id="signing-originals-erreur">Ce champ est obligatoire quand « Mode de signature » est « sur papier ».</p>');
    expect(html).toContain('<p class="field-error" id="participation-person-note-erreur">Ce champ est obligatoire quand « Sa participation » est « était excusée ».</p>');
    expect(summary(html)).toContainEqual(['objectivesFalc-0', 'Objectif 1, en facile à lire']);
    expect(html).toContain('VOUS GARDEZ 100% DE VOS PROMENADES.</textarea>');
    expect(html).toMatch(/<option value="paper" selected/);
  });
});

/**
 * The personne de confiance notice before the consent interview (CASF D.311-0-4, templates 1.5.0
 * and 1.6.0): the form asks for its date and the attestation's when the person has not designated
 * one, says why, and shows a notice given less than eight days before the interview refused beside
 * its field. 1.6.0: the information already delivered elsewhere (2°, 3°) is a group of its own, in
 * French, and its date after the interview is refused beside it.
 */
describe('the contract form: the personne de confiance notice (CASF D.311-0-4)', () => {
  const template = templates().load('contrat-sejour');
  const schema = formSchemaOf(template.content.inputSchema);
  const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const jeanne = { id: 'r-jeanne', name: 'Jeanne Martin' };
  const form = (who: { id: string; name: string }, key: string, patch: (d: Data) => void = () => {}) => {
    const input = templateInputFromFixture(fixture, 'contrat-sejour', key);
    const document = structuredClone(input.document) as Data;
    patch(document);
    const full = { ...input, document };
    const reported = validateTemplateInput(template, full).map((e) => ({ ...e, field: e.field.replace(/^document\./, '') }));
    const errors = completeErrors('contrat-sejour', schema, template, full, reported);
    return {
      errors,
      html: documentFormPage(actor, 'csrf', {
        type: 'contrat-sejour',
        resident: who,
        schema,
        data: document,
        requirements: templateRequirements('contrat-sejour', schema, template, full),
        ...(errors.length ? { errors, errorMessage: 'Les données du document sont invalides ou incomplètes. Corrigez les champs signalés.' } : {}),
      }),
    };
  };
  const interview = (d: Data) => d.consentInterview as Data;

  it('without a personne de confiance: the notice’s date and the attestation’s are marked required, with the article', () => {
    const { html, errors } = form(marcel, 'marcel-dupont');
    expect(errors).toEqual([]);
    expect(html).toContain('<label for="consentInterview-noticeGivenOn">Date de remise de la notice sur la personne de confiance<span class="required"> (obligatoire)</span></label>');
    expect(html).toContain('<label for="consentInterview-attestationSignedOn">Date de l’attestation de délivrance de l’information (signée)<span class="required"> (obligatoire)</span></label>');
    expect(html).toContain('au moins huit jours avant l’entretien et sa délivrance est attestée par un document daté et signé (CASF D.311-0-4).');
  });

  it('a notice given 3 days before the interview: refused beside its field, with the article, in the summary too', () => {
    const { html, errors } = form(marcel, 'marcel-dupont', (d) => {
      interview(d).noticeGivenOn = '2026-10-17';
      interview(d).attestationSignedOn = '2026-10-17';
    });
    expect(errors).toEqual([expect.objectContaining({ field: 'consentInterview.noticeGivenOn', code: 'NOTICE_TOO_LATE' })]);
    expect(html).toContain(
      '<p class="field-error" id="consentInterview-noticeGivenOn-erreur">La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien. Ce délai cesse de s’appliquer si la personne a désigné sa personne de confiance avant l’entretien (al. 3) : la date de cette désignation s’enregistre dans son dossier.</p>',
    );
    expect(html).toMatch(/<input[^>]*id="consentInterview-noticeGivenOn"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*id="consentInterview-noticeGivenOn"/);
    expect(summary(html)).toEqual([['consentInterview-noticeGivenOn', 'Entretien de recherche du consentement › Date de remise de la notice sur la personne de confiance']]);
  });

  it('1.6.0: the information already delivered elsewhere, a group with French labels and its condition; once given, the notice is no longer asked for', () => {
    const { html } = form(marcel, 'marcel-dupont');
    expect(html).toContain('<legend>Information sur la personne de confiance déjà délivrée ailleurs</legend>');
    expect(html).toContain('<label for="consentInterview-priorInformation-by">Délivrée par<span class="required"> (obligatoire si cette partie est remplie)</span></label>');
    expect(html).toContain('<option value="etablissement">un autre établissement ou service social ou médico-social</option><option value="ofii">l’OFII (personne qui demande l’asile)</option>');
    expect(html).toContain(
      '<label for="consentInterview-priorInformation-name">Nom de l’établissement ou du service<span class="required"> (obligatoire si vous choisissez « un autre établissement ou service social ou médico-social » pour « Délivrée par »)</span></label>',
    );
    expect(html).toContain('<label for="consentInterview-priorInformation-on">Date de délivrance de l’information<span class="required"> (obligatoire si cette partie est remplie)</span></label>');
    const informed = form(marcel, 'marcel-dupont', (d) => {
      const { noticeGivenOn: _n, attestationSignedOn: _a, ...rest } = interview(d);
      d.consentInterview = { ...rest, priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines', on: '2026-09-15' } };
    });
    expect(informed.errors).toEqual([]);
    expect(informed.html).toMatch(/<label for="consentInterview-noticeGivenOn">Date de remise de la notice sur la personne de confiance<\/label>/);
    expect(informed.html).toContain('value="EHPAD Les Glycines"');
  });

  it('1.6.0: the earlier information dated on the interview’s day is refused beside its field, in the summary too', () => {
    const { html, errors } = form(marcel, 'marcel-dupont', (d) => {
      d.consentInterview = { on: '2026-10-20', outcome: 'consent', priorInformation: { by: 'ofii', on: '2026-10-20' } };
    });
    expect(errors).toEqual([expect.objectContaining({ field: 'consentInterview.priorInformation.on', code: 'PRIOR_INFORMATION_AFTER_INTERVIEW' })]);
    expect(html).toContain('<p class="field-error" id="consentInterview-priorInformation-on-erreur">L’information sur la personne de confiance délivrée par un autre établissement ou service, ou par l’OFII, ne dispense de la notice que si elle l’a été avant l’entretien');
    expect(summary(html)).toEqual([
      ['consentInterview-priorInformation-on', 'Entretien de recherche du consentement › Information sur la personne de confiance déjà délivrée ailleurs › Date de délivrance de l’information'],
    ]);
  });

  it('with a personne de confiance already designated: neither date is asked for', () => {
    const { html, errors } = form(jeanne, 'jeanne-martin');
    expect(errors).toEqual([]);
    expect(html).toMatch(/<label for="consentInterview-noticeGivenOn">Date de remise de la notice sur la personne de confiance<\/label>/);
    expect(html).toMatch(/<label for="consentInterview-attestationSignedOn">Date de l’attestation de délivrance de l’information \(signée\)<\/label>/);
  });
});

function summary(html: string): string[][] {
  return [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2].split(' : ')[0]]);
}

/**
 * AVENANT_ALREADY_EXISTS on the form (a new avenant or a correction onto a date the resident already
 * has one for): the message said where the existing avenant is as a path written out
 * (« … : /console/documents/<id>. »); the form now links to it, from the error's typed facts.
 */
describe('a second tariff avenant for a date: the form links to the existing one', () => {
  const schema = formSchemaOf(templates().load('avenant').content.inputSchema);
  const data: Data = { purpose: 'tarifs', tariffChange: { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026' } };
  const refusal = (documentId: string) => {
    const e = new AvenantAlreadyExistsError('2027-01-01', { documentId, createdAt: new Date('2026-12-02T10:00:00Z') });
    return documentFormPage(actor, 'csrf', {
      type: 'avenant',
      resident: marcel,
      schema,
      data,
      errors: e.details.map((d) => ({ ...d, field: d.field.slice('data.'.length) })),
      ...refusalMessage(e),
    });
  };
  const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0];

  it('the message without the path, then a link « Ouvrir l’avenant tarifaire au 1er janvier 2027 », and the date field’s error', () => {
    const html = refusal('0b7d6a52-5d0e-4a47-9d59-1c1f2b8e0a11');
    const summary = summaryOf(html);
    expect(summary).toContain(
      '<h2 id="erreurs-titre">Ce résident a déjà un avenant tarifaire au 1er janvier 2027 (créé le 2 décembre 2026) : un seul avenant tarifaire par date d’effet.</h2>',
    );
    expect(summary).toContain('<a href="/console/documents/0b7d6a52-5d0e-4a47-9d59-1c1f2b8e0a11">Ouvrir l’avenant tarifaire au 1er janvier 2027</a>');
    expect(summary.replace(/<[^>]+>/g, ' ')).not.toContain('/console/documents/');
    expect(html).toContain('<p class="field-error" id="tariffChange-effectiveOn-erreur">Un avenant tarifaire existe déjà au 1er janvier 2027 pour ce résident.</p>');
  });

  it('the link is built by the view layer: an id is escaped, never markup', () => {
    const summary = summaryOf(refusal('x"><script>alert(1)</script>'));
    expect(summary).not.toContain('<script>');
    expect(summary).toContain('href="/console/documents/x&quot;>&lt;script>alert(1)&lt;/script>"');
  });

  it('any other refusal: its message as it is', () => {
    expect(refusalMessage(new DomainError('conflict', 'DOCUMENT_SIGNED_USE_AVENANT', 'Ce document est signé.'))).toEqual({ errorMessage: 'Ce document est signé.' });
  });
});

describe('new document: one cause for every type (an expired measure) is said once, with a link to the measures', () => {
  it('the newcomer read the same 40-word message five times, with no way to the measure', () => {
    const reason = 'La mesure de protection (curatelle simple) a pris fin le 1er octobre 2026 et aucun renouvellement ne figure au dossier : renseignez la mesure en cours.';
    const types = (['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'] as const).map((type) => ({ type, allowed: false, reason }));
    const html = chooseTypePage(actor, 'csrf', marcel, types);
    expect(html.split(reason).length - 1).toBe(1);
    expect(html).toContain('href="/console/residents/r-marcel#mesures"');
    // Different reasons stay listed per type.
    const mixed = chooseTypePage(actor, 'csrf', marcel, [{ type: 'dipc', allowed: false, reason: 'A.' }, { type: 'avenant', allowed: false, reason: 'B.' }]);
    expect(mixed).toContain('Documents qui ne s’appliquent pas');
  });
});

/**
 * A correction (new version) of a DIPC: the form's own « Raison de cette nouvelle version » and the
 * DIPC's field `reason` (why a DIPC) were both `id="reason"` and `name="reason"` — two elements with
 * one id (the label, the summary's link and aria-describedby reached only the first; WCAG 4.1.1,
 * 1.3.1), and two values posted under one name.
 */
describe('the correction of a DIPC: no id twice on the form, the two reasons kept apart', () => {
  const schema = formSchemaOf(templates().load('dipc').content.inputSchema);
  const errors: FieldError[] = [
    { field: '_raisonVersion', code: 'REQUIRED', message: 'Indiquez la raison de cette nouvelle version.' },
    { field: 'reason', code: 'REQUIRED', message: 'Ce champ est obligatoire.' },
  ];
  const html = documentFormPage(actor, 'csrf', { type: 'dipc', resident: marcel, schema, data: {}, errors, correction: { documentId: 'd-1', nextVersion: 2, reason: '' } });

  it('every id once (what axe-core’s duplicate-id rules check), every label’s `for` and aria-describedby naming an element', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const [, target] of html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)) expect(ids).toContain(target);
    for (const [, list] of html.matchAll(/aria-describedby="([^"]+)"/g)) for (const id of list.split(' ')) expect(ids).toContain(id);
  });

  it('the correction’s reason and the DIPC’s own reason: two names, two errors, each linked to its field', () => {
    expect(html.match(/name="reason"/g)).toHaveLength(1);
    expect(html).toMatch(/<input[^>]*id="raison-version"[^>]*name="_raisonVersion"/);
    expect(html).toMatch(/<label for="raison-version">\s*Raison de cette nouvelle version/);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0];
    expect(summary).toMatch(/<a href="#raison-version">\s*Raison de cette nouvelle version : Indiquez la raison de cette nouvelle version\.\s*<\/a>/);
    expect(summary).toContain('href="#reason"');
    expect(summary).not.toMatch(/href="#reason">\s*Raison de cette nouvelle version/);
    expect(html).toContain('<p class="field-error" id="raison-version-erreur">Indiquez la raison de cette nouvelle version.</p>');
  });
});
