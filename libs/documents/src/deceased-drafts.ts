import type { EntityManager } from 'typeorm';
import { deceasedRefusalOf } from './resident-deceased';

/** A never-sent draft of a person recorded as deceased that can no longer be sent nor generated again. */
export interface DeceasedDraftRow {
  documentId: string;
  type: string;
  subtype: string | null;
  status: 'ready' | 'generation_failed';
  residentId: string;
  residentName: string;
  establishmentId: string;
  deceasedOn: string;
  /** The document's last change (its generation, its failure). */
  since: Date;
  /** What a sending (ready) or a new generation (failed) would be refused with, 409 RESIDENT_DECEASED. */
  refusal: string;
}

/**
 * The drafts never sent for signature (ready, or their generation failed) of the persons recorded as
 * deceased in these establishments that resident-deceased.ts refuses to send (a ready one: the
 * signature) or to generate again (a failed one: a new version, as retryGeneration) — every type but
 * the minutes of a meeting held on or before the death, decided by deceasedRefusalOf, the rule of
 * `assertNotDeceased` itself. Nothing is to be done about them but to abandon them
 * (DocumentsService.discardSupersededContract): « À faire » lists them as that, never as a document to
 * send, to retry or to give a visa to (C. civ. 443 al. 1). One statement for the set.
 */
export async function deceasedDraftsIn(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<DeceasedDraftRow[]> {
  if (!establishmentIds.length) return [];
  const rows = (await em.query(
    `SELECT d.id, d.type, d.subtype, d.status, d.resident_id, r.first_name, r.last_name, d.establishment_id, d.updated_at, r.deceased_on::text AS deceased_on,
            v.input #> '{document,date}' AS meeting_date
       FROM documents d JOIN residents r ON r.id = d.resident_id LEFT JOIN document_versions v ON v.id = d.current_version_id
      WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[]) AND d.status IN ('ready', 'generation_failed') AND r.deceased_on IS NOT NULL
      ORDER BY r.deceased_on, d.updated_at, d.id`,
    [organisationId, establishmentIds],
  )) as { id: string; type: string; subtype: string | null; status: 'ready' | 'generation_failed'; resident_id: string; first_name: string; last_name: string; establishment_id: string; updated_at: Date; deceased_on: string; meeting_date: unknown }[];
  const out: DeceasedDraftRow[] = [];
  for (const x of rows) {
    const refusal = deceasedRefusalOf({ deceasedOn: x.deceased_on }, x.status === 'ready' ? 'signature' : 'document', { type: x.type, meetingDate: x.meeting_date });
    if (!refusal) continue;
    out.push({
      documentId: x.id,
      type: x.type,
      subtype: x.subtype ?? null,
      status: x.status,
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      deceasedOn: x.deceased_on,
      since: new Date(x.updated_at),
      refusal,
    });
  }
  return out;
}
