import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditService, auditActorLabel } from '@carepact/audit';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError, calendarDayIn, canonicalJson, formatDateFr, formatDateTimeFr, isDomainError, sha256Hex, startOfDayIn } from '@carepact/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { ARCHIVED_SINCE_SQL, ArchiveReader, archiveState, assertArchiveOpen, assertDocumentArchiveOpen } from '@carepact/documents';
import { PERMISSIONS, StaffActor, StaffRole, assertCan, auditActor, can, establishmentsWith, requireVisible, type EstablishmentLegalStatus } from '@carepact/identity';
import { OutboxService, PermanentJobError } from '@carepact/queue';
import { OPEN_ACCESS_REQUEST_SQL } from '@carepact/signing';
import { EntityManager } from 'typeorm';
import { AccessRequestExporter } from '../access/access-request.exporter';
import { ACCESS_REQUEST_FROM_LABELS, AccessRequestStatement, accessRequestStatementOf, accessRequestStatementRequired, isCspAccessRequest, isHealthAccessRequest, requesterKeyOf } from '../access/access-request-statement';
import { AccessAnswer, AccessSelection, accessItemsOf, accessRefusalLetter, healthAccessReflectionPeriodMessage, accessRefusalOf, accessSelectionOf, notBeforeText, refusalRecourseKind, signatoryRoleLabel } from '../access/access-answer';
import { heirRequestChecked } from '../access/heir-request';
import { assertAccessRequestFitsDeath, assertAccompanimentStillEnded } from '../access/deceased-person';
import { ArchiveExporter, archiveSubjectIn, archiveSubjectNotFound } from '../archive-exporter.service';
import { ArchiveScope } from '../archive.types';
import { EliminationVisa, PURGE_ARCHIVES_VISA_REQUIRED_MESSAGE, PurgeReport, RetentionService, eliminationVisaOf, purgeReportEstablishmentIds, visaPayload } from '../retention/retention.service';
import { Subjects, lookupSubjects } from '../subjects';


export type DataJobKind = 'archive_export' | 'access_request' | 'purge_report' | 'purge_run';
export type DataJobStatus = 'queued' | 'running' | 'done' | 'failed';

export type DataJobParams =
  | { kind: 'archive_export'; scope: 'document' | 'resident' | 'establishment'; id: string; from?: string; to?: string }
  | { kind: 'access_request'; residentId: string; request?: AccessRequestStatement | RedactedAccessRequest }
  | { kind: 'purge_report'; day: string }
  | { kind: 'purge_run'; reportId: string; visa?: EliminationVisa };

/** An access request's statement once its person was purged (RetentionService redactAccessRequests): the SHA-256 the audit chain refers to, nothing else. */
export interface RedactedAccessRequest {
  statementSha256: string;
  redacted: 'purge';
}

export interface DataJobView {
  id: string;
  kind: DataJobKind;
  params: DataJobParams;
  status: DataJobStatus;
  phase: string | null;
  done: number;
  total: number;
  /** Dry-run report (purge_report) or outcome (purge_run, exports' counts). */
  report: unknown;
  resultSha256: string | null;
  resultBytes: number | null;
  error: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** A request after the death: its selection, delivery or refusal (access-answer.ts); null otherwise or none yet. */
  answer: AccessAnswer | null;
}

/** The resident a job is about (a person's package or access request), if any. */
function jobResidentId(p: DataJobParams): string | null {
  if (p.kind === 'access_request') return p.residentId;
  if (p.kind === 'archive_export' && p.scope === 'resident') return p.id;
  return null;
}

/** The document a job is about (a document's package), if any. */
function jobDocumentId(p: DataJobParams): string | null {
  return p.kind === 'archive_export' && p.scope === 'document' ? p.id : null;
}

/** The dry-run report a purge run carries out, if any. */
function jobReportId(p: DataJobParams): string | null {
  return p.kind === 'purge_run' ? p.reportId : null;
}

/** The establishment a job is about (an establishment's package over a period), if any. */
function jobEstablishmentId(p: DataJobParams): string | null {
  return p.kind === 'archive_export' && p.scope === 'establishment' ? p.id : null;
}

/** A dry-run report may be carried out within this many days; after, a new one is needed. */
export const PURGE_REPORT_VALID_DAYS = 7;

/** Whether a dry-run report drawn up at `createdAt` is too old to be run (a new simulation is needed). */
export function purgeReportExpired(createdAt: string, now = Date.now()): boolean {
  return now - Date.parse(createdAt) > PURGE_REPORT_VALID_DAYS * 86400_000;
}

/** Progress is written at most this often (ms): one UPDATE, not one per document. */
const PROGRESS_EVERY_MS = 500;

