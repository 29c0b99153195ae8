import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { isPrintableCodePoint, PDF_FACE_FILES } from '@carepact/common';
import { type FontSet, faceFor, isFormatControl, loadFontSet } from './pdf-fonts';

/**
 * The input check (libs/common printable.ts, CHARACTER_NOT_PRINTABLE) reads the PDF faces itself:
 * libs/common cannot import the renderer. It must say « printable » exactly where the renderer draws
 * a character with a face of its own in both weights (text-layout.ts `toWords`: otherwise U+FFFD),
 * on every code point of planes 0 and 1 (every code point the faces map is there).
 */
describe('printable characters: the input check and the PDF renderer agree', () => {
  const set: FontSet = loadFontSet();

  it('reads the same font files as the renderer, primary then fallback, in each weight', () => {
    const file = (key: 'R' | 'B' | 'FR' | 'FB') => readFileSync(join(set.dir, PDF_FACE_FILES[key === 'R' || key === 'FR' ? 'regular' : 'bold'][key.startsWith('F') ? 1 : 0]));
    for (const key of ['R', 'B', 'FR', 'FB'] as const) expect(set.faces[key].font.postscriptName).toBe(fontkit.create(file(key)).postscriptName);
  });

  it('says printable exactly where the renderer has a face for the character in both weights (planes 0 and 1)', () => {
    const disagree: string[] = [];
    for (let cp = 0x20; cp <= 0x1ffff; cp++) {
      if (cp === 0x7f || cp === 0xad || cp === 0xfeff || isFormatControl(cp)) continue;
      const rendered = faceFor(set, 'regular', cp) !== null && faceFor(set, 'bold', cp) !== null;
      if (rendered !== isPrintableCodePoint(cp)) disagree.push(cp.toString(16));
    }
    expect(disagree).toEqual([]);
  });

  it('says unprintable for Han, kana, Hangul, Devanagari, Khmer and a skin-toned emoji; printable for Latin, Greek, Cyrillic, Arabic, Hebrew', () => {
    const cps = (s: string) => [...s].map((c) => c.codePointAt(0) as number);
    for (const cp of cps('王さ김अសᠮ👍🏽')) expect({ cp: cp.toString(16), printable: isPrintableCodePoint(cp) }).toEqual({ cp: cp.toString(16), printable: false });
    for (const cp of cps('ÉœŸΩЖمשễ€\u00A0\u202F«»’')) expect({ cp: cp.toString(16), printable: isPrintableCodePoint(cp) }).toEqual({ cp: cp.toString(16), printable: true });
  });
});
