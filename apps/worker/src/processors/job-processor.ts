import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { addSpan, safeErrorLog, timed } from '@carepact/common';
import { AppConfig } from '@carepact/config';
import { JOB_NAMES, JOBS, JobData, JobFailure, JobName, JobsOf, OutboxEntity, OutboxService, QueueName, isJobName, isUnavailableError, jobFailureOf } from '@carepact/queue';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { EntityManager } from 'typeorm';

/** What the worker does with one job name. */
export interface JobHandler<N extends JobName> {
  run(data: JobData<N>): Promise<unknown>;
  /** The job failed for good: runs in the transaction that marks its outbox row failed. */
  failed?(em: EntityManager, row: OutboxEntity, data: JobData<N>, failure: JobFailure): Promise<void>;
  /** The job failed for good: runs after its outbox row is marked failed, in its own transaction(s). */
  gaveUp?(data: JobData<N>, failure: JobFailure): Promise<void>;
}

/** One handler for each job name of a queue: the compiler refuses a processor that misses one. */
export type JobHandlers<Q extends QueueName> = { [N in JobsOf<Q>]: JobHandler<N> };

/** A permanent failure, in the form BullMQ reads as "do not retry", keeping its code for the bookkeeping. */
class PermanentJobFailure extends UnrecoverableError {
  constructor(readonly failure: JobFailure) {
    super(`${failure.code}: ${failure.message}`);
    this.name = 'UnrecoverableError';
  }
}

/** Longest wait between two tries of a job (or of its failure bookkeeping) during an outage. */
export const OUTAGE_MAX_DELAY_MS = 60_000;

/** `base`, doubled at each consecutive outage, capped at a minute. */
export function outageDelay(baseMs: number, outagesSoFar: number): number {
  return Math.min(OUTAGE_MAX_DELAY_MS, baseMs * 2 ** Math.min(outagesSoFar, 20));
}

/**
 * The base of the four processors (one per queue): dispatch by job name to the typed handler
 * map, one translation of failures (jobFailureOf), and the bookkeeping of final failures.
 *
 * An attempt that meets a PostgreSQL or Redis outage is not counted: the job is moved to BullMQ's
 * delayed set with a growing delay (JOB_OUTAGE_RETRY_MS, doubling up to a minute), so that an
 * outage of any length never exhausts its attempts. A final failure is recorded on the outbox row
 * (and its consequences, e.g. the document shown as failed) until PostgreSQL answers; if the
 * worker stops first, the relay's resweep finds the job failed-but-unrecorded and retries it.
 */
export abstract class JobProcessor<Q extends QueueName> extends WorkerHost implements OnModuleDestroy {
  protected abstract readonly log: Logger;
  abstract readonly queue: Q;
  abstract readonly handlers: JobHandlers<Q>;
  private stopping = false;
  private stop!: () => void;
  private readonly stopped = new Promise<void>((r) => (this.stop = r));

  constructor(
    protected readonly outbox: OutboxService,
    protected readonly config: AppConfig,
  ) {
    super();
  }

  private handler(name: string): JobHandler<JobName> | undefined {
    return isJobName(name) ? (this.handlers as Partial<Record<JobName, JobHandler<JobName>>>)[name] : undefined;
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const handler = this.handler(job.name);
    if (!handler) throw new PermanentJobFailure({ kind: 'permanent', code: 'UNKNOWN_JOB', message: `no handler for ${job.name} on queue ${this.queue}` });
    // bench:pipeline: from the relay's add to this worker taking the job (Redis and the queue's wait).
    addSpan(`worker: ${this.queue} job wait in Redis`, Math.max(0, Date.now() - job.timestamp));
    try {
      return await timed(`worker: ${this.queue} job`, () => handler.run(job.data as JobData<JobName>));
    } catch (e) {
      const failure = jobFailureOf(e);
      if (failure.kind === 'unavailable' && token) {
        // Starts that ended neither in success nor in a counted failure: the outages met so far.
        const outages = Math.max(0, (job.attemptsStarted ?? 1) - 1 - job.attemptsMade);
        const delay = outageDelay(this.config.jobs.outageRetryMs, outages);
        this.log.warn({ jobId: job.id, job: job.name, outages: outages + 1, delayMs: delay, error: failure.message }, 'service unavailable: job delayed, no attempt used');
        await job.moveToDelayed(Date.now() + delay, token);
        throw new DelayedError();
      }
      if (failure.kind === 'permanent') throw new PermanentJobFailure(failure);
      throw e;
    }
  }

