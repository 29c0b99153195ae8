import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { BulkCandidate, BulkRunView } from '@carepact/documents';
import { bulkFormPage, bulkListPage, bulkRunPage, recipientsSentence } from './bulk.views';

const actor = viewActor('admissions');

function run(over: Partial<BulkRunView>): BulkRunView {
  return {
    id: '00000000-0000-4000-8000-000000000004',
    establishmentId: VIEW_ESTABLISHMENT,
    kind: 'avenant-tarifs',
    documentType: 'avenant',
    status: 'running',
    commonData: { effectiveOn: '2027-01-01' },
    startedBy: { id: actor.userId, name: actor.name },
    createdAt: '2026-12-02T09:00:00.000Z',
    finishedAt: null,
    counts: { total: 3, pending: 0, created: 2, generated: 1, generationFailed: 0, skipped: 0, failed: 1, cancelled: 0 },
    inProgress: true,
    problems: [],
    ...over,
  };
}

const status = (html: string) => /<strong data-bulk="status">([^<]*)<\/strong>/.exec(html)?.[1];

describe('bulk generation pages', () => {
  it('every avenant created but one still generating: « En cours », not « Terminée », and no end date yet', () => {
    const html = bulkRunPage(actor, 'csrf', run({ status: 'completed', finishedAt: '2026-12-02T09:01:00.000Z' }), 'EHPAD', true);
    expect(status(html)).toBe('En cours');
    expect(html).not.toMatch(/État : <strong[^>]*>[^<]*<\/strong> \(le /);
    expect(html).toContain('<script src="/static/console-bulk.js" defer>');
    const list = bulkListPage(actor, 'csrf', [run({ status: 'completed' })], new Map(), true);
    expect(list).toContain('<strong>En cours</strong>');
  });

  it('« Terminée » once the last document is generated, with its date; the page stops following', () => {
    const counts = { total: 3, pending: 0, created: 2, generated: 2, generationFailed: 0, skipped: 0, failed: 1, cancelled: 0 };
    const html = bulkRunPage(actor, 'csrf', run({ status: 'completed', finishedAt: '2026-12-02T09:01:00.000Z', counts, inProgress: false }), 'EHPAD', true);
    expect(status(html)).toBe('Terminée');
    expect(html).toMatch(/État : <strong data-bulk="status">Terminée<\/strong> \(le /);
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('console-bulk.js');
  });

  it('running: the reload without JavaScript is inside <noscript>, so it never reloads the page the script follows', () => {
    const html = bulkRunPage(actor, 'csrf', run({}), 'EHPAD', true);
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>');
    expect(html.match(/http-equiv="refresh"/g)).toHaveLength(1);
  });
});

describe('bulk form wording: elision and agreement', () => {
  const candidate = (residentId: string, firstName: string, eligible = true): BulkCandidate => ({
    residentId,
    firstName,
    lastName: 'Durand',
    room: null,
    eligible,
    code: eligible ? null : 'NO_SIGNED_CONTRACT',
    reason: eligible ? null : 'pas de contrat signé',
  });
  const form = (candidates: BulkCandidate[], excluded: string[] = [], preview?: string) =>
    bulkFormPage(actor, 'csrf', {
      establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls' },
      candidates,
      values: {},
      excluded: new Set(excluded),
      ...(preview ? { preview: { residentName: preview, html: '<p>avenant</p>', hash: 'h' } } : {}),
    });

  it('« les résidents d’EHPAD Les Tilleuls » (was « de EHPAD »), « l’avenant d’Émile Durand »', () => {
    const html = form([candidate('a', 'Émile')], [], 'Émile Durand');
    expect(html).toContain('<h1>Avenant tarifaire pour les résidents d’EHPAD Les Tilleuls</h1>');
    expect(html).toContain('Aperçu : l’avenant d’Émile Durand</h2>');
    expect(html).not.toMatch(/de EHPAD|de Émile/);
  });

  it('the verb agrees with the residents chosen (was « 1 résident sur 1 éligible recevront »)', () => {
    expect(form([candidate('a', 'Émile')])).toContain('1 résident sur 1 éligible recevra l’avenant. Cochez « Écarter »');
    expect(form([candidate('a', 'Émile'), candidate('b', 'Marcel'), candidate('c', 'Paul', false)])).toContain('2 résidents sur 2 éligibles recevront l’avenant.');
    expect(form([candidate('a', 'Émile'), candidate('b', 'Marcel')], ['b'])).toContain('1 résident sur 2 éligibles recevra l’avenant.');
    expect(form([candidate('a', 'Émile')], ['a'])).toContain('Aucun résident sur 1 éligible ne recevra l’avenant.');
    // Nobody eligible: the page says so once, without a count of zero.
    const none = form([candidate('c', 'Paul', false)]);
    expect(none).toContain('Aucun résident de cet établissement ne peut recevoir d’avenant tarifaire pour le moment.');
    expect(none).not.toContain('recevra');
    expect(none).not.toContain('recevront');
  });

  it('dates as the rest of the console writes them: the form says nothing of « AAAA-MM-JJ » (the date field shows the browser’s own format), the runs say « au 1er janvier 2027 »', () => {
    const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const page = bulkFormPage(actor, 'csrf', {
      establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls' },
      candidates: [candidate('a', 'Émile')],
      values: { effectiveOn: '2027-01-01', cvsConsultedOn: '2026-11-20' },
      excluded: new Set(),
    });
    // The native date field keeps its ISO value (an attribute); no text shows a date that way.
    expect(page).toContain('value="2027-01-01"');
    expect(text(page)).not.toMatch(/AAAA-MM-JJ|\d{4}-\d{2}-\d{2}/);
    expect(text(page)).toContain('En général le 1er janvier.');
    const list = text(bulkListPage(actor, 'csrf', [run({ status: 'completed', inProgress: false })], new Map(), true));
    expect(list).toContain('Avenant tarifaire au 1er janvier 2027');
    expect(list).toContain('lancée le 2 décembre 2026 à 10 h 00');
    expect(list).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}/);
  });

  it('recipientsSentence, case by case', () => {
    expect(recipientsSentence(1, 1)).toBe('1 résident sur 1 éligible recevra l’avenant.');
    expect(recipientsSentence(3, 3)).toBe('3 résidents sur 3 éligibles recevront l’avenant.');
    expect(recipientsSentence(0, 2)).toBe('Aucun résident sur 2 éligibles ne recevra l’avenant.');
  });
});

