import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { AccessRequestStatement, DataJobView, Subjects } from '@carepact/archive';
import { dataJobForApi } from '../../archive/data-job-api-view';
import { archivePage } from './archive.views';

/**
 * The sector lawyer's review of the access-request code, on the archives page: a living minor's
 * opposition (CSP R.1111-6: written down by the physician, the sage-femme or the infirmier; the
 * professional who receives the request seeks her consent; not communicated while she maintains it;
 * that professional sorts), and access through a physician at her request (R.1111-6 last alinéa:
 * sent to the physician the parents designate, or consulted on the spot in his presence — named;
 * his name the recorder's only, « masqué » to other staff, as the heirs' physician).
 */
const actor = viewActor('administrator');
const person = '00000000-0000-4000-8000-0000000000b4';
const subjects: Subjects = {
  people: new Map([[person, { state: 'present', id: person, lastName: 'Enfant', firstName: 'Léa', birthDate: '2012-05-01', establishmentId: VIEW_ESTABLISHMENT }]]),
  establishments: new Map(),
  documents: new Map(),
  reports: new Map(),
};
const request: AccessRequestStatement = {
  from: 'representative',
  receivedOn: '2026-11-30',
  answerDue: '2026-12-08',
  healthInformation: true,
  answerDueOtherData: '2026-12-30',
  statement: 'Courrier de ses parents : copie de son dossier de soins',
  notBefore: '2026-12-02T23:00:00.000Z',
  minor: { opposition: 'recorded', throughPhysician: true, physician: 'Dr Claire Martin' },
};
const job = (r: AccessRequestStatement, requestedBy = `staff:${actor.userId}`): DataJobView => ({
  id: '00000000-0000-4000-8000-000000000044',
  kind: 'access_request',
  params: { kind: 'access_request', residentId: person, request: r },
  status: 'done',
  phase: 'done',
  done: 1,
  total: 1,
  report: null,
  resultSha256: null,
  resultBytes: null,
  error: null,
  requestedBy,
  createdAt: '2026-12-02T09:00:00.000Z',
  finishedAt: '2026-12-02T09:01:00.000Z',
  answer: null,
});
const page = (jobs: DataJobView[]) =>
  archivePage(actor, 'csrf', {
    now: new Date('2026-12-04T09:00:00Z'),
    jobs,
    subjects,
    people: { export: { words: '', found: [], total: 0 }, access: { words: '', found: [], total: 0 } },
    establishments: [],
    refreshing: false,
    refreshStopped: false,
  });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const state = (html: string) => text(/<td data-label="État">(.*?)<\/td>/.exec(html)![1]).trim();

describe('archives page: a living minor’s opposition and the physician at her request (CSP L.1111-7, R.1111-6)', () => {
  it('her opposition: written down by a professional, who seeks her consent; not communicated while she maintains it; he sorts — no « retirez-les du zip »', () => {
    const s = state(page([job(request)]));
    expect(s).toContain(
      'Une opposition du mineur figure au dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées à ses parents tant qu’elle est maintenue (Code de la santé publique, art. L.1111-5 et R.1111-6). Le tri est fait par ce professionnel.',
    );
    expect(s).not.toContain('retirez-les');
  });

  it('the physician at her request: sent to him, named, or consulted on the spot in his presence; not handed to the parents', () => {
    expect(state(page([job(request)]))).toContain(
      'À la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale (Dr Claire Martin), ou consultées sur place en sa présence (Code de la santé publique, art. L.1111-7 et R.1111-6) ; elles ne sont pas remises aux parents.',
    );
  });

  it('to other staff the physician’s name is « masqué », as the heirs’ physician (dataJobForApi)', () => {
    const theirs = dataJobForApi(actor, job(request, 'staff:00000000-0000-4000-8000-0000000000ff'), subjects)!;
    const shown = (theirs.params as { request: AccessRequestStatement }).request;
    expect(shown.minor).toEqual({ opposition: 'recorded', throughPhysician: true, physician: 'masqué' });
    expect(JSON.stringify(theirs)).not.toContain('Claire Martin');
    expect(state(page([theirs]))).toContain('au médecin désigné par les titulaires de l’autorité parentale (masqué), ou consultées sur place');
  });

  it('the form asks the physician’s name beside « par l’intermédiaire d’un médecin »', () => {
    const html = page([]);
    expect(html).toMatch(/<input[^>]*name="requestMinorPhysician"/);
    expect(text(html)).toContain('Médecin désigné par les titulaires de l’autorité parentale (nom)');
    expect(text(html)).not.toContain('ces informations ne leur sont pas communiquées tant que l’opposition est maintenue');
  });
});
