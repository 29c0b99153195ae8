import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DocumentEntity, DocumentVersionEntity } from '@carepact/documents';
import { EstablishmentEntity } from '@carepact/identity';
import { SignerQuestionEntity } from '../requests/signing.entities';

/** Who gives the internal visa before a document is sent for signature (issue 10, item 3). */
export const VISA_APPROVER_ROLES = ['coordinator', 'director'] as const;
export type VisaApproverRole = (typeof VISA_APPROVER_ROLES)[number];

/**
 * Per establishment and document type, the role whose visa a generated document needs before it
 * is sent for signature. No row: no visa. Set by the director or an administrator.
 */
@Entity({ name: 'document_visa_rules' })
@Check('ck_document_visa_rules_role', `approver_role IN ('coordinator', 'director')`)
@Check('ck_document_visa_rules_type', `document_type IN ('contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese')`)
export class DocumentVisaRuleEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_document_visa_rules' })
  establishmentId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_document_visa_rules' })
  documentType: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_document_visa_rules_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  approverRole: VisaApproverRole;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;
}

/**
 * The visa given (or refused) on one version of a document: one decision per version, never
 * changed (a refused version is corrected, which makes a new version asking for a new visa).
 */
@Entity({ name: 'document_visas' })
@Index('uq_document_visas_version', ['versionId'], { unique: true })
@Index('ix_document_visas_document', ['documentId'])
@Check('ck_document_visas_decision', `decision IN ('approved', 'rejected')`)
@Check('ck_document_visas_role', `approver_role IN ('coordinator', 'director')`)
export class DocumentVisaEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_document_visas' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_document_visas_document' })
  document?: Relation<DocumentEntity>;

  @Column({ type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_document_visas_version' })
  version?: Relation<DocumentVersionEntity>;

  @Column({ type: 'text' })
  approverRole: VisaApproverRole;

  @Column({ type: 'text' })
  decision: 'approved' | 'rejected';

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'uuid' })
  decidedBy: string;

  @Column({ type: 'text' })
  decidedByName: string;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}

/**
 * Answers given to a signer's question after the first (issue 7 item 14: the first stays the
 * question's answer, a later one is a new event): kept, written once, so that the signer reads
 * them too (issue 10 item 3: the answer is sent to the signer).
 */
@Entity({ name: 'signer_question_answers' })
@Index('ix_signer_question_answers_question', ['questionId'])
export class SignerQuestionAnswerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signer_question_answers' })
  id: string;

  @Column({ type: 'uuid' })
  questionId: string;

  @ManyToOne(() => SignerQuestionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'question_id', foreignKeyConstraintName: 'fk_signer_question_answers_question' })
  question?: Relation<SignerQuestionEntity>;

  @Column({ type: 'text' })
  answer: string;

  @Column({ type: 'uuid' })
  answeredBy: string;

  @Column({ type: 'timestamptz' })
  answeredAt: Date;
}

export const VISA_ENTITIES = [DocumentVisaRuleEntity, DocumentVisaEntity, SignerQuestionAnswerEntity];
