import type { StaffActor } from '@carepact/identity';
import type { Request } from 'express';
import type { StaffRequest } from '../http/auth.guard';

/** A console form's fields: after consoleFormBody, always strings. */
export type FormBody = Record<string, string | undefined>;

export function formBody(req: Request): FormBody {
  return (req.body ?? {}) as FormBody;
}

/** The person behind a console request (set by StaffAuthGuard, which runs before every console route). */
export function actorOf(req: Request): StaffActor {
  const actor = (req as StaffRequest).actor;
  if (!actor) throw new Error('console route reached without StaffAuthGuard');
  return actor;
}

/**
 * Only console paths are followed after a login: never another site, never `//host`, never a
 * backslash (which browsers read as a slash); printable ASCII only, as a browser sends an address
 * (percent-encoded): a space, a CR or LF or a character beyond Latin-1 would not fit in the
 * Location header.
 */
export function safeConsolePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  return /^\/console(?:[/?#][\x21-\x5b\x5d-\x7e]*)?$/.test(value) ? value : undefined;
}

/** A section of a console page, as its heading's id (`questions-<id>`, `demande-<id>`): nothing that could leave the fragment. */
export const CONSOLE_SECTION = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Where the login leads back to: a safe console path (safeConsolePath) whose `section` parameter
 * becomes the fragment. A staff e-mail's link names the section twice, `?section=X#X`
 * (SigningJobsService staffConsoleUrl): the browser never sends the fragment, so the way through
 * the login page keeps only the query, and this brings the reader to the section, without
 * JavaScript. A section that does not match CONSOLE_SECTION (at most 100 characters) is dropped.
 */
export function consoleReturnPath(value: unknown): string | undefined {
  const path = safeConsolePath(value);
  if (!path) return undefined;
  const hash = path.indexOf('#');
  const [pathAndQuery, fragment] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return path;
  const params = new URLSearchParams(pathAndQuery.slice(q + 1));
  if (!params.has('section')) return path;
  const section = params.getAll('section');
  params.delete('section');
  const rest = params.toString();
  const target = `${pathAndQuery.slice(0, q)}${rest ? `?${rest}` : ''}`;
  const valid = section.length === 1 && section[0].length <= 100 && CONSOLE_SECTION.test(section[0]);
  return valid ? `${target}#${section[0]}` : `${target}${fragment}`;
}
