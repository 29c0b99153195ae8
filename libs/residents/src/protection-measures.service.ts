import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, auditActor } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { withoutPrefix } from './input-text';
import { holderMissionOf, measureColumnsOf, orderedScope } from './resident-input-rows';
import { ResidentAccess } from './resident-access';
import { ResidentContactsService } from './resident-contacts.service';
import { isMinor, todayIso, validateMeasure } from './resident-rules';
import { measureInputOf, ResidentViews } from './resident-views';
import { MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity, type MeasureScope } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import type { ContactInput, MeasureInput, MeasurePatch, MeasureView } from './residents.types';
import { assertResidentNotHeld } from './legal-hold';

/** A resident's protection measures and who holds them (DOMAIN.md, "Protection measures and who signs"). */
@Injectable()
export class ProtectionMeasuresService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ResidentsRepository,
    private readonly access: ResidentAccess,
    private readonly views: ResidentViews,
    private readonly contacts: ResidentContactsService,
    private readonly audit: AuditService,
  ) {}

  async addMeasure(actor: StaffActor, residentId: string, input: MeasureInput): Promise<MeasureView> {
    const errors = validateMeasure(input, 'measure', todayIso());
    if (errors.length) throw new ValidationError(withoutPrefix(errors, 'measure'));
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      if (isMinor(r.birthDate, todayIso()))
        throw new ValidationError([{ field: 'type', code: 'MINOR_NO_MEASURE', message: 'Un mineur relève de l’autorité parentale, pas d’une mesure de protection des majeurs.' }]);
      const m = await this.insertMeasure(em, actor, r, input);
      return (await this.views.measures(em, [m], await this.repo.contactsOf(em, r.id)))[0];
    });
  }

  async updateMeasure(actor: StaffActor, residentId: string, measureId: string, input: MeasurePatch): Promise<MeasureView> {
    const { establishmentEmployeeContactIds: employees, holderMissions: missions, ...given } = input;
    let patch = given;
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      const m = await this.repo.findMeasure(em, r.id, measureId);
      if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', 'Mesure de protection introuvable.');
      const holders = await this.repo.holdersOf(em, [m.id]);
      // C. civ. 447 al. 3: the missions given replace those holders'; the measure's scope, changed or not, must still contain every mission.
      // A holder who exercised the whole measure still does when its scope changes.
      const scope = patch.scope ?? m.scope;
      const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
      const missionOf = (h: MeasureHolderEntity): MeasureScope[] =>
        missions?.find((x) => x.contactId === h.contactId)?.mission ?? (sameSet(h.mission, m.scope) ? scope : h.mission);
      const merged: MeasureInput = { ...measureInputOf(m), ...patch, holders: holders.map((h) => ({ role: h.role, contactId: h.contactId, mission: missionOf(h) })) };
      const errors = validateMeasure(merged, 'measure', todayIso());
      for (const [i, x] of (missions ?? []).entries())
        if (!holders.some((h) => h.contactId === x.contactId))
          errors.push({ field: `measure.holderMissions.${i}.contactId`, code: 'NOT_A_HOLDER', message: 'Cette personne n’exerce pas cette mesure.' });
      // C. civ. 451 al. 2: which holders are the establishment's préposé — holders of this measure only.
      for (const [i, id] of (employees ?? []).entries())
        if (!holders.some((h) => h.contactId === id))
          errors.push({ field: `measure.establishmentEmployeeContactIds.${i}`, code: 'NOT_A_HOLDER', message: 'Cette personne n’exerce pas cette mesure.' });
      if (errors.length) throw new ValidationError(withoutPrefix(errors, 'measure'));
      await this.checkMeasureContacts(em, r.id, patch);
      if (typeof patch.adHocJudgmentReference === 'string') patch = { ...patch, adHocJudgmentReference: patch.adHocJudgmentReference.trim() };
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        const cur = (m as unknown as Record<string, unknown>)[k];
        if (JSON.stringify(cur) !== JSON.stringify(v)) changes[k] = v;
      }
      const flagged = employees ? holders.filter((h) => employees.includes(h.contactId) !== h.establishmentEmployee) : [];
      const remissioned = holders.filter((h) => !sameSet(missionOf(h), h.mission));
      // A mission that only follows the measure's new scope is told by `scope` in the same event.
      const told = remissioned.filter((h) => missions?.some((x) => x.contactId === h.contactId));
      const changed = [...Object.keys(changes), ...(flagged.length ? ['establishmentEmployeeContactIds'] : []), ...(told.length ? ['holderMissions'] : [])];
      if (changed.length) {
        await em.update(ProtectionMeasureEntity, { id: m.id }, { ...changes, updatedAt: new Date() });
        for (const h of flagged) await em.update(MeasureHolderEntity, { id: h.id }, { establishmentEmployee: !h.establishmentEmployee });
        for (const h of remissioned) await em.update(MeasureHolderEntity, { id: h.id }, { mission: orderedScope(missionOf(h)) });
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'measure.updated',
          subject: { type: 'protection_measure', id: m.id },
          payload: {
            residentId: r.id,
            changedFields: changed,
            ...(flagged.length ? { establishmentEmployeeContactIds: employees } : {}),
            ...(told.length ? { holderMissions: told.map((h) => missionEntry(h.contactId, missionOf(h))) } : {}),
          },
        });
      }
      const fresh = await em.findOneByOrFail(ProtectionMeasureEntity, { id: m.id });
      return (await this.views.measures(em, [fresh], await this.repo.contactsOf(em, r.id)))[0];
    });
  }

  async deleteMeasure(actor: StaffActor, residentId: string, measureId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, residentId, 'resident.write', true);
      const m = await this.repo.findMeasure(em, r.id, measureId);
      if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', 'Mesure de protection introuvable.');
      await assertResidentNotHeld(em, r.id);
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

  /** Inside the caller's transaction (resident creation, addMeasure): the measure, then its holders. */
  async insertMeasure(em: EntityManager, actor: StaffActor, r: ResidentEntity, m: MeasureInput): Promise<ProtectionMeasureEntity> {
    const now = new Date();
    const measure = em.create(ProtectionMeasureEntity, {
      organisationId: r.organisationId,
      residentId: r.id,
      ...measureColumnsOf(m),
      createdAt: now,
      updatedAt: now,
    });
    await this.checkMeasureContacts(em, r.id, m);
    await em.insert(ProtectionMeasureEntity, measure);
    const holderIds: string[] = [];
    const employees: string[] = [];
    const missions: { contactId: string; mission: MeasureScope[] }[] = [];
    for (const [i, h] of m.holders.entries()) {
      let contactId = h.contactId;
      if (contactId) {
        if (!(await this.repo.findContact(em, r.id, contactId)))
          throw new ValidationError([{ field: `holders.${i}.contactId`, code: 'CONTACT_NOT_FOUND', message: 'Ce contact n’appartient pas au dossier du résident.' }]);
      } else {
        contactId = (await this.contacts.insertContact(em, actor, r, h as ContactInput)).id;
      }
      if (holderIds.includes(contactId))
        throw new ValidationError([{ field: `holders.${i}`, code: 'DUPLICATE', message: 'Cette personne figure déjà parmi les titulaires.' }]);
      holderIds.push(contactId);
      // C. civ. 447 al. 3: his own mission, else the whole measure (validated within its scope).
      const mission = holderMissionOf(h, m);
      await em.insert(MeasureHolderEntity, { measureId: measure.id, contactId, role: h.role, establishmentEmployee: h.establishmentEmployee ?? false, mission });
      if (h.establishmentEmployee) employees.push(contactId);
      if (mission.length < m.scope.length) missions.push({ contactId, mission });
    }
    await this.audit.append(em, {
      chainId: r.organisationId,
      actor: auditActor(actor),
      action: 'measure.created',
      subject: { type: 'protection_measure', id: measure.id },
      payload: {
        residentId: r.id,
        type: measure.type,
        holders: holderIds,
        ...(employees.length ? { establishmentEmployeeContactIds: employees } : {}),
        ...(missions.length ? { holderMissions: missions.map((x) => missionEntry(x.contactId, x.mission)) } : {}),
        ...(measure.subrogeContactId ? { subrogeContactId: measure.subrogeContactId } : {}),
        ...(measure.adHocContactId ? { adHocContactId: measure.adHocContactId } : {}),
      },
    });
    return measure;
  }

  /** The subrogé and the ad hoc holder are contacts of this resident's file (C. civ. 454, 455). */
  private async checkMeasureContacts(em: EntityManager, residentId: string, m: Partial<Pick<MeasureInput, 'subrogeContactId' | 'adHocContactId'>>): Promise<void> {
    for (const field of ['subrogeContactId', 'adHocContactId'] as const) {
      const id = m[field];
      if (id && !(await this.repo.findContact(em, residentId, id)))
        throw new ValidationError([{ field, code: 'CONTACT_NOT_FOUND', message: 'Ce contact n’appartient pas au dossier du résident.' }]);
    }
  }
}

/** A holder's mission in an audit payload (flat strings): `<contactId>:personne`, `<contactId>:biens`, `<contactId>:personne+biens`. */
function missionEntry(contactId: string, mission: readonly MeasureScope[]): string {
  return `${contactId}:${orderedScope(mission).join('+')}`;
}
