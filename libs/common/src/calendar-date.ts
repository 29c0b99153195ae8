const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A real calendar date written `YYYY-MM-DD`: « 2026-02-30 » is refused, 29 February only in leap
 * years. The one check behind the residents' rules, the API's `@IsCalendarDate()`, the templates'
 * `date` format and their date functions. (Date.UTC reads the years 0 to 99 as 1900 to 1999: a year
 * written 0000 to 0099 is not taken for a date, as before.)
 */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = CALENDAR_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}
