import { DomainError } from '@carepact/common';
import { MAX_SCAN_BYTES, ScanRefusedError } from '@carepact/signing';
import type { Request } from 'express';

/**
 * Reads a raw `application/pdf` request body, in the handler: after the staff guard, so that no one
 * unauthenticated makes the API buffer a file. At most MAX_SCAN_BYTES: a larger declared length is
 * refused before a byte is read, a larger stream as soon as it passes the limit.
 */
export async function readPdfBody(req: Request, limit = MAX_SCAN_BYTES): Promise<Buffer> {
  if (!req.is('application/pdf'))
    throw new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', 'Envoyez le scan tel quel, en PDF (Content-Type: application/pdf).');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new DomainError('invalid', 'UNSUPPORTED_ENCODING', 'Envoyez le PDF sans compression de transfert (Content-Encoding).');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // discard: the answer goes out now
    throw new ScanRefusedError('PAPER_TOO_LARGE');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new ScanRefusedError('PAPER_TOO_LARGE');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
