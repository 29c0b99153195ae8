import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, tutelleResident } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * The civility (« madame » / « monsieur », optional) of the resident and of her contacts — a holder
 * is a contact (migration 1764160000000): recorded through the API, read back, cleared with null;
 * anything else is refused (400, NOT_ALLOWED_VALUE, French) and the database's CHECK refuses it too.
 */
describe('civility of the resident and of her contacts', () => {
  let h: ApiHarness;
  let admin: request.Agent;
  let ds: DataSource;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('recorded on the resident, a contact and a holder, read back, changed and cleared', async () => {
    const base = tutelleResident(h.orgA.establishmentId);
    const body = {
      ...base,
      civility: 'madame',
      contacts: [{ civility: 'monsieur', firstName: 'Paul', lastName: 'Marchal', relation: 'fils' }],
      protectionMeasure: { ...base.protectionMeasure, holders: [{ ...base.protectionMeasure.holders[0], firstName: 'Odile', civility: 'madame' }] },
    };
    const created = (await admin.post('/api/residents').send(body).expect(201)).body;
    expect(created.civility).toBe('madame');
    expect(created.contacts.map((c: { firstName: string; civility?: string }) => [c.firstName, c.civility]).sort()).toEqual([
      ['Odile', 'madame'],
      ['Paul', 'monsieur'],
    ]);
    expect(created.protectionMeasures[0].holders[0]).toMatchObject({ firstName: 'Odile', civility: 'madame', role: 'tuteur' });
    const read = (await admin.get(`/api/residents/${created.id}`).expect(200)).body;
    expect(read.civility).toBe('madame');
    expect(await sql(`SELECT civility FROM residents WHERE id = $1`, [created.id])).toEqual([{ civility: 'madame' }]);

    const paul = created.contacts.find((c: { firstName: string }) => c.firstName === 'Paul');
    await admin.patch(`/api/residents/${created.id}/contacts/${paul.id}`).send({ civility: null }).expect(200);
    expect(await sql(`SELECT civility FROM contacts WHERE id = $1`, [paul.id])).toEqual([{ civility: null }]);
    const back = (await admin.patch(`/api/residents/${created.id}/contacts/${paul.id}`).send({ civility: 'monsieur' }).expect(200)).body;
    expect(back.civility).toBe('monsieur');

    const cleared = (await admin.patch(`/api/residents/${created.id}`).send({ civility: null }).expect(200)).body;
    // None recorded: the view has no civility (a file without one reads as before).
    expect(cleared).not.toHaveProperty('civility');
    expect(await sql(`SELECT civility FROM residents WHERE id = $1`, [created.id])).toEqual([{ civility: null }]);
    const events = await sql<{ payload: { changedFields: string[] } }>(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'resident.updated' ORDER BY seq`, [created.id]);
    expect(events.at(-1)!.payload.changedFields).toEqual(['civility']);
  });

  it('refuses any other value: 400, NOT_ALLOWED_VALUE, in French, on the field', async () => {
    const base = tutelleResident(h.orgA.establishmentId);
    const bad = await admin
      .post('/api/residents')
      .send({
        ...base,
        lastName: 'Refusée',
        civility: 'mademoiselle',
        contacts: [{ civility: 'Madame', firstName: 'Paul', lastName: 'Marchal' }],
        protectionMeasure: { ...base.protectionMeasure, holders: [{ ...base.protectionMeasure.holders[0], civility: 'mme' }] },
      })
      .expect(400);
    const errors = JSON.stringify(bad.body);
    for (const field of ['civility', 'contacts.0.civility', 'protectionMeasure.holders.0.civility']) expect(errors).toContain(`"field":"${field}","code":"NOT_ALLOWED_VALUE"`);
    expect(errors).toContain('Valeur non autorisée. Valeurs possibles : madame, monsieur.');
    expect(await sql(`SELECT count(*)::int AS n FROM residents WHERE last_name = 'Refusée'`)).toEqual([{ n: 0 }]);

    const created = (await admin.post('/api/residents').send({ ...base, lastName: 'Patch' }).expect(201)).body;
    const patch = await admin.patch(`/api/residents/${created.id}`).send({ civility: 'Mme' }).expect(400);
    expect(JSON.stringify(patch.body)).toContain('"field":"civility","code":"NOT_ALLOWED_VALUE"');
    const contact = await admin.post(`/api/residents/${created.id}/contacts`).send({ firstName: 'A', lastName: 'B', civility: 'x' }).expect(400);
    expect(JSON.stringify(contact.body)).toContain('"field":"civility","code":"NOT_ALLOWED_VALUE"');
  });

  it('the database refuses another value itself (ck_residents_civility, ck_contacts_civility)', async () => {
    const [r] = await sql<{ id: string }>(`SELECT id FROM residents LIMIT 1`);
    await expect(sql(`UPDATE residents SET civility = 'Madame' WHERE id = $1`, [r.id])).rejects.toThrow(/ck_residents_civility/);
    await expect(sql(`UPDATE contacts SET civility = 'mlle' WHERE resident_id = $1`, [r.id])).rejects.toThrow(/ck_contacts_civility/);
    await sql(`UPDATE contacts SET civility = 'monsieur' WHERE resident_id = $1`, [r.id]);
  });
});
