import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { EstablishmentEntity, OrganisationEntity } from '@carepact/identity';
import { ResidentEntity } from '@carepact/residents';
import { DocumentEntity } from '../documents.entities';

/** What a bulk run produces: today the tariff avenant (avenant `purpose: 'tarifs'`, CASF L.342-3 / L.314-1). */
export const BULK_RUN_KINDS = ['avenant-tarifs'] as const;
export type BulkRunKind = (typeof BULK_RUN_KINDS)[number];

/** running → completed (every item created, skipped or failed) | cancelled (pending items stay pending). */
export const BULK_RUN_STATUSES = ['running', 'completed', 'cancelled'] as const;
export type BulkRunStatus = (typeof BULK_RUN_STATUSES)[number];

export const BULK_ITEM_STATUSES = ['pending', 'created', 'skipped', 'failed', 'cancelled'] as const;
export type BulkItemStatus = (typeof BULK_ITEM_STATUSES)[number];

/**
 * One document type for many residents of an establishment (issue 10 item 7): the data common to
 * every resident typed once, who started it, its status. The counts are read from its items.
 */
@Entity({ name: 'bulk_runs' })
@Index('ix_bulk_runs_establishment', ['organisationId', 'establishmentId', 'createdAt'])
// One running run per establishment and kind: two « Lancer » at once cannot both start (migration 1763990000000).
@Index('uq_bulk_runs_running', ['establishmentId', 'kind'], { unique: true, where: `status = 'running'` })
@Check('ck_bulk_runs_kind', `kind IN ('avenant-tarifs')`)
@Check('ck_bulk_runs_status', `status IN ('running', 'completed', 'cancelled')`)
export class BulkRunEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_bulk_runs' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_bulk_runs_organisation' })
  organisation?: Relation<OrganisationEntity>;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_bulk_runs_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  @Column({ type: 'text' })
  kind: BulkRunKind;

  @Column({ type: 'text' })
  documentType: string;

  /** The data typed once for every resident (e.g. the tariff change's date, basis, reference, percentage). */
  @Column({ type: 'jsonb' })
  commonData: Record<string, unknown>;

  @Column({ type: 'text' })
  status: BulkRunStatus;

  /** The staff member who started it (the documents are created in their name). */
  @Column({ type: 'uuid' })
  startedBy: string;

  @Column({ type: 'int' })
  itemCount: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** One resident of a run: pending, then created (its document), skipped (why) or failed (code, French message). */
@Entity({ name: 'bulk_run_items' })
@Index('uq_bulk_run_items_resident', ['runId', 'residentId'], { unique: true })
@Index('ix_bulk_run_items_pending', ['runId', 'position'], { where: `status = 'pending'` })
@Check('ck_bulk_run_items_status', `status IN ('pending', 'created', 'skipped', 'failed', 'cancelled')`)
export class BulkRunItemEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_bulk_run_items' })
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => BulkRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_bulk_run_items_run' })
  run?: Relation<BulkRunEntity>;

  @Column({ type: 'int' })
  position: number;

  /** NULL once the person's file is purged (retention): the run keeps its counts, not who it was. */
  @Column({ type: 'uuid', nullable: true })
  residentId: string | null;

  @ManyToOne(() => ResidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_bulk_run_items_resident' })
  resident?: Relation<ResidentEntity>;

  @Column({ type: 'text' })
  status: BulkItemStatus;

  @Column({ type: 'uuid', nullable: true })
  documentId: string | null;

  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_bulk_run_items_document' })
  document?: Relation<DocumentEntity>;

  /** Skipped or failed: a stable code and its French message. */
  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}

export const BULK_ENTITIES = [BulkRunEntity, BulkRunItemEntity];
