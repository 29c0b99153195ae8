import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * An archive package carries the documents' content: past the active base, a person's documents are
 * in the intermediate archive (CNIL délib. n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32), and
 * their package — the person's, one of her documents', the establishment's over a period holding
 * them — is refused (403 ARCHIVE_INTERMEDIATE_RESTRICTED, nothing recorded, queued or audited) until
 * this records manager opens her archive with a reason; then it is accepted.
 */
describe('archive packages of a person in the intermediate archive', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  const gone = { id: '', doc: '' };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const bodies = () => ({
    resident: { scope: 'resident', id: gone.id },
    document: { scope: 'document', id: gone.doc },
    establishment: { scope: 'establishment', id: h.orgA.establishmentId, from: today(), to: today() },
  });
  const recorded = () => count(`SELECT count(*) AS n FROM data_jobs WHERE organisation_id = $1 AND kind = 'archive_export'`, [h.orgA.organisationId]);
  const audited = () => count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.requested' AND chain_id = $1`, [h.orgA.organisationId]);

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    gone.id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Partie' }).expect(201)).body.id as string;
    // The document row exists from the request on (its generation is the worker's, not needed here).
    gone.doc = (await admissions.post('/api/documents').send({ residentId: gone.id, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [gone.id]);
    await admin.put(`/api/residents/${gone.id}/departure`).send({ departedOn: '2020-01-01' }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('refused for the person, her document and the establishment’s period until the archive is opened: 403, nothing written', async () => {
    const [jobs, events] = [await recorded(), await audited()];
    for (const [scope, body] of Object.entries(bodies())) {
      const refused = await admin.post('/api/data-jobs/archive').send(body);
      expect({ scope, status: refused.status, code: refused.body.error?.code }).toEqual({ scope, status: 403, code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
      expect(refused.body.error.message).toMatch(/archive intermédiaire/);
    }
    expect((await admin.post('/api/data-jobs/archive').send(bodies().document)).body.error.message).toMatch(/depuis le 02\/01\/2022/);
    expect((await admin.post('/api/data-jobs/archive').send(bodies().establishment)).body.error.message).toMatch(/d’une personne sont en archive intermédiaire/);
    expect(await recorded()).toBe(jobs);
    expect(await audited()).toBe(events);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run' AND organisation_id = $1`, [h.orgA.organisationId])).toBe(0);
  });

  it('the console’s form says it beside the document chosen, in French (403), nothing recorded', async () => {
    const jobs = await recorded();
    const page = (await admin.get('/console/archives').expect(200)).text;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const refused = await admin.post('/console/archives/export').type('form').send({ _csrf: csrf, scope: 'document', documentId: gone.doc });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('archive intermédiaire');
    expect(refused.text).toMatch(/id="documentId"[^>]*aria-invalid="true"/);
    expect(await recorded()).toBe(jobs);
  });

  it('accepted once this records manager has opened the archive with a reason', async () => {
    await admin.post(`/api/residents/${gone.id}/archive-access`).send({ reason: 'Contentieux : demande du tribunal' }).expect(201);
    const jobs = await recorded();
    for (const body of Object.values(bodies())) await admin.post('/api/data-jobs/archive').send(body).expect(202);
    expect(await recorded()).toBe(jobs + 3);
  });
});
