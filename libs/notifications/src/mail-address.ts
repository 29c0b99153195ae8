/**
 * Email addresses as CarePact accepts them: what people type for a resident, a guardian or a
 * staff member, checked before anything is handed to SMTP. Deliberately narrower than RFC 5322
 * (no quoted local parts, no comments, no IP literals, no UTF-8 local parts): anything outside
 * is far more often a typo or an injection attempt than a real mailbox.
 */

// dot-atom of RFC 5322 §3.2.3, without leading, trailing or doubled dots.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// Internationalised domain names are allowed (nodemailer converts them to punycode).
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isValidEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  // A numeric top-level label is an IP address written as a domain.
  return !/^\d+$/.test(labels[labels.length - 1]);
}

export interface ParsedMailbox {
  name: string | null;
  address: string;
}

/**
 * Parses `Name <address>` or a bare address (the form of SMTP_FROM). The display name may be
 * quoted; control characters are refused (a From header is built from it).
 */
export function parseMailbox(value: string): ParsedMailbox | null {
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  const trimmed = value.trim();
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  if (!angle) return isValidEmailAddress(trimmed) ? { name: null, address: trimmed } : null;
  let name = angle[1].trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  if (!isValidEmailAddress(angle[2])) return null;
  return { name: name === '' ? null : name, address: angle[2] };
}
