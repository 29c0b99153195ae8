import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
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

/** Other pages' flashes (each flash is bound to one page key, so a page only reads its own kinds). */
export type PageFlash =
  | Flash
  /** « Vérifier la chaîne » on the audit log page (console/audit): the chain's report, its first broken event. */
  | { kind: 'audit-verified'; ok: boolean; events: number; broken: { seq: number; eventId: string | null; reason: string; message: string } | null }
  /** « Vérifier à nouveau » on a document's history page: each check's result. */
  | { kind: 'verification'; ok: boolean; checkedAt: string; checks: { what: string; ok: boolean; detail: string | null }[] };

const COOKIE = 'carepact_console_flash';
const MAX_AGE_MS = 60_000;

function key(secret: string): Buffer {
  return createHash('sha256').update(`console-flash\0${secret}`).digest();
}

export function setFlash(res: Response, secret: string, secure: boolean, actor: StaffActor, documentId: string, flash: PageFlash): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secret), iv);
  const plain = JSON.stringify({ s: actor.sessionId, d: documentId, e: Date.now() + MAX_AGE_MS, f: flash });
  // Compressed: a verification's checks repeat the same words (a cookie holds about 4 KB).
  const body = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(plain, 'utf8'))), cipher.final()]);
  const value = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  res.cookie(COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/console', maxAge: MAX_AGE_MS });
}

/** The flash for this session and document, if any; the cookie is cleared either way. */
export function takeFlash<F extends PageFlash = Flash>(req: Request, res: Response, secret: string, actor: StaffActor, documentId: string): F | null {
  const raw = ((req as Request & { cookies?: Record<string, string> }).cookies ?? {})[COOKIE];
  if (!raw) return null;
  res.clearCookie(COOKIE, { path: '/console' });
  try {
    const buf = Buffer.from(raw, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(secret), buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    const plain = inflateRawSync(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()])).toString('utf8');
    const v = JSON.parse(plain) as { s: string; d: string; e: number; f: F };
    return v.s === actor.sessionId && v.d === documentId && v.e > Date.now() ? v.f : null;
  } catch {
    return null;
  }
}
