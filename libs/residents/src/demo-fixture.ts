import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, type Civility } from '@carepact/common';
import type { NewEstablishment, StaffRole } from '@carepact/identity';
import { HOLDER_ROLE_OF } from './resident-rules';
import type { HolderRole, MeasureMode, MeasureScope, MeasureType, ParentalAuthority, StayType } from './residents.entities';
import type { SoleAuthorityProof } from './sole-authority';
import type { DelegationExtent, MinorRole } from './minor-representation';
import type { ResidentInput } from './residents.types';

/**
 * The demo establishment shipped with the project (templates/demo/establishment-les-tilleuls.json):
 * one loader and one mapping of its people, for the `seed:demo` command (which creates the residents
 * through ResidentsService) and the policy tests (which build the views the service would return).
 */
export const DEMO_FIXTURE_PATH = join(projectRoot(), 'templates', 'demo', 'establishment-les-tilleuls.json');

/**
 * The demo's establishment for children (templates/demo/establishment-ime-les-sources.json): an IME
 * (CASF L.312-1 I 2°), in an organisation of its own with its own accounts, for the minors an EHPAD
 * does not take — one under tutelle (C. civ. 390, 408), one whose parental authority is delegated
 * (C. civ. 377, 377-1). `seed:demo --fixture <path>` loads it; `npm start` loads both.
 */
export const DEMO_IME_FIXTURE_PATH = join(projectRoot(), 'templates', 'demo', 'establishment-ime-les-sources.json');

export interface FixturePerson {
  /** « madame » / « monsieur », optional: her titles agree with it (« tutrice », « présente »; @carepact/common civility.ts). */
  civility?: Civility;
  firstName: string;
  lastName: string;
  email?: string | null;
  relation?: string;
  organisation?: string;
  /** For a measure's holder, as people write it (« personne habilitée »): see holderRoleOf. */
  role?: string;
  /** For a measure's holder, his mission when the judge divided the measure (C. civ. 447 al. 3); absent, the whole measure. */
  mission?: MeasureScope[];
}

export interface FixtureResident {
  key: string;
  /** « madame » / « monsieur », optional, as on the resident file. */
  civility?: Civility;
  firstName: string;
  lastName: string;
  birthDate: string;
  admissionDate: string;
  stay: StayType;
  plannedEndDate?: string;
  room?: string;
  preferences?: { largePrint?: boolean; easyToRead?: boolean; language?: string };
  email?: string | null;
  /** `designatedOn`: the day she designated it in writing (CASF L.311-5-1). */
  personneDeConfiance?: (FixturePerson & { designatedOn?: string }) | null;
  /** `soleAuthority`: with `parentalAuthority: 'sole'`, its ground and proof (sole-authority.ts). */
  minor?: { parentalAuthority: ParentalAuthority; parents: FixturePerson[]; soleAuthority?: SoleAuthorityProof };
  /**
   * A minor's representation other than the parents, in the template input's shape (minorRepresentation):
   * the tuteur (C. civ. 390, 408), the délégataire (C. civ. 377, 377-1) or the service gardien (C. civ.
   * 375-7), each with its `role` (MINOR_ROLES), and the decision their power rests on. The seed records
   * them as contacts with that `minorRole` and the decision on the resident (minor-representation.ts).
   */
  minorRepresentation?: FixtureMinorRepresentation | null;
  protectionMeasure?: {
    type: MeasureType;
    mode: MeasureMode;
    scope: MeasureScope[];
    general?: boolean;
    judgment: { court: string; reference: string; date: string };
    startDate?: string;
    endDate?: string;
    holders: FixturePerson[];
    judgeAuthorisesHolderAloneForAccommodation?: boolean;
  } | null;
  /**
   * A person who has left: her departure (the end of the accompaniment, `residents.departed_on`),
   * counted back this many whole years from the day the seed runs — a fixed date would leave the
   * intermediate archive (departure + the active base, 24 months by default) as the years pass, or
   * reach the purge. The seed records it through RetentionService.recordDeparture (audited).
   */
  departedYearsAgo?: number;
  /** What the resident's document should yield: checked by the signature policy's tests. */
  expectedDocument?: string;
  expectedSigners?: string[];
  expectedViews?: string[];
  optionalCountersigners?: string[];
  expectedBlock?: string;
}

export interface FixtureMinorRepresentation {
  kind: 'tutelle' | 'delegation' | 'court_measure';
  representatives: (FixturePerson & { role: MinorRole; phone?: string | null })[];
  decision: { authority: string; reference: string; date: string };
  delegationExtent?: DelegationExtent | null;
  /** Partial delegation only (C. civ. 377, 377-1 al. 1): it covers the admission and accompaniment in the establishment. */
  delegationCoversStay?: boolean | null;
  wardOfState?: boolean;
  /** Placement only (C. civ. 375-7): the juge des enfants' authorisation for the service gardien. */
  actAuthorisation?: { reference: string; date: string } | null;
}

/** The recorded decision behind a fixture minor's representative, as the resident file stores it (minorDecision). */
export function fixtureMinorDecision(rep: FixtureMinorRepresentation) {
  return {
    authority: rep.decision.authority,
    reference: rep.decision.reference,
    date: rep.decision.date,
    delegationExtent: rep.delegationExtent ?? null,
    delegationCoversStay: rep.delegationExtent === 'partial' ? (rep.delegationCoversStay ?? null) : null,
    wardOfState: rep.wardOfState ?? false,
    actAuthorisation: rep.actAuthorisation ?? null,
  };
}

