import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * The resident file's contacts, personne de confiance and protection measures through the API
 * (ResidentContactsService, ProtectionMeasuresService): each change answers the updated view and
 * leaves its audit event; reads and writes keep the 404-before-403 order of requireVisible.
 */
describe('resident file: contacts, personne de confiance, measures', () => {
  let h: ApiHarness;
  let admin: request.Agent;
  let residentId: string;
  let holderContactId: string;
  let measureId: string;

  const actions = async (): Promise<string[]> =>
    (
      (await h.app.get(DataSource).query(`SELECT action FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [h.orgA.organisationId])) as { action: string }[]
    ).map((r) => r.action);

  beforeAll(async () => {
    h = await startApiHarness();
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const created = await admin.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201);
    residentId = created.body.id;
    holderContactId = created.body.protectionMeasures[0].holders[0].contactId;
    measureId = created.body.protectionMeasures[0].id;
    expect(created.body.protectionMeasures[0]).toMatchObject({ type: 'curatelle_renforcee', status: 'active', holders: [{ role: 'curateur', lastName: 'Benaïssa' }] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('adds, updates and deletes a contact, with field errors named without their prefix', async () => {
    const bad = await admin.post(`/api/residents/${residentId}/contacts`).send({ firstName: 'Anne', lastName: 'Roux', email: 'pas-une-adresse' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('"field":"email"');
    const c = await admin.post(`/api/residents/${residentId}/contacts`).send({ firstName: ' Anne ', lastName: 'Roux', relation: 'fille' }).expect(201);
    expect(c.body).toMatchObject({ firstName: 'Anne', lastName: 'Roux', relation: 'fille', holdsParentalAuthority: false });
    const u = await admin.patch(`/api/residents/${residentId}/contacts/${c.body.id}`).send({ phone: ' 0601020304 ' }).expect(200);
    expect(u.body.phone).toBe('0601020304');
    await admin.delete(`/api/residents/${residentId}/contacts/${c.body.id}`).expect(204);
    const holder = await admin.delete(`/api/residents/${residentId}/contacts/${holderContactId}`).expect(409);
    expect(JSON.stringify(holder.body)).toContain('CONTACT_IS_MEASURE_HOLDER');
    expect(await actions()).toEqual(expect.arrayContaining(['contact.created', 'contact.updated', 'contact.deleted']));
  });

  it('sets and clears the personne de confiance', async () => {
    const set = await admin.put(`/api/residents/${residentId}/personne-de-confiance`).send({ firstName: 'Paul', lastName: 'Dupont', designatedOn: '2026-10-15' }).expect(200);
    expect(set.body.personneDeConfiance).toMatchObject({ firstName: 'Paul', lastName: 'Dupont', designatedOn: '2026-10-15' });
    const cleared = await admin.delete(`/api/residents/${residentId}/personne-de-confiance`).expect(200);
    expect(cleared.body.personneDeConfiance).toBeNull();
    expect(await actions()).toEqual(expect.arrayContaining(['personne_de_confiance.set', 'personne_de_confiance.cleared']));
  });

  it('updates and deletes a measure, re-validating the merged measure', async () => {
    const bad = await admin.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ endDate: '2020-01-01' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('"field":"endDate"');
    const u = await admin.patch(`/api/residents/${residentId}/protection-measures/${measureId}`).send({ endDate: '2031-05-20' }).expect(200);
    expect(u.body).toMatchObject({ id: measureId, endDate: '2031-05-20', holders: [{ contactId: holderContactId, role: 'curateur' }] });
    await admin.delete(`/api/residents/${residentId}/protection-measures/${measureId}`).expect(204);
    const file = await admin.get(`/api/residents/${residentId}`).expect(200);
    expect(file.body.protectionMeasures).toEqual([]);
    expect(await actions()).toEqual(expect.arrayContaining(['measure.created', 'measure.updated', 'measure.deleted']));
  });

  it('a role without write access on a visible resident is 403; reads still work', async () => {
    const coordinator = await loginAgent(h.app, h.orgA.users.coordinator.email, TEST_PASSWORD);
    await coordinator.get(`/api/residents/${residentId}`).expect(200);
    await coordinator.post(`/api/residents/${residentId}/contacts`).send({ firstName: 'X', lastName: 'Y' }).expect(403);
  });

  it('the auditor reads neither the file nor its care details (issue 7, item 14), and cannot write', async () => {
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    await auditor.get(`/api/residents/${residentId}`).expect(403);
    await auditor.post(`/api/residents/${residentId}/contacts`).send({ firstName: 'X', lastName: 'Y' }).expect(403);
  });
});
