import request from 'supertest';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/** Every query is scoped to the caller's organisation: another organisation's ids answer 404 and nothing else. */
describe('isolation between organisations, and roles', () => {
  let h: ApiHarness;
  let residentB: { id: string; contactId: string; measureId: string };
  let agentA: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    const adminB = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    const created = await adminB.post('/api/residents').send(curatelleResident(h.orgB.establishmentId)).expect(201);
    residentB = {
      id: created.body.id,
      contactId: created.body.protectionMeasures[0].holders[0].contactId,
      measureId: created.body.protectionMeasures[0].id,
    };
    agentA = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const endpoints = (): [string, string, object?][] => [
    ['get', `/api/residents/${residentB.id}`],
    ['patch', `/api/residents/${residentB.id}`, { room: '999' }],
    ['post', `/api/residents/${residentB.id}/contacts`, { firstName: 'Intrus', lastName: 'Externe' }],
    ['patch', `/api/residents/${residentB.id}/contacts/${residentB.contactId}`, { phone: '0600000000' }],
    ['delete', `/api/residents/${residentB.id}/contacts/${residentB.contactId}`],
    ['put', `/api/residents/${residentB.id}/personne-de-confiance`, { firstName: 'Intrus', lastName: 'Externe' }],
    ['delete', `/api/residents/${residentB.id}/personne-de-confiance`],
    [
      'post',
      `/api/residents/${residentB.id}/protection-measures`,
      curatelleResident(residentB.id).protectionMeasure,
    ],
    ['patch', `/api/residents/${residentB.id}/protection-measures/${residentB.measureId}`, { endDate: '2031-01-01' }],
    ['delete', `/api/residents/${residentB.id}/protection-measures/${residentB.measureId}`],
  ];

  it('every resident endpoint called with the other organisation’s ids answers 404 and returns nothing of it', async () => {
    for (const [method, url, body] of endpoints()) {
      const req = (agentA as unknown as Record<string, (u: string) => request.Test>)[method](url);
      const res = body ? await req.send(body) : await req;
      expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
      const text = JSON.stringify(res.body);
      for (const secret of ['Marcel', 'Dupont', 'Benaïssa', 'RG 25/00412', h.orgB.organisationId]) expect(text).not.toContain(secret);
    }
    // Nothing was changed either.
    const adminB = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    const file = await adminB.get(`/api/residents/${residentB.id}`).expect(200);
    expect(file.body.room).toBe('112');
    expect(file.body.contacts).toHaveLength(1);
    expect(file.body.protectionMeasures).toHaveLength(1);
    expect(file.body.personneDeConfiance).toBeNull();
  });

  it('listing shows only the caller’s organisation; filtering by another establishment is 404', async () => {
    const list = await agentA.get('/api/residents').expect(200);
    expect(list.body).toEqual([]);
    await agentA.get(`/api/residents?establishmentId=${h.orgB.establishmentId}`).expect(404);
  });

  it('creating a resident in another organisation’s establishment is 404', async () => {
    await agentA.post('/api/residents').send(curatelleResident(h.orgB.establishmentId)).expect(404);
  });

  it('a role that may not act gets 403: coordinator reads but cannot write the file; auditor can do neither', async () => {
    const adminA = agentA;
    const created = await adminA.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201);
    for (const role of ['coordinator', 'auditor'] as const) {
      const agent = await loginAgent(h.app, h.orgA.users[role].email, TEST_PASSWORD);
      await agent.get(`/api/residents/${created.body.id}`).expect(role === 'auditor' ? 403 : 200);
      const res = await agent.patch(`/api/residents/${created.body.id}`).send({ room: '1' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(403);
    }
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await admissions.get('/api/audit/verify').expect(403);
    await admissions.get('/api/users').expect(403);
  });

  it('without a session: 401 with a code', async () => {
    const res = await request(h.app.getHttpServer()).get('/api/residents');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});
