/**
 * Independent readers for sealed PDFs: poppler's pdfsig (NSS) and OpenSSL. The signing code is
 * never used to read back what it wrote; the byte ranges and /Contents are read from qpdf's view.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DocumentTree } from '@carepact/rendering';
import { contratSejourTree } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import { dictOf, qpdfObjects, type QpdfObject, type QpdfValue, run } from '../rendering-pdf/pdf-tools';

export const workDir = mkdtempSync(join(tmpdir(), 'carepact-seal-'));
let counter = 0;
export function tempFile(name: string, data: Buffer | string): string {
  const file = join(workDir, `${++counter}-${name}`);
  writeFileSync(file, data);
  return file;
}

/** Now, to the second: the dev certificate is issued "now", and /M has no milliseconds. */
export const now = (): Date => new Date(Math.floor(Date.now() / 1000) * 1000);

export const ESTABLISHMENT = 'Résidence « Les Tilleuls »';

/** The fixture contract as the sealing job renders it: every slot signed. */
export function signedTree(): DocumentTree {
  const tree = contratSejourTree('standard');
  return {
    ...tree,
    blocks: tree.blocks.map((b) =>
      b.kind === 'signatures'
        ? { ...b, slots: b.slots.map((s) => ({ ...s, signedOn: 'le 23 novembre 2026', method: 'Signature électronique par lien reçu par courriel' })) }
        : b,
    ),
  };
}

export interface PdfSig {
  status: number;
  out: string;
  valid: boolean;
}
export function pdfsig(file: string): PdfSig {
  const r = run('pdfsig', [file]);
  const out = r.stdout + r.stderr;
  return { status: r.status, out, valid: /Signature Validation: Signature is Valid\./.test(out) };
}

/** The signature dictionary as qpdf reads it (through AcroForm → Fields → V). */
export function signatureDictionary(objects: Record<string, QpdfObject>): { field: Record<string, QpdfValue>; sig: Record<string, QpdfValue>; fieldRef: string } {
  const catalog = Object.values(objects)
    .map(dictOf)
    .find((d) => d?.['/Type'] === '/Catalog') as Record<string, QpdfValue>;
  const acro = dictOf(objects[`obj:${String(catalog['/AcroForm'])}`]) as Record<string, QpdfValue>;
  const fields = acro['/Fields'] as string[];
  if (fields.length !== 1) throw new Error(`expected one field, got ${fields.length}`);
  const field = dictOf(objects[`obj:${fields[0]}`]) as Record<string, QpdfValue>;
  const sig = dictOf(objects[`obj:${String(field['/V'])}`]) as Record<string, QpdfValue>;
  return { field, sig, fieldRef: fields[0] };
}

/** The CMS in /Contents (its DER, without the zero padding) and the signed bytes. */
export function extractSignature(pdf: Buffer, file: string): { cms: Buffer; signed: Buffer; byteRange: number[] } {
  const { sig } = signatureDictionary(qpdfObjects(file));
  const byteRange = sig['/ByteRange'] as number[];
  const [a, b, c, d] = byteRange;
  const hex = pdf.toString('latin1', b + 1, c - 1);
  const padded = Buffer.from(hex, 'hex');
  // DER SEQUENCE with a long-form length: 0x30 0x8n followed by n length octets.
  const n = padded[1] & 0x7f;
  const len = padded.subarray(2, 2 + n).reduce((acc, x) => acc * 256 + x, 0);
  return { cms: padded.subarray(0, 2 + n + len), signed: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]), byteRange };
}

export function openssl(args: string[]): { status: number; stdout: string; stderr: string } {
  return run('openssl', args);
}
