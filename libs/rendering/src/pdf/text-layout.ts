import type { Inline } from '../tree';
import { GenerationalCache } from './generational-cache';
import { type DocFonts, type FaceKey, type FontSet, REPLACEMENT, faceFor, isFormatControl, textWidth, type Weight } from './pdf-fonts';

/** A stretch of text in one face. */
export interface Piece {
  face: FaceKey;
  text: string;
  width: number;
  /** A format control written with its own glyph, outside shaping (see encodeUnshaped). */
  unshaped?: boolean;
}

export interface Line {
  pieces: Piece[];
  /** Width without the trailing space. */
  width: number;
}

interface Word {
  pieces: Piece[];
  width: number;
  /** Width of the trailing U+0020, 0 when the word has none. */
  spaceWidth: number;
  /** A hard line break ("\n" in the text) follows this word. */
  breakAfter: boolean;
  /** Text of the word (trailing space included), for the no-break rules. */
  text: string;
  /** Words glued by a no-break rule: where the line may still break if the group is too wide. */
  parts?: Word[];
}

/**
 * Text of the tree is plain text; C0 controls other than LF have no glyph in any font (a .notdef
 * would break PDF/UA 7.21.8) and no meaning in a document, so they are dropped; a tab is a space.
 * Everything else, bidi overrides included, is drawn as it is.
 */
function cleanCodePoint(cp: number): number | null {
  if (cp === 0x09) return 0x20;
  if (cp === 0x0a) return 0x0a;
  if (cp < 0x20 || cp === 0x7f) return null;
  // A soft hyphen's glyph is a visible hyphen and U+FEFF may not appear in a ToUnicode map
  // (veraPDF 7.21.7-2): both are invisible in the text, so they are dropped.
  if (cp === 0xad || cp === 0xfeff) return null;
  return cp;
}

/**
 * Splits inline runs into words. Breaks happen only after U+0020: never at a no-break space
 * (U+00A0, U+202F in "1 234,56 €"), never at a hyphen (easy-to-read text is not hyphenated and
 * "O'Brien-Nuñez" stays whole).
 */
function toWords(runs: Inline, set: FontSet, fonts: DocFonts, size: number, forceBold: boolean): Word[] {
  const w = new WordSplitter(set, fonts, size);
  for (const run of runs) {
    const weight: Weight = forceBold || run.strong ? 'bold' : 'regular';
    for (const ch of run.text) {
      let cp = cleanCodePoint(ch.codePointAt(0) as number);
      if (cp === null) continue;
      if (cp === 0x0a) {
        w.endWord(false, true);
        continue;
      }
      if (isFormatControl(cp)) {
        const control = faceFor(set, weight, cp);
        if (control) {
          w.flushPiece();
          w.face = null;
          w.pieces.push({ face: control, text: String.fromCodePoint(cp), width: 0, unshaped: true });
        }
        continue;
      }
      let f = faceFor(set, weight, cp);
      if (f === null) {
        cp = REPLACEMENT;
        f = faceFor(set, weight, cp) ?? (weight === 'bold' ? 'FB' : 'FR');
      }
      if (f !== w.face) {
        w.flushPiece();
        w.face = f;
      }
      w.buf += String.fromCodePoint(cp);
      // The space stays in the content stream (and so in the structure tree): assistive
      // technology reads words joined across line ends otherwise.
      if (cp === 0x20) w.endWord(true, false);
    }
    // A run boundary is not a break opportunity ("**1 234** €" stays whole): only flush the piece.
    w.flushPiece();
  }
  w.endWord(false, false);
  return glue(w.words);
}

/**
 * toWords' state, with its steps as methods rather than closures made at each call: V8 keeps a
 * closure's optimised code only while one of its closures lives, so closures made per call were
 * compiled again after every full collection (issue 12: the render threads' compiler work).
 */
class WordSplitter {
  readonly words: Word[] = [];
  pieces: Piece[] = [];
  face: FaceKey | null = null;
  buf = '';

  constructor(
    private readonly set: FontSet,
    private readonly fonts: DocFonts,
    private readonly size: number,
  ) {}

  flushPiece(): void {
    if (this.buf && this.face) this.pieces.push({ face: this.face, text: this.buf, width: 0 });
    this.buf = '';
  }

  endWord(hasSpace: boolean, hardBreak: boolean): void {
    this.flushPiece();
    const pieces = this.pieces;
    if (pieces.length === 0 && !hardBreak) return;
    let width = 0;
    let text = '';
    for (const p of pieces) {
      p.width = p.unshaped ? 0 : textWidth(this.set, this.fonts, p.face, p.text, this.size);
      width += p.width;
      text += p.text;
    }
    let spaceWidth = 0;
    if (hasSpace) {
      const last = pieces[pieces.length - 1];
      spaceWidth = textWidth(this.set, this.fonts, last.face, ' ', this.size);
      width -= spaceWidth;
    }
    this.words.push({ pieces, width, spaceWidth, breakAfter: hardBreak, text });
    this.pieces = [];
    this.face = null;
  }
}

/**
 * French typography and UAX #14: no break before « : ; ! ? » » even after a space (LB13 for the
 * first four, LB19 quotation for the closing guillemet), none after « « », and none inside a date
 * written in full (« 15 janvier 2027 », « 1er décembre »), so a date never ends up split across
 * lines or table cells.
 */
const MONTH = /^(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)$/;
const DAY = /^(1er|[1-9]|[12]\d|3[01])$/;
const YEAR = /^\d{4}\P{L}*$/u;

