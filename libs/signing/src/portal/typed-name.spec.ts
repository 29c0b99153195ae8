import { cleanTypedName, normaliseName } from './typed-name';

describe('typed name normalisation (signature form)', () => {
  it.each([
    ['U+200B zero-width space', 'Marcel\u200B Dupont'],
    ['U+200C zero-width non-joiner', 'Mar\u200Ccel Dupont'],
    ['U+200D zero-width joiner', 'Marcel Du\u200Dpont'],
    ['U+2060 word joiner', '\u2060Marcel Dupont'],
    ['U+FEFF byte order mark', 'Mar\uFEFFcel Dupont'],
    ['U+00AD soft hyphen', 'Mar\u00ADcel Du\u00ADpont'],
    ['bidirectional marks', '\u200EMarcel\u200F Dupont\u202C'],
  ])('%s is removed before the comparison', (_label, typed) => {
    expect(normaliseName(typed)).toBe('marcel dupont');
    expect(normaliseName(typed)).toBe(normaliseName('Marcel Dupont'));
  });

  it('keeps the rules it had: accents, case, apostrophes, hyphens and spaces do not matter', () => {
    expect(normaliseName("  SEAN  o'brien-nunez ")).toBe(normaliseName('Seán O’Brien-Nuñez'));
    expect(normaliseName('Karim Benaissa')).toBe(normaliseName('Karim Benaïssa'));
  });

  it('a zero-width character between two words does not join them into one, nor split a word', () => {
    expect(normaliseName('Marcel\u200BDupont')).toBe('marceldupont');
    expect(normaliseName('Marcel\u200BDupont')).not.toBe(normaliseName('Marcel Dupont'));
    expect(normaliseName('Jean Martin')).not.toBe(normaliseName('Jeanne Martin'));
  });

  it('the name kept in the evidence has no invisible character left', () => {
    expect(cleanTypedName(' Mar\u00ADcel\u200B Dupont\uFEFF ')).toBe('Marcel Dupont');
    expect(cleanTypedName('Seán O’Brien-Nuñez')).toBe('Seán O’Brien-Nuñez');
  });
});
