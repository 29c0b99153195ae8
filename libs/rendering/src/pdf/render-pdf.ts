import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { canonicalJson } from '@carepact/common';
import type { DocumentTree, FigureBlock, Inline, ListBlock, ParagraphBlock, SignatureSlot, SignaturesBlock, TableBlock, Variant } from '../tree';
import { type DocFonts, type FaceKey, type FontSet, attachFonts, cidOf, completeCompositeGlyphs, encodeUnshaped, FACE_KEYS, loadFontSet, shapedText } from './pdf-fonts';
import { num } from './pdf-number';
import { A4, type PdfStyle, type Rgb, pdfStyleFor } from './pdf-style';
import type { OutlineItem, PdfDoc, StructElem } from './pdfkit-internals';
import { loadPictogram } from './pictograms';
import { addSignatureField, checkSignatureField, type PdfSignatureField } from './signature-field';
import { type Line, layoutInlineCached, longestWordWidth, naturalWidth } from './text-layout';
import { PDF_RENDERER_VERSION } from './version';
import { xmpBody } from './xmp';

export { PDF_RENDERER_VERSION };
const PRODUCER = `CarePact ${PDF_RENDERER_VERSION} (PDFKit)`;

export interface PdfRenderOptions {
  /** Folder of the TTF faces; defaults to templates/assets/fonts. */
  fontsDir?: string;
  /** Folder of the pictogram SVGs; defaults to templates/assets/pictograms. */
  pictogramsDir?: string;
  /**
   * A tagged, unsigned signature field to seal the document with (see signature-field.ts). It sits
   * in the first signatures section (at the end of the document when there is none).
   */
  signatureField?: PdfSignatureField;
}

/**
 * Tagged PDF (PDF/UA-1) of a document tree in one variant. The same tree and variant always give
 * the same bytes: dates come from `meta.issuedAt`, the file identifier from a hash of the tree,
 * object numbers and font subset tags from the (deterministic) drawing order.
 */
export function renderPdf(tree: DocumentTree, variant: Variant, options: PdfRenderOptions = {}): Promise<Buffer> {
  let doc: PdfDoc;
  let body: Buffer;
  try {
    const writer = new PdfWriter(tree, variant, options);
    doc = writer.write();
    body = writer.body;
  } catch (err) {
    return Promise.reject(err);
  }
  // The stream carries only what PDFKit wrote in its constructor (the header); the rest is `body`.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    // A bound builtin, not a closure made per document: nothing to compile again after each full collection.
    doc.on('data', chunks.push.bind(chunks));
    doc.on('end', () => resolve(Buffer.concat([...chunks, body])));
    doc.on('error', reject);
  });
}

/**
 * The file's bytes after PDFKit's header, object by object. PDFKit turns each object's text into
 * a new Uint8Array, one character at a time, and pushes it through its Node stream: hundreds of
 * small buffers per document, off the JavaScript heap, each counted towards the next full
 * collection (issue 12: the render threads' collections). Here they are written into one buffer
 * that every document of the thread reuses — a document is written synchronously, from
 * `PdfWriter`'s constructor to the end of `write()` — and copied out once. Same bytes: a text's
 * characters are written as their low byte (latin1), as PDFKit's conversion does.
 */
class FileBytes {
  private buf = Buffer.allocUnsafe(1 << 18);
  private length = 0;

  begin(): void {
    this.length = 0;
  }

  write(data: string | Uint8Array): number {
    if (data instanceof Uint8Array) {
      this.room(data.length);
      this.buf.set(data, this.length);
      this.length += data.length;
      return data.length;
    }
    const text = `${data as string}\n`;
    this.room(text.length);
    this.length += this.buf.write(text, this.length, 'latin1');
    return text.length;
  }

  /** A copy of the bytes written since `begin`. */
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

const fileBytes = new FileBytes();

/** PdfDoc._write, in place of PDFKit's (see FileBytes). */
function writeToFileBytes(this: PdfDoc, data: string | Uint8Array): void {
  this._offset += fileBytes.write(data);
}

/** Whether a table cell is bold: the header row (-1), and row headers unless kept for emphasis (easy-to-read). */
function cellBold(block: TableBlock, row: number, col: number, rowHeaderBold: boolean): boolean {
  return row < 0 || (block.rowHeaders === true && col === 0 && rowHeaderBold);
}

/** Height of text boxes set one under the other. */
function boxesHeight(boxes: readonly TextBox[]): number {
  let h = 0;
  for (const b of boxes) h += b.lines.length * b.lineH;
  return h;
}

const HEX = '0123456789abcdef';

/**
 * The operators of text lines, written as bytes (the same PDFKit would get from the string
 * version: it converts a string one character at a time, and adds the "\n" that bytes carry
 * themselves). A TJ array is opened by the first glyph and closed by `endTJ`; glyphs go into hex
 * strings, split after each kerning adjustment.
 */
class LineBytes {
  private buf = Buffer.allocUnsafe(4096);
  private n = 0;
  private inTJ = false;
  private inHex = false;
  /** The next element of the TJ array is not its first: a space goes before it. */
  private afterElement = false;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.n + k));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }

  /** Bytes written since the last take. */
  get length(): number {
    return this.n;
  }

  /** Starts afresh (whatever a document that threw left behind). */
  begin(): void {
    this.n = 0;
    this.inTJ = this.inHex = this.afterElement = false;
  }

  /** ASCII text (operators, numbers, names). */
  ascii(s: string): void {
    this.room(s.length);
    this.n += this.buf.write(s, this.n, 'latin1');
  }

  /** Four lowercase hex digits of a CID (its last four, as PDFKit's `slice(-4)`). */
  cid(cid: number): void {
    this.room(4);
    const b = this.buf;
    b[this.n++] = HEX.charCodeAt((cid >> 12) & 15);
    b[this.n++] = HEX.charCodeAt((cid >> 8) & 15);
    b[this.n++] = HEX.charCodeAt((cid >> 4) & 15);
    b[this.n++] = HEX.charCodeAt(cid & 15);
  }

  glyph(cid: number): void {
    if (!this.inTJ) {
      this.ascii('\n[');
      this.inTJ = true;
      this.afterElement = false;
    }
    if (!this.inHex) {
      this.ascii(this.afterElement ? ' <' : '<');
      this.inHex = true;
    }
    this.cid(cid);
  }

  /** Closes the hex string with a kerning adjustment after the last glyph. */
  adjust(amount: string): void {
    this.ascii(`> ${amount}`);
    this.inHex = false;
    this.afterElement = true;
  }

  endTJ(): void {
    if (this.inHex) this.ascii('>');
    if (this.inTJ) this.ascii('] TJ');
    this.inTJ = this.inHex = false;
  }

  /** The bytes written since the last take (a copy: the scratch buffer is reused). */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.n));
    this.n = 0;
    return out;
  }
}

