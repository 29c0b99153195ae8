import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { AuditVerifier } from '@carepact/audit';
import { PermanentJobError } from '@carepact/queue';
import { ARCHIVED_ADMISSION_DATE, TEST_PASSWORD, archiveResident, curatelleResident, loginAgent, residentWithContract } from '@carepact/testing';
import { addUser, ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * An archive package is checked when it is asked for, and again when the worker runs it (CNIL délib.
 * n° 2021-028 and n° 2023-095, RGPD art. 5.1.e and 32): if, in between, the requester's opening of
 * the person's archive ended, or the person passed into the intermediate archive, the job fails for
 * good (PermanentJobError ARCHIVE_INTERMEDIATE_RESTRICTED, a French reason on the job), with a
 * `data_job.refused` audit event, and nothing is written: no zip, no `archive.exported`.
 * The worker's handler (DataJobsService.run) is called here as the worker calls it, on PostgreSQL.
 */
describe('an archive package re-checked against the intermediate archive when it runs', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let su: Client;
  let jobs: DataJobsService;
  let exportsDir: string;
  let admin: request.Agent;
  let admissions: request.Agent;
  const gone = { id: '', doc: '' };
  const recent = { id: '', doc: '' };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const outboxOf = async (jobId: string) => ((await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [jobId])) as { id: string }[])[0].id;
  const jobRow = async (jobId: string) =>
    ((await ds.query(`SELECT status, error, result_file, finished_at FROM data_jobs WHERE id = $1`, [jobId])) as { status: string; error: string | null; result_file: string | null; finished_at: Date | null }[])[0];
  /** The superuser ages a grant (write-once for the application: its trigger is set aside for this change only). */
  const expireGrants = async (residentId: string) => {
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`);
    await su.query(`UPDATE archive_access_grants SET granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE resident_id = $1`, [residentId]);
    await su.query('COMMIT');
  };
  const ask = async (body: Record<string, string>) => (await admin.post('/api/data-jobs/archive').send(body).expect(202)).body.id as string;
  const runRefused = async (jobId: string) => {
    const outboxId = await outboxOf(jobId);
    const error = await jobs.run(outboxId, jobId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).code).toBe('ARCHIVE_INTERMEDIATE_RESTRICTED');
  };

  beforeAll(async () => {
    exportsDir = mkdtempSync(join(tmpdir(), 'carepact-exports-'));
    // No worker: the jobs wait in the queue until this test runs them, as the worker would.
    h = await startApiHarness({ EXPORTS_DIR: exportsDir });
    ds = h.app.get(DataSource);
    jobs = h.app.get(DataJobsService);
    su = new Client({ connectionString: h.db.url });
    await su.connect();
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    for (const [target, lastName] of [[gone, 'Partie'], [recent, 'Récente']] as const) {
      const made = await residentWithContract(admissions, h.orgA.establishmentId, { measure: 'curatelle', lastName });
      Object.assign(target, { id: made.residentId, doc: made.documentId });
      await ds.query(`UPDATE residents SET admission_date = $2 WHERE id = $1`, [target.id, ARCHIVED_ADMISSION_DATE]);
    }
    // In the intermediate archive: left on 1 January 2020, since 2 January 2022.
    await archiveResident(ds, admin, gone.id);
  }, 120000);
  afterAll(async () => {
    await su?.end();
    await h?.close();
  });

  it('the opening ended between the request and the run: the job fails with the code and a French reason, audited, no zip, nothing exported', async () => {
    await admin.post(`/api/residents/${gone.id}/archive-access`).send({ reason: 'Contentieux : demande du tribunal' }).expect(201);
    const ids = [await ask({ scope: 'resident', id: gone.id }), await ask({ scope: 'document', id: gone.doc })];
    await expireGrants(gone.id);
    for (const id of ids) {
      await runRefused(id);
      const row = await jobRow(id);
      expect(row).toMatchObject({ status: 'failed', result_file: null });
      expect(row.finished_at).not.toBeNull();
      expect(row.error).toMatch(/^ARCHIVE_INTERMEDIATE_RESTRICTED: Export non réalisé : .*archive intermédiaire n’était plus ouverte.*depuis le 02\/01\/2022/);
      const events = (await ds.query(`SELECT actor_type, actor_id, subject_type, subject_id, payload FROM audit_events WHERE action = 'data_job.refused' AND payload->>'jobId' = $1`, [id])) as Record<string, unknown>[];
      expect(events).toEqual([
        expect.objectContaining({ actor_type: 'staff', actor_id: h.orgA.users.administrator.id, payload: { jobId: id, kind: 'archive_export', code: 'ARCHIVE_INTERMEDIATE_RESTRICTED' } }),
      ]);
      // Run again (a redelivery): the failed job is not run, nothing more recorded.
      await jobs.run(await outboxOf(id), id);
      expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.refused' AND payload->>'jobId' = $1`, [id])).toBe(1);
    }
    expect(readdirSync(exportsDir)).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported'`)).toBe(0);
    expect((await h.app.get(AuditVerifier).verifyAll(ds.manager)).ok).toBe(true);
  });

  it('the person passed into the intermediate archive between the request and the run: refused the same way', async () => {
    const id = await ask({ scope: 'document', id: recent.doc });
    // Her accompaniment ended long ago (recorded late): past the active base when the job runs.
    await ds.query(`UPDATE residents SET departed_on = '2020-01-01' WHERE id = $1`, [recent.id]);
    await runRefused(id);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', result_file: null });
    expect(readdirSync(exportsDir)).toEqual([]);
  });

  it('with the archive still open when it runs, the package is written', async () => {
    await admin.post(`/api/residents/${gone.id}/archive-access`).send({ reason: 'Contentieux : pièce demandée par l’avocat' }).expect(201);
    const id = await ask({ scope: 'resident', id: gone.id });
    await jobs.run(await outboxOf(id), id);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'done', error: null });
    expect(existsSync(row.result_file!)).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported' AND subject_id = $1`, [gone.id])).toBe(1);
  });

  it('the person’s own access request (RGPD art. 15) is not refused and its event says the archive’s content was included, on that ground', async () => {
    const accompanied = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Présente' }).expect(201)).body.id as string;
    // Asked by a records manager who never opened her archive: her right does not depend on it.
    await addUser(h.app, h.orgA.organisationId, 'archives-2@a.test', [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }]);
    const other = await loginAgent(h.app, 'archives-2@a.test', TEST_PASSWORD);
    const payloads: Record<string, unknown>[] = [];
    for (const residentId of [gone.id, accompanied]) {
      // The request answered, as received (required for a person in the archive where the API asks for it).
      const request = { from: 'person', receivedOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date()), statement: 'Courrier de Mme Partie demandant copie de son dossier' };
      const jobId = (await other.post('/api/data-jobs/access-request').send({ residentId, request }).expect(202)).body.id as string;
      await jobs.run(await outboxOf(jobId), jobId);
      expect(await jobRow(jobId)).toMatchObject({ status: 'done', error: null });
      const [event] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'rgpd.access_exported' AND subject_id = $1`, [residentId])) as { payload: Record<string, unknown> }[];
      payloads.push(event.payload);
    }
    expect(payloads[0]).toMatchObject({ documents: 1, intermediateArchiveSince: '2022-01-02', archiveContentIncludedFor: 'RGPD art. 15' });
    expect(payloads[1]).toMatchObject({ documents: 0, intermediateArchiveSince: null, archiveContentIncludedFor: null });
  });
});
