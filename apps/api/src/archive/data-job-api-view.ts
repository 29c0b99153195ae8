import type { DataJobView, Subjects } from '@carepact/archive';
import { auditActorLabel } from '@carepact/audit';
import { sha256Hex } from '@carepact/common';
import { StaffActor, auditActor, can, visibleEstablishments } from '@carepact/identity';

/**
 * What GET /api/data-jobs and /api/data-jobs/:id show of the organisation's jobs to a records
 * manager. An attacker's review of session 16 read, as the administrator of another establishment of
 * the organisation, a person's access request with its statement, although that person's file
 * answered 404 to her. So, as for the file itself (SECURITY-RELIABILITY.md, "Staff access"):
 * - a job about a person or a document is shown only to whom may read that establishment's residents
 *   (`resident.read`), a package of an establishment only to whom sees it; otherwise null (404 for
 *   one job, left out of the list);
 * - an access request's statement (who asked and what, the staff's words, CASF L.311-3 4°, RGPD
 *   art. 5.1.f) only to the member of staff who recorded it; others get its SHA-256, as the audit
 *   chain keeps it (`requestStatementSha256`).
 * Purge reports and runs are the organisation's (records.manage, as the Conservation page).
 */
export function dataJobForApi(actor: StaffActor, job: DataJobView, subjects: Subjects): DataJobView | null {
  const p = job.params;
  const readsIn = (establishmentId: string | undefined) => !!establishmentId && can(actor, 'resident.read', establishmentId);
  if (p.kind === 'archive_export' && p.scope === 'establishment' && !visibleEstablishments(actor).includes(p.id)) return null;
  if (p.kind === 'archive_export' && p.scope === 'document') {
    const doc = subjects.documents.get(p.id);
    if (doc?.state === 'present' && !readsIn(doc.establishmentId)) return null;
  }
  if ((p.kind === 'archive_export' && p.scope === 'resident') || p.kind === 'access_request') {
    const person = subjects.people.get(p.kind === 'access_request' ? p.residentId : p.id);
    if (person?.state === 'present' && !readsIn(person.establishmentId)) return null;
  }
  if (p.kind === 'access_request' && p.request && 'statement' in p.request && job.requestedBy !== auditActorLabel(auditActor(actor))) {
    const { statement, ...rest } = p.request;
    return { ...job, params: { ...p, request: { ...rest, statementSha256: sha256Hex(statement) } as unknown as typeof p.request } };
  }
  return job;
}
