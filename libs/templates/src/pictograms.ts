import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemplatesRoot } from './template-loader';

/**
 * Pictograms drawn for the project (templates/assets/pictograms): one SVG per main idea, same
 * style throughout, with a PNG rendering next to it for DOCX readers without SVG support.
 * The SVGs are restricted to a viewBox and filled <path> elements so that every adapter can
 * draw them the same way (inline SVG in HTML, PDFKit `doc.path()` in PDF, SVG + PNG in DOCX).
 */
export interface PictogramPath {
  d: string;
  fill: string;
}

export interface Pictogram {
  id: string;
  /** Default French alternative text (a template may give a more precise one). */
  alt: string;
  viewBox: [number, number, number, number];
  paths: PictogramPath[];
  /** The SVG file as stored (already checked to hold only svg/path elements). */
  svg: string;
  /** PNG fallback, 256×256 px. */
  png: Buffer;
}

export interface PictogramCatalogEntry {
  id: string;
  /** What the drawing shows. */
  alt: string;
  /** The one idea it stands for (issue 8 C): the alternative text of each use from templates 1.2.0 on. */
  meaning: string;
  licence: string;
}

/** Parses a pictogram SVG and refuses anything but `<svg viewBox>` with filled `<path>` children. */
export function parsePictogramSvg(id: string, svg: string): Pick<Pictogram, 'viewBox' | 'paths'> {
  const body = svg.replace(/<\?xml[^>]*\?>/, '').trim();
  const root = /^<svg\s([^>]*)>([\s\S]*)<\/svg>$/.exec(body);
  if (!root) throw new Error(`pictogramme ${id} : élément <svg> attendu`);
  const vb = /\bviewBox="([-0-9.\s]+)"/.exec(root[1]);
  if (!vb) throw new Error(`pictogramme ${id} : viewBox attendu`);
  const nums = vb[1].trim().split(/\s+/).map(Number);
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n))) throw new Error(`pictogramme ${id} : viewBox invalide`);
  const paths: PictogramPath[] = [];
  const rest = root[2].replace(/<path\s+d="([MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+)"\s+fill="(#[0-9a-fA-F]{6})"\s*\/>/g, (_m, d: string, fill: string) => {
    paths.push({ d: d.trim().replace(/\s+/g, ' '), fill: fill.toLowerCase() });
    return '';
  });
  if (rest.trim() !== '') throw new Error(`pictogramme ${id} : seuls des éléments <path d fill> sont permis`);
  if (paths.length === 0) throw new Error(`pictogramme ${id} : aucun tracé`);
  return { viewBox: nums as [number, number, number, number], paths };
}

export class PictogramLibrary {
  private readonly cache = new Map<string, Pictogram>();
  private catalogCache: PictogramCatalogEntry[] | null = null;
  readonly dir: string;

  constructor(templatesRoot: string = findTemplatesRoot()) {
    this.dir = join(templatesRoot, 'assets', 'pictograms');
  }

  catalog(): PictogramCatalogEntry[] {
    if (!this.catalogCache) this.catalogCache = JSON.parse(readFileSync(join(this.dir, 'catalog.json'), 'utf8')) as PictogramCatalogEntry[];
    return this.catalogCache;
  }

  has(id: string): boolean {
    return /^[a-z0-9-]+$/.test(id) && this.catalog().some((e) => e.id === id);
  }

  get(id: string): Pictogram {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const entry = this.catalog().find((e) => e.id === id);
    if (!entry || !/^[a-z0-9-]+$/.test(id)) throw new Error(`pictogramme inconnu : ${id}`);
    const svgFile = join(this.dir, `${id}.svg`);
    const pngFile = join(this.dir, `${id}.png`);
    if (!existsSync(svgFile) || !existsSync(pngFile)) throw new Error(`pictogramme ${id} : fichiers .svg et .png attendus`);
    const svg = readFileSync(svgFile, 'utf8');
    const picto: Pictogram = { id, alt: entry.alt, svg, png: readFileSync(pngFile), ...parsePictogramSvg(id, svg) };
    this.cache.set(id, picto);
    return picto;
  }
}
