import { Injectable } from '@nestjs/common';
import { calendarDayIn } from '@carepact/common';
import { archiveClosedSql } from '@carepact/documents';
import { EntityManager, In } from 'typeorm';
import {
  PaperSignatureEntity,
  RecordedViewEntity,
  SealedDocumentEntity,
  SignatureEventEntity,
  SignatureRequestEntity,
  SignerEntity,
  SignerQuestionEntity,
  type RequestMode,
  type SignerStatus,
} from './signing.entities';
import { bySigningOrder } from './whose-turn';

/** A signer of a request in progress, as the worklist and the inbox need it. */
export interface ActiveSignerRow {
  id: string;
  key: string;
  role: string;
  firstName: string;
  lastName: string;
  capacity: string;
  orderNo: number;
  optional: boolean;
  status: SignerStatus;
  delivery: string;
  actedAt: Date | null;
  lastEmailStatus: string | null;
}

/** A request in progress with its document, resident and signers (one query for all of them). */
export interface ActiveRequestRow {
  id: string;
  documentId: string;
  documentType: string;
  /** What an avenant amends, for its name (documents.subtype, @carepact/common documentTypeLabel). */
  documentSubtype: string | null;
  residentId: string;
  residentName: string;
  establishmentId: string;
  mode: RequestMode;
  createdAt: Date;
  deadline: Date;
  legalDeadline: Date | null;
  signers: ActiveSignerRow[];
  /** The seal failed for good and was not retried since (the latest `seal_failed` / `seal_retried` event is a failure): its code and when. */
  sealFailure: { code: string; at: Date } | null;
}

@Injectable()
export class SigningRepository {
  findRequest(em: EntityManager, organisationId: string, id: string): Promise<SignatureRequestEntity | null> {
    return em.findOne(SignatureRequestEntity, { where: { id, organisationId } });
  }

  requestById(em: EntityManager, id: string): Promise<SignatureRequestEntity | null> {
    return em.findOne(SignatureRequestEntity, { where: { id } });
  }

