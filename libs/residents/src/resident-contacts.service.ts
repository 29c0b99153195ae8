import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { ConflictError, NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, auditActor } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { trimOrNull, withoutPrefix } from './input-text';
import { contactColumnsOf } from './resident-input-rows';
import { ResidentAccess } from './resident-access';
import { isMinor, todayIso, validateContact, validateMinorRepresentation } from './resident-rules';
import { minorDecisionOf, type MinorRole } from './minor-representation';
import { contactView, ResidentViews } from './resident-views';
import { ContactEntity, ResidentEntity } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import type { ContactInput, ContactView, PersonneDeConfianceInput, ResidentView } from './residents.types';
import { assertResidentNotHeld } from './legal-hold';

/** The rules of validateMinorRepresentation that look at the contacts' roles (the representative on file). */
const REPRESENTATIVE_CODES = new Set(['MINOR_TUTEUR_REQUIRED', 'DELEGATAIRE_REQUIRED', 'SERVICE_GARDIEN_REQUIRED']);

/** A resident's contacts (relatives, parents, holders of measures) and their personne de confiance. */
@Injectable()
export class ResidentContactsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ResidentsRepository,
    private readonly access: ResidentAccess,
    private readonly views: ResidentViews,
    private readonly audit: AuditService,
  ) {}

  async addContact(actor: StaffActor, residentId: string, input: ContactInput): Promise<ContactView> {
    const errors = validateContact(input, 'contact');
    if (errors.length) throw new ValidationError(withoutPrefix(errors, 'contact'));
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      if (input.holdsParentalAuthority && !isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'holdsParentalAuthority', code: 'ADULT', message: 'L’autorité parentale ne concerne que les mineurs.' }]);
      if (input.minorRole && !isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'minorRole', code: 'ADULT', message: 'Le tuteur, le délégataire ou le service gardien ne concernent que les mineurs.' }]);
      return contactView(await this.insertContact(em, actor, r, input));
    });
  }

  async updateContact(actor: StaffActor, residentId: string, contactId: string, patch: Partial<ContactInput>): Promise<ContactView> {
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      const c = await this.repo.findContact(em, r.id, contactId);
      if (!c) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
      const merged = { ...c, ...patch } as ContactInput;
      const errors = validateContact(merged, 'contact');
      if (errors.length) throw new ValidationError(withoutPrefix(errors, 'contact'));
      const changes: Partial<ContactEntity> = {};
      for (const k of ['firstName', 'lastName', 'relation', 'organisationName', 'email', 'phone', 'address'] as const) {
        if (patch[k] !== undefined) {
          const v = k === 'firstName' || k === 'lastName' ? (patch[k] as string).trim() : trimOrNull(patch[k]);
          if (c[k] !== v) (changes as Record<string, unknown>)[k] = v;
        }
      }
      if (patch.civility !== undefined && (patch.civility ?? null) !== c.civility) changes.civility = patch.civility ?? null;
      if (patch.holdsParentalAuthority !== undefined && patch.holdsParentalAuthority !== c.holdsParentalAuthority)
        changes.holdsParentalAuthority = patch.holdsParentalAuthority;
      if (patch.minorRole !== undefined && (patch.minorRole ?? null) !== c.minorRole) {
        if (patch.minorRole && !isMinor(r.birthDate, todayIso()))
          throw new ValidationError([{ field: 'minorRole', code: 'ADULT', message: 'Le tuteur, le délégataire ou le service gardien ne concernent que les mineurs.' }]);
        changes.minorRole = patch.minorRole ?? null;
        if (c.minorRole) await this.assertStillRepresented(em, r, c.id, changes.minorRole, 'minorRole');
      }
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
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      const c = await this.repo.findContact(em, r.id, contactId);
      if (!c) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
      await assertResidentNotHeld(em, r.id);
      if (await this.repo.contactIsHolder(em, c.id))
        throw new ConflictError('CONTACT_IS_MEASURE_HOLDER', 'Ce contact exerce une mesure de protection : modifiez d’abord la mesure.');
      if (c.minorRole) await this.assertStillRepresented(em, r, c.id, undefined, 'contact');
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

  /**
   * A minor under tutelle or délégation keeps the representative the resident form requires
   * (validateMinorRepresentation: C. civ. 408 for the tuteur, C. civ. 377 for the délégataire,
   * C. civ. 375-7 for the service gardien the judge authorised): the contact `contactId` losing its
   * role (`role` null) or deleted (`role` undefined) must leave one, otherwise 400 with the form's
   * code and message, before anything is written. Only the rules about the contacts' roles are
   * checked here (a decision missing on an older file is the resident form's business), and only
   * for a minor: at majority the tutelle or the délégation ends (C. civ. 393, 414).
   */
  private async assertStillRepresented(em: EntityManager, r: ResidentEntity, contactId: string, role: MinorRole | null | undefined, field: string): Promise<void> {
    if (!isMinor(r.birthDate, todayIso())) return;
    const contacts = await em.find(ContactEntity, { where: { residentId: r.id }, select: { id: true, minorRole: true } });
    const roles = contacts.filter((x) => role !== undefined || x.id !== contactId).map((x) => (x.id === contactId ? role : x.minorRole));
    const errors = validateMinorRepresentation(r.parentalAuthority, minorDecisionOf(r), roles, todayIso()).filter((e) => REPRESENTATIVE_CODES.has(e.code));
    if (errors.length) throw new ValidationError(errors.map((e) => ({ ...e, field })), errors[0].message, errors[0].code);
  }

  async setPersonneDeConfiance(actor: StaffActor, residentId: string, input: PersonneDeConfianceInput): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      if (isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'personneDeConfiance', code: 'ADULT_ONLY', message: 'Seule une personne majeure désigne une personne de confiance (CASF L.311-5-1).' }]);
      if (!input.contactId) {
        const errors = validateContact(input as ContactInput, 'personneDeConfiance');
        if (errors.length) throw new ValidationError(errors);
      }
      await this.applyPersonneDeConfiance(em, actor, r, input);
      const fresh = await em.findOneByOrFail(ResidentEntity, { id: r.id });
      return this.views.resident(em, fresh);
    });
  }

  async clearPersonneDeConfiance(actor: StaffActor, residentId: string): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
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
      return this.views.resident(em, fresh);
    });
  }

  /** Inside the caller's transaction (resident creation, holders of a new measure). */
  async insertContact(em: EntityManager, actor: StaffActor, r: ResidentEntity, c: ContactInput): Promise<ContactEntity> {
    const now = new Date();
    const contact = em.create(ContactEntity, {
      organisationId: r.organisationId,
      residentId: r.id,
      ...contactColumnsOf(c),
      createdAt: now,
      updatedAt: now,
    });
    await em.insert(ContactEntity, contact);
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor: auditActor(actor),
      action: 'contact.created',
      subject: { type: 'contact', id: contact.id },
      payload: { residentId: r.id, holdsParentalAuthority: contact.holdsParentalAuthority, ...(contact.minorRole ? { minorRole: contact.minorRole } : {}) },
    });
    return contact;
  }

  /** Inside the caller's transaction: an existing contact, or a new one, becomes the personne de confiance. */
  async applyPersonneDeConfiance(em: EntityManager, actor: StaffActor, r: ResidentEntity, input: PersonneDeConfianceInput): Promise<void> {
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
}
