import { applicableMeasure } from './applicable-measure';
import type { MeasureType } from './residents.entities';

type M = { id: string; type: MeasureType; judgmentDate: string; startDate: string | null; endDate: string | null; mandateEffectiveDate: string | null };
const measure = (id: string, type: MeasureType, judgmentDate: string, over: Partial<M> = {}): M => ({
  id,
  type,
  judgmentDate,
  startDate: null,
  endDate: '2031-01-01',
  mandateEffectiveDate: null,
  ...over,
});

describe('applicableMeasure: in force on the date, the most protective when several (C. civ. 440, 425)', () => {
  const ON = '2026-11-20';

  it('is null without a measure in force: none, ended (C. civ. 441) or not started', () => {
    expect(applicableMeasure([], ON)).toBeNull();
    expect(applicableMeasure([measure('old', 'tutelle', '2015-01-01', { endDate: '2020-01-01' })], ON)).toBeNull();
    expect(applicableMeasure([measure('later', 'curatelle', '2026-10-01', { startDate: '2027-01-01' })], ON)).toBeNull();
    // A mandat de protection future counts only once given effect (C. civ. 481).
    expect(applicableMeasure([measure('m', 'mandat_protection_future', '2025-01-01', { endDate: null })], ON)).toBeNull();
  });

  it('two overlapping measures: the most protective, whatever their order (the old template input took the first)', () => {
    // The repository lists measures by judgment date, newest first: the curatelle comes first.
    const curatelle = measure('c', 'curatelle', '2025-06-01');
    const tutelle = measure('t', 'tutelle', '2024-01-10');
    expect(applicableMeasure([curatelle, tutelle], ON)?.id).toBe('t');
    expect(applicableMeasure([tutelle, curatelle], ON)?.id).toBe('t');
  });

  it('depends on the date: once the heavier measure ends, the other applies', () => {
    const curatelle = measure('c', 'curatelle', '2025-06-01');
    const tutelle = measure('t', 'tutelle', '2024-01-10', { endDate: '2026-06-30' });
    expect(applicableMeasure([curatelle, tutelle], '2026-06-30')?.id).toBe('t');
    expect(applicableMeasure([curatelle, tutelle], '2026-07-01')?.id).toBe('c');
  });

  it('between measures of the same rank, the most recent judgment', () => {
    const older = measure('old', 'curatelle_renforcee', '2022-03-01');
    const renewal = measure('new', 'curatelle_renforcee', '2026-02-01');
    expect(applicableMeasure([older, renewal], ON)?.id).toBe('new');
    expect(applicableMeasure([renewal, older], ON)?.id).toBe('new');
  });

  it('a sauvegarde de justice gives way to the curatelle pronounced after it', () => {
    const sauvegarde = measure('s', 'sauvegarde_justice', '2026-01-05');
    const curatelle = measure('c', 'curatelle', '2025-11-01');
    expect(applicableMeasure([sauvegarde, curatelle], ON)?.id).toBe('c');
  });
});