/** An access request's statement as the audit chain keeps it: the staff's words as their SHA-256 only. */
function statementPayload(r: AccessRequestStatement): Record<string, string> {
  // An ayant droit's request (CSP L.1110-4 V): its purpose, the day of the death, no objection of the deceased, the CSP deadlines.
  // A deceased minor's parent (L.1110-4 V al. 2): no purpose nor objection. Both: the proof of standing (its reference as a SHA-256), how it is communicated (CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin)), the 48 hours (al. 2).
  const h = r.heir;
  const heir: Record<string, string> = h
    ? Object.fromEntries(
        Object.entries({
          requestPurpose: h.purpose,
          requestDeceasedOn: h.deceasedOn,
          requestDeceasedObjection: h.deceasedObjection,
          requestStandingProofType: h.standingProof?.type,
          requestStandingProofIssuedOn: h.standingProof?.issuedOn,
          requestStandingProofReferenceSha256: h.standingProof ? sha256Hex(h.standingProof.reference) : undefined,
          // Who asks (tells apart the heirs of one acte de notoriété): her name as its SHA-256 only.
          requestRequesterNameSha256: h.requesterName ? sha256Hex(h.requesterName) : undefined,
          requestCommunication: h.communication,
          requestNotBefore: r.notBefore,
          // A deceased minor's parents: staff confirmed she was not emancipated (C. civ. 413-7); the warnings staff were given (heirRequestChecked).
          requestNotEmancipated: h.notEmancipated ? 'true' : undefined,
          requestWarnings: r.warnings?.length ? r.warnings.map((w) => w.code).join(',') : undefined,
        }).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {};
  const older: Record<string, string> = r.answerDueOlderInformation ? { requestAnswerDueOlderInformation: r.answerDueOlderInformation } : {};
  // A living person's request about her health information (CSP L.1111-7 al. 2): the CSP's deadline for it (answerDue), the
  // 48 hours (notBefore), RGPD art. 12(3)'s month for her other data — each only when the request states it (older ones: unchanged).
  const health: Record<string, string> = h
    ? {}
    : Object.fromEntries(
        Object.entries({
          requestHealthInformation: r.healthInformation === true ? 'true' : undefined,
          requestAnswerDueOtherData: r.answerDueOtherData,
          requestNotBefore: r.notBefore,
          // A living minor's (CSP L.1111-7, L.1111-5, R.1111-6): her opposition, her asking for a physician, her (non-)emancipation (C. civ. 413-2, 413-6).
          requestMinorOpposition: r.minor?.opposition,
          requestMinorThroughPhysician: r.minor?.opposition ? String(r.minor.throughPhysician === true) : undefined,
          // The physician her parents designate (R.1111-6 last alinéa): his name as its SHA-256 only, as the heirs' requester's.
          requestMinorPhysicianSha256: r.minor?.opposition && r.minor.throughPhysician && r.minor.physician ? sha256Hex(r.minor.physician) : undefined,
          requestNotEmancipated: r.minor?.notEmancipated ? 'true' : undefined,
          requestEmancipated: r.minor?.emancipated ? 'true' : undefined,
        }).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
  return { requestFrom: r.from, requestReceivedOn: r.receivedOn, requestAnswerDue: r.answerDue, ...older, requestStatementSha256: sha256Hex(r.statement), ...heir, ...health };
}


/**
 * Long work run by the worker with its progress in PostgreSQL (`data_jobs`): archive packages
 * (issue 11 item 3), access requests (item 5, RGPD art. 15) and purge runs (item 4), each
 * requested through the outbox in the transaction that records and audits the request. Results are
 * files in EXPORTS_DIR; their download is audited.
 */
@Injectable()
export class DataJobsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly exporter: ArchiveExporter,
    private readonly access: AccessRequestExporter,
    private readonly retention: RetentionService,
  ) {}

  /**
   * An archive package (API and console): its subject — document, person or establishment — must
   * exist in the actor's organisation, in an establishment they see; otherwise 404, the same for an
   * unknown id and for another organisation's (nothing recorded, queued or audited). The worker
   * checks again (ArchiveExporter.export with the job's organisation).
   */
  async requestArchive(em: EntityManager, actor: StaffActor, params: DataJobParams & { kind: 'archive_export' }): Promise<DataJobView> {
    await this.assertManagesSubject(em, actor, params.scope, params.id);
    await this.assertArchivesOpen(em, actor, params);
    return this.record(em, auditActor(actor), actor.organisationId, params);
  }

  /**
   * A package carries the content of the documents: past the active base, the documents of a person
   * in the intermediate archive are read only by whoever opened her archive with a reason
   * (RetentionService.openArchive; CNIL délib. n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32).
   * A document's or a person's package: 403 ARCHIVE_INTERMEDIATE_RESTRICTED unless this actor's
   * archive is open for the person, before anything is recorded. An establishment's package over a
   * period: refused the same way while one of its documents is an archived person's whose archive
   * this actor has not opened — not exported without them, because a package is the establishment's
   * proof of what it holds and one silently incomplete would pass for whole; the message says how
   * many persons and that a period before or after them, or their archive opened, lets it go.
   * The person's own access request (RGPD art. 15, requestAccess) is not restricted: it answers her
   * specific need, which the intermediate archive exists for.
   */
  private async assertArchivesOpen(em: EntityManager, actor: ArchiveReader, params: DataJobParams & { kind: 'archive_export' }): Promise<void> {
    if (actor.system) return;
    if (params.scope === 'resident') return assertArchiveOpen(em, actor, params.id);
    if (params.scope === 'document') return assertDocumentArchiveOpen(em, actor, params.id);
    const today = calendarDayIn(new Date());
    const closed = (await em.query(
      `SELECT DISTINCT r.id FROM documents d JOIN residents r ON r.id = d.resident_id JOIN organisations o ON o.id = r.organisation_id
        WHERE d.organisation_id = $1 AND d.establishment_id = $2 AND d.created_at >= $3 AND d.created_at < $4
          AND ${ARCHIVED_SINCE_SQL} <= $5
          AND NOT EXISTS (SELECT 1 FROM archive_access_grants g WHERE g.resident_id = r.id AND g.staff_user_id = $6 AND g.expires_at > now())`,
      [actor.organisationId, params.id, params.from, params.to, today, actor.userId],
    )) as { id: string }[];
    if (closed.length)
      throw new ForbiddenError(
        'ARCHIVE_INTERMEDIATE_RESTRICTED',
        `Sur cette période, des documents ${closed.length === 1 ? 'd’une personne' : `de ${closed.length} personnes`} sont en archive intermédiaire (fin de l’accompagnement) : leur contenu n’est exporté que par un administrateur qui a ouvert l’archive de chacune en indiquant le motif. Ouvrez-la, ou choisissez une autre période.`,
      );
  }

  /**
   * A person's access request (RGPD art. 15; API and console): the person must be in the actor's
   * organisation, in an establishment they see; otherwise 404 as for an unknown id, nothing
   * recorded, queued or audited (the worker's exporter reads her within the job's organisation).
   * `requestInput` is the request it answers, `{ from, receivedOn, statement }`
   * (access-request-statement.ts). Her right does not wait for an opening of the intermediate
   * archive, but the archive is read only for a specific need (CNIL délib. n° 2021-028 and
   * n° 2023-095), and for a person in it this need is recorded: without the request, 400
   * ACCESS_REQUEST_STATEMENT_REQUIRED, nothing recorded. The statement stays in the job's params;
   * the audit chain keeps its SHA-256 (as other staff free text, @carepact/audit staff-free-text.ts),
   * in `data_job.requested` and in `archive.opened_for_access_request`, which says the archive's
   * content is exported for an art. 15 request, on which day it was received and when the answer is
   * due (art. 12(3)). A deceased person's ayant droit, concubin or partenaire de PACS (`from:
   * 'ayant_droit'`) is answered under the CSP (L.1110-4 V, L.1111-7), not art. 15: the statement
   * carries the purpose, the day of the death and no objection of the deceased, the person's file
   * must show her accompaniment ended (heir-request.ts), the deadline is the CSP's, and the event is
   * `archive.opened_for_heir_request`.
   */
  async requestAccess(em: EntityManager, actor: StaffActor, residentId: string, requestInput?: unknown): Promise<DataJobView> {
    await this.assertManagesSubject(em, actor, 'resident', residentId);
    const stated = accessRequestStatementOf(requestInput, calendarDayIn(new Date()));
    // After a recorded death, only the CSP's requesters (deceased-person.ts; RGPD recital 27, C. civ. 443).
    await assertAccessRequestFitsDeath(em, actor.organisationId, residentId, stated);
    // An ayant droit's request: the person's file must show her accompaniment ended; the CSP deadlines (heir-request.ts).
    const request = stated && (await heirRequestChecked(em, actor.organisationId, residentId, stated));
    const { archivedSince } = await archiveState(em, actor, residentId);
    if (archivedSince && !request) throw accessRequestStatementRequired();
    await this.assertNotDuplicate(em, actor.organisationId, residentId, request);
    const job = await this.record(em, auditActor(actor), actor.organisationId, request ? { kind: 'access_request', residentId, request } : { kind: 'access_request', residentId });
    // A deceased person's ayant droit or a deceased minor's parent is answered under the CSP (L.1110-4 V, L.1111-7), not RGPD art. 15 (recital 27).
    const heir = isCspAccessRequest(request);
    if (archivedSince && request)
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: heir ? 'archive.opened_for_heir_request' : 'archive.opened_for_access_request',
        subject: { type: 'resident', id: residentId },
        payload: { jobId: job.id, legalBasis: heir ? 'CSP L.1110-4 V, L.1111-7' : isHealthAccessRequest(request) ? 'RGPD art. 15, CSP L.1111-7' : 'RGPD art. 15', archivedSince, contentExported: true, ...statementPayload(request) },
      });
    return job;
  }

  /**
   * The same request recorded twice (a double click, two colleagues entering the same letter) would
   * be answered twice, with two zips of the person's whole file, and would count twice in « À faire ».
   * So a request for the same person, from the same kind of requester — after a death, the same
   * requester: each ayant droit has her own right of access (CSP L.1110-4 V, L.1111-7), and two heirs
   * are told apart by the proof of standing each produces (requesterKeyOf) —, received the same day,
   * while one is still open (OPEN_ACCESS_REQUEST_SQL: not failed, not answered), is refused: 409
   * ACCESS_REQUEST_DUPLICATE, naming the open one (when and by whom it was recorded; `existingJobId`
   * and its console page in the error's facts), nothing recorded. Refused rather than accepted after
   * a confirmation: a confirmation is clicked through by habit, and the open request already holds
   * everything the second would. Without a recorded request (active base): the same day's open
   * request without one. Serialised per person (advisory lock) so that two at once cannot both pass.
   */
  private async assertNotDuplicate(em: EntityManager, organisationId: string, residentId: string, request: AccessRequestStatement | null | undefined): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`access_request:${residentId}`]);
    const today = calendarDayIn(new Date());
    // The same kind of requester, day and person in SQL; the same requester (her proof of standing, compared folded) here.
    const candidates = (await em.query(
      `SELECT j.id, j.created_at, coalesce(s.name, j.requested_by) AS by, j.params->'request' AS request FROM data_jobs j
         LEFT JOIN staff_users s ON j.requested_by = 'staff:' || s.id::text
        WHERE j.organisation_id = $1 AND j.kind = 'access_request' AND j.params->>'residentId' = $2
          AND coalesce(j.params->'request'->>'from', '') = $3
          AND coalesce(j.params->'request'->>'receivedOn', (j.created_at AT TIME ZONE 'Europe/Paris')::date::text) = $4
          AND ${OPEN_ACCESS_REQUEST_SQL}
        ORDER BY j.created_at`,
      [organisationId, residentId, request?.from ?? '', request?.receivedOn ?? today],
    )) as { id: string; created_at: Date; by: string; request: AccessRequestStatement | null }[];
    const requester = requesterKeyOf(request);
    const open = candidates.find((c) => requesterKeyOf(c.request) === requester);
    if (!open) return;
    const who = request ? ` (${ACCESS_REQUEST_FROM_LABELS[request.from].charAt(0).toLowerCase()}${ACCESS_REQUEST_FROM_LABELS[request.from].slice(1)})` : '';
    const proof = requester && request?.heir?.standingProof ? ` qui produit la même pièce (« ${request.heir.standingProof.reference} »)${request.heir.requesterName ? ` sous le même nom (« ${request.heir.requesterName} »)` : ''}` : '';
    throw new DomainError(
      'conflict',
      'ACCESS_REQUEST_DUPLICATE',
      `Cette demande est déjà enregistrée et n’a pas encore reçu de réponse : même personne, même demandeur${who}${proof}, reçue le ${formatDateFr(request?.receivedOn ?? today)} — enregistrée le ${formatDateTimeFr(open.created_at)} par ${open.by}. Répondez à celle-ci (Archives et demandes d’accès) plutôt que d’en enregistrer une seconde.`,
      [],
      undefined,
      { existingJobId: open.id, existingJobHref: `/console/archives#demande-${open.id}` },
    );
  }

  /** Records, audits and enqueues a purge run (an archive package: requestArchive; an access request: requestAccess). `facts`: more for its audit event. */
  async request(em: EntityManager, actor: AuditActor, organisationId: string, params: DataJobParams & { kind: 'purge_run' }, facts: Record<string, string[]> = {}): Promise<DataJobView> {
    return this.record(em, actor, organisationId, params, facts);
  }

  private async record(
    em: EntityManager,
    actor: AuditActor,
    organisationId: string,
    params: DataJobParams & { kind: 'archive_export' | 'access_request' | 'purge_run' },
    facts: Record<string, string[]> = {},
  ): Promise<DataJobView> {
    const [row] = (await em.query(
      `INSERT INTO data_jobs (organisation_id, kind, params, status, requested_by, created_at) VALUES ($1, $2, $3, 'queued', $4, now()) RETURNING id`,
      [organisationId, params.kind, JSON.stringify(params), auditActorLabel(actor)],
    )) as { id: string }[];
    await this.outbox.enqueue(em, 'data.run', { dataJobId: row.id }, { key: row.id, organisationId });
    const subject =
      params.kind === 'access_request'
        ? { type: 'resident', id: params.residentId }
        : params.kind === 'archive_export'
          ? { type: params.scope, id: params.id }
          : { type: 'data_job', id: params.reportId };
    const visa = params.kind === 'purge_run' ? visaPayload(params.visa) : {};
    const request = params.kind === 'access_request' && params.request && 'statement' in params.request ? statementPayload(params.request) : {};
    await this.audit.append(em, { chainId: organisationId, actor, action: 'data_job.requested', subject, payload: { jobId: row.id, kind: params.kind, ...visa, ...request, ...facts } });
    return (await this.get(em, organisationId, row.id))!;
  }

  /**
   * The dry run: computed now, kept as a report (a `purge_report` job, done), audited with the
   * establishments it covers. Deletes nothing. It covers only the establishments where `actor`
   * manages records (SECURITY-RELIABILITY.md: a permission is checked in the establishment of the
   * record acted on — an administrator of one establishment never purges another's files); the
   * system (CLI, the operator) covers the whole organisation. None: 403.
   */
  async purgeReport(actor: StaffActor, day?: string): Promise<DataJobView> {
    const organisationId = actor.organisationId;
    const managed = actor.system ? undefined : establishmentsWith(actor, 'records.manage');
    if (managed && !managed.length) throw new ForbiddenError();
    return this.tx.run(async (em) => {
      const report = await this.retention.plan(em, organisationId, day, managed);
      const [row] = (await em.query(
        `INSERT INTO data_jobs (organisation_id, kind, params, status, done, total, report, requested_by, created_at, finished_at)
         VALUES ($1, 'purge_report', $2, 'done', $3, $3, $4, $5, now(), now()) RETURNING id`,
        [organisationId, JSON.stringify({ kind: 'purge_report', day: report.day }), report.documents.length + report.residents.length, JSON.stringify(report), auditActorLabel(auditActor(actor))],
      )) as { id: string }[];
      await this.audit.append(em, {
        chainId: organisationId,
        actor: auditActor(actor),
        action: 'retention.purge_reported',
        subject: { type: 'data_job', id: row.id },
        payload: {
          day: report.day,
          establishmentIds: report.establishmentIds ?? [],
          documents: report.documents.length,
          residents: report.residents.length,
          heldDocuments: report.kept.heldDocuments,
          heldResidents: report.kept.heldResidents,
          openAccessRequestDocuments: report.kept.openAccessRequestDocuments ?? 0,
          openAccessRequestResidents: report.kept.openAccessRequestResidents ?? 0,
        },
      });
      return (await this.get(em, organisationId, row.id))!;
    });
  }

  /**
   * The real run of a dry-run report of this organisation, less than a week old and not yet run.
   * A public organisation's records are public archives (Code du patrimoine L.211-4): their
   * elimination needs the visa of the archives administration on the elimination list (R.212-14),
   * given as `visaInput` ({ reference, date, signatory }); without it 400
   * PURGE_ARCHIVES_VISA_REQUIRED, nothing asked. The visa goes in the job's params, in the
   * `data_job.requested` event and in each item's purge event, with the establishments the report
   * covers. Run only by whoever drew it, while she manages records in each establishment it covers
   * (assertMayRunPurgeReport: 403 PURGE_REPORT_NOT_YOURS, PURGE_ESTABLISHMENT_NOT_MANAGED), checked
   * again when the worker runs it (purgeRefusedAtRun). The system (CLI, the operator) runs any.
   */
  async requestPurge(actor: StaffActor, reportId: string, visaInput?: unknown): Promise<DataJobView> {
    const organisationId = actor.organisationId;
    return this.tx.run(async (em) => {
      const regime = await this.retention.archivesRegime(em, organisationId);
      const visa = regime.publicLaw ? eliminationVisaOf(visaInput) : null;
      if (regime.publicLaw && !visa) throw new ValidationError([{ field: 'visa', code: 'PURGE_ARCHIVES_VISA_REQUIRED', message: PURGE_ARCHIVES_VISA_REQUIRED_MESSAGE }], PURGE_ARCHIVES_VISA_REQUIRED_MESSAGE, 'PURGE_ARCHIVES_VISA_REQUIRED');
      const report = await this.get(em, organisationId, reportId, true);
      if (!report || report.kind !== 'purge_report') throw new NotFoundError('PURGE_REPORT_NOT_FOUND', 'Rapport de purge introuvable : lancez d’abord une simulation (purge --dry-run).');
      const covered = await this.assertMayRunPurgeReport(em, actor, report);
      if (purgeReportExpired(report.createdAt))
        throw new ConflictError('PURGE_REPORT_EXPIRED', `Ce rapport a plus de ${PURGE_REPORT_VALID_DAYS} jours : lancez une nouvelle simulation.`);
      const used = (await em.query(`SELECT 1 FROM data_jobs WHERE organisation_id = $1 AND kind = 'purge_run' AND params->>'reportId' = $2`, [organisationId, reportId])) as unknown[];
      if (used.length) throw new ConflictError('PURGE_REPORT_USED', 'Ce rapport a déjà été exécuté : lancez une nouvelle simulation.');
      return this.request(em, auditActor(actor), organisationId, visa ? { kind: 'purge_run', reportId, visa } : { kind: 'purge_run', reportId }, { establishmentIds: covered });
    });
  }

  /** Why `actor` may not run this purge report (assertMayRunPurgeReport's French message), or null: for the console, which shows it instead of the form. */
  async purgeRunRefusal(em: EntityManager, actor: StaffActor, report: DataJobView): Promise<string | null> {
    try {
      await this.assertMayRunPurgeReport(em, actor, report);
      return null;
    } catch (e) {
      if (isDomainError(e) && e.kind === 'forbidden') return e.messageFr;
      throw e;
    }
  }

  /**
   * A purge report is run by the member of staff who drew it (403 PURGE_REPORT_NOT_YOURS), while
   * she manages records in each establishment it covers (403 PURGE_ESTABLISHMENT_NOT_MANAGED;
   * SECURITY-RELIABILITY.md: a role here and a role there do not combine into a right here). A
   * report drawn before reports recorded their establishments covered the whole organisation. The
   * system (CLI: the operator, organisation-wide) runs any report. Answers the establishments covered.
   */
  private async assertMayRunPurgeReport(em: EntityManager, actor: StaffActor, report: DataJobView): Promise<string[]> {
    const covered = await purgeReportEstablishmentIds(em, actor.organisationId, report.report as PurgeReport);
    if (actor.system) return covered;
    if (report.requestedBy !== auditActorLabel(auditActor(actor)))
      throw new ForbiddenError(
        'PURGE_REPORT_NOT_YOURS',
        'Seul l’administrateur qui a lancé cette simulation peut l’exécuter : elle porte sur les établissements dont il gère les archives. Lancez votre propre simulation.',
      );
    if (covered.some((e) => !can(actor, 'records.manage', e))) throw purgeEstablishmentNotManaged();
    return covered;
  }

  /**
   * A purge run is checked when it is asked for (assertMayRunPurgeReport) and again here, when the
   * worker runs it: the member of staff who asked must still be active and manage records in each
   * establishment of its report (a role withdrawn since). Then the error; null when it may go on.
   * Not for a run asked by the system (CLI).
   */
  private async purgeRefusedAtRun(em: EntityManager, row: DataJobRow, actor: AuditActor): Promise<{ code: string; messageFr: string; subject: { type: string; id: string } } | null> {
    const params = row.params;
    if (params.kind !== 'purge_run' || actor.type !== 'staff' || !actor.id) return null;
    const [source] = (await em.query(`SELECT report FROM data_jobs WHERE id = $1 AND organisation_id = $2 AND kind = 'purge_report'`, [params.reportId, row.organisation_id])) as { report: PurgeReport }[];
    const covered = await purgeReportEstablishmentIds(em, row.organisation_id, source?.report);
    const roles = (await em.query(
      `SELECT r.establishment_id AS "establishmentId", r.role FROM staff_roles r JOIN staff_users u ON u.id = r.user_id
        WHERE u.id = $1 AND u.organisation_id = $2 AND u.active AND r.role = ANY($3::text[])`,
      [actor.id, row.organisation_id, [...PERMISSIONS['records.manage']]],
    )) as { establishmentId: string; role: StaffRole }[];
    const now: StaffActor = { kind: 'staff', userId: actor.id, organisationId: row.organisation_id, email: '', name: '', sessionId: '', roles };
    if (!covered.some((e) => !can(now, 'records.manage', e))) return null;
    const e = purgeEstablishmentNotManaged();
    return { code: e.code, messageFr: `Purge non réalisée : au moment de l’exécuter, vous ne gériez plus les archives de chacun des établissements de la simulation. ${e.messageFr}`, subject: { type: 'data_job', id: params.reportId } };
  }

  async get(em: EntityManager, organisationId: string, id: string, lock = false): Promise<DataJobView | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows = (await em.query(`SELECT * FROM data_jobs WHERE id = $1 AND organisation_id = $2${lock ? ' FOR UPDATE' : ''}`, [id, organisationId])) as DataJobRow[];
    return rows.length ? view(rows[0]) : null;
  }

  /** The purge that carried out (or is carrying out) this dry-run report, if one was asked for: a report is run at most once. */
  async purgeRunOf(em: EntityManager, organisationId: string, reportId: string): Promise<DataJobView | null> {
    const rows = (await em.query(`SELECT * FROM data_jobs WHERE organisation_id = $1 AND kind = 'purge_run' AND params->>'reportId' = $2 ORDER BY created_at DESC LIMIT 1`, [organisationId, reportId])) as DataJobRow[];
    return rows.length ? view(rows[0]) : null;
  }

  /** The organisation's jobs, latest first (`offset`: to page on, ties broken by id). */
  async list(em: EntityManager, organisationId: string, limit = 20, offset = 0): Promise<DataJobView[]> {
    const rows = (await em.query(`SELECT * FROM data_jobs WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [organisationId, limit, offset])) as DataJobRow[];
    return rows.map(view);
  }

  /** The people, establishments, documents and purge reports these jobs are about (lookupSubjects: one query whatever their number). */
  async subjectsOf(em: EntityManager, organisationId: string, jobs: DataJobView[]): Promise<Subjects> {
    const ids = (of: (p: DataJobParams) => string | null) => jobs.map((j) => of(j.params)).filter((id): id is string => !!id);
    return lookupSubjects(em, organisationId, { people: ids(jobResidentId), establishments: ids(jobEstablishmentId), documents: ids(jobDocumentId), reports: ids(jobReportId) });
  }

  /** The worker's handler of `data.run`. A redelivered job that finished is not run again. */
  async run(outboxId: string, dataJobId: string): Promise<void> {
    const [row] = (await this.tx.manager.query(`SELECT * FROM data_jobs WHERE id = $1`, [dataJobId])) as DataJobRow[];
    if (!row || row.status === 'done' || row.status === 'failed') {
      await this.outbox.complete(outboxId);
      return;
    }
    const actor: AuditActor = actorOf(row.requested_by);
    const refused = await this.tx.run(async (em) => {
      const [job] = (await em.query(`SELECT status FROM data_jobs WHERE id = $1 FOR UPDATE`, [dataJobId])) as { status: DataJobStatus }[];
      if (!job || job.status === 'done' || job.status === 'failed') return 'finished' as const;
      const closed = (await this.archiveClosedAtRun(em, row, actor)) ?? (await this.purgeRefusedAtRun(em, row, actor));
      if (closed) {
        await this.failed(em, dataJobId, `${closed.code}: ${closed.messageFr}`);
        await this.audit.append(em, {
          chainId: row.organisation_id,
          actor,
          action: 'data_job.refused',
          subject: { type: closed.subject.type, id: closed.subject.id },
          payload: { jobId: dataJobId, kind: row.kind, code: closed.code },
        });
        return closed;
      }
      await em.query(`UPDATE data_jobs SET status = 'running', phase = NULL, done = 0, total = 0, error = NULL WHERE id = $1`, [dataJobId]);
      return null;
    });
    if (refused === 'finished') {
      await this.outbox.complete(outboxId);
      return;
    }
    // Failed for good, never retried; the worker marks its outbox row failed with this code.
    if (refused) throw new PermanentJobError(refused.code, refused.messageFr);
    let last = 0;
    const progress = (phase: string, done: number, total: number, force = false) => {
      if (!force && Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      void this.tx.manager.query(`UPDATE data_jobs SET phase = $2, done = $3, total = $4 WHERE id = $1 AND status = 'running'`, [dataJobId, phase, done, total]).catch(() => undefined);
    };
    const params = row.params;
    const org = row.organisation_id;
    let report: unknown = null;
    let file: string | null = null;
    if (params.kind === 'archive_export') {
      file = this.resultFile(dataJobId);
      const scope: ArchiveScope =
        params.scope === 'establishment' ? { kind: 'establishment', id: params.id, from: new Date(params.from!), to: new Date(params.to!) } : { kind: params.scope, id: params.id };
      // The job's organisation: the exporter refuses, before writing or appending anything, a subject
      // outside it, for good and as an unknown one (PermanentJobError).
      const r = await this.exporter.export(scope, file, (p) => progress(p.phase, p.done, p.total, p.done === p.total), actor, org);
      report = { documents: r.documents, files: r.files, sealed: r.sealed, annexes: r.annexes, events: r.events, manifestSha256: r.manifestSha256 };
    } else if (params.kind === 'access_request') {
      file = this.resultFile(dataJobId);
      // A deceased person's ayant droit or a deceased minor's parent: the content goes out under the CSP, not RGPD art. 15 (requestAccess).
      const heir = !!params.request && 'from' in params.request && isCspAccessRequest(params.request);
      // Staff's selection (recordSelection): the zip is made again with the items kept only (CSP L.1110-4 V).
      const selection = row.answer?.selection;
      const labels = selection ? new Map((await accessItemsOf(this.tx.manager, org, params.residentId)).map((i) => [i.key as string, i.label])) : null;
      const r = await this.access.export(org, params.residentId, file, actor, (p) => progress(p.phase, p.done, p.total, p.done === p.total), heir ? 'CSP L.1110-4 V, L.1111-7' : 'RGPD art. 15',
        // LISEZMOI.txt names the request it answers (its statement redacted at purge: none to name).
        params.request && 'statement' in params.request ? params.request : null,
        selection && labels ? { items: selection.items, labels } : null,
      );
      report = { documents: r.documents, files: r.files, annexes: r.annexes, events: r.events, manifestSha256: r.manifestSha256, ...(selection ? { selectionSha256: selection.sha256 } : {}) };
    } else if (params.kind === 'purge_run') {
      const [source] = (await this.tx.manager.query(`SELECT report FROM data_jobs WHERE id = $1 AND organisation_id = $2 AND kind = 'purge_report'`, [params.reportId, org])) as { report: PurgeReport }[];
      if (!source) throw new Error(`purge report ${params.reportId} missing`);
      const outcome = await this.retention.purge(org, dataJobId, source.report, actor, (d, t) => progress('purge', d, t, d === t), params.visa ?? null);
      report = outcome;
      await this.audit.appendAlone(this.tx.manager, { chainId: org, actor, action: 'retention.purge_completed', subject: { type: 'data_job', id: dataJobId }, payload: { reportId: params.reportId, ...outcome } });
    }
    const sha = file ? await sha256File(file) : null;
    await this.tx.manager.query(
      `UPDATE data_jobs SET status = 'done', phase = 'done', done = greatest(done, total), report = $2, result_file = $3, result_sha256 = $4, result_bytes = $5, finished_at = now() WHERE id = $1`,
      [dataJobId, JSON.stringify(report), file, sha, file ? statSync(file).size : null],
    );
    await this.outbox.complete(outboxId);
  }

  /**
   * An archive package is checked when it is asked for (assertArchivesOpen), and again here, when
   * the worker runs it, in the transaction that marks it running: between the two the requester's
   * opening of the archive may have ended (ARCHIVE_GRANT_MINUTES) or the person passed into the
   * intermediate archive (CNIL délib. n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32). Then
   * the error (ARCHIVE_INTERMEDIATE_RESTRICTED, its French message) and what the package is about;
   * null when it may go on. Not for a package asked by the system (CLI) nor for an access request
   * (RGPD art. 15: the person's own right, see requestAccess).
   */
  private async archiveClosedAtRun(
    em: EntityManager,
    row: DataJobRow,
    actor: AuditActor,
  ): Promise<{ code: string; messageFr: string; subject: { type: string; id: string } } | null> {
    const params = row.params;
    if (params.kind !== 'archive_export' || actor.type !== 'staff' || !actor.id) return null;
    try {
      await this.assertArchivesOpen(em, { organisationId: row.organisation_id, userId: actor.id }, params);
      return null;
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'ARCHIVE_INTERMEDIATE_RESTRICTED') throw e;
      return { code: e.code, messageFr: `Export non réalisé : au moment de le préparer, l’archive intermédiaire n’était plus ouverte pour vous (ouverture terminée, ou la personne y est passée depuis la demande). ${e.messageFr}`, subject: { type: params.scope, id: params.id } };
    }
  }

  /** The job failed for good: shown as failed with its reason (never stays « en cours »). */
  async failed(em: EntityManager, dataJobId: string, message: string): Promise<void> {
    await em.query(`UPDATE data_jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [dataJobId, message.slice(0, 500)]);
  }

  /**
   * The result of a finished export, for download. A zip is a copy of the content it was made of
   * (RGPD art. 5.1.f and 32): it is given only to the member of staff who asked for it (403
   * DATA_JOB_NOT_YOURS — another records manager asks for her own, and is checked then), and only
   * while she could still ask for it now: its subject in an establishment she sees (404 as for an
   * unknown one), and, for a package of a person in the intermediate archive — hers, one of her
   * documents, an establishment's period holding her documents — her opening of that archive still
   * running (403 ARCHIVE_INTERMEDIATE_RESTRICTED, assertArchivesOpen; CNIL délib. n° 2021-028 and
   * n° 2023-095). An access request's zip (RGPD art. 15) answers the request recorded with it
   * (requestAccess): the same owner and visibility checks, no opening. A living person's request
   * about her health information (isHealthAccessRequest): its zip is the communication itself (no
   * other step hands it over), so not before the 48 hours of CSP L.1111-7 al. 2 (409
   * HEALTH_ACCESS_REFLECTION_PERIOD, the date and hour from which it may be, Paris). Each download is
   * audited (`data_job.downloaded`); a refused one writes nothing.
   */
  async download(actor: StaffActor, id: string, now = new Date()): Promise<{ stream: NodeJS.ReadableStream; fileName: string; bytes: number }> {
    const organisationId = actor.organisationId;
    return this.tx.run(async (em) => {
      const job = await this.get(em, organisationId, id);
      const [row] = job ? ((await em.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [id])) as { result_file: string | null }[]) : [];
      if (!job || !row?.result_file) throw new NotFoundError('DATA_JOB_RESULT_NOT_FOUND', 'Aucun fichier à télécharger pour cette demande.');
      if (job.status !== 'done') throw new ConflictError('DATA_JOB_NOT_DONE', 'Le fichier n’est pas encore prêt.');
      await this.assertMayDownload(em, actor, job);
      // CSP L.1111-7 al. 2: « au plus tôt après qu'un délai de réflexion de quarante-huit heures aura été observé ».
      const health = healthRequestOfJob(job);
      if (health?.notBefore && now.getTime() < Date.parse(health.notBefore)) throw new ConflictError('HEALTH_ACCESS_REFLECTION_PERIOD', healthAccessReflectionPeriodMessage(health.notBefore));
      await this.audit.append(em, {
        chainId: organisationId,
        actor: auditActor(actor),
        action: 'data_job.downloaded',
        subject: { type: 'data_job', id },
        payload: { kind: job.kind, sha256: job.resultSha256, bytes: job.resultBytes },
      });
      const prefix = job.kind === 'access_request' ? 'demande-acces' : 'archive';
      return { stream: createReadStream(row.result_file), fileName: `${prefix}-${id.slice(0, 8)}.zip`, bytes: job.resultBytes ?? 0 };
    });
  }

  /** download's checks, in its transaction: the requester only, who still sees the subject and, for a package, still has its archives open. */
  private async assertMayDownload(em: EntityManager, actor: StaffActor, job: DataJobView): Promise<void> {
    if (job.requestedBy !== auditActorLabel(auditActor(actor)))
      throw new ForbiddenError(
        'DATA_JOB_NOT_YOURS',
        'Seul le membre du personnel qui l’a demandé peut télécharger ce fichier : il contient des documents exportés pour lui seul. Si vous en avez besoin, faites votre propre demande.',
      );
    const p = job.params;
    if (p.kind !== 'archive_export' && p.kind !== 'access_request') throw new NotFoundError('DATA_JOB_RESULT_NOT_FOUND', 'Aucun fichier à télécharger pour cette demande.');
    const [scope, subjectId] = p.kind === 'access_request' ? (['resident', p.residentId] as const) : ([p.scope, p.id] as const);
    await this.assertManagesSubject(em, actor, scope, subjectId);
    if (p.kind === 'archive_export') await this.assertArchivesOpen(em, actor, p);
  }

  /**
   * A package or an access request carries the content of the documents and the file: its subject
   * must be seen by the actor (else 404, as for an unknown id) and she must manage records in the
   * subject's own establishment (else 403), at the request and again at the download. An attacker's
   * review of session 17: an auditor of one establishment who administers another passed the
   * organisation-wide check (`assertCanSomewhere`) and, seeing the first establishment, exported and
   * downloaded a person's whole file there — auditors never read a file's content (access.ts).
   */
  private async assertManagesSubject(em: EntityManager, actor: StaffActor, scope: ArchiveScope['kind'], id: string): Promise<void> {
    const subject = await archiveSubjectIn(em, scope, id, actor.organisationId);
    requireVisible(actor, subject, archiveSubjectNotFound(scope));
    if (!actor.system) assertCan(actor, 'records.manage', subject.establishmentId);
  }

  /**
   * The selection of a request after the death (CSP L.1110-4 V: « dans la mesure où elles leur sont
   * nécessaires » to the stated purpose; a minor's parents: her secret withheld, L.1111-5): the items
   * of the zip kept and why, `{ items: AccessItemKey[], justification }` (access-answer.ts). Once the
   * working zip is ready, by whoever may download it (assertMayDownload), while the request is
   * neither delivered nor refused (409 ACCESS_REQUEST_ALREADY_DELIVERED, ACCESS_REQUEST_REFUSED).
   * Recorded on the job (state `selection_recorded`), audited (`access_request.selection_recorded`
   * with the selection's SHA-256, the justification as its SHA-256), and the zip made again with those
   * items only: the one handed over. Recorded again: the last one holds, each audited. When that zip
   * failed to be made (status `failed` with a selection), recording the selection again retries it.
   */
  async recordSelection(actor: StaffActor, id: string, input: unknown): Promise<DataJobView> {
    return this.tx.run(async (em) => {
      const { job, request } = await this.cspJob(em, actor, id);
      // The person's file must still show her accompaniment ended (deceased-person.ts).
      await assertAccompanimentStillEnded(em, actor.organisationId, (job.params as { residentId: string }).residentId);
      // A failed zip made of a selection is made again by recording the selection again (the working zip was ready).
      if (job.status !== 'done' && !(job.status === 'failed' && job.answer?.selection))
        throw new ConflictError('DATA_JOB_NOT_DONE', 'Le paquet de travail n’est pas encore prêt : le tri se fait sur son contenu.');
      const p = job.params as DataJobParams & { kind: 'access_request' };
      const { items, justification } = accessSelectionOf(input, await accessItemsOf(em, actor.organisationId, p.residentId));
      const sha256 = sha256Hex(canonicalJson({ items, justification }));
      const selection: AccessSelection = { items, justification, recordedAt: new Date().toISOString(), recordedBy: auditActorLabel(auditActor(actor)), sha256 };
      const answer: AccessAnswer = { state: 'selection_recorded', selection };
      await em.query(`UPDATE data_jobs SET answer = $2, status = 'queued', phase = NULL, done = 0, total = 0, error = NULL, finished_at = NULL WHERE id = $1`, [id, JSON.stringify(answer)]);
      // The zip made again with the items kept only (run: row.answer.selection); a new outbox key per selection.
      await this.outbox.enqueue(em, 'data.run', { dataJobId: id }, { key: `${id}:selection:${sha256.slice(0, 16)}:${Date.now()}`, organisationId: actor.organisationId });
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'access_request.selection_recorded',
        subject: { type: 'resident', id: p.residentId },
        payload: {
          jobId: id,
          requestFrom: request.from,
          selectionSha256: sha256,
          justificationSha256: sha256Hex(justification),
          items: items.length,
          documents: items.filter((k) => k.startsWith('document:')).length,
          includesDossier: items.includes('dossier'),
          includesJournal: items.includes('journal'),
        },
      });
      return (await this.get(em, actor.organisationId, id))!;
    });
  }

  /**
   * A reasoned refusal of a request after the death (`{ reason, explanation }`: access-answer.ts),
   * e.g. the deceased objected, the purpose or the standing is not established. Not once delivered
   * (409 ACCESS_REQUEST_ALREADY_DELIVERED) nor twice (409 ACCESS_REQUEST_REFUSED), not while the zip
   * is being prepared (409 DATA_JOB_NOT_DONE). State `refused`, the French letter on the job, the
   * working zip deleted (nothing is to go out), audited (`access_request.refused`: the reason's code,
   * the SHA-256 of the explanation and of the letter, the establishment's legal status, the
   * organisation's `publicLaw` and the recourse the letter named, `recourseKind`).
   */
  async recordRefusal(actor: StaffActor, id: string, input: unknown): Promise<DataJobView> {
    const { view, file } = await this.tx.run(async (em) => {
      const { job, request } = await this.cspJob(em, actor, id);
      if (job.status === 'queued' || job.status === 'running') throw new ConflictError('DATA_JOB_NOT_DONE', 'Le paquet est en cours de préparation : attendez qu’il soit prêt pour enregistrer le refus.');
      // A deceased minor's parents cannot be refused for a purpose or the deceased's objection (L.1110-4 V al. 2: refusalReasonsFor).
      const { reason, explanation } = accessRefusalOf(input, request.from);
      // The recourse the letter names follows the person's establishment's legal status (null: not recorded, both named) and
      // the organisation's archives regime (public archives: CRPA L.300-2, the CADA first — refusalRecourseKind).
      const [est] = (await em.query(
        `SELECT e.id, e.legal_status, o.public_law FROM residents r JOIN establishments e ON e.id = r.establishment_id JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1 AND r.organisation_id = $2`,
        [(job.params as { residentId: string }).residentId, actor.organisationId],
      )) as { id: string; legal_status: EstablishmentLegalStatus | null; public_law: boolean }[];
      const legalStatus = est?.legal_status ?? null;
      // CRPA L.212-1: the letter bears its author's name and function — the staff member who records the refusal.
      const signatory = { name: actor.name, role: signatoryRoleLabel(actor.roles, est?.id ?? '') };
      const recourse = { legalStatus, publicLaw: !!est?.public_law };
      const letter = accessRefusalLetter(request, reason, explanation, calendarDayIn(new Date()), recourse, signatory);
      const answer: AccessAnswer = { ...(job.answer ?? {}), state: 'refused', refusal: { reason, explanation, letter, recordedAt: new Date().toISOString(), recordedBy: auditActorLabel(auditActor(actor)) } };
      const [row] = (await em.query(`SELECT result_file FROM data_jobs WHERE id = $1`, [id])) as { result_file: string | null }[];
      await em.query(`UPDATE data_jobs SET answer = $2, result_file = NULL WHERE id = $1`, [id, JSON.stringify(answer)]);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'access_request.refused',
        subject: { type: 'resident', id: (job.params as { residentId: string }).residentId },
        // What decided the recourse the letter names (refusalRecourseKind): the establishment's legal status, the organisation's public archives (CRPA L.300-2).
        payload: {
          jobId: id,
          requestFrom: request.from,
          reason,
          explanationSha256: sha256Hex(explanation),
          letterSha256: sha256Hex(letter),
          legalStatus: legalStatus ?? 'unknown',
          publicLaw: recourse.publicLaw,
          recourseKind: refusalRecourseKind(recourse),
        },
      });
      return { view: (await this.get(em, actor.organisationId, id))!, file: row?.result_file ?? null };
    });
    // Nothing goes out: the working copy of her data is not kept (RGPD art. 5.1.c and e), once the refusal is committed.
    if (file) rmSync(file, { force: true });
    return view;
  }

  /**
   * The delivery of a request after the death: the zip handed over (or sent) to the requester, by
   * whoever may download it. Refused, each with its French message: not before the 48 hours of CSP
   * L.1111-7 al. 2 (409 ACCESS_REQUEST_TOO_EARLY, « pas avant le … »); not without the selection
   * and the zip made of it (409 ACCESS_SELECTION_REQUIRED — an ayant droit: L.1110-4 V al. 1; a
   * deceased minor's parents too: what the minor kept secret withheld, L.1110-4 V al. 2, L.1111-5 —
   * the first zip is the staff's working copy); not while it is prepared (409 DATA_JOB_NOT_DONE) nor
   * when that zip failed to be made (409 ACCESS_SELECTION_REBUILD_FAILED: record the selection again); not after a refusal or twice (409
   * ACCESS_REQUEST_REFUSED, ACCESS_REQUEST_ALREADY_DELIVERED). State `delivered`, audited
   * (`access_request.delivered` with the SHA-256 of the zip handed over).
   */
  async recordDelivery(actor: StaffActor, id: string, now = new Date()): Promise<DataJobView> {
    return this.tx.run(async (em) => {
      const { job, request } = await this.cspJob(em, actor, id);
      await assertAccompanimentStillEnded(em, actor.organisationId, (job.params as { residentId: string }).residentId);
      if (job.status === 'failed' && job.answer?.selection)
        throw new ConflictError('ACCESS_SELECTION_REBUILD_FAILED', 'La préparation du fichier trié a échoué : enregistrez de nouveau le tri pour la relancer.');
      if (job.status !== 'done') throw new ConflictError('DATA_JOB_NOT_DONE', 'Le paquet n’est pas encore prêt.');
      const applied = (job.report as { selectionSha256?: string } | null)?.selectionSha256;
      if (!job.answer?.selection || applied !== job.answer.selection.sha256)
        throw new ConflictError(
          'ACCESS_SELECTION_REQUIRED',
          request.from === 'ayant_droit'
            ? 'Un ayant droit ne reçoit que les informations nécessaires au motif de sa demande (Code de la santé publique, art. L.1110-4 V) : enregistrez d’abord les éléments retenus et la justification de ce tri ; le paquet transmis est préparé avec eux seuls.'
            : 'Les parents d’un mineur décédé ne reçoivent pas ce que le mineur a gardé secret d’eux (Code de la santé publique, art. L.1110-4 V et L.1111-5) : enregistrez d’abord les éléments retenus et la justification de ce tri ; le paquet transmis est préparé avec eux seuls, le paquet de travail n’est jamais remis.',
        );
      if (request.notBefore && now.getTime() < Date.parse(request.notBefore))
        throw new ConflictError(
          'ACCESS_REQUEST_TOO_EARLY',
          `Les informations ne peuvent être communiquées qu’après un délai de quarante-huit heures suivant la demande (Code de la santé publique, art. L.1111-7) : ${notBeforeText(request.notBefore)}.`,
        );
      const delivery = { deliveredAt: now.toISOString(), deliveredBy: auditActorLabel(auditActor(actor)), resultSha256: job.resultSha256 };
      await em.query(`UPDATE data_jobs SET answer = $2 WHERE id = $1`, [id, JSON.stringify({ ...(job.answer ?? {}), state: 'delivered', delivery })]);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'access_request.delivered',
        subject: { type: 'resident', id: (job.params as { residentId: string }).residentId },
        payload: { jobId: id, requestFrom: request.from, resultSha256: job.resultSha256, selectionSha256: job.answer?.selection?.sha256 ?? null, notBefore: request.notBefore ?? null },
      });
      return (await this.get(em, actor.organisationId, id))!;
    });
  }

  /**
   * A request after the death this actor may answer, locked: 404 DATA_JOB_NOT_FOUND (none in her
   * organisation), 409 ACCESS_ANSWER_NOT_CSP (another kind of job: the person's own request is
   * answered by the zip itself), the download's checks (the requester only, who still sees the
   * person), and neither refused nor delivered (409 ACCESS_REQUEST_REFUSED, ACCESS_REQUEST_ALREADY_DELIVERED).
   */
  private async cspJob(em: EntityManager, actor: StaffActor, id: string): Promise<{ job: DataJobView; request: AccessRequestStatement }> {
    const job = await this.get(em, actor.organisationId, id, true);
    if (!job) throw new NotFoundError('DATA_JOB_NOT_FOUND', 'Tâche introuvable.');
    const p = job.params;
    const request = p.kind === 'access_request' && p.request && 'statement' in p.request ? p.request : null;
    if (!request || !isCspAccessRequest(request))
      throw new ConflictError('ACCESS_ANSWER_NOT_CSP', 'Le tri, la transmission et le refus motivé s’enregistrent pour une demande faite après un décès (ayant droit, titulaire de l’autorité parentale d’un mineur décédé).');
    await this.assertMayDownload(em, actor, job);
    if (job.answer?.state === 'refused') throw new ConflictError('ACCESS_REQUEST_REFUSED', 'Cette demande a été refusée : rien ne peut plus être transmis. Une nouvelle demande s’enregistre à part.');
    if (job.answer?.state === 'delivered') throw new ConflictError('ACCESS_REQUEST_ALREADY_DELIVERED', 'Le paquet a déjà été transmis au demandeur : cette réponse est close.');
    return { job, request };
  }

  private resultFile(id: string): string {
    mkdirSync(this.config.paths.exportsDir, { recursive: true, mode: 0o700 });
    return join(this.config.paths.exportsDir, `${id}.zip`);
  }
}

