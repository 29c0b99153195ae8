import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService } from '@carepact/archive';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * C. civ. 2235 suspends the limitation the retention follows against a majeur en tutelle: her file
 * is kept from the end of the tutelle in force when she left (retentionStart). A death ends the
 * measure (C. civ. 443 al. 1): for a person who died under tutelle that end is her death, not the
 * end date the judgment had fixed (nor, with none recorded, never). The purge (RetentionService.plan,
 * SQL) and the file's page (tutelleEndingAfter) agree.
 */
describe('retention of a person who died under tutelle (C. civ. 2235, 443 al. 1)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  /** A person admitted in 2014 under a tutelle judged in 2013 ending `endDate` (set directly: the API checks today's rules). */
  const ward = async (lastName: string, endDate: string | null) => {
    const id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [id]);
    await ds.query(`UPDATE protection_measures SET type = 'tutelle', mode = 'representation', judgment_date = '2013-01-10', start_date = NULL, end_date = $2 WHERE resident_id = $1`, [id, endDate]);
    return id;
  };

  it('died on 30 June 2020 under a tutelle the judgment ended in 2030: the file is kept 5 years from the death, as the page says; alive when she left, from the tutelle’s end', async () => {
    const died = await ward('Defunte', '2030-06-30');
    const diedNoEnd = await ward('Sansfin', null);
    const left = await ward('Partie', '2030-06-30');
    for (const id of [died, diedNoEnd]) await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2020-06-30', endReason: 'death' }).expect(200);
    await admin.put(`/api/residents/${left}/departure`).send({ departedOn: '2020-06-30' }).expect(200);
    expect(((await ds.query(`SELECT deceased_on::text AS d FROM residents WHERE id = $1`, [died])) as { d: string }[])[0].d).toBe('2020-06-30');

    const retention = h.app.get(RetentionService);
    const listed = async (day: string) => (await retention.plan(ds.manager, h.orgA.organisationId, day)).residents;
    // Kept until 30 June 2025 inclusive (dossier-resident: 5 years, C. civ. 2224), from the death.
    expect((await listed('2025-06-30')).map((r) => r.id)).not.toContain(died);
    const after = await listed('2025-07-01');
    expect(after.find((r) => r.id === died)).toMatchObject({ departedOn: '2020-06-30', retentionEnds: '2025-06-30' });
    expect(after.find((r) => r.id === diedNoEnd)).toMatchObject({ departedOn: '2020-06-30', retentionEnds: '2025-06-30' });
    // Alive when she left, her tutelle ran on to 2030: kept until 2035 (C. civ. 2235), as before.
    expect(after.map((r) => r.id)).not.toContain(left);
    expect((await listed('2035-07-01')).find((r) => r.id === left)).toMatchObject({ retentionEnds: '2035-06-30' });

    // The file's page says the same day, and no « fin de sa tutelle » for the deceased.
    const page = (await admin.get(`/console/residents/${died}`).expect(200)).text.replace(/[\u2068\u2069]/g, '');
    expect(page).toMatch(/jusqu’au 30 juin 2025 inclus/);
    expect(page).not.toContain('comptée depuis la fin de sa tutelle');
    const livingPage = (await admin.get(`/console/residents/${left}`).expect(200)).text.replace(/[\u2068\u2069]/g, '');
    expect(livingPage).toMatch(/jusqu’au 30 juin 2035 inclus, comptée depuis la fin de sa tutelle/);
  });
});
