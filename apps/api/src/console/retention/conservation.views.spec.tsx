import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import { historyLabel, type DataJobView, type LegalHoldView, type PurgeReport, type SubjectDocument, type SubjectPerson, type Subjects } from '@carepact/archive';
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
        { state: 'present', id: avenant, type: 'avenant', subtype: null, residentId: 'r', residentFirstName: 'Émile', residentLastName: 'Durand', establishmentId: establishment },
        { state: 'present', id: contrat, type: 'contrat-sejour', subtype: null, residentId: 'r', residentFirstName: 'Marcel', residentLastName: 'Dupont', establishmentId: establishment },
      ],
    );
    const html = conservationPage(actor, 'csrf', { policies: [], regime: { publicLaw: false, activeBaseMonths: 24 }, holds: [hold(avenant, 'document'), hold(contrat, 'document')], subjects, staff: new Map([[`staff:${actor.userId}`, 'Direction']]) });
    expect(html).toContain(`<a href="/console/documents/${avenant}">Avenant au contrat de séjour d’Émile Durand</a>`);
    expect(html).toContain(`<a href="/console/documents/${contrat}">Contrat de séjour de Marcel Dupont</a>`);
  });
});

describe('Conservation page: public archives are those of L.211-4, 1° or 2° (Code du patrimoine)', () => {
  const page = (publicLaw: boolean) => {
    const html = conservationPage(actor, 'csrf', { policies: [], regime: { publicLaw, activeBaseMonths: 24 }, holds: [], subjects: subjectsOf([], []), staff: new Map() });
    return /<section aria-labelledby="archives">(.*?)<\/section>/s.exec(html)?.[1] ?? '';
  };
  it('the setting names both paragraphs and tells a private organisation with a public-service mission to check with the archives service', () => {
    const s = page(false);
    expect(s).toContain('<label for="publicLaw">Archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine) : les dossiers de l’organisation en sont</label>');
    expect(s).not.toContain('droit public)');
    expect(s).toContain('2° les documents qui procèdent de la gestion d’un service public ou de l’exercice d’une mission de service public par une personne de droit privé');
    // The sector lawyer's review of session 21: a private manager of a social or medico-social establishment is in principle not charged with a public-service mission (CE Sect. 22 février 2007, APREI), habilitation or not.
    // Session 22's review: APREI was decided for the private manager of a CAT (now ESAT); its transposition to every private ESMS is the rule in principe, not settled for all.
    expect(s).toContain('Le Conseil d’État a jugé qu’un organisme privé gérant un centre d’aide par le travail n’exerce pas de mission de service public (Conseil d’État, Section, 22 février 2007, APREI, n° 264541) ; la solution est en principe transposée aux autres établissements sociaux et médico-sociaux privés, même habilités à l’aide sociale, sans être tranchée pour tous');
    expect(s).toContain('rendu pour un centre d’aide par le travail et transposée aux autres établissements sans être tranchée pour tous');
    expect(s).toContain('ce qui n’est en principe pas le cas d’une association gestionnaire, même habilitée à l’aide sociale');
    expect(s).not.toContain('par exemple un établissement habilité à l’aide sociale');
    expect(s).toContain('vérifiez avec le service d’archives départementales');
    expect(s).not.toContain('Organisme de droit privé');
  });
  it('ticked: the visa of the person in charge of the contrôle scientifique et technique (R.212-14), the elimination under L.212-2, the offence (L.214-3)', () => {
    const s = page(true);
    expect(s).toContain('sont des archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine)');
    expect(s).toContain('de la personne chargée du contrôle scientifique et technique de l’État sur les archives (art. R.212-14)');
    expect(s).toContain('art. L.212-2, deuxième alinéa');
    expect(s).toContain('art. L.214-3');
    expect(s).not.toContain('R.212-51');
  });
  it('the history names the setting as the page does: public archives, not « droit public »', () => {
    expect(historyLabel('retention.archives_regime_changed')).toBe('Régime des archives changé (archives publiques, 1° ou 2° de l’article L.211-4 du Code du patrimoine ; durée en base active)');
  });
});

