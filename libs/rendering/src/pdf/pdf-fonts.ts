import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import type { FontkitFont, FontkitGlyph } from 'fontkit';
import { PDF_FACE_FILES, isFormatControl, projectRoot } from '@carepact/common';
import { GenerationalCache } from './generational-cache';
import { num } from './pdf-number';
import type { EmbeddedFontInternal, GlyphRunInternal, PdfDoc, PdfReference } from './pdfkit-internals';

/**
 * Faces used by every variant (sans-serif, no italics — ACCESSIBILITY.md). The primary face is
 * Atkinson Hyperlegible Next, drawn for low-vision readers; it lacks a few characters that fr-FR
 * formatting produces (U+202F narrow no-break space) or that user data may hold (bidi controls,
 * U+00AD), which come from DejaVu Sans. Both sit inside the same marked content, so the fallback
 * changes nothing in the structure tree.
 */
export type FaceKey = 'R' | 'B' | 'FR' | 'FB';
export type Weight = 'regular' | 'bold';

/** The files, from the one list the input check reads too (@carepact/common printable.ts): each weight's primary face, then its fallback. */
const FILES: Record<FaceKey, string> = {
  R: PDF_FACE_FILES.regular[0],
  B: PDF_FACE_FILES.bold[0],
  FR: PDF_FACE_FILES.regular[1],
  FB: PDF_FACE_FILES.bold[1],
};
export const FACE_KEYS: readonly FaceKey[] = ['R', 'B', 'FR', 'FB'];

/**
 * Shaped words kept per face and generation (see GenerationalCache and `wordRun`). A word is read
 * only when a text misses `shaped` (a name, an amount, a version id, or a template text after a
 * turnover), so the words kept are the ones such texts share; each cost some 1.8 KB as fontkit's
 * run of glyph positions (see CachedWord for what is kept now). This was PDFKit's own cache, a
 * plain object emptied only past 1,500 words: a render thread's words grew from ~850 to 1,500 per
 * face over the first few hundred documents of a bulk run, 2–3 MB of heap per face that its
 * collector doubled (issue 12: memory flat over a bulk run).
 */
export const WORD_CACHE_LIMIT = 400;
/** Shaped texts kept per face and generation (see GenerationalCache and `shapedText`). */
const TEXT_CACHE_LIMIT = 500;

export interface Face {
  key: FaceKey;
  font: FontkitFont;
  /** Code point → renderable with a glyph of its own (see `ownGlyph`). */
  coverage: Map<number, boolean>;
  /** Glyph id → smallest code point the cmap maps to it. */
  canonical: Map<number, number> | null;
  /** Word → its shaped run, shared by every document of the process (PDFKit keeps one per document). */
  words: GenerationalCache<string, CachedWord>;
  /** Font programs of recent subsets, by their glyph list (see memoizeSubset). */
  subsets: Map<string, Uint8Array>;
  /** Text → its glyphs and positions as PDFKit lays it out (see `shapedText`). */
  shaped: GenerationalCache<string, ShapedText>;
  /** Glyph id → ids of its components (empty for a simple glyph), see completeCompositeGlyphs. */
  components: Map<number, number[]>;
}

export interface FontSet {
  dir: string;
  faces: Record<FaceKey, Face>;
}

const sets = new Map<string, FontSet>();

export function defaultFontsDir(): string {
  return join(projectRoot(), 'templates', 'assets', 'fonts');
}

/**
 * Fonts are parsed once per process and directory: parsing DejaVu Sans costs milliseconds and
 * fontkit keeps its glyph caches on the font object, so reusing it is what makes rendering fast.
 */
export function loadFontSet(dir = defaultFontsDir()): FontSet {
  const existing = sets.get(dir);
  if (existing) return existing;
  const faces = {} as Record<FaceKey, Face>;
  for (const key of FACE_KEYS) {
    const font = fontkit.create(readFileSync(join(dir, FILES[key])));
    faces[key] = {
      key,
      font,
      coverage: new Map(),
      canonical: null,
      words: new GenerationalCache(WORD_CACHE_LIMIT),
      subsets: new Map(),
      shaped: new GenerationalCache(TEXT_CACHE_LIMIT),
      components: new Map(),
    };
  }
  const set = { dir, faces };
  sets.set(dir, set);
  return set;
}

