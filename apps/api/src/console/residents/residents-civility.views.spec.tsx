import type { StaffActor } from '@carepact/identity';
import { HOLDER_ROLE_OF, measureStatus } from '@carepact/residents';
import type { ContactView, MeasureView, ResidentView } from '@carepact/residents';
import { contactFormPage, residentEditPage } from './resident-forms.views';
import { residentFileBody } from './residents.views';

/**
 * The console agrees a holder's or a minor's representative's title with the civility recorded
 * (@carepact/common civility.ts; migration 1764160000000): « tante, tutrice du mineur », « curatrice »;
 * without a civility, the masculine generic as before.
 */
const contact = (id: string, over: Partial<ContactView>): ContactView => ({
  id,
  firstName: 'Hélène',
  lastName: 'Roux',
  relation: null,
  organisationName: null,
  email: null,
  phone: null,
  address: null,
  holdsParentalAuthority: false,
  ...over,
});
const resident = (over: Partial<ResidentView>): ResidentView => ({
  id: '00000000-0000-4000-8000-000000000001',
  establishmentId: 'e',
  firstName: 'Inès',
  lastName: 'Moreau',
  birthName: null,
  birthDate: '1940-02-11',
  admissionDate: '2026-09-01',
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
const curatelle = (holders: ContactView[], subroge: ContactView | null = null): MeasureView => {
  const base = {
    id: 'm1',
    type: 'curatelle_renforcee' as const,
    mode: 'assistance' as const,
    scope: ['personne' as const, 'biens' as const],
    general: true,
    acts: [],
    mission: null,
    court: 'TJ de Valville',
    judgmentReference: 'RG 25/1',
    judgmentDate: '2025-01-10',
    startDate: null,
    endDate: null,
    mandateEffectiveDate: null,
    judgeAuthorisesHolderAlone: false,
    authorisationReference: null,
    proofDocumentRef: null,
  };
  return {
    ...base,
    status: measureStatus(base, '2026-12-03'),
    holders: holders.map((h) => ({ ...h, contactId: h.id, role: HOLDER_ROLE_OF.curatelle_renforcee })),
    subroge: subroge ? { ...subroge, contactId: subroge.id } : null,
  };
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');
const file = (r: ResidentView) => text(residentFileBody({ resident: r, establishment: 'EHPAD Les Tilleuls', documents: [], rights: { write: true, newDocument: true } }));
const actor: StaffActor = { kind: 'staff', userId: 's', organisationId: 'o', email: 'a@example.org', name: 'Agnès', sessionId: 'x', roles: [{ establishmentId: 'e', role: 'admissions' }] };

describe('console: titles agreed with the civility', () => {
  it('a minor’s aunt recorded as « Madame »: « Madame Hélène Roux — tante, tutrice du mineur », « sa tutrice »', () => {
    const aunt = contact('c1', { relation: 'tante', minorRole: 'tuteur', civility: 'madame' });
    const html = file(
      resident({
        birthDate: '2013-02-11',
        minor: true,
        parentalAuthority: 'tutelle',
        minorDecision: { authority: 'Conseil de famille', reference: 'RG 1', date: '2025-03-03' },
        contacts: [aunt],
      }),
    );
    expect(html).toContain('Madame Hélène Roux — tante, tutrice du mineur');
    expect(html).toContain('Mineur sous tutelle : sa tutrice (Hélène Roux) décide pour l’enfant');
    expect(html).not.toContain('tuteur du mineur');
  });

  it('a woman curatrice and a subrogée; a man and a holder without a civility keep the masculine', () => {
    const jeanne = contact('c1', { firstName: 'Jeanne', lastName: 'Durand', relation: 'fille', civility: 'madame' });
    const paul = contact('c2', { firstName: 'Paul', lastName: 'Roux', civility: 'monsieur' });
    const nadia = contact('c3', { firstName: 'Nadia', lastName: 'Roux', civility: 'madame' });
    const html = file(resident({ contacts: [jeanne, paul, nadia], protectionMeasures: [curatelle([jeanne, paul], nadia)] }));
    expect(html).toContain('Madame Jeanne Durand, curatrice ; Monsieur Paul Roux, curateur');
    expect(html).toContain('Subrogée (C. civ. 454) Madame Nadia Roux');
    expect(html).toContain('Madame Jeanne Durand — fille, curatrice');
    const anon = contact('c4', { firstName: 'Camille', lastName: 'Morel', relation: 'tante', minorRole: 'tuteur' });
    const before = file(resident({ birthDate: '2013-02-11', minor: true, parentalAuthority: 'tutelle', contacts: [anon] }));
    expect(before).toContain('Camille Morel — tante, tuteur du mineur');
    expect(before).toContain('son tuteur (Camille Morel)');
  });

  it('the resident and contact forms: « Civilité : — / Madame / Monsieur », the recorded one selected', () => {
    const r = resident({});
    const edit = residentEditPage({ actor, csrf: 'x', resident: r, values: { civility: 'madame', firstName: 'Inès' } } as never);
    expect(edit).toMatch(/<label[^>]*for="civility"[^>]*>Civilité/);
    expect(edit).toMatch(/<option value>—<\/option>/);
    expect(edit).toMatch(/<option value="madame" selected[^>]*>Madame<\/option>/);
    expect(edit).toMatch(/<option value="monsieur">Monsieur<\/option>/);
    const c = contactFormPage({ actor, csrf: 'x', resident: r, values: { civility: 'monsieur' } } as never);
    expect(c).toMatch(/<option value="monsieur" selected[^>]*>Monsieur<\/option>/);
  });
});
