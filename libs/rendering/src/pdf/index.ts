export { renderPdf, PDF_RENDERER_VERSION, type PdfRenderOptions } from './render-pdf';
export { pdfStyleFor, type PdfStyle } from './pdf-style';
export { loadPictogram } from './pictograms';
export { BYTE_RANGE_PLACEHOLDER, DEFAULT_SIGNATURE_CONTENTS_BYTES, type PdfSignatureField } from './signature-field';
