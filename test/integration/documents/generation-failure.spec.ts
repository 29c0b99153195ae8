import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData as contractData_, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

// The contract's data in the shape of its current template (1.1.0), from the shared factory.
const contractData = contractData_({
  participation: { person: { presence: 'present' }, others: [{ name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur, UDAF du Val', roleFalc: 'votre curateur', presence: 'present' }] },
});

/**
 * Issue 7: a document whose generation failed for good is shown to staff as such, with its error
 * code and a French message, and may be retried; it never stays "generating".
 */
describe('a document whose generation finally failed', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let agent: request.Agent;
  let admin: Client;
  let ds: DataSource;
  let residentId: string;

  beforeAll(async () => {
    // Short backoff: the 5 attempts of a render job are spent in about a second.
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', JOB_BACKOFF_MS: '50' });
    worker = await startWorker(h.db.config, { probe: false });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id;
    ds = h.app.get(DataSource);
    admin = new Client({ connectionString: h.db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await worker?.close();
    await h?.close();
  });

  it('is shown as failed with its code and French message; a retry (audited, once) generates it', async () => {
    // Storage refuses the renditions (not an outage: every attempt fails, then the job gives up).
    await admin.query(`REVOKE INSERT ON renditions FROM carepact_app`);
    let created: { id: string; versionId: string };
    try {
      created = (await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(202)).body;
      await waitUntil('the generation to fail for good', async () => (await agent.get(`/api/documents/${created.id}`)).body.status === 'generation_failed', 30000);
    } finally {
      await admin.query(`GRANT INSERT ON renditions TO carepact_app`);
    }
    const doc = (await agent.get(`/api/documents/${created.id}`).expect(200)).body;
    const expected = {
      code: 'GENERATION_RETRIES_EXHAUSTED',
      message: expect.stringMatching(/^La génération du document a échoué malgré plusieurs tentatives/),
      retryable: true,
    };
    expect(doc.generationError).toEqual(expected);
    expect(doc.versions[0]).toMatchObject({ status: 'pending', errorCode: 'GENERATION_RETRIES_EXHAUSTED', error: expected });
    const listed = (await agent.get(`/api/documents?residentId=${residentId}`).expect(200)).body.find((d: { id: string }) => d.id === created.id);
    expect(listed).toMatchObject({ status: 'generation_failed', generationError: expected });
    const [row] = (await ds.query(`SELECT failed_at, last_error FROM outbox WHERE job_name = 'documents.render' AND payload->>'versionId' = $1`, [created.versionId])) as {
      failed_at: Date | null;
      last_error: string;
    }[];
    expect(row.failed_at).not.toBeNull();
    expect(row.last_error).toContain('permission denied');

    // An auditor may read but not retry; another organisation does not see the document.
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    await auditor.post(`/api/documents/${created.id}/retry-generation`).expect(403);
    const other = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    await other.post(`/api/documents/${created.id}/retry-generation`).expect(404);

    const retried = await agent.post(`/api/documents/${created.id}/retry-generation`).expect(202);
    expect(retried.body).toEqual({ id: created.id, versionId: created.versionId, status: 'generating' });
    await waitUntil('the retried generation to finish', async () => (await agent.get(`/api/documents/${created.id}`)).body.status === 'ready', 30000);
    const ready = (await agent.get(`/api/documents/${created.id}`).expect(200)).body;
    expect(ready.generationError).toBeNull();
    expect(ready.versions).toHaveLength(1);
    expect(ready.versions[0]).toMatchObject({ status: 'ready', errorCode: null, error: null });
    expect(ready.versions[0].renditions).toHaveLength(9);

    // Nothing left to retry: 409 with its code.
    const again = await agent.post(`/api/documents/${created.id}/retry-generation`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DOCUMENT_GENERATION_NOT_FAILED');

    const docActions = ((await ds.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [created.id])) as { action: string }[]).map((r) => r.action);
    expect(docActions.filter((a) => a === 'document.generation_retried')).toHaveLength(1);
    const versionActions = ((await ds.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [created.versionId])) as { action: string }[]).map((r) => r.action);
    expect(versionActions).toEqual(['document_version.requested', 'document_version.failed', 'document_version.generated']);
  });

  it('a document that is generating or ready cannot be retried (409 DOCUMENT_GENERATION_NOT_FAILED)', async () => {
    const created = (await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(202)).body;
    const res = await agent.post(`/api/documents/${created.id}/retry-generation`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DOCUMENT_GENERATION_NOT_FAILED');
    expect(res.body.error.message).toBe('La génération de ce document n’a pas échoué : il n’y a rien à relancer.');
  });
});
