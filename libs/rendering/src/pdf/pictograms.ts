import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/**
 * Pictograms are simple SVGs (viewBox + <path d> filled shapes, see templates/assets/pictograms).
 * Only that subset is read — no XML parser, no external references, no scripts — and anything
 * outside it falls back to a neutral placeholder, so a broken asset never breaks a document.
 */
export interface Pictogram {
  viewBox: [number, number, number, number];
  paths: { d: string; evenOdd: boolean; fill: [number, number, number] | null }[];
}

const ASSET_ID = /^[a-z0-9][a-z0-9_-]{0,80}$/i;
// SVG path grammar characters only: rejects anything PDFKit's path parser would misread.
const PATH_DATA = /^[MmLlHhVvCcSsQqTtAaZz0-9eE+\-.,\s]+$/;
const MAX_SVG_BYTES = 256 * 1024;
const MAX_PATHS = 200;

const cache = new Map<string, Pictogram | null>();

export function defaultPictogramsDir(): string {
  return join(projectRoot(), 'templates', 'assets', 'pictograms');
}

/** The parsed pictogram, or null when the asset is missing or outside the supported subset. */
export function loadPictogram(asset: string, dir = defaultPictogramsDir()): Pictogram | null {
  const key = `${dir}\u0000${asset}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  let result: Pictogram | null = null;
  if (ASSET_ID.test(asset)) {
    try {
      const buf = readFileSync(join(dir, `${asset}.svg`));
      if (buf.length <= MAX_SVG_BYTES) result = parseSvg(buf.toString('utf8'));
    } catch {
      result = null; // missing asset: the placeholder is drawn, the Alt text still says what it means
    }
  }
  cache.set(key, result);
  return result;
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3] ?? null) : null;
}

function parseColor(value: string | null): [number, number, number] | null {
  if (!value) return null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!hex) return null;
  const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** PDFKit refuses numbers beyond ±1e21 mid-drawing; refuse them (and absurd sizes) up front. */
function saneNumbers(d: string): boolean {
  for (const m of d.matchAll(/[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/gi)) {
    const n = Number(m[0]);
    if (!Number.isFinite(n) || Math.abs(n) > 1e6) return false;
  }
  return true;
}

export function parseSvg(svg: string): Pictogram | null {
  const root = /<svg\b[^>]*>/i.exec(svg);
  if (!root) return null;
  const vb = attr(root[0], 'viewBox');
  if (!vb) return null;
  const nums = vb.trim().split(/[\s,]+/).map(Number);
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n)) || nums[2] <= 0 || nums[3] <= 0) return null;
  const paths: Pictogram['paths'] = [];
  for (const m of svg.matchAll(/<path\b[^>]*>/gi)) {
    const d = attr(m[0], 'd');
    if (!d || !PATH_DATA.test(d) || !saneNumbers(d)) return null;
    const fillAttr = attr(m[0], 'fill');
    if (fillAttr === 'none') continue; // fill only: an unfilled path draws nothing
    paths.push({ d, evenOdd: attr(m[0], 'fill-rule') === 'evenodd', fill: parseColor(fillAttr) });
    if (paths.length > MAX_PATHS) return null;
  }
  if (paths.length === 0) return null;
  return { viewBox: nums as [number, number, number, number], paths };
}