/**
 * True when the face has a glyph for `cp` that no smaller code point shares. PDFKit writes one
 * ToUnicode entry per glyph, so when a font maps, say, U+0020 and U+00A0 to the same glyph, the
 * second character would be extracted as the first: such a character goes to the fallback face.
 */
function ownGlyph(face: Face, cp: number): boolean {
  let ok = face.coverage.get(cp);
  if (ok !== undefined) return ok;
  ok = false;
  if (face.font.hasGlyphForCodePoint(cp)) {
    const id = face.font.glyphForCodePoint(cp).id;
    if (id !== 0) {
      if (!face.canonical) face.canonical = canonicalCodePoints(face.font);
      ok = face.canonical.get(id) === cp;
    }
  }
  face.coverage.set(cp, ok);
  return ok;
}

function canonicalCodePoints(font: FontkitFont): Map<number, number> {
  const map = new Map<number, number>();
  for (const cp of font.characterSet) {
    const id = font.glyphForCodePoint(cp).id;
    const prev = map.get(id);
    if (prev === undefined || cp < prev) map.set(id, cp);
  }
  return map;
}

/** Replacement for characters no face can draw (a .notdef glyph is forbidden by PDF/UA 7.21.8). */
export const REPLACEMENT = 0xfffd;

/** The face that draws `cp` in `weight`, or null when none can. */
export function faceFor(set: FontSet, weight: Weight, cp: number): FaceKey | null {
  const primary: FaceKey = weight === 'bold' ? 'B' : 'R';
  if (ownGlyph(set.faces[primary], cp)) return primary;
  const fallback: FaceKey = weight === 'bold' ? 'FB' : 'FR';
  if (ownGlyph(set.faces[fallback], cp)) return fallback;
  return null;
}

/** Per-document PDFKit fonts, one per face, created up front (only used ones get embedded). */
export type DocFonts = Record<FaceKey, EmbeddedFontInternal>;

export function attachFonts(doc: PdfDoc, set: FontSet): DocFonts {
  const out = {} as DocFonts;
  for (const key of FACE_KEYS) {
    const face = set.faces[key];
    doc.registerFont(key, face.font);
    doc.font(key);
    const embedded = doc._font;
    memoizeSubset(face, embedded);
    // PDFKit records the .notdef width unscaled (right only for 1000-unit fonts such as Atkinson;
    // DejaVu has 2048): keep the W array consistent with the font program (veraPDF 7.21.5).
    embedded.widths[0] = face.font.getGlyph(0).advanceWidth * embedded.scale;
    out[key] = embedded;
  }
  return out;
}

/** Subsets kept per face: documents of one template and variant mostly use the same glyphs, in the same order. */
const SUBSET_CACHE_LIMIT = 16;

/**
 * The font program of a document's subset is encoded once per process for each glyph list:
 * fontkit re-reads every glyph and rebuilds each table for every document (a fifth of a PDF's
 * time). Same glyph list (same glyphs, same order), same bytes. Its compressed stream is kept
 * too: deflating the four programs took about 2 ms of each render.
 */
function memoizeSubset(face: Face, embedded: EmbeddedFontInternal): void {
  const subset = embedded.subset;
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    const key = subset.glyphs.join(',');
    let program = face.subsets.get(key);
    if (!program) {
      program = encode();
      if (face.subsets.size >= SUBSET_CACHE_LIMIT) face.subsets.delete(face.subsets.keys().next().value as string);
      face.subsets.set(key, program);
    }
    return program;
  };
  const embed = embedded.embed.bind(embedded);
  embedded.embed = () => {
    // The first object PDFKit's embed() creates is the font file, ended with subset.encode().
    const doc = embedded.document;
    const ref = doc.ref;
    doc.ref = (data) => {
      doc.ref = ref;
      const fontFile = ref.call(doc, data);
      const end = fontFile.end.bind(fontFile);
      fontFile.end = (chunk) => (chunk instanceof Uint8Array && fontFile.compress ? endDeflated(fontFile, chunk) : end(chunk));
      return fontFile;
    };
    try {
      embed();
    } finally {
      doc.ref = ref;
    }
  };
}

