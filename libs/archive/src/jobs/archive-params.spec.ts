import { archiveParams } from './data-jobs.service';

describe('archive export requests: scope and period', () => {
  it('a period is whole Paris days, the last one included (winter and summer time)', () => {
    // Midnight in Paris at that moment's offset (startOfDayIn, tested with the nights the clocks change in libs/common fr-fr.spec.ts).
    const p = archiveParams({ scope: 'establishment', id: '0C0C0C0C-0000-4000-8000-000000000000', from: '2026-01-01', to: '2026-06-30' });
    expect(p).toEqual({ kind: 'archive_export', scope: 'establishment', id: '0c0c0c0c-0000-4000-8000-000000000000', from: '2025-12-31T23:00:00.000Z', to: '2026-06-30T22:00:00.000Z' });
  });

  it('refuses, in French, an unknown scope, a bad id, a bad date and an inverted period', () => {
    const code = (input: Record<string, string>) => {
      try {
        archiveParams(input);
        return null;
      } catch (e) {
        return (e as { details: { code: string; message: string }[] }).details[0];
      }
    };
    expect(code({ scope: 'tout', id: 'x' })).toMatchObject({ code: 'ARCHIVE_SCOPE_INVALID', message: expect.stringMatching(/Périmètre/) });
    expect(code({ scope: 'document', id: '12' })).toMatchObject({ code: 'INVALID_ID' });
    const id = '0c0c0c0c-0000-4000-8000-000000000000';
    expect(code({ scope: 'establishment', id, from: '2026-13-01', to: '2026-12-31' })).toMatchObject({ code: 'INVALID_DATE', message: expect.stringMatching(/AAAA-MM-JJ/) });
    expect(code({ scope: 'establishment', id, from: '2026-01-01', to: '2026-02-30' })).toMatchObject({ code: 'INVALID_DATE' });
    expect(code({ scope: 'establishment', id, from: '2026-12-31', to: '2026-01-01' })).toMatchObject({ code: 'PERIOD_INVALID' });
    expect(code({ scope: 'resident', id })).toBeNull();
  });
});
