import { sha256Hex } from '@carepact/common';
import type { VersionAnnex } from './annex-files.entities';

/**
 * The annexes of a version as its `document_version.requested` event records them, so that the
 * audit chain covers which files the version was handed over with (CASF L.311-4): one short string
 * per annex key, `<key>=<sha256>` or `<key>=null` when no file was published for it (« aucun
 * fichier déposé »). Audit payloads hold short scalars and lists of short strings, never objects
 * (libs/audit, AuditPayload): this is the map key → SHA-256 in that form. Hashes and keys only,
 * never content. A key too long for a payload string is written as `sha256:<its SHA-256>`.
 */
export function annexAuditEntries(annexes: readonly Pick<VersionAnnex, 'key' | 'file'>[]): string[] {
  return annexes.map((a) => `${annexAuditKey(a.key)}=${a.file?.sha256 ?? 'null'}`);
}

/** Longest key written as is: with `=` and a SHA-256, an entry stays within the audit's 256 characters. */
const MAX_AUDIT_KEY = 160;

/** The key as `annexAuditEntries` writes it. */
export function annexAuditKey(key: string): string {
  return key.length > MAX_AUDIT_KEY || key.includes('=') ? `sha256:${sha256Hex(key)}` : key;
}

/**
 * The map key → SHA-256 (null: no file) of a requested event's `annexes`, keyed as annexAuditKey
 * writes them; null when the payload has none (a type that hands nothing over, or an event written
 * before the annexes were recorded) or is not in that form.
 */
export function annexAuditMap(value: unknown): Map<string, string | null> | null {
  if (!Array.isArray(value)) return null;
  const out = new Map<string, string | null>();
  for (const entry of value) {
    const m = typeof entry === 'string' ? /^(.+)=([0-9a-f]{64}|null)$/.exec(entry) : null;
    if (!m) return null;
    out.set(m[1], m[2] === 'null' ? null : m[2]);
  }
  return out;
}
