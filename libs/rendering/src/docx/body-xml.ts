/**
 * The WordprocessingML of the document's text paragraphs (headings, paragraphs, list items,
 * captions, signature lines), written as strings: the same bytes docx 9 writes for the same
 * options (body-xml.spec.ts compares them), without docx's object model, which cost most of a
 * DOCX rendition (one object per run, property and attribute, each walked twice). Tables and
 * pictograms, which need docx's column widths and image relationships, are still docx objects.
 */

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
  /**
   * A list item's numbering: written as a marker (control characters, which escaped text never
   * holds) that the renderer replaces with docx's concrete numbering id once it is known.
   */
  listInstance?: number;
  spacingAfter?: number;
}

/** The marker of a list instance's numbering id in a paragraph (see ParagraphXmlOptions.listInstance). */
export const listMarker = (instance: number): string => `\u0001${instance}\u0001`;

/** A paragraph, with its properties in docx's order (style, keepNext, numbering, spacing). */
export function paragraphXml(o: ParagraphXmlOptions, runs: string): string {
  let props = '';
  if (o.style) props += `<w:pStyle w:val="${o.style}"/>`;
  if (o.keepNext) props += '<w:keepNext/>';
  if (o.listInstance !== undefined) props += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${listMarker(o.listInstance)}"/></w:numPr>`;
  if (o.spacingAfter !== undefined) props += `<w:spacing w:after="${o.spacingAfter}"/>`;
  if (!props && !runs) return '<w:p/>';
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}${runs}</w:p>`;
}
