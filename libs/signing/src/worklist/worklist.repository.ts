import { Injectable } from '@nestjs/common';
import { calendarDayIn } from '@carepact/common';
import { accompanimentAvenant, supersededContractSql } from '@carepact/documents';
import { EntityManager } from 'typeorm';
import type { PolicyDecision } from '../policy/policy.types';
import { OPEN_ACCESS_REQUEST_SQL } from './open-access-request';
import { assistsThePerson } from '../policy/assistance-refusal';

/** A resident still in the establishment, with the documents that carry its legal deadlines. */
export interface ResidentDeadlineRow {
  id: string;
  establishmentId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  admissionDate: string;
  stayType: string;
  plannedEndDate: string | null;
  parentalAuthority: string | null;
  /** The contract or DIPC that counts (signed first, then one not refused, then the latest). */
  contract: { id: string; type: string; status: string; handedOverAt: Date | null; handedOverDay: string | null } | null;
  /** The avenant that counts (signed first, then the latest). */
  avenant: { id: string; status: string } | null;
  /** The latest formalised projet personnalisé, its date and the review date it sets. */
  projet: { id: string; createdAt: Date; day: string; nextReview: string | null } | null;
}

/**
 * Bounds (`YYYY-MM-DD`, inclusive, a few days generous) past which a resident cannot have anything
 * due within the worklist's horizons: the SQL keeps only the residents inside them.
 */
export interface ResidentWindow {
  avenantAdmittedBy: string;
  projetAdmittedBy: string;
  projetDatedBy: string;
  reviewBy: string;
}

export interface MeasureRow {
  id: string;
  type: string;
  endDate: string;
  residentId: string;
  residentName: string;
  establishmentId: string;
}

export interface InboxRow {
  id: string;
  requestId: string;
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  documentSubtype: string | null;
  residentId: string;
  residentName: string;
  establishmentId: string;
  signerName: string;
  capacity: string | null;
  at: Date;
  /** A refusal: by a curateur, refusing to assist the person (assistance-refusal.ts), not a refusal of the document by her. */
  assistance?: boolean;
  /** A refusal: the role of the signer who refused (signature_signers.role). */
  signerRole?: string;
  /** A refusal by a signer whose signature was optional: the request goes on without it; nothing is refused. */
  optional?: boolean;
  /** A refusal of assistance: the judge's authorisation for her to sign alone is recorded in answer to it (C. civ. 469 al. 3; 494-10), and whether the document is ready to send at the version refused. */
  soleSignature?: { documentReady: boolean; otherVersion: boolean } | null;
  /** A refusal of assistance: the type of the measure the assistant refused under (the article the person's recourse cites, soleSignatureLaw). */
  assistantMeasure?: string | null;
}

export interface FailedGenerationRow {
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  documentSubtype: string | null;
  residentId: string;
  residentName: string;
  establishmentId: string;
  since: Date;
  versionStatus: string | null;
  errorCode: string | null;
}

/** An active request on which the person's view recorded is a disagreement (the service applies residence-dispute.ts). */
export interface DisagreementRow {
  requestId: string;
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  documentSubtype: string | null;
  residentId: string;
  residentName: string;
  establishmentId: string;
  policy: Pick<PolicyDecision, 'views'>;
  viewKey: string;
  recordedAt: Date;
  recordedBy: string | null;
  /** The version's `document.residenceChoice` as `judgeDecided` reads it. */
  versionInput: { document: { residenceChoice: unknown } };
}

/**
 * The latest signed avenant of one purpose of a resident still in the establishment, whose review is
 * followed: the accompaniment one (objectives and services « réactualisés » every year, CASF D.311)
 * and the annex on the freedom to come and go (its measures re-evaluated by the same collegial
 * procedure, at the latest on its `document.nextReview`, CASF L.311-4-1 I).
 */
export interface ReviewRow {
  residentId: string;
  residentName: string;
  establishmentId: string;
  plannedEndDate: string | null;
  purpose: 'accompagnement' | 'liberte-aller-venir';
  documentId: string;
  createdAt: Date;
  /** Its creation day in Paris. */
  day: string;
  /** `document.nextReview` of its current version, as written (checked by the service). */
  nextReview: string | null;
  /** A later avenant of the same purpose not signed yet (being drawn up, generated, in signature): the review under way. */
  next: { id: string; status: string } | null;
}

