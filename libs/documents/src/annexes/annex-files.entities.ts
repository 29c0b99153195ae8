import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { EstablishmentEntity, OrganisationEntity } from '@carepact/identity';
import { BlobEntity } from '../documents.entities';

/**
 * One published file of a document handed over with the contract (CASF L.311-4: livret d'accueil,
 * charte des droits et libertés, règlement de fonctionnement; the notice on the personne de
 * confiance, D.311-0-4): the PDF as published (a blob, by its SHA-256), its version label and the
 * day it takes effect. Written once: a new version is a new row, the latest one in effect is the
 * current one (AnnexFilesRepository.current). `kind` is one of the establishment's annex keys
 * (EstablishmentEntity.annexes), the key the templates label.
 */
@Entity({ name: 'establishment_annex_files' })
@Index('ix_establishment_annex_files_current', ['establishmentId', 'kind', 'effectiveOn', 'publishedAt'])
export class EstablishmentAnnexFileEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_establishment_annex_files' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_establishment_annex_files_organisation' })
  organisation?: Relation<OrganisationEntity>;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_establishment_annex_files_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  /** The annex key, e.g. "livret-accueil-2026" (one of the establishment's `annexes`). */
  @Column({ type: 'text' })
  kind: string;

  /** What the establishment calls this version: « Édition 2026 », « Version du 12 mars 2026 ». */
  @Column({ type: 'text' })
  versionLabel: string;

  /** The day this version takes effect (YYYY-MM-DD, Paris); until then the previous one stays current. */
  @Column({ type: 'date' })
  effectiveOn: string;

  @Column({ type: 'text' })
  blobSha256: string;

  @ManyToOne(() => BlobEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'blob_sha256', foreignKeyConstraintName: 'fk_establishment_annex_files_blob' })
  blob?: Relation<BlobEntity>;

  @Column({ type: 'int' })
  byteSize: number;

  @Column({ type: 'int' })
  pageCount: number;

  /** The staff member who published it; null for the system (the demo seed, a CLI command). */
  @Column({ type: 'uuid', nullable: true })
  publishedBy: string | null;

  /** Their name then (or the system's label), as the admin page and the evidence say it. */
  @Column({ type: 'text' })
  publishedByName: string;

  @Column({ type: 'timestamptz' })
  publishedAt: Date;
}

/**
 * What a document version recorded of one annex when it was created (document_versions.annexes):
 * the key, its label in the version's template, the day whose file in force was recorded
 * (`inForceOn`: the day the document's data say the annexes were handed over, or the version's
 * creation day when they do not say; CASF L.311-4) and that file, as published by the version's
 * creation (null: no file in force that day — « aucun fichier déposé »).
 */
export interface VersionAnnex {
  key: string;
  label: string;
  /** YYYY-MM-DD (Paris). Absent from records made before it was written (they recorded the creation day's files). */
  inForceOn?: string;
  file: VersionAnnexFile | null;
}

export interface VersionAnnexFile {
  id: string;
  versionLabel: string;
  effectiveOn: string;
  sha256: string;
  byteSize: number;
  /** When it was published (ISO instant): a file may say it took effect before it was published. Absent from older records. */
  publishedAt?: string;
}

export const ANNEX_FILES_ENTITIES = [EstablishmentAnnexFileEntity];
