import { escapeHtml } from '@carepact/common';
import { PictogramLibrary } from '@carepact/templates';
import { noBreakInDatesAndAmounts } from '../format';
import { contentVariantOf, type Block, type DocumentTree, type Inline, type SignaturesBlock, type TableBlock, type Variant } from '../tree';

/**
 * HTML adapter: semantic HTML5 for the signing portal's reading view (WCAG 2.1 AA, checked with
 * axe-core in Chromium). Every piece of text goes through `escapeHtml`: the tree holds plain
 * text only, so a name like `<script>` is shown, never run. No script, no external resource:
 * pictograms are inline SVG, styles are embedded. Pure string building, so output is deterministic.
 */
export interface HtmlRenderOptions {
  /** Where pictograms come from; defaults to the repository's library. */
  pictograms?: Pick<PictogramLibrary, 'get'>;
  /**
   * Added to every heading level (capped at 6) when the fragment sits under a page's own h1 and
   * h2 (the console's preview): the document's title becomes an h3 and the outline stays nested.
   */
  headingOffset?: number;
}

let defaultLibrary: PictogramLibrary | null = null;
function library(options: HtmlRenderOptions): Pick<PictogramLibrary, 'get'> {
  if (options.pictograms) return options.pictograms;
  defaultLibrary ??= new PictogramLibrary();
  return defaultLibrary;
}

/** Style profile per rendition variant (ACCESSIBILITY.md): sans-serif, left-aligned, never
 * justified nor hyphenated, line spacing ≥ 1.5, no italics; FALC ≥ 14 pt, large print 18 pt. */
export function htmlStyles(variant: Variant): string {
  const size = variant === 'large-print' ? '24px' : variant === 'falc' ? '20px' : '18px';
  const lineHeight = variant === 'standard' ? '1.5' : '1.6';
  return [
    `.cp-doc{font-family:Arial,"Liberation Sans","DejaVu Sans",Helvetica,sans-serif;font-size:${size};line-height:${lineHeight};color:#1a1a1a;background:#fff;text-align:left;hyphens:manual;overflow-wrap:break-word;max-width:42em;margin:0 auto;padding:${variant === 'large-print' ? '2cm' : '1em'}}`,
    '.cp-doc *{font-style:normal;text-decoration:none;text-align:left}',
    '.cp-doc h1{font-size:1.75em;line-height:1.3;margin:0 0 .75em}',
    '.cp-doc h2{font-size:1.4em;line-height:1.3;margin:1.5em 0 .5em}',
    '.cp-doc h3{font-size:1.2em;line-height:1.3;margin:1.2em 0 .4em}',
    '.cp-doc h4{font-size:1.05em;line-height:1.3;margin:1em 0 .4em}',
    `.cp-doc p{margin:0 0 ${variant === 'falc' ? '.6em' : '.8em'}}`,
    '.cp-doc ul,.cp-doc ol{margin:0 0 1em;padding-left:1.5em}',
    '.cp-doc li{margin:0 0 .4em}',
    '.cp-doc table{border-collapse:collapse;width:100%;margin:0 0 1em}',
    '.cp-doc caption{text-align:left;font-weight:bold;margin:0 0 .4em}',
    '.cp-doc th,.cp-doc td{border:1px solid #4a4a4a;padding:.4em .6em;vertical-align:top}',
    '.cp-doc thead th{background:#e8eef5}',
    '.cp-doc figure{margin:1em 0 .5em}',
    `.cp-doc figure svg{width:${variant === 'large-print' ? '96px' : '72px'};height:auto;display:block}`,
    '.cp-doc .cp-slots{list-style:none;padding:0}',
    '.cp-doc .cp-slots li{border:1px solid #4a4a4a;padding:.6em .8em;margin:0 0 .8em}',
    '.cp-doc .cp-slots p{margin:0 0 .3em}',
  ].join('\n');
}

/** Escaped text; dates and amounts are not split across lines (no-break spaces, see fr-format). */
function text(s: string): string {
  return escapeHtml(noBreakInDatesAndAmounts(s));
}

// Loops rather than map callbacks in this file: a render thread keeps its optimised code only for
// functions that live on (a callback made per call is compiled again after each full collection).

function inline(runs: Inline): string {
  let out = '';
  for (const r of runs) out += r.strong ? `<strong>${text(r.text)}</strong>` : text(r.text);
  return out;
}