interface DataJobRow {
  id: string;
  organisation_id: string;
  kind: DataJobKind;
  params: DataJobParams;
  status: DataJobStatus;
  phase: string | null;
  done: number;
  total: number;
  report: unknown;
  result_file: string | null;
  result_sha256: string | null;
  result_bytes: string | null;
  error: string | null;
  requested_by: string;
  created_at: Date;
  finished_at: Date | null;
  answer: AccessAnswer | null;
}

function view(r: DataJobRow): DataJobView {
  return {
    id: r.id,
    kind: r.kind,
    params: r.params,
    status: r.status,
    phase: r.phase,
    done: Number(r.done),
    total: Number(r.total),
    report: r.report,
    resultSha256: r.result_sha256,
    resultBytes: r.result_bytes === null ? null : Number(r.result_bytes),
    error: r.error,
    requestedBy: r.requested_by,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    answer: r.answer ?? null,
  };
}

/** A living person's request about her health information recorded with this job (CSP L.1111-7), or null. */
export function healthRequestOfJob(job: Pick<DataJobView, 'params'>): AccessRequestStatement | null {
  const p = job.params;
  const r = p.kind === 'access_request' && p.request && 'statement' in p.request ? p.request : null;
  return r && isHealthAccessRequest(r) ? r : null;
}