/** Pictogram paths' content bytes (see PdfWriter.pathContent); pictograms are a small set. */
const pathBytes = new Map<string, Buffer>();
const PATH_CACHE_LIMIT = 1000;

/** A document is written synchronously, one at a time: one scratch buffer for the process. */
const lineBytes = new LineBytes();
const rgb = (c: Rgb): string => `${num(c[0])} ${num(c[1])} ${num(c[2])}`;

interface TextBox {
  lines: Line[];
  size: number;
  lineH: number;
  color: Rgb;
}

/** How a table is laid out (see PdfWriter.tablePlan). */
interface TablePlan {
  /** Reflowed as one block per row (too wide for the page even at its narrowest). */
  stacked: boolean;
  header: Inline[];
  rows: Inline[][];
  caption: TextBox;
  widths: number[];
  headBoxes: TextBox[];
  bodyBoxes: TextBox[][];
  /** Header row height (grid), or header lines and the space after them (stacked). */
  headH: number;
  rowHeights: number[];
  rowHeaderBold: boolean;
  /** Caption, header and first row: what a heading or pictogram before the table keeps with it. */
  lead: number;
}

const headingLevel = (wanted: number, previous: number): 1 | 2 | 3 | 4 => Math.max(1, Math.min(wanted, previous + 1, 4)) as 1 | 2 | 3 | 4;

/**
 * Widths from content: each column at least as wide as its longest unbreakable word (a date in
 * full is one, see text-layout). When everything fits on one line each column gets its natural
 * width plus a share of the rest. Otherwise the columns whose whole content fits in a fair share
 * of the room get their natural width (short values stay on one line), narrowest first, as long as
 * the others keep their minimum; the other columns share what is left in proportion to what they
 * could still use.
 */
function columnWidths(minW: number[], natW: number[], total: number): number[] {
  const sum = (cols: number[], w: number[]): number => cols.reduce((a, c) => a + w[c], 0);
  const all = minW.map((_, c) => c);
  const sumNat = sum(all, natW);
  if (sumNat <= total) return natW.map((w) => w + ((total - sumNat) * w) / sumNat);
  const widths = [...minW];
  let free = all;
  let room = total;
  for (;;) {
    const share = room / free.length;
    const c = free.filter((k) => natW[k] <= share).sort((a, b) => natW[a] - natW[b] || a - b)[0];
    if (c === undefined) break;
    const others = free.filter((k) => k !== c);
    if (others.length === 0 || room - natW[c] < sum(others, minW)) break;
    widths[c] = natW[c];
    room -= natW[c];
    free = others;
  }
  const sumMin = sum(free, minW);
  const spread = Math.max(1, sum(free, natW) - sumMin);
  for (const c of free) widths[c] = minW[c] + ((room - sumMin) * (natW[c] - minW[c])) / spread;
  return widths;
}

class PdfWriter {
  private readonly style: PdfStyle;
  private readonly set: FontSet;
  private readonly doc: PdfDoc;
  private readonly fonts: DocFonts;
  private readonly root: StructElem;
  /** Everything after the header, once `write()` has returned. */
  body: Buffer = Buffer.alloc(0);
  private y = 0;
  private pageNo = -1;
  private lastHeading = 0;
  private fieldPlaced = false;
  private readonly outlines: OutlineItem[] = [];
  private readonly tablePlans = new Map<TableBlock, TablePlan>();
  /** Per face, glyph id → hex CID in this document's subset (see cidOf). */
  private readonly cids: Record<FaceKey, number[]> = { R: [], B: [], FR: [], FB: [] };
  private readonly textStarts = new Map<Rgb, string>();
  private readonly fontOps = new Map<string, string>();

