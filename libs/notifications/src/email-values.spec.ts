import { formatDate, formatDateTime } from './email-values';

describe('e-mail dates (French formatting of @carepact/common)', () => {
  it('writes the first of the month « 1er », on the day of the establishment’s zone', () => {
    const d = new Date('2026-11-30T23:30:00Z');
    expect(formatDateTime(d, 'Europe/Paris')).toBe('mardi 1er décembre 2026 à 0 h 30');
    expect(formatDate(d, 'America/Martinique')).toBe('lundi 30 novembre 2026');
  });
});
