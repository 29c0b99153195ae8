import type { FieldError } from '@carepact/common';
import type { FormBody } from '../console-request';

/**
 * The resident forms as the browser posts them: flat fields named by their path in the API's DTO
 * (`contacts.0.email`, `protectionMeasure.holders.1.role`), so an error the API reports for a path
 * lands on the field of that name. This module turns the posted fields into the JSON body the API
 * would receive; the API's own DTO classes and validation pipe then check it (no second rules).
 *
 * Repeated blocks (contacts, parents, holders) are renumbered without the blank ones before
 * anything else, so the numbers in the errors are those of the blocks shown again.
 */
export type Flat = Record<string, string>;

export const CONTACT_FIELDS = ['civility', 'firstName', 'lastName', 'relation', 'organisationName', 'email', 'phone', 'address'] as const;
export const HOLDER_FIELDS = ['role', 'contactId', ...CONTACT_FIELDS] as const;
export const PDC_FIELDS = ['contactId', 'civility', 'firstName', 'lastName', 'relation', 'email', 'phone', 'address', 'designatedOn'] as const;
const SOLE_AUTHORITY_FIELDS = ['ground', 'proofReference', 'proofDate'] as const;
/** C. civ. 390 s., 377 s., 375-7: the decision behind a minor's tuteur, délégataire or service gardien (MinorDecisionDto). */
const MINOR_DECISION_FIELDS = ['authority', 'reference', 'date', 'delegationExtent', 'delegationCoversStay', 'actAuthorisation.reference', 'actAuthorisation.date'] as const;
const RESIDENT_TEXT = [
  'establishmentId',
  'civility',
  'firstName',
  'lastName',
  'birthName',
  'birthDate',
  'admissionDate',
  'stayType',
  'plannedEndDate',
  'room',
  'email',
  'phone',
  'parentalAuthority',
  ...SOLE_AUTHORITY_FIELDS.map((f) => `soleAuthority.${f}`),
  ...MINOR_DECISION_FIELDS.map((f) => `minorDecision.${f}`),
  'preferences.language',
];
const RESIDENT_CHECKS = ['preferences.largePrint', 'preferences.easyToRead', 'minorDecision.wardOfState'];
const MEASURE_TEXT = [
  'type',
  'mode',
  'general',
  'acts',
  'mission',
  'court',
  'judgmentReference',
  'judgmentDate',
  'startDate',
  'endDate',
  'mandateEffectiveDate',
  'authorisationReference',
  'proofDocumentRef',
  'subrogeContactId',
  'adHocContactId',
  'adHocJudgmentReference',
  'adHocJudgmentDate',
];
const MEASURE_CHECKS = ['scope.personne', 'scope.biens', 'judgeAuthorisesHolderAlone'];
/**
 * C. civ. 451 al. 2: the measure form's checkbox for one holder who is the establishment's préposé,
 * `establishmentEmployee.<contactId>` (UpdateMeasureDto establishmentEmployeeContactIds); a new
 * measure's holder block has its own `holders.N.establishmentEmployee`.
 */
export const EMPLOYEE_PREFIX = 'establishmentEmployee.';
/**
 * C. civ. 447 al. 3: the measure form's choice of one holder's mission, `mission.<contactId>`
 * (UpdateMeasureDto holderMissions): `personne`, `biens`, or empty for the whole measure; a new
 * measure's holder block has its own `holders.N.mission`.
 */
export const MISSION_PREFIX = 'mission.';

/** The most blocks of one kind a form keeps (the DTOs allow 30 contacts, 2 parents, 5 holders). */
export const MAX_BLOCKS = { contacts: 30, parents: 2, holders: 5 } as const;

const blank = (v: string | undefined) => v === undefined || v.trim() === '';
const opt = (v: string | undefined) => (blank(v) ? undefined : v);
const nul = (v: string | undefined) => (blank(v) ? null : v);
const checked = (v: string | undefined) => v === 'oui';

