import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { AccessRequestStatement, Subjects, DataJobView } from '@carepact/archive';
import { archivePage, personLabel } from './archive.views';

const ours = VIEW_ESTABLISHMENT;
const theirs = '00000000-0000-4000-8000-000000000009';
const actor = viewActor('administrator');

function job(params: DataJobView['params'], over: Partial<DataJobView> = {}): DataJobView {
  return {
    id: '00000000-0000-4000-8000-000000000004',
    kind: params.kind,
    params,
    status: 'done',
    phase: 'done',
    done: 1,
    total: 1,
    report: null,
    resultSha256: null,
    resultBytes: null,
    error: null,
    requestedBy: `staff:${actor.userId}`,
    createdAt: '2026-12-02T09:00:00.000Z',
    finishedAt: '2026-12-02T09:01:00.000Z',
    answer: null,
    ...over,
  };
}

const scopes = (jobs: DataJobView[], subjects: Subjects) =>
  [...archivePage(actor, 'csrf', { jobs, subjects, people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } }, establishments: [], refreshing: false, refreshStopped: false }).matchAll(/<td data-label="Périmètre">(.*?)<\/td>/g)].map(
    (m) => m[1],
  );

describe('archives page: what each request is about', () => {
  const a = '00000000-0000-4000-8000-00000000000a';
  const b = '00000000-0000-4000-8000-00000000000b';
  const c = '00000000-0000-4000-8000-00000000000c';
  const d = '00000000-0000-4000-8000-00000000000d';

  it('a person of an establishment the administrator does not see: neither her name nor a link; an unknown person: no id either', () => {
    const subjects: Subjects = {
      people: new Map([
        [a, { state: 'present', id: a, lastName: 'Dupont', firstName: 'Marcel', birthDate: '1947-07-02', establishmentId: ours }],
        [b, { state: 'present', id: b, lastName: 'Ailleurs', firstName: 'Anne', birthDate: '1950-01-01', establishmentId: theirs }],
        [c, { state: 'unknown', id: c }],
      ]),
      establishments: new Map(),
      documents: new Map(),
      reports: new Map(),
    };
    const html = scopes(
      [job({ kind: 'access_request', residentId: a }), job({ kind: 'archive_export', scope: 'resident', id: b }), job({ kind: 'access_request', residentId: c }), job({ kind: 'access_request', residentId: d })],
      subjects,
    );
    expect(html).toEqual([
      `personne : <a href="/console/residents/${a}">Dupont Marcel, date de naissance : 2 juillet 1947</a>`,
      'personne d’un établissement dont vous ne voyez pas les résidents',
      'personne introuvable',
      'personne introuvable',
    ]);
  });

  it('an establishment by name; its name unknown, the period alone, as before', () => {
    const from = '2025-12-31T23:00:00.000Z';
    const to = '2026-12-31T23:00:00.000Z';
    const html = scopes(
      [job({ kind: 'archive_export', scope: 'establishment', id: ours, from, to }), job({ kind: 'archive_export', scope: 'establishment', id: theirs, from, to })],
      { people: new Map(), establishments: new Map([[ours, 'EHPAD Les Tilleuls']]), documents: new Map(), reports: new Map() },
    );
    expect(html).toEqual(['établissement EHPAD Les Tilleuls, du 1er janvier 2026 au 31 décembre 2026', 'établissement, du 1er janvier 2026 au 31 décembre 2026']);
  });

  it('a document by its type and resident, linked to its page; not visible, purged or unknown: no id, no link', () => {
    const subjects: Subjects = {
      people: new Map(),
      establishments: new Map(),
      documents: new Map([
        [a, { state: 'present', id: a, type: 'contrat-sejour', subtype: null, residentId: a, establishmentId: ours, residentLastName: 'Dupont', residentFirstName: 'Marcel' }],
        [b, { state: 'present', id: b, type: 'dipc', subtype: null, residentId: b, establishmentId: theirs, residentLastName: 'Ailleurs', residentFirstName: 'Anne' }],
        [c, { state: 'purged', id: c, purgedAt: '2026-12-01T10:00:00.000Z' }],
      ]),
      reports: new Map(),
    };
    const html = scopes([a, b, c, d].map((id) => job({ kind: 'archive_export', scope: 'document', id })), subjects);
    expect(html).toEqual([
      `document : <a href="/console/documents/${a}">Contrat de séjour de Dupont Marcel</a>`,
      'document d’un établissement dont vous ne voyez pas les résidents',
      'document supprimé le 1er décembre 2026 (durée de conservation atteinte)',
      'document introuvable',
    ]);
    expect(html.join(' ')).not.toMatch(/[0-9a-f]{8}…/);
  });

  it('a purge simulation by its day and a purge by the simulation it carries out, each linked to the simulation; no id', () => {
    const report = '00000000-0000-4000-8000-0000000000e1';
    const html = scopes(
      [job({ kind: 'purge_report', day: '2026-12-02' }, { id: report }), job({ kind: 'purge_run', reportId: report }), job({ kind: 'purge_run', reportId: d })],
      { people: new Map(), establishments: new Map(), documents: new Map(), reports: new Map([[report, '2026-12-02']]) },
    );
    expect(html).toEqual([
      `<a href="/console/conservation/simulations/${report}">dossiers et documents à supprimer au 2 décembre 2026</a>`,
      `suppressions de la <a href="/console/conservation/simulations/${report}">simulation du 2 décembre 2026</a>`,
      'simulation introuvable',
    ]);
    expect(html.join(' ')).not.toMatch(/[0-9a-f]{8}…|jour 20/);
  });
});