  /**
   * The request, locked until the transaction ends. A contrat de séjour's request locks its
   * resident's row first (FOR NO KEY UPDATE, as DocumentsRepository.lockResident), always in that
   * order: the contract that becomes concluded checks the other contracts of the admission and
   * cancels their requests under that lock (contract-in-force.ts, CASF L.311-4), so that two of them
   * never both complete, and no two transactions ever wait on each other's request and resident.
   */
  async lockRequest(em: EntityManager, id: string): Promise<SignatureRequestEntity | null> {
    await em.query(
      `SELECT 1 FROM residents WHERE id = (SELECT d.resident_id FROM signature_requests r JOIN documents d ON d.id = r.document_id WHERE r.id = $1 AND d.type = 'contrat-sejour')
          FOR NO KEY UPDATE`,
      [id],
    );
    return em.createQueryBuilder(SignatureRequestEntity, 'r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  requestsOfDocument(em: EntityManager, documentId: string): Promise<SignatureRequestEntity[]> {
    return em.find(SignatureRequestEntity, { where: { documentId }, order: { createdAt: 'DESC' } });
  }

  activeRequestOfDocument(em: EntityManager, documentId: string): Promise<SignatureRequestEntity | null> {
    return em.findOne(SignatureRequestEntity, { where: { documentId, status: 'active' } });
  }

  /** In signing order; within an order, the person first and the establishment last. */
  async signersOf(em: EntityManager, requestId: string): Promise<SignerEntity[]> {
    const rows = await em.find(SignerEntity, { where: { requestId }, order: { orderNo: 'ASC', key: 'ASC' } });
    return rows.sort(bySigningOrder);
  }

  signerById(em: EntityManager, id: string): Promise<SignerEntity | null> {
    return em.findOne(SignerEntity, { where: { id } });
  }

  eventsOf(em: EntityManager, requestId: string): Promise<SignatureEventEntity[]> {
    return em.find(SignatureEventEntity, { where: { requestId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /**
   * The signers whose optional signature lapsed at the person's death (`lapsed_at_death` events), with
   * the date of death each recorded: they stay `pending` in their row, but no one may sign in their
   * place any more (C. civ. 443 al. 1) — no link, no reminder, no countersignature window for them.
   */
  async lapsedAtDeathOf(em: EntityManager, requestId: string): Promise<Map<string, string>> {
    const rows = (await em.query(`SELECT signer_id AS "signerId", details->>'deceasedOn' AS "deceasedOn" FROM signature_events WHERE request_id = $1 AND kind = 'lapsed_at_death' AND signer_id IS NOT NULL`, [
      requestId,
    ])) as { signerId: string; deceasedOn: string }[];
    return new Map(rows.map((r) => [r.signerId, r.deceasedOn]));
  }

  viewsOf(em: EntityManager, requestId: string): Promise<RecordedViewEntity[]> {
    return em.find(RecordedViewEntity, { where: { requestId }, order: { recordedAt: 'ASC' } });
  }

  questionsOf(em: EntityManager, requestIds: string[]): Promise<SignerQuestionEntity[]> {
    if (!requestIds.length) return Promise.resolve([]);
    return em.find(SignerQuestionEntity, { where: { requestId: In(requestIds) }, order: { askedAt: 'ASC' } });
  }

  /**
   * A stamp of what a seal's evidence is built from: the request's signers and recorded views (each
   * row whole: a change to any column changes it) and its paper scan. Equal stamps read before and
   * after the evidence was built mean that none of it changed in between.
   */
  async sealInputsStamp(em: EntityManager, requestId: string): Promise<string> {
    const [row] = (await em.query(
      `SELECT (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY s.id), '')) FROM signature_signers s WHERE s.request_id = $1)
              || ':' || (SELECT md5(coalesce(string_agg(v::text, '|' ORDER BY v.id), '')) FROM recorded_views v WHERE v.request_id = $1)
              || ':' || (SELECT count(*) FROM paper_signatures p WHERE p.request_id = $1)
              || ':' || (SELECT count(*) FROM signature_events e WHERE e.request_id = $1 AND e.kind = 'lapsed_at_death') AS stamp`,
      [requestId],
    )) as { stamp: string }[];
    return row.stamp;
  }

  /** The request's sealed document: its latest edition (a DIPC countersigned after it was established is sealed again). */
  sealOf(em: EntityManager, requestId: string): Promise<SealedDocumentEntity | null> {
    return em.findOne(SealedDocumentEntity, { where: { requestId }, order: { edition: 'DESC' } });
  }

  /** Every sealed edition of a request, the first first. */
  sealsOf(em: EntityManager, requestId: string): Promise<SealedDocumentEntity[]> {
    return em.find(SealedDocumentEntity, { where: { requestId }, order: { edition: 'ASC' } });
  }

  /** The scan of the signed paper, when the request was signed on paper. */
  paperOf(em: EntityManager, requestId: string): Promise<PaperSignatureEntity | null> {
    return em.findOne(PaperSignatureEntity, { where: { requestId } });
  }

  /**
   * Requests with something for staff to see: refusals not acknowledged, questions not answered.
   * What the signer wrote (the refusal's reason, the question) is content: past the active base,
   * withheld (NULL, '') from a reader who has not opened the person's archive (`reader`:
   * intermediate-archive.ts), as the request's own view withholds it; the row stays, to be handled.
   */
  async inbox(em: EntityManager, organisationId: string, establishmentIds: string[], reader: { userId: string; now: Date }) {
    if (!establishmentIds.length) return { refusals: [], questions: [] };
    const closed = archiveClosedSql('d.resident_id', { day: '$3', userId: '$4', now: '$5' });
    const params = [organisationId, establishmentIds, calendarDayIn(reader.now), reader.userId, reader.now];
    const refusals = (await em.query(
      `SELECT s.id AS signer_id, s.request_id, s.first_name, s.last_name, s.capacity, CASE WHEN ${closed} THEN NULL ELSE s.refusal_reason END AS refusal_reason, s.acted_at, r.document_id,
              d.type AS document_type, s.role AS signer_role, s.optional
         FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id JOIN documents d ON d.id = r.document_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2) AND s.status = 'refused' AND s.refusal_acknowledged_at IS NULL
        ORDER BY s.acted_at`,
      params,
    )) as Record<string, unknown>[];
    const questions = (await em.query(
      `SELECT q.id, q.request_id, q.signer_id, CASE WHEN ${closed} THEN '' ELSE q.message END AS message, q.asked_at, s.first_name, s.last_name, r.document_id
         FROM signer_questions q JOIN signature_requests r ON r.id = q.request_id JOIN signature_signers s ON s.id = q.signer_id JOIN documents d ON d.id = r.document_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2) AND q.answered_at IS NULL
        ORDER BY q.asked_at`,
      params,
    )) as Record<string, unknown>[];
    return { refusals, questions };
  }

  /** The requests in progress of some establishments, each with its signers in signing order. */
  async activeRequests(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<ActiveRequestRow[]> {
    if (!establishmentIds.length) return [];
    const rows = (await em.query(
      `SELECT r.id, r.document_id, d.type AS document_type, d.subtype AS document_subtype, d.resident_id, res.first_name AS resident_first_name, res.last_name AS resident_last_name,
              r.establishment_id, r.mode, r.created_at, r.deadline, r.legal_deadline,
              s.id AS signer_id, s.key, s.role, s.first_name, s.last_name, s.capacity, s.order_no, s.optional, s.status, s.delivery, s.acted_at, s.last_email_status,
              sf.kind AS seal_event, sf.at AS seal_event_at, sf.code AS seal_code
         FROM signature_requests r
         JOIN documents d ON d.id = r.document_id
         JOIN residents res ON res.id = d.resident_id
         JOIN signature_signers s ON s.request_id = r.id
         -- The latest seal failure or retry of the request (index ix_signature_events_request): a failure not retried is to be handled.
         LEFT JOIN LATERAL (SELECT e.kind, e.at, e.details->>'code' AS code FROM signature_events e
                             WHERE e.request_id = r.id AND e.kind IN ('seal_failed', 'seal_retried') ORDER BY e.at DESC, e.id DESC LIMIT 1) sf ON true
        WHERE r.status = 'active' AND r.organisation_id = $1 AND r.establishment_id = ANY($2::uuid[])
        ORDER BY r.deadline, r.id`,
      [organisationId, establishmentIds],
    )) as Record<string, never>[];
    const byId = new Map<string, ActiveRequestRow>();
    for (const x of rows) {
      let r = byId.get(x.id);
      if (!r) {
        r = {
          id: x.id,
          documentId: x.document_id,
          documentType: x.document_type,
          documentSubtype: x.document_subtype ?? null,
          residentId: x.resident_id,
          residentName: `${x.resident_first_name} ${x.resident_last_name}`,
          establishmentId: x.establishment_id,
          mode: x.mode,
          createdAt: x.created_at,
          deadline: x.deadline,
          legalDeadline: x.legal_deadline,
          signers: [],
          sealFailure: x.seal_event === 'seal_failed' ? { code: x.seal_code ?? 'JOB_FAILED', at: x.seal_event_at } : null,
        };
        byId.set(x.id, r);
      }
      r.signers.push({
        id: x.signer_id,
        key: x.key,
        role: x.role,
        firstName: x.first_name,
        lastName: x.last_name,
        capacity: x.capacity,
        orderNo: x.order_no,
        optional: x.optional,
        status: x.status,
        delivery: x.delivery,
        actedAt: x.acted_at,
        lastEmailStatus: x.last_email_status,
      });
    }
    for (const r of byId.values()) r.signers.sort(bySigningOrder);
    return [...byId.values()];
  }
}
