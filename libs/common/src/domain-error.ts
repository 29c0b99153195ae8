/**
 * Errors raised by domain code (API, worker and CLI alike). They carry a stable code for programs,
 * a French message for people, and a kind that the HTTP layer maps to a status in one exhaustive
 * switch. Domain code never throws HTTP exceptions: the same services run in the worker.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `protectionMeasure.judgment.date`. */
  field: string;
  code: string;
  message: string;
}

/**
 * Facts for programs sent beside the code and the message (`error.<key>` in the API's body), e.g.
 * the id and page of the record the conflict is with: ids and paths, never a value the user typed.
 */
export type DomainErrorFacts = Readonly<Record<string, unknown>> & { code?: never; message?: never; details?: never; errorId?: never };

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    /** French, for people. Never contains a value the user typed that could be sensitive. */
    readonly messageFr: string,
    readonly details: FieldError[] = [],
    /** Retry hint in seconds (rate limits). */
    readonly retryAfterSeconds?: number,
    readonly facts?: DomainErrorFacts,
  ) {
    super(`${code}: ${messageFr}`);
    this.name = 'DomainError';
  }

  /** Errors that a job retry cannot fix (bad input, revoked request…). */
  get permanent(): boolean {
    return this.kind !== 'unavailable' && this.kind !== 'rate_limited';
  }
}

export class ValidationError extends DomainError {
  /** `code`: VALIDATION_FAILED, or a stable code of its own when one rule alone refuses the data (e.g. ANNEX_HANDOVER_IN_FUTURE). */
  constructor(details: FieldError[], message = 'Certaines données sont invalides.', code = 'VALIDATION_FAILED') {
    super('invalid', code, message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(code = 'NOT_FOUND', message = 'Élément introuvable.') {
    super('not_found', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'FORBIDDEN', message = "Votre rôle ne permet pas cette action.") {
    super('forbidden', code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
