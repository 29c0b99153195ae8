/**
 * Fonts (PDF/UA-1 7.21), extracted text, type sizes per variant and reproducibility.
 */
import * as fontkit from 'fontkit';
import { renderPdf } from '@carepact/rendering';
import { VARIANTS, type Variant } from '@carepact/rendering';
import {
  ACCENTED_CAPITALS,
  contratSejourTree,
  DAILY_RATE,
  HOSTILE,
  MONTHLY_RATE,
  OEUVRE,
  PICTOGRAMS_DIR,
  QUOTED,
  RESIDENT,
} from './fixtures/contrat-sejour.fixture';
import {
  dictOf,
  folded,
  pdfjs,
  type PdfJsView,
  pdftotext,
  qpdfObjects,
  type QpdfObject,
  type QpdfValue,
  refNumber,
  run,
  streamData,
  writeTemp,
} from './pdf-tools';

const STANDARD_14 = /^(Courier|Helvetica|Times|Symbol|ZapfDingbats)/;

interface FontInfo {
  resource: string;
  baseFont: string;
  toUnicode: Map<number, string>;
  cidSet: Buffer | null;
  program: Buffer;
  widths: number[];
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToString = (hex: string): string => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');
  for (const m of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
    const start = parseInt(m[1], 16);
    [...m[3].matchAll(/<([0-9a-f\s]*)>/gi)].forEach((u, i) => map.set(start + i, hexToString(u[1])));
  }
  return map;
}

/** Fonts by page resource name, with their ToUnicode map, CIDSet, program and W widths. */
function fonts(file: string, objects: Record<string, QpdfObject>): Map<string, FontInfo> {
  const out = new Map<string, FontInfo>();
  const get = (ref: QpdfValue): Record<string, QpdfValue> => dictOf(objects[`obj:${String(ref)}`]) as Record<string, QpdfValue>;
  for (const o of Object.values(objects)) {
    const page = dictOf(o);
    if (page?.['/Type'] !== '/Page') continue;
    const resources = get(page['/Resources']);
    for (const [resource, ref] of Object.entries((resources['/Font'] ?? {}) as Record<string, QpdfValue>)) {
      if (out.has(resource)) continue;
      const font = get(ref);
      const cid = get((font['/DescendantFonts'] as QpdfValue[])[0]);
      const descriptor = get(cid['/FontDescriptor']);
      const w = cid['/W'] as QpdfValue[];
      expect(w[0]).toBe(0);
      out.set(resource, {
        resource,
        baseFont: String(font['/BaseFont']),
        toUnicode: parseToUnicode(streamData(file, refNumber(font['/ToUnicode'])).toString('latin1')),
        cidSet: descriptor['/CIDSet'] ? streamData(file, refNumber(descriptor['/CIDSet'])) : null,
        program: streamData(file, refNumber(descriptor['/FontFile2'])),
        widths: (w[1] as number[]).map(Number),
      });
    }
  }
  return out;
}

/** Every (font resource, CID) shown by a text operator of every page, with the line it is on. */
function shownGlyphs(file: string, objects: Record<string, QpdfObject>): { resource: string; cid: number; line: number }[] {
  const out: { resource: string; cid: number; line: number }[] = [];
  let lineNo = 0;
  for (const o of Object.values(objects)) {
    const page = dictOf(o);
    if (page?.['/Type'] !== '/Page') continue;
    const content = streamData(file, refNumber(page['/Contents'])).toString('latin1');
    let font = '';
    for (const line of content.split('\n')) {
      if (line === 'BT') lineNo++;
      const tf = /^\/(\S+) [\d.]+ Tf$/.exec(line);
      if (tf) font = `/${tf[1]}`;
      if (!/TJ$/.test(line)) continue;
      for (const hex of line.matchAll(/<([0-9a-f]+)>/gi)) {
        for (let i = 0; i < hex[1].length; i += 4) out.push({ resource: font, cid: parseInt(hex[1].slice(i, i + 4), 16), line: lineNo });
      }
    }
  }
  return out;
}

/**
 * The text a screen reader gets: shown glyphs decoded through the fonts' ToUnicode maps, one text
 * line per BT…ET. poppler and pdf.js both fold U+00A0 and U+202F into U+0020 and drop bidi
 * controls when extracting, so the exact characters are checked at this level.
 */
function textLayer(file: string, objects: Record<string, QpdfObject>): string {
  const byResource = fonts(file, objects);
  const lines: string[] = [];
  for (const g of shownGlyphs(file, objects)) {
    lines[g.line] = (lines[g.line] ?? '') + (byResource.get(g.resource)?.toUnicode.get(g.cid) ?? '\u0000');
  }
  return lines.filter((l) => l !== undefined).join('\n');
}

/** Font size of text items by structure tag (pdf.js transform: [size, 0, 0, size, x, y]). */
function sizesByTag(view: PdfJsView): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const page of view.pages) {
    for (const item of page.items) {
      if (!item.str.trim()) continue;
      const tag = item.marked[0]?.tag ?? '?';
      map.set(tag, [...(map.get(tag) ?? []), Math.hypot(item.transform[0], item.transform[1])]);
    }
  }
  return map;
}

