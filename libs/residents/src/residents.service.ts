import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { ConflictError, NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCan, auditActor, establishmentsWith, visibleEstablishments } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { isMinor, measureStatus, todayIso, validateContact, validateMeasure, validateResident } from './resident-rules';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import type {
  ContactInput,
  ContactView,
  MeasureInput,
  MeasureView,
  PersonneDeConfianceInput,
  ResidentInput,
  ResidentPatch,
  ResidentSummary,
  ResidentView,
} from './residents.types';

const nn = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);
const trimOrNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

@Injectable()
export class ResidentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ResidentsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(actor: StaffActor, establishmentId?: string): Promise<ResidentSummary[]> {
    let scope = establishmentsWith(actor, 'resident.read');
    if (establishmentId) {
      assertCan(actor, 'resident.read', establishmentId);
      scope = [establishmentId];
    }
    const rows = await this.repo.list(this.tx.manager, actor.organisationId, scope);
    return rows.map((r) => ({
      id: r.id,
      establishmentId: r.establishmentId,
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      admissionDate: r.admissionDate,
      stayType: r.stayType,
      room: r.room,
    }));
  }

  async get(actor: StaffActor, id: string): Promise<ResidentView> {
    const em = this.tx.manager;
    const r = await this.scoped(em, actor, id, 'resident.read');
    return this.view(em, r);
  }

  /** For other libs (documents, signing): the full file of a resident the actor may read. */
  async getForOrganisation(em: EntityManager, organisationId: string, id: string): Promise<ResidentView | null> {
    const r = await em.findOne(ResidentEntity, { where: { id, organisationId } });
    return r ? this.view(em, r) : null;
  }

  async create(actor: StaffActor, input: ResidentInput): Promise<ResidentView> {
    assertCan(actor, 'resident.write', input.establishmentId);
    const today = todayIso();
    const errors = validateResident(input, today);
    if (errors.length) throw new ValidationError(errors);
    return this.tx.run(async (em) => {
      const now = new Date();
      const who = auditActor(actor);
      const resident = em.create(ResidentEntity, {
        organisationId: actor.organisationId,
        establishmentId: input.establishmentId,
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
        personneDeConfianceId: null,
        personneDeConfianceDesignatedOn: null,
        createdAt: now,
        updatedAt: now,
      });
      await em.insert(ResidentEntity, resident);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: who,
        action: 'resident.created',
        subject: { type: 'resident', id: resident.id },
        payload: { establishmentId: resident.establishmentId },
      });
      for (const c of input.contacts ?? []) await this.insertContact(em, actor, resident, c);
      for (const p of input.parents ?? []) await this.insertContact(em, actor, resident, { ...p, holdsParentalAuthority: true });
      if (input.personneDeConfiance) await this.applyPersonneDeConfiance(em, actor, resident, input.personneDeConfiance);
      if (input.protectionMeasure) await this.insertMeasure(em, actor, resident, input.protectionMeasure);
      return this.view(em, resident);
    });
  }

  async update(actor: StaffActor, id: string, patch: ResidentPatch): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, id, 'resident.write', true);
      const merged: ResidentInput = {
        establishmentId: r.establishmentId,
        firstName: patch.firstName ?? r.firstName,
        lastName: patch.lastName ?? r.lastName,
        birthDate: patch.birthDate ?? r.birthDate,
        admissionDate: patch.admissionDate ?? r.admissionDate,
        stayType: patch.stayType ?? r.stayType,
        plannedEndDate: patch.plannedEndDate !== undefined ? patch.plannedEndDate : r.plannedEndDate,
        email: patch.email !== undefined ? patch.email : r.email,
        parentalAuthority: patch.parentalAuthority !== undefined ? patch.parentalAuthority : r.parentalAuthority,
      };
      const errors = validateResident(merged, todayIso());
      if (errors.length) throw new ValidationError(errors);
      const changes: Partial<ResidentEntity> = {};
      const set = <K extends keyof ResidentEntity>(k: K, v: ResidentEntity[K]) => {
        if (r[k] !== v) changes[k] = v;
      };
      if (patch.firstName !== undefined) set('firstName', patch.firstName.trim());
      if (patch.lastName !== undefined) set('lastName', patch.lastName.trim());
      if (patch.birthName !== undefined) set('birthName', trimOrNull(patch.birthName));
      if (patch.birthDate !== undefined) set('birthDate', patch.birthDate);
      if (patch.admissionDate !== undefined) set('admissionDate', patch.admissionDate);
      if (patch.stayType !== undefined) set('stayType', patch.stayType);
      if (patch.plannedEndDate !== undefined) set('plannedEndDate', patch.plannedEndDate);
      if (patch.room !== undefined) set('room', trimOrNull(patch.room));
      if (patch.email !== undefined) set('email', trimOrNull(patch.email));
      if (patch.phone !== undefined) set('phone', trimOrNull(patch.phone));
      if (patch.parentalAuthority !== undefined) set('parentalAuthority', patch.parentalAuthority);
      if (patch.preferences?.largePrint !== undefined) set('prefersLargePrint', patch.preferences.largePrint);
      if (patch.preferences?.easyToRead !== undefined) set('prefersEasyToRead', patch.preferences.easyToRead);
      if (patch.preferences?.language !== undefined) set('language', patch.preferences.language);
      const changed = Object.keys(changes);
      if (changed.length) {
        changes.updatedAt = new Date();
        await em.update(ResidentEntity, { id: r.id }, changes);
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'resident.updated',
          subject: { type: 'resident', id: r.id },
          payload: { changedFields: changed },
        });
      }
      return this.view(em, { ...r, ...changes } as ResidentEntity);
    });
  }

  async addContact(actor: StaffActor, residentId: string, input: ContactInput): Promise<ContactView> {
    const errors = validateContact(input, 'contact');
    if (errors.length) throw new ValidationError(errors.map((e) => ({ ...e, field: e.field.replace(/^contact\./, '') })));
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      if (input.holdsParentalAuthority && !isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'holdsParentalAuthority', code: 'ADULT', message: 'L’autorité parentale ne concerne que les mineurs.' }]);
      return contactView(await this.insertContact(em, actor, r, input));
    });
  }

  async updateContact(actor: StaffActor, residentId: string, contactId: string, patch: Partial<ContactInput>): Promise<ContactView> {
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      const c = await this.repo.findContact(em, r.id, contactId);
      if (!c) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
      const merged = { ...c, ...patch } as ContactInput;
      const errors = validateContact(merged, 'contact');
      if (errors.length) throw new ValidationError(errors.map((e) => ({ ...e, field: e.field.replace(/^contact\./, '') })));
      const changes: Partial<ContactEntity> = {};
      for (const k of ['firstName', 'lastName', 'relation', 'organisationName', 'email', 'phone', 'address'] as const) {
        if (patch[k] !== undefined) {
          const v = k === 'firstName' || k === 'lastName' ? (patch[k] as string).trim() : trimOrNull(patch[k]);
          if (c[k] !== v) (changes as Record<string, unknown>)[k] = v;
        }
      }
      if (patch.holdsParentalAuthority !== undefined && patch.holdsParentalAuthority !== c.holdsParentalAuthority)
        changes.holdsParentalAuthority = patch.holdsParentalAuthority;
      const changed = Object.keys(changes);
      if (changed.length) {
        changes.updatedAt = new Date();
        await em.update(ContactEntity, { id: c.id }, changes);
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'contact.updated',
          subject: { type: 'contact', id: c.id },
          payload: { residentId: r.id, changedFields: changed },
        });
      }
      return contactView({ ...c, ...changes } as ContactEntity);
    });
  }

  async deleteContact(actor: StaffActor, residentId: string, contactId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      const c = await this.repo.findContact(em, r.id, contactId);
      if (!c) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
      if (await this.repo.contactIsHolder(em, c.id))
        throw new ConflictError('CONTACT_IS_MEASURE_HOLDER', 'Ce contact exerce une mesure de protection : modifiez d’abord la mesure.');
      if (r.personneDeConfianceId === c.id) {
        await em.update(ResidentEntity, { id: r.id }, { personneDeConfianceId: null, personneDeConfianceDesignatedOn: null, updatedAt: new Date() });
      }
      await em.delete(ContactEntity, { id: c.id });
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'contact.deleted',
        subject: { type: 'contact', id: c.id },
        payload: { residentId: r.id },
      });
    });
  }

  async setPersonneDeConfiance(actor: StaffActor, residentId: string, input: PersonneDeConfianceInput): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      if (isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'personneDeConfiance', code: 'ADULT_ONLY', message: 'Seule une personne majeure désigne une personne de confiance (CASF L.311-5-1).' }]);
      if (!input.contactId) {
        const errors = validateContact(input as ContactInput, 'personneDeConfiance');
        if (errors.length) throw new ValidationError(errors);
      }
      await this.applyPersonneDeConfiance(em, actor, r, input);
      const fresh = await em.findOneByOrFail(ResidentEntity, { id: r.id });
      return this.view(em, fresh);
    });
  }

  async clearPersonneDeConfiance(actor: StaffActor, residentId: string): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      if (r.personneDeConfianceId) {
        await em.update(ResidentEntity, { id: r.id }, { personneDeConfianceId: null, personneDeConfianceDesignatedOn: null, updatedAt: new Date() });
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'personne_de_confiance.cleared',
          subject: { type: 'resident', id: r.id },
        });
      }
      const fresh = await em.findOneByOrFail(ResidentEntity, { id: r.id });
      return this.view(em, fresh);
    });
  }

  async addMeasure(actor: StaffActor, residentId: string, input: MeasureInput): Promise<MeasureView> {
    const errors = validateMeasure(input, 'measure', todayIso());
    if (errors.length) throw new ValidationError(errors.map((e) => ({ ...e, field: e.field.replace(/^measure\./, '') })));
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      if (isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'type', code: 'MINOR_NO_MEASURE', message: 'Un mineur relève de l’autorité parentale, pas d’une mesure de protection des majeurs.' }]);
      const m = await this.insertMeasure(em, actor, r, input);
      return (await this.measureViews(em, [m], await this.repo.contactsOf(em, r.id)))[0];
    });
  }

  async updateMeasure(actor: StaffActor, residentId: string, measureId: string, patch: Partial<Omit<MeasureInput, 'holders'>>): Promise<MeasureView> {
    return this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      const m = await this.repo.findMeasure(em, r.id, measureId);
      if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', 'Mesure de protection introuvable.');
      const holders = await this.repo.holdersOf(em, [m.id]);
      const merged: MeasureInput = { ...measureInputOf(m), ...patch, holders: holders.map((h) => ({ role: h.role, contactId: h.contactId })) };
      const errors = validateMeasure(merged, 'measure', todayIso());
      if (errors.length) throw new ValidationError(errors.map((e) => ({ ...e, field: e.field.replace(/^measure\./, '') })));
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        const cur = (m as unknown as Record<string, unknown>)[k];
        if (JSON.stringify(cur) !== JSON.stringify(v)) changes[k] = v;
      }
      const changed = Object.keys(changes);
      if (changed.length) {
        await em.update(ProtectionMeasureEntity, { id: m.id }, { ...changes, updatedAt: new Date() });
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'measure.updated',
          subject: { type: 'protection_measure', id: m.id },
          payload: { residentId: r.id, changedFields: changed },
        });
      }
      const fresh = await em.findOneByOrFail(ProtectionMeasureEntity, { id: m.id });
      return (await this.measureViews(em, [fresh], await this.repo.contactsOf(em, r.id)))[0];
    });
  }

  async deleteMeasure(actor: StaffActor, residentId: string, measureId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.scoped(em, actor, residentId, 'resident.write', true);
      const m = await this.repo.findMeasure(em, r.id, measureId);
      if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', 'Mesure de protection introuvable.');
      await em.delete(ProtectionMeasureEntity, { id: m.id });
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'measure.deleted',
        subject: { type: 'protection_measure', id: m.id },
        payload: { residentId: r.id, type: m.type },
      });
    });
  }

  // --- internals ---------------------------------------------------------------------------

  /** 404 for what the actor cannot see (other organisation, other establishment), 403 for a missing role. */
  private async scoped(em: EntityManager, actor: StaffActor, id: string, permission: 'resident.read' | 'resident.write', lock = false): Promise<ResidentEntity> {
    const r = await this.repo.findScoped(em, actor.organisationId, visibleEstablishments(actor), id);
    if (!r) throw new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.');
    assertCan(actor, permission, r.establishmentId);
    if (lock) await this.repo.lockResident(em, r.id);
    return r;
  }

  private async insertContact(em: EntityManager, actor: StaffActor, r: ResidentEntity, c: ContactInput): Promise<ContactEntity> {
    const now = new Date();
    const contact = em.create(ContactEntity, {
      organisationId: r.organisationId,
      residentId: r.id,
      firstName: c.firstName.trim(),
      lastName: c.lastName.trim(),
      relation: trimOrNull(c.relation),
      organisationName: trimOrNull(c.organisationName),
      email: trimOrNull(c.email),
      phone: trimOrNull(c.phone),
      address: trimOrNull(c.address),
      holdsParentalAuthority: c.holdsParentalAuthority ?? false,
      createdAt: now,
      updatedAt: now,
    });
    await em.insert(ContactEntity, contact);
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor: auditActor(actor),
      action: 'contact.created',
      subject: { type: 'contact', id: contact.id },
      payload: { residentId: r.id, holdsParentalAuthority: contact.holdsParentalAuthority },
    });
    return contact;
  }

  private async applyPersonneDeConfiance(em: EntityManager, actor: StaffActor, r: ResidentEntity, input: PersonneDeConfianceInput): Promise<void> {
    let contactId = input.contactId;
    if (contactId) {
      if (!(await this.repo.findContact(em, r.id, contactId))) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
    } else {
      contactId = (await this.insertContact(em, actor, r, input as ContactInput)).id;
    }
    await em.update(ResidentEntity, { id: r.id }, { personneDeConfianceId: contactId, personneDeConfianceDesignatedOn: input.designatedOn ?? null, updatedAt: new Date() });
    r.personneDeConfianceId = contactId;
    r.personneDeConfianceDesignatedOn = input.designatedOn ?? null;
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor: auditActor(actor),
      action: 'personne_de_confiance.set',
      subject: { type: 'resident', id: r.id },
      payload: { contactId },
    });
  }

  private async insertMeasure(em: EntityManager, actor: StaffActor, r: ResidentEntity, m: MeasureInput): Promise<ProtectionMeasureEntity> {
    const now = new Date();
    const measure = em.create(ProtectionMeasureEntity, {
      organisationId: r.organisationId,
      residentId: r.id,
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
      createdAt: now,
      updatedAt: now,
    });
    await em.insert(ProtectionMeasureEntity, measure);
    const holderIds: string[] = [];
    for (const [i, h] of m.holders.entries()) {
      let contactId = h.contactId;
      if (contactId) {
        if (!(await this.repo.findContact(em, r.id, contactId)))
          throw new ValidationError([{ field: `holders.${i}.contactId`, code: 'CONTACT_NOT_FOUND', message: 'Ce contact n’appartient pas au dossier du résident.' }]);
      } else {
        contactId = (await this.insertContact(em, actor, r, h as ContactInput)).id;
      }
      if (holderIds.includes(contactId))
        throw new ValidationError([{ field: `holders.${i}`, code: 'DUPLICATE', message: 'Cette personne figure déjà parmi les titulaires.' }]);
      holderIds.push(contactId);
      await em.insert(MeasureHolderEntity, { measureId: measure.id, contactId, role: h.role });
    }
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor: auditActor(actor),
      action: 'measure.created',
      subject: { type: 'protection_measure', id: measure.id },
      payload: { residentId: r.id, type: measure.type, holders: holderIds },
    });
    return measure;
  }

  private async view(em: EntityManager, r: ResidentEntity): Promise<ResidentView> {
    const contacts = await this.repo.contactsOf(em, r.id);
    const measures = await this.repo.measuresOf(em, r.id);
    const pdc = r.personneDeConfianceId ? contacts.find((c) => c.id === r.personneDeConfianceId) : undefined;
    return {
      id: r.id,
      establishmentId: r.establishmentId,
      firstName: r.firstName,
      lastName: r.lastName,
      birthName: r.birthName,
      birthDate: r.birthDate,
      admissionDate: r.admissionDate,
      stayType: r.stayType,
      plannedEndDate: r.plannedEndDate,
      room: r.room,
      preferences: { largePrint: r.prefersLargePrint, easyToRead: r.prefersEasyToRead, language: r.language },
      email: r.email,
      phone: r.phone,
      minor: isMinor(r.birthDate, todayIso()),
      parentalAuthority: r.parentalAuthority,
      personneDeConfiance: pdc ? { ...contactView(pdc), contactId: pdc.id, designatedOn: r.personneDeConfianceDesignatedOn } : null,
      contacts: contacts.map(contactView),
      protectionMeasures: await this.measureViews(em, measures, contacts),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  private async measureViews(em: EntityManager, measures: ProtectionMeasureEntity[], contacts: ContactEntity[]): Promise<MeasureView[]> {
    const holders = await this.repo.holdersOf(em, measures.map((m) => m.id));
    const today = todayIso();
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
          return { ...contactView(c), contactId: c.id, role: h.role };
        }),
    }));
  }
}

function contactView(c: ContactEntity): ContactView {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    relation: c.relation,
    organisationName: c.organisationName,
    email: c.email,
    phone: c.phone,
    address: c.address,
    holdsParentalAuthority: c.holdsParentalAuthority,
  };
}

function measureInputOf(m: ProtectionMeasureEntity): Omit<MeasureInput, 'holders'> {
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
  };
}
