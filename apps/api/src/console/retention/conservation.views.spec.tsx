import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { DataJobView, LegalHoldView, PurgeReport, SubjectDocument, SubjectPerson, Subjects } from '@carepact/archive';
import { conservationPage, purgeReportPage } from './conservation.views';

const establishment = VIEW_ESTABLISHMENT;
const actor = viewActor('director');

function hold(subjectId: string, subjectType: LegalHoldView['subjectType']): LegalHoldView {
  return { id: subjectId.replace(/.$/, 'f'), subjectType, subjectId, reason: 'Contentieux', placedBy: `staff:${actor.userId}`, placedAt: '2026-12-02T09:00:00.000Z', liftedBy: null, liftedAt: null, liftReason: null };
}

const subjectsOf = (people: SubjectPerson[], documents: SubjectDocument[]): Subjects => ({
  people: new Map(people.map((p) => [p.id, p])),
  documents: new Map(documents.map((d) => [d.id, d])),
  establishments: new Map(),
  reports: new Map(),
});

describe('Conservation page: the held documents are named as the Archives page names them', () => {
  it('type from the shared table (« Avenant au contrat de séjour », not « Avenant »), with elision before a vowel', () => {
    const avenant = '00000000-0000-4000-8000-00000000000a';
    const contrat = '00000000-0000-4000-8000-00000000000b';
    const subjects = subjectsOf(
      [],
      [
        { state: 'present', id: avenant, type: 'avenant', residentId: 'r', residentFirstName: 'Émile', residentLastName: 'Durand', establishmentId: establishment },
        { state: 'present', id: contrat, type: 'contrat-sejour', residentId: 'r', residentFirstName: 'Marcel', residentLastName: 'Dupont', establishmentId: establishment },
      ],
    );
    const html = conservationPage(actor, 'csrf', { policies: [], holds: [hold(avenant, 'document'), hold(contrat, 'document')], subjects, staff: new Map([[`staff:${actor.userId}`, 'Direction']]) });
    expect(html).toContain(`<a href="/console/documents/${avenant}">Avenant au contrat de séjour d’Émile Durand</a>`);
    expect(html).toContain(`<a href="/console/documents/${contrat}">Contrat de séjour de Marcel Dupont</a>`);
  });
});

describe('a purge simulation read again after the purge carried it out', () => {
  const doc = '00000000-0000-4000-8000-0000000000d1';
  const person = '00000000-0000-4000-8000-0000000000e1';
  const report: PurgeReport = {
    organisationId: actor.organisationId,
    day: '2026-12-02',
    documents: [{ id: doc, residentId: person, subject: 'contrat-sejour', departedOn: '2024-06-30', retentionEnds: '2025-06-30' }],
    residents: [{ id: person, residentId: person, subject: 'dossier-resident', departedOn: '2024-06-30', retentionEnds: '2025-06-30' }],
    kept: { heldDocuments: 0, heldResidents: 0, inRetentionDocuments: 0, inRetentionResidents: 0, inProgressDocuments: 0, residentsWithKeptDocuments: 0 },
  };
  const run = (over: Partial<DataJobView>): DataJobView => ({
    id: '00000000-0000-4000-8000-0000000000f1',
    kind: 'purge_run',
    params: { kind: 'purge_run', reportId: '00000000-0000-4000-8000-0000000000f0' },
    status: 'done',
    phase: 'done',
    done: 2,
    total: 2,
    report: { documents: 1, residents: 1, blobs: 9, skipped: 0 },
    resultSha256: null,
    resultBytes: null,
    error: null,
    requestedBy: `staff:${actor.userId}`,
    createdAt: '2026-12-02T09:05:00.000Z',
    finishedAt: '2026-12-02T09:06:00.000Z',
    ...over,
  });
  const purged = subjectsOf([{ state: 'purged', id: person, purgedAt: '2026-12-02T09:06:00.000Z' }], [{ state: 'purged', id: doc, purgedAt: '2026-12-02T09:06:00.000Z' }]);
  const page = (r: DataJobView | null, subjects = purged) => purgeReportPage(actor, 'csrf', { report, createdAt: '2026-12-02T09:00:00.000Z', subjects, fresh: false, run: r });
  const notice = (html: string) => /<div class="notice[^"]*" role="status"><p>(.*?)<\/p><\/div>/.exec(html)?.[1];

  it('says the purge ran, what it deleted, and names each deleted item by the date of its deletion', () => {
    const html = page(run({}));
    expect(notice(html)).toBe('Simulation calculée le 2 décembre 2026 à 10 h 00. Purge exécutée le 2 décembre 2026 à 10 h 06 : 1 document supprimé, 1 dossier supprimé.');
    expect(html).toContain('Ce que la simulation prévoyait de supprimer');
    expect(html).toContain('Document supprimé le 2 décembre 2026');
    expect(html).toContain('Dossier supprimé le 2 décembre 2026');
    expect(html).not.toContain('élément introuvable');
    expect(html).not.toContain('rien n’a été supprimé');
    expect(html).not.toContain('purge --report');
  });

  it('a purge still running or failed is said as such; no purge: « rien n’a été supprimé » as before', () => {
    expect(notice(page(run({ status: 'running', finishedAt: null, done: 1, total: 2, report: null })))).toBe(
      'Simulation calculée le 2 décembre 2026 à 10 h 00. La purge demandée le 2 décembre 2026 à 10 h 05 est en cours (1 sur 2).',
    );
    expect(notice(page(run({ status: 'failed', finishedAt: null, report: null, error: 'Base de données indisponible' })))).toBe(
      'Simulation calculée le 2 décembre 2026 à 10 h 00. La purge demandée le 2 décembre 2026 à 10 h 05 a échoué : Base de données indisponible.',
    );
    const before = page(null, subjectsOf([], []));
    expect(notice(before)).toBe('Simulation calculée le 2 décembre 2026 à 10 h 00 : rien n’a été supprimé.');
    expect(before).toContain('Ce qui serait supprimé aujourd’hui');
  });
});