function purgeEstablishmentNotManaged(): ForbiddenError {
  return new ForbiddenError(
    'PURGE_ESTABLISHMENT_NOT_MANAGED',
    'Cette simulation porte sur un établissement dont vous ne gérez pas les archives : seul un administrateur de chacun de ses établissements peut l’exécuter. Lancez votre propre simulation.',
  );
}

function actorOf(requestedBy: string): AuditActor {
  const i = requestedBy.indexOf(':');
  const type = requestedBy.slice(0, i) as AuditActor['type'];
  const id = requestedBy.slice(i + 1);
  return { type, id: id === '' ? null : id };
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Parses the scope of an archive export request (API, console, CLI), French errors. */
export function archiveParams(input: { scope?: unknown; id?: unknown; from?: unknown; to?: unknown }): DataJobParams & { kind: 'archive_export' } {
  const scope = input.scope;
  if (scope !== 'document' && scope !== 'resident' && scope !== 'establishment')
    throw new ValidationError([{ field: 'scope', code: 'ARCHIVE_SCOPE_INVALID', message: 'Périmètre : document, resident ou establishment.' }]);
  const id = typeof input.id === 'string' ? input.id.trim().toLowerCase() : '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new ValidationError([{ field: 'id', code: 'INVALID_ID', message: 'Identifiant invalide.' }]);
  if (scope !== 'establishment') return { kind: 'archive_export', scope, id };
  const day = (v: unknown, field: string) => {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
      throw new ValidationError([{ field, code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ.' }]);
    return v;
  };
  const from = day(input.from, 'from');
  const to = day(input.to, 'to');
  if (to < from) throw new ValidationError([{ field: 'to', code: 'PERIOD_INVALID', message: 'La fin de la période doit suivre son début.' }]);
  // Whole days in Paris (the establishments' legal time), `to` included, as archive:export reads them.
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { kind: 'archive_export', scope, id, from: startOfDayIn(from).toISOString(), to: startOfDayIn(next.toISOString().slice(0, 10)).toISOString() };
}
