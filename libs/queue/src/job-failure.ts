import { isDomainError } from '@carepact/common';
import { PermanentJobError, RetryableJobError } from './permanent-job-error';

/**
 * What a failed job attempt means, decided in one place (the worker's processors all use it):
 * - `permanent`: retrying cannot help (PermanentJobError, a permanent DomainError, an error flagged
 *   `permanent: true` such as a refused address); the job fails at once and staff see it;
 * - `unavailable`: PostgreSQL or Redis cannot be reached (or the render pool is shutting down); the
 *   attempt is not counted, the job waits and runs again however long the outage lasts;
 * - `retry`: anything else; BullMQ's attempts and backoff apply.
 */
export interface JobFailure {
  kind: 'permanent' | 'unavailable' | 'retry';
  /** Stable code, stored with the message on the outbox row and shown to staff. */
  code: string;
  message: string;
}

/** Node's socket errors: the server is down, restarting or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up), 53300
 * too_many_connections.
 */
function isUnavailableSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** Messages of node-postgres, TypeORM and ioredis when the connection is gone (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request limit/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Client was closed and is not queryable/i,
];

/** The error, or one it wraps (TypeORM's `driverError`, `cause`), says PostgreSQL or Redis is out of reach. */
export function isUnavailableError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && (SOCKET_CODES.has(err.code) || isUnavailableSqlState(err.code) || err.code === 'RENDER_POOL_CLOSED')) return true;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  if (typeof err.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(err.message as string))) return true;
  // AggregateError (a connection attempt to several addresses) is unavailable when every part is.
  if (Array.isArray(err.errors) && err.errors.length > 0 && err.errors.every((x) => isUnavailableError(x, depth + 1))) return true;
  return isUnavailableError(err.driverError, depth + 1) || isUnavailableError(err.cause, depth + 1);
}

export function jobFailureOf(e: unknown): JobFailure {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof PermanentJobError) return { kind: 'permanent', code: e.code, message };
  if (e instanceof RetryableJobError) return { kind: 'retry', code: e.code, message };
  if (isDomainError(e)) return { kind: e.permanent ? 'permanent' : 'retry', code: e.code, message: e.messageFr };
  if (isUnavailableError(e)) return { kind: 'unavailable', code: 'SERVICE_UNAVAILABLE', message };
  if ((e as { permanent?: unknown } | null)?.permanent === true) return { kind: 'permanent', code: 'JOB_REJECTED', message };
  return { kind: 'retry', code: 'JOB_FAILED', message };
}
