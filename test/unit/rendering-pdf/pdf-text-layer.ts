/**
 * The text a screen reader gets from a PDF, read without the adapter's code: every glyph shown by
 * a text operator, decoded through its font's ToUnicode map, with the marked-content tag around it.
 *
 * poppler and pdf.js fold U+00A0 and U+202F into U+0020 and drop bidi controls when extracting, so
 * exact characters (fr-FR amounts, names, an RTL override) are checked at this level. Also: word
 * boxes from `pdftotext -bbox` for the layout checks (nothing outside the page, nothing overlapping).
 */
import { dictOf, type QpdfObject, type QpdfValue, refNumber, run, streamData } from './pdf-tools';

export interface TextLine {
  page: number;
  /** Outermost marked-content tag around the line (P, H1, TD, Artifact…). */
  tag: string;
  /** Which marked-content sequence (document-wide counter): lines of one sequence are one text. */
  mc: number;
  text: string;
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToString = (hex: string): string => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');
  for (const m of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
    const start = parseInt(m[1], 16);
    [...m[3].matchAll(/<([0-9a-f\s]*)>/gi)].forEach((u, i) => map.set(start + i, hexToString(u[1])));
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(parseInt(m[1], 16), hexToString(m[2]));
  }
  return map;
}

/** Pages in document order (the page tree's /Kids, depth first). */
export function pageDicts(objects: Record<string, QpdfObject>): Record<string, QpdfValue>[] {
  const get = (ref: QpdfValue): Record<string, QpdfValue> => dictOf(objects[`obj:${String(ref)}`]) as Record<string, QpdfValue>;
  const catalog = Object.values(objects)
    .map(dictOf)
    .find((d) => d?.['/Type'] === '/Catalog') as Record<string, QpdfValue>;
  const out: Record<string, QpdfValue>[] = [];
  const walk = (node: Record<string, QpdfValue>): void => {
    if (node['/Type'] === '/Page') out.push(node);
    else for (const kid of (node['/Kids'] ?? []) as QpdfValue[]) walk(get(kid));
  };
  walk(get(catalog['/Pages']));
  return out;
}

/** Every text line (one BT…ET) of every page, decoded through the fonts' ToUnicode maps. */
export function textLines(file: string, objects: Record<string, QpdfObject>): TextLine[] {
  const get = (ref: QpdfValue): Record<string, QpdfValue> => dictOf(objects[`obj:${String(ref)}`]) as Record<string, QpdfValue>;
  const toUnicode = new Map<string, Map<number, string>>();
  const lines: TextLine[] = [];
  let mc = 0;
  pageDicts(objects).forEach((page, index) => {
    const resources = get(page['/Resources']);
    const fonts = new Map<string, Map<number, string>>();
    for (const [resource, ref] of Object.entries((resources['/Font'] ?? {}) as Record<string, QpdfValue>)) {
      const key = String(ref);
      if (!toUnicode.has(key)) toUnicode.set(key, parseToUnicode(streamData(file, refNumber(get(ref)['/ToUnicode'])).toString('latin1')));
      fonts.set(resource, toUnicode.get(key) as Map<number, string>);
    }
    const contents = page['/Contents'];
    const streams = (Array.isArray(contents) ? contents : [contents]).map((c) => streamData(file, refNumber(c)).toString('latin1'));
    const stack: string[] = [];
    let font: Map<number, string> | undefined;
    let current: TextLine | null = null;
    for (const raw of streams.join('\n').split('\n')) {
      const line = raw.trim();
      const open = /^\/([A-Za-z0-9]+)\s*(?:<<|BMC|BDC)/.exec(line);
      if (open && !/ Tf$/.test(line)) {
        if (stack.length === 0) mc++;
        stack.push(open[1]);
      }
      else if (line === 'EMC') stack.pop();
      else if (line === 'BT') current = { page: index + 1, tag: stack[0] ?? '', mc, text: '' };
      else if (line === 'ET') {
        if (current) lines.push(current);
        current = null;
      } else {
        const tf = /^\/(\S+) [\d.]+ Tf$/.exec(line);
        if (tf) font = fonts.get(`/${tf[1]}`);
        else if (/TJ$/.test(line) && current) {
          for (const hex of line.matchAll(/<([0-9a-f]+)>/gi)) {
            for (let i = 0; i < hex[1].length; i += 4) current.text += font?.get(parseInt(hex[1].slice(i, i + 4), 16)) ?? '\u0000';
          }
        }
      }
    }
  });
  return lines;
}

/**
 * Real content only (no running header, page number or repeated table header), one string. Lines
 * of one marked-content sequence are one text: a line ending without a space was cut inside a word
 * (emergency break of a word wider than the column) and joins the next without one.
 */
export function contentText(lines: TextLine[]): string {
  let out = '';
  let previous: TextLine | null = null;
  for (const l of lines) {
    if (l.tag === 'Artifact') continue;
    if (previous) out += previous.mc === l.mc && !/ $/.test(previous.text) ? '' : '\n';
    out += l.text;
    previous = l;
  }
  return out.replace(/[ \n]+/g, ' ');
}

export interface WordBox {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Word boxes as poppler lays them out (origin top left, points). */
export function wordBoxes(file: string): { pages: { width: number; height: number }[]; words: WordBox[] } {
  const r = run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  if (r.status !== 0) throw new Error(r.stderr);
  const pages: { width: number; height: number }[] = [];
  const words: WordBox[] = [];
  for (const chunk of r.stdout.split('<page ').slice(1)) {
    const size = /^width="([\d.]+)" height="([\d.]+)"/.exec(chunk);
    pages.push({ width: Number(size?.[1]), height: Number(size?.[2]) });
    for (const w of chunk.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      words.push({ page: pages.length, text: w[5], xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]) });
    }
  }
  return { pages, words };
}