export interface DemoFixture {
  organisation: { name: string; siren?: string };
  establishment: {
    name: string;
    category: string;
    finess: string;
    address: string;
    phone?: string;
    director: { firstName: string; lastName: string; email?: string };
    tariffs?: { [key: string]: string | number | null };
    annexes?: string[];
  };
  staff: { email: string; name: string; role: StaffRole }[];
  residents: FixtureResident[];
  documents?: Record<string, unknown>;
}

/** The fixture's establishment as `seed:demo` creates it (StaffService.createEstablishment) and the offline `render` reads it. */
export function establishmentInputOf(e: DemoFixture['establishment']): NewEstablishment {
  return {
    name: e.name,
    category: e.category,
    finess: e.finess,
    address: e.address,
    phone: e.phone ?? null,
    directorFirstName: e.director.firstName,
    directorLastName: e.director.lastName,
    directorEmail: e.director.email ?? null,
    tariffs: e.tariffs ?? null,
    annexes: e.annexes ?? null,
  };
}

export function loadDemoFixture(path = DEMO_FIXTURE_PATH): DemoFixture {
  return JSON.parse(readFileSync(path, 'utf8')) as DemoFixture;
}

/**
 * The day a fixture person left (`departedYearsAgo` whole years before `today`, a calendar day), or
 * null for a person still accompanied. A 29 February lands on the 28th in a common year.
 */
export function fixtureDepartureDate(r: Pick<FixtureResident, 'departedYearsAgo'>, today: string): string | null {
  const years = r.departedYearsAgo;
  if (years === undefined || years === null) return null;
  if (!Number.isInteger(years) || years < 0) throw new Error(`departedYearsAgo : un nombre entier d’années, 0 ou plus (reçu ${String(years)}).`);
  const [y, m, d] = today.split('-').map(Number);
  const year = y - years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The fixture spells holder roles as people read them (« personne habilitée ») or as codes. */
const HOLDER_ROLE_SPELLINGS: Readonly<Record<string, HolderRole>> = {
  curateur: 'curateur',
  tuteur: 'tuteur',
  'personne habilitée': 'personne_habilitee',
  personne_habilitee: 'personne_habilitee',
  mandataire: 'mandataire',
  'mandataire spécial': 'mandataire_special',
  mandataire_special: 'mandataire_special',
};

/**
 * The holder role of a fixture person for a measure of `type`: the role as spelled, or, when absent
 * or unknown, the role the measure gives (HOLDER_ROLE_OF, C. civ. 433, 440, 473, 494-1, 477) — the
 * only one the resident file accepts for that measure.
 */
export function holderRoleOf(spelled: string | undefined, type: MeasureType): HolderRole {
  return (spelled !== undefined && Object.prototype.hasOwnProperty.call(HOLDER_ROLE_SPELLINGS, spelled) ? HOLDER_ROLE_SPELLINGS[spelled] : undefined) ?? HOLDER_ROLE_OF[type];
}

/** Maps a fixture resident onto the resident file's input (ResidentsService.create). */
export function residentInputOf(r: FixtureResident, establishmentId: string): ResidentInput {
  const m = r.protectionMeasure;
  const rep = r.minorRepresentation;
  return {
    establishmentId,
    ...civilityOf(r),
    firstName: r.firstName,
    lastName: r.lastName,
    birthDate: r.birthDate,
    admissionDate: r.admissionDate,
    stayType: r.stay,
    plannedEndDate: r.plannedEndDate ?? null,
    room: r.room ?? null,
    preferences: { largePrint: r.preferences?.largePrint ?? false, easyToRead: r.preferences?.easyToRead ?? false, language: r.preferences?.language ?? 'fr' },
    email: r.email ?? null,
    parentalAuthority: r.minor?.parentalAuthority ?? null,
    soleAuthority: r.minor?.soleAuthority ?? null,
    parents: r.minor?.parents.map((p) => ({ ...civilityOf(p), firstName: p.firstName, lastName: p.lastName, email: p.email ?? null, relation: 'parent' })),
    ...(rep
      ? {
          minorDecision: fixtureMinorDecision(rep),
          contacts: rep.representatives.map((p) => ({
            ...civilityOf(p),
            firstName: p.firstName,
            lastName: p.lastName,
            relation: p.relation ?? null,
            organisationName: p.organisation ?? null,
            email: p.email ?? null,
            phone: p.phone ?? null,
            minorRole: p.role,
          })),
        }
      : {}),
    personneDeConfiance: r.personneDeConfiance
      ? {
          ...civilityOf(r.personneDeConfiance),
          firstName: r.personneDeConfiance.firstName,
          lastName: r.personneDeConfiance.lastName,
          relation: r.personneDeConfiance.relation ?? null,
          email: r.personneDeConfiance.email ?? null,
          designatedOn: r.personneDeConfiance.designatedOn ?? null,
        }
      : null,
    protectionMeasure: m
      ? {
          type: m.type,
          mode: m.mode,
          scope: m.scope,
          general: m.general ?? true,
          court: m.judgment.court,
          judgmentReference: m.judgment.reference,
          judgmentDate: m.judgment.date,
          startDate: m.startDate ?? null,
          endDate: m.endDate ?? null,
          judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAloneForAccommodation ?? false,
          holders: m.holders.map((h) => ({
            role: holderRoleOf(h.role, m.type),
            ...civilityOf(h),
            firstName: h.firstName,
            lastName: h.lastName,
            relation: h.relation ?? null,
            organisationName: h.organisation ?? null,
            email: h.email ?? null,
            ...(h.mission ? { mission: h.mission } : {}),
          })),
        }
      : null,
  };
}

/** The fixture person's civility when it gives one (absent: none recorded, the titles stay masculine generic). */
function civilityOf(p: { civility?: Civility }): { civility?: Civility } {
  return p.civility ? { civility: p.civility } : {};
}