describe('archives page: progress of a running request', () => {
  const progress = (over: Partial<DataJobView>) =>
    /<td data-label="Avancement">(.*?)<\/td>/.exec(
      archivePage(actor, 'csrf', {
        jobs: [job({ kind: 'purge_report', day: '2026-12-02' }, { status: 'running', finishedAt: null, done: 0, total: 0, phase: null, ...over })],
        subjects: { people: new Map(), establishments: new Map(), documents: new Map(), reports: new Map() },
        people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
        establishments: [],
        refreshing: false,
        refreshStopped: false,
      }),
    )?.[1];

  it('« Préparation » before a phase is known, the phase once it is, the count once there is one', () => {
    expect(progress({})).toBe('<span>Préparation</span>');
    expect(progress({ phase: 'manifest' })).toBe('<span>Préparation (manifeste)</span>');
    expect(progress({ phase: 'documents', done: 3, total: 10 })).toContain('3 sur 10 documents');
  });
});

describe('archives page: stopping the refresh keeps the searches', () => {
  const page = (refreshing: boolean, refreshStopped: boolean) =>
    archivePage(actor, 'csrf', {
      jobs: [job({ kind: 'purge_report', day: '2026-12-02' }, { status: 'running', finishedAt: null })],
      subjects: { people: new Map(), establishments: new Map(), documents: new Map(), reports: new Map() },
      people: { export: { words: 'dupont', found: [], total: 0 }, access: { words: 'martin 7', found: [], total: 0 } },
      establishments: [],
      refreshing,
      refreshStopped,
    });
  const href = (html: string, text: string) => new RegExp(`<a href="([^"]*)">${text}</a>`).exec(html)?.[1].replace(/&amp;/g, '&');

  it('« Arrêter l’actualisation » and « Actualiser la page » lead to the page with both person searches', () => {
    expect(href(page(true, false), 'Arrêter l’actualisation')).toBe('/console/archives?actualiser=non&personne-paquet=dupont&personne-acces=martin+7');
    expect(href(page(false, true), 'Actualiser la page')).toBe('/console/archives?personne-paquet=dupont&personne-acces=martin+7');
  });
});

