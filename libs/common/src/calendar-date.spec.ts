import { isCalendarDate } from './calendar-date';

describe('isCalendarDate: a real calendar date YYYY-MM-DD', () => {
  it('takes a real date, 29 February in a leap year', () => {
    expect(isCalendarDate('2026-12-04')).toBe(true);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
  });

  it('refuses a date the calendar does not have, another writing, another type', () => {
    for (const s of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '04/12/2026', '2026-12-04T00:00:00Z', ' 2026-12-04', ''])
      expect(isCalendarDate(s)).toBe(false);
    for (const v of [null, undefined, 20261204, new Date('2026-12-04')]) expect(isCalendarDate(v)).toBe(false);
  });

  it('refuses the years 0000 to 0099, as the copies it replaces did (Date.UTC reads them as 19xx)', () => {
    expect(isCalendarDate('0050-01-01')).toBe(false);
    expect(isCalendarDate('0100-01-01')).toBe(true);
  });
});
