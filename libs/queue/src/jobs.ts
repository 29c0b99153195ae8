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
  /** Create a fresh link for one signer and email it (the token exists only in the email). */
  'signing.invite': { signerId: string; reason: 'invitation' | 'resend' | 'reminder' };
  'signing.remind': { requestId: string; day: number };
  'signing.expire': { requestId: string };
  /** All required signatures on the same version hash: render, seal, store, notify. */
  'signing.seal': { requestId: string };
  /** A staff notice: refusal, question, expiry, delivery failure. */
  'notify.staff': { requestId: string; kind: 'refusal' | 'question' | 'expired' | 'delivery_failed'; signerId: string | null; failure?: 'permanent' | 'transient' };
  /** The completion email to one party, with a download link. */
  'notify.completed': { requestId: string; signerId: string };
}
export type JobName = keyof JobPayloads;

export const QUEUES = ['audit', 'render', 'notify', 'seal'] as const;
export type QueueName = (typeof QUEUES)[number];

const retrying: JobsOptions = {
  attempts: 8,
  // Exponential with 50 % jitter (BullMQ's built-in strategy): 1 s, 2 s, 4 s… spread out.
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS: { [N in JobName]: { queue: QueueName; options: JobsOptions } } = {
  'audit.checkpoint': { queue: 'audit', options: { ...retrying, attempts: 5 } },
  'documents.render': { queue: 'render', options: { ...retrying, attempts: 5 } },
  'signing.invite': { queue: 'notify', options: retrying },
  'signing.remind': { queue: 'notify', options: retrying },
  'signing.expire': { queue: 'notify', options: retrying },
  'notify.staff': { queue: 'notify', options: retrying },
  'notify.completed': { queue: 'notify', options: retrying },
  'signing.seal': { queue: 'seal', options: { ...retrying, attempts: 5 } },
};

/** What the worker receives: the payload plus the outbox row it comes from. */
export type JobData<N extends JobName> = JobPayloads[N] & { outboxId: string };

/** BullMQ custom ids may not contain ':'; keys are ids and buckets. */
export function jobId(name: JobName, key: string): string {
  return `${name}__${key}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
