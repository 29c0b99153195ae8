import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { canonicalJson } from '@carepact/common';
import type {
  Block,
  DocumentTree,
  FigureBlock,
  HeadingBlock,
  Inline,
  ListBlock,
  SignaturesBlock,
  TableBlock,
  Variant,
} from '../tree';
import { type DocFonts, type FontSet, attachFonts, completeCompositeGlyphs, encodeUnshaped, FACE_KEYS, loadFontSet } from './pdf-fonts';
import { A4, type PdfStyle, type Rgb, pdfStyleFor } from './pdf-style';
import type { OutlineItem, PdfDoc, StructElem } from './pdfkit-internals';
import { loadPictogram } from './pictograms';
import { addSignatureField, checkSignatureField, type PdfSignatureField } from './signature-field';
import { type Line, layoutInline, longestWordWidth, naturalWidth } from './text-layout';
import { xmpBody } from './xmp';

/** Recorded with each rendition; bump when the same tree would render differently. */
export const PDF_RENDERER_VERSION = 'carepact-pdf/1.0.0';
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
  try {
    doc = new PdfWriter(tree, variant, options).write();
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const num = (n: number): string => String(Math.round(n * 1000) / 1000 || 0);
const rgb = (c: Rgb): string => `${num(c[0])} ${num(c[1])} ${num(c[2])}`;

interface TextBox {
  lines: Line[];
  size: number;
  lineH: number;
  color: Rgb;
}

class PdfWriter {
  private readonly style: PdfStyle;
  private readonly set: FontSet;
  private readonly doc: PdfDoc;
  private readonly fonts: DocFonts;
  private readonly root: StructElem;
  private y = 0;
  private pageNo = -1;
  private lastHeading = 0;
  private fieldPlaced = false;
  private readonly outlines: OutlineItem[] = [];

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
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  write(): PdfDoc {
    this.newPage();
    const blocks = this.tree.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      if (block.kind === 'figure') {
        const next = blocks[i + 1];
        if (next && (next.kind === 'paragraph' || next.kind === 'list')) {
          this.figureBeside(block, next);
          i++;
          continue;
        }
      }
      this.block(block, 0);
    }
    this.signatureField(this.root);
    this.root.end();
    this.runningHeadersAndFooters();
    for (const key of FACE_KEYS) {
      const font = this.fonts[key] as unknown as { dictionary?: unknown };
      if (font.dictionary) completeCompositeGlyphs(this.fonts[key]);
    }
    this.doc.end();
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

  private fits(height: number): boolean {
    return this.y + height <= this.bottom || this.y === this.style.margins.top;
  }

  private layout(text: Inline, size: number, width: number, bold = false): Line[] {
    return layoutInline(text, this.set, this.fonts, size, width, bold);
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
   * line box's top, from the primary face's metrics.
   */
  private emitLine(line: Line, x: number, top: number, size: number, lineH: number, color: Rgb): void {
    if (line.pieces.length === 0) return;
    const primary = this.fonts.R;
    const asc = (primary.ascender / 1000) * size;
    const contentH = ((primary.ascender - primary.descender) / 1000) * size;
    const baseline = top + (lineH - contentH) / 2 + asc;
    const doc = this.doc;
    const ops: string[] = ['BT', `${rgb(color)} rg`, `1 0 0 -1 ${num(x)} ${num(baseline)} Tm`];
    let cx = x;
    let resync = false;
    let current = '';
    for (const piece of line.pieces) {
      const font = this.fonts[piece.face];
      if (!doc.page.fonts[font.id]) doc.page.fonts[font.id] = font.ref();
      if (current !== font.id) {
        ops.push(`/${font.id} ${num(size)} Tf`);
        current = font.id;
      }
      if (piece.unshaped) {
        if (resync) {
          ops.push(`1 0 0 -1 ${num(cx)} ${num(baseline)} Tm`);
          resync = false;
        }
        const raw = encodeUnshaped(font, piece.text.codePointAt(0) as number);
        ops.push(`[<${raw.hex}>] TJ`);
        cx += (raw.width / 1000) * size;
        continue;
      }
      const [hex, positions] = font.encode(piece.text);
      const scale = size / 1000;
      let seg: string[] = [];
      let from = 0;
      const flush = (end: number): void => {
        if (end > from) seg.push(`<${hex.slice(from, end).join('')}>`);
        from = end;
        if (seg.length) ops.push(`[${seg.join(' ')}] TJ`);
        seg = [];
      };
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i];
        if (p.xOffset || p.yOffset) {
          // A positioned mark (combining accent): placed absolutely, then the line resumes.
          flush(i);
          ops.push(`1 0 0 -1 ${num(cx + p.xOffset * scale)} ${num(baseline - p.yOffset * scale)} Tm`);
          ops.push(`[<${hex[i]}>] TJ`);
          from = i + 1;
          resync = true;
        } else {
          if (resync) {
            flush(i);
            ops.push(`1 0 0 -1 ${num(cx)} ${num(baseline)} Tm`);
            resync = false;
          }
          // Kerning: TJ adjustments in thousandths of an em, as PDFKit writes them.
          const adjust = p.xAdvance - p.advanceWidth;
          if (adjust !== 0) {
            seg.push(`<${hex.slice(from, i + 1).join('')}>`, num(-adjust));
            from = i + 1;
          }
        }
        cx += p.xAdvance * scale;
      }
      flush(positions.length);
    }
    ops.push('ET');
    doc.addContent(ops.join('\n'));
  }

  /**
   * Flows lines as real content of `elem`: one marked-content sequence per page, a page break
   * whenever the next line does not fit.
   */
  private flow(elem: StructElem, tag: string, box: TextBox, x: number): void {
    let open = false;
    for (const line of box.lines) {
      if (!this.fits(box.lineH)) {
        if (open) this.doc.endMarkedContent();
        open = false;
        this.newPage();
      }
      if (!open) {
        elem.add(this.doc.markStructureContent(tag));
        open = true;
      }
      this.emitLine(line, x, this.y, box.size, box.lineH, box.color);
      this.y += box.lineH;
    }
    if (open) this.doc.endMarkedContent();
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

  private block(block: Block, indent: number): void {
    switch (block.kind) {
      case 'heading':
        return this.heading(block);
      case 'paragraph':
        return this.paragraph(block.text, indent);
      case 'list':
        return this.list(block, indent);
      case 'table':
        return this.table(block);
      case 'figure':
        return this.figureAlone(block);
      case 'signatures':
        return this.signatures(block);
      default: {
        const never: never = block;
        throw new Error(`renderPdf: unknown block ${JSON.stringify(never)}`);
      }
    }
  }

  private heading(block: HeadingBlock): void {
    this.headingText(block.text, block.level);
  }

  /**
   * Levels are clamped so the tags never skip one (veraPDF 7.4.2-1), whatever the tree says: the
   * resolve step already checks it, the PDF must stay valid regardless.
   */
  private headingText(text: Inline, wanted: number): void {
    const level = Math.max(1, Math.min(wanted, this.lastHeading + 1, 4)) as 1 | 2 | 3 | 4;
    this.lastHeading = level;
    const s = this.style;
    const size = s.headingSizes[level];
    const box = this.box(text, size, this.width, {
      bold: true,
      lineHeight: s.variant === 'standard' ? 1.3 : s.lineHeight,
      color: s.heading,
    });
    if (this.y > s.margins.top) this.y += s.headingSpaceBefore * s.bodySize;
    // Keep the heading with at least two lines of what follows.
    const need = box.lines.length * box.lineH + 2 * s.bodySize * s.lineHeight;
    if (!this.fits(need)) this.newPage();
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

  private paragraph(text: Inline, indent: number, parent: StructElem = this.root): void {
    const s = this.style;
    this.flow(this.child(parent, 'P'), 'P', this.box(text, s.bodySize, this.width - indent), this.left + indent);
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  private list(block: ListBlock, indent: number): void {
    const s = this.style;
    const list = this.child(this.root, 'L');
    const x = this.left + indent;
    block.items.forEach((item, i) => {
      const li = this.child(list, 'LI');
      const label = this.box([{ text: block.ordered ? `${i + 1}.` : '•' }], s.bodySize, s.listIndent);
      const body = this.box(item, s.bodySize, this.width - indent - s.listIndent);
      if (!this.fits(body.lineH)) this.newPage();
      const top = this.y;
      this.flow(this.child(li, 'Lbl'), 'Lbl', label, x);
      this.y = top;
      this.flow(this.child(li, 'LBody'), 'LBody', body, x + s.listIndent);
      this.y += 0.3 * s.bodySize;
    });
    this.y += (s.blockSpaceAfter - 0.3) * s.bodySize;
  }

  // ---- figures ----------------------------------------------------------------------------------

  /** Easy-to-read layout: the pictogram sits left of the idea block it introduces. */
  private figureBeside(figure: FigureBlock, next: Block): void {
    const s = this.style;
    const size = s.pictogramSize;
    if (!this.fits(size)) this.newPage();
    const page = this.pageNo;
    const top = this.y;
    this.drawFigure(figure, this.left, top, size);
    this.block(next, size + s.pictogramGap);
    if (this.pageNo === page) this.y = Math.max(this.y, top + size + s.blockSpaceAfter * s.bodySize);
  }

  private figureAlone(figure: FigureBlock): void {
    const s = this.style;
    if (!this.fits(s.pictogramSize)) this.newPage();
    this.drawFigure(figure, this.left, this.y, s.pictogramSize);
    this.y += s.pictogramSize + s.blockSpaceAfter * s.bodySize;
  }

  private drawFigure(figure: FigureBlock, x: number, y: number, size: number): void {
    const alt = figure.alt.trim();
    const draw = (): void => this.drawPictogram(figure.asset, x, y, size);
    if (!alt) {
      // Without a text alternative a pictogram carries no meaning a reader could get: decoration.
      this.artifact('Layout', draw);
      return;
    }
    const elem = this.child(this.root, 'Figure', { alt, bbox: [x, y, x + size, y + size], placement: 'Block' });
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
      doc.path(p.d);
      doc.addContent(p.evenOdd ? 'f*' : 'f');
    }
    doc.restore();
  }

  // ---- tables -----------------------------------------------------------------------------------

  private table(block: TableBlock): void {
    const s = this.style;
    const cols = Math.max(block.header.length, ...block.rows.map((r) => r.length), 1);
    const header: Inline[] = Array.from({ length: cols }, (_, i) => [{ text: block.header[i] ?? '' }]);
    // Every row gets the same number of cells (veraPDF 7.2-42).
    const rows: Inline[][] = block.rows.map((r) => Array.from({ length: cols }, (_, i) => r[i] ?? []));
    const isBold = (row: number, col: number): boolean => row < 0 || (block.rowHeaders && col === 0);
    const pad = s.cellPadding;
    const minW: number[] = new Array(cols).fill(0);
    const natW: number[] = new Array(cols).fill(0);
    [header, ...rows].forEach((row, r) =>
      row.forEach((cell, c) => {
        const bold = isBold(r - 1, c);
        minW[c] = Math.max(minW[c], longestWordWidth(cell, this.set, this.fonts, s.bodySize, bold) + 2 * pad + 1);
        natW[c] = Math.max(natW[c], naturalWidth(cell, this.set, this.fonts, s.bodySize, bold) + 2 * pad + 1);
      }),
    );
    const total = this.width;
    const sumMin = minW.reduce((a, b) => a + b, 0);
    const table = this.child(this.root, 'Table');
    const caption = this.box([{ text: block.caption }], s.bodySize, total, { bold: true });
    if (sumMin > total) {
      // Too wide even with every column at its longest word (large print): reflow (below).
      this.stackedTable(block, table, caption, header, rows);
      return;
    }
    const sumNat = natW.reduce((a, b) => a + b, 0);
    const widths =
      sumNat <= total
        ? natW.map((w) => w + ((total - sumNat) * w) / sumNat)
        : minW.map((w, i) => w + ((total - sumMin) * (natW[i] - minW[i])) / Math.max(1, sumNat - sumMin));
    const lineH = s.bodySize * s.lineHeight;
    const cellBoxes = (row: Inline[], r: number): TextBox[] =>
      row.map((cell, c) => this.box(cell, s.bodySize, widths[c] - 2 * pad, { bold: isBold(r, c) }));
    const headBoxes = cellBoxes(header, -1);
    const rowHeight = (boxes: TextBox[]): number => Math.max(1, ...boxes.map((b) => b.lines.length)) * lineH + 2 * pad;
    const headH = rowHeight(headBoxes);
    const bodyBoxes = rows.map((row, r) => cellBoxes(row, r));
    // Keep caption, header and first row together.
    const firstH = bodyBoxes.length ? rowHeight(bodyBoxes[0]) : 0;
    if (!this.fits(caption.lines.length * caption.lineH + headH + firstH)) this.newPage();
    this.flow(this.child(table, 'Caption'), 'Caption', caption, this.left);
    this.y += 0.2 * s.bodySize;

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
          });
        }
        x += widths[c];
      });
      this.y = top + height;
    };

    const thead = this.child(table, 'THead');
    const headRow = this.child(thead, 'TR');
    const headCells = header.map(() => this.child(headRow, 'TH', { scope: 'Column' }));
    drawRow(headBoxes, headCells, headH, true);
    const tbody = this.child(table, 'TBody');
    bodyBoxes.forEach((boxes, r) => {
      const h = rowHeight(boxes);
      if (!this.fits(h)) {
        this.newPage();
        // The header row repeats on each page as an artifact: it is not new content.
        drawRow(headBoxes, null, headH, true);
      }
      const tr = this.child(tbody, 'TR');
      const cells = rows[r].map((_, c) => this.child(tr, block.rowHeaders && c === 0 ? 'TH' : 'TD', block.rowHeaders && c === 0 ? { scope: 'Row' } : undefined));
      drawRow(boxes, cells, h, false);
    });
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  /**
   * Reflowed table (large print, ACCESSIBILITY.md): still Table/TR/TH/TD in the structure, laid out
   * as one block per row; each value is preceded by its column name, drawn as an artifact because
   * the TH already gives it to assistive technology.
   */
  private stackedTable(block: TableBlock, table: StructElem, caption: TextBox, header: Inline[], rows: Inline[][]): void {
    const s = this.style;
    const indent = s.listIndent;
    this.flow(this.child(table, 'Caption'), 'Caption', caption, this.left);
    this.y += 0.2 * s.bodySize;
    const headRow = this.child(this.child(table, 'THead'), 'TR');
    header.forEach((cell) => {
      const box = this.box(cell, s.bodySize, this.width, { bold: true, color: s.heading });
      this.flow(this.child(headRow, 'TH', { scope: 'Column' }), 'TH', box, this.left);
    });
    this.y += 0.4 * s.bodySize;
    const tbody = this.child(table, 'TBody');
    rows.forEach((row) => {
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
          this.flow(elem, 'TH', this.box(cell, s.bodySize, this.width, { bold: true }), this.left);
          return;
        }
        const label = this.box([{ text: `${header[c].map((r) => r.text).join('')} :` }], s.bodySize, this.width - indent, {
          color: s.heading,
        });
        const value = this.box(cell, s.bodySize, this.width - indent);
        if (!this.fits(label.lineH * (label.lines.length + 1))) this.newPage();
        const top = this.y;
        this.artifact('Layout', () =>
          label.lines.forEach((line, i) => this.emitLine(line, this.left + indent, top + i * label.lineH, label.size, label.lineH, label.color)),
        );
        this.y = top + label.lines.length * label.lineH;
        if (value.lines.length) this.flow(elem, 'TD', value, this.left + indent);
      });
      this.y += 0.4 * s.bodySize;
    });
    this.y += s.blockSpaceAfter * s.bodySize;
  }

  // ---- signatures -------------------------------------------------------------------------------

  private signatures(block: SignaturesBlock): void {
    const s = this.style;
    const sect = this.child(this.root, 'Sect');
    // At section level: H2 under the title (H1 when the tree has no heading before).
    const level = this.lastHeading === 0 ? 1 : 2;
    this.lastHeading = level;
    const hbox = this.box([{ text: block.heading }], s.headingSizes[level], this.width, {
      bold: true,
      lineHeight: s.variant === 'standard' ? 1.3 : s.lineHeight,
      color: s.heading,
    });
    if (this.y > s.margins.top) this.y += s.headingSpaceBefore * s.bodySize;
    if (!this.fits(hbox.lines.length * hbox.lineH + 6 * s.bodySize * s.lineHeight)) this.newPage();
    this.outline(level, [{ text: block.heading }]);
    this.flow(this.child(sect, `H${level}`), `H${level}`, hbox, this.left);
    this.y += 0.3 * s.bodySize;
    const lineH = s.bodySize * s.lineHeight;
    for (const slot of block.slots) {
      const paras: { text: Inline; bold?: boolean }[] = [{ text: [{ text: slot.name }], bold: true }, { text: [{ text: slot.capacity }] }];
      if (slot.signedOn) {
        paras.push({ text: [{ text: `Signé le ${slot.signedOn}` }] });
        if (slot.method) paras.push({ text: [{ text: slot.method }] });
      } else {
        paras.push({ text: [{ text: 'Date :' }] }, { text: [{ text: 'Signature :' }] });
      }
      const boxes = paras.map((p) => this.box(p.text, s.bodySize, this.width, { bold: p.bold }));
      const signArea = slot.signedOn ? 0 : 3 * lineH;
      const height = boxes.reduce((h, b) => h + b.lines.length * b.lineH, 0) + signArea + s.bodySize;
      if (!this.fits(height)) this.newPage();
      const div = this.child(sect, 'Div');
      boxes.forEach((box) => this.flow(this.child(div, 'P'), 'P', box, this.left));
      if (signArea) {
        const top = this.y;
        this.artifact('Layout', () =>
          this.doc.addContent(`${rgb(s.rule)} RG 0.75 w ${num(this.left)} ${num(top)} ${num(Math.min(this.width, 260))} ${num(signArea - 0.4 * lineH)} re S`),
        );
        this.y += signArea;
      }
      this.y += s.bodySize;
    }
    this.signatureField(sect);
  }

  private signatureField(parent: StructElem): void {
    const field = this.options.signatureField;
    if (!field || this.fieldPlaced) return;
    addSignatureField(this.doc, parent, field);
    this.fieldPlaced = true;
  }

  // ---- running header and page numbers -----------------------------------------------------------

  private runningHeadersAndFooters(): void {
    const s = this.style;
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    const size = s.runningSize;
    const lineH = size * 1.3;
    const headerTop = Math.max(12, s.margins.top - 2 * lineH);
    const footerTop = A4[1] - s.margins.bottom + lineH;
    const ellipsis = this.layout([{ text: '…' }], size, this.width)[0];
    const headLines = this.layout([{ text: `${this.tree.meta.establishmentName} — ${this.tree.title}` }], size, this.width - (ellipsis?.width ?? 0));
    const head = headLines[0];
    if (head && headLines.length > 1 && ellipsis) head.pieces.push(...ellipsis.pieces);
    for (let i = 0; i < count; i++) {
      doc.switchToPage(start + i);
      this.artifact(
        'Pagination',
        () => {
          if (head) this.emitLine(head, this.left, headerTop, size, lineH, s.text);
          doc.addContent(`${rgb(s.rule)} RG 0.5 w ${num(this.left)} ${num(headerTop + lineH + 2)} m ${num(this.left + this.width)} ${num(headerTop + lineH + 2)} l S`);
        },
        ['Top'],
      );
      const label = this.layout([{ text: `Page ${i + 1} sur ${count}` }], size, this.width)[0];
      this.artifact('Pagination', () => this.emitLine(label, this.left + this.width - label.width, footerTop, size, lineH, s.text), ['Bottom']);
    }
  }
}
