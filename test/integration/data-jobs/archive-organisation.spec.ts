import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ArchiveExporter } from '@carepact/archive';
import { TransactionRunner } from '@carepact/database';
import { OutboxService, PermanentJobError } from '@carepact/queue';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { addEstablishment, addUser, ApiHarness, startApiHarness } from '../api/api-harness';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * An archive package of another organisation's data (security review): refused when asked (404,
 * the same as an unknown id, nothing recorded, queued or audited), and refused again by the
 * exporter itself for a job whose organisation is not the subject's, before any file is written
 * or any event appended, for good (PermanentJobError, as an unknown id) — never retried, never
 * an `archive.exported` on the other organisation's chain.
 */
describe('archive packages stay within the organisation', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let exportsDir: string;
  let adminA: request.Agent;
  let adminB: request.Agent;
  /** Organisation A's subjects. */
  const a = { residentId: '', documentId: '', establishmentId: '' };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const exported = () => count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.exported'`);
  const bodies = () => ({
    document: { scope: 'document', id: a.documentId },
    resident: { scope: 'resident', id: a.residentId },
    establishment: { scope: 'establishment', id: a.establishmentId, from: '2020-01-01', to: '2030-12-31' },
  });
  const expected = {
    document: { code: 'DOCUMENT_NOT_FOUND', message: 'Document introuvable.' },
    resident: { code: 'RESIDENT_NOT_FOUND', message: 'Personne introuvable.' },
    establishment: { code: 'ESTABLISHMENT_NOT_FOUND', message: 'Établissement introuvable.' },
  } as const;

  beforeAll(async () => {
    exportsDir = mkdtempSync(join(tmpdir(), 'carepact-exports-'));
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: exportsDir });
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    a.establishmentId = h.orgA.establishmentId;
    a.residentId = (await admissions.post('/api/residents').send(curatelleResident(a.establishmentId)).expect(201)).body.id as string;
    a.documentId = (await admissions.post('/api/documents').send({ residentId: a.residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${a.documentId}`)).body.status === 'ready', 90000);
    adminA = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    adminB = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
  }, 180000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('another organisation’s administrator asking for a package of A’s document, person or establishment: 404 as an unknown id, nothing recorded, queued or audited, no zip', async () => {
    const jobsBefore = await count(`SELECT count(*) AS n FROM data_jobs`);
    const outboxBefore = await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run'`);
    const eventsBefore = await count(`SELECT count(*) AS n FROM audit_events`);
    for (const [scope, body] of Object.entries(bodies()) as [keyof typeof expected, Record<string, string>][]) {
      const foreign = await adminB.post('/api/data-jobs/archive').send(body);
      expect({ scope, status: foreign.status, error: foreign.body.error }).toEqual({ scope, status: 404, error: expect.objectContaining(expected[scope]) });
      // An unknown id answers exactly the same: the answer says nothing of A's data.
      const unknown = await adminB.post('/api/data-jobs/archive').send({ ...body, id: UNKNOWN });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(foreign.body);
    }
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(jobsBefore);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run'`)).toBe(outboxBefore);
    expect(await count(`SELECT count(*) AS n FROM audit_events`)).toBe(eventsBefore);
    expect(await exported()).toBe(0);
    expect(readdirSync(exportsDir)).toEqual([]);
  });

  it('the console’s form: the same 404, the French error on the page, nothing requested', async () => {
    const csrf = csrfOf((await adminB.get('/console/archives').expect(200)).text);
    const res = await adminB.post('/console/archives/export').type('form').send({ _csrf: csrf, scope: 'document', documentId: a.documentId });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Document introuvable.');
    expect(res.text).toContain('error-summary');
    expect(res.text).toContain('href="#documentId"');
    const unknown = await adminB.post('/console/archives/export').type('form').send({ _csrf: csrf, scope: 'document', documentId: UNKNOWN });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Document introuvable.');
    const person = await adminB.post('/console/archives/export').type('form').send({ _csrf: csrf, scope: 'resident', residentId: a.residentId });
    expect(person.status).toBe(404);
    expect(person.text).toContain('Personne introuvable.');
    expect(await count(`SELECT count(*) AS n FROM data_jobs WHERE organisation_id = $1`, [h.orgB.organisationId])).toBe(0);
    expect(await exported()).toBe(0);
    expect(readdirSync(exportsDir)).toEqual([]);
  });

  it('within the organisation, an administrator of another establishment only does not see this one’s document or person: 404', async () => {
    const other = await addEstablishment(h.app, h.orgA.organisationId, 'autre');
    await addUser(h.app, h.orgA.organisationId, 'admin.autre@example.test', [{ establishmentId: other, role: 'administrator' }]);
    const adminOther = await loginAgent(h.app, 'admin.autre@example.test', TEST_PASSWORD);
    for (const [scope, body] of Object.entries(bodies()) as [keyof typeof expected, Record<string, string>][]) {
      const res = await adminOther.post('/api/data-jobs/archive').send(body);
      expect({ scope, status: res.status, code: res.body.error?.code }).toEqual({ scope, status: 404, code: expected[scope].code });
    }
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(0);
    expect(await exported()).toBe(0);
  });

  it('the worker: a job of B naming A’s subject fails for good as an unknown id does, before writing a zip or appending anything', async () => {
    const adminBActor = `staff:${h.orgB.users.administrator.id}`;
    const forge = async (params: Record<string, string>) =>
      h.app.get(TransactionRunner).run(async (em) => {
        const [row] = (await em.query(
          `INSERT INTO data_jobs (organisation_id, kind, params, status, requested_by, created_at) VALUES ($1, 'archive_export', $2, 'queued', $3, now()) RETURNING id`,
          [h.orgB.organisationId, JSON.stringify({ kind: 'archive_export', ...params }), adminBActor],
        )) as { id: string }[];
        await h.app.get(OutboxService).enqueue(em, 'data.run', { dataJobId: row.id }, { key: row.id, organisationId: h.orgB.organisationId });
        return row.id;
      });
    // Read from the table: the API does not show B a job about an establishment B does not see (data-job-api-view.ts).
    const row = async (id: string) =>
      ((await ds.query(`SELECT status, error, result_sha256 AS "resultSha256" FROM data_jobs WHERE id = $1`, [id])) as { status: string; error: string | null; resultSha256: string | null }[])[0];
    const finished = async (id: string) => {
      await waitUntil(`data job ${id}`, async () => ['done', 'failed'].includes((await row(id)).status), 60000);
      return row(id);
    };
    const chainA = await count(`SELECT count(*) AS n FROM audit_events WHERE chain_id = $1`, [h.orgA.organisationId]);
    const b = bodies();
    const period = { from: new Date('2020-01-01').toISOString(), to: new Date('2031-01-01').toISOString() };
    for (const [scope, params] of [
      ['document', b.document],
      ['resident', b.resident],
      ['establishment', { ...b.establishment, ...period }],
    ] as [keyof typeof expected, Record<string, string>][]) {
      const foreign = await finished(await forge(params));
      const unknown = await finished(await forge({ ...params, id: UNKNOWN }));
      expect({ scope, ...foreign }).toMatchObject({ scope, status: 'failed', error: `${expected[scope].code}: ${expected[scope].message}`, resultSha256: null });
      expect(unknown).toMatchObject({ status: foreign.status, error: foreign.error, resultSha256: null });
    }
    // Failed at the first attempt (a permanent error), each one recorded on its outbox row.
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run' AND failed_at IS NOT NULL`)).toBe(6);
    expect(await exported()).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE chain_id = $1`, [h.orgA.organisationId])).toBe(chainA);
    expect(readdirSync(exportsDir)).toEqual([]);
  }, 120000);

  it('the exporter itself: called with another organisation, it throws the permanent error of an unknown id; no file, nothing appended', async () => {
    const exporter = h.app.get(ArchiveExporter);
    const dir = mkdtempSync(join(tmpdir(), 'carepact-archive-guard-'));
    const actor = { type: 'staff' as const, id: h.orgB.users.administrator.id };
    const eventsBefore = await count(`SELECT count(*) AS n FROM audit_events`);
    const checkpointsBefore = await count(`SELECT count(*) AS n FROM audit_platform_checkpoints`);
    const scopes = [
      { kind: 'document' as const, id: a.documentId },
      { kind: 'resident' as const, id: a.residentId },
      { kind: 'establishment' as const, id: a.establishmentId, from: new Date('2020-01-01'), to: new Date('2031-01-01') },
    ];
    for (const scope of scopes) {
      const out = join(dir, `${scope.kind}.zip`);
      const error = await exporter.export(scope, out, undefined, actor, h.orgB.organisationId).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentJobError);
      expect(error).toMatchObject({ code: expected[scope.kind].code, message: expected[scope.kind].message });
      expect(existsSync(out)).toBe(false);
      const unknown = await exporter.export({ ...scope, id: UNKNOWN }, join(dir, 'unknown.zip'), undefined, actor, h.orgB.organisationId).then(
        () => null,
        (e: unknown) => e,
      );
      expect(unknown).toBeInstanceOf(PermanentJobError);
      expect(unknown).toMatchObject({ code: (error as PermanentJobError).code, message: (error as PermanentJobError).message });
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM audit_events`)).toBe(eventsBefore);
    expect(await count(`SELECT count(*) AS n FROM audit_platform_checkpoints`)).toBe(checkpointsBefore);
    expect(await exported()).toBe(0);
  });

  it('the organisation’s own administrator still gets A’s document package, audited on A’s chain only', async () => {
    const job = (await adminA.post('/api/data-jobs/archive').send(bodies().document).expect(202)).body as { id: string };
    await waitUntil('the package', async () => ['done', 'failed'].includes((await adminA.get(`/api/data-jobs/${job.id}`)).body.status), 90000);
    expect((await adminA.get(`/api/data-jobs/${job.id}`)).body).toMatchObject({ status: 'done', error: null });
    expect(
      (await ds.query(`SELECT chain_id, actor_id, subject_id FROM audit_events WHERE action = 'archive.exported'`)) as { chain_id: string; actor_id: string; subject_id: string }[],
    ).toEqual([{ chain_id: h.orgA.organisationId, actor_id: h.orgA.users.administrator.id, subject_id: a.documentId }]);
    expect(readdirSync(exportsDir)).toEqual([`${job.id}.zip`]);
  }, 120000);

  it('an access request (RGPD art. 15) for another organisation’s person: 404 as an unknown id, nothing recorded, queued or audited', async () => {
    const jobsBefore = await count(`SELECT count(*) AS n FROM data_jobs`);
    const eventsBefore = await count(`SELECT count(*) AS n FROM audit_events`);
    const foreign = await adminB.post('/api/data-jobs/access-request').send({ residentId: a.residentId });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject(expected.resident);
    const unknown = await adminB.post('/api/data-jobs/access-request').send({ residentId: UNKNOWN });
    expect(unknown.body).toEqual(foreign.body);
    expect(await count(`SELECT count(*) AS n FROM data_jobs`)).toBe(jobsBefore);
    expect(await count(`SELECT count(*) AS n FROM audit_events`)).toBe(eventsBefore);
    // A's own administrator asks for it as before.
    expect((await adminA.post('/api/data-jobs/access-request').send({ residentId: a.residentId })).status).toBe(202);
  });
});
