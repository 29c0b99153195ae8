import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { BulkRunView } from '@carepact/documents';
import { bulkListPage, bulkRunPage } from './bulk.views';

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
