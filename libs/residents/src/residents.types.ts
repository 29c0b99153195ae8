import type { Civility } from '@carepact/common';
import type { MeasureAlert } from './resident-rules';
import type { HolderRole, MeasureMode, MeasureScope, MeasureType, ParentalAuthority, StayType } from './residents.entities';
import type { SoleAuthorityProof } from './sole-authority';
import type { MinorDecision, MinorRole } from './minor-representation';

/** Inputs of the resident file, as the API, the seed and the tests give them. */
export interface ContactInput {
  /** « madame » / « monsieur », optional (titles agree with it: @carepact/common civility.ts); null to clear. */
  civility?: Civility | null;
  firstName: string;
  lastName: string;
  relation?: string | null;
  organisationName?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  holdsParentalAuthority?: boolean;
  /** For a minor: tuteur (C. civ. 408), délégataire (C. civ. 377) or service gardien (C. civ. 375-7); null to clear. */
  minorRole?: MinorRole | null;
}

export interface HolderInput extends Partial<ContactInput> {
  role: HolderRole;
  /** An existing contact of the resident; otherwise the holder is created as a new contact. */
  contactId?: string;
  /**
   * This holder is a préposé of the establishment (C. civ. 451 al. 2) or employed by it or its
   * organisme gestionnaire: opposed interests for the contract, avenants and DIPC (C. civ. 454 al. 5, 455).
   */
  establishmentEmployee?: boolean;
  /**
   * This holder's mission (C. civ. 447 al. 3): `personne`, `biens` or both, within the measure's
   * scope; absent: the measure's scope (he exercises the whole measure, 447 al. 2).
   */
  mission?: MeasureScope[];
}

export interface MeasureInput {
  type: MeasureType;
  mode: MeasureMode;
  scope: MeasureScope[];
  general?: boolean;
  acts?: string[];
  mission?: string | null;
  court: string;
  judgmentReference: string;
  judgmentDate: string;
  startDate?: string | null;
  endDate?: string | null;
  mandateEffectiveDate?: string | null;
  judgeAuthorisesHolderAlone?: boolean;
  authorisationReference?: string | null;
  proofDocumentRef?: string | null;
  /** The subrogé curateur / tuteur (C. civ. 454): an existing contact of the resident; null to clear. */
  subrogeContactId?: string | null;
  /** The curateur / tuteur ad hoc (C. civ. 455): an existing contact, with the judgment appointing him; all three or none. */
  adHocContactId?: string | null;
  adHocJudgmentReference?: string | null;
  adHocJudgmentDate?: string | null;
  holders: HolderInput[];
}

/**
 * A change to a measure (its holders are not changed there), and which of its holders are the
 * establishment's préposé (C. civ. 451 al. 2): the contact ids of those holders, the whole list
 * (an empty list: none); absent, unchanged.
 */
export type MeasurePatch = Partial<Omit<MeasureInput, 'holders'>> & {
  establishmentEmployeeContactIds?: string[];
  /** The holders' missions (C. civ. 447 al. 3), by contact id: the holders listed change, the others keep theirs; absent, unchanged. */
  holderMissions?: { contactId: string; mission: MeasureScope[] }[];
};

export interface PreferencesInput {
  largePrint?: boolean;
  easyToRead?: boolean;
  language?: string;
}

export interface PersonneDeConfianceInput extends Partial<ContactInput> {
  contactId?: string;
  designatedOn?: string | null;
}

export interface ResidentInput {
  establishmentId: string;
  /** « madame » / « monsieur », optional; null to clear. */
  civility?: Civility | null;
  firstName: string;
  lastName: string;
  birthName?: string | null;
  birthDate: string;
  admissionDate: string;
  stayType: StayType;
  plannedEndDate?: string | null;
  room?: string | null;
  preferences?: PreferencesInput;
  email?: string | null;
  phone?: string | null;
  parentalAuthority?: ParentalAuthority | null;
  /** With `parentalAuthority: 'sole'`: its ground and proof (C. civ. 372 al. 2, 373, 373-1, 373-2-1); null to clear. */
  soleAuthority?: SoleAuthorityProof | null;
  /** With `parentalAuthority` 'tutelle', 'delegation' or 'court_measure': the decision (minor-representation.ts); null to clear. */
  minorDecision?: MinorDecision | null;
  contacts?: ContactInput[];
  parents?: ContactInput[];
  personneDeConfiance?: PersonneDeConfianceInput | null;
  protectionMeasure?: MeasureInput | null;
}

export type ResidentPatch = Partial<
  Pick<
    ResidentInput,
    | 'civility'
    | 'firstName'
    | 'lastName'
    | 'birthName'
    | 'birthDate'
    | 'admissionDate'
    | 'stayType'
    | 'plannedEndDate'
    | 'room'
    | 'preferences'
    | 'email'
    | 'phone'
    | 'parentalAuthority'
    | 'soleAuthority'
    | 'minorDecision'
  >
>;

export interface ContactView {
  id: string;
  /** « madame » / « monsieur »: absent when none is recorded (the views of a file without civilities are unchanged). */
  civility?: Civility;
  firstName: string;
  lastName: string;
  relation: string | null;
  organisationName: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  holdsParentalAuthority: boolean;
  /** For a minor: the tuteur, the délégataire or the service gardien; absent or null = none. */
  minorRole?: MinorRole | null;
}

export type MeasureStatus = 'active' | 'expired' | 'not_started';