/** True when the line may not break between the group `prev` and the word `next`. */
function noBreakBefore(prev: Word, next: Word): boolean {
  const parts = prev.parts ?? [prev];
  const last = parts[parts.length - 1].text.trimEnd();
  const text = next.text.trimEnd();
  if (/^[:;!?»]/.test(text) || /«$/.test(last)) return true;
  if (DAY.test(last) && MONTH.test(text.replace(/\P{L}+$/u, ''))) return true;
  return parts.length >= 2 && YEAR.test(text) && MONTH.test(last) && DAY.test(parts[parts.length - 2].text.trimEnd());
}

function glue(words: Word[]): Word[] {
  const out: Word[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    if (prev && prev.spaceWidth > 0 && !prev.breakAfter && noBreakBefore(prev, w)) {
      out[out.length - 1] = {
        pieces: [...prev.pieces, ...w.pieces],
        width: prev.width + prev.spaceWidth + w.width,
        spaceWidth: w.spaceWidth,
        breakAfter: w.breakAfter,
        text: prev.text + w.text,
        parts: [...(prev.parts ?? [prev]), w],
      };
    } else out.push(w);
  }
  return out;
}

/** Splits a word wider than the line at code point boundaries (emergency break, e.g. a long id). */
function splitWord(word: Word, set: FontSet, fonts: DocFonts, size: number, maxWidth: number): Word[] {
  const out: Word[] = [];
  let cur: Piece[] = [];
  let curWidth = 0;
  for (const piece of word.pieces) {
    let text = '';
    for (const ch of piece.text) {
      const w = textWidth(set, fonts, piece.face, ch, size);
      if (curWidth + w > maxWidth && (curWidth > 0 || text)) {
        if (text) cur.push({ face: piece.face, text, width: textWidth(set, fonts, piece.face, text, size) });
        out.push({ pieces: cur, width: curWidth, spaceWidth: 0, breakAfter: false, text: '' });
        cur = [];
        curWidth = 0;
        text = '';
      }
      text += ch;
      curWidth += w;
    }
    if (text) cur.push({ face: piece.face, text, width: textWidth(set, fonts, piece.face, text, size) });
  }
  const lastWidth = cur.reduce((s, p) => s + p.width, 0) - word.spaceWidth;
  out.push({ pieces: cur, width: lastWidth, spaceWidth: word.spaceWidth, breakAfter: word.breakAfter, text: '' });
  return out;
}

/**
 * Greedy left-aligned line breaking (never justified: justification stretches spaces into gaps
 * that structure-based text extraction then loses). Adjacent pieces of one face are merged so a
 * line is written with as few text operators as possible.
 */
export function layoutInline(
  runs: Inline,
  set: FontSet,
  fonts: DocFonts,
  size: number,
  maxWidth: number,
  forceBold = false,
): Line[] {
  const lines: Line[] = [];
  let pieces: Piece[] = [];
  let width = 0;
  let pendingSpace = 0;
  const pushLine = (): void => {
    lines.push({ pieces: mergePieces(pieces), width });
    pieces = [];
    width = 0;
    pendingSpace = 0;
  };
  const fit = (w: Word): Word[] => (w.width <= maxWidth ? [w] : w.parts ? w.parts.flatMap(fit) : splitWord(w, set, fonts, size, maxWidth));
  const words = toWords(runs, set, fonts, size, forceBold).flatMap(fit);
  for (const word of words) {
    if (pieces.length > 0 && width + pendingSpace + word.width > maxWidth) pushLine();
    width += pendingSpace + word.width;
    pieces.push(...word.pieces);
    pendingSpace = word.spaceWidth;
    if (word.breakAfter) pushLine();
  }
  if (pieces.length > 0) pushLine();
  return lines;
}

/** Layouts kept per font set and generation (see GenerationalCache): a document lays out a few hundred texts. */
const LAYOUT_CACHE_LIMIT = 500;
const layouts = new WeakMap<FontSet, GenerationalCache<string, Line[]>>();

/**
 * `layoutInline` through a per-process cache of each font set: a template's clauses come back in
 * every document, and a document lays most of its texts out twice (keep-with-next, then
 * drawing). The lines depend on the text, size, width and weight only; they are never modified.
 */
export function layoutInlineCached(
  runs: Inline,
  set: FontSet,
  fonts: DocFonts,
  size: number,
  maxWidth: number,
  forceBold = false,
): Line[] {
  let cache = layouts.get(set);
  if (!cache) layouts.set(set, (cache = new GenerationalCache(LAYOUT_CACHE_LIMIT)));
  let key = `${size}|${maxWidth}|${forceBold ? 1 : 0}`;
  for (const r of runs) key += `${r.strong ? '\u0001' : '\u0002'}${r.text}`;
  let lines = cache.get(key);
  if (!lines) {
    lines = layoutInline(runs, set, fonts, size, maxWidth, forceBold);
    cache.set(key, lines);
  }
  return lines;
}

function mergePieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.face === p.face && !last.unshaped && !p.unshaped) {
      last.text += p.text;
      last.width += p.width;
    } else {
      out.push({ ...p });
    }
  }
  return out;
}

/** Width of the widest unbreakable word: the narrowest a table column can be without splitting. */
export function longestWordWidth(runs: Inline, set: FontSet, fonts: DocFonts, size: number, forceBold = false): number {
  let max = 0;
  for (const w of toWords(runs, set, fonts, size, forceBold)) max = Math.max(max, w.width);
  return max;
}

/** Natural (unwrapped) width of the runs. */
export function naturalWidth(runs: Inline, set: FontSet, fonts: DocFonts, size: number, forceBold = false): number {
  let total = 0;
  for (const w of toWords(runs, set, fonts, size, forceBold)) total += w.width + w.spaceWidth;
  return total;
}