describe('one run at a time, one tariff avenant per effective date', () => {
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const running = { id: '00000000-0000-4000-8000-000000000009', kind: 'avenant-tarifs' as const, effectiveOn: '2027-01-01', createdAt: '2026-12-02T09:00:00.000Z', startedByName: 'Claire Martin', itemCount: 3 };
  const state = {
    establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls' },
    candidates: [
      { residentId: 'a', firstName: 'Émile', lastName: 'Durand', room: '12', eligible: true, code: null, reason: null },
      {
        residentId: 'b',
        firstName: 'Marcel',
        lastName: 'Petit',
        room: '14',
        eligible: false,
        code: 'BULK_AVENANT_EXISTS',
        reason: 'Ce résident a déjà un avenant tarifaire au 1er janvier 2027, non annulé : un seul avenant tarifaire par date d’effet. Ouvrez son dossier pour le consulter.',
      },
    ],
    values: { effectiveOn: '2027-01-01' },
    excluded: new Set<string>(),
  };

  it('a run of this kind already running for the establishment: the form says so, names it and links to its progress', () => {
    const html = bulkFormPage(actor, 'csrf', { ...state, running });
    expect(text(html)).toContain(
      'Une génération groupée est déjà en cours pour cet établissement : Avenant tarifaire au 1er janvier 2027 , lancée le 2 décembre 2026 à 10 h 00 par Claire Martin (3 résidents). Attendez qu’elle se termine, ou annulez-la, avant d’en lancer une autre.',
    );
    expect(html.match(/href="\/console\/generations\/00000000-0000-4000-8000-000000000009"/g)).toHaveLength(2);
    expect(html).toContain('>Suivre sa progression</a>');
    expect(bulkFormPage(actor, 'csrf', state)).not.toContain('déjà en cours');
  });

  it('the refused start (409): the error summary and the running run, linked', () => {
    const html = bulkFormPage(actor, 'csrf', { ...state, running, errorMessage: 'La génération n’a pas été lancée : une autre est déjà en cours pour cet établissement.' });
    expect(html).toContain('<title>Erreur : Nouvelle génération groupée — EHPAD Les Tilleuls — CarePact</title>');
    expect(html).toMatch(/class="error-summary"[^>]*>\s*<h2 id="erreurs-titre">La génération n’a pas été lancée : une autre est déjà en cours pour cet établissement.<\/h2>/);
    expect(html).toContain('>Suivre sa progression</a>');
  });

  it('a resident who already has the avenant for this date: listed as excluded with the reason; skipped by the run with the reason and its code', () => {
    expect(text(bulkFormPage(actor, 'csrf', state))).toContain('Marcel Petit : Ce résident a déjà un avenant tarifaire au 1er janvier 2027, non annulé');
    const page = bulkRunPage(
      actor,
      'csrf',
      run({
        status: 'completed',
        inProgress: false,
        counts: { total: 2, pending: 0, created: 1, generated: 1, generationFailed: 0, skipped: 1, failed: 0, cancelled: 0 },
        problems: [
          {
            id: 'i',
            position: 2,
            residentId: 'b',
            residentName: 'Marcel Petit',
            status: 'skipped',
            documentId: null,
            documentStatus: null,
            code: 'BULK_AVENANT_EXISTS',
            message: state.candidates[1].reason,
          },
        ],
      }),
      'EHPAD Les Tilleuls',
      true,
    );
    expect(text(page)).toContain('Marcel Petit Écarté Ce résident a déjà un avenant tarifaire au 1er janvier 2027, non annulé');
    expect(page).toContain('<span class="item-code"> (BULK_AVENANT_EXISTS)</span>');
  });
});

