/**
 * The part of fontkit 2 (PDFKit's own font engine, a direct dependency so that fonts are parsed
 * once per process) that the PDF adapter uses. fontkit ships no type declarations.
 */
declare module 'fontkit' {
  export interface FontkitGlyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
    /** Raw glyf record: numberOfContours < 0 for a composite glyph built from `components`. */
    _decode(): { numberOfContours: number; components?: { glyphID: number }[] } | null;
  }
  export interface FontkitFont {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    numGlyphs: number;
    characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): FontkitGlyph;
    getGlyph(id: number): FontkitGlyph;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
