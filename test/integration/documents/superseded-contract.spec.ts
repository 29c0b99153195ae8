import { DocumentsService } from '@carepact/documents';
import { AuthService, StaffActor } from '@carepact/identity';
import { WorklistService } from '@carepact/signing';
import { TEST_PASSWORD, archiveResident, curatelleResident, loginAgent } from '@carepact/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A draft contrat de séjour whose stay has another contract signed: one contract per stay, amended by
 * avenant (CASF L.311-4, D.311). The API refuses its new version and its sending (409
 * CONTRACT_ALREADY_IN_FORCE, second-contract-signing.spec.ts), so « À faire » lists nothing about it
 * (no visa to give, no generation to retry), and staff may abandon it (POST /api/documents/:id/discard:
 * `cancelled`, audited). A contract of another admission of the same file is not superseded. The
 * documents are written in SQL (the db tier has no worker), as in the worklist fixtures.
 */
describe('a draft contract superseded by the stay’s signed contract (CASF L.311-4, D.311)', () => {
  let h: ApiHarness;
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const agent = (role: 'admissions' | 'director' | 'auditor' | 'administrator') => loginAgent(h.app, h.orgA.users[role].email, TEST_PASSWORD);
  const actorOf = async (role: 'admissions' | 'director'): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(h.orgA.users[role].email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const resident = async (firstName: string, lastName: string) => {
    const res = await (await agent('admissions')).post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName, lastName, email: null });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** A contract in `status`; `admissionDate`: the one its data name (another admission of the same file), else the file's. */
  const contract = async (residentId: string, status: string, admissionDate?: string) => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', $4, now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId, status],
    );
    const input = { document: {}, ...(admissionDate ? { resident: { admissionDate } } : {}) };
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', $3, 'contrat-sejour', '1.2.0', 'h', 'r', $4, $5, now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, status === 'generation_failed' ? 'pending' : 'ready', JSON.stringify(input), `hash-${doc.id}`],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    return doc.id;
  };
  const items = async (category: string) =>
    (await h.app.get(WorklistService).forActor(await actorOf('director'))).establishments
      .flatMap((e) => e.sections.filter((s) => s.category === category).flatMap((s) => s.items))
      .map((i) => i.documentId);

  let signed: string;
  let readyDraft: string;
  let failedDraft: string;
  let otherAdmission: string;
  let aloneReady: string;
  let aloneFailed: string;

  beforeAll(async () => {
    h = await startApiHarness();
    // Contracts wait for the coordinator's visa in this establishment.
    expect((await (await agent('director')).put(`/api/establishments/${h.orgA.establishmentId}/visa-rules/contrat-sejour`).send({ approverRole: 'coordinator' })).status).toBe(200);
    const jeanne = await resident('Jeanne', 'Martin');
    signed = await contract(jeanne, 'signed');
    readyDraft = await contract(jeanne, 'ready');
    failedDraft = await contract(jeanne, 'generation_failed');
    // The same file, a contract made for an earlier stay: not a second contract of this one.
    otherAdmission = await contract(jeanne, 'ready', '2019-03-01');
    // Paul has no signed contract: his drafts are still to be visaed, retried, sent.
    const paul = await resident('Paul', 'Durand');
    aloneReady = await contract(paul, 'ready');
    aloneFailed = await contract(paul, 'generation_failed');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« À faire » lists no visa nor failed generation of a superseded draft; those of a contract still to be concluded, as before', async () => {
    const visas = await items('visa_due');
    expect(visas).toEqual(expect.arrayContaining([aloneReady, otherAdmission]));
    expect(visas).not.toContain(readyDraft);
    const failed = await items('generation_failed');
    expect(failed).toContain(aloneFailed);
    expect(failed).not.toContain(failedDraft);
  });

  it('the page’s reading: the signed contract of the stay, for its drafts only', async () => {
    const docs = h.app.get(DocumentsService);
    const actor = await actorOf('admissions');
    expect(await docs.contractInForceOver(actor, readyDraft)).toEqual({ id: signed });
    expect(await docs.contractInForceOver(actor, failedDraft)).toEqual({ id: signed });
    expect(await docs.contractInForceOver(actor, otherAdmission)).toBeNull();
    expect(await docs.contractInForceOver(actor, aloneReady)).toBeNull();
    expect(await docs.contractInForceOver(actor, signed)).toBeNull();
    // The resident's file's list: her superseded drafts only.
    const jeanne = (await sql(`SELECT resident_id FROM documents WHERE id = $1`, [readyDraft]))[0].resident_id;
    expect((await docs.supersededContractsOf(actor, jeanne)).sort()).toEqual([readyDraft, failedDraft].sort());
  });

  it('GET /api/documents and GET /api/documents/:id name the signed contract a draft is superseded by (supersededBy), the list in one statement', async () => {
    const admissions = await agent('admissions');
    const jeanne = (await sql(`SELECT resident_id FROM documents WHERE id = $1`, [readyDraft]))[0].resident_id;
    const spy = jest.spyOn(Client.prototype, 'query');
    let list: request.Response;
    let texts: string[];
    try {
      list = await admissions.get(`/api/documents?residentId=${jeanne}`);
      texts = spy.mock.calls.map((args) => (typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '')));
    } finally {
      spy.mockRestore();
    }
    expect(list.status).toBe(200);
    const inForce = { id: signed, href: `/console/documents/${signed}` };
    expect(Object.fromEntries((list.body as { id: string; supersededBy: unknown }[]).map((d) => [d.id, d.supersededBy]))).toEqual({
      [signed]: null,
      [readyDraft]: inForce,
      [failedDraft]: inForce,
      // Another admission of the same file: not this stay's contract.
      [otherAdmission]: null,
    });
    // Not one query per document: the four documents' reading is one statement.
    expect(texts.filter((t) => t.includes('sc_o'))).toHaveLength(1);

    const all = (await admissions.get('/api/documents')).body as { id: string; supersededBy: unknown }[];
    expect(all.filter((d) => [aloneReady, aloneFailed].includes(d.id)).map((d) => d.supersededBy)).toEqual([null, null]);
    expect(all.find((d) => d.id === readyDraft)?.supersededBy).toEqual(inForce);
    // The document's own reading says the same.
    expect((await admissions.get(`/api/documents/${failedDraft}`)).body.supersededBy).toEqual(inForce);
    expect((await admissions.get(`/api/documents/${aloneReady}`)).body.supersededBy).toBeNull();
    expect((await admissions.get(`/api/documents/${signed}`)).body.supersededBy).toBeNull();
  });

  it('POST /api/documents/:id/retry-generation refuses a superseded draft (409 CONTRACT_ALREADY_IN_FORCE): nothing enqueued nor audited', async () => {
    const admissions = await agent('admissions');
    const jobs = async (id: string) =>
      Number((await sql(`SELECT count(*)::int AS n FROM outbox o JOIN documents d ON d.current_version_id::text = o.payload->>'versionId' WHERE o.job_name = 'documents.render' AND d.id = $1`, [id]))[0].n);
    const retried = async (id: string) => Number((await sql(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'document.generation_retried'`, [id]))[0].n);
    const state = async (id: string) => (await sql(`SELECT d.status, v.status AS version_status FROM documents d JOIN document_versions v ON v.id = d.current_version_id WHERE d.id = $1`, [id]))[0];

    const res = await admissions.post(`/api/documents/${failedDraft}/retry-generation`);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'CONTRACT_ALREADY_IN_FORCE' });
    expect(await state(failedDraft)).toEqual({ status: 'generation_failed', version_status: 'pending' });
    expect([await jobs(failedDraft), await retried(failedDraft)]).toEqual([0, 0]);
    // The same draft's console path (the service both share) refuses it too.
    await expect(h.app.get(DocumentsService).retryGeneration(await actorOf('admissions'), failedDraft)).rejects.toMatchObject({ code: 'CONTRACT_ALREADY_IN_FORCE' });
    expect([await jobs(failedDraft), await retried(failedDraft)]).toEqual([0, 0]);

    // A failed contract with no signed one in its stay is retried, as before.
    const ok = await admissions.post(`/api/documents/${aloneFailed}/retry-generation`);
    expect({ status: ok.status, body: ok.body }).toEqual({ status: 202, body: { id: aloneFailed, versionId: expect.any(String), status: 'generating' } });
    expect([await jobs(aloneFailed), await retried(aloneFailed)]).toEqual([1, 1]);
  });

  it('POST /api/documents/:id/discard: the superseded draft is closed, audited; refused for anything else', async () => {
    const admissions = await agent('admissions');
    expect((await (await agent('auditor')).post(`/api/documents/${readyDraft}/discard`)).status).toBe(403);
    const notSuperseded = await admissions.post(`/api/documents/${aloneReady}/discard`);
    expect({ status: notSuperseded.status, code: notSuperseded.body.error.code }).toEqual({ status: 409, code: 'CONTRACT_NOT_SUPERSEDED' });
    expect((await admissions.post(`/api/documents/${otherAdmission}/discard`)).body.error.code).toBe('CONTRACT_NOT_SUPERSEDED');
    expect((await admissions.post(`/api/documents/${signed}/discard`)).body.error.code).toBe('DOCUMENT_NOT_A_DRAFT');

    const res = await admissions.post(`/api/documents/${readyDraft}/discard`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { id: readyDraft, status: 'cancelled', contractInForceId: signed, deceasedOn: null } });
    expect((await admissions.post(`/api/documents/${failedDraft}/discard`)).status).toBe(200);
    const status = async (id: string) => (await sql(`SELECT status FROM documents WHERE id = $1`, [id]))[0].status;
    expect([await status(readyDraft), await status(failedDraft), await status(aloneReady), await status(signed)]).toEqual(['cancelled', 'cancelled', 'ready', 'signed']);
    const events = await sql(`SELECT action, actor_type, payload FROM audit_events WHERE subject_id = $1 AND action = 'document.discarded'`, [readyDraft]);
    expect(events).toEqual([
      {
        action: 'document.discarded',
        actor_type: 'staff',
        payload: { previousStatus: 'ready', versionId: expect.any(String), contractInForceId: signed, reason: expect.stringContaining('CASF L.311-4') },
      },
    ]);
    // Once: abandoned is closed (no second event, no new version).
    expect((await admissions.post(`/api/documents/${readyDraft}/discard`)).body.error.code).toBe('DOCUMENT_NOT_A_DRAFT');
    expect((await admissions.post(`/api/documents/${readyDraft}/versions`).send({ data: {}, reason: 'Essai' })).body.error.code).toBe('DOCUMENT_CLOSED');
    // The page keeps saying why, with the link.
    expect(await h.app.get(DocumentsService).contractInForceOver(await actorOf('admissions'), readyDraft)).toEqual({ id: signed });
  });

  it('POST /api/documents/:id/discard for a person in the intermediate archive: 409 RESIDENT_ARCHIVED, nothing changed; the OpenAPI summary lists every refusal', async () => {
    const louise = await resident('Louise', 'Bernard');
    const inForce = await contract(louise, 'signed');
    const draft = await contract(louise, 'ready');
    await archiveResident(h.app.get(DataSource), await agent('administrator'), louise);
    const res = await (await agent('admissions')).post(`/api/documents/${draft}/discard`);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_ARCHIVED' });
    expect((await sql(`SELECT status FROM documents WHERE id = ANY($1::uuid[]) ORDER BY status`, [[draft, inForce]])).map((r) => r.status)).toEqual(['ready', 'signed']);
    expect(Number((await sql(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'document.discarded'`, [draft]))[0].n)).toBe(0);

    const docs = (await request(h.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { summary?: string; description?: string }>> };
    const op = docs.paths['/api/documents/{id}/discard'].post;
    const said = `${op.summary ?? ''} ${op.description ?? ''}`;
    for (const code of ['DOCUMENT_NOT_A_DRAFT', 'CONTRACT_NOT_SUPERSEDED', 'RESIDENT_ARCHIVED', '403', '404 DOCUMENT_NOT_FOUND']) expect(said).toContain(code);
    const list = docs.paths['/api/documents'].get;
    expect(`${list.summary ?? ''} ${list.description ?? ''}`).toContain('supersededBy');
  });
});
