import { createHash } from 'node:crypto';
import { type TimestampCheck, signatureTimestampOf, verifyTimestampToken } from '@carepact/signing';
import { type CmsCheck, verifyDetachedCms } from './cms-verify';

export interface PadesCheck extends CmsCheck {
  byteRange: number[] | null;
  /**
   * The seal's signature-time-stamp token (PAdES B-T), checked: its imprint is the hash of the
   * signature value, its signature verifies under the TSA certificate it carries, and the seal
   * certificate was valid at the time it certifies. Null when the seal has none (B-B) or when the
   * CMS itself did not check out. A failed token does not change `ok` (the CMS's own check): callers
   * report it apart (TIMESTAMP_INVALID).
   */
  timestamp: TimestampCheck | null;
  /**
   * The seal's time as the seal itself records it: /M of the signature dictionary, inside the signed
   * bytes (the CMS carries no signing-time, seal-document.ts). Null when absent or unreadable.
   */
  signingTime: Date | null;
}

/**
 * The seal of a PDF as libs/signing writes it (one signature, PAdES B-B or B-T): the /ByteRange covers the
 * whole file but the /Contents hex string, the CMS in /Contents signs the SHA-256 of those bytes
 * (message-digest attribute), and the CMS signature verifies under the certificate it embeds.
 * A later incremental update (anything appended after the signed revision) fails the first rule.
 */
export function verifyPades(pdf: Buffer): PadesCheck {
  const none = (reason: string): PadesCheck => ({ ok: false, reason, signer: null, certificates: [], byteRange: null, timestamp: null, signingTime: null });
  const text = pdf.toString('latin1');
  const found = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (found.length === 0) return none('aucune signature (/ByteRange absent)');
  if (found.length > 1) return none(`${found.length} signatures, une seule attendue`);
  const [a, b, c, d] = found[0].slice(1, 5).map(Number);
  const byteRange = [a, b, c, d];
  if (a !== 0 || b <= 0 || c <= b || c + d !== pdf.length)
    return { ...none(`la plage signée [${byteRange.join(' ')}] ne couvre pas tout le fichier (${pdf.length} octets) hors signature`), byteRange };
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { ...none('la plage non signée n’est pas exactement la valeur /Contents'), byteRange };
  const hex = text.slice(b + 1, c - 1);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return { ...none('/Contents n’est pas une chaîne hexadécimale'), byteRange };
  const padded = Buffer.from(hex, 'hex');
  const cms = trimDer(padded);
  if (!cms) return { ...none('/Contents ne contient pas de structure DER lisible'), byteRange };
  // /Contents is outside the signed bytes: anything but the zero padding after the signature would
  // be content nobody signed (the seal writes zeros there, sign-pdf.ts).
  if (padded.subarray(cms.length).some((x) => x !== 0)) return { ...none('/Contents contient des octets non signés après la signature'), byteRange };
  const digest = createHash('sha256').update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
  const check = verifyDetachedCms(cms, digest);
  return { ...check, byteRange, timestamp: check.ok ? sealTimestamp(cms, check) : null, signingTime: signatureTimeOf(text, found[0].index) };
}

/**
 * /M of the signature dictionary that holds the /ByteRange at `at` (a PDF date, ISO 32000-1 7.9.4:
 * D:YYYYMMDDHHmmSS, then Z or ±HH'mm'). Null when there is none.
 */
function signatureTimeOf(text: string, at: number): Date | null {
  const start = text.lastIndexOf(' obj', at);
  const end = text.indexOf('endobj', at);
  if (start < 0 || end < 0) return null;
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?\)/.exec(text.slice(start, end));
  if (!m) return null;
  const [, y, mo, d, h, mi, se, , sign, oh, om] = m;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0)) : 0;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) - offset * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

function sealTimestamp(cms: Buffer, check: CmsCheck): TimestampCheck | null {
  let found: ReturnType<typeof signatureTimestampOf>;
  try {
    found = signatureTimestampOf(cms);
  } catch (e) {
    return { ok: false, reason: `attributs non signés illisibles (${(e as Error).message})` };
  }
  if (!found.token) return null;
  const ts = verifyTimestampToken(found.token, found.signatureValue);
  if (!ts.ok) return ts;
  const signer = check.signer!;
  if (ts.genTime < new Date(signer.validFrom) || ts.genTime > new Date(signer.validTo))
    return { ok: false, reason: `le certificat du cachet n’était pas valide à l’heure de l’horodatage (${ts.genTime.toISOString()})` };
  return ts;
}

/** The DER SEQUENCE at the start of /Contents, without the zero padding after it. */
function trimDer(padded: Buffer): Buffer | null {
  if (padded.length < 2 || padded[0] !== 0x30) return null;
  let len = padded[1];
  let start = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + padded[2 + i];
    start += n;
  }
  return start + len <= padded.length ? padded.subarray(0, start + len) : null;
}