  /**
   * A Redis connection error (an outage, or the connection closed while the worker stops): BullMQ
   * reconnects on its own; without a listener the event would be an unhandled 'error'.
   */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.log.warn({ queue: this.queue, err: safeErrorLog(error) }, 'queue worker connection error');
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    const data = job?.data as JobData<JobName> | undefined;
    if (!job || !data?.outboxId) return;
    const failure = error instanceof PermanentJobFailure ? error.failure : jobFailureOf(error);
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const message = `${failure.code}: ${failure.message}`;
    this.log.warn({ jobId: job.id, job: job.name, attempt: job.attemptsMade, final, error: message }, 'job failed');
    if (!final) {
      await this.outbox.noteError(data.outboxId, message).catch((e: Error) => this.log.warn({ jobId: job.id, error: e.message }, 'could not note job error'));
      return;
    }
    const handler = this.handler(job.name);
    const recorded = await this.untilRecorded(job, () =>
      this.outbox.markFailed(data.outboxId, message, handler?.failed ? (em, row) => handler.failed!(em, row, data, failure) : undefined),
    );
    if (recorded && handler?.gaveUp) await this.untilRecorded(job, () => handler.gaveUp!(data, failure));
  }

  /** Runs `record` until it succeeds, waiting out a database outage; false when it gave up. */
  private async untilRecorded(job: Job, record: () => Promise<void>): Promise<boolean> {
    for (let tries = 0; ; tries++) {
      try {
        await record();
        return true;
      } catch (e) {
        if (!isUnavailableError(e) || this.stopping) {
          // Left for the relay's resweep, which retries a failed job whose row is not marked.
          this.log.error({ jobId: job.id, job: job.name, error: (e as Error).message }, 'could not record job failure');
          return false;
        }
        await Promise.race([new Promise((r) => setTimeout(r, outageDelay(this.config.jobs.outageRetryMs, tries))), this.stopped]);
      }
    }
  }

  /**
   * Stops taking jobs and lets those running finish, before the database connections and the
   * render pool close (their modules are destroyed after this one).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.stop();
    // Stopped right after starting: let its connections finish connecting (2 s at most), or BullMQ
    // reports « Connection is closed » on a connection nobody listens to any more.
    await Promise.race([this.worker.waitUntilReady().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.worker.close();
  }
}

/** Refused at boot: a job name of the registry (JOBS) that no processor handles on its queue. */
export class MissingJobHandlersError extends Error {
  readonly code = 'WORKER_JOB_HANDLERS_MISSING';
  constructor(readonly missing: JobName[]) {
    super(`WORKER_JOB_HANDLERS_MISSING: no handler for ${missing.map((n) => `${n} (queue ${JOBS[n].queue})`).join(', ')}`);
    this.name = 'MissingJobHandlersError';
  }
}

/** Every job name of the registry has a handler in the processor of its queue; throws otherwise. */
export function assertEveryJobHandled(processors: { queue: QueueName; handlers: object }[]): void {
  const missing = JOB_NAMES.filter((name) => !processors.some((p) => p.queue === JOBS[name].queue && typeof (p.handlers as Record<string, unknown>)[name] === 'object'));
  if (missing.length) throw new MissingJobHandlersError(missing);
}

/** The processor of any one queue. */
export type AnyJobProcessor = { [Q in QueueName]: JobProcessor<Q> }[QueueName];
