import type { DocumentTree, Variant } from '../tree';
import type { DocxRenderOptions } from './docx-renderer';

export type { DocxRenderOptions } from './docx-renderer';
export { readZip, writeZip } from './zip-normalize';
export type { ZipEntry } from './zip-normalize';

let renderer: Promise<typeof import('./docx-renderer')> | undefined;

/** The DOCX of the tree (docx-renderer.ts), its library loaded at the first render (see renderPdf in ../pdf). */
export function renderDocx(tree: DocumentTree, variant: Variant, options: DocxRenderOptions = {}): Promise<Buffer> {
  renderer ??= import('./docx-renderer');
  return renderer.then((m) => m.renderDocx(tree, variant, options));
}
