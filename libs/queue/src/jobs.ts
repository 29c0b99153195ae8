import { JobsOptions } from 'bullmq';

/**
 * The one typed registry: job name → payload type → queue → default options. Payloads carry ids
 * only; the worker reloads state. Every job reaches Redis through the outbox.
 */
export interface JobPayloads {
  /** Sign the current head of one audit chain (truncation of the tail becomes detectable). */
  'audit.checkpoint': { chainId: string };
  /** Render the 9 renditions of a requested document version and store them. */
  'documents.render': { versionId: string };
}
export type JobName = keyof JobPayloads;

export const QUEUES = ['audit', 'render'] as const;
export type QueueName = (typeof QUEUES)[number];

const retrying: JobsOptions = {
  attempts: 8,
  backoff: { type: 'jitteredExponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS: { [N in JobName]: { queue: QueueName; options: JobsOptions } } = {
  'audit.checkpoint': { queue: 'audit', options: { ...retrying, attempts: 5 } },
  'documents.render': { queue: 'render', options: { ...retrying, attempts: 5 } },
};

/** What the worker receives: the payload plus the outbox row it comes from. */
export type JobData<N extends JobName> = JobPayloads[N] & { outboxId: string };

/** BullMQ custom ids may not contain ':'; keys are ids and buckets. */
export function jobId(name: JobName, key: string): string {
  return `${name}__${key}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
