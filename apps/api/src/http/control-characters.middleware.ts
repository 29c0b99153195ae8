import type { DomainError } from '@carepact/common';
import type { NextFunction, Request, Response } from 'express';
import { sendDomainError, statusOf } from './error-response';
import { htmlAudience, htmlErrorTitle, sendHtmlError } from './html-error';
import { firstTextProblem, textInputProblem } from './text-input';

/** What a person reads on the console's or the portal's page (the API's callers get the code and its details). */
export const CONTROL_CHARACTER_PAGE_MESSAGE =
  'L’adresse ou le formulaire contient un caractère invisible interdit (caractère nul ou de contrôle), souvent venu d’un copier-coller. Retirez-le, puis réessayez.';

/**
 * Every request's address, once, before any route (bootstrap.ts mounts it first): a NUL byte or
 * another ASCII control in a path segment or a query parameter (percent-encoded: Node refuses them
 * raw) is a 400 here — NUL_BYTE or CONTROL_CHARACTER naming the parameter for the JSON API, a French
 * page for the console and the portal — instead of reaching a handler whose query PostgreSQL would
 * refuse with a 500. The forms' fields are checked by their parser (form-body.middleware.ts), the
 * JSON bodies' by theirs (json-body.middleware.ts), with the same codes (text-input.ts).
 */
export function refuseControlCharactersInAddress() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = req.url ?? '';
    // Nothing percent-encoded: nothing to decode into a control character (Node refuses them raw).
    if (!url.includes('%')) return next();
    const problem = addressProblem(req, url);
    if (!problem) return next();
    refuseAddress(req, res, problem);
  };
}

function addressProblem(req: Request, url: string): DomainError | null {
  const q = url.indexOf('?');
  for (const segment of (q < 0 ? url : url.slice(0, q)).split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue; // A malformed escape: the router answers it (400) and decodes nothing.
    }
    const p = textInputProblem(decoded, '(chemin)', 'address');
    if (p) return p;
  }
  // The parameters as the handlers will read them (Express's query parser).
  return q < 0 ? null : firstTextProblem(req.query, '', 'address');
}

/** The answer to a refused address: JSON for the API, the page of the console or the portal otherwise. */
function refuseAddress(req: Request, res: Response, problem: DomainError): void {
  if (htmlAudience(req) === null) return sendDomainError(res, problem);
  const status = statusOf(problem.kind);
  sendHtmlError(req, res, status, status === 400 ? 'Adresse non valable' : htmlErrorTitle(status), CONTROL_CHARACTER_PAGE_MESSAGE);
}
