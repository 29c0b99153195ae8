import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData as contractData_, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

// The contract's data for a person under curatelle, as generation-failure.spec.ts.
const contractData = () =>
  contractData_({
    participation: { person: { presence: 'present' }, others: [{ name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur, UDAF du Val', roleFalc: 'votre curateur', presence: 'present' }] },
  });

/**
 * A version whose stored data no longer pass the templates' input check — here a resident's name
 * stored before the rule that refuses the characters no PDF face draws (CHARACTER_NOT_PRINTABLE,
 * libs/common printable.ts) — fails for good (VALIDATION_FAILED). Its generationError names the
 * field in French with the check's own message and says what to do (correct the file, then
 * « Corriger »); `fields` gives the paths and codes. The name itself reaches neither the outbox's
 * error, nor the audit events.
 */
describe('a document whose stored data no longer pass the templates’ input check', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let agent: request.Agent;
  let admin: Client;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', JOB_BACKOFF_MS: '50' });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
    admin = new Client({ connectionString: h.db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await worker?.close();
    await h?.close();
  });

  it('is shown failed with the field, the reason and what to do; its paths and codes in generationError; no name in the outbox nor the audit', async () => {
    const residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    // No worker yet: the version waits while its stored data take the name as it was entered before the rule.
    const created = (await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body as { id: string; versionId: string };
    await admin.query(`UPDATE residents SET last_name = '李' WHERE id = $1`, [residentId]);
    // The version's data are immutable (a trigger): written as they were stored then, the trigger off for this session only.
    await admin.query(`SET session_replication_role = replica`);
    await admin.query(`UPDATE document_versions SET input = jsonb_set(input, '{resident,lastName}', '"李"') WHERE id = $1`, [created.versionId]);
    await admin.query(`SET session_replication_role = DEFAULT`);
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('the generation to fail', async () => (await agent.get(`/api/documents/${created.id}`)).body.status === 'generation_failed', 30000);

    const doc = (await agent.get(`/api/documents/${created.id}`).expect(200)).body;
    expect(doc.versions[0]).toMatchObject({ status: 'failed', errorCode: 'VALIDATION_FAILED' });
    expect(doc.generationError).toMatchObject({
      code: 'VALIDATION_FAILED',
      retryable: false,
      fields: [{ field: 'resident.lastName', code: 'CHARACTER_NOT_PRINTABLE', label: 'Dossier de la personne › Nom', message: expect.stringMatching(/^Les documents ne peuvent pas imprimer ce caractère/) }],
    });
    const message: string = doc.generationError.message;
    expect(message).toContain('Dossier de la personne › Nom : Les documents ne peuvent pas imprimer ce caractère');
    expect(message).toContain('Corrigez d’abord le dossier de la personne, puis cliquez sur « Corriger »');
    expect(message).not.toContain('(code VALIDATION_FAILED)');
    // The list says the same.
    const listed = (await agent.get(`/api/documents?residentId=${residentId}`).expect(200)).body.find((d: { id: string }) => d.id === created.id);
    expect(listed.generationError).toEqual(doc.generationError);
    // Nothing to retry: the data must be corrected.
    expect((await agent.post(`/api/documents/${created.id}/retry-generation`)).body.error.code).toBe('DOCUMENT_GENERATION_NOT_RETRYABLE');

    // The outbox's error and the audit events carry codes, never the name.
    const [row] = (await ds.query(`SELECT last_error FROM outbox WHERE job_name = 'documents.render' AND payload->>'versionId' = $1`, [created.versionId])) as { last_error: string }[];
    expect(row.last_error).toContain('VALIDATION_FAILED');
    expect(row.last_error).not.toContain('李');
    const events = (await ds.query(`SELECT action, payload::text AS payload FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [created.versionId])) as { action: string; payload: string }[];
    expect(events.map((e) => e.action)).toEqual(['document_version.requested', 'document_version.failed']);
    expect(events.some((e) => e.payload.includes('李') || e.payload.includes('674E'))).toBe(false);

    // Corrected file, « Corriger »: a new version, generated.
    await admin.query(`UPDATE residents SET last_name = 'Li' WHERE id = $1`, [residentId]);
    const fixed = await agent.post(`/api/documents/${created.id}/versions`).send({ reason: 'Nom transcrit en caractères latins', data: contractData() });
    expect(fixed.status).toBe(202);
    await waitUntil('the corrected version to be generated', async () => (await agent.get(`/api/documents/${created.id}`)).body.status === 'ready', 30000);
    expect((await agent.get(`/api/documents/${created.id}`).expect(200)).body.generationError).toBeNull();
  });
});
