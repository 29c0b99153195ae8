import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentVariantOf, type DocumentTree, renderDocx, renderPdf, resolve, templateInputFromFixture, type Variant, VARIANTS } from '@carepact/rendering';
import { TemplateLoader } from '@carepact/templates';

/**
 * Every DOCX type × variant as a word processor lays it out: LibreOffice (Debian's
 * libreoffice-writer-nogui, installed by `npm test`) converts them to PDF, headless, in one
 * invocation with a private profile (parallel runs never share one). Then, per file:
 * - the page count is close to our PDF's: within one page, or 25 % of the PDF's pages when that
 *   is more (LibreOffice substitutes DejaVu Sans for Atkinson Hyperlegible Next when it is not
 *   installed, and breaks lines its own way); two pages for a document with three tables or more
 *   (the compte rendu since 1.4.0: decisions, requests' answers, recipients): the DOCX's 12 pt at
 *   1.5 line spacing against the PDF's 11.5 pt at 1.4, in narrow cells, add a page per table or so
 *   (measured in session 15: 3 pages ours, 5 in LibreOffice, with Atkinson installed or not);
 * - no image overlaps text: every pictogram's box (pdftohtml -xml, checked against the number of
 *   figures and `pdfimages -list`) against every text line's box (pdftotext -bbox-layout);
 * - the running header and the footer "Page n sur N" are on every page.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
const loader = new TemplateLoader();
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'];

interface Box {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text?: string;
}

function tool(cmd: string, args: string[], timeout = 60_000): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

const pageCount = (file: string): number => Number(/^Pages:\s+(\d+)$/m.exec(tool('pdfinfo', [file]))?.[1]);

/** Text lines with their boxes, in points from the top left of the page. */
function textLines(file: string): Box[] {
  const xml = tool('pdftotext', ['-bbox-layout', file, '-']);
  const out: Box[] = [];
  [...xml.matchAll(/<page [^>]*>([\s\S]*?)<\/page>/g)].forEach((p, i) => {
    for (const l of p[1].matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const text = [...l[5].matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' ');
      out.push({ page: i + 1, x0: Number(l[1]), y0: Number(l[2]), x1: Number(l[3]), y1: Number(l[4]), text });
    }
  });
  return out;
}

/** Image boxes (pdftohtml at zoom 1: points from the top left, as pdftotext). */
function imageBoxes(file: string, dir: string): Box[] {
  tool('pdftohtml', ['-xml', '-zoom', '1', '-q', file, join(dir, 'images')]);
  const out = readFileSync(join(dir, 'images.xml'), 'utf8');
  const boxes: Box[] = [];
  for (const p of out.matchAll(/<page number="(\d+)"[^>]*>([\s\S]*?)<\/page>/g))
    for (const im of p[2].matchAll(/<image top="(-?\d+)" left="(-?\d+)" width="(\d+)" height="(\d+)"/g)) {
      const [top, left, width, height] = [im[1], im[2], im[3], im[4]].map(Number);
      boxes.push({ page: Number(p[1]), x0: left, y0: top, x1: left + width, y1: top + height });
    }
  return boxes;
}

/** Overlap of two boxes, beyond a point of rounding (pdftohtml gives whole points). */
const overlaps = (a: Box, b: Box): boolean => a.page === b.page && Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1;

const cases = TYPES.flatMap((type) => VARIANTS.map((variant) => ({ type, variant, name: `${type}.${variant}` })));
let dir: string;
const trees = new Map<string, DocumentTree>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'carepact-lo-'));
  mkdirSync(join(dir, 'lo'));
  for (const { type, variant, name } of cases) {
    const tree = resolve(loader.load(type), templateInputFromFixture(fixture, type), contentVariantOf(variant));
    trees.set(name, tree);
    writeFileSync(join(dir, `${name}.docx`), await renderDocx(tree, variant as Variant));
    writeFileSync(join(dir, `${name}.pdf`), await renderPdf(tree, variant as Variant));
  }
  // One soffice for the 15 files: starting LibreOffice is most of the cost.
  tool(
    'soffice',
    [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', join(dir, 'lo'), ...cases.map((c) => join(dir, `${c.name}.docx`))],
    280_000,
  );
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(cases)('$name converted by LibreOffice', ({ name }) => {
  const lo = (): string => join(dir, 'lo', `${name}.pdf`);

  it('has about as many pages as our PDF (±1 page, ±2 with three tables or more, or ±25 % when more)', () => {
    const ours = pageCount(join(dir, `${name}.pdf`));
    const theirs = pageCount(lo());
    const tables = trees.get(name)!.blocks.filter((b) => b.kind === 'table').length;
    expect({ ours, theirs, tables, close: Math.abs(theirs - ours) <= Math.max(tables >= 3 ? 2 : 1, Math.ceil(ours * 0.25)) }).toEqual({ ours, theirs, tables, close: true });
  });

  it('draws every pictogram whole, over no text', () => {
    const work = mkdtempSync(join(dir, 'img-'));
    const images = imageBoxes(lo(), work);
    const figures = trees.get(name)!.blocks.filter((b) => b.kind === 'figure').length;
    expect(images).toHaveLength(figures);
    const listed = tool('pdfimages', ['-list', lo()]).split('\n').slice(2).filter((l) => /^\s*\d+\s+\d+\s+image\b/.test(l)).length;
    expect(listed).toBe(figures);
    const lines = textLines(lo());
    expect(lines.length).toBeGreaterThan(20);
    const clashes = images.flatMap((im) => lines.filter((l) => overlaps(im, l)).map((l) => ({ page: im.page, image: [im.x0, im.y0, im.x1, im.y1], text: l.text })));
    expect(clashes).toEqual([]);
  });

  it('repeats the header (the person, the title) and the footer "Page n sur N" on every page', () => {
    const tree = trees.get(name)!;
    // Runs of spaces and line ends folded: a long header may wrap.
    const pages = tool('pdftotext', [lo(), '-'])
      .split('\f')
      .slice(0, -1)
      .map((p) => p.replace(/\s+/g, ' '));
    expect(pages.length).toBeGreaterThan(0);
    pages.forEach((text, i) => {
      expect({ page: i + 1, header: text.includes(`${tree.meta.personName} — ${tree.title}`) }).toEqual({ page: i + 1, header: true });
      expect({ page: i + 1, footer: text.includes(`Page ${i + 1} sur ${pages.length}`) && text.includes('Aperçu, non versionné') }).toEqual({ page: i + 1, footer: true });
    });
  });
});
