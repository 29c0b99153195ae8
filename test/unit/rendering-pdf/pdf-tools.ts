/**
 * Independent readers for the PDFs under test: pdf.js (child process, see pdfjs-inspect.mjs),
 * poppler-utils (pdffonts, pdftotext, pdfinfo) and qpdf. The adapter's own code is never used to
 * read back what it wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workDir = mkdtempSync(join(tmpdir(), 'carepact-pdf-'));
let counter = 0;

export function writeTemp(pdf: Buffer, name = 'doc'): string {
  const file = join(workDir, `${name}-${++counter}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

export function run(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface MarkedItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  marked: { tag: string; id: string | null }[];
}
export interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  alt?: string;
  children?: StructNode[];
}
export interface PdfJsView {
  numPages: number;
  info: Record<string, unknown>;
  xmp: Record<string, unknown> | null;
  xmpRaw: string | null;
  markInfo: { Marked: boolean; Suspects: boolean } | null;
  viewerPreferences: Record<string, unknown> | null;
  outline: { title: string; dest: unknown; action: unknown; url: unknown; items: unknown[] }[] | null;
  pages: { number: number; structTree: StructNode | null; items: MarkedItem[] }[];
}

export function pdfjs(file: string): PdfJsView {
  const out = execFileSync(process.execPath, [join(__dirname, 'pdfjs-inspect.mjs'), file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as PdfJsView;
}

/** qpdf JSON v2: every object, by "obj:N 0 R"; names as "/Name", text strings as "u:…". */
export type QpdfValue = string | number | boolean | null | QpdfValue[] | { [k: string]: QpdfValue };
export interface QpdfObject {
  value?: QpdfValue;
  stream?: { dict: Record<string, QpdfValue> };
}
export function qpdfObjects(file: string): Record<string, QpdfObject> {
  const out = run('qpdf', ['--json=2', '--json-key=qpdf', file]);
  if (out.status !== 0) throw new Error(out.stderr);
  const json = JSON.parse(out.stdout) as { qpdf: [unknown, Record<string, QpdfObject>] };
  return json.qpdf[1];
}

export function dictOf(o: QpdfObject): Record<string, QpdfValue> | null {
  if (o.stream) return o.stream.dict;
  if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) return o.value as Record<string, QpdfValue>;
  return null;
}

/** Every dictionary key and name value anywhere in the file (nested ones included). */
export function allNames(objects: Record<string, QpdfObject>): Set<string> {
  const names = new Set<string>();
  const walk = (v: QpdfValue): void => {
    if (typeof v === 'string') {
      if (v.startsWith('/')) names.add(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        names.add(k);
        walk(x);
      }
    }
  };
  for (const o of Object.values(objects)) {
    if (o.value !== undefined) walk(o.value);
    if (o.stream) walk(o.stream.dict);
  }
  return names;
}

/** Decoded data of one stream object. */
export function streamData(file: string, objectNumber: number): Buffer {
  return execFileSync('qpdf', [`--show-object=${objectNumber}`, '--filtered-stream-data', file], { maxBuffer: 64 * 1024 * 1024 });
}

export function refNumber(ref: QpdfValue): number {
  const m = /^(\d+) 0 R$/.exec(String(ref));
  if (!m) throw new Error(`not a reference: ${JSON.stringify(ref)}`);
  return Number(m[1]);
}

export function pdftotext(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Text with line ends and runs of ASCII spaces folded into one space; U+00A0 and U+202F kept. */
export function folded(text: string): string {
  return text.replace(/[ \n\r\f]+/g, ' ');
}

export function readPdf(file: string): Buffer {
  return readFileSync(file);
}

/** Depth-first walk of pdf.js structure trees. */
export function structNodes(view: PdfJsView): { node: StructNode; page: number; parents: string[] }[] {
  const out: { node: StructNode; page: number; parents: string[] }[] = [];
  for (const page of view.pages) {
    const walk = (n: StructNode, parents: string[]): void => {
      out.push({ node: n, page: page.number, parents });
      for (const c of n.children ?? []) walk(c, n.role ? [...parents, n.role] : parents);
    };
    if (page.structTree) walk(page.structTree, []);
  }
  return out;
}

/** A walkable copy of the raw structure tree, read from qpdf's objects (document order). */
export interface RawStruct {
  ref: string;
  S: string;
  dict: Record<string, QpdfValue>;
  kids: RawStruct[];
  hasContent: boolean;
}

export function rawStructTree(objects: Record<string, QpdfObject>): { root: Record<string, QpdfValue>; top: RawStruct[] } {
  const catalog = Object.values(objects)
    .map(dictOf)
    .find((d) => d && d['/Type'] === '/Catalog');
  if (!catalog || !catalog['/StructTreeRoot']) throw new Error('no StructTreeRoot');
  const root = dictOf(objects[`obj:${String(catalog['/StructTreeRoot'])}`]);
  if (!root) throw new Error('StructTreeRoot is not a dictionary');
  const build = (ref: string): RawStruct => {
    const dict = dictOf(objects[`obj:${ref}`]);
    if (!dict) throw new Error(`bad struct element ${ref}`);
    const k = dict['/K'];
    const list = Array.isArray(k) ? k : k === undefined || k === null ? [] : [k];
    const kids: RawStruct[] = [];
    let hasContent = false;
    for (const item of list) {
      if (typeof item === 'string' && /^\d+ 0 R$/.test(item)) {
        const d = dictOf(objects[`obj:${item}`]);
        if (d && d['/Type'] === '/MCR') hasContent = true;
        else kids.push(build(item));
      } else if (typeof item === 'number') {
        hasContent = true;
      } else if (item && typeof item === 'object') {
        hasContent = true; // inline MCR dictionary
      }
    }
    return { ref, S: String(dict['/S']).slice(1), dict, kids, hasContent };
  };
  const top = root['/K'];
  const refs = (Array.isArray(top) ? top : [top]).map(String);
  return { root, top: refs.map(build) };
}

export function flattenStruct(nodes: RawStruct[]): RawStruct[] {
  const out: RawStruct[] = [];
  const walk = (n: RawStruct): void => {
    out.push(n);
    n.kids.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}
