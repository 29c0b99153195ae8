import { formatAndList, formatDateLong, formatEuros, formatNumber, isoDateToInstant, noBreakInDatesAndAmounts } from './fr-format';

describe('fr-FR formatting', () => {
  it('writes dates in full, with "1er" for the first of the month', () => {
    expect(formatDateLong('1940-03-14')).toBe('14 mars 1940');
    expect(formatDateLong('2026-01-01')).toBe('1er janvier 2026');
    expect(formatDateLong('1944-02-29')).toBe('29 février 1944');
    expect(() => formatDateLong('2026-02-30')).toThrow(RangeError);
    expect(() => formatDateLong('14/03/1940')).toThrow(RangeError);
  });
  it('writes euros with the no-break spaces Intl produces', () => {
    expect(formatEuros(72.5)).toBe('72,50\u00a0€');
    expect(formatEuros(1234.5)).toBe('1\u202f234,50\u00a0€');
    expect(formatEuros(0)).toBe('0,00\u00a0€');
  });
  it('writes numbers and lists the French way', () => {
    expect(formatNumber(12345.678)).toBe('12\u202f345,68');
    expect(formatAndList(['a', 'b', 'c'])).toBe('a, b et c');
  });
  it('turns a document date into a fixed instant', () => {
    expect(isoDateToInstant('2026-11-02')).toBe('2026-11-02T00:00:00.000Z');
  });
  it('glues dates in full and amounts with no-break spaces, nothing else', () => {
    const nb = noBreakInDatesAndAmounts;
    expect(nb('Né le 14 mars 1940 à Lyon.')).toBe('Né le 14\u00a0mars\u00a01940 à Lyon.');
    expect(nb('à partir du 1er décembre, puis le 31 mai')).toBe('à partir du 1er\u00a0décembre, puis le 31\u00a0mai');
    expect(nb('Prix : 1 234,56 € par mois, soit 72,50 euros par jour ou 300 €.')).toBe('Prix : 1\u202f234,56\u00a0€ par mois, soit 72,50\u00a0euros par jour ou 300\u00a0€.');
    // Already written by Intl: unchanged.
    expect(nb(formatEuros(12345.5))).toBe(formatEuros(12345.5));
    // Not a date nor an amount: a room number, a day count, a month used alone, a 32nd.
    for (const plain of ['chambre 104 au 2 étage', 'dans 8 jours', 'en mai 2026 ou 12 maisons', 'le 32 mars 2026', 'les 3 eurostars']) expect(nb(plain)).toBe(plain);
  });
});
