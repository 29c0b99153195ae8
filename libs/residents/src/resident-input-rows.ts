import { nn, trimOrNull } from './input-text';
import type { ResidentFileRows } from './resident-file-read';
import { MEASURE_SCOPES, type ContactEntity, type MeasureHolderEntity, type MeasureScope, type ProtectionMeasureEntity, type ResidentEntity } from './residents.entities';
import type { ContactInput, HolderInput, MeasureInput, ResidentInput } from './residents.types';
import { soleAuthorityColumns } from './sole-authority';
import { minorDecisionColumns } from './minor-representation';

/**
 * The resident file's inputs as the rows they become (ResidentsService.createIn,
 * ResidentContactsService.insertContact, ProtectionMeasuresService.insertMeasure): text trimmed,
 * blank text and what is not given null, defaults set. Pure: the ids, the organisation and the
 * dates are the caller's. The offline `render` command (apps/cli render-input.ts) builds the file
 * the seed would record with the same functions (residentFileOf), so its document is the product's.
 */

type Row<E> = Omit<E, 'id' | 'organisationId' | 'createdAt' | 'updatedAt'>;

/** The resident row's columns (no personne de confiance yet: she is a contact, set once inserted). */
export type ResidentColumns = Omit<Row<ResidentEntity>, 'organisation' | 'establishment' | 'personneDeConfiance' | 'searchName' | 'departedOn' | 'deceasedOn' | 'departureWithDeath'>;
export type ContactColumns = Omit<Row<ContactEntity>, 'residentId' | 'resident'>;
export type MeasureColumns = Omit<Row<ProtectionMeasureEntity>, 'residentId' | 'resident' | 'subroge' | 'adHoc'>;

export function residentColumnsOf(input: ResidentInput): ResidentColumns {
  return {
    establishmentId: input.establishmentId,
    civility: input.civility ?? null,
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    birthName: trimOrNull(input.birthName),
    birthDate: input.birthDate,
    admissionDate: input.admissionDate,
    stayType: input.stayType,
    plannedEndDate: nn(input.plannedEndDate),
    room: trimOrNull(input.room),
    prefersLargePrint: input.preferences?.largePrint ?? false,
    prefersEasyToRead: input.preferences?.easyToRead ?? false,
    language: input.preferences?.language ?? 'fr',
    email: trimOrNull(input.email),
    phone: trimOrNull(input.phone),
    parentalAuthority: nn(input.parentalAuthority),
    ...soleAuthorityColumns(input.soleAuthority ?? null),
    ...minorDecisionColumns(input.minorDecision ?? null),
    personneDeConfianceId: null,
    personneDeConfianceDesignatedOn: null,
  };
}

export function contactColumnsOf(c: ContactInput): ContactColumns {
  return {
    civility: c.civility ?? null,
    firstName: c.firstName.trim(),
    lastName: c.lastName.trim(),
    relation: trimOrNull(c.relation),
    organisationName: trimOrNull(c.organisationName),
    email: trimOrNull(c.email),
    phone: trimOrNull(c.phone),
    address: trimOrNull(c.address),
    holdsParentalAuthority: c.holdsParentalAuthority ?? false,
    minorRole: c.minorRole ?? null,
  };
}

export function measureColumnsOf(m: MeasureInput): MeasureColumns {
  return {
    type: m.type,
    mode: m.mode,
    scope: m.scope,
    general: m.general ?? true,
    acts: m.acts ?? [],
    mission: trimOrNull(m.mission),
    court: m.court.trim(),
    judgmentReference: m.judgmentReference.trim(),
    judgmentDate: m.judgmentDate,
    startDate: nn(m.startDate),
    endDate: nn(m.endDate),
    mandateEffectiveDate: nn(m.mandateEffectiveDate),
    judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAlone ?? false,
    authorisationReference: trimOrNull(m.authorisationReference),
    proofDocumentRef: trimOrNull(m.proofDocumentRef),
    subrogeContactId: nn(m.subrogeContactId),
    adHocContactId: nn(m.adHocContactId),
    adHocJudgmentReference: trimOrNull(m.adHocJudgmentReference),
    adHocJudgmentDate: nn(m.adHocJudgmentDate),
  };
}

/** C. civ. 447 al. 3: a holder's own mission, else the whole measure (validated within its scope), in the scope's order. */
export function holderMissionOf(h: Pick<HolderInput, 'mission'>, m: Pick<MeasureInput, 'scope'>): MeasureScope[] {
  return orderedScope(h.mission?.length ? h.mission : m.scope);
}

/** « biens, personne » → « personne, biens »: one order in the database and the audit. */
export function orderedScope(s: readonly MeasureScope[]): MeasureScope[] {
  return MEASURE_SCOPES.filter((x) => s.includes(x));
}

/**
 * The rows createIn would write for `input`, without a database: the resident `id` (contacts
 * `<id>:contact:<n>`, the measure `<id>:measure`), all dated `at`; contacts in the order createIn
 * inserts them (contacts, parents, the personne de confiance, the measure's holders). Every holder
 * is a new contact: an input for a file not yet recorded names no existing contact (`contactId`).
 * For the offline render (apps/cli render-input.ts); read it with residentViewOf.
 */
export function residentFileOf(input: ResidentInput, ids: { id: string; organisationId: string }, at: Date): ResidentFileRows {
  const { id, organisationId } = ids;
  const stamp = { organisationId, createdAt: at, updatedAt: at };
  const resident = { id, ...stamp, ...residentColumnsOf(input), departedOn: null, deceasedOn: null } as ResidentEntity;
  const contacts: ContactEntity[] = [];
  const add = (c: ContactInput): ContactEntity => {
    const row = { id: `${id}:contact:${contacts.length + 1}`, ...stamp, residentId: id, ...contactColumnsOf(c) } as ContactEntity;
    contacts.push(row);
    return row;
  };
  for (const c of input.contacts ?? []) add(c);
  for (const p of input.parents ?? []) add({ ...p, holdsParentalAuthority: true });
  const pdc = input.personneDeConfiance;
  if (pdc) {
    resident.personneDeConfianceId = add(pdc as ContactInput).id;
    resident.personneDeConfianceDesignatedOn = pdc.designatedOn ?? null;
  }
  const measures: ProtectionMeasureEntity[] = [];
  const holders: MeasureHolderEntity[] = [];
  const m = input.protectionMeasure;
  if (m) {
    const measureId = `${id}:measure`;
    measures.push({ id: measureId, ...stamp, residentId: id, ...measureColumnsOf(m) } as ProtectionMeasureEntity);
    for (const [i, h] of m.holders.entries())
      holders.push({
        id: `${measureId}:holder:${i + 1}`,
        measureId,
        contactId: add(h as ContactInput).id,
        role: h.role,
        establishmentEmployee: h.establishmentEmployee ?? false,
        mission: holderMissionOf(h, m),
      });
  }
  return { resident, contacts, measures, holders };
}
