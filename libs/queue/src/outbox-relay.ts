import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { addSpan, since, timed } from '@carepact/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOBS, JobName, QUEUES, QueueName, isJobName, jobOptions } from './jobs';

interface PendingRow {
  id: string;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
  enqueued: boolean;
  /** The row's enqueued_at as PostgreSQL prints it (microseconds kept), to give a claim back exactly. */
  enqueued_at: string | null;
  /** The row version read (xmin): the claim succeeds only if nobody changed the row since. */
  version: string;
}

/**
 * Moves outbox rows to BullMQ. New rows go at once (LISTEN/NOTIFY, plus polling). Rows enqueued
 * but neither done nor failed after `resweepMs` are looked up in Redis by their job id:
 * - gone (Redis flushed, restarted without persistence, completed job removed): added again;
 * - sitting in BullMQ's *failed* (or *completed*) set: the worker could not record the outcome
 *   (PostgreSQL was down when it tried, or the process died), and BullMQ ignores an add with the
 *   id of a finished job, so the job is retried with fresh attempts; the outbox row keeps the
 *   work exactly-once;
 * - waiting, delayed or running: left alone.
 * Every worker process runs a relay (several workers, on one machine or several, share the
 * queues): a relay first claims each row it read — stamps it if the row is still as it was read
 * (its xmin) — and only the relay whose claim succeeded adds the job, so that K relays do not each
 * add and stamp every row. A claim whose add fails is given back as it was, for the next pass.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('OutboxRelay');
  private readonly queues = new Map<QueueName, Queue>();
  private timer: NodeJS.Timeout | null = null;
  private listener: Client | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private lastResweep = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of QUEUES) this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    this.timer = setInterval(() => void this.tick(), this.config.outbox.pollMs);
    void this.listen();
    void this.tick(true);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** One pass; concurrent calls coalesce into one more pass. Returns the number of rows enqueued. */
  async tick(forceResweep = false): Promise<number> {
    if (this.stopped) return 0;
    if (this.running) {
      this.again = true;
      return 0;
    }
    this.running = true;
    let total = 0;
    try {
      const now = Date.now();
      const resweep = forceResweep || now - this.lastResweep >= this.config.outbox.resweepMs;
      if (resweep) this.lastResweep = now;
      do {
        this.again = false;
        total += await this.pass(resweep);
      } while (this.again && !this.stopped);
    } catch (e) {
      // PostgreSQL or Redis unavailable: try again at the next tick.
      this.log.warn(`outbox relay pass failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
    return total;
  }

  private async pass(resweep: boolean): Promise<number> {
    let count = 0;
    for (;;) {
      const rows = (await this.tx.manager.query(
        `SELECT id, job_name, job_id, payload, enqueued_at IS NOT NULL AS enqueued, enqueued_at::text AS enqueued_at, xmin::text AS version FROM outbox
          WHERE done_at IS NULL AND failed_at IS NULL AND available_at <= now()
            AND (enqueued_at IS NULL ${resweep ? `OR enqueued_at < now() - make_interval(secs => $1 / 1000.0)` : 'AND $1::int IS NOT NULL'})
          ORDER BY created_at ASC LIMIT 500`,
        [this.config.outbox.resweepMs],
      )) as PendingRow[];
      if (rows.length === 0) return count;
      for (const row of rows) {
        if (!isJobName(row.job_name)) {
          await this.tx.manager.query(`UPDATE outbox SET failed_at = now(), last_error = $2 WHERE id = $1`, [
            row.id,
            'UNKNOWN_JOB: no handler registered',
          ]);
          continue;
        }
        const queue = this.queues.get(JOBS[row.job_name].queue)!;
        // Checked rows are stamped either way, so that the next resweep comes after `resweepMs`;
        // the stamp is the claim, counted as an enqueue until the add says otherwise.
        const [{ claimed }] = (await timed('relay: stamp outbox row', () =>
          this.tx.manager.query(
            `WITH c AS (UPDATE outbox SET enqueued_at = now(), enqueue_count = enqueue_count + 1 WHERE id = $1 AND xmin::text = $2 RETURNING 1) SELECT count(*)::int AS claimed FROM c`,
            [row.id, row.version],
          ),
        )) as { claimed: number }[];
        // Another relay took the row (or a worker finished it) since it was read.
        if (claimed === 0) continue;
        const t0 = performance.now();
        let added: boolean;
        try {
          added = await this.enqueue(queue, row.job_name, row);
        } catch (e) {
          // Not in Redis: the row goes back as it was, for the next pass (if this fails too, the resweep finds it).
          await this.tx.manager
            .query(`UPDATE outbox SET enqueued_at = $2::timestamptz, enqueue_count = enqueue_count - 1 WHERE id = $1`, [row.id, row.enqueued_at])
            .catch(() => undefined);
          throw e;
        }
        addSpan('relay: add job to Redis', since(t0));
        if (added) count++;
        else await this.tx.manager.query(`UPDATE outbox SET enqueue_count = enqueue_count - 1 WHERE id = $1`, [row.id]);
      }
      if (rows.length < 500) return count;
    }
  }

  /** Adds the row's job, or revives it (see the class comment). True when the job was (re)queued. */
  private async enqueue(queue: Queue, name: JobName, row: PendingRow): Promise<boolean> {
    const add = async () => {
      await queue.add(name, { ...row.payload, outboxId: row.id }, { ...jobOptions(name, this.config.jobs.backoffMs), jobId: row.job_id });
      return true;
    };
    if (!row.enqueued) return add();
    const state = await queue.getJobState(row.job_id);
    if (state === 'unknown') return add();
    if (state !== 'failed' && state !== 'completed') return false;
    const job = await queue.getJob(row.job_id);
    // A job that has just failed may be having its failure recorded by the worker right now.
    if (!job || (job.finishedOn ?? 0) > Date.now() - this.config.outbox.resweepMs) return false;
    this.log.warn(`outbox row ${row.id}: job ${row.job_id} is ${state} in Redis but not recorded; retrying it`);
    try {
      await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch (e) {
      // Moved meanwhile (retried by another relay, removed): the next resweep looks again.
      this.log.warn(`outbox row ${row.id}: could not retry job ${row.job_id}: ${(e as Error).message}`);
      return false;
    }
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new Client({ connectionString: this.config.database.url, application_name: 'carepact-relay' });
      try {
        await new Promise<void>((resolve, reject) => {
          client.on('error', reject);
          client.on('end', () => resolve());
          client.on('notification', () => void this.tick());
          client
            .connect()
            .then(() => client.query('LISTEN carepact_outbox'))
            .then(() => {
              this.listener = client;
            })
            .catch(reject);
        });
      } catch (e) {
        if (!this.stopped) this.log.warn(`outbox listener lost: ${(e as Error).message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
