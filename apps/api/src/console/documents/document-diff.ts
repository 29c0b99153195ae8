import { formatDateFr } from '@carepact/common';
import { inputEnumLabel, inputFieldLabel, inputItemName } from '@carepact/templates';

/** One field that differs between two versions' data, in words people read. */
export interface FieldChange {
  path: string;
  /** « Participation à l’élaboration › Participant 2 › Nom » */
  label: string;
  before: string | null;
  after: string | null;
}

type Leaf = string | number | boolean | null;

function flatten(value: unknown, path: string, out: Map<string, Leaf>): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  else if (value !== undefined && path) out.set(path, value as Leaf);
}

/** « participation.others[1].name » → « Participation à l’élaboration › Participant 2 › Nom ». */
export function pathLabel(documentType: string, path: string): string {
  const parts: string[] = [];
  let sofar = '';
  for (const seg of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return path;
    sofar = sofar ? `${sofar}.${m[1]}` : m[1];
    const indexes = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    if (indexes.length) {
      parts.push(inputItemName(documentType, sofar, indexes[0]));
      sofar += m[2];
    } else parts.push(inputFieldLabel(documentType, sofar));
  }
  return parts.join(' › ');
}

function shown(path: string, v: Leaf | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  if (typeof v === 'number') return String(v).replace('.', ',');
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    try {
      return formatDateFr(v);
    } catch {
      return v;
    }
  }
  return inputEnumLabel(path, v);
}

/**
 * Field-by-field difference of two versions' document data (item 6 of issue 10): every leaf
 * added, removed or changed, in the order of the newer version then the removed ones. Lists are
 * compared row by row.
 */
export function diffData(documentType: string, before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  flatten(before, '', a);
  flatten(after, '', b);
  const paths = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  return paths
    // The demo fixture's key (`resident`) is not document data.
    .filter((p) => p !== 'resident')
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => ({ path: p, label: pathLabel(documentType, p), before: shown(p, a.get(p)), after: shown(p, b.get(p)) }));
}
