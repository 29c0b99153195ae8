import { DomainError, DomainErrorKind, FieldError } from '@carepact/common';
import type { Response } from 'express';

export interface ErrorBody {
  /** Besides these, an error's facts for programs (DomainError.facts), e.g. `existing: { id, href }`. */
  error: { code: string; message: string; details?: FieldError[]; errorId?: string } & Record<string, unknown>;
}

/** The one mapping from domain error kinds to HTTP statuses (exhaustive: a new kind fails to compile). */
export function statusOf(kind: DomainErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'gone':
      return 410;
    case 'too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    default: {
      const never: never = kind;
      throw new Error(`unmapped error kind ${String(never)}`);
    }
  }
}

export function bodyOf(e: DomainError): ErrorBody {
  return { error: { code: e.code, message: e.messageFr, ...(e.details.length ? { details: e.details } : {}), ...(e.facts ?? {}) } };
}

export function sendDomainError(res: Response, e: DomainError): void {
  if (e.retryAfterSeconds) res.setHeader('Retry-After', String(e.retryAfterSeconds));
  res.status(statusOf(e.kind)).type('application/json').send(JSON.stringify(bodyOf(e)));
}
