/**
 * The establishment's seal on the scan of a paper signature (issue 11 §6): the scan stamped and
 * prepared with pdf-lib (libs/signing/src/paper/scan-stamp.ts), then signed by the same signPdf
 * as every generated document (PAdES B-B, the same identity, the same CMS).
 */
import { prepareScanForSeal, type ScanSealPreparation } from '../paper/scan-stamp';
import type { SealIdentity } from './seal-identity';
import { signPdf } from './sign-pdf';

export async function sealScan(scan: Buffer, identity: SealIdentity, prep: ScanSealPreparation): Promise<Buffer> {
  return signPdf(await prepareScanForSeal(scan, prep), identity, { signingTime: prep.signingTime });
}
