import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DocumentEntity } from '@carepact/documents';
import { SignatureRequestEntity } from '../requests/signing.entities';

/**
 * The judge's authorisation for the person to sign one document alone, her curateur (or the
 * personne habilitée who assists her) having refused to assist her (C. civ. 469 al. 3; 494-1 al. 2):
 * it is for one act, so it belongs to the document — the contract, avenant or DIPC the assistant
 * refused — not to the measure. Written once: a correction is a new row, the latest one applies
 * (each one audited). Deleted only with its document, by the retention purge (ON DELETE CASCADE
 * from documents and from the refused request; the write-once trigger lets only the purge through).
 */
@Entity({ name: 'sole_signature_authorisations' })
@Index('ix_sole_signature_authorisations_document', ['documentId', 'recordedAt'])
export class SoleSignatureAuthorisationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sole_signature_authorisations' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => DocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_sole_signature_authorisations_document' })
  document?: Relation<DocumentEntity>;

  /** The request the assistant refused to assist her on: what the authorisation answers. */
  @Column({ type: 'uuid' })
  refusedRequestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'refused_request_id', foreignKeyConstraintName: 'fk_sole_signature_authorisations_request' })
  refusedRequest?: Relation<SignatureRequestEntity>;

  /** The court or judge who gave the ordonnance, as it names itself. */
  @Column({ type: 'text' })
  court: string;

  /** Date of the ordonnance (never in the future when recorded). */
  @Column({ type: 'date' })
  decisionDate: string;

  /** Reference of the ordonnance (n° RG, minute…). */
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Null when a system command recorded it. */
  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ type: 'text' })
  recordedByName: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}

export const SOLE_SIGNATURE_ENTITIES = [SoleSignatureAuthorisationEntity];