/** Deflated font programs (zlib's output for the same bytes and level is the same bytes). */
const deflated = new WeakMap<Uint8Array, Uint8Array>();

/**
 * What PDFReference.end(program) writes with compression on, the deflate done once per program:
 * the same dictionary (Length then Filter) and the same stream bytes.
 */
function endDeflated(ref: PdfReference, program: Uint8Array): void {
  let bytes = deflated.get(program);
  if (!bytes) {
    bytes = deflateSync(program);
    deflated.set(program, bytes);
  }
  ref.compress = false;
  ref.write(bytes);
  ref.data.Filter = 'FlateDecode';
  ref.finalize();
}

/**
 * Adds the components of composite glyphs to the subset before PDFKit embeds it. PDFKit writes a
 * CIDSet (it does so for its PDF/UA subset) from the glyphs the text used, while fontkit's subset
 * also carries the components of accented letters (É = E + ´): veraPDF 7.21.4.2-2 requires the
 * CIDSet to list every glyph of the font program, and the W array must give their widths. A
 * glyph's components are read from the font once per process.
 */
export function completeCompositeGlyphs(face: Face, font: EmbeddedFontInternal): void {
  const { subset, widths } = font;
  if (subset.glyphs.length <= 1) return;
  for (let i = 0; i < subset.glyphs.length; i++) {
    for (const component of componentsOf(face, subset.glyphs[i])) {
      const gid = subset.includeGlyph(component);
      if (widths[gid] == null) widths[gid] = face.font.getGlyph(component).advanceWidth * font.scale;
    }
  }
}

const NO_COMPONENTS: number[] = [];

function componentsOf(face: Face, glyphId: number): number[] {
  let ids = face.components.get(glyphId);
  if (!ids) {
    const decoded = face.font.getGlyph(glyphId)._decode();
    ids = decoded && decoded.numberOfContours < 0 && decoded.components ? decoded.components.map((c) => c.glyphID) : NO_COMPONENTS;
    face.components.set(glyphId, ids);
  }
  return ids;
}

/**
 * A text shaped as PDFKit's encode lays it out (one fontkit run per word, each ending after a
 * space or a tab, from the face's word cache shared by the process), flattened once per face and text
 * into what a line needs: PDFKit's GlyphPosition objects, whose shape PDFKit changes after
 * fontkit made them, are slow to read in the line loop.
 */
export interface ShapedText {
  glyphs: FontkitGlyph[];
  /** Advance of each glyph, thousandths of an em. */
  xAdvance: Float64Array;
  /** The TJ adjustment after each glyph (`num` of advance width minus advance), or undefined. */
  kerning: (string | undefined)[];
  /** x and y offsets of each glyph (positioned marks), null when all are 0. */
  offsets: Float64Array | null;
  /** Sum of the runs' advance widths, summed as PDFKit's widthOfString does. */
  advance: number;
}

/**
 * A word as PDFKit's layoutCached shapes it, kept in the face's word cache: its glyphs and, per
 * glyph, PDFKit's scaled xAdvance, advanceWidth, xOffset and yOffset in one Float64Array, and the
 * run's advance (fontkit's advanceWidth getter: the xAdvance summed in order, the same double).
 * fontkit's GlyphRun held one GlyphPosition object per glyph (four heap numbers and a property
 * array for PDFKit's advanceWidth): thousands of small objects that outlive the documents around
 * them. Heap snapshots of a bulk run (issue 12, memory flat; SCALE.md
 * session 15) found these positions the only objects a render thread kept more of at the end than
 * at the 10 % mark (4,888 → 14,760 in one thread), on pages its collector no longer gave back.
 * Never modified once cached.
 */
interface CachedWord {
  glyphs: FontkitGlyph[];
  metrics: Float64Array;
  advance: number;
}

