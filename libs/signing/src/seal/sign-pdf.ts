/**
 * Fills the signature field that renderPdf prepared (libs/rendering, signature-field.ts): the
 * /ByteRange placeholder gets the two signed ranges (all the file but the /Contents hex string),
 * /Contents the detached CAdES signature over them. Nothing else moves, so the single revision
 * that PDFKit wrote — structure tree, fonts, xref offsets — stays byte for byte what was rendered.
 */
import { createHash } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { BYTE_RANGE_PLACEHOLDER } from '@carepact/rendering';
import { assembleCades, cadesDetachedSignature, cadesSignatureValue } from './cms';
import type { SealIdentity } from './seal-identity';
import { SealError } from './seal.errors';

export interface SignPdfOptions {
  /**
   * The time written as /M when the field was rendered: the certificate must be valid then.
   * Omitted, the certificate's validity is checked against the clock.
   */
  signingTime?: Date;
}

export interface PreparedSignature {
  /** Offset of the "[" of the /ByteRange array. */
  byteRangeAt: number;
  /** Offsets of the "<" and just after the ">" of the /Contents hex string. */
  contentsStart: number;
  contentsEnd: number;
}

const SIG_HEADER = new RegExp(
  String.raw`^\d+ 0 obj\n<<\n/Type /Sig\n/Filter /Adobe\.PPKLite\n/SubFilter /ETSI\.CAdES\.detached\n/ByteRange ` +
    BYTE_RANGE_PLACEHOLDER.replace(/[[\]]/g, '\\$&') +
    String.raw`\n/Contents <`,
);

/**
 * Finds the unsigned signature dictionary through the cross-reference table: only an object start
 * can match, so no text of the document (a title, a name) can pass itself off as the placeholder.
 */
export function findPreparedSignature(pdf: Buffer): PreparedSignature {
  const none = (why: string): never => {
    throw new SealError('SEAL_PDF_NO_SIGNATURE_FIELD', `Le PDF à sceller n'a pas de champ de signature préparé (${why}).`);
  };
  const tail = pdf.toString('latin1', Math.max(0, pdf.length - 64));
  const m = /startxref\n(\d+)\n%%EOF\n?$/.exec(tail);
  if (!m) return none('fin de fichier inattendue');
  const xrefAt = Number(m[1]);
  const head = pdf.toString('latin1', xrefAt, xrefAt + 64);
  const sub = /^xref\n0 (\d+)\n/.exec(head);
  if (!sub) return none('table de références croisées illisible');
  const count = Number(sub[1]);
  const entries = xrefAt + sub[0].length;
  const found: PreparedSignature[] = [];
  for (let i = 1; i < count; i++) {
    const entry = pdf.toString('latin1', entries + 20 * i, entries + 20 * i + 18);
    if (!entry.endsWith(' n')) continue;
    const at = Number(entry.slice(0, 10));
    if (pdf[at + 1] === undefined) continue;
    const header = SIG_HEADER.exec(pdf.toString('latin1', at, at + 200));
    if (!header) continue;
    const contentsStart = at + header[0].length - 1;
    let end = contentsStart + 1;
    while (pdf[end] === 0x30) end++;
    if (pdf[end] !== 0x3e) continue; // ">": an already-filled signature is not a placeholder
    found.push({ byteRangeAt: at + header[0].indexOf('[0 9'), contentsStart, contentsEnd: end + 1 });
  }
  if (found.length !== 1) return none(found.length === 0 ? 'aucun' : 'plusieurs');
  return found[0];
}

/**
 * /Contents reserved for a B-T seal (the B-B default is 8192): the seal's CMS and its chain, plus
 * the TSA's token with its certificate (and the chain some TSAs add), a few kilobytes each.
 */
export const TIMESTAMPED_CONTENTS_BYTES = 24576;

/** Returns the sealed PDF (a copy: `prepared` is left as it was): PAdES B-B. */
export function signPdf(prepared: Buffer, identity: SealIdentity, opts: SignPdfOptions = {}): Buffer {
  const { pdf, digest, contentsStart, contentsEnd } = placeByteRange(prepared, identity, opts);
  return writeContents(pdf, cadesDetachedSignature(digest, identity), contentsStart, contentsEnd);
}

/**
 * Asks for an RFC 3161 token over a signature value and returns it checked (timestamp.ts
 * requestTimestamp with the configured TSA); throws TimestampError otherwise.
 */
export type Timestamper = (signatureValue: Buffer) => Promise<Buffer>;

/**
 * PAdES baseline B-T (ETSI EN 319 142-1 6.3): the B-B signature, then a signature-time-stamp token
 * over its signature value as the SignerInfo's unsigned attribute. The token is outside the signed
 * attributes: the signed bytes and the signature are those of the B-B seal. Without a token (the TSA
 * failed), nothing is returned: the error propagates, never a B-B seal in its place.
 */
export async function signPdfTimestamped(prepared: Buffer, identity: SealIdentity, timestamp: Timestamper, opts: SignPdfOptions = {}): Promise<Buffer> {
  const { pdf, digest, contentsStart, contentsEnd } = placeByteRange(prepared, identity, opts);
  const value = cadesSignatureValue(digest, identity);
  const token = await timestamp(value.signature);
  return writeContents(pdf, assembleCades(value, identity, token), contentsStart, contentsEnd);
}

function placeByteRange(prepared: Buffer, identity: SealIdentity, opts: SignPdfOptions): { pdf: Buffer; digest: Buffer; contentsStart: number; contentsEnd: number } {
  checkValidity(identity, opts.signingTime ?? new Date());
  const { byteRangeAt, contentsStart, contentsEnd } = findPreparedSignature(prepared);
  const pdf = Buffer.from(prepared);
  const ranges = [0, contentsStart, contentsEnd, pdf.length - contentsEnd];
  const byteRange = `[${ranges.join(' ')}]`;
  // Same width as the placeholder: the spaces before "]" keep every later offset in place.
  pdf.write(byteRange.slice(0, -1).padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', byteRangeAt, 'latin1');
  const digest = createHash('sha256').update(pdf.subarray(0, contentsStart)).update(pdf.subarray(contentsEnd)).digest();
  return { pdf, digest, contentsStart, contentsEnd };
}

function writeContents(pdf: Buffer, cms: Buffer, contentsStart: number, contentsEnd: number): Buffer {
  const room = (contentsEnd - contentsStart - 2) / 2;
  if (cms.length > room) {
    throw new SealError(
      'SEAL_SIGNATURE_TOO_LARGE',
      `La signature (${cms.length} octets) dépasse la place réservée dans le PDF (${room} octets) : augmentez contentsBytes.`,
    );
  }
  pdf.write(cms.toString('hex'), contentsStart + 1, 'latin1');
  return pdf;
}

function checkValidity(identity: SealIdentity, at: Date): void {
  const x509 = new X509Certificate(identity.certificate);
  const from = new Date(x509.validFrom);
  const to = new Date(x509.validTo);
  if (at < from || at > to) {
    throw new SealError(
      'SEAL_CERTIFICATE_NOT_VALID',
      `Le certificat de l'établissement n'est pas valide le ${at.toISOString()} (valide du ${from.toISOString()} au ${to.toISOString()}).`,
    );
  }
}
