import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ResidentFileExtras, ResidentFileRows, ResidentFileWith, readResidentFile, readResidentFileWith } from './resident-file-read';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from './residents.entities';

/** Every read is scoped to an organisation (and, for lists, a set of establishments). */
@Injectable()
export class ResidentsRepository {
  /** By id within an organisation; the caller checks the establishment is visible (requireVisible). */
  findInOrganisation(em: EntityManager, organisationId: string, id: string): Promise<ResidentEntity | null> {
    return em.findOne(ResidentEntity, { where: { id, organisationId } });
  }

  /**
   * The resident with contacts, measures and holders, in one statement (readResidentFile): the
   * rows of findInOrganisation, contactsOf, measuresOf and holdersOf, as those four reads give them.
   */
  residentFile(em: EntityManager, organisationId: string, id: string): Promise<ResidentFileRows | null> {
    return readResidentFile(em, organisationId, id);
  }

  /** residentFile with what `extras` asks for (the resident's establishment, named columns), still one statement (readResidentFileWith). */
  residentFileWith<E extends ResidentFileExtras>(em: EntityManager, organisationId: string, id: string, extras: E): Promise<ResidentFileWith<keyof NonNullable<E['columns']> & string> | null> {
    return readResidentFileWith(em, organisationId, id, extras);
  }

  /**
   * One page of the list in the order of folded names (`carepact_fold`, migration
   * 1763941000000-resident-search), after or before a resident (keyset), every search word found
   * in the first, last or birth name; `limit + 1` rows so the caller knows whether a page follows.
   * Backward pages come in reverse order.
   */
  async searchPage(
    em: EntityManager,
    organisationId: string,
    establishmentIds: string[],
    words: string[],
    cursor: { after?: string; before?: string },
    limit: number,
  ): Promise<ResidentListRow[]> {
    if (establishmentIds.length === 0) return [];
    const { where, params } = searchWhere(organisationId, establishmentIds, words);
    const backward = !cursor.before ? false : true;
    const cursorId = cursor.before ?? cursor.after;
    let keyset = '';
    if (cursorId) {
      params.push(cursorId);
      const c = `$${params.length}`;
      keyset = ` AND (${ORDER_KEY.join(', ')}) ${backward ? '<' : '>'} (SELECT ${ORDER_KEY.map((k) => k.replace(/r\./g, 'c.')).join(', ')} FROM residents c WHERE c.id = ${c} AND c.organisation_id = $1)`;
    }
    params.push(limit + 1);
    const dir = backward ? 'DESC' : 'ASC';
    return em.query(
      `SELECT r.id, r.establishment_id AS "establishmentId", r.first_name AS "firstName", r.last_name AS "lastName", r.birth_date::text AS "birthDate",
              r.admission_date::text AS "admissionDate", r.stay_type AS "stayType", r.planned_end_date::text AS "plannedEndDate", r.room,
              r.parental_authority AS "parentalAuthority", r.departed_on::text AS "departedOn",
              r.deceased_on::text AS "deceasedOn", r.civility
         FROM residents r WHERE ${where}${keyset}
        ORDER BY ${ORDER_KEY.map((k) => `${k} ${dir}`).join(', ')} LIMIT $${params.length}`,
      params,
    ) as Promise<ResidentListRow[]>;
  }

  async searchCount(em: EntityManager, organisationId: string, establishmentIds: string[], words: string[]): Promise<number> {
    if (establishmentIds.length === 0) return 0;
    const { where, params } = searchWhere(organisationId, establishmentIds, words);
    const [row] = (await em.query(`SELECT count(*)::int AS n FROM residents r WHERE ${where}`, params)) as { n: number }[];
    return row.n;
  }

  /** The measures of many residents in one query (a list page: no query per resident). */
  measuresOfMany(em: EntityManager, residentIds: string[]): Promise<ProtectionMeasureEntity[]> {
    if (residentIds.length === 0) return Promise.resolve([]);
    return em.find(ProtectionMeasureEntity, { where: { residentId: In(residentIds) }, order: { judgmentDate: 'DESC', createdAt: 'DESC' } });
  }

  contactsOf(em: EntityManager, residentId: string): Promise<ContactEntity[]> {
    return em.find(ContactEntity, { where: { residentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findContact(em: EntityManager, residentId: string, contactId: string): Promise<ContactEntity | null> {
    return em.findOne(ContactEntity, { where: { id: contactId, residentId } });
  }

  measuresOf(em: EntityManager, residentId: string): Promise<ProtectionMeasureEntity[]> {
    return em.find(ProtectionMeasureEntity, { where: { residentId }, order: { judgmentDate: 'DESC', createdAt: 'DESC' } });
  }

  findMeasure(em: EntityManager, residentId: string, measureId: string): Promise<ProtectionMeasureEntity | null> {
    return em.findOne(ProtectionMeasureEntity, { where: { id: measureId, residentId } });
  }

  holdersOf(em: EntityManager, measureIds: string[]): Promise<MeasureHolderEntity[]> {
    if (measureIds.length === 0) return Promise.resolve([]);
    return em.find(MeasureHolderEntity, { where: { measureId: In(measureIds) }, order: { id: 'ASC' } });
  }

  /** A holder, or the subrogé or ad hoc holder of a measure (C. civ. 454, 455). */
  async contactIsHolder(em: EntityManager, contactId: string): Promise<boolean> {
    if ((await em.count(MeasureHolderEntity, { where: { contactId } })) > 0) return true;
    return (await em.count(ProtectionMeasureEntity, { where: [{ subrogeContactId: contactId }, { adHocContactId: contactId }] })) > 0;
  }

  async lockResident(em: EntityManager, id: string): Promise<void> {
    await em.query('SELECT 1 FROM residents WHERE id = $1 FOR UPDATE', [id]);
  }
}

export interface ResidentListRow {
  id: string;
  establishmentId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  admissionDate: string;
  stayType: ResidentEntity['stayType'];
  plannedEndDate: string | null;
  room: string | null;
  /** The end of the accompaniment, if recorded (the list says the person left). */
  departedOn: string | null;
  /** The date of death, when the accompaniment ended by it (« Décédée le … » in the list). */
  deceasedOn: string | null;
  civility: ResidentEntity['civility'];
  /** A minor's list line says who decides for him (console residents list). */
  parentalAuthority: ResidentEntity['parentalAuthority'];
}

/** The list's order, the columns of ix_residents_list_order after the establishment. */
const ORDER_KEY = ['carepact_fold(r.last_name) COLLATE "C"', 'carepact_fold(r.first_name) COLLATE "C"', 'r.id'];

/** `LIKE` takes `%`, `_` and `\\` literally once escaped. */
function likeEscape(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function searchWhere(organisationId: string, establishmentIds: string[], words: string[]): { where: string; params: unknown[] } {
  const params: unknown[] = [organisationId];
  // One establishment: an equality, so the planner walks ix_residents_list_order in order.
  params.push(establishmentIds.length === 1 ? establishmentIds[0] : establishmentIds);
  const parts = ['r.organisation_id = $1', establishmentIds.length === 1 ? 'r.establishment_id = $2' : 'r.establishment_id = ANY($2::uuid[])'];
  for (const w of words) {
    params.push(likeEscape(w));
    // search_name: the folded names, kept by a trigger (migration 1763941000000-resident-search).
    parts.push(`r.search_name LIKE '%' || carepact_fold($${params.length}) || '%'`);
  }
  return { where: parts.join(' AND '), params };
}