describe('archives page: dates as the rest of the console writes them', () => {
  it('« 2 décembre 2026 à 10 h 00 » (Paris), never 02/12/2026 10:00', () => {
    const html = archivePage(actor, 'csrf', {
      jobs: [job({ kind: 'purge_report', day: '2026-12-02' })],
      subjects: { people: new Map(), establishments: new Map(), documents: new Map(), reports: new Map() },
      people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
    });
    expect(/<td data-label="Date">([^<]*)<\/td>/.exec(html)?.[1]).toBe('Demandée le 2 décembre 2026 à 10 h 00');
    expect(html).toContain('Terminé le 2 décembre 2026 à 10 h 01');
    expect(html.replace(/<[^>]+>/g, ' ')).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
  });
});

describe('archives page: a document’s package from its page', () => {
  it('the form starts on « Un document » with its id (it asked to copy the id from the page’s address)', () => {
    const id = '00000000-0000-4000-8000-0000000000ee';
    const html = archivePage(actor, 'csrf', {
      jobs: [],
      subjects: { residents: new Map(), establishments: new Map(), documents: new Map() } as unknown as Subjects,
      people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
      prefill: { scope: 'document', documentId: id },
    });
    expect(html).toMatch(/<option value="document" selected/);
    expect(html).toMatch(new RegExp(`name="documentId"[^>]*value="${id}"|value="${id}"[^>]*name="documentId"`));
  });
});

describe('archives page: wording without a guessed agreement, and who asks for a minor', () => {
  const page = () =>
    archivePage(actor, 'csrf', {
      jobs: [job({ kind: 'access_request', residentId: '00000000-0000-4000-8000-0000000000a1' })],
      subjects: {
        people: new Map([['00000000-0000-4000-8000-0000000000a1', { state: 'present', id: '00000000-0000-4000-8000-0000000000a1', lastName: 'Moreau', firstName: 'Enzo', birthDate: '2012-05-04', establishmentId: ours }]]),
        establishments: new Map(),
        documents: new Map(),
        reports: new Map(),
      },
      people: {
        export: { words: '', found: [], total: 0 },
        access: { words: 'Moreau', found: [['00000000-0000-4000-8000-0000000000a1', personLabel({ lastName: 'Moreau', firstName: 'Enzo', birthDate: '2012-05-04' })]], total: 1 },
      },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
    });

  it('a person is named with « date de naissance : … », never « né·e »', () => {
    const html = page();
    expect(html).not.toContain('né·e');
    expect(html).toContain('Moreau Enzo, date de naissance : 4 mai 2012');
  });

  it('the representative who asks includes a minor’s parents and the tuteur of a minor', () => {
    expect(page()).toContain('Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)');
  });
});

