import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { type FieldError, ValidationError, isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { EstablishmentEntity, StaffActor, assertCan, auditActor, establishmentsWith } from '@carepact/identity';
import type { ResidentFileExtras } from './resident-file-read';
import { EntityManager } from 'typeorm';
import { trimOrNull } from './input-text';
import { residentColumnsOf } from './resident-input-rows';
import { ProtectionMeasuresService } from './protection-measures.service';
import { ResidentAccess } from './resident-access';
import { ResidentContactsService } from './resident-contacts.service';
import { applicableMeasure } from './applicable-measure';
import { isMinor, measureAlert, todayIso, validateResident } from './resident-rules';
import { ResidentViews } from './resident-views';
import { ContactEntity, ResidentEntity } from './residents.entities';
import { ResidentsRepository } from './residents.repository';
import { soleAuthorityColumns, soleAuthorityOf } from './sole-authority';
import { delegationLeavesStayToParents, minorDecisionColumns, minorDecisionOf, type MinorDecision, type MinorRole } from './minor-representation';
import { RESIDENT_LIST_LIMITS } from './residents.types';
import type { ResidentInput, ResidentListQuery, ResidentPage, ResidentPatch, ResidentSearchQuery, ResidentSummary, ResidentSummaryPage, ResidentView } from './residents.types';

/** The code of a list cursor that names no resident of the list (ResidentsService.list and search). */
export const UNKNOWN_CURSOR = 'UNKNOWN_CURSOR';

/** True when `e` is the refusal of an unknown list cursor, nothing else. */
export function isUnknownCursor(e: unknown): boolean {
  return isDomainError(e) && e.code === 'VALIDATION_FAILED' && e.details.length > 0 && e.details.every((d) => d.code === UNKNOWN_CURSOR);
}

/**
 * The resident file itself: list, read, create (with its first contacts, personne de confiance and
 * measure), update. Contacts live in ResidentContactsService, measures in ProtectionMeasuresService,
 * the mapping to views in ResidentViews, the access check in ResidentAccess.
 */
@Injectable()
export class ResidentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ResidentsRepository,
    private readonly access: ResidentAccess,
    private readonly views: ResidentViews,
    private readonly contacts: ResidentContactsService,
    private readonly measures: ProtectionMeasuresService,
    private readonly audit: AuditService,
  ) {}

  /**
   * GET /api/residents: a page of the residents the actor may read (or of one establishment), in
   * the console list's order, found by the words of their name when `q` is given; the next page
   * starts after the last resident of this one (`nextAfter`), until the last: nothing is cut off.
   */
  async list(actor: StaffActor, query: ResidentListQuery): Promise<ResidentSummaryPage> {
    const scope = this.readableScope(actor, query.establishmentId);
    await this.checkCursor(actor, scope, 'after', query.after);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? RESIDENT_LIST_LIMITS.default), 1), RESIDENT_LIST_LIMITS.max);
    const { rows, more, total } = await this.page(actor, scope, { q: query.q, after: query.after }, limit);
    const items = rows.map(
      (r): ResidentSummary => ({
        id: r.id,
        establishmentId: r.establishmentId,
        firstName: r.firstName,
        lastName: r.lastName,
        birthDate: r.birthDate,
        admissionDate: r.admissionDate,
        stayType: r.stayType,
        room: r.room,
      }),
    );
    return { items, total, nextAfter: more && items.length ? items[items.length - 1].id : null };
  }

  /**
   * The console's list: a page of the residents of the establishments the actor may read (or of
   * one of them), found by the words of their name, with the measure that applies today. Three
   * queries whatever the page size (page, count, measures of the page).
   */
  async search(actor: StaffActor, query: ResidentSearchQuery): Promise<ResidentPage> {
    const scope = this.readableScope(actor, query.establishmentId);
    await this.checkCursor(actor, scope, query.before ? 'before' : 'after', query.before ?? query.after);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 100);
    const { rows: page, more, total } = await this.page(actor, scope, query, limit);
    if (query.before) page.reverse();
    const measures = await this.repo.measuresOfMany(this.tx.manager, page.map((r) => r.id));
    const today = todayIso();
    const items = page.map((r) => {
      const own = measures.filter((m) => m.residentId === r.id);
      const shown = applicableMeasure(own, today) ?? own[0] ?? null;
      return {
        ...r,
        minor: isMinor(r.birthDate, today),
        parentalAuthority: r.parentalAuthority ?? null,
        measure: shown ? { id: shown.id, type: shown.type, endDate: shown.endDate, status: measureAlert(shown, today) } : null,
      };
    });
    const forward = !query.before;
    return {
      items,
      total,
      nextAfter: items.length && (forward ? more : true) ? items[items.length - 1].id : null,
      previousBefore: items.length && (forward ? !!query.after : more) ? items[0].id : null,
    };
  }

  /**
   * A page starts after (or before) a resident of the list. An unknown one (a mistyped id, a
   * resident purged meanwhile, another organisation's or establishment's) would give an empty page
   * that looks like the end of the list: UNKNOWN_CURSOR instead (isUnknownCursor), which the API
   * answers as a 400 and the console as the first page with a notice.
   */
  private async checkCursor(actor: StaffActor, scope: string[], field: 'after' | 'before', id: string | undefined): Promise<void> {
    if (!id) return;
    const cursor = await this.repo.findInOrganisation(this.tx.manager, actor.organisationId, id);
    if (!cursor || !scope.includes(cursor.establishmentId))
      throw new ValidationError([{ field, code: UNKNOWN_CURSOR, message: 'Page inconnue : ce résident n’est pas dans la liste. Reprenez la liste au début.' }]);
  }

  /** The establishments whose residents the actor may read, or the one asked for (403 if not readable). */
  private readableScope(actor: StaffActor, establishmentId?: string): string[] {
    if (!establishmentId) return establishmentsWith(actor, 'resident.read');
    assertCan(actor, 'resident.read', establishmentId);
    return [establishmentId];
  }

  /**
   * One page of the folded-name order (ResidentsRepository.searchPage, keyset) and the count of
   * all that match: at most five words of 100 characters. `more`: a page follows in that direction.
   */
  private async page(actor: StaffActor, scope: string[], query: { q?: string; after?: string; before?: string }, limit: number) {
    const words = (query.q ?? '').normalize('NFC').split(/\s+/).filter(Boolean).slice(0, 5).map((w) => w.slice(0, 100));
    const em = this.tx.manager;
    const [rows, total] = await Promise.all([
      this.repo.searchPage(em, actor.organisationId, scope, words, { after: query.after, before: query.before }, limit),
      this.repo.searchCount(em, actor.organisationId, scope, words),
    ]);
    return { rows: rows.slice(0, limit), more: rows.length > limit, total };
  }

  async get(actor: StaffActor, id: string): Promise<ResidentView> {
    const em = this.tx.manager;
    const r = await this.access.load(em, actor, id, 'resident.read');
    return this.views.resident(em, r);
  }

  /** For other libs (documents, signing): the full file of a resident the actor may read. */
  async getForOrganisation(em: EntityManager, organisationId: string, id: string): Promise<ResidentView | null> {
    // One statement for the whole file (issue 12: it was four, on every document created).
    const file = await this.repo.residentFile(em, organisationId, id);
    return file ? this.views.residentOf(file) : null;
  }

  /**
   * getForOrganisation with, in the same statement, what `extras` asks for: the resident's
   * establishment, named SQL columns over the resident and its organisation (readResidentFileWith;
   * issue 12: a document created reads its resident, her archive state and her establishment at once).
   * Hold `extras` in a constant: the statement is built once per object.
   */
  async getForOrganisationWith<E extends ResidentFileExtras>(
    em: EntityManager,
    organisationId: string,
    id: string,
    extras: E,
  ): Promise<{ resident: ResidentView; establishment?: EstablishmentEntity | null; columns: Record<keyof NonNullable<E['columns']> & string, unknown> } | null> {
    const read = await this.repo.residentFileWith(em, organisationId, id, extras);
    return read ? { resident: this.views.residentOf(read.file), establishment: read.establishment, columns: read.columns } : null;
  }

  async create(actor: StaffActor, input: ResidentInput): Promise<ResidentView> {
    return this.tx.run((em) => this.createIn(em, actor, input));
  }

  /** The same, inside a transaction the caller already holds (seed:demo loads everything in one). */
  async createIn(em: EntityManager, actor: StaffActor, input: ResidentInput): Promise<ResidentView> {
    assertCan(actor, 'resident.write', input.establishmentId);
    const today = todayIso();
    const errors = validateResident(input, today);
    if (errors.length) throw new ValidationError(errors);
    const now = new Date();
    const who = auditActor(actor);
    const resident = em.create(ResidentEntity, { organisationId: actor.organisationId, ...residentColumnsOf(input), createdAt: now, updatedAt: now });
    await em.insert(ResidentEntity, resident);
    await this.audit.append(em, {
      chainId: actor.organisationId,
      actor: who,
      action: 'resident.created',
      subject: { type: 'resident', id: resident.id },
      payload: { establishmentId: resident.establishmentId },
    });
    for (const c of input.contacts ?? []) await this.contacts.insertContact(em, actor, resident, c);
    for (const p of input.parents ?? []) await this.contacts.insertContact(em, actor, resident, { ...p, holdsParentalAuthority: true });
    if (input.personneDeConfiance) await this.contacts.applyPersonneDeConfiance(em, actor, resident, input.personneDeConfiance);
    if (input.protectionMeasure) await this.measures.insertMeasure(em, actor, resident, input.protectionMeasure);
    return this.views.resident(em, resident);
  }

  /**
   * The file's rules on a patch as `update` would check them (merged with the file), nothing
   * written: the API and the console report them with the patch's format errors, all at once
   * (the patch given without its fields in error).
   */
  async patchRuleErrors(actor: StaffActor, id: string, patch: ResidentPatch): Promise<FieldError[]> {
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, id, 'resident.write', true);
      return validateResident(mergedPatch(r, patch), todayIso(), {
        soleProofRequired: patch.parentalAuthority !== undefined || patch.soleAuthority !== undefined,
        minorRoles: patch.parentalAuthority !== undefined || patch.minorDecision !== undefined ? await this.minorRoles(em, r.id) : null,
      });
    });
  }

  async update(actor: StaffActor, id: string, patch: ResidentPatch): Promise<ResidentView> {
    return this.tx.run(async (em) => {
      const r = await this.access.load(em, actor, id, 'resident.write', true);
      const merged = mergedPatch(r, patch);
      const errors = validateResident(merged, todayIso(), {
        soleProofRequired: patch.parentalAuthority !== undefined || patch.soleAuthority !== undefined,
        minorRoles: patch.parentalAuthority !== undefined || patch.minorDecision !== undefined ? await this.minorRoles(em, r.id) : null,
      });
      if (errors.length) throw new ValidationError(errors);
      const changes: Partial<ResidentEntity> = {};
      const set = <K extends keyof ResidentEntity>(k: K, v: ResidentEntity[K]) => {
        if (r[k] !== v) changes[k] = v;
      };
      if (patch.civility !== undefined) set('civility', patch.civility ?? null);
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
      const sole = soleAuthorityColumns(merged.soleAuthority ?? null);
      for (const k of Object.keys(sole) as (keyof typeof sole)[]) set(k, sole[k]);
      const decision = minorDecisionColumns(merged.minorDecision ?? null);
      for (const k of Object.keys(decision) as (keyof typeof decision)[]) set(k, decision[k]);
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
      return this.views.resident(em, { ...r, ...changes } as ResidentEntity);
    });
  }

  /** The `minorRole` of each contact on file (the tuteur, délégataire or service gardien the file's rules look for). */
  private async minorRoles(em: EntityManager, residentId: string): Promise<(MinorRole | null)[]> {
    return (await em.find(ContactEntity, { where: { residentId }, select: { id: true, minorRole: true } })).map((c) => c.minorRole);
  }
}

