export { renderDocx } from './docx-renderer';
export type { DocxRenderOptions } from './docx-renderer';
export { readZip, writeZip } from './zip-normalize';
export type { ZipEntry } from './zip-normalize';
