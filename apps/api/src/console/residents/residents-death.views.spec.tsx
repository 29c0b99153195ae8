import { RETENTION_DEFAULTS, RETENTION_LABELS, RETENTION_SUBJECTS, RetentionPolicyView } from '@carepact/archive';
import type { ResidentListItem, ResidentView } from '@carepact/residents';
import type { OpenRequestOfResident } from '@carepact/signing';
import { residentRetentionSection } from './resident-retention.views';
import { residentFileBody, residentListBody } from './residents.views';

/**
 * The end of the stay by the person's death (migration 1764250000000, residents.deceased_on): the
 * file, the list and the retention section say « Décédée le … » / « Décédé le … », agreed with the
 * civility (« Partie le … » for a departure); the departure form offers « Départ » or « Décès » and
 * says what a death does to her open signature requests (C. civ. 443 al. 1).
 */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ');
const resident = (over: Partial<ResidentView>): ResidentView => ({
  id: '00000000-0000-4000-8000-000000000001',
  establishmentId: 'e',
  firstName: 'Yvonne',
  lastName: 'Leroy',
  birthName: null,
  birthDate: '1934-02-11',
  admissionDate: '2021-09-01',
  stayType: 'permanent',
  plannedEndDate: null,
  departedOn: null,
  room: null,
  preferences: { largePrint: false, easyToRead: false, language: 'fr' },
  email: null,
  phone: null,
  minor: false,
  parentalAuthority: null,
  soleAuthority: null,
  minorDecision: null,
  personneDeConfiance: null,
  contacts: [],
  protectionMeasures: [],
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
  ...over,
});
const file = (over: Partial<ResidentView>) => text(residentFileBody({ resident: resident(over), establishment: 'EHPAD', documents: [], rights: { write: false, newDocument: false } }));
const item = (over: Partial<ResidentListItem>): ResidentListItem => ({
  id: '00000000-0000-4000-8000-000000000001',
  establishmentId: 'e',
  firstName: 'Yvonne',
  lastName: 'Leroy',
  birthDate: '1934-02-11',
  admissionDate: '2021-09-01',
  stayType: 'permanent',
  room: null,
  plannedEndDate: null,
  departedOn: null,
  measure: null,
  minor: false,
  parentalAuthority: null,
  ...over,
});
const list = (over: Partial<ResidentListItem>) =>
  text(residentListBody({ page: { items: [item(over)], total: 1, nextAfter: null, previousBefore: null }, q: '', establishmentId: '', establishments: new Map([['e', 'EHPAD']]), canCreate: false }));
const policies: RetentionPolicyView[] = RETENTION_SUBJECTS.map((subject) => ({
  subject,
  label: RETENTION_LABELS[subject],
  years: 5,
  defaultYears: 5,
  basis: RETENTION_DEFAULTS[subject].basis,
  custom: false,
}));
const open: OpenRequestOfResident[] = [
  { id: 'r1', documentId: 'd1', document: 'contrat de séjour', sentOn: '2026-11-02', deadline: '2026-12-02T23:00:00.000Z', waitingFor: ['Olivier Marchal'] },
];
const section = (s: { departedOn: string | null; deceasedOn?: string | null; civility?: 'madame' | 'monsieur' | null; values?: Record<string, string>; manage?: boolean }) =>
  residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', policies, holds: [], names: new Map(), manage: s.manage ?? true, csrf: 'c', openRequests: open, ...s });

describe('the end of the stay by death, on the resident file and the list', () => {
  it('the file’s stay: « Décédée le … » for Madame, « Décédé le … » for Monsieur or no civility; « Partie le … » for a departure', () => {
    expect(file({ civility: 'madame', departedOn: '2026-11-03', deceasedOn: '2026-11-03' })).toContain('Fin de l’accompagnement Décédée le 3 novembre 2026');
    expect(file({ civility: 'monsieur', departedOn: '2026-11-03', deceasedOn: '2026-11-03' })).toContain('Fin de l’accompagnement Décédé le 3 novembre 2026');
    expect(file({ departedOn: '2026-11-03', deceasedOn: '2026-11-03' })).toContain('Fin de l’accompagnement Décédé le 3 novembre 2026');
    const left = file({ civility: 'madame', departedOn: '2026-11-03', deceasedOn: null });
    expect(left).toContain('Fin de l’accompagnement Partie le 3 novembre 2026');
    expect(left).not.toContain('Décédée');
    expect(file({})).toContain('Fin de l’accompagnement en cours');
  });

  it('the list’s stay: « décédée le … » (agreed), « partie le … » for a departure, never « depuis le »', () => {
    expect(list({ civility: 'madame', departedOn: '2026-11-01', deceasedOn: '2026-11-01' })).toContain('Hébergement permanent, admission le 1er septembre 2021 — décédée le 1er novembre 2026');
    expect(list({ civility: 'monsieur', departedOn: '2026-11-01', deceasedOn: '2026-11-01' })).toContain('— décédé le 1er novembre 2026');
    const left = list({ civility: 'madame', departedOn: '2026-11-01', deceasedOn: null });
    expect(left).toContain('— partie le 1er novembre 2026');
    expect(left).not.toContain('depuis le');
  });

  it('the retention section says it too, and its form offers « Départ » or « Décès », the recorded one checked', () => {
    const dead = section({ departedOn: '2026-11-03', deceasedOn: '2026-11-03', civility: 'madame' });
    expect(dead).toMatch(/<dt>Fin de l’accompagnement<\/dt><dd>Décédée le 3 novembre 2026<\/dd>/);
    expect(dead).toContain('<legend>L’accompagnement a pris fin par</legend>');
    expect(dead).toMatch(/<input type="radio" id="endReason-1" name="endReason" value="death" checked/);
    expect(dead).not.toMatch(/value="departure" checked/);
    // A death: the history's reason is the death's, and the requests go whatever the box says (C. civ. 443).
    expect(text(dead)).toContain('Le motif inscrit dans l’historique sera « Décès de la personne le 3 novembre 2026 » (« Départ de la personne le 3 novembre 2026 » pour un départ)');
    expect(text(dead)).toContain('Après un décès, les demandes sont annulées même sans cette case');
    const none = section({ departedOn: null });
    expect(none).toMatch(/value="departure" checked/);
    expect(text(none)).toContain('« Départ de la personne le … », avec la date de fin saisie ci-dessus (« Décès de la personne le … » pour un décès)');
  });

  it('a refused form keeps the choice and shows the error beside the date', () => {
    const withError = residentRetentionSection({
      residentId: '00000000-0000-4000-8000-000000000001',
      departedOn: null,
      policies,
      holds: [],
      names: new Map(),
      manage: true,
      csrf: 'c',
      values: { endReason: 'death', departedOn: '2099-01-01' },
      errors: [{ field: 'departedOn', code: 'DEATH_IN_FUTURE', message: 'La date du décès ne peut être dans le futur.' }],
    });
    expect(withError).toContain('<p class="field-error" id="departedOn-erreur">La date du décès ne peut être dans le futur.</p>');
    expect(withError).toMatch(/value="death" checked/);
    expect(withError).toContain('value="2099-01-01"');
  });
});