describe('the yearly rate’s hint: the words of the tariff avenant (CASF L.342-3)', () => {
  it('« plusieurs hausses la même année ne dépassent pas, ensemble, ce taux », not « s’additionnent »', () => {
    const html = bulkFormPage(actor, 'csrf', { establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls' }, candidates: [], values: {}, excluded: new Set<string>() });
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('par rapport au prix en vigueur au 31 décembre précédent ; plusieurs hausses la même année ne dépassent pas, ensemble, ce taux (CASF L.342-3). Par exemple 2,5.');
    expect(text).not.toContain('s’additionnent');
  });
});

/**
 * Avenant 1.12.0: L.342-3 is the yearly revision of the hébergement price of places not habilitated
 * for aide sociale; habilitated places' hébergement price is fixed by the président du conseil
 * départemental (CASF L.314-1, R.314-35); the dependency price, for every place, by his arrêté (CASF
 * L.314-2, R.314-172). The form said « Fondement du changement » and cited L.342-3 for every price.
 */
describe('the basis is the hébergement price’s; the dependency price is the département’s arrêté (avenant 1.12.0)', () => {
  const html = bulkFormPage(actor, 'csrf', { establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls' }, candidates: [], values: {}, excluded: new Set<string>() });
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const fieldset = (name: string) => new RegExp(`<fieldset id="${name}"[\\s\\S]*?</fieldset>`).exec(html)![0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  it('the basis: the hébergement price, L.342-3 for places not habilitated, L.314-1 and R.314-35 for habilitated places, and the dependency price apart', () => {
    const basis = fieldset('commonData-basis');
    expect(basis).toContain('Fondement du prix de l’hébergement (obligatoire)');
    expect(basis).toContain('Le tarif dépendance n’en relève pas : il est arrêté par le président du conseil départemental pour toutes les places, habilitées ou non (CASF L.314-2 et R.314-172 et suivants).');
    expect(basis).toContain('Revalorisation annuelle du prix de l’hébergement des places non habilitées à l’aide sociale, dans la limite du taux fixé par arrêté ministériel (CASF L.342-3)');
    expect(basis).toContain('Prix de l’hébergement arrêté par le président du conseil départemental pour les places habilitées à l’aide sociale (CASF L.314-1 et R.314-35)');
    expect(text).not.toContain('Fondement du changement');
  });
  it('the new dependency price field cites the département’s arrêté (L.314-2, R.314-172), not L.342-3', () => {
    const hint = /id="commonData-dependanceGir56PerDay-aide"[^>]*>([^<]*)</.exec(html)![1];
    expect(hint).toBe('Tarif arrêté par le président du conseil départemental pour toutes les places, habilitées ou non (CASF L.314-2 et R.314-172 et suivants). Laissez vide pour garder celui en vigueur pour chaque résident.');
  });
});
