import { DomainError } from '@carepact/common';
import { MAX_SCAN_BYTES, ScanRefusedError } from '@carepact/signing';
import type { Request } from 'express';

/**
 * Reads a raw `application/pdf` request body, in the handler: after the staff guard, so that no one
 * unauthenticated makes the API buffer a file. At most MAX_SCAN_BYTES: a larger declared length is
 * refused before a byte is read, a larger stream as soon as it passes the limit.
 */
export async function readPdfBody(
  req: Request,
  limit = MAX_SCAN_BYTES,
  /** What the file is, for the other uploads than a scan (an annex): its 413 and the words of the media type refusal. */
  file: { tooLarge: () => DomainError; what: string } = { tooLarge: () => new ScanRefusedError('PAPER_TOO_LARGE'), what: 'le scan' },
): Promise<Buffer> {
  if (!req.is('application/pdf'))
    throw new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', `Envoyez ${file.what} tel quel, en PDF (Content-Type: application/pdf).`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new DomainError('invalid', 'UNSUPPORTED_ENCODING', 'Envoyez le PDF sans compression de transfert (Content-Encoding).');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // discard: the answer goes out now
    throw file.tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw file.tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
