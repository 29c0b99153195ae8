import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as FontkitModule from 'fontkit';
import type { FontkitFont } from 'fontkit';
import { projectRoot } from './project-root';

/**
 * What the PDF renditions can print, checked where text enters (the API's validators, the templates'
 * input validation), so that no signed document shows « � » where a name was.
 *
 * The PDF embeds two sans-serif faces (libs/rendering pdf-fonts.ts): Atkinson Hyperlegible Next
 * (Latin) and DejaVu Sans as fallback (Greek, Cyrillic, Armenian, Georgian, Arabic, Hebrew, many
 * symbols). Neither draws Han, kana, Hangul, Devanagari and the other Indic scripts, Thai, Khmer,
 * Mongolian, Ethiopic, nor most emoji: the renderer replaced each such character with U+FFFD (a
 * .notdef glyph is forbidden by PDF/UA 7.21.8), so a contrat de séjour for « 王秀英 » printed
 * « ��� » in the name the person signs. A face that draws them (Noto CJK, Noto Sans Devanagari…)
 * weighs megabytes per script and weight; the names of a French legal document are written in Latin
 * letters on the identity document or residence permit anyway (translittération), so such text is
 * refused at input, with CHARACTER_NOT_PRINTABLE, instead of being printed as « � ».
 *
 * The rule is the renderer's own (libs/rendering pdf-fonts.ts `faceFor`, text-layout.ts `toWords`),
 * computed from the same font files once per process, in both weights (a name is printed in bold
 * too): a character prints when the primary face, or else the fallback, has a glyph of its own for
 * it (not one a smaller code point shares: PDFKit's ToUnicode would extract it as that other
 * character). libs/rendering pdf/printable-agreement.spec.ts checks that both agree on every code point of planes
 * 0 and 1. What the renderer drops or draws without a glyph is not checked here: C0 controls, DEL,
 * U+00AD, U+FEFF, and the format controls of `isFormatControl` (textProblem rules on those).
 */
export const PDF_FACE_FILES = {
  regular: ['AtkinsonHyperlegibleNext-Regular.ttf', 'DejaVuSans.ttf'],
  bold: ['AtkinsonHyperlegibleNext-Bold.ttf', 'DejaVuSans-Bold.ttf'],
} as const;

interface CoverageFace {
  font: FontkitFont;
  /** fontkit's cmap lookup (code point → glyph id, 0 when none): what hasGlyphForCodePoint and glyphForCodePoint read, without making a glyph object per call. */
  lookup: (cp: number) => number;
}

let fontkitModule: typeof FontkitModule | undefined;
/** fontkit, loaded at the first check rather than with this library (the api and the worker's main thread render nothing: see libs/rendering pdf/index.ts). */
function fontkit(): typeof FontkitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (fontkitModule ??= require('fontkit') as typeof FontkitModule);
}

/** The code points both weights print, computed once per process; the parsed fonts are not kept (a few MB). */
let printable: Set<number> | null = null;

function loadFace(dir: string, file: string): CoverageFace {
  const font = fontkit().create(readFileSync(join(dir, file)));
  const cmap = (font as unknown as { _cmapProcessor: { lookup(cp: number): number } })._cmapProcessor;
  return { font, lookup: (cp) => cmap.lookup(cp) || 0 };
}

/**
 * libs/rendering pdf-fonts.ts `ownGlyph` for every code point of a face: those with a glyph that no
 * smaller code point shares.
 */
function ownGlyphs(face: CoverageFace): Set<number> {
  const canonical = new Map<number, number>();
  const chars = face.font.characterSet;
  for (const cp of chars) {
    const id = face.lookup(cp);
    const prev = canonical.get(id);
    if (id !== 0 && (prev === undefined || cp < prev)) canonical.set(id, cp);
  }
  const own = new Set<number>();
  for (const cp of chars) {
    const id = face.lookup(cp);
    if (id !== 0 && canonical.get(id) === cp) own.add(cp);
  }
  return own;
}

function printableSet(): Set<number> {
  if (printable) return printable;
  const dir = join(projectRoot(), 'templates', 'assets', 'fonts');
  const weight = (files: readonly string[]): Set<number> => {
    const union = new Set<number>();
    for (const file of files) for (const cp of ownGlyphs(loadFace(dir, file))) union.add(cp);
    return union;
  };
  const regular = weight(PDF_FACE_FILES.regular);
  const bold = weight(PDF_FACE_FILES.bold);
  printable = new Set([...regular].filter((cp) => bold.has(cp)));
  return printable;
}

/** Invisible format characters (bidi controls, zero-width joiners), which the PDF renderer (libs/rendering pdf-fonts.ts, text-layout.ts) draws unshaped with a zero-width glyph, or skips. */
export function isFormatControl(cp: number): boolean {
  return cp === 0x061c || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069);
}

/** True when the PDF renditions draw `cp` in both weights (or drop it without a replacement). */
export function isPrintableCodePoint(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f || cp === 0xad || cp === 0xfeff || isFormatControl(cp) || printableSet().has(cp);
}

/** The distinct characters of `value` the PDF renditions cannot print, in order of appearance. */
export function unprintableCharacters(value: string): string[] {
  const out: string[] = [];
  for (const ch of value) if (!isPrintableCodePoint(ch.codePointAt(0) as number) && !out.includes(ch)) out.push(ch);
  return out;
}

/** « 王 » (U+738B), « 秀 » (U+79C0)… — at most five, each with its code point (some are marks that draw over the guillemet). */
export function describeCharacters(chars: string[]): string {
  const shown = chars.slice(0, 5).map((c) => `« ${c} » (U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`);
  return shown.join(', ') + (chars.length > 5 ? ` et ${chars.length - 5} autre${chars.length > 6 ? 's' : ''}` : '');
}
