/**
 * The establishment's seal on the scan of a paper signature (issue 11 §6): the scan stamped and
 * prepared with pdf-lib (libs/signing/src/paper/scan-stamp.ts), then signed by the same signPdf
 * as every generated document (PAdES B-B, or B-T with a time-stamping authority; the same identity, the same CMS).
 */
import { prepareScanForSeal, type ScanSealPreparation } from '../paper/scan-stamp';
import type { SealIdentity } from './seal-identity';
import { TIMESTAMPED_CONTENTS_BYTES, signPdf, signPdfTimestamped, type Timestamper } from './sign-pdf';

/** `timestamp`: with a time-stamping authority, PAdES B-T (the same as a generated document's seal). */
export async function sealScan(scan: Buffer, identity: SealIdentity, prep: ScanSealPreparation, timestamp?: Timestamper): Promise<Buffer> {
  if (!timestamp) return signPdf(await prepareScanForSeal(scan, prep), identity, { signingTime: prep.signingTime });
  const prepared = await prepareScanForSeal(scan, { ...prep, signature: { ...prep.signature, contentsBytes: prep.signature.contentsBytes ?? TIMESTAMPED_CONTENTS_BYTES } });
  return signPdfTimestamped(prepared, identity, timestamp, { signingTime: prep.signingTime });
}
