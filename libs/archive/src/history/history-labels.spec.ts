import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_EVENT_KINDS } from '@carepact/signing';
import { hasHistoryLabel, historyLabel, renditionCheckName, renditionLabel, sealCheckName, systemActorLabel } from './history-labels';

/** Audited actions whose subject is a document, a version or a signature request: they appear on a document's history page. */
const HISTORY_PREFIXES = ['document.', 'document_version.', 'rendition.', 'signature.', 'legal_hold.'];
/** Actions whose subject may be a document (archive export of one document, purge of a document). */
const HISTORY_ALSO = ['retention.document_purged', 'archive.exported', 'data_job.requested', 'data_job.refused'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every action literal the code audits: `action: 'x.y'`, `action: cond ? 'x.y' : 'x.z'`. */
function auditedActions(): Set<string> {
  const root = join(__dirname, '../../../..');
  const found = new Set<string>();
  for (const file of [...sources(join(root, 'libs')), ...sources(join(root, 'apps'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\baction: ([^,\n}]+)/g))
      for (const q of m[1].matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) found.add(q[1]);
  }
  return found;
}

describe('history labels', () => {
  it('every signature event kind has a French label', () => {
    const missing = SIGNATURE_EVENT_KINDS.map((k) => `signature.${k}`).filter((a) => !hasHistoryLabel(a));
    expect(missing).toEqual([]);
  });

  it('every action audited for a document, a version or a signature request has a French label', () => {
    const actions = [...auditedActions()].filter((a) => HISTORY_PREFIXES.some((p) => a.startsWith(p)) || HISTORY_ALSO.includes(a));
    // The scan finds the actions it must (guards against a scan that silently finds nothing).
    expect(actions).toEqual(expect.arrayContaining(['document.created', 'document_version.generated', 'rendition.downloaded', 'document.visa_approved', 'legal_hold.placed']));
    expect(actions.filter((a) => !hasHistoryLabel(a))).toEqual([]);
  });

  it('an unknown action shows as its code', () => {
    expect(historyLabel('something.new')).toBe('something.new');
    expect(historyLabel('signature.countersign_notified')).not.toBe('signature.countersign_notified');
  });

  it('CarePact sends e-mails; other system steps are automatic processing', () => {
    expect(systemActorLabel('signature.email_sent')).toBe('CarePact (envoi automatique)');
    expect(systemActorLabel('signature.completion_sent')).toBe('CarePact (envoi automatique)');
    expect(systemActorLabel('signature.sealed')).toBe('CarePact (traitement automatique)');
  });

  it('formats and dates in the words of the document page', () => {
    expect(renditionLabel('docx', 'large-print')).toBe('Word (DOCX), gros caractères');
    expect(renditionLabel('pdf', 'falc')).toBe('PDF, facile à lire');
    expect(renditionLabel('html', 'standard')).toBe('page web (HTML), version complète');
    expect(renditionCheckName(1, 'docx', 'large-print')).toBe('Version 1 — Word (DOCX), gros caractères');
    expect(sealCheckName(new Date('2026-12-02T09:00:00Z'))).toBe('Document scellé (demande du 2 décembre 2026)');
    // The day in Paris, not in UTC: 23:30 UTC on 1 December is 2 December in Paris.
    expect(sealCheckName(new Date('2026-12-01T23:30:00Z'))).toBe('Document scellé (demande du 2 décembre 2026)');
  });
});
