import { loginAgent, minorUnderTutelleResident, TEST_PASSWORD } from '@carepact/testing';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * A minor's file and the residents list say who decides for him (C. civ. 390, 408 for a tutelle),
 * from what the database holds — not « Aucune mesure de protection : la personne décide seule » and
 * « Aucune » (the newcomer's shots 02, 28, 40).
 */
describe('console: who decides for a minor, from the database', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('a minor under tutelle: « Mineur sous tutelle » in the list, his tuteur named on his file', async () => {
    const admissions = await loginAgent(h.app, h.org.users.admissions.email, TEST_PASSWORD);
    const created = await admissions.post('/api/residents').send(minorUnderTutelleResident(h.org.establishmentId)).expect(201);
    const list = await admissions.get('/console/residents').expect(200);
    const row = /<a href="\/console\/residents\/[^"]+">\s*Petit Enzo\s*<\/a>[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? '';
    expect(row).toContain('Mineur sous tutelle');
    expect(row).not.toMatch(/<td>Aucune<\/td>/);
    const file = await admissions.get(`/console/residents/${created.body.id}`).expect(200);
    expect(file.text).not.toContain('la personne décide seule');
    expect(file.text).toContain('Mineur sous tutelle : son tuteur (Hélène Roux) décide pour l’enfant et agit en son nom (C. civ. 390, 408).');
  }, 60_000);
});
