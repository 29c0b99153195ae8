import { BIDI_CONTROLS, ValidationError, formatDateFr, formatDateTimeFr } from '@carepact/common';

/**
 * Turning user data into values an email can carry. Names, establishment names and phone numbers
 * come from people: they are data, shown literally, never markup, template syntax or a header.
 */


// C0 and C1 controls (CR, LF, NUL, ESC…) and the Unicode line and paragraph separators: a name
// holding them could break a header or forge lines in the plain-text part.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// Bidi marks, embeddings, overrides and isolates (U+202E turns the rest of a line backwards): the
// one definition of libs/common text-safety.ts, which the API refuses in names.
const BIDI_CONTROL = BIDI_CONTROLS;
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * A single-line value: control characters become spaces; everything else is kept literally.
 * A value holding bidi controls is wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, which
 * ends any override it opened at its own end: the name still shows as typed, the text around it
 * is not reversed (the Unicode bidi algorithm, UAX #9, closes embeddings at the isolate's end).
 */
export function inline(value: string): string {
  const flat = value.replace(CONTROL, ' ').trim();
  return BIDI_CONTROL.test(flat) ? FSI + flat + PDI : flat;
}

/** A subject line: no CR/LF or other control ever reaches the header; bounded length. */
export function subjectLine(value: string, max = 200): string {
  const flat = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}

/** A required person or establishment name. */
export function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || inline(value) === '') throw invalid(field, 'REQUIRED', 'Ce champ est obligatoire.');
  return inline(value);
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid(field, 'NOT_TEXT', 'Ce champ doit être un texte.');
  const v = inline(value);
  return v === '' ? null : v;
}

/**
 * Links are built by the caller from the configured PUBLIC_URL (never from a request's Host).
 * Here they must be absolute http(s) URLs without credentials, in printable ASCII (the URL
 * parser would silently drop tabs and newlines; a link shown is the link followed), and, when an
 * expected origin is given, on that origin. The string is used exactly as given.
 */
export function checkLink(value: unknown, field: string, expectedOrigin?: string): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) throw invalid(field, 'LINK_INVALID', 'Le lien est invalide.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, 'LINK_INVALID', 'Le lien est invalide.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(field, 'LINK_NOT_HTTP', 'Le lien doit commencer par https:// ou http://.');
  if (url.username !== '' || url.password !== '') throw invalid(field, 'LINK_WITH_CREDENTIALS', 'Le lien ne doit pas contenir d’identifiants.');
  if (expectedOrigin !== undefined && url.origin !== new URL(expectedOrigin).origin) {
    throw invalid(field, 'LINK_FOREIGN_ORIGIN', 'Le lien ne pointe pas vers l’adresse publique de CarePact.');
  }
  return value;
}

export function checkDate(value: unknown, field: string): Date {
  // Tag check rather than instanceof: a Date from another realm (a worker thread, a vm context) is still a Date.
  if (Object.prototype.toString.call(value) !== '[object Date]' || Number.isNaN((value as Date).getTime())) {
    throw invalid(field, 'DATE_INVALID', 'La date est invalide.');
  }
  return new Date((value as Date).getTime());
}

export function checkTimeZone(value: unknown): string {
  if (value === undefined || value === null) return 'Europe/Paris';
  try {
    if (typeof value === 'string') {
      formatDateFr(new Date(0), { timeZone: value });
      return value;
    }
  } catch {
    // RangeError: unknown zone, reported below
  }
  throw invalid('establishment.timeZone', 'TIME_ZONE_INVALID', 'Le fuseau horaire est inconnu.');
}

/** "samedi 12 décembre 2026 à 23 h 59" in the establishment's time zone (overseas ones differ). */
export function formatDateTime(date: Date, timeZone: string): string {
  return formatDateTimeFr(date, { timeZone, weekday: true });
}

/** "samedi 12 décembre 2026", for subjects. */
export function formatDate(date: Date, timeZone: string): string {
  return formatDateFr(date, { timeZone, weekday: true });
}

export function invalid(field: string, code: string, message: string): ValidationError {
  return new ValidationError([{ field, code, message }], "Données d'email invalides.");
}
