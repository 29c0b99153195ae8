import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import {
  PortalSessionEntity,
  RecordedViewEntity,
  SealedDocumentEntity,
  SignatureEventEntity,
  SignatureRequestEntity,
  SignerEntity,
  SignerQuestionEntity,
  SigningLinkEntity,
} from './signing.entities';

@Injectable()
export class SigningRepository {
  findRequest(em: EntityManager, organisationId: string, id: string): Promise<SignatureRequestEntity | null> {
    return em.findOne(SignatureRequestEntity, { where: { id, organisationId } });
  }

  requestById(em: EntityManager, id: string): Promise<SignatureRequestEntity | null> {
    return em.findOne(SignatureRequestEntity, { where: { id } });
  }

  lockRequest(em: EntityManager, id: string): Promise<SignatureRequestEntity | null> {
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
    const rank = (s: SignerEntity) => (s.role === 'resident' ? 0 : s.role === 'director' ? 2 : 1);
    const rows = await em.find(SignerEntity, { where: { requestId }, order: { orderNo: 'ASC', key: 'ASC' } });
    return rows.sort((a, b) => a.orderNo - b.orderNo || rank(a) - rank(b) || a.key.localeCompare(b.key));
  }

  signerById(em: EntityManager, id: string): Promise<SignerEntity | null> {
    return em.findOne(SignerEntity, { where: { id } });
  }

  eventsOf(em: EntityManager, requestId: string): Promise<SignatureEventEntity[]> {
    return em.find(SignatureEventEntity, { where: { requestId }, order: { at: 'ASC', id: 'ASC' } });
  }

  viewsOf(em: EntityManager, requestId: string): Promise<RecordedViewEntity[]> {
    return em.find(RecordedViewEntity, { where: { requestId }, order: { recordedAt: 'ASC' } });
  }

  questionsOf(em: EntityManager, requestIds: string[]): Promise<SignerQuestionEntity[]> {
    if (!requestIds.length) return Promise.resolve([]);
    return em.find(SignerQuestionEntity, { where: { requestId: In(requestIds) }, order: { askedAt: 'ASC' } });
  }

  sealOf(em: EntityManager, requestId: string): Promise<SealedDocumentEntity | null> {
    return em.findOne(SealedDocumentEntity, { where: { requestId } });
  }

  linkByTokenHash(em: EntityManager, tokenHash: string): Promise<SigningLinkEntity | null> {
    return em.findOne(SigningLinkEntity, { where: { tokenHash } });
  }

  async revokeLinks(em: EntityManager, signerId: string, now: Date): Promise<number> {
    const r = await em.update(SigningLinkEntity, { signerId, revokedAt: IsNull(), usedAt: IsNull() }, { revokedAt: now });
    return r.affected ?? 0;
  }

  async revokeAllLinks(em: EntityManager, requestId: string, now: Date): Promise<void> {
    await em.update(SigningLinkEntity, { requestId, revokedAt: IsNull() }, { revokedAt: now });
  }

  sessionByTokenHash(em: EntityManager, tokenHash: string): Promise<PortalSessionEntity | null> {
    return em.findOne(PortalSessionEntity, { where: { tokenHash } });
  }

  /** Requests with something for staff to see: refusals not acknowledged, questions not answered. */
  async inbox(em: EntityManager, organisationId: string, establishmentIds: string[]) {
    if (!establishmentIds.length) return { refusals: [], questions: [] };
    const refusals = (await em.query(
      `SELECT s.id AS signer_id, s.request_id, s.first_name, s.last_name, s.capacity, s.refusal_reason, s.acted_at, r.document_id
         FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2) AND s.status = 'refused' AND s.refusal_acknowledged_at IS NULL
        ORDER BY s.acted_at`,
      [organisationId, establishmentIds],
    )) as Record<string, unknown>[];
    const questions = (await em.query(
      `SELECT q.id, q.request_id, q.signer_id, q.message, q.asked_at, s.first_name, s.last_name, r.document_id
         FROM signer_questions q JOIN signature_requests r ON r.id = q.request_id JOIN signature_signers s ON s.id = q.signer_id
        WHERE r.organisation_id = $1 AND r.establishment_id = ANY($2) AND q.answered_at IS NULL
        ORDER BY q.asked_at`,
      [organisationId, establishmentIds],
    )) as Record<string, unknown>[];
    return { refusals, questions };
  }
}
