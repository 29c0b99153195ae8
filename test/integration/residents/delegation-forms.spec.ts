import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS, dataSourceOptions } from '@carepact/database';
import { TEST_PASSWORD, contractData, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * A delegation of parental authority is total, partial (C. civ. 377 al. 1-2, 377-1 al. 1: the parents
 * keep what is not delegated) or shared with the parents (C. civ. 377-1 al. 2). The file had one
 * « partielle ou partagée » value, routed as shared; migration 1764140000000 keeps those rows as they
 * were understood ('shared') and a partial delegation records whether it covers the admission and
 * accompaniment in the establishment: covered, the délégataire signs alone; not, the parents do.
 */
describe('the forms of a delegation of parental authority (C. civ. 377, 377-1)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let admissions: request.Agent;
  let ds: DataSource;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;
  const judgment = { authority: 'JAF, TJ de Valville', reference: 'RG 25/00077', date: '2025-04-01' };
  const minor = (over: Record<string, unknown> = {}) => ({
    establishmentId: h.orgA.establishmentId,
    firstName: 'Enzo',
    lastName: 'Petit',
    birthDate: '2014-05-30',
    admissionDate: '2026-09-07',
    stayType: 'permanent',
    parentalAuthority: 'delegation',
    contacts: [
      { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', email: 'helene.roux@example.org', minorRole: 'delegataire' },
      { firstName: 'Julie', lastName: 'Petit', relation: 'mère', email: 'julie.petit@example.org', holdsParentalAuthority: true },
      { firstName: 'Thomas', lastName: 'Petit', relation: 'père', email: 'thomas.petit@example.org', holdsParentalAuthority: true },
    ],
    ...over,
  });

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    worker = await startWorker(h.db.config, { probe: false });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('a partial delegation without what it covers is refused (DELEGATION_SCOPE_REQUIRED); with it, kept and read back', async () => {
    const refused = await admissions.post('/api/residents').send(minor({ minorDecision: { ...judgment, delegationExtent: 'partial' } })).expect(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'minorDecision.delegationCoversStay', code: 'DELEGATION_SCOPE_REQUIRED' })]);
    const created = await admissions.post('/api/residents').send(minor({ minorDecision: { ...judgment, delegationExtent: 'partial', delegationCoversStay: false } })).expect(201);
    expect(created.body.minorDecision).toMatchObject({ delegationExtent: 'partial', delegationCoversStay: false });
    const [row] = await sql<{ delegation_extent: string; delegation_covers_stay: boolean }>(`SELECT delegation_extent, delegation_covers_stay FROM residents WHERE id = $1`, [created.body.id]);
    expect(row).toEqual({ delegation_extent: 'partial', delegation_covers_stay: false });
  });

  it('partial, not covering the stay: the parents sign the contract, the délégataire does not; the PDF prints the parents’ slots only', async () => {
    const created = await admissions.post('/api/residents').send(minor({ firstName: 'Léa', minorDecision: { ...judgment, delegationExtent: 'partial', delegationCoversStay: false } })).expect(201);
    const res = await admissions.post('/api/documents').send({ residentId: created.body.id, type: 'contrat-sejour', data: contractData({ minorView: 'Léa veut garder son club.', minorViewFalc: 'Tu veux garder ton club.' }) });
    expect(res.status).toBe(202);
    const docId = res.body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${docId}`)).body.status === 'ready', 60_000);
    const preview = await admissions.post(`/api/documents/${docId}/signature-requests/preview`).send({}).expect(200);
    // The preview lists the signers in the request's order (inRequestOrder): the parents, in the order the request will invite them, then the director.
    const order = (preview.body.signers as { role: string; person: { firstName: string } }[]).map((s) => `${s.role}:${s.person.firstName}`);
    expect([...order.slice(0, 2)].sort()).toEqual(['parent:Julie', 'parent:Thomas']);
    expect(order.slice(2)).toEqual([expect.stringMatching(/^director:/)]);
    expect(preview.body.explanation).toContain('ne portant pas sur l’accueil et l’accompagnement dans l’établissement');
    const doc = (await admissions.get(`/api/documents/${docId}`).expect(200)).body as { currentVersionId: string };
    const pdf = await admissions.get(`/api/documents/${docId}/versions/${doc.currentVersionId}/renditions/pdf/standard`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.body as Buffer }).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Julie Petit en qualité de parent titulaire de l’autorité parentale');
    expect(text).toContain('Thomas Petit en qualité de parent titulaire de l’autorité parentale');
    expect(text).not.toContain('Hélène Roux en qualité de délégataire');
  });

  it('migration 1764140000000 turns the « partielle ou partagée » rows into shared ones, as they were routed; the checks hold; down restores them', async () => {
    const created = await admissions.post('/api/residents').send(minor({ firstName: 'Noé', minorDecision: { ...judgment, delegationExtent: 'shared' } })).expect(201);
    const id = created.body.id as string;
    const Migration = MIGRATIONS.find((x) => x.name === 'DelegationForms1764140000000') as unknown as new () => MigrationInterface;
    expect(Migration).toBeDefined();
    const migration = new Migration();
    const owner = new DataSource(dataSourceOptions(h.db.config, { as: 'owner', poolSize: 1 }));
    await owner.initialize();
    const qr = owner.createQueryRunner();
    try {
      await qr.startTransaction();
      await migration.down(qr);
      expect(await qr.query(`SELECT delegation_extent FROM residents WHERE id = $1`, [id])).toEqual([{ delegation_extent: 'partial' }]);
      await migration.up(qr);
      expect(await qr.query(`SELECT delegation_extent, delegation_covers_stay FROM residents WHERE id = $1`, [id])).toEqual([{ delegation_extent: 'shared', delegation_covers_stay: null }]);
      await qr.query('SAVEPOINT s1');
      await expect(qr.query(`UPDATE residents SET delegation_extent = 'partial' WHERE id = $1`, [id])).rejects.toThrow(/ck_residents_delegation_covers_stay/);
      await qr.query('ROLLBACK TO SAVEPOINT s1');
      await expect(qr.query(`UPDATE residents SET delegation_covers_stay = true WHERE id = $1`, [id])).rejects.toThrow(/ck_residents_delegation_covers_stay/);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
      await owner.destroy();
    }
  });
});
