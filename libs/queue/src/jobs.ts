import { JobsOptions } from 'bullmq';

/**
 * The one typed registry: job name → payload type → queue → default options. Payloads carry ids
 * only; the worker reloads state. Every job reaches Redis through the outbox.
 */
export interface JobPayloads {
  /**
   * Sign the heads of every audit chain in one checkpoint (platform-wide: the scheduler enqueues one
   * job per interval, under the platform chain, when any head moved). `chainId` is the chain the
   * job is enqueued for (the platform chain); jobs enqueued per chain before issue 7 still run.
   */
  'audit.checkpoint': { chainId: string };
  /** Render the 9 renditions of a requested document version and store them. */
  'documents.render': { versionId: string };
  /** One chunk of a bulk run (libs/documents bulk): creates documents for pending residents, then enqueues the next chunk. */
  'documents.bulk': { runId: string };
  /** Create a fresh link for one signer and email it (the token exists only in the email). */
  'signing.invite': { signerId: string; reason: 'invitation' | 'resend' | 'reminder' | 'answer' };
  'signing.remind': { requestId: string; day: number };
  'signing.expire': { requestId: string };
  /** All required signatures on the same version hash: render, seal, store, notify. */
  'signing.seal': { requestId: string };
  /** A staff notice: refusal, question, expiry, delivery failure, countersignature due (to the director), a seal failed for good. */
  'notify.staff': { requestId: string; kind: StaffNoticeKind; signerId: string | null; failure?: 'permanent' | 'transient' };
  /** The completion email to one party, with a download link. */
  'notify.completed': { requestId: string; signerId: string };
  /** A cancelled request, told to one signer who had been invited (no link: there is nothing left to open); `departure`: cancelled with the person's departure. */
  /** `otherContractSigned`: cancelled because another contrat de séjour of the stay was signed (CASF L.311-4), the reason the e-mail gives. */
  'notify.cancelled': { requestId: string; signerId: string; departure: boolean; otherContractSigned?: boolean; death?: boolean };
  /** A staff account's single-use password link (invitation or reset): issued and e-mailed by the worker. */
  'account.mail': { userId: string; purpose: 'invitation' | 'reset'; invitedBy?: string | null };
  /** An archive export, an access request (RGPD art. 15) or a purge run: the `data_jobs` row says which. */
  'data.run': { dataJobId: string };
}
export type JobName = keyof JobPayloads;

export type StaffNoticeKind = 'refusal' | 'question' | 'expired' | 'delivery_failed' | 'countersign_due' | 'seal_failed';

export const QUEUES = ['audit', 'render', 'notify', 'seal', 'data'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Attempts count failures of the work itself. A database or Redis outage does not burn them: the
 * worker delays the job instead (apps/worker job-processor.ts), however long the outage lasts.
 */
const retrying: JobsOptions = {
  attempts: 8,
  // Exponential with 50 % jitter (BullMQ's built-in strategy): 1 s, 2 s, 4 s… spread out. The base
  // delay is JOB_BACKOFF_MS (jobOptions below).
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS = {
  'audit.checkpoint': { queue: 'audit', options: { ...retrying, attempts: 5 } },
  'documents.render': { queue: 'render', options: { ...retrying, attempts: 5 } },
  'documents.bulk': { queue: 'render', options: { ...retrying, attempts: 5 } },
  'signing.invite': { queue: 'notify', options: retrying },
  'signing.remind': { queue: 'notify', options: retrying },
  'signing.expire': { queue: 'notify', options: retrying },
  'notify.staff': { queue: 'notify', options: retrying },
  'notify.completed': { queue: 'notify', options: retrying },
  'notify.cancelled': { queue: 'notify', options: retrying },
  'account.mail': { queue: 'notify', options: retrying },
  'signing.seal': { queue: 'seal', options: { ...retrying, attempts: 5 } },
  'data.run': { queue: 'data', options: { ...retrying, attempts: 3 } },
} as const satisfies { [N in JobName]: { queue: QueueName; options: JobsOptions } };

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** The job names a queue carries, e.g. `JobsOf<'render'>` = 'documents.render'. */
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOBS)[N]['queue'] extends Q ? N : never }[JobName];

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, name);
}

/** A job's BullMQ options, with the configured base delay of its retry backoff. */
export function jobOptions(name: JobName, backoffMs: number): JobsOptions {
  const options: JobsOptions = JOBS[name].options;
  const backoff = typeof options.backoff === 'object' ? { ...options.backoff, delay: backoffMs } : options.backoff;
  return { ...options, backoff };
}

/** What the worker receives: the payload plus the outbox row it comes from. */
export type JobData<N extends JobName> = JobPayloads[N] & { outboxId: string };

/** BullMQ custom ids may not contain ':'; keys are ids and buckets. */
export function jobId(name: JobName, key: string): string {
  return `${name}__${key}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
