import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, archiveResident, curatelleResident, loginAgent, residentWithContract } from '@carepact/testing';
import { addEstablishment, addUser, ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A finished package is a copy of the content it was made of (security review): it is downloaded
 * only by the member of staff who asked for it (403 DATA_JOB_NOT_YOURS, French message), while she
 * still sees its subject's establishment (404 otherwise, as an unknown one) and, for a person in the
 * intermediate archive (CNIL délib. n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32), while
 * her opening of the archive lasts — the person's, her document's, or an establishment's period
 * holding her (403 ARCHIVE_INTERMEDIATE_RESTRICTED). A refused download writes nothing; each
 * download is audited (`data_job.downloaded`). Jobs are run here as the worker runs them.
 */
describe('downloading a data job’s zip', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let su: Client;
  let jobs: DataJobsService;
  let admin: request.Agent;
  let admin2: request.Agent;
  let admissions: request.Agent;
  const gone = { id: '', doc: '' };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const downloads = (jobId: string) => count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.downloaded' AND subject_id = $1`, [jobId]);
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  /** The superuser ages this person's openings (write-once for the application: its trigger is set aside for this change only). */
  const expireGrants = async (residentId: string) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`);
    await su.query(`UPDATE archive_access_grants SET granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE resident_id = $1`, [residentId]);
    await su.query('COMMIT');
  };
  const open = (agent: request.Agent, residentId: string) => agent.post(`/api/residents/${residentId}/archive-access`).send({ reason: 'Contentieux : pièce demandée par l’avocat' }).expect(201);
  /** Asks for a package as `agent` and runs it as the worker would. */
  const packaged = async (agent: request.Agent, body: Record<string, string>) => {
    const id = (await agent.post('/api/data-jobs/archive').send(body).expect(202)).body.id as string;
    const [{ id: outboxId }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [id])) as { id: string }[];
    await jobs.run(outboxId, id);
    expect((await agent.get(`/api/data-jobs/${id}`).expect(200)).body.status).toBe('done');
    return id;
  };
  const zip = (agent: request.Agent, url: string) =>
    agent
      .get(url)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    // No worker: the jobs are run by the test, as the worker would.
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    jobs = h.app.get(DataJobsService);
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await addUser(h.app, h.orgA.organisationId, 'archives-2@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    admin2 = await loginAgent(h.app, 'archives-2@a.test', TEST_PASSWORD);
    // In the intermediate archive: left on 1 January 2020, since 2 January 2022.
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { measure: 'curatelle', lastName: 'Partie' });
    Object.assign(gone, { id: made.residentId, doc: made.documentId });
    await archiveResident(ds, admin, gone.id);
  }, 120000);
  afterAll(async () => {
    await su?.end();
    await h?.close();
  });

  it('another records manager, with or without her own opening, cannot download the package one asked for: 403 DATA_JOB_NOT_YOURS, nothing audited', async () => {
    await open(admin, gone.id);
    const id = await packaged(admin, { scope: 'resident', id: gone.id });
    const refused = await admin2.get(`/api/data-jobs/${id}/download`);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'DATA_JOB_NOT_YOURS' });
    expect(refused.body.error.message).toMatch(/Seul le membre du personnel qui l’a demandé peut télécharger ce fichier/);
    // Her own opening of the archive does not make another's package hers: she asks for her own.
    await open(admin2, gone.id);
    expect((await admin2.get(`/api/data-jobs/${id}/download`)).status).toBe(403);
    // The console's link, the same.
    expect((await admin2.get(`/console/archives/${id}/telecharger`)).status).toBe(403);
    expect(await downloads(id)).toBe(0);
    const own = await zip(admin, `/api/data-jobs/${id}/download`);
    expect(own.status).toBe(200);
    expect((own.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect(await downloads(id)).toBe(1);
  });

  it('its requester, once her opening of the archive has ended: 403 ARCHIVE_INTERMEDIATE_RESTRICTED for the person’s, the document’s and the period’s package; opened again, 200', async () => {
    await open(admin, gone.id);
    const ids = [
      await packaged(admin, { scope: 'resident', id: gone.id }),
      await packaged(admin, { scope: 'document', id: gone.doc }),
      await packaged(admin, { scope: 'establishment', id: h.orgA.establishmentId, from: today(), to: today() }),
    ];
    for (const id of ids) expect((await zip(admin, `/api/data-jobs/${id}/download`)).status).toBe(200);
    await expireGrants(gone.id);
    for (const id of ids) {
      const before = await downloads(id);
      const refused = await admin.get(`/api/data-jobs/${id}/download`);
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' });
      expect(refused.body.error.message).toMatch(/archive intermédiaire/);
      expect((await admin.get(`/console/archives/${id}/telecharger`)).status).toBe(403);
      expect(await downloads(id)).toBe(before);
    }
    await open(admin, gone.id);
    for (const id of ids) {
      const before = await downloads(id);
      expect((await zip(admin, `/api/data-jobs/${id}/download`)).status).toBe(200);
      expect(await downloads(id)).toBe(before + 1);
    }
  });

  it('its requester, once she no longer sees the establishment: 404 as for an unknown one', async () => {
    const other = await addEstablishment(h.app, h.orgA.organisationId, 'Autre');
    const userId = await addUser(h.app, h.orgA.organisationId, 'archives-3@a.test', [
      { establishmentId: h.orgA.establishmentId, role: 'administrator' },
      { establishmentId: other, role: 'administrator' },
      { establishmentId: other, role: 'admissions' },
    ]);
    const admin3 = await loginAgent(h.app, 'archives-3@a.test', TEST_PASSWORD);
    const person = (await admin3.post('/api/residents').send({ ...curatelleResident(other), lastName: 'Ailleurs' }).expect(201)).body.id as string;
    const id = await packaged(admin3, { scope: 'resident', id: person });
    expect((await zip(admin3, `/api/data-jobs/${id}/download`)).status).toBe(200);
    await ds.query(`DELETE FROM staff_roles WHERE user_id = $1 AND establishment_id = $2`, [userId, other]);
    const again = await loginAgent(h.app, 'archives-3@a.test', TEST_PASSWORD);
    const refused = await again.get(`/api/data-jobs/${id}/download`);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 404, code: 'RESIDENT_NOT_FOUND' });
    expect(await downloads(id)).toBe(1);
  });
});