describe('archives page: a request after the death as its answer page tells it (CSP L.1110-4 V, L.1111-7)', () => {
  const person = '00000000-0000-4000-8000-0000000000a2';
  // Received on 30 November, recorded on 3 December at 19 h 55 (Paris): the 48 hours end at midnight starting 3 December (notBeforeOf).
  const request: AccessRequestStatement = {
    from: 'ayant_droit',
    receivedOn: '2026-11-30',
    answerDue: '2026-12-08',
    statement: 'Courrier de son fils : causes du décès',
    heir: { purpose: 'causes_of_death', deceasedOn: '2026-11-20', deceasedObjection: 'none' },
    notBefore: '2026-12-02T23:00:00.000Z',
  };
  const selection = { items: ['dossier' as const], justification: 'Le dossier suffit pour connaître les causes.', recordedAt: '2026-12-03T19:00:00.000Z', recordedBy: 'staff', sha256: 'a'.repeat(64) };
  const row = (over: Partial<DataJobView>) => {
    const html = archivePage(actor, 'csrf', {
      jobs: [job({ kind: 'access_request', residentId: person, request }, { createdAt: '2026-12-03T18:55:00.000Z', ...over })],
      subjects: {
        people: new Map([[person, { state: 'present', id: person, lastName: 'Partie', firstName: 'Jean', birthDate: '1940-01-01', establishmentId: ours }]]),
        establishments: new Map(),
        documents: new Map(),
        reports: new Map(),
      },
      people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
    });
    const cell = (label: string) => new RegExp(`<td data-label="${label}">(.*?)</td>`).exec(html)![1].replace(/<span class="visually-hidden">.*?<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    return { date: cell('Date'), state: cell('État'), file: cell('Fichier'), progress: cell('Avancement') };
  };

  it('« Avancement » says what was made, in the row’s words — the working package, then the package to send — not « Terminé »', () => {
    expect(row({}).progress).toBe('Paquet de travail prêt le 2 décembre 2026 à 10 h 01');
    expect(row({ answer: { state: 'selection_recorded', selection }, report: {} }).progress).toBe('Paquet de travail prêt le 2 décembre 2026 à 10 h 01');
    expect(row({ answer: { state: 'selection_recorded', selection }, report: { selectionSha256: selection.sha256 } }).progress).toBe('Paquet à transmettre prêt le 2 décembre 2026 à 10 h 01');
  });

  it('not yet sorted: « à trier », not the job’s « Terminé »; the day it was received, then when it was recorded', () => {
    const r = row({});
    expect(r.state).toMatch(/^Paquet de travail prêt, à trier /);
    expect(r.state).not.toContain('Terminé');
    expect(r.date).toBe('Reçue le 30 novembre 2026 (enregistrée le 3 décembre 2026 à 19 h 55)');
  });

  it('the 48 hours ending at midnight: « à partir du 3 décembre 2026 », never « à 0 h 00 »', () => {
    const r = row({});
    expect(r.state).toContain('Réponse due au plus tard le 8 décembre 2026 ; communication à partir du 3 décembre 2026 (48 heures');
    expect(r.state).not.toContain('0 h 00');
  });

  it('the working package is labelled as not to be passed on; the sorted one as the one to send', () => {
    expect(row({}).file).toBe('Télécharger le paquet de travail (à ne pas transmettre)');
    // Sorted, the zip not yet made again with the selection: still the working copy's name.
    expect(row({ answer: { state: 'selection_recorded', selection }, report: {} }).file).toBe('Télécharger le paquet de travail (à ne pas transmettre)');
    const sorted = row({ answer: { state: 'selection_recorded', selection }, report: { selectionSha256: selection.sha256 } });
    expect(sorted.file).toBe('Télécharger le paquet à transmettre');
    expect(sorted.state).toMatch(/^Tri enregistré, paquet prêt à transmettre /);
  });

  it('refused or delivered: its answer, no deadline left', () => {
    const delivered = row({ answer: { state: 'delivered', selection, delivery: { deliveredAt: '2026-12-04T09:00:00.000Z', deliveredBy: 'staff', resultSha256: null } }, report: { selectionSha256: selection.sha256 } });
    expect(delivered.state).toBe('Transmis au demandeur Voir la réponse');
    expect(delivered.file).toBe('Télécharger le paquet transmis');
    const refused = row({ answer: { state: 'refused' } });
    expect(refused.state).toBe('Refusée (refus motivé) Voir la réponse');
    expect(refused.file).toBe('Aucun : demande refusée');
  });

  it('another kind of zip keeps its plain name', () => {
    expect(/Télécharger le zip/.test(archivePage(actor, 'csrf', {
      jobs: [job({ kind: 'archive_export', scope: 'resident', id: person })],
      subjects: { people: new Map(), establishments: new Map(), documents: new Map(), reports: new Map() },
      people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
    }))).toBe(true);
  });
});

describe('archives page: a living person’s request about her health information (CSP L.1111-7 al. 2; RGPD art. 12(3) for the rest)', () => {
  const person = '00000000-0000-4000-8000-0000000000a3';
  const request: AccessRequestStatement = {
    from: 'representative',
    receivedOn: '2026-11-30',
    answerDue: '2026-12-08',
    answerDueOlderInformation: '2027-01-30',
    healthInformation: true,
    answerDueOtherData: '2026-12-30',
    statement: 'Courrier de sa tutrice : copie de son dossier',
    notBefore: '2026-12-02T23:00:00.000Z',
    warnings: [{ code: 'HEALTH_ACCESS_REPRESENTATION_UNVERIFIED', message: 'Le dossier de la personne n’enregistre aucune mesure de protection en cours.' }],
  };
  const html = (r: AccessRequestStatement, now?: Date) =>
    archivePage(actor, 'csrf', {
      now,
      jobs: [job({ kind: 'access_request', residentId: person, request: r })],
      subjects: {
        people: new Map([[person, { state: 'present', id: person, lastName: 'Vivant', firstName: 'Paul', birthDate: '1940-01-01', establishmentId: ours }]]),
        establishments: new Map(),
        documents: new Map(),
        reports: new Map(),
      },
      people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
      establishments: [],
      refreshing: false,
      refreshStopped: false,
    });
  const cell = (page: string, label: string) => new RegExp(`<td data-label="${label}">(.*?)</td>`).exec(page)![1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

  it('both due dates, each named — health information (eight days, two months when older) and other data (a month) —, the 48 hours and the warning', () => {
    const state = cell(html(request), 'État');
    expect(state).toBe(
      'Terminé Informations de santé : réponse due au plus tard le 8 décembre 2026 (le 30 janvier 2027 pour celles de plus de cinq ans) ; autres données : au plus tard le 30 décembre 2026 (RGPD, art. 12) ; communication des informations de santé à partir du 3 décembre 2026 (48 heures, Code de la santé publique, art. L.1111-7) À vérifier : Le dossier de la personne n’enregistre aucune mesure de protection en cours.',
    );
    expect(html(request)).toContain('Demande d’accès (RGPD art. 15 ; informations de santé : Code de la santé publique, art. L.1111-7)');
    expect(cell(html(request), 'Avancement')).toBe('Zip prêt le 2 décembre 2026 à 10 h 01');
  });

  it('while the 48 hours run (L.1111-7 al. 2) her zip is not offered: « à partir du … » instead of the link; after, the link', () => {
    const before = html(request, new Date('2026-12-02T22:59:59Z'));
    expect(before).not.toContain('/telecharger');
    expect(cell(before, 'Fichier')).toBe('Zip prêt : à télécharger et remettre à partir du 3 décembre 2026 (délai de réflexion de 48 heures, Code de la santé publique, art. L.1111-7).');
    // Not at midnight: the hour too.
    expect(cell(html({ ...request, notBefore: '2026-12-03T13:30:00.000Z' }, new Date('2026-12-03T13:29:00Z')), 'Fichier')).toContain('à partir du 3 décembre 2026 à 14 h 30 (délai');
    expect(cell(html(request, new Date('2026-12-02T23:00:00Z')), 'Fichier')).toBe('Télécharger le zip (Demande d’accès (RGPD art. 15 ; informations de santé : Code de la santé publique, art. L.1111-7), personne : Vivant Paul, date de naissance : 1er janvier 1940)');
  });

  it('a request without health information: the job’s state only', () => {
    const { healthInformation: _h, answerDueOtherData: _o, answerDueOlderInformation: _a, notBefore: _n, warnings: _w, ...plain } = request;
    expect(cell(html({ ...plain, answerDue: '2026-12-30' }), 'État')).toBe('Terminé');
  });

  it('the form asks whether the request concerns health information, citing L.1111-7', () => {
    expect(html(request)).toMatch(/<input type="checkbox" id="[^"]*" name="requestHealthInformation" value="oui"/);
    expect(html(request)).toContain('La demande porte sur des informations de santé de la personne (Code de la santé publique, art. L.1111-7)');
  });
});
