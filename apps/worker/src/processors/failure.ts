import { LoggerService } from '@nestjs/common';
import { OutboxService } from '@carepact/queue';
import { Job, UnrecoverableError } from 'bullmq';

/**
 * A failed attempt is noted on its outbox row; a final failure (unrecoverable, or attempts
 * exhausted) marks the row failed so that it surfaces to staff and is never retried forever.
 */
export async function reportFailure(outbox: OutboxService, log: LoggerService, job: Job | undefined, error: Error): Promise<void> {
  const outboxId = (job?.data as { outboxId?: string } | undefined)?.outboxId;
  if (!job || !outboxId) return;
  const final = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
  log.warn({ jobId: job.id, job: job.name, attempt: job.attemptsMade, final, error: error.message }, 'job failed');
  try {
    if (final) await outbox.markFailed(outboxId, error.message);
    else await outbox.noteError(outboxId, error.message);
  } catch (e) {
    log.error({ jobId: job.id, error: (e as Error).message }, 'could not record job failure');
  }
}
