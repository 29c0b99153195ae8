import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, archiveResident, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * An access request (RGPD art. 15) answered for a person in the intermediate archive records the
 * request it answers on its job (`data_jobs.params.request`: who asked, when, the request as
 * received), the audit chain its SHA-256 only. When the person's file is purged at the end of its
 * retention, that statement goes with it: the job keeps the SHA-256 the chain refers to, nothing
 * else (RGPD art. 5.1.e and 17). Jobs left by purges made before this rule are redacted by the next
 * purge; a person still kept keeps hers. The worker's handler (DataJobsService.run) is called here
 * as the worker calls it.
 */
describe('purge: an access request’s statement does not outlive the person', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let jobs: DataJobsService;
  let admin: request.Agent;
  let admissions: request.Agent;
  const gone = { id: '', job: '' };
  const kept = { id: '', job: '' };
  const STATEMENT = 'Courrier recommandé de sa fille, tutrice, réf. AR 1A 999 001 : copie de tout son dossier';
  const KEPT_STATEMENT = 'Demande de la personne en main propre : copie de son contrat';
  const EARLIER_STATEMENT = 'Courriel du fils reçu le 3 mars : copie du projet personnalisé';
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const run = async (jobId: string) => {
    const [{ id: outboxId }] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1`, [jobId])) as { id: string }[];
    await jobs.run(outboxId, jobId);
    expect((await admin.get(`/api/data-jobs/${jobId}`).expect(200)).body.status).toBe('done');
  };
  const paramsOf = async (jobId: string) => ((await ds.query(`SELECT params FROM data_jobs WHERE id = $1`, [jobId])) as { params: { request?: Record<string, unknown> } }[])[0].params;

  beforeAll(async () => {
    // No worker: the jobs are run by the test, as the worker would.
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    jobs = h.app.get(DataJobsService);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    for (const [target, lastName, departedOn, statement] of [
      [gone, 'Purgée', '2020-01-01', STATEMENT],
      [kept, 'Gardée', '2024-06-30', KEPT_STATEMENT],
    ] as const) {
      target.id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
      // Left on 1 January 2020 (retention: 5 years, past) / on 30 June 2024 (in the intermediate archive, still kept).
      await archiveResident(ds, admin, target.id, departedOn);
      target.job = (await admin.post('/api/data-jobs/access-request').send({ residentId: target.id, request: { from: 'representative', receivedOn: '2026-11-20', statement } }).expect(202)).body
        .id as string;
      await run(target.job);
    }
    // Answered: the zip handed to her (downloaded by whoever asked); a request still open would keep her from the purge (RetentionService.plan).
    await admin.get(`/api/data-jobs/${gone.job}/download`).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('after the purge no data_jobs row holds the statement, who asked or when; the job keeps the SHA-256 the chain refers to; a kept person’s request stays whole', async () => {
    expect((await paramsOf(gone.job)).request).toMatchObject({ statement: STATEMENT, from: 'representative' });
    // A job left by a purge made before this rule: its person is gone already, its statement is not.
    const earlier = randomUUID();
    const [{ id: earlierJob }] = (await ds.query(
      `INSERT INTO data_jobs (organisation_id, kind, params, status, requested_by, created_at, finished_at, answer)
       VALUES ($1, 'access_request', $2, 'done', 'staff:test', now() - interval '200 days', now() - interval '200 days', $3) RETURNING id`,
      [
        h.orgA.organisationId,
        JSON.stringify({ kind: 'access_request', residentId: earlier, request: { from: 'representative', receivedOn: '2026-03-03', answerDue: '2026-04-03', statement: EARLIER_STATEMENT } }),
        // A refusal's staff texts (access-answer.ts) go with the person too; its state stays.
        JSON.stringify({ state: 'refused', refusal: { reason: 'other', explanation: `Refus : ${EARLIER_STATEMENT}`, letter: `Lettre : ${EARLIER_STATEMENT}`, recordedAt: '2026-03-04T10:00:00Z', recordedBy: 'staff:test' } }),
      ],
    )) as { id: string }[];

    const report = (await admin.post('/api/retention/purge-reports').expect(201)).body as { id: string; report: { residents: { id: string }[] } };
    expect(report.report.residents.map((r) => r.id)).toContain(gone.id);
    expect(report.report.residents.map((r) => r.id)).not.toContain(kept.id);
    await run((await admin.post(`/api/retention/purge-reports/${report.id}/run`).expect(202)).body.id as string);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM residents WHERE id = $1`, [gone.id]))[0].n)).toBe(0);

    // Nothing of the statements of persons no longer kept, anywhere in the table.
    for (const text of [STATEMENT, EARLIER_STATEMENT, 'AR 1A 999 001'])
      expect(
        Number((await ds.query(`SELECT count(*) AS n FROM data_jobs WHERE params::text LIKE $1 OR coalesce(report::text, '') LIKE $1 OR coalesce(error, '') LIKE $1 OR coalesce(answer::text, '') LIKE $1`, [`%${text}%`]))[0].n),
      ).toBe(0);
    expect(((await ds.query(`SELECT answer FROM data_jobs WHERE id = $1`, [earlierJob])) as { answer: unknown }[])[0].answer).toEqual({ state: 'refused', redacted: 'purge' });
    expect((await paramsOf(gone.job)).request).toEqual({ statementSha256: sha(STATEMENT), redacted: 'purge' });
    expect((await paramsOf(earlierJob)).request).toEqual({ statementSha256: sha(EARLIER_STATEMENT), redacted: 'purge' });
    // The SHA-256 the audit chain keeps is the one the job keeps.
    const [requested] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [gone.job])) as { payload: Record<string, string> }[];
    expect(requested.payload.requestStatementSha256).toBe(sha(STATEMENT));
    // Each redaction is a state change in the chain: one data_job.request_redacted per job, with the SHA-256 only.
    const redacted = (await ds.query(`SELECT subject_id, payload FROM audit_events WHERE action = 'data_job.request_redacted' ORDER BY subject_id`)) as { subject_id: string; payload: Record<string, string> }[];
    expect(redacted.map((e) => e.subject_id).sort()).toEqual([gone.job, earlierJob].sort());
    expect(redacted.find((e) => e.subject_id === gone.job)!.payload).toMatchObject({ statementSha256: sha(STATEMENT), reason: 'purge', residentId: gone.id });
    expect(JSON.stringify(redacted)).not.toContain(STATEMENT);
    // The person still kept: her request stays as recorded (the proof her right was answered).
    expect((await paramsOf(kept.job)).request).toEqual({ from: 'representative', receivedOn: '2026-11-20', answerDue: '2026-12-20', statement: KEPT_STATEMENT });
    // The job's view and list still answer.
    expect((await admin.get(`/api/data-jobs/${gone.job}`).expect(200)).body.params.request).toEqual({ statementSha256: sha(STATEMENT), redacted: 'purge' });
  });
});
