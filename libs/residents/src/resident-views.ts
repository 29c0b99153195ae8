import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isMinor, measureStatus, todayIso } from './resident-rules';
import type { ResidentFileRows } from './resident-file-read';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import type { ContactView, MeasureInput, MeasureView, ResidentView } from './residents.types';
import { soleAuthorityOf } from './sole-authority';
import { minorDecisionOf } from './minor-representation';

/** Maps the resident file's rows onto the views the API and the other libs read. */
@Injectable()
export class ResidentViews {
  constructor(private readonly repo: ResidentsRepository) {}

  /** The full file: contacts, personne de confiance, measures with their holders. */
  async resident(em: EntityManager, r: ResidentEntity): Promise<ResidentView> {
    const contacts = await this.repo.contactsOf(em, r.id);
    const measures = await this.repo.measuresOf(em, r.id);
    return this.residentOf({ resident: r, contacts, measures, holders: await this.repo.holdersOf(em, measures.map((m) => m.id)) });
  }

  /** The same from the rows already read (readResidentFile: the whole file in one statement). */
  residentOf(rows: ResidentFileRows): ResidentView {
    return residentViewOf(rows, todayIso());
  }

  /** Measures with their holders (contacts of the resident) and today's status. */
  async measures(em: EntityManager, measures: ProtectionMeasureEntity[], contacts: ContactEntity[]): Promise<MeasureView[]> {
    return this.measuresOf(measures, contacts, await this.repo.holdersOf(em, measures.map((m) => m.id)));
  }

  /** The same from the holders already read. */
  measuresOf(measures: ProtectionMeasureEntity[], contacts: ContactEntity[], holders: MeasureHolderEntity[]): MeasureView[] {
    return measureViewsOf(measures, contacts, holders, todayIso());
  }
}

/**
 * A resident's file, from its rows, as the API and the other libs read it: `today` decides whether
 * she is a minor and each measure's status. ResidentViews reads it on the day; the offline `render`
 * command (apps/cli render-input.ts) on its date, from the rows residentFileOf builds.
 */
export function residentViewOf({ resident: r, contacts, measures, holders }: ResidentFileRows, today: string): ResidentView {
  const pdc = r.personneDeConfianceId ? contacts.find((c) => c.id === r.personneDeConfianceId) : undefined;
  return {
    id: r.id,
    establishmentId: r.establishmentId,
    ...(r.civility ? { civility: r.civility } : {}),
    firstName: r.firstName,
    lastName: r.lastName,
    birthName: r.birthName,
    birthDate: r.birthDate,
    admissionDate: r.admissionDate,
    stayType: r.stayType,
    plannedEndDate: r.plannedEndDate,
    departedOn: r.departedOn ?? null,
    deceasedOn: r.deceasedOn ?? null,
    room: r.room,
    preferences: { largePrint: r.prefersLargePrint, easyToRead: r.prefersEasyToRead, language: r.language },
    email: r.email,
    phone: r.phone,
    minor: isMinor(r.birthDate, today),
    parentalAuthority: r.parentalAuthority,
    soleAuthority: soleAuthorityOf(r),
    minorDecision: minorDecisionOf(r),
    personneDeConfiance: pdc ? { ...contactView(pdc), contactId: pdc.id, designatedOn: r.personneDeConfianceDesignatedOn } : null,
    contacts: contacts.map(contactView),
    protectionMeasures: measureViewsOf(measures, contacts, holders, today),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Measures with their holders (contacts of the resident) and their status on `today`. */
function measureViewsOf(measures: ProtectionMeasureEntity[], contacts: ContactEntity[], holders: MeasureHolderEntity[], today: string): MeasureView[] {
  return measures.map((m) => ({
    ...measureInputOf(m),
    id: m.id,
    general: m.general,
    acts: m.acts,
    mission: m.mission,
    startDate: m.startDate,
    endDate: m.endDate,
    mandateEffectiveDate: m.mandateEffectiveDate,
    judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAlone,
    authorisationReference: m.authorisationReference,
    proofDocumentRef: m.proofDocumentRef,
    status: measureStatus(m, today),
    holders: holders
      .filter((h) => h.measureId === m.id)
      .map((h) => {
        const c = contacts.find((x) => x.id === h.contactId)!;
        return { ...contactView(c), contactId: c.id, role: h.role, establishmentEmployee: h.establishmentEmployee, mission: h.mission };
      }),
    subroge: contactRef(contacts, m.subrogeContactId),
    adHoc:
      m.adHocContactId && m.adHocJudgmentReference && m.adHocJudgmentDate
        ? { ...contactRef(contacts, m.adHocContactId)!, judgmentReference: m.adHocJudgmentReference, judgmentDate: m.adHocJudgmentDate }
        : null,
  }));
}

function contactRef(contacts: ContactEntity[], id: string | null): (ContactView & { contactId: string }) | null {
  const c = id ? contacts.find((x) => x.id === id) : undefined;
  return c ? { ...contactView(c), contactId: c.id } : null;
}

export function contactView(c: ContactEntity): ContactView {
  return {
    id: c.id,
    ...(c.civility ? { civility: c.civility } : {}),
    firstName: c.firstName,
    lastName: c.lastName,
    relation: c.relation,
    organisationName: c.organisationName,
    email: c.email,
    phone: c.phone,
    address: c.address,
    holdsParentalAuthority: c.holdsParentalAuthority,
    minorRole: c.minorRole ?? null,
  };
}

/** A stored measure as the input that would create it (for merging a patch and re-validating). */
export function measureInputOf(m: ProtectionMeasureEntity): Omit<MeasureInput, 'holders'> {
  return {
    type: m.type,
    mode: m.mode,
    scope: m.scope,
    general: m.general,
    acts: m.acts,
    mission: m.mission,
    court: m.court,
    judgmentReference: m.judgmentReference,
    judgmentDate: m.judgmentDate,
    startDate: m.startDate,
    endDate: m.endDate,
    mandateEffectiveDate: m.mandateEffectiveDate,
    judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAlone,
    authorisationReference: m.authorisationReference,
    proofDocumentRef: m.proofDocumentRef,
    subrogeContactId: m.subrogeContactId,
    adHocContactId: m.adHocContactId,
    adHocJudgmentReference: m.adHocJudgmentReference,
    adHocJudgmentDate: m.adHocJudgmentDate,
  };
}
