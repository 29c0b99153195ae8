/**
 * The PDF renderer's version, recorded with each rendition and printed in each PDF's producer; bump
 * when the same tree would render differently. Apart from render-pdf.ts so that reading it loads no
 * PDF library (see index.ts).
 */
export const PDF_RENDERER_VERSION = 'carepact-pdf/1.2.0';
