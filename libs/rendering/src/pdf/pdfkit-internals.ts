/**
 * The PDFKit 0.20 internals the adapter relies on, typed in one place (the published types lack
 * the tagging API's newer options and the font objects). Each is read from node_modules/pdfkit's
 * source; a PDFKit upgrade must re-check this file (the integration tests catch a drift).
 */
import type { FontkitFont, FontkitGlyph } from 'fontkit';

export interface PdfRef {
  data: Record<string, unknown>;
}

/** An indirect object being built: written to the output when `end()` is called. */
export interface PdfReference extends PdfRef {
  id: number;
  /** Deflated on finalize (the document compresses and the data has no /Filter yet). */
  compress: boolean;
  /** Appends to the stream: a string gets a "\n", a Uint8Array is written as it is. */
  write(chunk: string | Uint8Array): void;
  /** Writes the object (dictionary and stream) to the output. */
  finalize(): void;
  end(chunk?: string | Uint8Array): void;
}

export interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** A word shaped by fontkit, as PDFKit caches it: positions in thousandths of an em. */
export interface GlyphRunInternal {
  glyphs: FontkitGlyph[];
  positions: GlyphPosition[];
  /** Sum of the positions' xAdvance (a getter: computed on each read). */
  readonly advanceWidth: number;
}

/** PDFKit's EmbeddedFont: one per document and face, owns the subset being built. */
export interface EmbeddedFontInternal {
  id: string;
  document: PdfDoc;
  font: FontkitFont;
  scale: number;
  ascender: number;
  descender: number;
  widths: (number | undefined)[];
  /** Glyph (CID) → code points, written as the ToUnicode CMap. */
  unicode: number[][];
  subset: { glyphs: number[]; includeGlyph(glyphId: number): number; encode(): Uint8Array };
  encode(text: string): [string[], GlyphPosition[]];
  widthOfString(text: string, size: number): number;
  /** One word shaped by fontkit, its positions scaled to thousandths of an em (what PDFKit's layoutCached caches). */
  layoutRun(text: string): GlyphRunInternal;
  /** Writes the font objects (called once, when the document ends). */
  embed(): void;
  ref(): PdfRef;
}

export interface StructElem {
  dictionary: PdfRef;
  add(child: StructElem | StructContent): StructElem;
  end(): void;
}

/** Opaque marked-content reference (page + MCID) returned by markStructureContent. */
export type StructContent = { readonly refs: unknown[] };

export interface StructOptions {
  alt?: string;
  lang?: string;
  title?: string;
  actual?: string;
  /** TH only: written as the standard attribute /A << /O /Table /Scope /Column|/Row >>. */
  scope?: 'Column' | 'Row' | 'Both';
  /** Written as /A << /O /Layout /Placement /Block /BBox [...] >> (top-down coordinates). */
  bbox?: [number, number, number, number];
  placement?: 'Block' | 'Inline';
}

export interface PdfPageInternal {
  width: number;
  height: number;
  fonts: Record<string, PdfRef>;
  markings: unknown[];
  dictionary: PdfRef;
  /** The page's /Annots (created on first read). */
  annotations: PdfReference[];
}

export interface OutlineItem {
  addItem(title: string, options?: { expanded?: boolean }): OutlineItem;
}

/** The subset of the PDFKit document used by the adapter. */
export interface PdfDoc {
  page: PdfPageInternal;
  _font: EmbeddedFontInternal;
  _root: PdfRef;
  _id: Uint8Array;
  subset?: number;
  outline: OutlineItem;
  registerFont(name: string, src: FontkitFont): PdfDoc;
  font(name: string): PdfDoc;
  addPage(options?: Record<string, unknown>): PdfDoc;
  switchToPage(n: number): PdfPageInternal;
  bufferedPageRange(): { start: number; count: number };
  /** Appends to the page's content stream: a string gets a "\n", a Uint8Array is written as it is. */
  addContent(data: string | Uint8Array): PdfDoc;
  struct(type: string, options?: StructOptions): StructElem;
  addStructure(elem: StructElem): PdfDoc;
  markStructureContent(tag: string): StructContent;
  markContent(tag: string, options?: { type?: string; attached?: string[]; bbox?: number[] }): PdfDoc;
  /** New indirect object (written on its `end()`). */
  ref(data: Record<string, unknown>): PdfReference;
  /**
   * Adds an annotation to the current page. Rect comes from (x, y, w, h) through the current
   * transform (top-down page coordinates); with `structParent`, the annotation gets /StructParent,
   * its ParentTree entry and an OBJR child in that element (whose /Pg is the page current when the
   * element is flushed). `Border [0 0 0]` is always added, `C` unless given.
   */
  annotate(x: number, y: number, w: number, h: number, options: Record<string, unknown> & { structParent?: StructElem }): PdfDoc;
  /** Called by `end()`: PDFKit's version assumes its own text-field AcroForm (fonts, DR). */
  endAcroForm: () => PdfDoc;
  endMarkedContent(): PdfDoc;
  appendXML(xml: string, newline?: boolean): void;
  _addInfo: () => void;
  /** Writes one object (a string gets a "\n") to the file; `_offset` is where the next one starts (xref). */
  _write: (data: string | Uint8Array) => void;
  _offset: number;
  save(): PdfDoc;
  restore(): PdfDoc;
  translate(x: number, y: number): PdfDoc;
  scale(x: number, y?: number): PdfDoc;
  path(d: string): PdfDoc;
  rect(x: number, y: number, w: number, h: number): PdfDoc;
  roundedRect(x: number, y: number, w: number, h: number, r: number): PdfDoc;
  circle(x: number, y: number, r: number): PdfDoc;
  moveTo(x: number, y: number): PdfDoc;
  lineTo(x: number, y: number): PdfDoc;
  lineWidth(w: number): PdfDoc;
  fill(color: string | number[], rule?: 'even-odd' | 'evenodd' | 'non-zero' | 'nonzero'): PdfDoc;
  stroke(color?: string | number[]): PdfDoc;
  on(event: 'data', listener: (chunk: Buffer) => void): PdfDoc;
  on(event: 'end', listener: () => void): PdfDoc;
  on(event: 'error', listener: (err: Error) => void): PdfDoc;
  end(): void;
}
