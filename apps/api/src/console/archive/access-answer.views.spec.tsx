import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { AccessRequestStatement, DataJobView } from '@carepact/archive';
import { accessAnswerPage, deadlinesText, notBeforeWords } from './access-answer.views';

const actor = viewActor('administrator');
const id = '00000000-0000-4000-8000-000000000004';
// Received on 30 November: the 48 hours (CSP L.1111-7 al. 2) end at midnight starting 3 December, Paris (notBeforeOf).
const request: AccessRequestStatement = {
  from: 'ayant_droit',
  receivedOn: '2026-11-30',
  answerDue: '2026-12-08',
  statement: 'Courrier de son fils : causes du décès',
  heir: { purpose: 'causes_of_death', deceasedOn: '2026-11-20', deceasedObjection: 'none' },
  notBefore: '2026-12-02T23:00:00.000Z',
};
const selection = { items: ['dossier' as const], justification: 'Le dossier suffit pour connaître les causes.', recordedAt: '2026-12-02T19:00:00.000Z', recordedBy: 'staff', sha256: 'a'.repeat(64) };

function page(over: Partial<DataJobView>, now: string): string {
  const job: DataJobView = {
    id,
    kind: 'access_request',
    params: { kind: 'access_request', residentId: '00000000-0000-4000-8000-0000000000a2', request },
    status: 'done',
    phase: 'done',
    done: 1,
    total: 1,
    report: {},
    resultSha256: null,
    resultBytes: null,
    error: null,
    requestedBy: `staff:${actor.userId}`,
    createdAt: '2026-12-01T18:55:00.000Z',
    finishedAt: '2026-12-01T18:56:00.000Z',
    answer: null,
    ...over,
  };
  return accessAnswerPage(actor, 'csrf', {
    job,
    request,
    person: 'Partie Jean, date de naissance : 1er janvier 1940',
    items: [{ key: 'dossier', label: 'Le dossier de la personne' }],
    mine: true,
    establishment: { id: VIEW_ESTABLISHMENT, name: 'EHPAD Les Tilleuls', legalStatus: 'public', canEdit: true },
    now: new Date(now),
  });
}

/** The transmission section's words, tags removed. */
const transmission = (html: string) =>
  /<section aria-labelledby="transmission">(.*?)<\/section>/s
    .exec(html)![1]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const sorted = { answer: { state: 'selection_recorded' as const, selection }, report: { selectionSha256: selection.sha256 } };

describe('answer page: « Enregistrer la transmission » only when it can be recorded (DataJobsService.recordDelivery)', () => {
  it('before the sorting: no button, why (after the sorting) and from when (the 48 hours, midnight written as a day)', () => {
    const html = page({}, '2026-12-02T10:00:00.000Z');
    expect(html).not.toContain('Enregistrer la transmission</button>');
    expect(html).not.toContain('/transmission"');
    expect(transmission(html)).toContain('Vous pourrez enregistrer la transmission après le tri');
    expect(transmission(html)).toContain('Dans tous les cas, à partir du 3 décembre 2026 seulement (48 heures après la demande).');
    expect(html).not.toContain('0 h 00');
  });

  it('sorted but too early: no button, « Vous pourrez enregistrer la transmission à partir du 3 décembre 2026 »', () => {
    const html = page(sorted, '2026-12-02T10:00:00.000Z');
    expect(html).not.toContain('/transmission"');
    expect(transmission(html)).toContain('Vous pourrez enregistrer la transmission à partir du 3 décembre 2026 (48 heures après la demande).');
    expect(transmission(html)).not.toContain('après le tri');
  });

  it('sorted, the sorted package still being made: no button, said so', () => {
    const html = page({ ...sorted, status: 'running', report: {} }, '2026-12-04T10:00:00.000Z');
    expect(html).not.toContain('/transmission"');
    expect(transmission(html)).toContain('une fois le paquet à transmettre préparé');
  });

  it('sorted, its package ready and the 48 hours past: the button, and the state as the archives list writes it', () => {
    const html = page(sorted, '2026-12-04T10:00:00.000Z');
    expect(html).toContain(`action="/console/archives/${id}/transmission"`);
    expect(html).toMatch(/<button type="submit" aria-describedby="transmission-aide">\s*Enregistrer la transmission\s*<\/button>/);
    expect(transmission(html)).not.toContain('Vous pourrez');
    expect(html).toContain('<dd>Tri enregistré, paquet prêt à transmettre</dd>');
  });

  it('the 48 hours at midnight: « à partir du 3 décembre 2026 », never « à 0 h 00 »; another instant keeps its hour', () => {
    const html = page({}, '2026-12-04T10:00:00.000Z');
    expect(html).toContain('communication à partir du 3 décembre 2026 (48 heures');
    expect(html).toContain('suivant la demande : à partir du 3 décembre 2026 (Code de la santé publique');
    expect(html).not.toContain('0 h 00');
    expect(html).toContain('<dd>Paquet de travail prêt, à trier</dd>');
    expect(notBeforeWords('2026-12-05T13:30:00.000Z')).toBe('pas avant le 5 décembre 2026 à 14 h 30');
  });
});

describe('answer page: a refusal « for another reason » shows that reason', () => {
  const letter = 'Le 4 décembre 2026\n\nMadame, Monsieur,';
  const refused = (reason: 'other' | 'standing_not_proven') => {
    const html = page({ answer: { state: 'refused', refusal: { reason, explanation: 'Le dossier a été transmis au tribunal et ne peut être copié avant son retour', letter, recordedAt: '2026-12-04T09:00:00.000Z', recordedBy: 'staff' } } }, '2026-12-04T10:00:00.000Z');
    return /<section aria-labelledby="refus-enregistre">(.*?)<\/section>/s.exec(html)![1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  };

  it('« Autre motif : » and the explanation, never the form’s « Autre motif (précisé ci-dessous) »', () => {
    const text = refused('other');
    expect(text).toContain('Autre motif : Le dossier a été transmis au tribunal et ne peut être copié avant son retour. Enregistré le 4 décembre 2026 à 10 h 00.');
    expect(text).not.toContain('précisé ci-dessous');
  });

  it('another reason keeps its label', () => {
    expect(refused('standing_not_proven')).toContain('Motif : La qualité du demandeur n’est pas établie par les pièces produites. Enregistré le');
  });
});

describe('deadlinesText: a living person’s health information and her other data, each with its date', () => {
  it('names both; a request after the death keeps its one date', () => {
    const living: AccessRequestStatement = { from: 'person', receivedOn: '2026-11-30', answerDue: '2026-12-08', healthInformation: true, answerDueOtherData: '2026-12-30', statement: 'Courrier', notBefore: '2026-12-02T23:00:00.000Z' };
    expect(deadlinesText(living)).toBe(
      'Informations de santé : réponse due au plus tard le 8 décembre 2026 ; autres données : au plus tard le 30 décembre 2026 (RGPD, art. 12) ; communication des informations de santé à partir du 3 décembre 2026 (48 heures, Code de la santé publique, art. L.1111-7)',
    );
    expect(deadlinesText(request)).toBe('Réponse due au plus tard le 8 décembre 2026 ; communication à partir du 3 décembre 2026 (48 heures, Code de la santé publique, art. L.1111-7)');
  });
});
