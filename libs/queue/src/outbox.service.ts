import { Injectable } from '@nestjs/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { EntityManager } from 'typeorm';
import { JobName, JobPayloads, jobId } from './jobs';
import { OutboxEntity } from './outbox.entity';

/** An INSERT written in the statement that enqueues a job (OutboxService.enqueueWith). */
export interface OutboxWrite {
  sql: string;
  params: readonly unknown[];
}

export interface EnqueueOptions {
  /** Idempotency key: the same key never yields a second job. */
  key: string;
  organisationId: string | null;
  /** Delay (reminders, expiry): the relay enqueues the row at this time. */
  availableAt?: Date;
}

@Injectable()
export class OutboxService {
  constructor(private readonly tx: TransactionRunner) {}

  /**
   * Producers call this inside the transaction of the state change. Returns false when a job with
   * the same key already exists (the change was already scheduled).
   */
  async enqueue<N extends JobName>(em: EntityManager, name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<boolean> {
    return this.enqueueWith(em, [], name, payload, opts);
  }

  /**
   * `enqueue`, with the state change's own INSERTs in the same statement, before it (issue 12: a
   * document's creation writes the document, its version and its job in one round trip). Each
   * `writes` entry is one INSERT (no RETURNING) with its own $1… placeholders and no other `$`
   * in its text; it runs as a data-modifying WITH clause, all of them exactly once, and foreign keys
   * between them are checked at the end of the statement. One statement: it writes all or nothing.
   */
  async enqueueWith<N extends JobName>(em: EntityManager, writes: readonly OutboxWrite[], name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<boolean> {
    const now = new Date();
    const params: unknown[] = [];
    const clauses = writes.map((w, i) => {
      if (/\bRETURNING\b|\$\$|\$[^0-9]/i.test(w.sql)) throw new Error(`OutboxService.enqueueWith: write ${i + 1} has RETURNING or a $ that is no placeholder`);
      const offset = params.length;
      params.push(...w.params);
      return `w${i + 1} AS (${w.sql.replace(/\$(\d+)/g, (_, n: string) => {
        if (Number(n) < 1 || Number(n) > w.params.length) throw new Error(`OutboxService.enqueueWith: write ${i + 1} has $${n} for ${w.params.length} values`);
        return `$${Number(n) + offset}`;
      })})`;
    });
    const o = params.length;
    params.push(opts.organisationId, name, jobId(name, opts.key), JSON.stringify(payload), now, opts.availableAt ?? now);
    const res = (await em.query(
      `${clauses.length ? `WITH ${clauses.join(',\n')}\n` : ''}INSERT INTO outbox (organisation_id, job_name, job_id, payload, created_at, available_at)
       VALUES ($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}) ON CONFLICT (job_id) DO NOTHING RETURNING id`,
      params,
    )) as { id: string }[];
    return res.length === 1;
  }

  /**
   * Runs a job's work exactly once in PostgreSQL: the outbox row is locked, skipped when already
   * done, and marked done in the same transaction as the work. Redelivery is then harmless.
   */
  async runOnce<T>(outboxId: string, work: (em: EntityManager, row: OutboxEntity) => Promise<T>): Promise<{ ran: boolean; result?: T }> {
    return this.tx.run(async (em) => {
      // One statement locks the row, skips it when already done and marks it done (issue 12: one
      // round trip and two query builders less per job than SELECT … FOR UPDATE, then UPDATE). The
      // mark commits with the work or rolls back with it: the transaction is the same. Waiting for a
      // concurrent holder of the row, READ COMMITTED re-checks `done_at IS NULL` on the row it left.
      const res = await em.query(
        `UPDATE outbox SET done_at = $2, last_error = NULL WHERE id = $1 AND done_at IS NULL
         RETURNING id, organisation_id, job_name, job_id, payload, created_at, available_at, enqueued_at, enqueue_count, done_at, failed_at, last_error`,
        [outboxId, new Date()],
      );
      const [raw] = returnedRows(res) as OutboxRow[];
      if (!raw) return { ran: false };
      return { ran: true, result: await work(em, outboxEntityOf(raw)) };
    });
  }

  /** The job has nothing (more) to do: its row is marked done, once; false when it already was. */
  async complete(outboxId: string): Promise<boolean> {
    return (await this.runOnce(outboxId, async () => undefined)).ran;
  }

  /**
   * The job failed for good: the row is marked failed (shown to staff, never re-enqueued) and
   * `consequences` (e.g. the document shown as "generation failed") run in the same transaction,
   * so that neither happens without the other.
   */
  async markFailed(outboxId: string, error: string, consequences?: (em: EntityManager, row: OutboxEntity) => Promise<void>): Promise<void> {
    await this.tx.run(async (em) => {
      const row = await em.createQueryBuilder(OutboxEntity, 'o').setLock('pessimistic_write').where('o.id = :id', { id: outboxId }).getOne();
      if (!row) return;
      await em.update(OutboxEntity, { id: outboxId }, { failedAt: new Date(), lastError: error.slice(0, 500) });
      if (consequences) await consequences(em, row);
    });
  }

  async noteError(outboxId: string, error: string): Promise<void> {
    await this.tx.manager.update(OutboxEntity, { id: outboxId }, { lastError: error.slice(0, 500) });
  }

  /** Failed jobs surface to staff; never silently dropped. */
  listFailed(organisationId: string, limit = 100): Promise<OutboxEntity[]> {
    return this.tx.manager.find(OutboxEntity, {
      where: { organisationId },
      order: { createdAt: 'DESC' },
      take: limit,
    }).then((rows) => rows.filter((r) => r.failedAt));
  }
}

interface OutboxRow {
  id: string;
  organisation_id: string | null;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
  available_at: Date;
  enqueued_at: Date | null;
  enqueue_count: number;
  done_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

function outboxEntityOf(r: OutboxRow): OutboxEntity {
  return Object.assign(new OutboxEntity(), {
    id: r.id,
    organisationId: r.organisation_id,
    jobName: r.job_name,
    jobId: r.job_id,
    payload: r.payload,
    createdAt: r.created_at,
    availableAt: r.available_at,
    enqueuedAt: r.enqueued_at,
    enqueueCount: r.enqueue_count,
    doneAt: r.done_at,
    failedAt: r.failed_at,
    lastError: r.last_error,
  });
}
