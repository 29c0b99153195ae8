import type { DocumentTree, Variant } from '../tree';
import type { PdfRenderOptions } from './render-pdf';

export { PDF_RENDERER_VERSION } from './version';
export type { PdfRenderOptions } from './render-pdf';
export { pdfStyleFor, type PdfStyle } from './pdf-style';
export { loadPictogram } from './pictograms';
export { BYTE_RANGE_PLACEHOLDER, DEFAULT_SIGNATURE_CONTENTS_BYTES, type PdfSignatureField } from './signature-field';

let renderer: Promise<typeof import('./render-pdf')> | undefined;

/**
 * A tagged PDF of the tree (render-pdf.ts). PDFKit and fontkit are loaded at the first render, not
 * when the library is imported: the api and the worker's main thread, which import this library
 * but render on threads or not at all, do not carry them (some 25 MB of resident memory each).
 */
export function renderPdf(tree: DocumentTree, variant: Variant, options: PdfRenderOptions = {}): Promise<Buffer> {
  renderer ??= import('./render-pdf');
  return renderer.then((m) => m.renderPdf(tree, variant, options));
}