function table(b: TableBlock): string {
  let head = '';
  for (const h of b.header) head += `<th scope="col">${text(h)}</th>`;
  let rows = '';
  for (let r = 0; r < b.rows.length; r++) {
    const row = b.rows[r];
    let cells = '';
    for (let i = 0; i < row.length; i++) cells += i === 0 && b.rowHeaders ? `<th scope="row">${inline(row[i])}</th>` : `<td>${inline(row[i])}</td>`;
    rows += `${r ? '\n' : ''}<tr>${cells}</tr>`;
  }
  return `<table>\n<caption>${text(b.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function signatures(b: SignaturesBlock, id: string, variant: Variant, figure = '', offset = 0): string {
  const h = Math.min(6, 2 + offset);
  const pending = variant === 'falc' ? 'Pas encore signé.' : 'Signature : en attente.';
  let slots = '';
  for (const s of b.slots) {
    const status = s.signedOn ? `Signé le ${text(s.signedOn)}${s.method ? `, ${text(s.method)}` : ''}.` : pending;
    slots += `${slots ? '\n' : ''}<li><p><strong>${escapeHtml(s.name)}</strong></p><p>${text(s.capacity)}</p><p>${status}</p></li>`;
  }
  return `<section aria-labelledby="${id}">\n<h${h} id="${id}">${escapeHtml(b.heading)}</h${h}>\n${figure}${figure ? '\n' : ''}<ul class="cp-slots">\n${slots}\n</ul>\n</section>`;
}

function block(b: Block, index: number, variant: Variant, pictos: Pick<PictogramLibrary, 'get'>, offset = 0): string {
  switch (b.kind) {
    case 'heading': {
      const level = Math.min(6, b.level + offset);
      return `<h${level}>${inline(b.text)}</h${level}>`;
    }
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      let items = '';
      for (const item of b.items) items += `${items ? '\n' : ''}<li>${inline(item)}</li>`;
      return `<${tag}>\n${items}\n</${tag}>`;
    }
    case 'table':
      return table(b);
    case 'figure': {
      const p = pictos.get(b.asset);
      const alt = escapeHtml(b.alt);
      let paths = '';
      for (const x of p.paths) paths += `<path d="${escapeHtml(x.d)}" fill="${escapeHtml(x.fill)}"/>`;
      return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="${p.viewBox.join(' ')}" role="img" aria-label="${alt}" focusable="false"><title>${alt}</title>${paths}</svg></figure>`;
    }
    case 'signatures':
      return signatures(b, `cp-signatures-${index}`, variant, '', offset);
  }
}

/** The document body only (an `<article>`), for the signing portal to embed; pair it with `htmlStyles`. */
export function renderHtmlFragment(tree: DocumentTree, variant: Variant, options: HtmlRenderOptions = {}): string {
  if (contentVariantOf(variant) !== tree.contentVariant) throw new Error(`variante ${variant} demandée pour un arbre ${tree.contentVariant}`);
  const pictos = library(options);
  const offset = options.headingOffset ?? 0;
  // The pictogram of the signatures section comes after its heading (the block carries the heading),
  // as in the PDF: otherwise it would be read as part of the previous section.
  const parts: string[] = [];
  for (let i = 0; i < tree.blocks.length; i++) {
    const b = tree.blocks[i];
    const next = tree.blocks[i + 1];
    if (b.kind === 'figure' && next?.kind === 'signatures') continue;
    const prev = tree.blocks[i - 1];
    if (b.kind === 'signatures' && prev?.kind === 'figure') parts.push(signatures(b, `cp-signatures-${i}`, variant, block(prev, i - 1, variant, pictos), offset));
    else parts.push(block(b, i, variant, pictos, offset));
  }
  const body = parts.join('\n');
  return `<article class="cp-doc cp-${variant}" lang="fr">\n${body}\n</article>`;
}

/** A complete, self-contained HTML page (`lang="fr"`, title, embedded style profile). */
export function renderHtml(tree: DocumentTree, variant: Variant, options: HtmlRenderOptions = {}): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="fr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(tree.title)} – ${escapeHtml(tree.meta.establishmentName)}</title>`,
    `<style>\nbody{margin:0;background:#fff}\n${htmlStyles(variant)}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHtmlFragment(tree, variant, options),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
