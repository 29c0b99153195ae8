import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; sequence numbers stay far below 2^53. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * One append-only hash chain per organisation (SECURITY-RELIABILITY.md, "Audit chain").
 * `hash = SHA-256(prev_hash ‖ canonical JSON of the event)`. The application role may only
 * SELECT and INSERT here; triggers refuse UPDATE, DELETE and TRUNCATE for everyone.
 */
@Entity({ name: 'audit_events' })
@Index('uq_audit_events_chain_seq', ['chainId', 'seq'], { unique: true })
@Index('ix_audit_events_chain_subject', ['chainId', 'subjectId'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  /** The organisation's id; the platform chain (unknown logins…) uses the nil UUID. */
  @Column({ type: 'uuid' })
  chainId: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  @Column({ type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text', nullable: true })
  subjectType: string | null;

  @Column({ type: 'text', nullable: true })
  subjectId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;
}

/** Serialisation point of each chain: each append moves it in one UPDATE, which locks the row until commit. */
@Entity({ name: 'audit_chain_heads' })
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_audit_chain_heads' })
  chainId: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  @Column({ type: 'text' })
  hash: string;

  /** Hash of the event before the head (NULL at seq 0): lets the append's UPDATE … RETURNING give the new event its prev_hash. */
  @Column({ type: 'text', nullable: true })
  prevHash: string | null;

  /** Time of the head event: the next event's time is never earlier (AuditService, APPEND_SQL). */
  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Signed chain heads. Since issue 7 each row belongs to a platform checkpoint (`checkpointSeq`):
 * the head of one chain that moved since the previous platform checkpoint. Rows written before
 * have `checkpointSeq` NULL. Every row also carries its own signature, so one chain can be checked
 * alone (GET /api/audit/verify).
 */
@Entity({ name: 'audit_checkpoints' })
@Index('ix_audit_checkpoints_chain_seq', ['chainId', 'seq'])
@Index('uq_audit_checkpoints_checkpoint_chain', ['checkpointSeq', 'chainId'], { unique: true })
export class AuditCheckpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_checkpoints' })
  id: string;

  @Column({ type: 'uuid' })
  chainId: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  @Column({ type: 'text' })
  hash: string;

  /** HMAC-SHA-256 with AUDIT_CHECKPOINT_SECRET over the canonical {chainId, seq, hash, createdAt}. */
  @Column({ type: 'text' })
  signature: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** The platform checkpoint that signed this head with all the others; NULL before issue 7. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  checkpointSeq: number | null;
}

/**
 * The chain of checkpoints: each signs its `seq`, the previous checkpoint's hash and the head of
 * every chain (moved or not), so deleting the checkpoint above a truncated tail, or a whole
 * organisation's chain, breaks it. Each is also appended to the anchor file outside the database.
 */
@Entity({ name: 'audit_platform_checkpoints' })
@Index('uq_audit_platform_checkpoints_seq', ['seq'], { unique: true })
export class AuditPlatformCheckpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_platform_checkpoints' })
  id: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  @Column({ type: 'text' })
  prevHash: string;

  /** SHA-256 of the canonical {seq, prevHash, heads, createdAt} (see `platformCheckpointBody`). */
  @Column({ type: 'text' })
  hash: string;

  /** Number of chain heads signed (all chains, moved or not). */
  @Column({ type: 'integer' })
  chains: number;

  /** HMAC-SHA-256 with AUDIT_CHECKPOINT_SECRET over the same canonical body. */
  @Column({ type: 'text' })
  signature: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

export const AUDIT_ENTITIES = [AuditEventEntity, AuditChainHeadEntity, AuditCheckpointEntity, AuditPlatformCheckpointEntity];

/** A row of `audit_events` as raw SQL returns it (the verifier and the log reader stream rows in batches). */
export interface AuditEventRow {
  id: string;
  chain_id: string;
  seq: string;
  prev_hash: string;
  hash: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export function auditEventFromRow(r: AuditEventRow): AuditEventEntity {
  return Object.assign(new AuditEventEntity(), {
    id: r.id,
    chainId: r.chain_id,
    seq: Number(r.seq),
    prevHash: r.prev_hash,
    hash: r.hash,
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    payload: r.payload,
    occurredAt: new Date(r.occurred_at),
  });
}
