/**
 * The WordprocessingML of the document's text paragraphs (headings, paragraphs, list items,
 * captions, signature lines), written as strings: the same bytes docx 9 writes for the same
 * options (body-xml.spec.ts compares them), without docx's object model, which cost most of a
 * DOCX rendition (one object per run, property and attribute, each walked twice). Tables and
 * pictograms too: their XML is docx's for the options the renderer used to give it
 * (docx-renderer.spec.ts compares whole packages with docx-reference.ts).
 */

import type { Inline } from '../tree';

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/** As docx escapes text: the five XML characters, and the control characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? '');
}

/** One run: `<w:r>` with its bold properties and its text. */
export function runXml(text: string, bold: boolean): string {
  return `<w:r>${bold ? '<w:rPr><w:b/><w:bCs/></w:rPr>' : ''}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

export interface ParagraphXmlOptions {
  /** Style id: Heading1…Heading4, Caption, ListParagraph. */
  style?: string;
  keepNext?: boolean;
  /** A list item's numbering instance (numbering.xml's w:numId), or a marker that stands for it until it is known. */
  numId?: number | string;
  spacingAfter?: number;
}

/** A paragraph, with its properties in docx's order (style, keepNext, numbering, spacing). */
export function paragraphXml(o: ParagraphXmlOptions, runs: string): string {
  let props = '';
  if (o.style) props += `<w:pStyle w:val="${o.style}"/>`;
  if (o.keepNext) props += '<w:keepNext/>';
  if (o.numId !== undefined) props += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${o.numId}"/></w:numPr>`;
  if (o.spacingAfter !== undefined) props += `<w:spacing w:after="${o.spacingAfter}"/>`;
  if (!props && !runs) return '<w:p/>';
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}${runs}</w:p>`;
}

/** docx's `BorderStyle.SINGLE`, size 4, on the sides it lists, in its order. */
const borders = (element: string, sides: string[], color: string): string =>
  `<w:${element}>${sides.map((side) => `<w:${side} w:val="single" w:color="${color}" w:sz="4"/>`).join('')}</w:${element}>`;
/** A 100 % wide table (docx writes percentages in fiftieths) with docx's default single borders. */
const TABLE_PROPERTIES = `<w:tblPr><w:tblW w:type="pct" w:w="5000"/>${borders('tblBorders', ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'], 'auto')}</w:tblPr>`;
const CELL_BORDERS = borders('tcBorders', ['top', 'left', 'bottom', 'right'], '4A4A4A');
const HEADER_CELL_PROPERTIES = `<w:tcPr>${CELL_BORDERS}<w:shd w:fill="E8EEF5" w:color="auto" w:val="clear"/></w:tcPr>`;
const CELL_PROPERTIES = `<w:tcPr>${CELL_BORDERS}</w:tcPr>`;

export interface TableXmlOptions {
  header: string[];
  /** The first cell of each row in bold (a row header). */
  rowHeaders: boolean;
  rows: Inline[][];
  /** The section's text width in twips: docx divides it equally among the grid columns. */
  textWidth: number;
}

/**
 * A table: its header row repeated on each page and kept with the next row, no row split across
 * pages, grey cell borders, the header shaded. The grid columns share the text width equally,
 * rounded as docx rounds them (Word, LibreOffice and Google Docs size the columns from the grid).
 */
export function tableXml(t: TableXmlOptions): string {
  const columns = Math.max(0, t.header.length, ...t.rows.map((r) => r.length));
  const column = `<w:gridCol w:w="${Math.round(t.textWidth / columns)}"/>`;
  let xml = `<w:tbl>${TABLE_PROPERTIES}${columns === 0 ? '<w:tblGrid/>' : `<w:tblGrid>${column.repeat(columns)}</w:tblGrid>`}`;
  // A row without cells is left out, as docx leaves it out.
  if (t.header.length > 0) {
    xml += '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>';
    for (const h of t.header) xml += `<w:tc>${HEADER_CELL_PROPERTIES}${paragraphXml({ keepNext: true }, runXml(h, true))}</w:tc>`;
    xml += '</w:tr>';
  }
  for (const row of t.rows) {
    if (row.length === 0) continue;
    xml += '<w:tr><w:trPr><w:cantSplit/></w:trPr>';
    row.forEach((cell, i) => {
      let runs = '';
      for (const r of cell) runs += runXml(r.text, r.strong === true || (i === 0 && t.rowHeaders));
      xml += `<w:tc>${CELL_PROPERTIES}${paragraphXml({}, runs)}</w:tc>`;
    });
    xml += '</w:tr>';
  }
  return `${xml}</w:tbl>`;
}

export interface PictogramXmlOptions {
  /** wp:docPr id, unique in the document (docx would number drawings with a process-wide counter). */
  id: number;
  /** Alternative text: the drawing's title and description. */
  alt: string;
  /** Width and height in pixels (9525 EMU each). */
  size: number;
  /** Relationship ids of the PNG (the blip Word 2013 and LibreOffice draw) and of the SVG (the extension Word 2016+ draws). */
  pngRel: string;
  svgRel: string;
}

/** A pictogram alone in a paragraph kept with the next one: an inline picture, SVG with its PNG fallback. */
export function pictogramXml(p: PictogramXmlOptions): string {
  const emu = Math.round(p.size * 9525);
  const alt = p.alt ? ` descr="${escapeXml(p.alt)}" title="${escapeXml(p.alt)}"` : '';
  return (
    '<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">' +
    `<wp:extent cx="${emu}" cy="${emu}"/><wp:effectExtent t="0" r="0" b="0" l="0"/><wp:docPr id="${p.id}" name="Pictogramme ${p.id}"${alt}/>` +
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>' +
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">' +
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="" descr=""/>' +
    '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>' +
    `<pic:blipFill><a:blip r:embed="${p.pngRel}" cstate="none"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">` +
    `<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="${p.svgRel}"/></a:ext></a:extLst></a:blip>` +
    '<a:srcRect/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>' +
    `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="${emu}" cy="${emu}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
  );
}
