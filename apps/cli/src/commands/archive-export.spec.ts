import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../command';
import { archiveExport } from './archive-export';

/**
 * archive:export's period (--establishment --from --to): whole days in Paris, checked before
 * anything is opened — a wrong date is a usage error in French, whichever of the two it is.
 */
describe('archive:export: the period’s dates', () => {
  const run = (from: string, to: string) =>
    archiveExport.run(['--establishment', '0c0c0c0c-0000-4000-8000-000000000000', '--from', from, '--to', to, '--out', join(tmpdir(), 'paquet.zip')]);

  it('refuses a malformed or unknown day as a usage error, --from and --to alike', async () => {
    for (const [from, to, message] of [
      ['2026-1-05', '2026-01-31', 'Date invalide : 2026-1-05 (attendu AAAA-MM-JJ).'],
      ['2026-02-30', '2026-03-31', 'Date invalide : 2026-02-30.'],
      ['2026-01-01', 'fin', 'Date invalide : fin (attendu AAAA-MM-JJ).'],
      ['2026-01-01', '31/01/2026', 'Date invalide : 31/01/2026 (attendu AAAA-MM-JJ).'],
      ['2026-01-01', '2026-02-30', 'Date invalide : 2026-02-30.'],
      ['2026-03-02', '2026-03-01', '--to doit suivre --from.'],
    ]) {
      const error = await run(from, to).then(
        () => null,
        (e: unknown) => e,
      );
      expect({ from, to, usage: error instanceof UsageError, message: (error as Error | null)?.message }).toEqual({ from, to, usage: true, message });
    }
  });
});