describe.each(VARIANTS)('fonts, text and sizes — contrat de séjour, %s', (variant: Variant) => {
  const tree = contratSejourTree(variant === 'falc' ? 'falc' : 'standard');
  let pdf: Buffer;
  let file: string;
  let objects: Record<string, QpdfObject>;
  let view: PdfJsView;

  beforeAll(async () => {
    pdf = await renderPdf(tree, variant, { pictogramsDir: PICTOGRAMS_DIR });
    file = writeTemp(pdf, `fonts-${variant}`);
    objects = qpdfObjects(file);
    view = pdfjs(file);
  });

  it('7.21.4.1-1/7.21.7-1 pdffonts: every font embedded, subset, with a Unicode map; none of the standard 14', () => {
    const r = run('pdffonts', [file]);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const [name] = row.split(/\s+/);
      expect(name).toMatch(/^[A-Z]{6}\+/);
      expect(name.slice(7)).not.toMatch(STANDARD_14);
      expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    }
    expect(r.stdout).not.toMatch(/Helvetica|Times|Courier/);
  });

  it('no italic face is used (ACCESSIBILITY.md: no italics)', () => {
    const names = Object.values(objects)
      .map(dictOf)
      .filter((d) => d?.['/Type'] === '/FontDescriptor');
    for (const d of names) {
      expect(String(d?.['/FontName'])).not.toMatch(/Italic|Oblique/i);
      expect(Number(d?.['/ItalicAngle'])).toBe(0);
    }
  });

  it('7.21.4.2-2 CIDSet lists every glyph of the embedded font program (composite glyph parts too)', () => {
    for (const f of fonts(file, objects).values()) {
      const program = fontkit.create(f.program);
      expect(f.cidSet).not.toBeNull();
      const set = f.cidSet as Buffer;
      for (let gid = 0; gid < program.numGlyphs; gid++) {
        expect({ font: f.baseFont, gid, inCidSet: (set[gid >> 3] & (0x80 >> (gid & 7))) !== 0 }).toEqual({ font: f.baseFont, gid, inCidSet: true });
      }
    }
  });

  it('7.21.5-1 W widths agree with the embedded font program', () => {
    for (const f of fonts(file, objects).values()) {
      const program = fontkit.create(f.program);
      expect(f.widths.length).toBe(program.numGlyphs);
      f.widths.forEach((w, gid) => {
        expect(Math.abs(w - (program.getGlyph(gid).advanceWidth * 1000) / program.unitsPerEm)).toBeLessThan(0.5);
      });
    }
  });

  it('7.21.7-2/7.21.8-1 every shown glyph maps to Unicode > 0 (not FEFF/FFFE) and none is .notdef', () => {
    const byResource = fonts(file, objects);
    const shown = shownGlyphs(file, objects);
    expect(shown.length).toBeGreaterThan(1000);
    for (const { resource, cid } of shown) {
      expect(cid).not.toBe(0);
      const text = byResource.get(resource)?.toUnicode.get(cid);
      expect(text).toBeDefined();
      for (const ch of text as string) expect([0, 0xfeff, 0xfffe]).not.toContain(ch.codePointAt(0));
    }
  });

  it('pdftotext extracts names, « », œ and accented capitals byte-exact, amounts with their digits', () => {
    const text = folded(pdftotext(file));
    expect(text).toContain('Seán O\'Brien-Nuñez');
    expect(text).toContain('Karim Benaïssa');
    expect(text).toContain(OEUVRE);
    expect(text).toContain(ACCENTED_CAPITALS);
    // poppler prints no-break spaces as U+0020: compare amounts with that folding.
    const spaces = (s: string): string => s.replace(/[\u00A0\u202F]/g, ' ');
    expect(text).toContain(spaces(DAILY_RATE));
    expect(text).toContain(spaces(MONTHLY_RATE));
    expect(text).toContain(spaces(QUOTED));
  });

  it('the text layer (ToUnicode) keeps U+202F and U+00A0 of fr-FR amounts and « » exactly', () => {
    const text = folded(textLayer(file, objects));
    expect(text).toContain(DAILY_RATE);
    expect(text).toContain(MONTHLY_RATE);
    expect(text).toContain(QUOTED);
    expect(text).toContain('6,10\u00A0€');
    expect(text).toContain(RESIDENT);
  });

  it('injection strings come out literally (PDF syntax, markup, template braces, RTL override)', () => {
    const text = folded(pdftotext(file));
    expect(text).toContain(HOSTILE.pdfSyntax);
    expect(text).toContain(HOSTILE.markup);
    expect(text).toContain(HOSTILE.template);
    // The override is kept and the letters stay in stored order ("Dupontville" would mean it was
    // obeyed); poppler wraps it in its own embedding marks (U+202B…U+202C), hence the classes.
    expect(text).toMatch(/Dupont[\u202A-\u202C]*\u202E[\u202A-\u202C]*elliv/);
    expect(folded(textLayer(file, objects))).toContain(HOSTILE.rtlOverride);
  });

  it('mandatory wording is in the text layer with its spaces (left-aligned, never justified)', () => {
    const text = folded(pdftotext(file));
    if (variant === 'falc') {
      expect(text).toContain('Vous pouvez changer d’avis pendant 15 jours.');
      expect(text).toContain('Ce contrat est entre vous et la résidence Les Tilleuls.');
    } else {
      expect(text).toContain('droit de rétractation dans les quinze jours qui suivent la signature du contrat');
      expect(text).toContain('Tarifs journaliers applicables au 1er janvier 2027');
    }
    expect(text).toContain('Signature :');
  });

  it('body, heading and line sizes read from the PDF follow the variant', () => {
    const sizes = sizesByTag(view);
    const body = [...(sizes.get('P') ?? []), ...(sizes.get('LBody') ?? []), ...(sizes.get('TD') ?? [])];
    expect(body.length).toBeGreaterThan(10);
    const minBody = Math.min(...body);
    const maxBody = Math.max(...body);
    if (variant === 'standard') {
      expect(minBody).toBeGreaterThanOrEqual(11);
      expect(maxBody).toBeLessThanOrEqual(12);
    } else if (variant === 'falc') {
      expect(minBody).toBeGreaterThanOrEqual(14);
    } else {
      expect(minBody).toBeGreaterThanOrEqual(16);
      expect(minBody).toBeCloseTo(18, 5);
    }
    for (const h of ['H1', 'H2']) expect(Math.min(...(sizes.get(h) ?? [0]))).toBeGreaterThan(maxBody);
    // Page numbers stay readable in large print.
    if (variant === 'large-print') expect(Math.min(...(sizes.get('Artifact') ?? [0]))).toBeGreaterThanOrEqual(16);
  });

  it('line spacing inside a paragraph is ≥ 1.5 × the size in FALC and large print (≥ 1.3 in standard)', () => {
    const ratios: number[] = [];
    for (const page of view.pages) {
      const byMc = new Map<string, { y: number; size: number }[]>();
      for (const item of page.items) {
        const mc = item.marked[0];
        if (mc?.tag !== 'P' || !mc.id || !item.str.trim()) continue;
        byMc.set(mc.id, [...(byMc.get(mc.id) ?? []), { y: item.transform[5], size: item.transform[0] }]);
      }
      for (const lines of byMc.values()) {
        const ys = [...new Set(lines.map((l) => l.y))].sort((a, b) => b - a);
        for (let i = 1; i < ys.length; i++) ratios.push((ys[i - 1] - ys[i]) / lines[0].size);
      }
    }
    expect(ratios.length).toBeGreaterThan(10);
    expect(Math.min(...ratios)).toBeGreaterThanOrEqual(variant === 'standard' ? 1.3 : 1.5 - 1e-6);
  });

  it('text is left-aligned: every body line starts at the same left edge of its block', () => {
    const starts = new Map<string, Set<number>>();
    for (const page of view.pages) {
      for (const item of page.items) {
        const mc = item.marked[0];
        if (mc?.tag !== 'P' || !mc.id) continue;
        starts.set(mc.id, (starts.get(mc.id) ?? new Set()).add(Math.round(item.transform[4] * 10)));
      }
    }
    // Lines of one paragraph may hold several items (bold runs), but each line's first item sits on
    // the paragraph's left edge: the smallest x is shared by all lines.
    for (const page of view.pages) {
      const firstX = new Map<string, Map<number, number>>();
      for (const item of page.items) {
        const mc = item.marked[0];
        if (mc?.tag !== 'P' || !mc.id) continue;
        const lines = firstX.get(mc.id) ?? new Map<number, number>();
        const y = Math.round(item.transform[5]);
        lines.set(y, Math.min(lines.get(y) ?? Infinity, item.transform[4]));
        firstX.set(mc.id, lines);
      }
      for (const lines of firstX.values()) expect(new Set([...lines.values()].map((x) => Math.round(x * 10))).size).toBe(1);
    }
    expect(starts.size).toBeGreaterThan(5);
  });

  it('reproducible: the same tree renders to identical bytes; another tree gets another /ID', async () => {
    const again = await renderPdf(contratSejourTree(variant === 'falc' ? 'falc' : 'standard'), variant, { pictogramsDir: PICTOGRAMS_DIR });
    expect(again.equals(pdf)).toBe(true);
    const other = contratSejourTree(variant === 'falc' ? 'falc' : 'standard');
    other.meta.inputHash = 'c'.repeat(64);
    const changed = await renderPdf(other, variant, { pictogramsDir: PICTOGRAMS_DIR });
    const id = (b: Buffer): string => /\/ID \[(<[0-9a-f]+>)/.exec(b.toString('latin1'))?.[1] ?? '';
    expect(id(pdf)).toMatch(/^<[0-9a-f]{32}>$/);
    expect(id(changed)).not.toBe(id(pdf));
    // Dates come from meta.issuedAt, never the clock.
    expect(pdf.toString('latin1')).toContain('(D:20261102000000Z)');
    expect(pdf.toString('latin1')).toContain('<xmp:CreateDate>2026-11-02T00:00:00Z</xmp:CreateDate>');
  });
});
