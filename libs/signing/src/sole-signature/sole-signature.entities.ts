import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DocumentEntity, DocumentVersionEntity } from '@carepact/documents';
import { SignatureRequestEntity } from '../requests/signing.entities';

/**
 * The judge's authorisation for the person to sign one document alone, her curateur having refused
 * to assist her (C. civ. 469 al. 3) — or the personne habilitée who assists her « dans les
 * conditions prévues à l'article 467 » (C. civ. 494-1 al. 1), a difficulty the judge settles
 * (C. civ. 494-10). It is for one act: the version of the contract, avenant or DIPC whose assistance
 * was refused (`versionId` and its hashes), not a later version of the document, and it was given
 * under one measure (`measureId`): under another one, or for another version, the policy does not
 * rely on it (policy/sole-signature.ts soleSignatureSetAside). Written once: a correction is a new
 * row, the latest one applies (each one audited). Deleted only with its document, by the retention purge (ON DELETE CASCADE
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

  /**
   * The version the refused request carried: the act the assistant refused and the judge authorised.
   * The person signs alone that version only; a new version goes to the assistant again.
   */
  @Column({ type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_sole_signature_authorisations_version' })
  version?: Relation<DocumentVersionEntity>;

  /** That version's input snapshot hash (document_versions.input_hash): what the content was. */
  @Column({ type: 'text' })
  versionInputHash: string;

  /** That version's template hash (document_versions.template_hash). */
  @Column({ type: 'text' })
  versionTemplateHash: string;

  /** The protection measure the refusal was made under (the refusing assistant's); no foreign key: a later measure sets it aside. */
  @Column({ type: 'uuid' })
  measureId: string;

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
