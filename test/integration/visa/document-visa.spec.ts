import { AuthService, StaffActor } from '@carepact/identity';
import { WorklistService } from '@carepact/signing';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 10, item 3: the internal visa between generation and sending, on a real PostgreSQL through
 * the HTTP API. The document and its versions are written in SQL (the db tier has no worker to
 * generate them), as in the worklist fixtures.
 */
describe('internal visa (API)', () => {
  let h: ApiHarness;
  let documentId: string;
  let residentId: string;
  const sql = (text: string, params: unknown[] = []) => h.app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const agent = (role: 'admissions' | 'coordinator' | 'director' | 'auditor' | 'administrator') => loginAgent(h.app, h.orgA.users[role].email, TEST_PASSWORD);
  const actorOf = async (email: string): Promise<StaffActor> => {
    const auth = h.app.get(AuthService);
    return (await auth.authenticate((await auth.login(email, TEST_PASSWORD, '127.0.0.1')).token))!;
  };
  const addVersion = async (n: number) => {
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, $3, 'Version', 'ready', 'projet-personnalise', '1.2.0', 'h', 'r', '{"document":{}}', $4, now()) RETURNING id`,
      [h.orgA.organisationId, documentId, n, `hash-${n}`],
    );
    await sql(`UPDATE documents SET current_version_id = $2, status = 'ready' WHERE id = $1`, [documentId, v.id]);
    return v.id;
  };
  const send = async () => (await (await agent('admissions')).post(`/api/documents/${documentId}/signature-requests`).send({})).body.error.code as string;
  const visaItems = async (email: string) =>
    (await h.app.get(WorklistService).forActor(await actorOf(email))).establishments.flatMap((e) => e.sections.filter((s) => s.category === 'visa_due').flatMap((s) => s.items));

  beforeAll(async () => {
    h = await startApiHarness();
    const admissions = await agent('admissions');
    const res = await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName: 'Vianney', lastName: 'Visa', email: null });
    expect(res.status).toBe(201);
    residentId = res.body.id;
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'projet-personnalise', 'generating', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId],
    );
    documentId = doc.id;
    await addVersion(1);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('no rule: no visa asked, the sending is not held back by it', async () => {
    const view = await (await agent('admissions')).get(`/api/documents/${documentId}/visa`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ approverRole: null, state: 'none', canDecide: false });
    expect(await send()).toBe('DOCUMENT_NOT_READY'); // (no PDF rendition in this SQL fixture: the next check)
  });

  it('the rule is the director’s or the administrator’s to set, per type, audited', async () => {
    const url = `/api/establishments/${h.orgA.establishmentId}/visa-rules/projet-personnalise`;
    expect((await (await agent('coordinator')).put(url).send({ approverRole: 'coordinator' })).status).toBe(403);
    const bad = await (await agent('director')).put(url).send({ approverRole: 'admissions' });
    expect(bad.status).toBe(400);
    const other = await loginAgent(h.app, h.orgB.users.director.email, TEST_PASSWORD);
    expect((await other.put(url).send({ approverRole: 'coordinator' })).status).toBe(404);
    const ok = await (await agent('director')).put(url).send({ approverRole: 'coordinator' });
    expect(ok.status).toBe(200);
    expect(ok.body).toContainEqual({ documentType: 'projet-personnalise', approverRole: 'coordinator' });
    expect(ok.body).toContainEqual({ documentType: 'contrat-sejour', approverRole: null });
    const [ev] = await sql(`SELECT payload FROM audit_events WHERE action = 'establishment.visa_rule_changed' ORDER BY seq DESC LIMIT 1`);
    expect(ev.payload).toEqual({ documentType: 'projet-personnalise', approverRole: 'coordinator', previous: null });
  });

  it('« Visa demandé »: the sending is refused with a stable code; the coordinator sees it in À faire, admissions does not', async () => {
    expect((await (await agent('admissions')).get(`/api/documents/${documentId}/visa`)).body).toMatchObject({ approverRole: 'coordinator', state: 'requested', canDecide: false });
    expect((await (await agent('coordinator')).get(`/api/documents/${documentId}/visa`)).body).toMatchObject({ state: 'requested', canDecide: true });
    const res = await (await agent('admissions')).post(`/api/documents/${documentId}/signature-requests`).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VISA_REQUIRED');
    expect(res.body.error.message).toContain('visa du coordinateur');
    expect(await visaItems(h.orgA.users.coordinator.email)).toEqual([expect.objectContaining({ documentId, title: 'Projet personnalisé : visa demandé', href: `/console/documents/${documentId}` })]);
    expect(await visaItems(h.orgA.users.director.email)).toHaveLength(1);
    expect(await visaItems(h.orgA.users.admissions.email)).toEqual([]);
  });

  it('a rejection needs a reason; it is recorded once, audited without its text, and holds the sending back', async () => {
    expect((await (await agent('admissions')).post(`/api/documents/${documentId}/visa`).send({ decision: 'approved' })).status).toBe(403);
    const noReason = await (await agent('coordinator')).post(`/api/documents/${documentId}/visa`).send({ decision: 'rejected', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details).toEqual([expect.objectContaining({ field: 'reason', code: 'REQUIRED' })]);
    const rejected = await (await agent('coordinator')).post(`/api/documents/${documentId}/visa`).send({ decision: 'rejected', reason: 'Les mots de Vianney ont été reformulés.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', decision: { decision: 'rejected', reason: 'Les mots de Vianney ont été reformulés.' } });
    const again = await (await agent('director')).post(`/api/documents/${documentId}/visa`).send({ decision: 'approved' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VISA_ALREADY_DECIDED');
    expect(await send()).toBe('VISA_REJECTED');
    const events = await sql(`SELECT action, payload FROM audit_events WHERE subject_id = $1 AND action LIKE 'document.visa_%'`, [documentId]);
    expect(events).toEqual([{ action: 'document.visa_rejected', payload: { versionId: expect.any(String), approverRole: 'coordinator', reasonSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } }]);
    expect(JSON.stringify(events)).not.toContain('reformulés');
    // Written once, in the database too.
    await expect(sql(`UPDATE document_visas SET decision = 'approved' WHERE document_id = $1`, [documentId])).rejects.toThrow();
    expect(await visaItems(h.orgA.users.coordinator.email)).toEqual([]);
  });

  it('the corrected version asks for a new visa; once approved, the visa no longer holds the sending', async () => {
    await addVersion(2);
    expect((await (await agent('coordinator')).get(`/api/documents/${documentId}/visa`)).body).toMatchObject({ state: 'requested', decision: null });
    expect(await send()).toBe('VISA_REQUIRED');
    const ok = await (await agent('director')).post(`/api/documents/${documentId}/visa`).send({ decision: 'approved' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'approved', decision: { decision: 'approved', reason: null, approverRole: 'coordinator' } });
    expect(await send()).toBe('DOCUMENT_NOT_READY');
    expect(await visaItems(h.orgA.users.coordinator.email)).toEqual([]);
  });

  it('a document already sent or signed when the rule came is not held back by it', async () => {
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'projet-personnalise', 'signed', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, residentId],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Version', 'ready', 'projet-personnalise', '1.2.0', 'h', 'r', '{"document":{}}', 'hash-signed', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    expect((await (await agent('coordinator')).get(`/api/documents/${doc.id}/visa`)).body).toMatchObject({ approverRole: 'coordinator', state: 'none', canDecide: false });
    expect((await (await agent('coordinator')).post(`/api/documents/${doc.id}/visa`).send({ decision: 'approved' })).body.error.code).toBe('VISA_DOCUMENT_NOT_READY');
  });
});
