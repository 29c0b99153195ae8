/**
 * A job failure that retrying cannot fix (bad data, a template bug, an address the server refused,
 * a changed version): the job fails at once (jobFailureOf, job-failure.ts) and its outbox row is
 * marked failed for staff to see instead of being retried.
 */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * A job failure that a later attempt can fix, with a stable code for the outbox row (e.g. the seal
 * found that what it built from changed meanwhile): BullMQ's attempts and backoff apply.
 */
export class RetryableJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RetryableJobError';
  }
}