export interface MeasureView {
  id: string;
  type: MeasureType;
  mode: MeasureMode;
  scope: MeasureScope[];
  general: boolean;
  acts: string[];
  mission: string | null;
  court: string;
  judgmentReference: string;
  judgmentDate: string;
  startDate: string | null;
  endDate: string | null;
  mandateEffectiveDate: string | null;
  judgeAuthorisesHolderAlone: boolean;
  authorisationReference: string | null;
  proofDocumentRef: string | null;
  status: MeasureStatus;
  /** `establishmentEmployee`: this holder is the establishment's préposé (C. civ. 451 al. 2) or employed by it or its organisme gestionnaire; absent = no. */
  /** `mission`: this holder's mission (C. civ. 447 al. 3), within the measure's scope; absent = the measure's scope (holderMission). */
  holders: (ContactView & { contactId: string; role: HolderRole; establishmentEmployee?: boolean; mission?: MeasureScope[] })[];
  /** The subrogé curateur / tuteur (C. civ. 454); absent or null = none recorded. */
  subroge?: (ContactView & { contactId: string }) | null;
  /** The curateur / tuteur ad hoc and the judgment appointing him (C. civ. 455); absent or null = none. */
  adHoc?: (ContactView & { contactId: string; judgmentReference: string; judgmentDate: string }) | null;
}

export interface ResidentView {
  id: string;
  establishmentId: string;
  /** « madame » / « monsieur »: absent when none is recorded. */
  civility?: Civility;
  firstName: string;
  lastName: string;
  birthName: string | null;
  birthDate: string;
  admissionDate: string;
  stayType: StayType;
  plannedEndDate: string | null;
  /** The end of the accompaniment (departure, death), from which retention runs; null while accompanied (libs/archive retention). */
  departedOn: string | null;
  /** The date of death when the accompaniment ended by it (equal to `departedOn`); null otherwise (a departure, or still accompanied). */
  deceasedOn?: string | null;
  room: string | null;
  preferences: { largePrint: boolean; easyToRead: boolean; language: string };
  email: string | null;
  phone: string | null;
  minor: boolean;
  parentalAuthority: ParentalAuthority | null;
  /** Recorded when one parent alone exercises parental authority; null otherwise or not yet recorded. */
  soleAuthority: SoleAuthorityProof | null;
  /** Tutelle, delegation or placement of a minor: the decision recorded; absent or null = none. */
  minorDecision?: MinorDecision | null;
  personneDeConfiance: (ContactView & { contactId: string; designatedOn: string | null }) | null;
  contacts: ContactView[];
  protectionMeasures: MeasureView[];
  createdAt: string;
  updatedAt: string;
}

export interface ResidentSummary {
  id: string;
  establishmentId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  admissionDate: string;
  stayType: StayType;
  room: string | null;
}

/** A page of the resident list: search words, one establishment or all those readable, keyset pagination. */
export interface ResidentSearchQuery {
  /** Words of a name (first, last or birth name), in any order; accents and case ignored. */
  q?: string;
  establishmentId?: string;
  /** The next page starts after this resident (its id); `before` for the previous page. */
  after?: string;
  before?: string;
  /** 1 to 100; 50 by default. */
  limit?: number;
}

/** GET /api/residents: the same search, pages of summaries after a resident (keyset), never truncated. */
export interface ResidentListQuery {
  q?: string;
  establishmentId?: string;
  /** The page starts after this resident (the last one of the previous page). */
  after?: string;
  /** 1 to RESIDENT_LIST_LIMITS.max; RESIDENT_LIST_LIMITS.default when absent. */
  limit?: number;
}

export const RESIDENT_LIST_LIMITS = { default: 100, max: 500 } as const;

export interface ResidentSummaryPage {
  items: ResidentSummary[];
  /** Residents matching the query in the scope, all pages together. */
  total: number;
  /** The cursor of the next page (the last item's id); null on the last page. */
  nextAfter: string | null;
}

export interface ResidentListItem extends ResidentSummary {
  plannedEndDate: string | null;
  /** The end of the accompaniment (departure, death), if recorded: the console's list says so. */
  departedOn: string | null;
  /** The date of death when the accompaniment ended by it: the list says « Décédée le … » rather than « Partie le … ». */
  deceasedOn?: string | null;
  /** « madame » / « monsieur », null when none is recorded: « Décédée » / « Décédé » agree with it. */
  civility?: Civility | null;
  /** The measure that applies today (`applicableMeasure`), else the latest one recorded; none → null. */
  measure: { id: string; type: MeasureType; endDate: string | null; status: MeasureAlert } | null;
  /** Under 18 today: no protection measure, parental authority (or tutelle…) decides for him. */
  minor: boolean;
  parentalAuthority: ParentalAuthority | null;
}

export interface ResidentPage {
  items: ResidentListItem[];
  /** Residents matching the search in the scope, all pages together. */
  total: number;
  /** Cursors for the neighbouring pages (null: none). */
  nextAfter: string | null;
  previousBefore: string | null;
}

/**
 * How the accompaniment ended (RetentionService.recordDeparture, PUT /api/residents/:id/departure
 * `endReason`, the console's departure form): the person left, or she died. A death ends the
 * protection measure (C. civ. 443 al. 1: no representative signs for her any more) and the contrat
 * de séjour, made in consideration of her person (CASF L.314-10-1 only says what may be billed after
 * a death in establishments for older people); `residents.deceased_on` records its date (migration 1764250000000).
 */
export const END_OF_STAY_REASONS = ['departure', 'death'] as const;
export type EndOfStayReason = (typeof END_OF_STAY_REASONS)[number];

export function isEndOfStayReason(v: unknown): v is EndOfStayReason {
  return typeof v === 'string' && (END_OF_STAY_REASONS as readonly string[]).includes(v);
}
