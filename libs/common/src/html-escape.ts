/**
 * The one HTML escaper (rendered documents, e-mails, the signing portal, the dev mailbox): user
 * data is always text, never markup. Escapes `& < > " '`, which is enough for element content and
 * for double- or single-quoted attribute values alike. null and undefined become ''.
 */
export function escapeHtml(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value ?? '');
  // Most text has nothing to escape: skip the replace (the portal's hot pages call this a lot).
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPABLE, (c) => HTML_ESCAPES[c]) : s;
}

const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPABLE = /[&<>"']/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
