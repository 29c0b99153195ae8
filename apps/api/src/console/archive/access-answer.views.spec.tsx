import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { AccessRequestStatement, DataJobView } from '@carepact/archive';
import { accessAnswerPage, notBeforeWords } from './access-answer.views';

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