  constructor(
    private readonly tree: DocumentTree,
    private readonly variant: Variant,
    private readonly options: PdfRenderOptions,
  ) {
    this.style = pdfStyleFor(variant);
    this.set = loadFontSet(options.fontsDir);
    const issued = new Date(tree.meta.issuedAt);
    if (Number.isNaN(issued.getTime())) throw new Error(`renderPdf: meta.issuedAt is not a date: ${tree.meta.issuedAt}`);
    if (options.signatureField) checkSignatureField(options.signatureField);
    const pdfOptions = {
      autoFirstPage: false,
      bufferPages: true, // page numbers "Page n sur N" are written once N is known
      pdfVersion: '1.7',
      tagged: true,
      lang: tree.lang,
      displayTitle: true,
      subset: 'PDF/UA',
      // No default font: PDFKit would otherwise load Helvetica, one of the standard 14 fonts
      // that PDF/UA forbids because they are not embedded.
      font: null,
      info: {
        Title: tree.title,
        Author: tree.meta.establishmentName,
        Creator: 'CarePact',
        Producer: PRODUCER,
        CreationDate: issued,
        ModDate: issued,
      },
    };
    this.doc = new PDFDocument(pdfOptions as unknown as PDFKit.PDFDocumentOptions) as unknown as PdfDoc;
    const doc = this.doc;
    fileBytes.begin();
    doc._write = writeToFileBytes;
    // The trailer /ID: PDFKit derives it from the info dictionary only; ours names the content.
    doc._id = createHash('sha256')
      .update(canonicalJson({ renderer: PDF_RENDERER_VERSION, variant, tree, signatureField: options.signatureField }))
      .digest()
      .subarray(0, 16);
    const date = issued.toISOString().replace(/\.\d{3}Z$/, 'Z');
    doc._addInfo = () =>
      doc.appendXML(
        xmpBody({
          title: tree.title,
          author: tree.meta.establishmentName,
          lang: tree.lang,
          date,
          creatorTool: 'CarePact',
          producer: PRODUCER,
        }),
      );
    this.fonts = attachFonts(doc, this.set);
    lineBytes.begin();
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  write(): PdfDoc {
    this.newPage();
    const blocks = this.tree.blocks;
    let i = 0;
    while (i < blocks.length) i = this.blockAt(i);
    this.signatureField(this.root);
    this.root.end();
    this.runningHeadersAndFooters();
    for (const key of FACE_KEYS) {
      const font = this.fonts[key] as unknown as { dictionary?: unknown };
      if (font.dictionary) completeCompositeGlyphs(this.set.faces[key], this.fonts[key]);
    }
    this.doc.end();
    this.body = fileBytes.take();
    return this.doc;
  }

  // ---- pages and text -------------------------------------------------------------------------

  private get left(): number {
    return this.style.margins.left;
  }
  private get width(): number {
    return A4[0] - this.style.margins.left - this.style.margins.right;
  }
  private get bottom(): number {
    return A4[1] - this.style.margins.bottom;
  }

  private newPage(): void {
    this.doc.addPage({ size: [A4[0], A4[1]], margins: this.style.margins });
    this.pageNo++;
    this.y = this.style.margins.top;
  }

  private get atTop(): boolean {
    return this.y === this.style.margins.top;
  }

  private fits(height: number): boolean {
    return this.y + height <= this.bottom || this.atTop;
  }

  /** How many lines of height `lineH` fit between the current position and the bottom margin. */
  private linesFitting(lineH: number): number {
    let k = 0;
    for (let y = this.y; y + lineH <= this.bottom; y += lineH) k++;
    return k;
  }

  /**
   * Line breaking is measured before drawing (keep-with-next) and again when drawing: one layout
   * per text, size and width for the whole process (see layoutInlineCached).
   */
  private layout(text: Inline, size: number, width: number, bold = false): Line[] {
    return layoutInlineCached(text, this.set, this.fonts, size, width, bold);
  }

  private box(text: Inline, size: number, width: number, opts: { bold?: boolean; lineHeight?: number; color?: Rgb } = {}): TextBox {
    return {
      lines: this.layout(text, size, width, opts.bold),
      size,
      lineH: size * (opts.lineHeight ?? this.style.lineHeight),
      color: opts.color ?? this.style.text,
    };
  }

  /**
   * Writes one line as a single BT/ET with one TJ per face. The page's CTM is flipped (PDFKit
   * draws top-down), so the text matrix flips back; the baseline sits half a leading below the
   * line box's top, from the primary face's metrics. The operators are those PDFKit's encode
   * would give, written as bytes from the shared shaped text (see shapedText, cidOf) and kept
   * until `flushLines`: consecutive lines go to PDFKit as one chunk.
   */
  private emitLine(line: Line, x: number, top: number, size: number, lineH: number, color: Rgb): void {
    if (line.pieces.length === 0) return;
    const primary = this.fonts.R;
    const asc = (primary.ascender / 1000) * size;
    const contentH = ((primary.ascender - primary.descender) / 1000) * size;
    const baseline = top + (lineH - contentH) / 2 + asc;
    const doc = this.doc;
    const scale = size / 1000;
    const out = lineBytes;
    out.ascii(this.textStart(color));
    out.ascii(num(x));
    out.ascii(' ');
    out.ascii(num(baseline));
    out.ascii(' Tm');
    let cx = x;
    let resync = false;
    let current = '';
    for (const piece of line.pieces) {
      const font = this.fonts[piece.face];
      if (!doc.page.fonts[font.id]) doc.page.fonts[font.id] = font.ref();
      if (current !== font.id) {
        out.ascii(this.fontOp(font.id, size));
        current = font.id;
      }
      if (piece.unshaped) {
        if (resync) {
          out.ascii(`\n1 0 0 -1 ${num(cx)} ${num(baseline)} Tm`);
          resync = false;
        }
        const raw = encodeUnshaped(font, piece.text.codePointAt(0) as number);
        out.ascii(`\n[<${raw.hex}>] TJ`);
        cx += (raw.width / 1000) * size;
        continue;
      }
      const cids = this.cids[piece.face];
      const { glyphs, xAdvance, kerning, offsets } = shapedText(this.set.faces[piece.face], font, piece.text);
      for (let i = 0; i < glyphs.length; i++) {
        const cid = cidOf(font, cids, glyphs[i]);
        const xOffset = offsets ? offsets[2 * i] : 0;
        const yOffset = offsets ? offsets[2 * i + 1] : 0;
        if (xOffset || yOffset) {
          // A positioned mark (combining accent): placed absolutely, then the line resumes.
          out.endTJ();
          out.ascii(`\n1 0 0 -1 ${num(cx + xOffset * scale)} ${num(baseline - yOffset * scale)} Tm\n[<`);
          out.cid(cid);
          out.ascii('>] TJ');
          resync = true;
        } else {
          if (resync) {
            out.endTJ();
            out.ascii(`\n1 0 0 -1 ${num(cx)} ${num(baseline)} Tm`);
            resync = false;
          }
          out.glyph(cid);
          // Kerning: TJ adjustments in thousandths of an em, as PDFKit writes them.
          const adjust = kerning[i];
          if (adjust !== undefined) out.adjust(adjust);
        }
        cx += xAdvance[i] * scale;
      }
      out.endTJ();
    }
    out.ascii('\nET\n');
  }

  /** "BT", the fill colour and the start of the text matrix: a few colours per document. */
  private textStart(color: Rgb): string {
    let op = this.textStarts.get(color);
    if (op === undefined) this.textStarts.set(color, (op = `BT\n${rgb(color)} rg\n1 0 0 -1 `));
    return op;
  }

  /** The Tf operator of a font and size: a few per document. */
  private fontOp(id: string, size: number): string {
    const key = `${id} ${size}`;
    let op = this.fontOps.get(key);
    if (op === undefined) this.fontOps.set(key, (op = `\n/${id} ${num(size)} Tf`));
    return op;
  }

  /** Hands the lines emitted since the last call to PDFKit, as one chunk of the page's content. */
  private flushLines(): void {
    if (lineBytes.length > 0) this.doc.addContent(lineBytes.take());
  }

  /**
   * Flows lines as real content of `elem`: one marked-content sequence per page, a page break
   * whenever the next line does not fit. With `keep` (running text: paragraphs, list items), no
   * widow or orphan: a paragraph of 2 or 3 lines is never split, a longer one leaves at least two
   * lines at the foot of a page and carries at least two to the next. `tail` is the height of what
   * must follow on the same page as the last lines (the signatures after the last clause): when
   * it does not fit after them, the last lines (at least two) go to the next page with it.
   */
  private flow(elem: StructElem, tag: string, box: TextBox, x: number, keep = false, tail = 0): void {
    const n = box.lines.length;
    let i = 0;
    while (i < n) {
      const rest = n - i;
      const room = this.linesFitting(box.lineH);
      let take: number;
      if (room >= rest && (tail === 0 || this.y + rest * box.lineH + tail <= this.bottom)) take = rest;
      else if (room >= rest) {
        // Everything fits but what follows does not: carry the last two lines over (all of a
        // paragraph of 2 or 3 lines); at the top of a page the rest stays, there is no better page.
        if (rest <= 3) take = this.atTop ? rest : 0;
        else take = rest - 2;
      } else if (this.atTop) take = Math.max(1, keep ? Math.min(room, rest - 2) : room);
      else if (!keep) take = room;
      else if (rest <= 3) take = 0;
      else take = Math.min(room, rest - 2) >= 2 ? Math.min(room, rest - 2) : 0;
      if (take === 0) {
        this.newPage();
        continue;
      }
      elem.add(this.doc.markStructureContent(tag));
      for (let k = 0; k < take; k++) {
        this.emitLine(box.lines[i + k], x, this.y, box.size, box.lineH, box.color);
        this.y += box.lineH;
      }
      this.flushLines();
      this.doc.endMarkedContent();
      i += take;
      if (i < n) this.newPage();
    }
  }

  /** Height of the lines of `box` that must start on the same page (see `flow` with `keep`). */
  private static firstLines(box: TextBox): number {
    const n = box.lines.length;
    return (n <= 3 ? n : 2) * box.lineH;
  }

  /** Decorative or repeated content: outside the structure tree (veraPDF 7.1-3). */
  private artifact(type: 'Layout' | 'Pagination', draw: () => void, attached?: string[]): void {
    this.doc.markContent('Artifact', attached ? { type, attached } : { type });
    draw();
    this.doc.endMarkedContent();
  }

  private child(parent: StructElem, type: string, options?: Parameters<PdfDoc['struct']>[1]): StructElem {
    const elem = this.doc.struct(type, options);
    parent.add(elem);
    return elem;
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /**
   * Draws block i (a pictogram with the block it introduces) and returns the index of the next
   * block to draw.
   */
  private blockAt(i: number): number {
    const blocks = this.tree.blocks;
    const block = blocks[i];
    const next = blocks[i + 1];
    switch (block.kind) {
      case 'heading':
        this.headingText(block.text, block.level, i + 1);
        return i + 1;
      case 'paragraph':
        this.paragraph(block.text, 0, this.tailAfter(i));
        return i + 1;
      case 'list':
        this.list(block, 0, this.tailAfter(i));
        return i + 1;
      case 'table':
        this.table(block);
        return i + 1;
      case 'figure':
        if (next?.kind === 'paragraph' || next?.kind === 'list') {
          this.figureBeside(block, next, i + 1);
          return i + 2;
        }
        if (next?.kind === 'signatures') {
          // The signatures' pictogram: drawn after their heading, inside their section.
          this.signatures(next, block);
          return i + 2;
        }
        this.figureAlone(block, i + 1);
        return i + 1;
      case 'signatures':
        this.signatures(block, null);
        return i + 1;
      default: {
        const never: never = block;
        throw new Error(`renderPdf: unknown block ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Keep-with-next: the height of the first unit of block i, which must stay on the page of what
   * comes just before it (a heading, a pictogram). A unit is the first lines of a paragraph or of
   * a list's first item (see `firstLines`), a table's caption, header row and first row, the
   * signatures' heading and first signer, a pictogram with the first lines beside it, a heading
   * with its own first unit. `indent` is the block's indent, `level` the level of the heading
   * drawn before it (headings are clamped as `headingText` does).
   */
  private lead(i: number, indent = 0, level: number = this.lastHeading): number {
    const blocks = this.tree.blocks;
    const b = blocks[i];
    if (!b) return 0;
    const s = this.style;
    switch (b.kind) {
      case 'paragraph': {
        const box = this.bodyBox(b.text, this.width - indent);
        // A short last clause goes whole with the signatures (see `tailAfter`): so does its heading.
        const tail = box.lines.length <= 3 ? this.tailAfter(i) : 0;
        return PdfWriter.firstLines(box) + tail;
      }
      case 'list':
        return b.items.length ? PdfWriter.firstLines(this.bodyBox(b.items[0], this.width - indent - s.listIndent)) : 0;
      case 'table':
        return this.tablePlan(b).lead;
      case 'heading': {
        const lv = headingLevel(b.level, level);
        const box = this.headingBox(b.text, lv);
        return s.headingSpaceBefore * s.bodySize + box.lines.length * box.lineH + 0.3 * s.bodySize + this.lead(i + 1, 0, lv);
      }
      case 'signatures':
        return s.headingSpaceBefore * s.bodySize + this.signaturesLead(b, null, level);
      case 'figure': {
        const next = blocks[i + 1];
        if (next?.kind === 'paragraph' || next?.kind === 'list') return Math.max(s.pictogramSize, this.lead(i + 1, s.pictogramSize + s.pictogramGap, level));
        if (next?.kind === 'signatures') return s.headingSpaceBefore * s.bodySize + this.signaturesLead(next, b, level);
        return s.pictogramSize + s.blockSpaceAfter * s.bodySize + this.lead(i + 1, 0, level);
      }
      default:
        return 0;
    }
  }

  private bodyBox(text: Inline, width: number): TextBox {
    return this.box(text, this.style.bodySize, width);
  }

  private headingBox(text: Inline, level: 1 | 2 | 3 | 4): TextBox {
    const s = this.style;
    return this.box(text, s.headingSizes[level], this.width, {
      bold: true,
      lineHeight: s.variant === 'standard' ? 1.3 : s.lineHeight,
      color: s.heading,
    });
  }

  /**
   * Levels are clamped so the tags never skip one (veraPDF 7.4.2-1), whatever the tree says: the
   * resolve step already checks it, the PDF must stay valid regardless. The heading never ends a
   * page: it moves to the next one with the first unit of what follows (`lead`).
   */
  private headingText(text: Inline, wanted: number, next: number): void {
    const level = headingLevel(wanted, this.lastHeading);
    this.lastHeading = level;
    const s = this.style;
    const box = this.headingBox(text, level);
    if (this.y > s.margins.top) this.y += s.headingSpaceBefore * s.bodySize;
    if (!this.fits(box.lines.length * box.lineH + 0.3 * s.bodySize + this.lead(next, 0, level))) this.newPage();
    this.outline(level, text);
    this.flow(this.child(this.root, `H${level}`), `H${level}`, box, this.left);
    this.y += 0.3 * s.bodySize;
  }

  private outline(level: number, text: Inline): void {
    if (level > 3) return;
    const title = text.map((r) => r.text).join('').replace(/[\u0000-\u001f]/g, ' ');
    const parent = level === 1 ? this.doc.outline : this.outlines[level - 2];
    if (!parent) return;
    this.outlines[level - 1] = parent.addItem(title);
    this.outlines.length = level;
  }

  private paragraph(text: Inline, indent: number, tail = 0): void {
    const s = this.style;
    this.flow(this.child(this.root, 'P'), 'P', this.bodyBox(text, this.width - indent), this.left + indent, true, tail);
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  /**
   * The last clause before the signatures (block i, a paragraph or list followed by the
   * signatures, or by the pictogram that introduces them) ends on the page where the signatures
   * begin: a signature block is never alone on a page, cut from the text it approves. Returns the
   * height that must follow the clause's last lines on their page, 0 for any other block.
   */
  private tailAfter(i: number): number {
    const blocks = this.tree.blocks;
    const next = blocks[i + 1];
    const after = blocks[i + 2];
    const figure = next?.kind === 'figure' && after?.kind === 'signatures' ? next : null;
    const block = next?.kind === 'signatures' ? next : figure ? (after as SignaturesBlock) : null;
    if (!block) return 0;
    const s = this.style;
    const space = (s.blockSpaceAfter + s.headingSpaceBefore) * s.bodySize;
    // Every signer when the section fits on a page under two lines of the clause; else the heading
    // and the first signer (the others follow, see `signatures`).
    const whole = space + this.signaturesLead(block, figure, this.lastHeading, true);
    const page = this.bottom - s.margins.top - 2 * s.bodySize * s.lineHeight;
    return whole <= page ? whole : space + this.signaturesLead(block, figure, this.lastHeading);
  }

  private list(block: ListBlock, indent: number, tail = 0): void {
    const s = this.style;
    const list = this.child(this.root, 'L');
    const x = this.left + indent;
    const width = this.width - indent - s.listIndent;
    const n = block.items.length;
    block.items.forEach((item, i) => {
      const li = this.child(list, 'LI');
      const label = this.box([{ text: block.ordered ? `${i + 1}.` : '•' }], s.bodySize, s.listIndent);
      const body = this.bodyBox(item, width);
      // The label stays with the first lines of its item; the last item of a list of three or
      // more is not left alone at the top of a page: a short item before it goes along.
      let need = PdfWriter.firstLines(body);
      if (i === n - 2 && i > 0 && body.lines.length <= 3)
        need = body.lines.length * body.lineH + 0.3 * s.bodySize + PdfWriter.firstLines(this.bodyBox(block.items[n - 1], width));
      // The last item of the last clause: a short one goes along with the signatures.
      const itemTail = i === n - 1 ? tail : 0;
      if (itemTail && body.lines.length <= 3) need = body.lines.length * body.lineH + itemTail;
      if (!this.fits(need)) this.newPage();
      const top = this.y;
      this.flow(this.child(li, 'Lbl'), 'Lbl', label, x);
      this.y = top;
      this.flow(this.child(li, 'LBody'), 'LBody', body, x + s.listIndent, true, itemTail);
      this.y += 0.3 * s.bodySize;
    });
    this.y += (s.blockSpaceAfter - 0.3) * s.bodySize;
  }

  // ---- figures ----------------------------------------------------------------------------------

  /**
   * Easy-to-read layout: the pictogram sits left of the idea block it introduces, on the page
   * where the block's first lines are.
   */
  private figureBeside(figure: FigureBlock, next: ParagraphBlock | ListBlock, nextIndex: number): void {
    const s = this.style;
    const size = s.pictogramSize;
    const indent = size + s.pictogramGap;
    if (!this.fits(Math.max(size, this.lead(nextIndex, indent)))) this.newPage();
    const page = this.pageNo;
    const top = this.y;
    this.drawFigure(figure, this.left, top, size);
    if (next.kind === 'paragraph') this.paragraph(next.text, indent, this.tailAfter(nextIndex));
    else this.list(next, indent, this.tailAfter(nextIndex));
    if (this.pageNo === page) this.y = Math.max(this.y, top + size + s.blockSpaceAfter * s.bodySize);
  }

  /** A pictogram above a table or a heading: never alone at the foot of a page. */
  private figureAlone(figure: FigureBlock, nextIndex: number): void {
    const s = this.style;
    const after = s.blockSpaceAfter * s.bodySize;
    if (!this.fits(s.pictogramSize + after + this.lead(nextIndex))) this.newPage();
    this.drawFigure(figure, this.left, this.y, s.pictogramSize);
    this.y += s.pictogramSize + after;
  }

  private drawFigure(figure: FigureBlock, x: number, y: number, size: number, parent: StructElem = this.root): void {
    const alt = figure.alt.trim();
    const draw = (): void => this.drawPictogram(figure.asset, x, y, size);
    if (!alt) {
      // Without a text alternative a pictogram carries no meaning a reader could get: decoration.
      this.artifact('Layout', draw);
      return;
    }
    const elem = this.child(parent, 'Figure', { alt, bbox: [x, y, x + size, y + size], placement: 'Block' });
    elem.add(this.doc.markStructureContent('Figure'));
    draw();
    this.doc.endMarkedContent();
  }

  private drawPictogram(asset: string, x: number, y: number, size: number): void {
    const doc = this.doc;
    const color = this.style.pictogram;
    const picto = loadPictogram(asset, this.options.pictogramsDir);
    doc.save();
    if (!picto) {
      // Neutral placeholder: a rounded frame and a dot, so the layout stays the same.
      doc.addContent(`${rgb(color)} RG ${num(Math.max(1, size / 24))} w`);
      doc.roundedRect(x + size * 0.08, y + size * 0.08, size * 0.84, size * 0.84, size * 0.15);
      doc.addContent('S');
      doc.circle(x + size / 2, y + size / 2, size * 0.12);
      doc.addContent(`${rgb(color)} rg f`);
      doc.restore();
      return;
    }
    const [vx, vy, vw, vh] = picto.viewBox;
    const k = size / Math.max(vw, vh);
    doc.translate(x + (size - vw * k) / 2, y + (size - vh * k) / 2);
    doc.scale(k);
    doc.translate(-vx, -vy);
    for (const p of picto.paths) {
      doc.addContent(`${rgb(p.fill ?? color)} rg`);
      doc.addContent(this.pathContent(p.d));
      doc.addContent(p.evenOdd ? 'f*' : 'f');
    }
    doc.restore();
  }

  /**
   * The operators `doc.path(d)` writes, as bytes, computed once per process for each path: they
   * depend on `d` only (the pictogram is placed by the transform before), and parsing the SVG
   * path again for every document was most of a pictogram's cost.
   */
  private pathContent(d: string): Buffer {
    let bytes = pathBytes.get(d);
    if (!bytes) {
      const doc = this.doc;
      let ops = '';
      doc.addContent = (data) => {
        ops += `${String(data)}\n`;
        return doc;
      };
      try {
        doc.path(d);
      } finally {
        // Back to PDFDocument.prototype.addContent.
        delete (doc as Partial<PdfDoc>).addContent;
      }
      bytes = Buffer.from(ops, 'latin1');
      if (pathBytes.size >= PATH_CACHE_LIMIT) pathBytes.clear();
      pathBytes.set(d, bytes);
    }
    return bytes;
  }

  // ---- tables -----------------------------------------------------------------------------------

  /**
   * Column widths, row heights and line breaks of a table, computed once: `lead` needs them before
   * the table is drawn. Header cells are bold; row-header cells too, except in the easy-to-read
   * variant where bold is kept for emphasis only (they stay TH with /Scope /Row).
   */
  private tablePlan(block: TableBlock): TablePlan {
    const cached = this.tablePlans.get(block);
    if (cached) return cached;
    const s = this.style;
    const cols = Math.max(block.header.length, ...block.rows.map((r) => r.length), 1);
    const header: Inline[] = Array.from({ length: cols }, (_, i) => [{ text: block.header[i] ?? '' }]);
    // Every row gets the same number of cells (veraPDF 7.2-42).
    const rows: Inline[][] = block.rows.map((r) => Array.from({ length: cols }, (_, i) => r[i] ?? []));
    const rowHeaderBold = s.variant !== 'falc';
    // Loops rather than callbacks in this method: a callback made per table was optimised again
    // after each full collection.
    const pad = s.cellPadding;
    const lineH = s.bodySize * s.lineHeight;
    const caption = this.box([{ text: block.caption }], s.bodySize, this.width, { bold: true });
    const captionH = caption.lines.length * caption.lineH + 0.2 * s.bodySize;
    const minW: number[] = new Array(cols).fill(0);
    const natW: number[] = new Array(cols).fill(0);
    for (let r = -1; r < rows.length; r++) {
      const row = r < 0 ? header : rows[r];
      for (let c = 0; c < row.length; c++) {
        const bold = cellBold(block, r, c, rowHeaderBold);
        minW[c] = Math.max(minW[c], longestWordWidth(row[c], this.set, this.fonts, s.bodySize, bold) + 2 * pad + 1);
        natW[c] = Math.max(natW[c], naturalWidth(row[c], this.set, this.fonts, s.bodySize, bold) + 2 * pad + 1);
      }
    }
    let plan: TablePlan;
    if (minW.reduce((a, b) => a + b, 0) > this.width) {
      // Too wide even with every column at its longest word (large print): reflowed, one block per row.
      const headBoxes = header.map((cell) => this.box(cell, s.bodySize, this.width, { bold: true, color: s.heading }));
      const headH = boxesHeight(headBoxes) + 0.4 * s.bodySize;
      plan = { stacked: true, header, rows, caption, widths: [], headBoxes, bodyBoxes: [], headH, rowHeights: [], rowHeaderBold, lead: captionH + headH + 3 * lineH };
    } else {
      const widths = columnWidths(minW, natW, this.width);
      const headBoxes: TextBox[] = [];
      const bodyBoxes: TextBox[][] = [];
      const rowHeights: number[] = [];
      let headH = 0;
      for (let r = -1; r < rows.length; r++) {
        const row = r < 0 ? header : rows[r];
        const boxes = r < 0 ? headBoxes : [];
        let most = 1;
        for (let c = 0; c < row.length; c++) {
          const box = this.box(row[c], s.bodySize, widths[c] - 2 * pad, { bold: cellBold(block, r, c, rowHeaderBold) });
          boxes.push(box);
          most = Math.max(most, box.lines.length);
        }
        const height = most * lineH + 2 * pad;
        if (r < 0) headH = height;
        else {
          bodyBoxes.push(boxes);
          rowHeights.push(height);
        }
      }
      plan = { stacked: false, header, rows, caption, widths, headBoxes, bodyBoxes, headH, rowHeights, rowHeaderBold, lead: captionH + headH + (rowHeights[0] ?? 0) };
    }
    this.tablePlans.set(block, plan);
    return plan;
  }

  private table(block: TableBlock): void {
    const s = this.style;
    const plan = this.tablePlan(block);
    const table = this.child(this.root, 'Table');
    // Caption, header row and first row stay together.
    if (!this.fits(plan.lead)) this.newPage();
    this.flow(this.child(table, 'Caption'), 'Caption', plan.caption, this.left);
    this.y += 0.2 * s.bodySize;
    if (plan.stacked) {
      this.stackedTable(block, table, plan);
      return;
    }
    const { widths, headBoxes, headH } = plan;
    const pad = s.cellPadding;
    const total = this.width;
    const drawRow = (boxes: TextBox[], cells: StructElem[] | null, height: number, shaded: boolean): void => {
      const top = this.y;
      this.artifact('Layout', () => {
        let x = this.left;
        const ops: string[] = [];
        if (shaded) ops.push(`${rgb(s.headerFill)} rg ${num(x)} ${num(top)} ${num(total)} ${num(height)} re f`);
        ops.push(`${rgb(s.rule)} RG 0.75 w`);
        for (const w of widths) {
          ops.push(`${num(x)} ${num(top)} ${num(w)} ${num(height)} re S`);
          x += w;
        }
        this.doc.addContent(ops.join('\n'));
      });
      let x = this.left;
      boxes.forEach((box, c) => {
        this.y = top + pad;
        if (cells) {
          const tag = cells[c].dictionary.data.S as string;
          if (box.lines.length) this.flow(cells[c], tag, box, x + pad);
        } else {
          this.artifact('Pagination', () => {
            box.lines.forEach((line, i) => this.emitLine(line, x + pad, top + pad + i * box.lineH, box.size, box.lineH, box.color));
            this.flushLines();
          });
        }
        x += widths[c];
      });
      this.y = top + height;
    };

    const thead = this.child(table, 'THead');
    const headRow = this.child(thead, 'TR');
    const headCells = plan.header.map(() => this.child(headRow, 'TH', { scope: 'Column' }));
    drawRow(headBoxes, headCells, headH, true);
    const tbody = this.child(table, 'TBody');
    plan.bodyBoxes.forEach((boxes, r) => {
      const h = plan.rowHeights[r];
      if (!this.fits(h)) {
        this.newPage();
        // The header row repeats on each page as an artifact: it is not new content.
        drawRow(headBoxes, null, headH, true);
      }
      const tr = this.child(tbody, 'TR');
      const cells: StructElem[] = [];
      for (let c = 0; c < plan.rows[r].length; c++) cells.push(this.child(tr, block.rowHeaders && c === 0 ? 'TH' : 'TD', block.rowHeaders && c === 0 ? { scope: 'Row' } : undefined));
      drawRow(boxes, cells, h, false);
    });
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  /**
   * Reflowed table (large print, ACCESSIBILITY.md): still Table/TR/TH/TD in the structure, laid out
   * as one block per row; each value is preceded by its column name, drawn as an artifact because
   * the TH already gives it to assistive technology.
   */
  private stackedTable(block: TableBlock, table: StructElem, plan: TablePlan): void {
    const s = this.style;
    const indent = s.listIndent;
    const headRow = this.child(this.child(table, 'THead'), 'TR');
    plan.headBoxes.forEach((box) => this.flow(this.child(headRow, 'TH', { scope: 'Column' }), 'TH', box, this.left));
    this.y += 0.4 * s.bodySize;
    const tbody = this.child(table, 'TBody');
    plan.rows.forEach((row) => {
      const tr = this.child(tbody, 'TR');
      const rule = (): void => {
        const y = this.y;
        this.artifact('Layout', () =>
          this.doc.addContent(`${rgb(s.rule)} RG 0.75 w ${num(this.left)} ${num(y)} m ${num(this.left + this.width)} ${num(y)} l S`),
        );
      };
      if (!this.fits(3 * s.bodySize * s.lineHeight)) this.newPage();
      rule();
      this.y += 0.3 * s.bodySize;
      row.forEach((cell, c) => {
        const isRowHeader = block.rowHeaders && c === 0;
        const elem = this.child(tr, isRowHeader ? 'TH' : 'TD', isRowHeader ? { scope: 'Row' } : undefined);
        if (isRowHeader) {
          this.flow(elem, 'TH', this.box(cell, s.bodySize, this.width, { bold: plan.rowHeaderBold }), this.left);
          return;
        }
        const label = this.box([{ text: `${plan.header[c].map((r) => r.text).join('')} :` }], s.bodySize, this.width - indent, {
          color: s.heading,
        });
        const value = this.bodyBox(cell, this.width - indent);
        if (!this.fits(label.lineH * (label.lines.length + 1))) this.newPage();
        const top = this.y;
        this.artifact('Layout', () => {
          label.lines.forEach((line, i) => this.emitLine(line, this.left + indent, top + i * label.lineH, label.size, label.lineH, label.color));
          this.flushLines();
        });
        this.y = top + label.lines.length * label.lineH;
        if (value.lines.length) this.flow(elem, 'TD', value, this.left + indent);
      });
      this.y += 0.4 * s.bodySize;
    });
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  // ---- signatures -------------------------------------------------------------------------------

  /** One signer's block: name, capacity, then the date and signature lines or how it was signed. */
  private slotPlan(slot: SignatureSlot, width: number): { boxes: TextBox[]; signArea: number; height: number } {
    const s = this.style;
    const paras: { text: Inline; bold?: boolean }[] = [{ text: [{ text: slot.name }], bold: true }, { text: [{ text: slot.capacity }] }];
    if (slot.signedOn) {
      paras.push({ text: [{ text: `Signé le ${slot.signedOn}` }] });
      if (slot.method) paras.push({ text: [{ text: slot.method }] });
    } else {
      paras.push({ text: [{ text: 'Date :' }] }, { text: [{ text: 'Signature :' }] });
    }
    const boxes: TextBox[] = [];
    for (const p of paras) boxes.push(this.box(p.text, s.bodySize, width, { bold: p.bold }));
    const signArea = slot.signedOn ? 0 : 3 * s.bodySize * s.lineHeight;
    const height = boxesHeight(boxes) + signArea + s.bodySize;
    return { boxes, signArea, height };
  }

  /**
   * Heading of the signatures and their first unit: the first signer (beside the pictogram), both
   * signers when there are two (the second is not left alone on the next page); with `whole`,
   * every signer.
   */
  private signaturesLead(block: SignaturesBlock, figure: FigureBlock | null, previousLevel: number, whole = false): number {
    const s = this.style;
    const hbox = this.headingBox([{ text: block.heading }], previousLevel === 0 ? 1 : 2);
    const indent = figure ? s.pictogramSize + s.pictogramGap : 0;
    const slots = whole ? block.slots : block.slots.slice(0, block.slots.length === 2 ? 2 : 1);
    const first = slots.reduce((h, slot) => h + this.slotPlan(slot, this.width - indent).height, 0);
    return hbox.lines.length * hbox.lineH + 0.3 * s.bodySize + (figure ? Math.max(s.pictogramSize, first) : first);
  }

  /**
   * A Sect: the heading, the pictogram that introduced the block (easy-to-read) beside the signers,
   * then one Div per signer, never split across pages.
   */
  private signatures(block: SignaturesBlock, figure: FigureBlock | null): void {
    const s = this.style;
    const sect = this.child(this.root, 'Sect');
    // At section level: H2 under the title (H1 when the tree has no heading before).
    const level = this.lastHeading === 0 ? 1 : 2;
    const need = this.signaturesLead(block, figure, this.lastHeading);
    this.lastHeading = level;
    const hbox = this.headingBox([{ text: block.heading }], level);
    if (this.y > s.margins.top) this.y += s.headingSpaceBefore * s.bodySize;
    if (!this.fits(need)) this.newPage();
    this.outline(level, [{ text: block.heading }]);
    this.flow(this.child(sect, `H${level}`), `H${level}`, hbox, this.left);
    this.y += 0.3 * s.bodySize;
    const size = s.pictogramSize;
    const indent = figure ? size + s.pictogramGap : 0;
    const figurePage = this.pageNo;
    const figureTop = this.y;
    if (figure) this.drawFigure(figure, this.left, figureTop, size, sect);
    const x = this.left + indent;
    const width = this.width - indent;
    const lineH = s.bodySize * s.lineHeight;
    block.slots.forEach((slot, k) => {
      const plan = this.slotPlan(slot, width);
      let need = plan.height;
      // The last signer is not left alone on a page: the one before goes along when both fit.
      const last = block.slots[k + 1];
      if (k > 0 && k === block.slots.length - 2 && last) {
        const both = plan.height + this.slotPlan(last, width).height;
        if (both <= this.bottom - s.margins.top) need = both;
      }
      if (!this.fits(need)) this.newPage();
      const div = this.child(sect, 'Div');
      for (const box of plan.boxes) this.flow(this.child(div, 'P'), 'P', box, x);
      if (plan.signArea) {
        const top = this.y;
        const area = plan.signArea;
        this.artifact('Layout', () =>
          this.doc.addContent(`${rgb(s.rule)} RG 0.75 w ${num(x)} ${num(top)} ${num(Math.min(width, 260))} ${num(area - 0.4 * lineH)} re S`),
        );
        this.y += area;
      }
      this.y += s.bodySize;
    });
    if (figure && this.pageNo === figurePage) this.y = Math.max(this.y, figureTop + size + s.blockSpaceAfter * s.bodySize);
    this.signatureField(sect);
  }

  private signatureField(parent: StructElem): void {
    const field = this.options.signatureField;
    if (!field || this.fieldPlaced) return;
    addSignatureField(this.doc, parent, field);
    this.fieldPlaced = true;
  }

  // ---- running header and page numbers -----------------------------------------------------------

  /**
   * Header: the person the document is about and the title (cut with "…" when too long), so a
   * loose page is put back in the right file. Footer: "Page n sur N" and the version the page
   * belongs to ("Aperçu, non versionné" for an offline render, which has none), on one line when
   * both fit, else on two. All artifacts of type Pagination (PDF/UA 7.1-3), outside the structure.
   */
  private runningHeadersAndFooters(): void {
    const s = this.style;
    const doc = this.doc;
    const meta = this.tree.meta;
    const { start, count } = doc.bufferedPageRange();
    const size = s.runningSize;
    const lineH = size * 1.3;
    const headerTop = Math.max(12, s.margins.top - 2 * lineH);
    const footerTop = A4[1] - s.margins.bottom + lineH;
    const ellipsis = this.layout([{ text: '…' }], size, this.width)[0];
    const who = meta.personName || meta.establishmentName;
    const headLines = this.layout([{ text: who ? `${who} — ${this.tree.title}` : this.tree.title }], size, this.width - (ellipsis?.width ?? 0));
    // A copy: the laid-out lines are shared (see `layout`).
    const head: Line | undefined = headLines[0] && { ...headLines[0], pieces: [...headLines[0].pieces] };
    if (head && headLines.length > 1 && ellipsis) head.pieces.push(...ellipsis.pieces);
    const version = this.layout([{ text: meta.versionId ? `Version ${meta.versionId}` : 'Aperçu, non versionné' }], size, this.width)[0];
    for (let i = 0; i < count; i++) {
      doc.switchToPage(start + i);
      this.artifact(
        'Pagination',
        () => {
          if (head) this.emitLine(head, this.left, headerTop, size, lineH, s.text);
          this.flushLines();
          doc.addContent(`${rgb(s.rule)} RG 0.5 w ${num(this.left)} ${num(headerTop + lineH + 2)} m ${num(this.left + this.width)} ${num(headerTop + lineH + 2)} l S`);
        },
        ['Top'],
      );
      const label = this.layout([{ text: `Page ${i + 1} sur ${count}` }], size, this.width)[0];
      const versionTop = version.width + size + label.width <= this.width ? footerTop : footerTop + lineH;
      this.artifact(
        'Pagination',
        () => {
          this.emitLine(label, this.left + this.width - label.width, footerTop, size, lineH, s.text);
          this.emitLine(version, this.left, versionTop, size, lineH, s.text);
          this.flushLines();
        },
        ['Bottom'],
      );
    }
  }
}
