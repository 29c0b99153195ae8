import { canonicalJson, sha256Hex } from '@carepact/common';
import { LoadedTemplate, TemplateLoader } from '@carepact/templates';
import { renderDocx } from './docx';
import { renderHtml } from './html';
import { PDF_RENDERER_VERSION, renderPdf } from './pdf';
import { checkInput, resolveChecked } from './resolve';
import { DocumentTree, FORMATS, RenditionFormat, VARIANTS, Variant, contentVariantOf } from './tree';

/** Recorded on every version: which code produced its renditions. */
export const RENDERER_VERSION = `carepact-render/1.0.0 (${PDF_RENDERER_VERSION}; docx 1.4.0; html 1.2.0)`;

export const MEDIA_TYPES: Record<RenditionFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
};

export interface Rendition {
  format: RenditionFormat;
  variant: Variant;
  bytes: Buffer;
  mediaType: string;
}

let loader: TemplateLoader | null = null;
/** One loader per process: templates are parsed, validated and hashed once. */
export function templates(): TemplateLoader {
  loader ??= new TemplateLoader();
  return loader;
}

export function inputHash(input: unknown): string {
  return sha256Hex(canonicalJson(input));
}

/** Resolves both content variants once, from data validated and hashed once; each tree then feeds three formats. */
export function resolveTrees(template: LoadedTemplate, input: unknown): Record<'standard' | 'falc', DocumentTree> {
  const checked = checkInput(template, input);
  return { standard: resolveChecked(template, input, 'standard', {}, checked), falc: resolveChecked(template, input, 'falc', {}, checked) };
}

export async function renderOne(tree: DocumentTree, format: RenditionFormat, variant: Variant): Promise<Buffer> {
  switch (format) {
    case 'pdf':
      return renderPdf(tree, variant);
    case 'docx':
      return renderDocx(tree, variant);
    case 'html':
      return Buffer.from(renderHtml(tree, variant), 'utf8');
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/** What the renditions belong to, beyond template and data: printed in PDF and DOCX page footers. */
export interface BundleContext {
  /** The stored document version's id; absent for an offline render. */
  versionId?: string;
}

/** The 9 renditions (3 formats × 3 variants) of one template version and input. Deterministic. */
export async function renderBundle(templateId: string, templateVersion: string, input: unknown, context: BundleContext = {}): Promise<Rendition[]> {
  const template = templates().load(templateId, templateVersion);
  const trees = resolveTrees(template, input);
  if (context.versionId) for (const tree of Object.values(trees)) tree.meta.versionId = context.versionId;
  const out: Rendition[] = [];
  for (const variant of VARIANTS) {
    const tree = trees[contentVariantOf(variant)];
    for (const format of FORMATS) out.push({ format, variant, bytes: await renderOne(tree, format, variant), mediaType: MEDIA_TYPES[format] });
  }
  return out;
}
