import { formatDateFr } from '@carepact/common';
import type { LocaleFormatters } from '@carepact/templates';

/**
 * fr-FR formatting, done once when resolving (never in the adapters), with Intl only. Intl
 * writes a narrow no-break space (U+202F) between thousands and a no-break space (U+00A0)
 * before "€": the PDF font must cover both (ACCESSIBILITY.md).
 */
const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const AND_LIST = new Intl.ListFormat('fr-FR', { style: 'long', type: 'conjunction' });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-14" → "14 mars 2026"; the first of the month is "1er" (@carepact/common's formatDateFr, shared with e-mails and the portal). */
export function formatDateLong(isoDate: string): string {
  return formatDateFr(isoDate);
}

/** 72.5 → "72,50 €" (U+00A0 before €, U+202F between thousands). */
export function formatEuros(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError('montant invalide');
  return EUROS.format(amount);
}

/** 12345.5 → "12 345,5" (U+202F between thousands). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('nombre invalide');
  return NUMBER.format(value);
}

/** ["a", "b", "c"] → "a, b et c". */
export function formatAndList(items: string[]): string {
  return AND_LIST.format(items);
}

/** The fr-FR formatters given to the template expression language. */
export const FR_FORMATTERS: LocaleFormatters = {
  date: formatDateLong,
  euros: formatEuros,
  number: formatNumber,
  andList: formatAndList,
};

const MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre';
/** « 14 mars 2026 », « 1er décembre »: a day and a month in full, the year if it follows. */
const DATE_IN_FULL = new RegExp(`(?<![\\p{L}\\d])(?:1er|[1-9]|[12]\\d|3[01]) (?:${MONTHS})(?: \\d{4})?(?![\\p{L}\\d])`, 'gu');
/** « 1 234,56 € », « 72,50 euros », « 300 € »: digits, thousands groups, decimals, the unit. */
const AMOUNT = /(?<![\p{L}\d])\d+(?:[ \u00A0\u202F]\d{3})*(?:,\d+)? (?:€|euros?(?!\p{L}))/gu;

/**
 * Text with no-break spaces inside dates and amounts, for adapters whose reader breaks lines
 * itself (HTML): « 14 mars » or « 72,50 € » never split across lines (French typography; the
 * PDF's own line breaking keeps them whole, see text-layout). Spaces between thousands become
 * U+202F, as Intl writes them; the others U+00A0.
 */
export function noBreakInDatesAndAmounts(text: string): string {
  return text
    .replace(DATE_IN_FULL, (m) => m.replace(/ /g, '\u00A0'))
    .replace(AMOUNT, (m) => m.replace(/ (?=\d{3}(?!\d))/g, '\u202F').replace(/ /g, '\u00A0'));
}

/** An ISO date (YYYY-MM-DD) as the fixed instant used for file metadata: midnight UTC. */
export function isoDateToInstant(isoDate: string): string {
  if (!ISO_DATE.test(isoDate)) throw new RangeError(`date AAAA-MM-JJ attendue : ${JSON.stringify(isoDate)}`);
  return `${isoDate}T00:00:00.000Z`;
}
