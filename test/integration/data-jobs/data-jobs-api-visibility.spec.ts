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
  let auditorHere: request.Agent;
  let residentId: string;
  let jobId: string;
  let chenes: string;
  const statement = 'Courrier de son fils du 2 novembre : il soupçonne une maltraitance, plainte déposée';

  beforeAll(async () => {
    h = await startApiHarness();
    requester = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await addUser(h.app, h.orgA.organisationId, 'collegue@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    colleague = await loginAgent(h.app, 'collegue@a.test', TEST_PASSWORD);
    chenes = await addEstablishment(h.app, h.orgA.organisationId, 'Les Chênes');
    await addUser(h.app, h.orgA.organisationId, 'admin@chenes.test', [{ establishmentId: chenes, role: 'administrator' }]);
    elsewhere = await loginAgent(h.app, 'admin@chenes.test', TEST_PASSWORD);
    // An auditor of her establishment who administers another one (the attacker's review of session 17).
    await addUser(h.app, h.orgA.organisationId, 'auditrice@a.test', [
      { establishmentId: h.orgA.establishmentId, role: 'auditor' },
      { establishmentId: chenes, role: 'administrator' },
    ]);
    auditorHere = await loginAgent(h.app, 'auditrice@a.test', TEST_PASSWORD);
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

  it('an auditor of her establishment who administers another: no access request nor package of her file, 403, nothing recorded', async () => {
    const db = h.app.get(DataSource);
    const count = async () => Number(((await db.query(`SELECT count(*)::int AS n FROM data_jobs WHERE organisation_id = $1`, [h.orgA.organisationId])) as { n: number }[])[0].n);
    const before = await count();
    await auditorHere.get(`/api/residents/${residentId}`).expect(403);
    const access = await auditorHere
      .post('/api/data-jobs/access-request')
      .send({ residentId, request: { from: 'representative', receivedOn: '2026-11-02', statement: 'Courrier de la fille' } })
      .expect(403);
    expect(access.body.error.code).toBe('FORBIDDEN');
    const pkg = await auditorHere.post('/api/data-jobs/archive').send({ scope: 'resident', id: residentId }).expect(403);
    expect(pkg.body.error.code).toBe('FORBIDDEN');
    await auditorHere.post('/api/data-jobs/archive').send({ scope: 'establishment', id: h.orgA.establishmentId, from: '2026-01-01', to: '2027-01-01' }).expect(403);
    expect(await count()).toBe(before);
  });

  it('legal holds through the API: another establishment’s administrator neither lists, places nor lifts one on her (404), an auditor here who administers elsewhere gets 403; nothing written', async () => {
    const hold = (await requester.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: residentId, reason: 'Plainte de la famille en cours' }).expect(201)).body as { id: string };
    expect(((await requester.get('/api/legal-holds').expect(200)).body as { id: string }[]).map((x) => x.id)).toContain(hold.id);
    const listed = (await elsewhere.get('/api/legal-holds').expect(200)).body as { id: string }[];
    expect(listed.map((x) => x.id)).not.toContain(hold.id);
    expect(JSON.stringify(listed)).not.toContain('Plainte');
    const lift = await elsewhere.post(`/api/legal-holds/${hold.id}/lift`).send({ reason: 'Affaire classée' }).expect(404);
    expect(lift.body.error.code).toBe('LEGAL_HOLD_NOT_FOUND');
    await auditorHere.post(`/api/legal-holds/${hold.id}/lift`).send({ reason: 'Affaire classée' }).expect(403);
    const db = h.app.get(DataSource);
    const [{ lifted }] = (await db.query(`SELECT lifted_at IS NOT NULL AS lifted FROM legal_holds WHERE id = $1`, [hold.id])) as { lifted: boolean }[];
    expect(lifted).toBe(false);
    await requester.post(`/api/legal-holds/${hold.id}/lift`).send({ reason: 'Affaire classée' }).expect(200);
    const placed = await elsewhere.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: residentId, reason: 'Un motif suffisant' }).expect(404);
    expect(placed.body.error.code).toBe('HOLD_SUBJECT_NOT_FOUND');
    await auditorHere.post('/api/legal-holds').send({ subjectType: 'resident', subjectId: residentId, reason: 'Un motif suffisant' }).expect(403);
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM legal_holds WHERE subject_id = $1 AND lifted_at IS NULL`, [residentId])) as { n: number }[];
    expect(n).toBe(0);
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
  it('an access request after a death: a coordinator here who administers elsewhere neither lists nor reads it (404, API and console: records.manage in the person’s establishment); a records manager here who did not record it reads the proof’s reference and the physician as « masqué » (the security review of session 19)', async () => {
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const deceased = (await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Défunte' })).residentId;
    await requester.put(`/api/residents/${deceased}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
    const reference = 'Me Durand, notaire à Lyon, réf. 2026/1187';
    const heir = (
      await requester
        .post('/api/data-jobs/access-request')
        .send({
          residentId: deceased,
          request: {
            from: 'ayant_droit',
            receivedOn: '2026-11-25',
            statement: 'Courrier de son fils : causes du décès',
            purpose: 'causes_of_death',
            deceasedOn: '2026-10-02',
            deceasedObjection: 'none',
            standingProof: { type: 'acte_notoriete', reference, issuedOn: '2026-10-20' },
            communication: 'physician',
            physician: 'Dr Lambert, Lyon',
          },
        })
        .expect(202)
    ).body.id as string;
    // A coordinator of Les Tilleuls (resident.read there, not records.manage) who administers Les Chênes.
    await addUser(h.app, h.orgA.organisationId, 'coordinatrice@a.test', [
      { establishmentId: h.orgA.establishmentId, role: 'coordinator' },
      { establishmentId: chenes, role: 'administrator' },
    ]);
    const coordinator = await loginAgent(h.app, 'coordinatrice@a.test', TEST_PASSWORD);
    await coordinator.get(`/api/residents/${deceased}`).expect(200);
    const one = await coordinator.get(`/api/data-jobs/${heir}`).expect(404);
    expect(one.body.error.code).toBe('DATA_JOB_NOT_FOUND');
    const list = (await coordinator.get('/api/data-jobs').expect(200)).body as { id: string }[];
    expect(list.map((j) => j.id)).not.toContain(heir);
    expect(list.map((j) => j.id)).not.toContain(jobId);
    expect(JSON.stringify(list)).not.toContain('Lambert');
    await coordinator.get(`/console/archives/${heir}/reponse`).expect(404);
    expect((await coordinator.get('/console/archives').expect(200)).text).not.toContain(heir);
    // A person's package likewise.
    const pkg = (await requester.post('/api/data-jobs/archive').send({ scope: 'resident', id: deceased }).expect(202)).body.id as string;
    await coordinator.get(`/api/data-jobs/${pkg}`).expect(404);
    await colleague.get(`/api/data-jobs/${pkg}`).expect(200);
    // A records manager here who did not record it: the job, but neither the proof's reference nor the physician (the chain keeps the reference as its SHA-256).
    const seen = (await colleague.get(`/api/data-jobs/${heir}`).expect(200)).body;
    expect(seen.params.request.heir.standingProof).toEqual({ type: 'acte_notoriete', reference: 'masqué', referenceSha256: createHash('sha256').update(reference).digest('hex'), issuedOn: '2026-10-20' });
    expect(seen.params.request.heir.physician).toBe('masqué');
    expect(JSON.stringify(seen)).not.toContain('Durand');
    expect(JSON.stringify((await colleague.get('/api/data-jobs').expect(200)).body)).not.toContain('Lambert');
    const page = (await colleague.get(`/console/archives/${heir}/reponse`).expect(200)).text;
    expect(page).not.toContain('Durand');
    expect(page).not.toContain('Lambert');
    // The requester reads them.
    const own = (await requester.get(`/api/data-jobs/${heir}`).expect(200)).body;
    expect(own.params.request.heir.standingProof.reference).toBe(reference);
    expect(own.params.request.heir.physician).toBe('Dr Lambert, Lyon');
  });

  it('her latest jobs, not the organisation’s 20 latest filtered: another establishment’s busy day does not hide hers (API and console)', async () => {
    const ds = h.app.get(DataSource);
    // Her package of Les Chênes, then 25 later access requests of the other establishment (copies of the one asked here).
    const [mine] = (await ds.query(
      `INSERT INTO data_jobs (id, organisation_id, kind, params, status, requested_by, created_at, finished_at)
       SELECT gen_random_uuid(), organisation_id, 'archive_export', $2::jsonb, 'done', requested_by, now() - interval '1 hour', now() - interval '59 minutes' FROM data_jobs WHERE id = $1 RETURNING id`,
      [jobId, JSON.stringify({ kind: 'archive_export', scope: 'establishment', id: chenes, from: '2026-01-01', to: '2026-06-30' })],
    )) as { id: string }[];
    await ds.query(
      `INSERT INTO data_jobs (id, organisation_id, kind, params, status, requested_by, created_at)
       SELECT gen_random_uuid(), organisation_id, kind, params, status, requested_by, now() + n * interval '1 second' FROM data_jobs, generate_series(1, 25) n WHERE id = $1`,
      [jobId],
    );
    const list = (await elsewhere.get('/api/data-jobs').expect(200)).body as { id: string }[];
    expect(list.map((j) => j.id)).toEqual([mine.id]);
    expect((await elsewhere.get('/console/archives').expect(200)).text).toContain(mine.id);
    // Here: still the 20 latest.
    expect(((await colleague.get('/api/data-jobs').expect(200)).body as unknown[]).length).toBe(20);
  });
});
