import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';
import { withContext } from '../../../apps/cli/src/context';
import { DemoFixture, loadDemoFixture } from '@carepact/residents';
import { loadDemo } from '../../../apps/cli/src/seed/load-demo';

/**
 * Issue 9, "Seed": seed:demo loads everything in one transaction (a failure leaves nothing
 * written) and completes a half-loaded database without duplicating anything.
 */
describe('seed:demo (one transaction, completes a partial load)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const fixture = loadDemoFixture();
  const seed = (f: DemoFixture) => withContext((ctx, config) => loadDemo(ctx, config, f), db.config);

  const counts = async () => {
    const [row] = (await ds.query(`SELECT
      (SELECT count(*)::int FROM organisations) AS organisations,
      (SELECT count(*)::int FROM establishments) AS establishments,
      (SELECT count(*)::int FROM staff_users) AS staff,
      (SELECT count(*)::int FROM residents) AS residents,
      (SELECT count(*)::int FROM protection_measures) AS measures,
      (SELECT count(*)::int FROM audit_events) AS audit`)) as Record<string, number>[];
    return row;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config, { as: 'owner', poolSize: 1 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('a resident that fails validation at the end rolls everything back: no organisation, account, resident or audit event', async () => {
    const broken: DemoFixture = { ...fixture, residents: [...fixture.residents, { ...fixture.residents[0], firstName: 'Invalide', birthDate: 'pas une date' }] };
    await expect(seed(broken)).rejects.toThrow();
    expect(await counts()).toEqual({ organisations: 0, establishments: 0, staff: 0, residents: 0, measures: 0, audit: 0 });
  });

  it('a partial load (2 accounts, 3 residents) committed earlier is completed to the whole demo, without duplicates', async () => {
    const partial = await seed({ ...fixture, staff: fixture.staff.slice(0, 2), residents: fixture.residents.slice(0, 3) });
    expect(partial.created).toEqual({ organisation: true, establishment: true, staff: 2, residents: 3 });

    const full = await seed(fixture);
    expect(full.organisationId).toBe(partial.organisationId);
    expect(full.created).toEqual({ organisation: false, establishment: false, staff: fixture.staff.length - 2, residents: fixture.residents.length - 3 });
    expect(full.existing).toEqual({ staff: 2, residents: 3 });

    const c = await counts();
    expect(c).toMatchObject({ organisations: 1, establishments: 1, staff: fixture.staff.length, residents: fixture.residents.length });
    const dup = (await ds.query(`SELECT first_name, last_name, count(*)::int AS n FROM residents GROUP BY 1, 2 HAVING count(*) > 1`)) as unknown[];
    expect(dup).toEqual([]);
    // Every resident added by the completion is audited like the others.
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'resident.created'`)) as { n: number }[];
    expect(n).toBe(fixture.residents.length);
  });

  it('a third run finds everything and adds nothing', async () => {
    const before = await counts();
    const again = await seed(fixture);
    expect(again.created).toEqual({ organisation: false, establishment: false, staff: 0, residents: 0 });
    expect(await counts()).toEqual(before);
  });

  it('demo rows deleted afterwards (a resident and an account) are added back, once', async () => {
    // A resident without contacts (nothing else refers to the row).
    const plain = fixture.residents.find((x) => !x.personneDeConfiance && !x.protectionMeasure && !x.minor)!;
    const [r] = (await ds.query(`SELECT id FROM residents WHERE first_name = $1`, [plain.firstName])) as { id: string }[];
    expect(r).toBeDefined();
    const last = fixture.staff[fixture.staff.length - 1].email.toLowerCase();
    await ds.transaction(async (em) => {
      await em.query(`DELETE FROM residents WHERE id = $1`, [r.id]);
      await em.query(`DELETE FROM staff_roles WHERE user_id IN (SELECT id FROM staff_users WHERE email = $1)`, [last]);
      await em.query(`DELETE FROM staff_users WHERE email = $1`, [last]);
    });
    const again = await seed(fixture);
    expect(again.created).toEqual({ organisation: false, establishment: false, staff: 1, residents: 1 });
    expect(await counts()).toMatchObject({ organisations: 1, establishments: 1, staff: fixture.staff.length, residents: fixture.residents.length });
  });
});
