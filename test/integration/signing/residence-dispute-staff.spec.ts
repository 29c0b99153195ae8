import request from 'supertest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, loginAgent, countersignRequest } from '@carepact/testing';
import { scanOf } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * C. civ. 459-2, DOMAIN.md rule 2: once the person's view recorded on a request is a disagreement
 * with living in the establishment, no signature is recorded on that version until the judge's
 * decision is in it — not in the portal only, but also from a scan of a paper signature and by the
 * director's countersignature in the console (one guard, under the request's lock).
 */
describe('a disagreement with living there blocks every way of signing', () => {
  let h: ApiHarness;
  let staff: request.Agent;
  let director: request.Agent;
  let scan: Buffer;
  const sql = <T = { id: string }>(text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<T[]>;

  /** A tutelle contract sent for signature (tuteur, then the director), the person's view recorded as `expression` by the tuteur. */
  const disputedRequest = async (expression: string, residenceChoice: object | null, tuteurStatus = 'pending') => {
    const r = await staff.post('/api/residents').send({ establishmentId: h.orgA.establishmentId, firstName: 'Lucie', lastName: 'Bernard', birthDate: '1940-03-08', admissionDate: '2026-11-20', stayType: 'permanent' });
    expect(r.status).toBe(201);
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', 'in_signature', now(), now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, r.body.id],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'contrat-sejour', '1.3.0', 'h', 'r', $3, 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, JSON.stringify({ document: residenceChoice ? { residenceChoice } : {} })],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1 RETURNING id`, [doc.id, v.id]);
    const policy = {
      signers: [],
      views: [{ key: 'resident', person: { firstName: 'Lucie', lastName: 'Bernard' }, reason: 'avis', legalBasis: 'C. civ. 457-1, 459-2 ; CASF L.311-4', recordedBy: ['tuteur'] }],
    };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'sequential', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, doc.id, v.id, JSON.stringify(policy)],
    );
    const signer = async (key: string, role: string, order: number, status: string) =>
      (
        await sql(
          `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
           VALUES ($1, $2, $3, 'Alain', 'Bernard', 'en qualité de tuteur', 'C. civ. 459-2', $4, false, $5, $6, $7) RETURNING id`,
          [req.id, key, role, order, role === 'director' ? 'staff' : 'email', status, status === 'signed' ? new Date() : null],
        )
      )[0].id;
    const tuteur = await signer('tuteur', 'tuteur', 1, tuteurStatus);
    const dir = await signer('director', 'director', 2, 'pending');
    await sql(`INSERT INTO recorded_views (request_id, view_key, person_name, expression, recorded_by_signer_id, recorded_at) VALUES ($1, 'resident', 'Lucie Bernard', $2, $3, now()) RETURNING id`, [
      req.id,
      expression,
      tuteur,
    ]);
    return { requestId: req.id, tuteur, director: dir };
  };
  const statuses = async (requestId: string) => (await sql<{ key: string; status: string }>(`SELECT key, status FROM signature_signers WHERE request_id = $1 ORDER BY key`, [requestId])).map((x) => `${x.key}:${x.status}`);

  beforeAll(async () => {
    h = await startApiHarness();
    staff = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    const page = await PDFDocument.create();
    const font = await page.embedFont(StandardFonts.Helvetica);
    page.addPage([595.28, 841.89]).drawText('Contrat de séjour — signé par le tuteur', { x: 72, y: 760, size: 14, font });
    scan = await scanOf(Buffer.from(await page.save()), [1]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a scan of a paper signed by the tuteur is refused (409), nothing recorded', async () => {
    const d = await disputedRequest('desaccord', { agrees: false, recordedOn: '2026-11-20' });
    const res = await staff.post(`/api/signature-requests/${d.requestId}/paper?signerIds=${d.tuteur}`).set('Content-Type', 'application/pdf').send(scan);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE', message: expect.stringContaining('C. civ. 459-2') });
    expect(await statuses(d.requestId)).toEqual(['director:pending', 'tuteur:pending']);
    expect(await sql(`SELECT id FROM paper_signatures WHERE request_id = $1`, [d.requestId])).toEqual([]);
  });

  it('the director’s countersignature is refused (409) while the disagreement stands', async () => {
    const d = await disputedRequest('desaccord', { agrees: false, recordedOn: '2026-11-20' }, 'signed');
    const res = await countersignRequest(director, d.requestId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('RESIDENCE_DISAGREEMENT_NEEDS_JUDGE');
    expect(await statuses(d.requestId)).toEqual(['director:pending', 'tuteur:signed']);
  });

  it('once the version cites the judge’s decision, or when she agrees, the countersignature goes through', async () => {
    const decided = await disputedRequest('desaccord', { agrees: false, recordedOn: '2026-11-20', judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00077', date: '2026-11-25' } }, 'signed');
    expect((await countersignRequest(director, decided.requestId)).status).toBe(200);
    const agreed = await disputedRequest('accord', null, 'signed');
    expect((await countersignRequest(director, agreed.requestId)).status).toBe(200);
  });
});
