import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService } from '@carepact/archive';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * C. civ. 2235 suspends the limitation the retention follows against a minor: her file is kept from
 * her eighteenth birthday (retentionStart), the record of her accompaniment 20 years after it
 * (C. civ. 2226 al. 2, minorAccompanimentEnds). The suspension is hers: a minor who died never
 * reaches that birthday, her actions pass to her heirs (C. civ. 724) and the limitation runs against
 * them from the death (as C. civ. 1152 3° says for the heirs of a person under tutelle, and as a
 * tutelle ends at the death at the latest). So a deceased minor's retention counts from her death
 * (`residents.deceased_on`), in the purge (RetentionService.plan, SQL) and on the file's page alike.
 */
describe('retention of a minor who died (C. civ. 2235, 2226 al. 2)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await admin.put('/api/retention/policies/dossier-resident').send({ years: 5 }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  /** A child admitted at 6 (born 10 March 2008, of age on 10 March 2026), with her projet personnalisé and DIPC (set directly: the API checks today's rules). */
  const child = async (lastName: string) => {
    const id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', birth_date = '2008-03-10' WHERE id = $1`, [id]);
    const docs: Record<string, string> = {};
    for (const type of ['projet-personnalise', 'dipc'])
      docs[type] = ((await ds.query(
        `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
         SELECT organisation_id, establishment_id, id, $2, 'signed', now(), now() FROM residents WHERE id = $1 RETURNING id`,
        [id, type],
      )) as { id: string }[])[0].id;
    return { id, docs };
  };

  it('died at 7 in the IME: her file is kept 5 years from the death, her projet 20 years from it, as the page says; alive, from her 18th birthday', async () => {
    const died = await child('Decedee');
    const leftThenDied = await child('PartieDecedee');
    const alive = await child('Vivante');
    await admin.put(`/api/residents/${died.id}/departure`).send({ departedOn: '2015-06-30', endReason: 'death' }).expect(200);
    for (const c of [leftThenDied, alive]) await admin.put(`/api/residents/${c.id}/departure`).send({ departedOn: '2015-06-30' }).expect(200);
    // She had left at 7 and died at 8: the death recorded after, the departure kept as the end.
    const later = await admin.put(`/api/residents/${leftThenDied.id}/departure`).send({ departedOn: '2017-01-15', endReason: 'death' }).expect(200);
    expect(later.body).toMatchObject({ departedOn: '2015-06-30', deceasedOn: '2017-01-15' });
    expect(((await ds.query(`SELECT deceased_on::text AS d FROM residents WHERE id = $1`, [died.id])) as { d: string }[])[0].d).toBe('2015-06-30');

    const retention = h.app.get(RetentionService);
    const plan = (day: string) => retention.plan(ds.manager, h.orgA.organisationId, day);
    const residents = async (day: string) => new Map((await plan(day)).residents.map((r) => [r.id, r.retentionEnds]));
    const documents = async (day: string) => new Map((await plan(day)).documents.map((d) => [d.id, d.retentionEnds]));

    // Her documents: the DIPC 5 years from the death (C. civ. 2224); the projet 20 years from the death (2226 al. 2), not from a 10 March 2026 she never reached.
    expect((await documents('2020-06-30')).has(died.docs.dipc)).toBe(false);
    expect((await documents('2020-07-01')).get(died.docs.dipc)).toBe('2020-06-30');
    expect((await documents('2035-06-30')).has(died.docs['projet-personnalise'])).toBe(false);
    const in2035 = await documents('2035-07-01');
    expect(in2035.get(died.docs['projet-personnalise'])).toBe('2035-06-30');
    // Left at 7, died at 8: counted from the death, 15 January 2017.
    expect((await documents('2037-01-15')).has(leftThenDied.docs['projet-personnalise'])).toBe(false);
    expect((await documents('2037-01-16')).get(leftThenDied.docs['projet-personnalise'])).toBe('2037-01-15');
    // Alive: from her majority, as before (10 March 2026 + 20; the DIPC + 5).
    expect(in2035.has(alive.docs['projet-personnalise'])).toBe(false);
    expect((await documents('2031-03-10')).has(alive.docs.dipc)).toBe(false);
    expect(in2035.get(alive.docs.dipc)).toBe('2031-03-10');
    expect((await documents('2046-03-11')).get(alive.docs['projet-personnalise'])).toBe('2046-03-10');

    // Her file (5 years), once her projet is gone too: from the death, not from 10 March 2026.
    await ds.query(`DELETE FROM documents WHERE resident_id = ANY($1::uuid[])`, [[died.id, leftThenDied.id, alive.id]]);
    expect((await residents('2020-06-30')).has(died.id)).toBe(false);
    const in2022 = await residents('2022-01-16');
    expect(in2022.get(died.id)).toBe('2020-06-30');
    expect(in2022.get(leftThenDied.id)).toBe('2022-01-15');
    expect(in2022.has(alive.id)).toBe(false);
    expect((await residents('2031-03-11')).get(alive.id)).toBe('2031-03-10');

    // The file's page says the same days, and why.
    const page = async (id: string) => (await admin.get(`/console/residents/${id}`).expect(200)).text.replace(/[\u2068\u2069]/g, '');
    const diedPage = await page(died.id);
    expect(diedPage).toMatch(/jusqu’au 30 juin 2020 inclus/);
    expect(diedPage).not.toContain('comptée depuis ses 18 ans');
    expect(await page(leftThenDied.id)).toMatch(
      /jusqu’au 15 janvier 2022 inclus, comptée depuis son décès, survenu avant ses 18 ans : la prescription, qui ne court pas contre un mineur \(C\. civ\. 2235\), court dès lors contre ses héritiers/,
    );
    expect(await page(alive.id)).toMatch(/jusqu’au 10 mars 2031 inclus, comptée depuis ses 18 ans/);
  });
});
