import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { StaffActor } from '@carepact/identity';
import type { Request, Response } from 'express';

/**
 * What an action's POST hands to the page it redirects to, shown once: an access code or an
 * in-person link (secrets to give the signer, SECURITY-RELIABILITY.md), or a confirmation. Carried
 * in a short-lived cookie encrypted and authenticated (AES-256-GCM under a key derived from the
 * session secret), bound to the staff session and the document, cleared by the GET that shows
 * it: nothing is stored, any api process can read it, and a reload does not show it again.
 */
export type Flash =
  | { kind: 'code'; signer: string; code: string; expiresAt: string }
  | { kind: 'in_person'; signer: string; url: string; expiresAt: string }
  | { kind: 'done'; message: string };

const COOKIE = 'carepact_console_flash';
const MAX_AGE_MS = 60_000;

function key(secret: string): Buffer {
  return createHash('sha256').update(`console-flash\0${secret}`).digest();
}

export function setFlash(res: Response, secret: string, secure: boolean, actor: StaffActor, documentId: string, flash: Flash): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secret), iv);
  const plain = JSON.stringify({ s: actor.sessionId, d: documentId, e: Date.now() + MAX_AGE_MS, f: flash });
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const value = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  res.cookie(COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/console', maxAge: MAX_AGE_MS });
}

/** The flash for this session and document, if any; the cookie is cleared either way. */
export function takeFlash(req: Request, res: Response, secret: string, actor: StaffActor, documentId: string): Flash | null {
  const raw = ((req as Request & { cookies?: Record<string, string> }).cookies ?? {})[COOKIE];
  if (!raw) return null;
  res.clearCookie(COOKIE, { path: '/console' });
  try {
    const buf = Buffer.from(raw, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(secret), buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    const v = JSON.parse(plain) as { s: string; d: string; e: number; f: Flash };
    return v.s === actor.sessionId && v.d === documentId && v.e > Date.now() ? v.f : null;
  } catch {
    return null;
  }
}
