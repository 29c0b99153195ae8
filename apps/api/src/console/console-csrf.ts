import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';

/**
 * The console's CSRF token: an HMAC of the staff session's id under the session secret. Every form
 * carries it; it changes with each session and needs no storage (synchronizer token derived from
 * the session, OWASP CSRF cheat sheet). The staff cookie is also SameSite=Strict.
 */
export function consoleCsrfToken(secret: string, actor: StaffActor): string {
  return createHmac('sha256', secret).update(`console-csrf\0${actor.sessionId}`).digest('base64url');
}

export class ConsoleCsrfError extends DomainError {
  constructor() {
    super('forbidden', 'CSRF_TOKEN_INVALID', 'Ce formulaire a expiré ou ne vient pas de la console. Rechargez la page et recommencez.');
  }
}

export function checkConsoleCsrf(secret: string, actor: StaffActor, given: unknown): void {
  const expected = Buffer.from(consoleCsrfToken(secret, actor));
  const got = Buffer.from(typeof given === 'string' ? given : '');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new ConsoleCsrfError();
}

/** The login form's token (no session yet): double submit, a random cookie equal to the hidden field. */
export const LOGIN_CSRF_COOKIE = 'carepact_login_csrf';

export function checkLoginCsrf(cookie: unknown, given: unknown): void {
  const a = Buffer.from(typeof cookie === 'string' ? cookie : '');
  const b = Buffer.from(typeof given === 'string' ? given : '');
  if (a.length < 16 || a.length !== b.length || !timingSafeEqual(a, b)) throw new ConsoleCsrfError();
}
