import { DEMO_IME_FIXTURE_PATH, fixtureMinorDecision, isMinor, loadDemoFixture } from '@carepact/residents';
import type { ContactView, FixtureResident, ResidentListItem, ResidentView } from '@carepact/residents';
import { residentFileBody, residentListBody } from './residents.views';

/**
 * A minor has no protection measure (C. civ. 425 is for adults): his file must say who decides for
 * him (C. civ. 371-1, 372, 373-2-1, 390, 377, 375-7), never « la personne décide seule ».
 */
const tilleuls = loadDemoFixture();
const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);
const on = '2026-12-03';
/** The demo resident's file as the residents service shows it: who has parental authority, the tuteur or délégataire, the decision. */
const viewOf = (f: FixtureResident): ResidentView => {
  const contact = (p: { firstName: string; lastName: string }, i: number, over: Partial<ContactView>): ContactView => ({
    id: `${f.key}:${i}`,
    firstName: p.firstName,
    lastName: p.lastName,
    relation: null,
    organisationName: null,
    email: null,
    phone: null,
    address: null,
    holdsParentalAuthority: false,
    ...over,
  });
  const rep = f.minorRepresentation;
  const contacts = [
    ...(f.minor?.parents ?? []).map((p, i) => contact(p, i, { relation: 'parent', holdsParentalAuthority: true })),
    ...(rep?.representatives ?? []).map((p, i) => contact(p, 10 + i, { minorRole: p.role })),
  ];
  return {
    id: f.key,
    establishmentId: 'e',
    firstName: f.firstName,
    lastName: f.lastName,
    birthName: null,
    birthDate: f.birthDate,
    admissionDate: f.admissionDate,
    stayType: f.stay,
    plannedEndDate: null,
    departedOn: null,
    room: null,
    preferences: { largePrint: false, easyToRead: false, language: 'fr' },
    email: null,
    phone: null,
    minor: isMinor(f.birthDate, on),
    parentalAuthority: f.minor?.parentalAuthority ?? null,
    soleAuthority: null,
    minorDecision: rep ? fixtureMinorDecision(rep) : null,
    personneDeConfiance: null,
    contacts,
    protectionMeasures: [],
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
  };
};
const demo = (key: string): ResidentView => viewOf([...tilleuls.residents, ...ime.residents].find((r) => r.key === key)!);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');
const file = (r: ResidentView) =>
  text(residentFileBody({ resident: r, establishment: 'IME Les Sources', documents: [], rights: { write: true, newDocument: true } }));

describe('console resident file: who decides for a minor', () => {
  it('Enzo (12, both parents): his parents exercise parental authority, he does not decide alone', () => {
    const html = file(demo('enzo-petit'));
    expect(html).not.toContain('la personne décide seule');
    expect(html).toMatch(/Mineur : ses parents \([^)]+ et [^)]+\) exercent ensemble l’autorité parentale et décident pour l’enfant \(C\. civ\. 371-1, 372\)\./);
  });

  it('Inès (under tutelle): her tuteur, named, decides; she is not said to be a pupille de l’État', () => {
    const html = file(demo('ines-moreau'));
    expect(html).not.toContain('la personne décide seule');
    expect(html).toContain('Mineur sous tutelle : son tuteur (Catherine Moreau) décide pour l’enfant et agit en son nom (C. civ. 390, 408).');
    expect(html).not.toContain('pupille');
  });

  it('Noah (delegation), a placement, a pupille de l’État, nothing recorded: each says who decides', () => {
    expect(file(demo('noah-lefevre'))).toMatch(/Mineur : l’autorité parentale est (en partie )?déléguée par jugement/);
    const base = demo('ines-moreau');
    const ward = { ...base, minorDecision: { ...base.minorDecision!, wardOfState: true } };
    expect(file(ward)).toContain('Mineur pupille de l’État : son tuteur, le préfet, décide pour l’enfant');
    expect(file({ ...base, parentalAuthority: 'court_measure', minorDecision: null })).toContain('Mineur confié par le juge des enfants : ses parents gardent l’autorité parentale');
    expect(file({ ...base, parentalAuthority: null })).toContain('Mineur : l’autorité parentale n’est pas renseignée.');
  });

  it('an adult without a measure still decides alone', () => {
    expect(file(demo('jeanne-martin'))).toContain('Aucune mesure de protection : la personne décide seule.');
  });
});

describe('console residents list: a minor’s « Mesure de protection » cell', () => {
  const item = (over: Partial<ResidentListItem>): ResidentListItem => ({
    id: '00000000-0000-4000-8000-000000000001',
    establishmentId: 'e',
    firstName: 'Inès',
    lastName: 'Moreau',
    birthDate: '2013-02-11',
    admissionDate: '2026-09-01',
    stayType: 'permanent',
    room: null,
    plannedEndDate: null,
    departedOn: null,
    measure: null,
    minor: true,
    parentalAuthority: 'tutelle',
    ...over,
  });
  const list = (items: ResidentListItem[]) =>
    text(residentListBody({ page: { items, total: items.length, nextAfter: null, previousBefore: null }, q: '', establishmentId: '', establishments: new Map([['e', 'IME']]), canCreate: false }));
  it('says who decides for a minor, « Aucune » only for an adult', () => {
    expect(list([item({})])).toContain('Mineur sous tutelle');
    expect(list([item({ parentalAuthority: 'shared', firstName: 'Enzo' })])).toContain('Mineur : autorité parentale des deux parents');
    expect(list([item({})])).not.toContain(' Aucune ');
    expect(list([item({ minor: false, parentalAuthority: null })])).toContain(' Aucune ');
  });
  it('says a person left, and when, instead of « depuis le » (a newcomer’s review of session 18)', () => {
    const left = list([item({ minor: false, parentalAuthority: null, admissionDate: '2019-03-04', departedOn: '2023-12-03' })]);
    expect(left).toContain('Hébergement permanent, admission le 4 mars 2019 — parti le 3 décembre 2023');
    expect(left).not.toContain('depuis le 4 mars 2019');
  });
});