function copy(body: FormBody, out: Flat, names: readonly string[], prefix = ''): void {
  for (const n of names) {
    const v = body[prefix + n];
    if (typeof v === 'string') out[prefix + n] = v;
  }
}

/** Blocks `prefix.N.field` as posted, without the blank ones (checkboxes and `role` alone do not count), renumbered from 0. */
function blocks(body: FormBody, out: Flat, prefix: string, fields: readonly string[], max: number, checks: readonly string[] = []): number {
  const indexes = new Set<number>();
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,2})\\.`);
  for (const k of Object.keys(body)) {
    const m = re.exec(k);
    if (m) indexes.add(Number(m[1]));
  }
  let n = 0;
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const at = (f: string) => body[`${prefix}.${i}.${f}`];
    if (fields.filter((f) => f !== 'role').every((f) => blank(at(f)))) continue;
    if (n >= max) break;
    for (const f of [...fields, ...checks]) {
      const v = at(f);
      if (typeof v === 'string') out[`${prefix}.${n}.${f}`] = v;
    }
    n++;
  }
  return n;
}

export interface ResidentDraft {
  values: Flat;
  contacts: number;
  parents: number;
  holders: number;
}

/** The create form, as posted: every field of CreateResidentDto. */
export function residentDraft(body: FormBody): ResidentDraft {
  const values: Flat = {};
  copy(body, values, [...RESIDENT_TEXT, ...RESIDENT_CHECKS]);
  const contacts = blocks(body, values, 'contacts', CONTACT_FIELDS, MAX_BLOCKS.contacts, ['holdsParentalAuthority', 'minorRole']);
  const parents = blocks(body, values, 'parents', CONTACT_FIELDS, MAX_BLOCKS.parents);
  copy(body, values, PDC_FIELDS, 'personneDeConfiance.');
  const holders = measureDraftInto(body, values, 'protectionMeasure.');
  return { values, contacts, parents, holders };
}

/** A measure's fields under `prefix` (`protectionMeasure.` in the create form, none in the measure form); returns the holders kept. */
export function measureDraftInto(body: FormBody, values: Flat, prefix: string): number {
  copy(body, values, [...MEASURE_TEXT, ...MEASURE_CHECKS], prefix);
  return blocks(body, values, `${prefix}holders`, HOLDER_FIELDS, MAX_BLOCKS.holders, ['establishmentEmployee', 'mission']);
}

export function flatDraft(body: FormBody, names: readonly string[], checks: readonly string[] = []): Flat {
  const values: Flat = {};
  copy(body, values, [...names, ...checks]);
  return values;
}

function contactBody(v: Flat, p: string, mode: 'create' | 'update', parental: boolean): Record<string, unknown> {
  return {
    // « Madame » / « Monsieur », optional (@carepact/common civility.ts): « — » sends none, or clears it.
    civility: mode === 'create' ? opt(v[`${p}civility`]) : nul(v[`${p}civility`]),
    firstName: mode === 'create' ? opt(v[`${p}firstName`]) : (v[`${p}firstName`] ?? ''),
    lastName: mode === 'create' ? opt(v[`${p}lastName`]) : (v[`${p}lastName`] ?? ''),
    relation: mode === 'create' ? opt(v[`${p}relation`]) : nul(v[`${p}relation`]),
    organisationName: mode === 'create' ? opt(v[`${p}organisationName`]) : nul(v[`${p}organisationName`]),
    email: mode === 'create' ? opt(v[`${p}email`]) : nul(v[`${p}email`]),
    phone: mode === 'create' ? opt(v[`${p}phone`]) : nul(v[`${p}phone`]),
    address: mode === 'create' ? opt(v[`${p}address`]) : nul(v[`${p}address`]),
    ...(parental ? { holdsParentalAuthority: checked(v[`${p}holdsParentalAuthority`]), minorRole: mode === 'create' ? opt(v[`${p}minorRole`]) : nul(v[`${p}minorRole`]) } : {}),
  };
}

/** A contact (ContactDto, or UpdateContactDto: a field emptied is cleared, a name emptied is refused). */
export function contactPayload(v: Flat, mode: 'create' | 'update'): Record<string, unknown> {
  return contactBody(v, '', mode, true);
}

function measureBody(v: Flat, p: string, holders: number, mode: 'create' | 'update'): Record<string, unknown> {
  const scope = (['personne', 'biens'] as const).filter((s) => checked(v[`${p}scope.${s}`]));
  const acts = (v[`${p}acts`] ?? '').split(/\r?\n/).map((a) => a.trim()).filter(Boolean);
  const general = v[`${p}general`];
  const body: Record<string, unknown> = {
    type: opt(v[`${p}type`]),
    mode: opt(v[`${p}mode`]),
    scope: scope.length || mode === 'update' ? scope : undefined,
    general: general === 'non' ? false : general === 'oui' ? true : undefined,
    acts,
    mission: mode === 'create' ? opt(v[`${p}mission`]) : nul(v[`${p}mission`]),
    court: mode === 'create' ? opt(v[`${p}court`]) : (v[`${p}court`] ?? ''),
    judgmentReference: mode === 'create' ? opt(v[`${p}judgmentReference`]) : (v[`${p}judgmentReference`] ?? ''),
    judgmentDate: mode === 'create' ? opt(v[`${p}judgmentDate`]) : (v[`${p}judgmentDate`] ?? ''),
    startDate: mode === 'create' ? opt(v[`${p}startDate`]) : nul(v[`${p}startDate`]),
    endDate: mode === 'create' ? opt(v[`${p}endDate`]) : nul(v[`${p}endDate`]),
    mandateEffectiveDate: mode === 'create' ? opt(v[`${p}mandateEffectiveDate`]) : nul(v[`${p}mandateEffectiveDate`]),
    judgeAuthorisesHolderAlone: checked(v[`${p}judgeAuthorisesHolderAlone`]),
    authorisationReference: mode === 'create' ? opt(v[`${p}authorisationReference`]) : nul(v[`${p}authorisationReference`]),
    proofDocumentRef: mode === 'create' ? opt(v[`${p}proofDocumentRef`]) : nul(v[`${p}proofDocumentRef`]),
    // C. civ. 451 al. 2, 454 al. 5, 455: the holders' tie to the establishment (each his own), the subrogé, the ad hoc appointment.
    establishmentEmployeeContactIds:
      mode === 'update' ? Object.keys(v).filter((k) => k.startsWith(`${p}${EMPLOYEE_PREFIX}`) && checked(v[k])).map((k) => k.slice(`${p}${EMPLOYEE_PREFIX}`.length)) : undefined,
    // C. civ. 447 al. 3: each holder's mission; empty, the whole measure (its scope as ticked).
    holderMissions:
      mode === 'update'
        ? Object.keys(v)
            .filter((k) => k.startsWith(`${p}${MISSION_PREFIX}`))
            .map((k) => ({ contactId: k.slice(`${p}${MISSION_PREFIX}`.length), mission: opt(v[k]) ? [v[k]] : scope }))
            .filter((x) => x.mission.length)
        : undefined,
    subrogeContactId: mode === 'create' ? opt(v[`${p}subrogeContactId`]) : nul(v[`${p}subrogeContactId`]),
    adHocContactId: mode === 'create' ? opt(v[`${p}adHocContactId`]) : nul(v[`${p}adHocContactId`]),
    adHocJudgmentReference: mode === 'create' ? opt(v[`${p}adHocJudgmentReference`]) : nul(v[`${p}adHocJudgmentReference`]),
    adHocJudgmentDate: mode === 'create' ? opt(v[`${p}adHocJudgmentDate`]) : nul(v[`${p}adHocJudgmentDate`]),
  };
  if (mode === 'create') {
    body.holders = Array.from({ length: holders }, (_, i) => {
      const h = `${p}holders.${i}.`;
      const contactId = opt(v[`${h}contactId`]);
      const employee = checked(v[`${h}establishmentEmployee`]) || undefined;
      const mission = opt(v[`${h}mission`]) ? [v[`${h}mission`]] : undefined;
      return contactId
        ? { role: opt(v[`${h}role`]), contactId, establishmentEmployee: employee, mission }
        : { role: opt(v[`${h}role`]), ...contactBody(v, h, 'create', false), establishmentEmployee: employee, mission };
    });
  }
  return body;
}

/** MeasureDto (a new measure with its holders) or UpdateMeasureDto (holders are not changed there). */
export function measurePayload(v: Flat, holders: number, mode: 'create' | 'update'): Record<string, unknown> {
  return measureBody(v, '', holders, mode);
}

/** A measure block counts as filled in when anything but its defaults (general, holder roles) was given. */
function measureGiven(v: Flat, p: string, holders: number): boolean {
  return holders > 0 || [...MEASURE_TEXT.filter((f) => f !== 'general'), ...MEASURE_CHECKS].some((f) => !blank(v[`${p}${f}`]));
}

/** PersonneDeConfianceDto: an existing contact, or a person to add. */
export function pdcPayload(v: Flat, p = ''): Record<string, unknown> {
  const contactId = opt(v[`${p}contactId`]);
  const designatedOn = opt(v[`${p}designatedOn`]);
  if (contactId) return { contactId, designatedOn };
  return {
    civility: opt(v[`${p}civility`]),
    firstName: opt(v[`${p}firstName`]),
    lastName: opt(v[`${p}lastName`]),
    relation: opt(v[`${p}relation`]),
    email: opt(v[`${p}email`]),
    phone: opt(v[`${p}phone`]),
    address: opt(v[`${p}address`]),
    designatedOn,
  };
}

/** CreateResidentDto's body; the blocks left blank are not sent. */
export function createResidentPayload(d: ResidentDraft): Record<string, unknown> {
  const v = d.values;
  const pdcGiven = PDC_FIELDS.some((f) => !blank(v[`personneDeConfiance.${f}`]));
  return {
    establishmentId: opt(v.establishmentId),
    civility: opt(v.civility),
    firstName: opt(v.firstName),
    lastName: opt(v.lastName),
    birthName: opt(v.birthName),
    birthDate: opt(v.birthDate),
    admissionDate: opt(v.admissionDate),
    stayType: opt(v.stayType),
    plannedEndDate: opt(v.plannedEndDate),
    room: opt(v.room),
    preferences: { largePrint: checked(v['preferences.largePrint']), easyToRead: checked(v['preferences.easyToRead']), language: opt(v['preferences.language']) },
    email: opt(v.email),
    phone: opt(v.phone),
    parentalAuthority: opt(v.parentalAuthority),
    soleAuthority: soleAuthorityBody(v),
    minorDecision: minorDecisionBody(v),
    contacts: Array.from({ length: d.contacts }, (_, i) => contactBody(v, `contacts.${i}.`, 'create', true)),
    ...(d.parents ? { parents: Array.from({ length: d.parents }, (_, i) => contactBody(v, `parents.${i}.`, 'create', false)) } : {}),
    ...(pdcGiven ? { personneDeConfiance: pdcPayload(v, 'personneDeConfiance.') } : {}),
    ...(measureGiven(v, 'protectionMeasure.', d.holders) ? { protectionMeasure: measureBody(v, 'protectionMeasure.', d.holders, 'create') } : {}),
  };
}

export const UPDATE_RESIDENT_FIELDS = RESIDENT_TEXT.filter((f) => f !== 'establishmentId');
export { RESIDENT_CHECKS, MEASURE_TEXT, MEASURE_CHECKS };

/** UpdateResidentDto's body from the whole edit form: a field emptied is cleared (null), a required one refused. */
export function updateResidentPayload(v: Flat): Record<string, unknown> {
  return {
    civility: nul(v.civility),
    firstName: v.firstName ?? '',
    lastName: v.lastName ?? '',
    birthName: nul(v.birthName),
    birthDate: v.birthDate ?? '',
    admissionDate: v.admissionDate ?? '',
    stayType: opt(v.stayType),
    plannedEndDate: nul(v.plannedEndDate),
    room: nul(v.room),
    preferences: { largePrint: checked(v['preferences.largePrint']), easyToRead: checked(v['preferences.easyToRead']), language: opt(v['preferences.language']) },
    email: nul(v.email),
    phone: nul(v.phone),
    parentalAuthority: nul(v.parentalAuthority),
    // The edit form shows the proof on file: moving to a joint exercise clears it without emptying its fields first.
    // A partial délégation not covering the stay leaves the rest to the parents as they held it, one alone on its proof (C. civ. 377, 377-1 al. 1).
    soleAuthority:
      v.parentalAuthority === 'sole' || (v.parentalAuthority === 'delegation' && v['minorDecision.delegationExtent'] === 'partial' && v['minorDecision.delegationCoversStay'] === 'non')
        ? soleAuthorityBody(v)
        : undefined,
    // Left blank, the decision on file is kept while the kind stays, cleared when it changes (ResidentsService).
    minorDecision: minorDecisionBody(v),
  };
}

/**
 * The decision of a tutelle, a delegation or a placement when any of its fields is filled (the DTO
 * then names the missing ones): the extent, the pupille box and the judge's authorisation as given
 * (an authorisation left blank is cleared).
 */
function minorDecisionBody(v: Flat): Record<string, unknown> | undefined {
  if (MINOR_DECISION_FIELDS.every((f) => blank(v[`minorDecision.${f}`])) && !checked(v['minorDecision.wardOfState'])) return undefined;
  const authorisation = !blank(v['minorDecision.actAuthorisation.reference']) || !blank(v['minorDecision.actAuthorisation.date']);
  return {
    authority: opt(v['minorDecision.authority']),
    reference: opt(v['minorDecision.reference']),
    date: opt(v['minorDecision.date']),
    delegationExtent: nul(v['minorDecision.delegationExtent']),
    // C. civ. 377, 377-1 al. 1: a partial delegation's reach, « oui » / « non »; blank: not said (the API asks for it when the delegation is partial).
    delegationCoversStay: v['minorDecision.delegationCoversStay'] === 'oui' ? true : v['minorDecision.delegationCoversStay'] === 'non' ? false : null,
    wardOfState: checked(v['minorDecision.wardOfState']),
    actAuthorisation: authorisation ? { reference: opt(v['minorDecision.actAuthorisation.reference']), date: opt(v['minorDecision.actAuthorisation.date']) } : null,
  };
}

/**
 * The proof of sole exercise when any of its fields is filled (the DTO then names the missing ones);
 * left blank, it is not sent: the API asks for it when one parent exercises alone, keeps the one on
 * file on an edit, and clears it when the authority is no longer exercised alone.
 */
function soleAuthorityBody(v: Flat): Record<string, string | undefined> | undefined {
  if (SOLE_AUTHORITY_FIELDS.every((f) => blank(v[`soleAuthority.${f}`]))) return undefined;
  return Object.fromEntries(SOLE_AUTHORITY_FIELDS.map((f) => [f, opt(v[`soleAuthority.${f}`])]));
}

/** `undefined` members are not sent (as JSON.stringify would drop them): the DTO sees what a JSON client would send. */
export function asJson(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/**
 * An error on one item of a list field (`scope.1`, `acts.0`) belongs to the field that lists them;
 * the posted order of blocks is the order of the errors.
 */
export function anchoredErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, field: e.field.replace(/(^|\.)(scope|acts)\.\d+$/, '$1$2') }));
}

/** Which block an « ajouter » button asked for (`ajouter:contacts`), if any. */
export function addedBlock(body: FormBody): string | undefined {
  const a = body._action;
  return a && a.startsWith('ajouter:') ? a.slice('ajouter:'.length) : undefined;
}
