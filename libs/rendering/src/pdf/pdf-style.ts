import type { Variant } from '../tree';

/** Points per centimetre (PDF user space unit = 1/72 inch). */
export const CM = 72 / 2.54;
/** ISO A4, the paper French establishments print on. */
export const A4: readonly [number, number] = [595.28, 841.89];

export type Rgb = readonly [number, number, number];

/**
 * Style profile of one rendition variant. Sizes are in points; `lineHeight` is a multiple of the
 * font size (ACCESSIBILITY.md: ≥ 1.5 for easy-to-read and large print).
 */
export interface PdfStyle {
  variant: Variant;
  margins: { top: number; right: number; bottom: number; left: number };
  bodySize: number;
  lineHeight: number;
  headingSizes: Record<1 | 2 | 3 | 4, number>;
  /** Space before a heading, as a multiple of the body size. */
  headingSpaceBefore: number;
  /** Space after a paragraph, list, table or figure, as a multiple of the body size. */
  blockSpaceAfter: number;
  /** Running header and page number (artifacts). */
  runningSize: number;
  /** Pictogram side; in the easy-to-read variant the pictogram sits left of its idea block. */
  pictogramSize: number;
  pictogramGap: number;
  listIndent: number;
  cellPadding: number;
  text: Rgb;
  heading: Rgb;
  rule: Rgb;
  headerFill: Rgb;
  pictogram: Rgb;
}

const TEXT: Rgb = [0, 0, 0];
// #0b3d6b on white: contrast 11.6:1, well above the 4.5:1 of WCAG AA.
const HEADING: Rgb = [0.043, 0.239, 0.42];
const RULE: Rgb = [0.33, 0.33, 0.33];
const HEADER_FILL: Rgb = [0.9, 0.9, 0.9];

const STYLES: Record<Variant, PdfStyle> = {
  standard: {
    variant: 'standard',
    margins: { top: 2.2 * CM, right: 2 * CM, bottom: 2.2 * CM, left: 2 * CM },
    bodySize: 11.5,
    lineHeight: 1.4,
    headingSizes: { 1: 20, 2: 16, 3: 13.5, 4: 12 },
    headingSpaceBefore: 1.1,
    blockSpaceAfter: 0.6,
    runningSize: 9,
    pictogramSize: 30,
    pictogramGap: 10,
    listIndent: 22,
    cellPadding: 4,
    text: TEXT,
    heading: HEADING,
    rule: RULE,
    headerFill: HEADER_FILL,
    pictogram: TEXT,
  },
  falc: {
    variant: 'falc',
    margins: { top: 2.5 * CM, right: 2 * CM, bottom: 2.5 * CM, left: 2 * CM },
    // Inclusion Europe / Unapei: body at least 14 pt; 15 pt of a hyperlegible face reads easily.
    bodySize: 15,
    lineHeight: 1.5,
    headingSizes: { 1: 26, 2: 21, 3: 18, 4: 16 },
    headingSpaceBefore: 1.2,
    blockSpaceAfter: 0.9,
    runningSize: 12,
    pictogramSize: 52,
    pictogramGap: 14,
    listIndent: 28,
    cellPadding: 6,
    text: TEXT,
    heading: HEADING,
    rule: RULE,
    headerFill: HEADER_FILL,
    pictogram: TEXT,
  },
  'large-print': {
    variant: 'large-print',
    // Large print: margins of at least 2 cm, body 18 pt by default, headings larger.
    margins: { top: 3 * CM, right: 2.5 * CM, bottom: 3 * CM, left: 2.5 * CM },
    bodySize: 18,
    lineHeight: 1.5,
    headingSizes: { 1: 30, 2: 25, 3: 22, 4: 20 },
    headingSpaceBefore: 1.1,
    blockSpaceAfter: 0.8,
    runningSize: 16,
    pictogramSize: 54,
    pictogramGap: 14,
    listIndent: 34,
    cellPadding: 6,
    text: TEXT,
    heading: HEADING,
    rule: RULE,
    headerFill: HEADER_FILL,
    pictogram: TEXT,
  },
};

export function pdfStyleFor(variant: Variant): PdfStyle {
  const style = STYLES[variant];
  if (!style) throw new Error(`unknown rendition variant: ${String(variant)}`);
  return style;
}
