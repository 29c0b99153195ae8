import type { HolderRole, MeasureMode, MeasureScope, MeasureType, ParentalAuthority, StayType } from './residents.entities';

/** Inputs of the resident file, as the API, the seed and the tests give them. */
export interface ContactInput {
  firstName: string;
  lastName: string;
  relation?: string | null;
  organisationName?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  holdsParentalAuthority?: boolean;
}

export interface HolderInput extends Partial<ContactInput> {
  role: HolderRole;
  /** An existing contact of the resident; otherwise the holder is created as a new contact. */
  contactId?: string;
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
  holders: HolderInput[];
}

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
  contacts?: ContactInput[];
  parents?: ContactInput[];
  personneDeConfiance?: PersonneDeConfianceInput | null;
  protectionMeasure?: MeasureInput | null;
}

export type ResidentPatch = Partial<
  Pick<
    ResidentInput,
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
  >
>;

export interface ContactView {
  id: string;
  firstName: string;
  lastName: string;
  relation: string | null;
  organisationName: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  holdsParentalAuthority: boolean;
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
  holders: (ContactView & { contactId: string; role: HolderRole })[];
}

export interface ResidentView {
  id: string;
  establishmentId: string;
  firstName: string;
  lastName: string;
  birthName: string | null;
  birthDate: string;
  admissionDate: string;
  stayType: StayType;
  plannedEndDate: string | null;
  room: string | null;
  preferences: { largePrint: boolean; easyToRead: boolean; language: string };
  email: string | null;
  phone: string | null;
  minor: boolean;
  parentalAuthority: ParentalAuthority | null;
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
