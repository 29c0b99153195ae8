import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DOCUMENT_TYPE_LABELS, type DocumentSubtype } from '@carepact/common';
import { EstablishmentEntity, OrganisationEntity } from '@carepact/identity';
import { ResidentEntity } from '@carepact/residents';
import type { VersionAnnex } from './annexes/annex-files.entities';

export const DOCUMENT_TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
// Every document type has its French labels in @carepact/common (fails to compile otherwise).
const _LABELLED_DOCUMENT_TYPES: Readonly<Record<DocumentType, unknown>> = DOCUMENT_TYPE_LABELS;

/** Lifecycle of a document; its moves are in document-lifecycle.ts (signing asks for the signature ones). */
export const DOCUMENT_STATUSES = ['generating', 'ready', 'generation_failed', 'in_signature', 'signed', 'refused', 'cancelled'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const VERSION_STATUSES = ['pending', 'ready', 'failed'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Content-addressed storage: one row per distinct content, whatever the number of renditions using it. */
@Entity({ name: 'blobs' })
export class BlobEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_blobs' })
  sha256: string;

  @Column({ type: 'int' })
  byteSize: number;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'documents' })
@Index('ix_documents_resident', ['organisationId', 'residentId'])
@Check('ck_documents_type', `type IN ('contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese')`)
@Check(
  'ck_documents_status',
  `status IN ('generating', 'ready', 'generation_failed', 'in_signature', 'signed', 'refused', 'cancelled')`,
)
// Migrations 1764110000000, 1764150000000 (the tariff avenant): only an avenant has a subtype (what it amends, fr-fr.ts DOCUMENT_SUBTYPES).
@Check(
  'ck_documents_subtype',
  `subtype IS NULL OR (type = 'avenant' AND subtype IN ('avenant-dipc', 'annexe-liberte-aller-venir', 'avenant-tarifaire', 'avenant-tarifaire-dipc'))`,
)
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_documents' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_documents_organisation' })
  organisation?: Relation<OrganisationEntity>;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_documents_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  @Column({ type: 'uuid' })
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_documents_resident' })
  resident?: Relation<ResidentEntity>;

  @Column({ type: 'text' })
  type: DocumentType;

  /**
   * What an avenant amends, for its name (@carepact/common documentSubtypeOf, documentTypeLabel):
   * `avenant-dipc`, `annexe-liberte-aller-venir`, `avenant-tarifaire`, `avenant-tarifaire-dipc`, or
   * null (the type's name). Written with each version from its data (DocumentsService), so lists
   * name it without reading the data (migrations 1764110000000, 1764150000000).
   */
  @Column({ type: 'text', nullable: true })
  subtype: DocumentSubtype | null;

  @Column({ type: 'text' })
  status: DocumentStatus;

  /** The latest version (the one shown and sent); null until the first is requested. */
  @Column({ type: 'uuid', nullable: true })
  currentVersionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One generation of a document: immutable once ready (a trigger refuses later edits). A change is
 * a new version with its reason.
 */
@Entity({ name: 'document_versions' })
@Index('uq_document_versions_number', ['documentId', 'number'], { unique: true })
@Check('ck_document_versions_status', `status IN ('pending', 'ready', 'failed')`)
export class DocumentVersionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_document_versions' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_document_versions_document' })
  document?: Relation<DocumentEntity>;

  @Column({ type: 'int' })
  number: number;

  /** Why this version exists: "Création", "Correction avant signature : …". */
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  status: VersionStatus;

  @Column({ type: 'text' })
  templateId: string;

  @Column({ type: 'text' })
  templateVersion: string;

  @Column({ type: 'text' })
  templateHash: string;

  @Column({ type: 'text' })
  rendererVersion: string;

  /** The input snapshot: establishment, resident and document data as they were at request time. */
  @Column({ type: 'jsonb' })
  input: Record<string, unknown>;

  @Column({ type: 'text' })
  inputHash: string;

  /**
   * The documents handed over with the contract, as they were when this version was created (CASF
   * L.311-4; annexes/annex-files.entities.ts): each annex key with the file then current, its id
   * and SHA-256. Set for a contrat de séjour, a DIPC and an avenant; null for the other types and
   * for versions created before it was recorded. Never changed (a trigger refuses it).
   */
  @Column({ type: 'jsonb', nullable: true })
  annexes: VersionAnnex[] | null;

  @Column({ type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  generatedAt: Date | null;
}

@Entity({ name: 'renditions' })
@Index('uq_renditions_version_format_variant', ['versionId', 'format', 'variant'], { unique: true })
@Check('ck_renditions_format', `format IN ('pdf', 'docx', 'html')`)
@Check('ck_renditions_variant', `variant IN ('standard', 'falc', 'large-print')`)
export class RenditionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_renditions' })
  id: string;

  @Column({ type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_renditions_version' })
  version?: Relation<DocumentVersionEntity>;

  @Column({ type: 'text' })
  format: 'pdf' | 'docx' | 'html';

  @Column({ type: 'text' })
  variant: 'standard' | 'falc' | 'large-print';

  @Column({ type: 'text' })
  blobSha256: string;

  @ManyToOne(() => BlobEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'blob_sha256', foreignKeyConstraintName: 'fk_renditions_blob' })
  blob?: Relation<BlobEntity>;

  @Column({ type: 'int' })
  byteSize: number;

  @Column({ type: 'text' })
  mediaType: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

export const DOCUMENTS_ENTITIES = [BlobEntity, DocumentEntity, DocumentVersionEntity, RenditionEntity];
