import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * C. civ. 372 al. 1: parents exercise parental authority jointly. One parent alone signs a minor's
 * contract only on a ground the law gives (372 al. 2, 373, 373-1, 373-2-1), and the establishment
 * must hold its proof: the file records the ground, the proof's reference and date; the API refuses
 * a sole exercise without them, and the signature policy refuses a one-parent signature without them
 * (for files recorded before the proof was asked for).
 */
describe('sole parental authority: its ground and proof', () => {
  let h: ApiHarness;
  let admissions: request.Agent;
  const proof = { ground: 'judgment', proofReference: 'Jugement JAF, TJ de Valville, RG 24/01234', proofDate: '2024-03-12' };
  const minor = (over: Record<string, unknown> = {}) => ({
    establishmentId: h.orgA.establishmentId,
    firstName: 'Enzo',
    lastName: 'Petit',
    birthDate: '2014-05-30',
    admissionDate: '2026-09-07',
    stayType: 'permanent',
    parentalAuthority: 'sole',
    parents: [{ firstName: 'Julie', lastName: 'Petit', email: 'julie.petit@example.org' }],
    ...over,
  });
  const createContract = async (residentId: string): Promise<{ id: string }> => {
    const res = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ minorView: 'Enzo souhaite rester près de sa mère et garder son club de football.', minorViewFalc: 'Tu veux rester près de ta maman.' }) });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    return res.body as { id: string };
  };
  const sql = <T>(q: string, params: unknown[] = []) => h.app.get(DataSource).query(q, params) as Promise<T[]>;

  beforeAll(async () => {
    h = await startApiHarness();
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a sole exercise without its ground and proof is refused, in French, and nothing is written', async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM residents`);
    const res = await admissions.post('/api/residents').send(minor()).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'soleAuthority', code: 'SOLE_AUTHORITY_PROOF_REQUIRED', message: expect.stringContaining('373-2-1') })]);
    const bad = await admissions.post('/api/residents').send(minor({ soleAuthority: { ground: 'parce-que', proofReference: '', proofDate: '2024-02-30' } })).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['soleAuthority.ground', 'soleAuthority.proofDate', 'soleAuthority.proofReference']);
    const notSole = await admissions.post('/api/residents').send(minor({ parentalAuthority: 'shared', parents: [{ firstName: 'Julie', lastName: 'Petit' }, { firstName: 'Thomas', lastName: 'Petit' }], soleAuthority: proof })).expect(400);
    expect(notSole.body.error.details).toEqual([expect.objectContaining({ field: 'soleAuthority', code: 'NOT_SOLE' })]);
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM residents`)).toEqual(before);
  });

  it('records the proof, cites it in the parent’s signing capacity, keeps it on other edits and clears it when the authority becomes joint', async () => {
    const created = await admissions.post('/api/residents').send(minor({ soleAuthority: proof })).expect(201);
    expect(created.body).toMatchObject({ parentalAuthority: 'sole', soleAuthority: proof });
    const id = created.body.id as string;

    const doc = await createContract(id);
    const preview = await admissions.post(`/api/documents/${doc.id}/signature-requests/preview`).send({}).expect(200);
    const parent = preview.body.signers.find((s: { role: string }) => s.role === 'parent');
    expect(parent.legalBasis).toContain('C. civ. 373-2-1 (décision du juge confiant l’exercice à ce seul parent ; pièce : Jugement JAF, TJ de Valville, RG 24/01234 du 12 mars 2024)');

    // Another field: the proof stays. A PATCH cannot empty it while one parent exercises alone.
    expect((await admissions.patch(`/api/residents/${id}`).send({ room: '12' }).expect(200)).body.soleAuthority).toEqual(proof);
    const emptied = await admissions.patch(`/api/residents/${id}`).send({ soleAuthority: null }).expect(400);
    expect(emptied.body.error.details[0].code).toBe('SOLE_AUTHORITY_PROOF_REQUIRED');

    // Joint exercise restored (C. civ. 372 al. 2, a joint declaration): the proof of sole exercise goes with it.
    const joint = await admissions.patch(`/api/residents/${id}`).send({ parentalAuthority: 'shared' }).expect(200);
    expect(joint.body.soleAuthority).toBeNull();
    const [row] = await sql<{ g: string | null; r: string | null; d: string | null }>(
      `SELECT sole_authority_ground AS g, sole_authority_proof_reference AS r, sole_authority_proof_date AS d FROM residents WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ g: null, r: null, d: null });
    const [event] = await sql<{ payload: { changedFields: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'resident.updated' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [id],
    );
    expect(event.payload.changedFields).toEqual(expect.arrayContaining(['parentalAuthority', 'soleAuthorityGround', 'soleAuthorityProofReference', 'soleAuthorityProofDate']));
  });

  /**
   * C. civ. 372, 377 al. 1, 377-1 al. 1: under a partial délégation that does not cover the stay the
   * parents keep the rest jointly. One parent on file signed alone, and the contract printed « exercée
   * par un seul parent », with no proof; the file could not even hold one (ck_residents_sole_authority,
   * relaxed by migration 1764210000000).
   */
  it('partial délégation not covering the stay, one parent on file: refused without the proof of sole exercise; recorded, that parent signs alone', async () => {
    const judgment = { authority: 'JAF, TJ de Valville', reference: 'RG 25/00077', date: '2025-04-01', delegationExtent: 'partial', delegationCoversStay: false };
    const delegated = (over: Record<string, unknown> = {}) =>
      minor({ parentalAuthority: 'delegation', minorDecision: judgment, contacts: [{ firstName: 'Hélène', lastName: 'Roux', relation: 'tante', minorRole: 'delegataire' }], ...over });
    const id = (await admissions.post('/api/residents').send(delegated({ firstName: 'Noé' })).expect(201)).body.id as string;
    const doc = await createContract(id);
    const refused = await admissions.post(`/api/documents/${doc.id}/signature-requests/preview`).send({}).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'PARENT_MISSING', message: expect.stringContaining('enregistrez le motif de l’exercice exclusif et la pièce qui l’établit') });

    // The proof is recorded under this délégation (not under one covering the stay: NOT_SOLE), and kept on other edits.
    const patched = await admissions.patch(`/api/residents/${id}`).send({ soleAuthority: proof }).expect(200);
    expect(patched.body).toMatchObject({ parentalAuthority: 'delegation', soleAuthority: proof });
    expect((await admissions.patch(`/api/residents/${id}`).send({ room: '21' }).expect(200)).body.soleAuthority).toEqual(proof);
    const [row] = await sql<{ g: string | null }>(`SELECT sole_authority_ground AS g FROM residents WHERE id = $1`, [id]);
    expect(row.g).toBe('judgment');

    const doc2 = await createContract(id);
    const preview = await admissions.post(`/api/documents/${doc2.id}/signature-requests/preview`).send({}).expect(200);
    expect(preview.body.signers.map((s: { role: string }) => s.role)).toEqual(['parent', 'director']);
    expect(preview.body.signers[0].capacity).toContain('parent exerçant l’autorité parentale exclusive');
    expect(preview.body.explanation).toContain('C. civ. 373-2-1 al. 5');

    // Under a délégation covering the stay the délégataire signs: a proof given with it is refused (NOT_SOLE); the one on file goes with the change.
    const refusedProof = await admissions.patch(`/api/residents/${id}`).send({ minorDecision: { ...judgment, delegationCoversStay: true }, soleAuthority: proof }).expect(400);
    expect(refusedProof.body.error.details).toEqual([expect.objectContaining({ field: 'soleAuthority', code: 'NOT_SOLE' })]);
    const covering = await admissions.patch(`/api/residents/${id}`).send({ minorDecision: { ...judgment, delegationCoversStay: true } }).expect(200);
    expect(covering.body.soleAuthority).toBeNull();
  });

  it('a file recorded before the proof was asked for: editing another field still works; the signature policy refuses until the proof is entered', async () => {
    const id = (await admissions.post('/api/residents').send(minor({ firstName: 'Léa', soleAuthority: proof })).expect(201)).body.id as string;
    await sql(`UPDATE residents SET sole_authority_ground = NULL, sole_authority_proof_reference = NULL, sole_authority_proof_date = NULL WHERE id = $1`, [id]);
    await admissions.patch(`/api/residents/${id}`).send({ room: '14' }).expect(200);

    const doc = await createContract(id);
    const refused = await admissions.post(`/api/documents/${doc.id}/signature-requests/preview`).send({}).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'SOLE_AUTHORITY_PROOF_MISSING', message: expect.stringContaining('C. civ. 372') });

    await admissions.patch(`/api/residents/${id}`).send({ soleAuthority: { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' } }).expect(200);
    const preview = await admissions.post(`/api/documents/${doc.id}/signature-requests/preview`).send({}).expect(200);
    expect(preview.body.signers.find((s: { role: string }) => s.role === 'parent').legalBasis).toMatch(/^C\. civ\. 373-1 \(décès de l’autre parent ; pièce : Acte de décès n° 312 du 4 janvier 2022\)/);
  });
});
