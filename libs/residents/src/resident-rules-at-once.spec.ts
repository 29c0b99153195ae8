import { validateResident } from './resident-rules';
import type { ResidentInput } from './residents.types';

/** Newcomer review, items 4 and 5: every rule that can read its values runs, even beside a date in error; French words, not enum codes. */
describe('validateResident: every problem at once, in French', () => {
  const today = '2026-12-03';
  const base = { establishmentId: 'e', firstName: 'Émile', lastName: 'Zola', stayType: 'permanent' } as const;

  it('a date in error does not hide the other rules (a temporary stay without its end, a tutelle without its holder)', () => {
    const errors = validateResident(
      {
        ...base,
        birthDate: '1950-02-30',
        admissionDate: '2026-11-02',
        stayType: 'temporary',
        protectionMeasure: { type: 'tutelle', mode: 'representation', scope: ['personne'], general: true, judgmentDate: '2025-01-10', endDate: '2030-01-10' },
      } as unknown as ResidentInput,
      today,
    );
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual(['birthDate INVALID_DATE', 'plannedEndDate REQUIRED', 'protectionMeasure.holders REQUIRED']);
  });

  it('a birth date in the future: said once, without guessing a minor (no parental authority asked)', () => {
    const errors = validateResident({ ...base, birthDate: '2030-01-01', admissionDate: '2026-11-02' } as unknown as ResidentInput, today);
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual(['birthDate DATE_IN_FUTURE', 'admissionDate BEFORE_BIRTH']);
  });

  it('a minor without parental authority is asked in the form’s French words', () => {
    const [e] = validateResident({ ...base, birthDate: '2014-05-05', admissionDate: '2026-11-02' } as unknown as ResidentInput, today);
    expect(e.message).toBe(
      'Pour un mineur, indiquez qui exerce l’autorité parentale : conjointe (les deux parents), exclusive (un seul parent), placement décidé par le juge, délégation ou tutelle.',
    );
    expect(e.message).not.toMatch(/shared|sole|court_measure/);
  });
});
