import { purgeReportFor } from '@carepact/archive';
import type { DataJobView, DataJobsService, PurgeReport, Subjects } from '@carepact/archive';
import { auditActorLabel } from '@carepact/audit';
import { sha256Hex } from '@carepact/common';
import { StaffActor, auditActor, can, visibleEstablishments } from '@carepact/identity';
import type { EntityManager } from 'typeorm';

/** What others than the requester read in place of a request's words that identify someone (dataJobForApi). */
export const MASKED = 'masqué';

/**
 * What GET /api/data-jobs and /api/data-jobs/:id show of the organisation's jobs to a records
 * manager. An attacker's review of session 16 read, as the administrator of another establishment of
 * the organisation, a person's access request with its statement, although that person's file
 * answered 404 to her. So, as for the file itself (SECURITY-RELIABILITY.md, "Staff access"):
 * - a job about a document is shown only to whom may read that establishment's residents
 *   (`resident.read`), a person's access request or package only to whom manages records there
 *   (`records.manage`), a package of an establishment only to whom sees it; otherwise null (404 for
 *   one job, left out of the list);
 * - an access request's statement (who asked and what, the staff's words, CASF L.311-3 4°, RGPD
 *   art. 5.1.f) only to the member of staff who recorded it; others get its SHA-256, as the audit
 *   chain keeps it (`requestStatementSha256`); likewise the proof of standing's reference and the
 *   physician named after a death, or for a living minor at her request: « masqué » (MASKED), the
 *   reference's SHA-256 beside it.
 * Purge reports and runs are the organisation's (records.manage, as the Conservation page), but a
 * report's items are listed only for the establishments where she manages records, the others
 * counted (purgeReportJobFor, async: applied after this).
 */
export function dataJobForApi(actor: StaffActor, job: DataJobView, subjects: Subjects): DataJobView | null {
  const p = job.params;
  const readsIn = (establishmentId: string | undefined) => !!establishmentId && can(actor, 'resident.read', establishmentId);
  if (p.kind === 'archive_export' && p.scope === 'establishment' && !visibleEstablishments(actor).includes(p.id)) return null;
  if (p.kind === 'archive_export' && p.scope === 'document') {
    const doc = subjects.documents.get(p.id);
    if (doc?.state === 'present' && !readsIn(doc.establishmentId)) return null;
  }
  // A person's access request or package: to whom manages records in her establishment (the rule of
  // SECURITY-RELIABILITY.md, the permission checked in the record's establishment; the security review
  // of session 19: a coordinator here who administers elsewhere read a request's purpose, death date,
  // physician and document list with `resident.read` alone). As at the request and the download (assertManagesSubject).
  if ((p.kind === 'archive_export' && p.scope === 'resident') || p.kind === 'access_request') {
    const person = subjects.people.get(p.kind === 'access_request' ? p.residentId : p.id);
    if (person?.state === 'present' && !(person.establishmentId && can(actor, 'records.manage', person.establishmentId))) return null;
  }
  if (p.kind === 'access_request' && p.request && 'statement' in p.request && job.requestedBy !== auditActorLabel(auditActor(actor))) {
    const { statement, ...withHeir } = p.request;
    // The proof of standing's reference and the physician named, as the statement: the requester's
    // only (the audit chain keeps the reference as its SHA-256); others read « masqué ».
    const h = withHeir.heir;
    // A living minor's: the physician her parents designate (CSP R.1111-6 last alinéa), as the heirs'.
    const m = withHeir.minor;
    const masked = m?.physician ? { ...withHeir, minor: { ...m, physician: MASKED } } : withHeir;
    const rest = h
      ? {
          ...withHeir,
          heir: {
            ...h,
            ...(h.standingProof ? { standingProof: { ...h.standingProof, reference: MASKED, referenceSha256: sha256Hex(h.standingProof.reference) } } : {}),
            ...(h.physician ? { physician: MASKED } : {}),
            ...(h.requesterName ? { requesterName: MASKED, requesterNameSha256: sha256Hex(h.requesterName) } : {}),
          },
        }
      : masked;
    // The answer's staff texts too (the selection's justification, the refusal and its letter): their SHA-256, as the chain keeps them.
    const a = job.answer;
    const answer = a && {
      ...a,
      ...(a.selection ? { selection: { ...a.selection, justification: undefined, justificationSha256: sha256Hex(a.selection.justification) } } : {}),
      ...(a.refusal ? { refusal: { ...a.refusal, explanation: undefined, letter: undefined, explanationSha256: sha256Hex(a.refusal.explanation), letterSha256: sha256Hex(a.refusal.letter) } } : {}),
    };
    return { ...job, params: { ...p, request: { ...rest, statementSha256: sha256Hex(statement) } as unknown as typeof p.request }, answer: answer as typeof job.answer };
  }
  return job;
}

/** A purge report's job with its report as this actor may read it (purgeReportFor); any other job as it is. */
export async function purgeReportJobFor(em: EntityManager, actor: StaffActor, job: DataJobView): Promise<DataJobView> {
  if (job.kind !== 'purge_report' || !job.report) return job;
  return { ...job, report: await purgeReportFor(em, actor, job.report as PurgeReport) };
}

/** Jobs read per page, and at most, to find the latest `limit` this actor sees (latestDataJobsFor). */
const JOBS_PAGE = 100;
const JOBS_SCANNED_AT_MOST = 2000;

/**
 * The latest `limit` jobs this actor sees (dataJobForApi), for GET /api/data-jobs and the console's
 * archives page, with what they are about (one lookupSubjects per page read): the organisation's jobs
 * are read latest first, page by page, and filtered before counting — else the other establishments'
 * busy days would push hers out of the 20 latest. Bounded (JOBS_SCANNED_AT_MOST rows read).
 */
export async function latestDataJobsFor(em: EntityManager, jobs: DataJobsService, actor: StaffActor, limit = 20): Promise<{ jobs: DataJobView[]; subjects: Subjects }> {
  const out: DataJobView[] = [];
  const subjects: Subjects = { people: new Map(), documents: new Map(), establishments: new Map(), reports: new Map() };
  for (let offset = 0; out.length < limit && offset < JOBS_SCANNED_AT_MOST; offset += JOBS_PAGE) {
    const page = await jobs.list(em, actor.organisationId, JOBS_PAGE, offset);
    const found = await jobs.subjectsOf(em, actor.organisationId, page);
    for (const k of ['people', 'documents', 'establishments', 'reports'] as const) for (const [id, v] of found[k] as Map<string, unknown>) (subjects[k] as Map<string, unknown>).set(id, v);
    for (const j of page) {
      const shown = dataJobForApi(actor, j, found);
      if (shown && out.length < limit) out.push(await purgeReportJobFor(em, actor, shown));
    }
    if (page.length < JOBS_PAGE) break;
  }
  return { jobs: out, subjects };
}
