/**
 * Final render + seal of a document version (issue 4 §8): the standard PDF, with its filled
 * signature blocks and evidence page already in the tree, rendered with a tagged signature field,
 * then signed with the establishment's identity. One PDFKit revision, PDF/UA structure intact.
 */
import { type DocumentTree, type PdfRenderOptions, renderPdf, type Variant } from '@carepact/rendering';
import type { SealIdentity } from './seal-identity';
import { TIMESTAMPED_CONTENTS_BYTES, signPdf, signPdfTimestamped, type Timestamper } from './sign-pdf';

export interface SealOptions {
  /** The seal's time: /M of the signature dictionary (the CMS carries no signing-time). */
  signingTime: Date;
  /** /Name; defaults to the certificate's common name. */
  name?: string;
  /** /Reason, e.g. « Document signé par toutes les parties ». */
  reason?: string;
  location?: string;
  /** The legal original is the standard rendition. */
  variant?: Variant;
  /** Accessible name of the field; defaults to « Cachet électronique de <établissement> ». */
  tooltip?: string;
  /** Field name (/T). */
  fieldName?: string;
  /** Fonts and pictograms folders, reserved CMS size. */
  render?: Omit<PdfRenderOptions, 'signatureField'> & { contentsBytes?: number };
  /**
   * Renders the PDF; in the worker, the RenderPool's threads, so that a long render does not hold
   * the event loop (BullMQ's lock renewal, the other jobs). Defaults to rendering in-process.
   */
  renderer?: (tree: DocumentTree, variant: Variant, options: PdfRenderOptions) => Promise<Buffer>;
  /** With a time-stamping authority: a PAdES B-T seal (signPdfTimestamped); without, B-B. */
  timestamp?: Timestamper;
}

export const SEAL_FIELD_NAME = 'CachetEtablissement';

export async function sealDocument(tree: DocumentTree, identity: SealIdentity, opts: SealOptions): Promise<Buffer> {
  const { contentsBytes, ...render } = opts.render ?? {};
  const establishment = identity.subject.commonName || tree.meta.establishmentName;
  const prepared = await (opts.renderer ?? renderPdf)(tree, opts.variant ?? 'standard', {
    ...render,
    signatureField: {
      name: opts.fieldName ?? SEAL_FIELD_NAME,
      tooltip: opts.tooltip ?? `Cachet électronique de ${establishment}`,
      signingTime: opts.signingTime,
      signerName: opts.name ?? establishment,
      reason: opts.reason,
      location: opts.location,
      contentsBytes: contentsBytes ?? (opts.timestamp ? TIMESTAMPED_CONTENTS_BYTES : undefined),
    },
  });
  // The CMS signature stays here: a digest and one RSA operation, a millisecond or two.
  if (opts.timestamp) return signPdfTimestamped(prepared, identity, opts.timestamp, { signingTime: opts.signingTime });
  return signPdf(prepared, identity, { signingTime: opts.signingTime });
}