const REPORT_ID = '00000000-0000-4000-8000-0000000000f0';
const runOf = (over: Partial<DataJobView> = {}): DataJobView => ({
  id: '00000000-0000-4000-8000-0000000000f1',
  kind: 'purge_run',
  params: { kind: 'purge_run', reportId: REPORT_ID },
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
  answer: null,
  ...over,
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
  const run = runOf;
  const purged = subjectsOf([{ state: 'purged', id: person, purgedAt: '2026-12-02T09:06:00.000Z' }], [{ state: 'purged', id: doc, purgedAt: '2026-12-02T09:06:00.000Z' }]);
  const page = (r: DataJobView | null, subjects = purged) => purgeReportPage(actor, 'csrf', { id: REPORT_ID, report, createdAt: '2026-12-02T09:00:00.000Z', subjects, fresh: false, run: r, expired: false });
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

describe('« Exécuter la purge » on a simulation not yet run', () => {
  const doc = '00000000-0000-4000-8000-0000000000d2';
  const person = '00000000-0000-4000-8000-0000000000e2';
  const item: PurgeReport['documents'][number] = { id: doc, residentId: person, subject: 'contrat-sejour', departedOn: '2024-06-30', retentionEnds: '2025-06-30' };
  const kept = { heldDocuments: 0, heldResidents: 0, inRetentionDocuments: 0, inRetentionResidents: 0, inProgressDocuments: 0, residentsWithKeptDocuments: 0 };
  const report: PurgeReport = { organisationId: actor.organisationId, day: '2026-12-02', documents: [item], residents: [{ ...item, id: person, subject: 'dossier-resident' }], kept };
  const page = (over: Partial<Parameters<typeof purgeReportPage>[2]> = {}) =>
    purgeReportPage(actor, 'csrf', { id: REPORT_ID, report, createdAt: '2026-12-02T09:00:00.000Z', subjects: subjectsOf([], []), fresh: false, run: null, expired: false, ...over });
  const section = (html: string) => /<section aria-labelledby="executer">(.*?)<\/section>/s.exec(html)?.[1] ?? '';

  it('says what it deletes for good, asks for the box to be ticked, posts to the run route', () => {
    const s = section(page());
    expect(s).toContain(`action="/console/conservation/simulations/${REPORT_ID}/executer"`);
    expect(s).toContain('La purge supprime définitivement ce qui est listé ci-dessus (1 document et 1 dossier de personne)');
    expect(s).toContain('<input type="checkbox" id="confirm" name="confirm" value="oui"');
    expect(s).toContain('Je confirme la suppression définitive de 1 document et 1 dossier de personne.');
    expect(s).toContain('<button type="submit" class="danger">Exécuter la purge</button>');
  });

  it('the box not ticked: the error summed up and beside it, « Erreur — » in the title', () => {
    const html = page({ errors: [{ field: 'confirm', code: 'CONFIRMATION_REQUIRED', message: 'Cochez la case pour confirmer la suppression définitive.' }] });
    expect(html).toContain('<title>Erreur — Simulation de purge du 2 décembre 2026 — CarePact</title>');
    expect(html).toContain('<a href="#confirm">Confirmation : Cochez la case pour confirmer la suppression définitive.</a>');
    expect(html).toContain('id="confirm-erreur"');
    expect(page({ refusal: 'Ce rapport a déjà été exécuté : lancez une nouvelle simulation.' })).toContain('La purge n’a pas été lancée : Ce rapport a déjà été exécuté : lancez une nouvelle simulation.');
  });

  it('no form when the simulation is too old or has nothing to delete, nor once a purge was asked', () => {
    expect(section(page({ expired: true }))).toContain('Cette simulation a plus de 7 jours : lancez une nouvelle simulation');
    expect(section(page({ expired: true }))).not.toContain('<form');
    expect(section(page({ report: { ...report, documents: [], residents: [] } }))).toBe('<h2 id="executer">Exécuter la purge</h2><p>Rien à supprimer : il n’y a pas de purge à exécuter.</p>');
    const running = page({ run: runOf({ status: 'running', done: 0, total: 2, finishedAt: null, report: null }) });
    expect(running).not.toContain('aria-labelledby="executer"');
    expect(running).toContain(`<a href="/console/conservation/simulations/${REPORT_ID}">Actualiser la page</a> pour suivre la purge.`);
  });

  it('a public organisation: the archives’ visa asked in the run form (Code du patrimoine R.212-14), its errors beside each field; none for a private one', () => {
    expect(section(page())).not.toContain('visaReference');
    const s = section(page({ publicLaw: true }));
    expect(s).toContain('<legend>Visa du contrôle scientifique et technique de l’État sur les archives</legend>');
    for (const name of ['visaReference', 'visaDate', 'visaSignatory']) expect(s).toContain(`name="${name}"`);
    expect(s).toContain('art. R.212-14');
    // R.212-14: the visa is given by « la personne chargée du contrôle scientifique et technique de l'État sur les archives »: her name and quality.
    expect(s).toContain('<label for="visaSignatory">Nom et qualité du signataire du visa');
    expect(s).toContain('La personne chargée du contrôle scientifique et technique de l’État sur les archives qui a visé le bordereau');
    expect(s).not.toContain('administration des archives');
    expect(s).not.toContain('R.212-51');
    const refused = page({
      publicLaw: true,
      values: { visaReference: 'BE-14', visaDate: '', visaSignatory: '' },
      errors: [{ field: 'visaDate', code: 'PURGE_VISA_DATE_INVALID', message: 'Date du visa attendue au format AAAA-MM-JJ.' }],
    });
    expect(refused).toContain('<a href="#visaDate">Date du visa : Date du visa attendue au format AAAA-MM-JJ.</a>');
    expect(refused).toContain('id="visaDate-erreur"');
    expect(refused).toContain('value="BE-14"');
  });
});
