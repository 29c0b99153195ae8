import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';

/**
 * A calendar day read from PostgreSQL stays that day whatever the process's time zone. node-postgres
 * turned a `date` into a Date at LOCAL midnight: on a workstation in Europe/Paris, a `SELECT *` row
 * written as JSON (the RGPD access export's `personne.json`, a purge tombstone's content) said
 * 1947-07-01 for a birth on 1947-07-02. Dates are now read as 'YYYY-MM-DD', as the `::text` casts
 * of the raw queries and TypeORM's date columns already read them.
 */
describe('date columns read as their day, in any process time zone', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const tz = process.env.TZ;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config, { as: 'app' }));
    await ds.initialize();
  });
  afterAll(async () => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    await ds?.destroy();
    await db?.drop();
  });

  it.each(['Europe/Paris', 'America/Cayenne', 'Pacific/Noumea', 'UTC'])('under TZ=%s a raw row keeps 1947-07-02, and a timestamp stays a Date', async (zone) => {
    process.env.TZ = zone;
    const [row] = (await ds.query(`SELECT '1947-07-02'::date AS birth, NULL::date AS none, '2026-12-02T23:30:00Z'::timestamptz AS at`)) as { birth: unknown; none: unknown; at: unknown }[];
    expect(JSON.parse(JSON.stringify(row))).toEqual({ birth: '1947-07-02', none: null, at: '2026-12-02T23:30:00.000Z' });
    expect(row.at).toBeInstanceOf(Date);
  });
});
