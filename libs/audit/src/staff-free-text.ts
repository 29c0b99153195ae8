/**
 * Free text staff type on a signature step — how a document was handed over, why a request was
 * cancelled or sent late — may tell care facts. The audit chain, never purged and read by auditors,
 * keeps its SHA-256 (`howSha256`, `reasonSha256`, `lateReasonSha256`; @carepact/signing's
 * evidence-log.ts), the text staying on the request's own event. Events appended before session 15
 * hold the text itself and the chain is never rewritten: every view of the log (the JSON API, the
 * CSV export, the console journal, a document's history for a reader without `document.content`)
 * gives them without it (SECURITY-RELIABILITY.md: payloads hold « ids, hashes and actions — never
 * care details »).
 */
export const STAFF_FREE_TEXT: Readonly<Record<string, readonly string[]>> = {
  'signature.handed_over': ['how'],
  'signature.cancelled': ['reason'],
  'signature.created': ['lateReason'],
};

/** What a view of the log shows in place of such a text. */
export const STAFF_FREE_TEXT_WITHHELD = '(texte saisi par l’établissement, retiré du journal : voir la page du document)';

/** An event's payload as a view of the log shows it: each staff free text of its action replaced by STAFF_FREE_TEXT_WITHHELD. */
export function withoutStaffFreeText(action: string, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = STAFF_FREE_TEXT[action];
  if (!keys) return { ...payload };
  const out: Record<string, unknown> = { ...payload };
  for (const key of keys) if (typeof out[key] === 'string') out[key] = STAFF_FREE_TEXT_WITHHELD;
  return out;
}
