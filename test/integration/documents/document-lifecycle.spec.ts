import request from 'supertest';
import { DataSource } from 'typeorm';
import { isDomainError } from '@carepact/common';
import { DocumentLifecycle } from '@carepact/documents';
import { TEST_PASSWORD, contractData as contractData_, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const contractData = contractData_({ objectives: ['Permettre à M. Dupont de vivre en sécurité tout en gardant ses habitudes de promenade quotidienne.'] });

/** documents.status has one writer, which refuses a move its transition table does not list (real PostgreSQL). */
describe('document lifecycle in the database', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let lifecycle: DocumentLifecycle;
  let agent: request.Agent;
  let residentId: string;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    lifecycle = h.app.get(DocumentLifecycle);
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const statusOf = async (id: string) => ((await ds.query(`SELECT status FROM documents WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const codeOf = async (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => (isDomainError(e) ? e.code : String(e)),
    );

  it('moves only along the table; an illegal move throws DOCUMENT_TRANSITION_INVALID and changes nothing', async () => {
    // No worker here: the document stays 'generating' until the test moves it.
    const created = (
      await agent
        .post('/api/documents')
        .send({ residentId, type: 'contrat-sejour', data: contractData })
        .expect(202)
    ).body as { id: string; versionId: string };
    expect(await statusOf(created.id)).toBe('generating');

    expect(await codeOf(ds.transaction((em) => lifecycle.markSigned(em, created.id)))).toBe('DOCUMENT_TRANSITION_INVALID');
    expect(await codeOf(ds.transaction((em) => lifecycle.markInSignature(em, created.id)))).toBe('DOCUMENT_TRANSITION_INVALID');
    expect(await statusOf(created.id)).toBe('generating');

    // The generator's move applies only to the current version: another version is no move.
    expect(await ds.transaction((em) => lifecycle.markGenerated(em, created.id, '00000000-0000-4000-8000-000000000000'))).toBe(false);
    expect(await statusOf(created.id)).toBe('generating');
    expect(await ds.transaction((em) => lifecycle.markGenerated(em, created.id, created.versionId))).toBe(true);
    expect(await statusOf(created.id)).toBe('ready');

    await ds.transaction((em) => lifecycle.markInSignature(em, created.id));
    expect(await statusOf(created.id)).toBe('in_signature');
    expect(await codeOf(ds.transaction((em) => lifecycle.markInSignature(em, created.id)))).toBe('DOCUMENT_TRANSITION_INVALID');
    await ds.transaction((em) => lifecycle.markSigned(em, created.id));
    expect(await statusOf(created.id)).toBe('signed');
    // CASF L.311-4: a signed document changes only by an avenant, never back to signature or generation.
    for (const move of [lifecycle.markReady, lifecycle.markRefused, lifecycle.markInSignature])
      expect(await codeOf(ds.transaction((em) => move.call(lifecycle, em, created.id)))).toBe('DOCUMENT_TRANSITION_INVALID');
    expect(await codeOf(ds.transaction((em) => lifecycle.markGenerating(em, created.id, created.versionId)))).toBe('DOCUMENT_TRANSITION_INVALID');
    expect(await statusOf(created.id)).toBe('signed');
  });
});
