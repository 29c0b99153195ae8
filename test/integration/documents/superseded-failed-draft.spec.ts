import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A failed draft contrat de séjour whose stay has a signed contract: retry-generation answers 409
 * CONTRACT_ALREADY_IN_FORCE (one contract per stay, CASF L.311-4, D.311), and so does a new version.
 * Its generationError says the same — `retryable: false`, with the French reason — in the document's
 * reading and in the list, as a deceased person's draft's does. The documents are written in SQL, as
 * superseded-contract.spec.ts.
 */
describe('the generation error of a superseded draft contract', () => {
  let h: ApiHarness;
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const agent = () => loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  const resident = async (firstName: string, lastName: string) => {
    const res = await (await agent()).post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName, lastName, email: null });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const contract = async (residentId: string, status: string, version: { status: string; errorCode: string | null } = { status: 'ready', errorCode: null }) => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', $4, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId, status],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, error_code, created_at)
       VALUES ($1, $2, 1, 'Création', $3, 'contrat-sejour', '1.2.0', 'h', 'r', '{"document":{}}', $4, $5, now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, version.status, `hash-${doc.id}`, version.errorCode],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    return doc.id;
  };

  let exhausted: string;
  let invalid: string;
  let alone: string;
  let jeanne: string;

  beforeAll(async () => {
    h = await startApiHarness();
    jeanne = await resident('Jeanne', 'Martin');
    await contract(jeanne, 'signed');
    // Every attempt met an error: retryable, were it not for the signed contract.
    exhausted = await contract(jeanne, 'generation_failed', { status: 'pending', errorCode: 'GENERATION_RETRIES_EXHAUSTED' });
    // Its data refused: « Corriger » would be the way out, were it not for the signed contract.
    invalid = await contract(jeanne, 'generation_failed', { status: 'failed', errorCode: 'VALIDATION_FAILED' });
    const paul = await resident('Paul', 'Durand');
    alone = await contract(paul, 'generation_failed', { status: 'pending', errorCode: 'GENERATION_RETRIES_EXHAUSTED' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('retryable: false with the French reason, as retry-generation answers 409 CONTRACT_ALREADY_IN_FORCE; a contract alone in its stay stays retryable', async () => {
    const admissions = await agent();
    const expected = {
      code: 'GENERATION_RETRIES_EXHAUSTED',
      message: expect.stringMatching(/^La génération du document a échoué ; elle ne peut plus être relancée ni le projet corrigé : Un contrat de séjour est déjà signé .*CASF L\.311-4, D\.311.* Le projet peut être abandonné\.$/),
      retryable: false,
    };
    const doc = (await admissions.get(`/api/documents/${exhausted}`).expect(200)).body;
    expect(doc.generationError).toEqual(expected);
    const list = (await admissions.get(`/api/documents?residentId=${jeanne}`).expect(200)).body as { id: string; generationError: unknown }[];
    expect(list.find((d) => d.id === exhausted)?.generationError).toEqual(expected);
    const retry = await admissions.post(`/api/documents/${exhausted}/retry-generation`);
    expect({ status: retry.status, code: retry.body.error?.code }).toEqual({ status: 409, code: 'CONTRACT_ALREADY_IN_FORCE' });

    // Failed for good: not « corrigez-les en créant une nouvelle version », which is refused too.
    const failed = (await admissions.get(`/api/documents/${invalid}`).expect(200)).body;
    expect(failed.generationError).toEqual({ ...expected, code: 'VALIDATION_FAILED' });

    expect((await admissions.get(`/api/documents/${alone}`).expect(200)).body.generationError).toMatchObject({ code: 'GENERATION_RETRIES_EXHAUSTED', retryable: true });
  });
});
