import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { resolve } from '../resolve/resolve';
import { templateInputFromFixture } from '../resolve/fixture-input';
import { templates } from '../bundle';
import { FACE_KEYS, WORD_CACHE_LIMIT, loadFontSet } from './pdf-fonts';
import { renderPdf } from './render-pdf';

/** « ab », « ac »…: a word of lower-case letters per number (the FALC lint refuses digits and capitals in names). */
function letters(n: number): string {
  let t = '';
  do {
    t += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n);
  return t;
}

/**
 * Issue 12 (memory flat over a bulk run): the shaped words a render thread keeps for every later
 * document are bounded by two generations of WORD_CACHE_LIMIT, reached within a few documents.
 * PDFKit's own cache, shared before, kept every new word until 1,500 per face, so a bulk run's
 * names made it grow over its first few hundred documents.
 */
describe('pdf fonts: the per-face word cache', () => {
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const template = templates().load('avenant');
  const base = JSON.stringify(templateInputFromFixture(fixture, 'avenant', 'marcel-dupont'));
  const tree = (i: number) => resolve(template, JSON.parse(base.replace(/Dupont/g, `Dupont${letters(i)}`).replace(/Marcel/g, `Marcel${letters(i + 7)}`)) as unknown, 'standard');

  it('holds at most two generations of words per face after 200 documents with new names, and renders the first one again to the same bytes', async () => {
    const first = await renderPdf(tree(0), 'standard');
    for (let i = 1; i < 200; i++) await renderPdf(tree(i), 'standard');
    const set = loadFontSet();
    const sizes = FACE_KEYS.map((k) => set.faces[k].words.size);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(2 * WORD_CACHE_LIMIT);
    // New names went in: the regular face's young generation turned over at least once.
    expect(sizes[0]).toBeGreaterThan(WORD_CACHE_LIMIT);
    // Runs are shared between documents and never modified: after the turnovers, the same tree gives the same bytes.
    expect((await renderPdf(tree(0), 'standard')).equals(first)).toBe(true);
  }, 60_000);

  // SCALE.md session 15: fontkit's GlyphRun, kept as it was, held an object with four heap numbers
  // and a property array per glyph, the only objects a render thread had more of at the end of a
  // bulk run than at its 10 % mark. A cached word is now its glyphs and one array of numbers.
  it('keeps each word as its glyphs and one Float64Array of four numbers per glyph, not fontkit’s run of position objects', async () => {
    for (let i = 300; i < 320; i++) await renderPdf(tree(i), 'standard');
    const set = loadFontSet();
    let words = 0;
    for (const k of FACE_KEYS) {
      for (const w of set.faces[k].words.values()) {
        words++;
        expect(Object.keys(w).sort()).toEqual(['advance', 'glyphs', 'metrics']);
        expect(w.metrics).toBeInstanceOf(Float64Array);
        expect(w.metrics.length).toBe(4 * w.glyphs.length);
        // The advance is the xAdvance summed in order, as fontkit's getter gave it.
        let sum = 0;
        for (let g = 0; g < w.glyphs.length; g++) sum += w.metrics[4 * g];
        expect(w.advance).toBe(sum);
      }
    }
    expect(words).toBeGreaterThan(0);
  }, 60_000);
});
