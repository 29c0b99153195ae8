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

/** Only console paths are followed after a login: never another site, never `//host`. */
export function safeConsolePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  return /^\/console(?:[/?#][^\\]*)?$/.test(value) && !value.startsWith('//') ? value : undefined;
}