/** A sealed request with someone to hand the established document over to in person (prefiltered: the service applies handoverRecipients). */
export interface HandoverRow {
  requestId: string;
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  documentSubtype: string | null;
  residentId: string;
  residentName: string;
  establishmentId: string;
  policy: { views: { person: { firstName: string; lastName: string; contactId: string | null } }[] };
  establishedAt: Date;
  /** The resident's admission: a DIPC is handed over within 15 days of it (CASF D.311 III). */
  admissionDate: string;
  signers: { id: string; key: string; role: string; firstName: string; lastName: string; capacity: string; email: string | null }[];
  events: { kind: string; at: Date; signerId: string | null; details: Record<string, unknown> | null }[];
}

type Row = Record<string, never>;

/**
 * A resident « À faire » still follows on day $3: the stay has not reached its planned end, and the
 * accompaniment has not ended (`residents.departed_on`, never in the future: the departure recorded
 * ends every deadline — contract, avenant, projet, measure, review).
 */
const STILL_ACCOMPANIED = `(r.planned_end_date IS NULL OR r.planned_end_date >= $3::date) AND r.departed_on IS NULL`;

/** The calendar day of an instant in Paris (few calls: the handed-over contracts not signed yet). */
function parisDay(at: Date): string {
  return calendarDayIn(at);
}

/**
 * The worklist's reads: one query per kind of thing to do, for all the establishments at once (no
 * query per resident). Residents who left (planned end passed) are not listed.
 */
