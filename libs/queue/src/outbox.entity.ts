import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: written in the same transaction as the state change; the relay in the
 * worker enqueues each row on BullMQ with its deterministic job id and re-enqueues any row not
 * done (Redis lost without persistence, flushed…). `done_at` is set by the handler in the same
 * transaction as its work, so a job's effect and its completion commit together.
 */
@Entity({ name: 'outbox' })
@Index('uq_outbox_job_id', ['jobId'], { unique: true })
@Index('ix_outbox_pending', ['doneAt', 'availableAt'])
export class OutboxEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_outbox' })
  id: string;

  /** Organisation the job acts for (workers re-check ids against it); null for platform jobs. */
  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'text' })
  jobName: string;

  @Column({ type: 'text' })
  jobId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** Delayed jobs (reminders, expiry) are not enqueued before this time. */
  @Column({ type: 'timestamptz' })
  availableAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  enqueueCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  /** Set when the job failed for good (unrecoverable or attempts exhausted): shown to staff. */
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}
