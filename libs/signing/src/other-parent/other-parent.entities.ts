import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DocumentEntity, DocumentVersionEntity } from '@carepact/documents';

/** How the other parent was informed (the console's choices; stored as these codes). */
export const OTHER_PARENT_INFORMED_HOW = ['courrier', 'email', 'main_propre', 'entretien', 'autre'] as const;
export type OtherParentInformedHow = (typeof OTHER_PARENT_INFORMED_HOW)[number];

/**
 * « Autre parent informé le … » (C. civ. 373-2-1 al. 5: the parent without the exercise of parental
 * authority « doit être informé des choix importants relatifs à la vie » of the child): one record
 * that staff informed him of this document — the day, how, an optional note, the version then current.
 * Several per document (the admission, then a later version). Written once; deleted only with its
 * document, by the retention purge (ON DELETE CASCADE; the write-once trigger lets only the purge through).
 */
@Entity({ name: 'other_parent_informed' })
@Index('ix_other_parent_informed_document', ['documentId', 'recordedAt'])
@Check('ck_other_parent_informed_how', `how IN ('courrier', 'email', 'main_propre', 'entretien', 'autre')`)
export class OtherParentInformedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_other_parent_informed' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => DocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_other_parent_informed_document' })
  document?: Relation<DocumentEntity>;

  /** The document's current version when the record was made: what the other parent was informed of. */
  @Column({ type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_other_parent_informed_version' })
  version?: Relation<DocumentVersionEntity>;

  /** The day he was informed (never in the future, never before the document was created). */
  @Column({ type: 'date' })
  informedOn: string;

  @Column({ type: 'text' })
  how: OtherParentInformedHow;

  /** Staff's own words (content: shown to `document.content` readers only; its SHA-256 in the audit chain). */
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

export const OTHER_PARENT_ENTITIES = [OtherParentInformedEntity];
