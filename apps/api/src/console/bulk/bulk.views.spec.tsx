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
