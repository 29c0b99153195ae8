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

/** An ISO date (YYYY-MM-DD) as the fixed instant used for file metadata: midnight UTC. */
export function isoDateToInstant(isoDate: string): string {
  if (!ISO_DATE.test(isoDate)) throw new RangeError(`date AAAA-MM-JJ attendue : ${JSON.stringify(isoDate)}`);
  return `${isoDate}T00:00:00.000Z`;
}
