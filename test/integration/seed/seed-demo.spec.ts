import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';
import { withContext } from '../../../apps/cli/src/context';
import { DemoFixture, fixtureDepartureDate, loadDemoFixture } from '@carepact/residents';
import { RetentionService, parisToday } from '@carepact/archive';
import { archivedResidents } from '@carepact/documents';
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

  it('the person who left is in the intermediate archive on the seed’s day: her departure counted back from it, audited as the seed', async () => {
    const left = fixture.residents.filter((r) => r.departedYearsAgo !== undefined);
    expect(left.map((r) => r.key)).toEqual(['odette-renaud']);
    const today = parisToday();
    const departedOn = fixtureDepartureDate(left[0], today)!;
    const [r] = (await ds.query(`SELECT id, organisation_id, departed_on::text AS departed_on FROM residents WHERE first_name = $1 AND last_name = $2`, [
      left[0].firstName,
      left[0].lastName,
    ])) as { id: string; organisation_id: string; departed_on: string }[];
    expect(r.departed_on).toBe(departedOn);
    // Departure + the default active base (24 months) + 1 day: a year before the seed, so archived today…
    const [{ since }] = (await ds.query(`SELECT ((date '${departedOn}' + interval '24 months')::date + 1)::text AS since`)) as { since: string }[];
    expect(since <= today).toBe(true);
    expect((await archivedResidents(ds.manager, r.organisation_id, [r.id])).get(r.id)).toBe(since);
    // …and the only one: every other demo person is accompanied.
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM residents WHERE departed_on IS NOT NULL`)) as { n: number }[];
    expect(n).toBe(1);
    const events = (await ds.query(`SELECT actor_type, actor_id, payload FROM audit_events WHERE action = 'resident.departure_recorded' AND subject_id = $1`, [r.id])) as {
      actor_type: string;
      actor_id: string;
      payload: { departedOn: string };
    }[];
    expect(events).toEqual([expect.objectContaining({ actor_id: 'seed:demo', payload: expect.objectContaining({ departedOn }) })]);
    // Her file is kept past today (dossier-resident: departure + 5 years): the purge plan of today, and of a
    // day two years on, keeps her, counted « durée de conservation en cours » (the code review of session 18:
    // the date comparison it replaces could not fail).
    const inTwoYears = `${Number(today.slice(0, 4)) + 2}${today.slice(4, 7)}-${today.slice(8) === '29' && today.slice(5, 7) === '02' ? '28' : today.slice(8)}`;
    await withContext(async (ctx) => {
      for (const day of [today, inTwoYears]) {
        const plan = await ctx.get(RetentionService).plan(ds.manager, r.organisation_id, day);
        expect(plan.residents.map((x) => x.id)).not.toContain(r.id);
        expect(plan.kept.inRetentionResidents).toBeGreaterThanOrEqual(1);
      }
      // And the plan does see her once her five years are over.
      const [{ after }] = (await ds.query(`SELECT ((date '${departedOn}' + interval '5 years')::date + 1)::text AS after`)) as { after: string }[];
      expect((await ctx.get(RetentionService).plan(ds.manager, r.organisation_id, after)).residents.map((x) => x.id)).toContain(r.id);
    }, db.config);
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
