import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { TEST_PASSWORD, loginAgent, residentWithContract } from '@carepact/testing';
import { addEstablishment, addUser, ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * GET /api/data-jobs and /api/data-jobs/:id show the organisation's jobs as its files are shown (an
 * attacker's review of session 16): the administrator of another establishment of the organisation,
 * to whom the person's file answers 404, read her access request and its statement (« …plainte
 * déposée… ») through these two routes. Now a job about a person is shown only to whom reads her
 * establishment's residents, and the statement only to the member of staff who recorded it; the
 * others get its SHA-256, as the audit chain keeps it. Her departure (whose answer names her open
 * signature requests) is recorded only by her establishment's records manager.
 */
describe('data jobs through the API: what each records manager sees', () => {
  let h: ApiHarness;
  let requester: request.Agent;
  let colleague: request.Agent;
  let elsewhere: request.Agent;
  let residentId: string;
  let jobId: string;
  const statement = 'Courrier de son fils du 2 novembre : il soupçonne une maltraitance, plainte déposée';

  beforeAll(async () => {
    h = await startApiHarness();
    requester = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await addUser(h.app, h.orgA.organisationId, 'collegue@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    colleague = await loginAgent(h.app, 'collegue@a.test', TEST_PASSWORD);
    const chenes = await addEstablishment(h.app, h.orgA.organisationId, 'Les Chênes');
    await addUser(h.app, h.orgA.organisationId, 'admin@chenes.test', [{ establishmentId: chenes, role: 'administrator' }]);
    elsewhere = await loginAgent(h.app, 'admin@chenes.test', TEST_PASSWORD);
    residentId = (await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Roux' })).residentId;
    jobId = (
      await requester
        .post('/api/data-jobs/access-request')
        .send({ residentId, request: { from: 'representative', receivedOn: '2026-11-02', statement } })
        .expect(202)
    ).body.id as string;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('another establishment’s administrator: the job is neither listed nor found (404, as her file)', async () => {
    await elsewhere.get(`/api/residents/${residentId}`).expect(404);
    const list = (await elsewhere.get('/api/data-jobs').expect(200)).body as { id: string }[];
    expect(list.map((j) => j.id)).not.toContain(jobId);
    expect(JSON.stringify(list)).not.toContain('maltraitance');
    const one = await elsewhere.get(`/api/data-jobs/${jobId}`).expect(404);
    expect(one.body.error.code).toBe('DATA_JOB_NOT_FOUND');
    expect(JSON.stringify(one.body)).not.toContain(residentId);
  });

  it('another establishment’s administrator cannot record her departure: 404 as her file, nothing written, no open request named', async () => {
    const refused = await elsewhere.put(`/api/residents/${residentId}/departure`).send({ departedOn: '2026-11-30' }).expect(404);
    expect(refused.body.error.code).toBe('RESIDENT_NOT_FOUND');
    expect(JSON.stringify(refused.body)).not.toContain('openSignatureRequests');
    const [row] = (await h.app.get(DataSource).query(`SELECT departed_on FROM residents WHERE id = $1`, [residentId])) as { departed_on: string | null }[];
    expect(row.departed_on).toBeNull();
  });

  it('a colleague of the same establishment sees the job, the statement as its SHA-256 only; the requester sees her own words', async () => {
    const sha = createHash('sha256').update(statement).digest('hex');
    const seen = (await colleague.get(`/api/data-jobs/${jobId}`).expect(200)).body;
    expect(seen.params.residentId).toBe(residentId);
    expect(seen.params.request.statement).toBeUndefined();
    expect(seen.params.request.statementSha256).toBe(sha);
    expect(seen.params.request.receivedOn).toBe('2026-11-02');
    expect(JSON.stringify((await colleague.get('/api/data-jobs').expect(200)).body)).not.toContain('maltraitance');
    expect((await requester.get(`/api/data-jobs/${jobId}`).expect(200)).body.params.request.statement).toBe(statement);
  });
});
