import { FieldError, ValidationError, textProblem } from '@carepact/common';

/**
 * The request an access export answers (RGPD art. 15). The person's right to a copy of her data
 * does not depend on the intermediate archive, but staff who export an archived person's documents
 * record the request they answer, as an opening of the archive records its reason (CNIL délib.
 * n° 2021-028 and n° 2023-095: the intermediate archive is read for a specific need): who asked —
 * the person or her representative (tuteur, mandataire…, who exercises her rights for her) —, the
 * day it was received, and the request as received. Required for a person in the intermediate
 * archive; optional, and checked the same way when given, otherwise.
 */
export type AccessRequestFrom = 'person' | 'representative';
export const ACCESS_REQUEST_FROM: readonly AccessRequestFrom[] = ['person', 'representative'];

export interface AccessRequestStatement {
  from: AccessRequestFrom;
  /** The day the establishment received the request (YYYY-MM-DD, not after today). */
  receivedOn: string;
  /** RGPD art. 12(3): the answer is due within one month of receipt (extendable by two months, the person told why). */
  answerDue: string;
  /** The request as received: how it came and what it asks (staff's words; only its SHA-256 in the audit chain). */
  statement: string;
}

export const ACCESS_REQUEST_STATEMENT_MIN = 3;
export const ACCESS_REQUEST_STATEMENT_MAX = 500;

export const ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE =
  'Cette personne est en archive intermédiaire : indiquez la demande d’accès à laquelle vous répondez (qui l’a faite, le jour où elle a été reçue, et la demande elle-même).';

/**
 * One month after `day` (RGPD art. 12(3)), by the rule of periods in months of Regulation (EEC,
 * Euratom) n° 1182/71 art. 3.2.c: the same day of the next month, or its last day when it has none
 * (31 January → 28 or 29 February).
 */
export function answerDueOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

const realDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/**
 * The statement of an access request from the API's `request` object (or the console's fields), or
 * null when none is given (every field absent or blank). `today` is the Paris day. Bad input: 400
 * with every field's error (ACCESS_REQUEST_FROM_INVALID, ACCESS_REQUEST_DATE_INVALID,
 * ACCESS_REQUEST_DATE_IN_FUTURE, ACCESS_REQUEST_STATEMENT_INVALID, or the shared text rule's code).
 */
export function accessRequestStatementOf(input: unknown, today: string): AccessRequestStatement | null {
  if (input === undefined || input === null) return null;
  const o = typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const [from, receivedOn, statement] = [str(o.from), str(o.receivedOn), str(o.statement)];
  if (typeof input === 'object' && !Array.isArray(input) && !from && !receivedOn && !statement) return null;
  const errors: FieldError[] = [];
  if (!(ACCESS_REQUEST_FROM as readonly string[]).includes(from))
    errors.push({ field: 'request.from', code: 'ACCESS_REQUEST_FROM_INVALID', message: 'Indiquez qui a fait la demande : la personne elle-même, ou son représentant.' });
  if (!realDay(receivedOn))
    errors.push({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_INVALID', message: 'Indiquez le jour où la demande a été reçue, au format AAAA-MM-JJ.' });
  else if (receivedOn > today)
    errors.push({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_IN_FUTURE', message: 'Le jour de réception ne peut pas être après aujourd’hui.' });
  // One line, as the reason of an archive's opening: the shared rule for text that must show as it is (no bidirectional control).
  const problem = statement ? textProblem(statement, 'name') : null;
  if (problem) errors.push({ field: 'request.statement', code: problem.code, message: problem.message });
  else if (statement.length < ACCESS_REQUEST_STATEMENT_MIN || statement.length > ACCESS_REQUEST_STATEMENT_MAX)
    errors.push({
      field: 'request.statement',
      code: 'ACCESS_REQUEST_STATEMENT_INVALID',
      message: `Décrivez la demande reçue (courrier, e-mail, en main propre ; ce qu’elle demande) : de ${ACCESS_REQUEST_STATEMENT_MIN} à ${ACCESS_REQUEST_STATEMENT_MAX} caractères.`,
    });
  if (errors.length) throw new ValidationError(errors);
  return { from: from as AccessRequestFrom, receivedOn, answerDue: answerDueOf(receivedOn), statement };
}

export function accessRequestStatementRequired(): ValidationError {
  return new ValidationError(
    [{ field: 'request', code: 'ACCESS_REQUEST_STATEMENT_REQUIRED', message: ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE }],
    ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE,
    'ACCESS_REQUEST_STATEMENT_REQUIRED',
  );
}