/** The file as `update` checks it: the patch over the recorded file. */
function mergedPatch(r: ResidentEntity, patch: ResidentPatch): ResidentInput {
  const merged: ResidentInput = {
    establishmentId: r.establishmentId,
    civility: patch.civility !== undefined ? patch.civility : r.civility,
    firstName: patch.firstName ?? r.firstName,
    lastName: patch.lastName ?? r.lastName,
    birthDate: patch.birthDate ?? r.birthDate,
    admissionDate: patch.admissionDate ?? r.admissionDate,
    stayType: patch.stayType ?? r.stayType,
    plannedEndDate: patch.plannedEndDate !== undefined ? patch.plannedEndDate : r.plannedEndDate,
    email: patch.email !== undefined ? patch.email : r.email,
    parentalAuthority: patch.parentalAuthority !== undefined ? patch.parentalAuthority : r.parentalAuthority,
  };
  // The decision of a tutelle, a delegation or a placement goes with its kind: kept (without the fields of another kind) or cleared.
  merged.minorDecision = patch.minorDecision !== undefined ? patch.minorDecision : keptDecision(merged.parentalAuthority, minorDecisionOf(r));
  // The proof of sole exercise goes with it: kept while one parent exercises alone — or the rest of it under a partial
  // délégation not covering the stay (C. civ. 377, 377-1 al. 1) —, cleared otherwise.
  merged.soleAuthority =
    patch.soleAuthority !== undefined ? patch.soleAuthority : merged.parentalAuthority === 'sole' || delegationLeavesStayToParents(merged) ? soleAuthorityOf(r) : null;
  return merged;
}

function keptDecision(kind: ResidentInput['parentalAuthority'], d: MinorDecision | null): MinorDecision | null {
  if (!d || (kind !== 'tutelle' && kind !== 'delegation' && kind !== 'court_measure')) return null;
  return {
    authority: d.authority,
    reference: d.reference,
    date: d.date,
    delegationExtent: kind === 'delegation' ? d.delegationExtent : null,
    delegationCoversStay: kind === 'delegation' && d.delegationExtent === 'partial' ? (d.delegationCoversStay ?? null) : null,
    wardOfState: kind === 'tutelle' ? d.wardOfState : false,
    actAuthorisation: kind === 'court_measure' ? d.actAuthorisation : null,
  };
}