function cachedWord(run: GlyphRunInternal): CachedWord {
  const n = run.glyphs.length;
  const metrics = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const p = run.positions[i];
    metrics[4 * i] = p.xAdvance;
    metrics[4 * i + 1] = p.advanceWidth;
    metrics[4 * i + 2] = p.xOffset;
    metrics[4 * i + 3] = p.yOffset;
  }
  return { glyphs: run.glyphs, metrics, advance: run.advanceWidth };
}

/** One word from the face's word cache, shaped on a miss. */
function wordRun(face: Face, font: EmbeddedFontInternal, word: string): CachedWord {
  let w = face.words.get(word);
  if (!w) {
    w = cachedWord(font.layoutRun(word));
    face.words.set(word, w);
  }
  return w;
}

export function shapedText(face: Face, font: EmbeddedFontInternal, text: string): ShapedText {
  let shaped = face.shaped.get(text);
  if (shaped) return shaped;
  const runs: CachedWord[] = [];
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      runs.push(wordRun(face, font, text.slice(last, i + 1)));
      last = i + 1;
    }
  }
  if (last < text.length) runs.push(wordRun(face, font, text.slice(last)));
  let count = 0;
  for (const run of runs) count += run.glyphs.length;
  shaped = { glyphs: new Array<FontkitGlyph>(count), xAdvance: new Float64Array(count), kerning: new Array<string | undefined>(count), offsets: null, advance: 0 };
  let k = 0;
  for (const run of runs) {
    shaped.advance += run.advance;
    const m = run.metrics;
    for (let i = 0; i < run.glyphs.length; i++, k++) {
      const xAdvance = m[4 * i];
      const xOffset = m[4 * i + 2];
      const yOffset = m[4 * i + 3];
      shaped.glyphs[k] = run.glyphs[i];
      shaped.xAdvance[k] = xAdvance;
      const adjust = xAdvance - m[4 * i + 1];
      shaped.kerning[k] = adjust !== 0 ? num(-adjust) : undefined;
      if (xOffset || yOffset) {
        shaped.offsets ??= new Float64Array(2 * count);
        shaped.offsets[2 * k] = xOffset;
        shaped.offsets[2 * k + 1] = yOffset;
      }
    }
  }
  face.shaped.set(text, shaped);
  return shaped;
}

/** What `fonts[key].widthOfString(text, size)` returns (same sums in the same order), from the per-face cache. */
export function textWidth(set: FontSet, fonts: DocFonts, key: FaceKey, text: string, size: number): number {
  return shapedText(set.faces[key], fonts[key], text).advance * (size / 1000);
}

/**
 * CID of a shaped glyph in the document's subset, as PDFKit's encode gives it (recording its width
 * and ToUnicode entry the first time). `cids` is the document's glyph id → CID for this font:
 * each glyph is looked up once per document.
 */
export function cidOf(font: EmbeddedFontInternal, cids: number[], glyph: FontkitGlyph): number {
  let gid = cids[glyph.id];
  if (gid === undefined) {
    gid = font.subset.includeGlyph(glyph.id);
    if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
    if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
    cids[glyph.id] = gid;
  }
  return gid;
}

/**
 * Invisible format characters (bidi controls, zero-width joiners). fontkit's shaper swaps them for
 * a space glyph, which would turn "Dupont\u202Eelliv" into "Dupont elliv" in the text layer;
 * they are written with their own zero-width glyph instead, so they come out literally. One list,
 * in @carepact/common (printable.ts), which the input check reads too.
 */
export { isFormatControl };

/** Hex CID of a format control drawn unshaped, its ToUnicode entry and width recorded. */
export function encodeUnshaped(font: EmbeddedFontInternal, cp: number): { hex: string; width: number } {
  const glyph = font.font.glyphForCodePoint(cp);
  const gid = font.subset.includeGlyph(glyph.id);
  const width = glyph.advanceWidth * font.scale;
  if (font.widths[gid] == null) font.widths[gid] = width;
  if (font.unicode[gid] == null) font.unicode[gid] = [cp];
  return { hex: `0000${gid.toString(16)}`.slice(-4), width };
}
