/**
 * Test-only builders of `ResidentView`, the shape the residents service returns: from the demo
 * fixture (loaded, and its holder roles read, by @carepact/residents' loadDemoFixture and
 * holderRoleOf, as the seed does) and from a few overrides. They mirror the service's mapping
 * (parents become contacts holding parental authority, holders and the personne de confiance become
 * contacts) so the policy is tested on what it will receive. Not exported from the lib's index.
 */
import {
  HOLDER_ROLE_OF,
  fixtureMinorDecision,
  holderRoleOf,
  isMinor,
  measureStatus,
  type ContactView,
  type FixturePerson,
  type FixtureResident,
  type MeasureScope,
  type MeasureType,
  type MeasureView,
  type ResidentView,
} from '@carepact/residents';

export function aContact(id: string, over: Partial<ContactView> = {}): ContactView {
  return {
    id,
    firstName: 'Prénom',
    lastName: id,
    relation: null,
    organisationName: null,
    email: null,
    phone: null,
    address: null,
    holdsParentalAuthority: false,
    ...over,
  };
}

/** A measure with its holders (contacts of the resident); `status` is computed on `on`. */
/**
 * A holder given with `establishmentEmployee: true` is the establishment's préposé (C. civ. 451 al. 2);
 * with `mission`, his own part of a measure the judge divided (C. civ. 447 al. 3).
 */
export function aMeasure(type: MeasureType, holders: (ContactView & { establishmentEmployee?: boolean; mission?: MeasureScope[] })[], over: Partial<Omit<MeasureView, 'holders'>> = {}, on = '2026-11-20'): MeasureView {
  const base: Omit<MeasureView, 'status' | 'holders'> = {
    id: `measure-${type}`,
    type,
    mode: type === 'curatelle' || type === 'curatelle_renforcee' ? 'assistance' : 'representation',
    scope: ['personne', 'biens'],
    general: true,
    acts: [],
    mission: null,
    court: 'Tribunal judiciaire de Valville',
    judgmentReference: 'RG 25/00001',
    judgmentDate: '2025-01-10',
    startDate: null,
    endDate: '2030-01-10',
    mandateEffectiveDate: type === 'mandat_protection_future' ? '2025-02-01' : null,
    judgeAuthorisesHolderAlone: false,
    authorisationReference: null,
    proofDocumentRef: null,
    ...over,
  };
  return {
    ...base,
    status: measureStatus(base, on),
    holders: holders.map((c) => ({ ...c, contactId: c.id, role: HOLDER_ROLE_OF[type] })),
  };
}

export function aResident(over: Partial<ResidentView> = {}, on = '2026-11-20'): ResidentView {
  const r: ResidentView = {
    id: 'resident-1',
    establishmentId: 'establishment-1',
    firstName: 'Marcel',
    lastName: 'Dupont',
    birthName: null,
    birthDate: '1947-07-02',
    admissionDate: '2026-10-15',
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
    personneDeConfiance: null,
    contacts: [],
    protectionMeasures: [],
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    ...over,
  };
  return { ...r, minor: isMinor(r.birthDate, on) };
}

/** Maps one fixture resident onto the view the residents service would return for it. */
export function residentViewFromFixture(f: FixtureResident, on: string): ResidentView {
  const contacts: ContactView[] = [];
  const contactOf = (p: FixturePerson, over: Partial<ContactView> = {}): ContactView => {
    const c = aContact(`${f.key}:contact:${contacts.length + 1}`, {
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email ?? null,
      relation: p.relation ?? null,
      organisationName: p.organisation ?? null,
      ...over,
    });
    contacts.push(c);
    return c;
  };
  for (const p of f.minor?.parents ?? []) contactOf({ ...p, relation: 'parent' }, { holdsParentalAuthority: true });
  // A minor's tuteur, délégataire or service gardien: a contact with that minorRole, the decision on the file (residentInputOf).
  const rep = f.minorRepresentation;
  for (const p of rep?.representatives ?? []) contactOf(p, { minorRole: p.role, phone: p.phone ?? null });
  const pdc = f.personneDeConfiance ? contactOf(f.personneDeConfiance) : null;
  const measures: MeasureView[] = [];
  const m = f.protectionMeasure;
  if (m) {
    const holders = m.holders.map((h) => contactOf(h));
    const measure = aMeasure(
      m.type,
      [],
      {
        id: `${f.key}:measure`,
        mode: m.mode,
        scope: m.scope,
        general: m.general ?? true,
        court: m.judgment.court,
        judgmentReference: m.judgment.reference,
        judgmentDate: m.judgment.date,
        startDate: m.startDate ?? null,
        endDate: m.endDate ?? null,
        mandateEffectiveDate: null,
        judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAloneForAccommodation ?? false,
      },
      on,
    );
    measure.holders = holders.map((c, i) => ({ ...c, contactId: c.id, role: holderRoleOf(m.holders[i].role, m.type), ...(m.holders[i].mission ? { mission: m.holders[i].mission } : {}) }));
    measures.push(measure);
  }
  return aResident(
    {
      id: f.key,
      firstName: f.firstName,
      lastName: f.lastName,
      birthDate: f.birthDate,
      admissionDate: f.admissionDate,
      stayType: f.stay,
      plannedEndDate: f.plannedEndDate ?? null,
      room: f.room ?? null,
      preferences: { largePrint: f.preferences?.largePrint ?? false, easyToRead: f.preferences?.easyToRead ?? false, language: f.preferences?.language ?? 'fr' },
      email: f.email ?? null,
      parentalAuthority: f.minor?.parentalAuthority ?? null,
      soleAuthority: f.minor?.soleAuthority ?? null,
      ...(rep
        ? {
            minorDecision: fixtureMinorDecision(rep),
          }
        : {}),
      personneDeConfiance: pdc ? { ...pdc, contactId: pdc.id, designatedOn: null } : null,
      contacts,
      protectionMeasures: measures,
    },
    on,
  );
}