@Injectable()
export class WorklistRepository {
  /**
   * Every current resident with their contract, avenant and projet personnalisé. The review date is
   * read from the version's input snapshot (`document.nextReview`) through an expression that only
   * touches the latest formalised projet of each resident.
   */
  async residentDeadlines(em: EntityManager, organisationId: string, establishmentIds: string[], today: string, window: ResidentWindow): Promise<ResidentDeadlineRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `WITH docs AS (
         SELECT DISTINCT ON (d.resident_id, d.kind) d.resident_id, d.kind, d.id, d.type, d.status, d.created_at, d.current_version_id
           FROM (SELECT d.*, CASE d.type WHEN 'avenant' THEN 2 WHEN 'projet-personnalise' THEN 3 ELSE 1 END AS kind
                   FROM documents d
                  WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[])
                    AND d.type IN ('contrat-sejour', 'dipc', 'avenant', 'projet-personnalise') AND d.status <> 'cancelled'
                    AND (d.type <> 'projet-personnalise' OR d.status IN ('ready', 'in_signature', 'signed'))
                    -- The first avenant of CASF D.311 is an accompaniment one: a tariff avenant does not count.
                    AND (d.type <> 'avenant' OR EXISTS (SELECT 1 FROM document_versions v WHERE v.id = d.current_version_id AND ${accompanimentAvenant('v')}))) d
          ORDER BY d.resident_id, d.kind,
                   CASE WHEN d.kind = 3 THEN 0 WHEN d.status = 'signed' THEN 2 WHEN d.status <> 'refused' THEN 1 ELSE 0 END DESC,
                   d.created_at DESC
       )
       SELECT r.id, r.establishment_id, r.first_name, r.last_name, r.birth_date::text AS birth_date, r.admission_date::text AS admission_date,
              r.stay_type, r.planned_end_date::text AS planned_end_date, r.parental_authority,
              c.id AS contract_id, c.type AS contract_type, c.status AS contract_status,
              CASE WHEN c.status <> 'signed' THEN (SELECT min(sr.created_at) FROM signature_requests sr WHERE sr.document_id = c.id) END AS handed_over_at,
              a.id AS avenant_id, a.status AS avenant_status,
              p.id AS projet_id, p.created_at AS projet_created_at, (p.created_at AT TIME ZONE 'Europe/Paris')::date::text AS projet_day,
              (SELECT v.input #>> '{document,nextReview}' FROM document_versions v WHERE v.id = p.current_version_id) AS next_review
         FROM residents r
         LEFT JOIN docs c ON c.resident_id = r.id AND c.kind = 1
         LEFT JOIN docs a ON a.resident_id = r.id AND a.kind = 2
         LEFT JOIN docs p ON p.resident_id = r.id AND p.kind = 3
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[])
          AND ${STILL_ACCOMPANIED}
          -- Only residents who may have something due (the exact rules are the service's): no signed
          -- contract; no signed avenant and admitted before $4; no projet and admitted before $5; a
          -- projet older than $6 or whose own review date comes before $7.
          AND (c.id IS NULL OR c.status <> 'signed'
               OR (a.status IS DISTINCT FROM 'signed' AND r.admission_date <= $4::date)
               OR (p.id IS NULL AND r.admission_date <= $5::date)
               OR (p.created_at AT TIME ZONE 'Europe/Paris')::date <= $6::date
               OR (SELECT v.input #>> '{document,nextReview}' FROM document_versions v WHERE v.id = p.current_version_id) <= $7)`,
      [organisationId, establishmentIds, today, window.avenantAdmittedBy, window.projetAdmittedBy, window.projetDatedBy, window.reviewBy],
    )) as Row[];
    return rows.map((x) => ({
      id: x.id,
      establishmentId: x.establishment_id,
      firstName: x.first_name,
      lastName: x.last_name,
      birthDate: x.birth_date,
      admissionDate: x.admission_date,
      stayType: x.stay_type,
      plannedEndDate: x.planned_end_date,
      parentalAuthority: x.parental_authority,
      contract: x.contract_id
        ? { id: x.contract_id, type: x.contract_type, status: x.contract_status, handedOverAt: x.handed_over_at, handedOverDay: x.handed_over_at ? parisDay(x.handed_over_at) : null }
        : null,
      avenant: x.avenant_id ? { id: x.avenant_id, status: x.avenant_status } : null,
      projet: x.projet_id ? { id: x.projet_id, createdAt: x.projet_created_at, day: x.projet_day, nextReview: x.next_review } : null,
    }));
  }

  /**
   * Protection measures ending on or before `until` (expired ones included) that no other measure of
   * the same person outlasts (a renewal on file supersedes them), for current residents.
   */
  async measuresEnding(em: EntityManager, organisationId: string, establishmentIds: string[], today: string, until: string): Promise<MeasureRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `SELECT m.id, m.type, m.end_date::text AS end_date, r.id AS resident_id, r.first_name, r.last_name, r.establishment_id
         FROM protection_measures m JOIN residents r ON r.id = m.resident_id
        WHERE m.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[]) AND m.end_date <= $4::date
          AND ${STILL_ACCOMPANIED}
          AND NOT EXISTS (SELECT 1 FROM protection_measures n WHERE n.resident_id = m.resident_id AND n.id <> m.id AND (n.end_date IS NULL OR n.end_date > m.end_date))
        ORDER BY m.end_date`,
      [organisationId, establishmentIds, today, until],
    )) as Row[];
    return rows.map((x) => ({ id: x.id, type: x.type, endDate: x.end_date, residentId: x.resident_id, residentName: `${x.first_name} ${x.last_name}`, establishmentId: x.establishment_id }));
  }

  /** Refusals not acknowledged yet (the signature inbox's), with the document and the resident. */
  async refusals(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<InboxRow[]> {
    if (!establishmentIds.length) return [];
    return this.inboxRows(
      em,
      `SELECT s.id, s.request_id, r.document_id, d.type AS document_type, d.subtype AS document_subtype, d.resident_id, res.first_name AS resident_first_name, res.last_name AS resident_last_name,
              r.establishment_id, s.first_name, s.last_name, s.capacity, s.acted_at AS at, s.key, s.role AS signer_role, s.optional, r.policy, d.status = 'ready' AND d.current_version_id = r.version_id AS document_ready,
              d.current_version_id IS DISTINCT FROM r.version_id AS other_version,
              EXISTS (SELECT 1 FROM sole_signature_authorisations a WHERE a.document_id = r.document_id AND a.refused_request_id = r.id) AS sole_signature
         FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id JOIN documents d ON d.id = r.document_id JOIN residents res ON res.id = d.resident_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[]) AND s.status = 'refused' AND s.refusal_acknowledged_at IS NULL
        ORDER BY s.acted_at`,
      [organisationId, establishmentIds],
    );
  }

  /** Questions not answered yet (the signature inbox's), with the document and the resident. */
  async questions(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<InboxRow[]> {
    if (!establishmentIds.length) return [];
    return this.inboxRows(
      em,
      `SELECT q.id, q.request_id, r.document_id, d.type AS document_type, d.subtype AS document_subtype, d.resident_id, res.first_name AS resident_first_name, res.last_name AS resident_last_name,
              r.establishment_id, s.first_name, s.last_name, s.capacity, q.asked_at AS at
         FROM signer_questions q JOIN signature_requests r ON r.id = q.request_id JOIN signature_signers s ON s.id = q.signer_id
         JOIN documents d ON d.id = r.document_id JOIN residents res ON res.id = d.resident_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[]) AND q.answered_at IS NULL
        ORDER BY q.asked_at`,
      [organisationId, establishmentIds],
    );
  }

  /** Active requests with a view recorded as « désaccord » (few rows: the service keeps those on a residence act not yet decided by the judge). */
  async disagreements(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<DisagreementRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `SELECT r.id AS request_id, r.document_id, d.type AS document_type, d.subtype AS document_subtype, d.resident_id, res.first_name, res.last_name, r.establishment_id, r.policy,
              w.view_key, w.recorded_at, s.first_name AS by_first_name, s.last_name AS by_last_name,
              v.input #> '{document,residenceChoice}' AS residence_choice
         FROM signature_requests r
         JOIN recorded_views w ON w.request_id = r.id AND w.expression = 'desaccord'
         JOIN documents d ON d.id = r.document_id JOIN residents res ON res.id = d.resident_id
         JOIN document_versions v ON v.id = r.version_id
         LEFT JOIN signature_signers s ON s.id = w.recorded_by_signer_id
        WHERE r.status = 'active' AND r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[])
        ORDER BY w.recorded_at`,
      [organisationId, establishmentIds],
    )) as Row[];
    return rows.map((x) => ({
      requestId: x.request_id,
      documentId: x.document_id,
      documentType: x.document_type,
      documentSubtype: x.document_subtype ?? null,
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      policy: x.policy,
      viewKey: x.view_key,
      recordedAt: x.recorded_at,
      recordedBy: x.by_first_name ? `${x.by_first_name} ${x.by_last_name}` : null,
      versionInput: { document: { residenceChoice: x.residence_choice } },
    }));
  }

  /**
   * For each resident still in the establishment, the latest signed avenant of each followed purpose
   * (an avenant of a template before 1.3.0 has no purpose: accompaniment), with a later one of the
   * same purpose not signed yet. Only those that may be due by `until` (the service's rules: the
   * annex on its `nextReview`; the accompaniment avenant on its `nextReview` or a year after it,
   * which `yearlyFrom` bounds: created on or before it).
   */
  async reviews(em: EntityManager, organisationId: string, establishmentIds: string[], today: string, until: string, yearlyFrom: string): Promise<ReviewRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `WITH av AS (
         SELECT d.id, d.resident_id, d.status, d.created_at, coalesce(v.input #>> '{document,purpose}', 'accompagnement') AS purpose, v.input #>> '{document,nextReview}' AS next_review
           FROM documents d JOIN document_versions v ON v.id = d.current_version_id
          WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[]) AND d.type = 'avenant' AND d.status NOT IN ('cancelled', 'refused')
       ), signed AS (
         SELECT DISTINCT ON (resident_id, purpose) * FROM av WHERE status = 'signed' AND purpose IN ('accompagnement', 'liberte-aller-venir') ORDER BY resident_id, purpose, created_at DESC, id
       )
       SELECT s.id, s.resident_id, s.purpose, s.created_at, (s.created_at AT TIME ZONE 'Europe/Paris')::date::text AS day, s.next_review,
              r.first_name, r.last_name, r.establishment_id, r.planned_end_date::text AS planned_end_date, n.id AS next_id, n.status AS next_status
         FROM signed s JOIN residents r ON r.id = s.resident_id
         LEFT JOIN LATERAL (SELECT a.id, a.status FROM av a WHERE a.resident_id = s.resident_id AND a.purpose = s.purpose AND a.status <> 'signed' AND a.created_at > s.created_at
                             ORDER BY a.created_at DESC LIMIT 1) n ON true
        WHERE r.organisation_id = $1 AND ${STILL_ACCOMPANIED}
          AND (s.next_review <= $4 OR s.next_review !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR s.next_review IS NULL
               OR (s.purpose = 'accompagnement' AND (s.created_at AT TIME ZONE 'Europe/Paris')::date <= $5::date))`,
      [organisationId, establishmentIds, today, until, yearlyFrom],
    )) as Row[];
    return rows.map((x) => ({
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      plannedEndDate: x.planned_end_date,
      purpose: x.purpose,
      documentId: x.id,
      createdAt: x.created_at,
      day: x.day,
      nextReview: x.next_review,
      next: x.next_id ? { id: x.next_id, status: x.next_status } : null,
    }));
  }

  /**
   * Sealed requests (completed, or established with a countersignature window open) of documents not
   * cancelled, where someone may still have to receive the established document in person (CASF
   * D.311 III): a signer of the person's side without e-mail, or whose completion e-mail failed, or
   * the person when she is not a signer, with no handover recorded for them. A superset: the
   * service applies handoverRecipients, as the document page does. With their signers and the events
   * that decide it, in the same query.
   */
  async pendingHandovers(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<HandoverRow[]> {
    if (!establishmentIds.length) return [];
    const handed = (key: string) => `EXISTS (SELECT 1 FROM signature_events h WHERE h.request_id = r.id AND h.kind = 'handed_over' AND h.details ->> 'recipientKey' = ${key})`;
    const rows = (await em.query(
      `SELECT r.id, r.document_id, d.type, d.subtype, d.resident_id, res.first_name, res.last_name, res.admission_date::text AS admission_date, r.establishment_id, r.policy,
              coalesce((SELECT min(e.at) FROM signature_events e WHERE e.request_id = r.id AND e.kind = 'sealed'), (SELECT min(sd.sealed_at) FROM sealed_documents sd WHERE sd.request_id = r.id)) AS established_at,
              (SELECT json_agg(json_build_object('id', s.id, 'key', s.key, 'role', s.role, 'firstName', s.first_name, 'lastName', s.last_name, 'capacity', s.capacity, 'email', s.email) ORDER BY s.order_no, s.key)
                 FROM signature_signers s WHERE s.request_id = r.id) AS signers,
              (SELECT json_agg(json_build_object('kind', e.kind, 'at', e.at, 'signerId', e.signer_id, 'details', e.details) ORDER BY e.at, e.id)
                 FROM signature_events e WHERE e.request_id = r.id AND e.kind IN ('handed_over', 'completion_sent', 'email_failed', 'email_skipped', 'kept_at_death')) AS events
         FROM signature_requests r JOIN documents d ON d.id = r.document_id JOIN residents res ON res.id = d.resident_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[]) AND d.status <> 'cancelled'
          AND EXISTS (SELECT 1 FROM sealed_documents sd WHERE sd.request_id = r.id)
          AND (EXISTS (SELECT 1 FROM signature_signers s WHERE s.request_id = r.id AND s.role <> 'director' AND NOT ${handed('s.key')}
                         AND (s.email IS NULL OR EXISTS (SELECT 1 FROM signature_events f WHERE f.request_id = r.id AND f.signer_id = s.id AND f.kind = 'email_failed')))
               OR (NOT EXISTS (SELECT 1 FROM signature_signers s WHERE s.request_id = r.id AND s.role = 'resident') AND NOT ${handed(`'resident'`)}))
        ORDER BY established_at`,
      [organisationId, establishmentIds],
    )) as Row[];
    return rows.map((x) => ({
      requestId: x.id,
      documentId: x.document_id,
      documentType: x.type,
      documentSubtype: x.subtype ?? null,
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      policy: x.policy,
      establishedAt: x.established_at,
      admissionDate: x.admission_date,
      signers: x.signers ?? [],
      // json_agg gives the instants as text.
      events: ((x.events ?? []) as { kind: string; at: string; signerId: string | null; details: Record<string, unknown> | null }[]).map((e) => ({ ...e, at: new Date(e.at) })),
    }));
  }

  /** Documents whose generation failed (status `generation_failed`), with their version's error code. */
  async failedGenerations(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<FailedGenerationRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `SELECT d.id, d.type, d.subtype, d.resident_id, res.first_name, res.last_name, d.establishment_id, d.updated_at, v.status AS version_status, v.error_code
         FROM documents d JOIN residents res ON res.id = d.resident_id LEFT JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[]) AND d.status = 'generation_failed'
          -- A draft contract of a stay whose other contract is signed is never corrected nor sent (CASF L.311-4, D.311): nothing to retry.
          AND NOT ${supersededContractSql('d')}
        ORDER BY d.updated_at`,
      [organisationId, establishmentIds],
    )) as Row[];
    return rows.map((x) => ({
      documentId: x.id,
      documentType: x.type,
      documentSubtype: x.subtype ?? null,
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      since: x.updated_at,
      versionStatus: x.version_status,
      errorCode: x.error_code,
    }));
  }

  /**
   * The access requests not yet answered in these establishments (the person's establishment):
   * not failed (unless after the death with a selection whose zip failed: retried by recording it
   * again); after the death (CSP), neither delivered nor refused; the person's own (RGPD
   * art. 15), not yet downloaded by whoever asked (OPEN_ACCESS_REQUEST_SQL, the rule @carepact/archive reads too).
   */
  async openAccessRequests(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<OpenAccessRequestRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `SELECT j.id, j.params->>'residentId' AS resident_id, res.first_name, res.last_name, res.establishment_id,
              j.params->'request'->>'from' AS from_kind,
              coalesce(j.params->'request'->>'receivedOn', (j.created_at AT TIME ZONE 'Europe/Paris')::date::text) AS received_on,
              j.params->'request'->>'answerDue' AS answer_due, j.params->'request'->>'answerDueOlderInformation' AS answer_due_older,
              j.params->'request'->>'answerDueOtherData' AS answer_due_other,
              j.params->'request'->>'notBefore' AS not_before, j.status, j.answer->>'state' AS answer_state,
              coalesce(s.name, j.requested_by) AS requested_by_name, j.created_at
         FROM data_jobs j
         JOIN residents res ON res.id::text = j.params->>'residentId' AND res.organisation_id = j.organisation_id
         LEFT JOIN staff_users s ON j.requested_by = 'staff:' || s.id::text
        WHERE j.organisation_id = $1 AND j.kind = 'access_request' AND res.establishment_id = ANY($2::uuid[])
          AND ${OPEN_ACCESS_REQUEST_SQL}
        ORDER BY j.created_at`,
      [organisationId, establishmentIds],
    )) as Row[];
    return rows.map((x) => ({
      jobId: x.id,
      residentId: x.resident_id,
      residentName: `${x.first_name} ${x.last_name}`,
      establishmentId: x.establishment_id,
      from: x.from_kind ?? null,
      receivedOn: x.received_on,
      answerDue: x.answer_due ?? null,
      answerDueOlderInformation: x.answer_due_older ?? null,
      answerDueOtherData: x.answer_due_other ?? null,
      notBefore: x.not_before ?? null,
      status: x.status,
      answerState: x.answer_state ?? null,
      requestedByName: x.requested_by_name,
      createdAt: x.created_at,
    }));
  }

  private async inboxRows(em: EntityManager, sql: string, params: unknown[]): Promise<InboxRow[]> {
    const rows = (await em.query(sql, params)) as Row[];
    return rows.map((x) => ({
      id: x.id,
      requestId: x.request_id,
      documentId: x.document_id,
      documentType: x.document_type,
      documentSubtype: x.document_subtype ?? null,
      residentId: x.resident_id,
      residentName: `${x.resident_first_name} ${x.resident_last_name}`,
      establishmentId: x.establishment_id,
      signerName: `${x.first_name} ${x.last_name}`,
      capacity: x.capacity,
      at: x.at,
      ...(x.policy ? { assistance: assistsThePerson(x.policy, x.key) } : {}),
      ...(x.signer_role ? { signerRole: x.signer_role } : {}),
      ...(x.optional === true ? { optional: true } : {}),
      ...(x.policy && assistsThePerson(x.policy, x.key)
        ? {
            soleSignature: x.sole_signature ? { documentReady: x.document_ready === true, otherVersion: x.other_version === true } : null,
            assistantMeasure: (x.policy as PolicyDecision).signers.find((s) => s.key === x.key)?.measure?.type ?? null,
          }
        : {}),
    }));
  }
}

/** An access request not yet answered (data_jobs, kind access_request): openAccessRequests. */
export interface OpenAccessRequestRow {
  jobId: string;
  residentId: string;
  residentName: string;
  establishmentId: string;
  /** person, representative (RGPD art. 15), ayant_droit, parental_authority (CSP L.1110-4 V); null: no request recorded (active base). */
  from: string | null;
  receivedOn: string;
  /** Recorded with the request; null for one recorded without it (answer due a month after the day it was recorded, RGPD art. 12.3). */
  answerDue: string | null;
  answerDueOlderInformation: string | null;
  /** A living person's request about her health information (CSP L.1111-7): RGPD art. 12(3)'s month for her other data; null otherwise. */
  answerDueOtherData?: string | null;
  /** CSP L.1111-7 al. 2: nothing communicated before this instant (ISO). */
  notBefore: string | null;
  status: string;
  answerState: string | null;
  requestedByName: string;
  createdAt: Date;
}
