import type { DocumentSubtype } from '@carepact/common';
import { EntityManager } from 'typeorm';

/** A resident as the console names her now: present, deleted at the end of its retention, or unknown. */
export type SubjectPerson =
  | { state: 'present'; id: string; lastName: string; firstName: string; birthDate: string; establishmentId: string }
  /** Her file was deleted at the end of its retention (a tombstone says when). */
  | { state: 'purged'; id: string; purgedAt: string }
  /** No such resident in the organisation, and none purged. */
  | { state: 'unknown'; id: string };

/** A document as the console names it now: its type and its person, or when it was purged. */
export type SubjectDocument =
  /** `subtype`: what an avenant amends (documents.subtype), for its name: documentTitle(type, subtype, name). */
  | { state: 'present'; id: string; type: string; subtype: DocumentSubtype | null; residentId: string; establishmentId: string; residentLastName: string; residentFirstName: string }
  /** Deleted at the end of its retention (a tombstone says when). */
  | { state: 'purged'; id: string; purgedAt: string }
  /** No such document in the organisation, and none purged. */
  | { state: 'unknown'; id: string };

/**
 * What archive jobs, legal holds and purge reports are about, by id (lookupSubjects): the Archives
 * page and the Conservation pages name them from this one lookup.
 */
export interface Subjects {
  people: Map<string, SubjectPerson>;
  documents: Map<string, SubjectDocument>;
  /** Establishment id → its name. */
  establishments: Map<string, string>;
  /** A purge run's dry-run report (a data job) → the day it was drawn up for. */
  reports: Map<string, string>;
}

export interface SubjectIds {
  people?: Iterable<string>;
  documents?: Iterable<string>;
  establishments?: Iterable<string>;
  reports?: Iterable<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SubjectRow {
  id: string;
  last_name: string | null;
  first_name: string | null;
  birth_date: string | null;
  establishment_id: string | null;
  purged_at: Date | null;
  establishment_name: string | null;
  document_type: string | null;
  document_subtype: DocumentSubtype | null;
  document_resident_id: string | null;
  document_establishment_id: string | null;
  document_last_name: string | null;
  document_first_name: string | null;
  document_purged_at: Date | null;
  report_day: string | null;
}

/**
 * The people, documents, establishments and purge reports behind these ids, in one query whatever
 * their number, this organisation's only: a resident's name (or the date her file was purged:
 * purge_tombstones keeps the date once the row is gone), a document's type, establishment and
 * person (or its purge date), an establishment's name, a report's day. Every id asked for is in
 * its map (people and documents as `unknown` when neither the row nor a tombstone is found, ids
 * that are not UUIDs included); establishments and reports only when found.
 */
export async function lookupSubjects(em: EntityManager, organisationId: string, ids: SubjectIds): Promise<Subjects> {
  const set = (list?: Iterable<string>) => new Set([...(list ?? [])].map((id) => id.toLowerCase()));
  const people = set(ids.people);
  const documents = set(ids.documents);
  const establishments = set(ids.establishments);
  const reports = set(ids.reports);
  const subjects: Subjects = { people: new Map(), documents: new Map(), establishments: new Map(), reports: new Map() };
  for (const id of people) subjects.people.set(id, { state: 'unknown', id });
  for (const id of documents) subjects.documents.set(id, { state: 'unknown', id });
  const all = [...new Set([...people, ...documents, ...establishments, ...reports])].filter((id) => UUID.test(id));
  if (!all.length) return subjects;
  const rows = (await em.query(
    `SELECT s.id, r.last_name, r.first_name, r.birth_date::text AS birth_date, r.establishment_id, t.purged_at, e.name AS establishment_name,
            d.type AS document_type, d.subtype AS document_subtype, d.resident_id AS document_resident_id, d.establishment_id AS document_establishment_id,
            dr.last_name AS document_last_name, dr.first_name AS document_first_name, dt.purged_at AS document_purged_at,
            pr.params->>'day' AS report_day
       FROM unnest($2::uuid[]) AS s(id)
       LEFT JOIN residents r ON r.id = s.id AND r.organisation_id = $1
       LEFT JOIN purge_tombstones t ON t.subject_type = 'resident' AND t.subject_id = s.id AND t.organisation_id = $1
       LEFT JOIN establishments e ON e.id = s.id AND e.organisation_id = $1
       LEFT JOIN documents d ON d.id = s.id AND d.organisation_id = $1
       LEFT JOIN residents dr ON dr.id = d.resident_id AND dr.organisation_id = $1
       LEFT JOIN purge_tombstones dt ON dt.subject_type = 'document' AND dt.subject_id = s.id AND dt.organisation_id = $1
       LEFT JOIN data_jobs pr ON pr.id = s.id AND pr.organisation_id = $1 AND pr.kind = 'purge_report'`,
    [organisationId, all],
  )) as SubjectRow[];
  for (const r of rows) {
    if (documents.has(r.id)) {
      if (r.document_type !== null && r.document_last_name !== null)
        subjects.documents.set(r.id, {
          state: 'present',
          id: r.id,
          type: r.document_type,
          subtype: r.document_subtype ?? null,
          residentId: r.document_resident_id!,
          establishmentId: r.document_establishment_id!,
          residentLastName: r.document_last_name,
          residentFirstName: r.document_first_name!,
        });
      else if (r.document_purged_at) subjects.documents.set(r.id, { state: 'purged', id: r.id, purgedAt: r.document_purged_at.toISOString() });
    }
    if (people.has(r.id)) {
      if (r.last_name !== null)
        subjects.people.set(r.id, { state: 'present', id: r.id, lastName: r.last_name, firstName: r.first_name!, birthDate: r.birth_date!, establishmentId: r.establishment_id! });
      else if (r.purged_at) subjects.people.set(r.id, { state: 'purged', id: r.id, purgedAt: r.purged_at.toISOString() });
    }
    if (establishments.has(r.id) && r.establishment_name !== null) subjects.establishments.set(r.id, r.establishment_name);
    if (reports.has(r.id) && r.report_day !== null) subjects.reports.set(r.id, r.report_day);
  }
  return subjects;
}
