import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ABSENCE_RULES, TEST_PASSWORD, contractData as contractData_, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const contractData = contractData_({
  objectives: ['Permettre à M. Dupont de vivre en sécurité tout en gardant ses habitudes de promenade quotidienne.'],
  participation: { person: { presence: 'present' }, others: [{ name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur, UDAF du Val', roleFalc: 'votre curateur', presence: 'present' }, { name: 'Nadia Haddad', capacity: 'professionnel', role: 'admissions', roleFalc: 'l’accueil des nouveaux habitants', presence: 'present' }] },
});

/** Issue 3 §5: create → outbox → worker → immutable version with 9 renditions → download, on real PostgreSQL and Redis. */
describe('documents through the API and the worker', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let agent: request.Agent;
  let residentId: string;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id;
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const ready = async (id: string, versions = 1) => {
    await waitUntil('the version to be generated', async () => {
      const doc = (await agent.get(`/api/documents/${id}`)).body;
      return doc.versions.length === versions && doc.versions.every((v: { status: string }) => v.status !== 'pending');
    });
    return (await agent.get(`/api/documents/${id}`).expect(200)).body;
  };

  it('POST answers 202 at once; the worker produces one immutable version with 9 renditions', async () => {
    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(202);
    expect(res.body).toMatchObject({ id: expect.any(String), versionId: expect.any(String), status: 'generating' });
    const doc = await ready(res.body.id);
    expect(doc.status).toBe('ready');
    expect(doc.versions[0].errorCode).toBeNull();
    const [v] = doc.versions;
    expect(v).toMatchObject({ number: 1, status: 'ready', template: { id: 'contrat-sejour', version: '1.14.0' }, reason: 'Création du document' });
    expect(v.template.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.rendererVersion).toContain('carepact-render/');
    expect(v.renditions).toHaveLength(9);
    expect(new Set(v.renditions.map((r: { format: string; variant: string }) => `${r.format}/${r.variant}`)).size).toBe(9);
  });

  it('a download is the stored rendition, with a safe Content-Disposition, and is audited', async () => {
    const [doc] = (await agent.get(`/api/documents?residentId=${residentId}`).expect(200)).body;
    const full = (await agent.get(`/api/documents/${doc.id}`)).body;
    const pdf = full.versions[0].renditions.find((r: { format: string; variant: string }) => r.format === 'pdf' && r.variant === 'standard');
    const res = await agent.get(pdf.href).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="contrat-sejour-v1-standard.pdf"; filename*=UTF-8''contrat-sejour-v1-standard.pdf`);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'carepact-doc-'));
    writeFileSync(join(dir, 'c.pdf'), body);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Benaïssa');
    expect(text).toContain('Dupont');
    // Every page's footer names the version it belongs to (the worker passes the id to the renderer).
    expect(text).toContain(`Version ${String(full.versions[0].id)}`);
    expect(text).not.toContain('Aperçu, non versionné');
    const actions = ((await ds.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [full.versions[0].id])) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['document_version.requested', 'document_version.generated', 'rendition.downloaded']);
  });

  it('the same document data again stores only the renditions that name their version (content-addressed, stored once)', async () => {
    const [{ n: before }] = await ds.query(`SELECT count(*)::int AS n FROM blobs`);
    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(202);
    await ready(res.body.id);
    const [{ n: after }] = await ds.query(`SELECT count(*)::int AS n FROM blobs`);
    const [{ n: renditions }] = await ds.query(`SELECT count(*)::int AS n FROM renditions`);
    expect(before).toBe(9);
    // The 3 HTML renditions are the same bytes and stored once; the 3 PDF and 3 DOCX print the
    // version id in their page footer, so they differ from the first version's.
    expect(after).toBe(15);
    expect(renditions).toBe(18);
  });

  it('a correction is a new version with its reason; the first version is never edited', async () => {
    const [doc] = (await agent.get(`/api/documents?residentId=${residentId}`).expect(200)).body;
    await agent
      .post(`/api/documents/${doc.id}/versions`)
      .send({ data: { ...contractData, duration: 'indéterminée, révisable chaque année', durationFalc: 'Nous revoyons ce contrat chaque année.' }, reason: 'Précision sur la durée' })
      .expect(202);
    const full = await ready(doc.id, 2);
    expect(full.versions.map((v: { number: number; reason: string }) => [v.number, v.reason])).toEqual([
      [1, 'Création du document'],
      [2, 'Correction avant signature : Précision sur la durée'],
    ]);
    expect(full.currentVersionId).toBe(full.versions[1].id);
    expect(full.versions[1].inputSha256).not.toBe(full.versions[0].inputSha256);
    await expect(ds.query(`UPDATE document_versions SET reason = 'x' WHERE id = $1`, [full.versions[0].id])).rejects.toThrow(/immutable/);
    await expect(ds.query(`UPDATE renditions SET byte_size = 1`)).rejects.toThrow(/write-once|permission denied/);
    await expect(ds.query(`DELETE FROM blobs`)).rejects.toThrow(/permission denied/);
  });

  it('the type is checked against the resident’s situation: a stay under two months needs a DIPC', async () => {
    const short = await agent
      .post('/api/residents')
      .send({ establishmentId: h.orgA.establishmentId, firstName: 'Ahmed', lastName: 'Benali', birthDate: '1956-09-18', admissionDate: '2026-11-16', stayType: 'temporary', plannedEndDate: '2026-12-10' })
      .expect(201);
    const res = await agent.post('/api/documents').send({ residentId: short.body.id, type: 'contrat-sejour', data: contractData });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONTRACT_NOT_APPLICABLE_SHORT_STAY');
    expect(res.body.error.message).toContain('DIPC');
  });

  it('a resident whose measure expired: generation is refused with PROTECTION_MEASURE_EXPIRED, as the signature request is (issue 8 B)', async () => {
    const base = curatelleResident(h.orgA.establishmentId);
    const rose = await agent
      .post('/api/residents')
      .send({ ...base, firstName: 'Rose', lastName: 'Lambert', email: null, protectionMeasure: { ...base.protectionMeasure, judgmentDate: '2016-06-01', endDate: '2021-06-01' } });
    expect(rose.status).toBe(201);
    const res = await agent.post('/api/documents').send({ residentId: rose.body.id, type: 'contrat-sejour', data: contractData });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PROTECTION_MEASURE_EXPIRED');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1`, [rose.body.id]);
    expect(n).toBe(0);
  });

  it('missing or invalid data: 400 naming each field under data.', async () => {
    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: { objectives: [], services: 'Restauration', extra: 1 } });
    expect(res.status).toBe(400);
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['data.objectives', 'data.services', 'data.duration', 'data.participation']));
    expect(fields.some((f) => f.startsWith('data.extra'))).toBe(true);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM documents WHERE resident_id = $1`, [residentId]);
    expect(n).toBe(2);
  });

  it('a contract needs the establishment’s tariffs (tariff annex, CASF L.311-4): 400 until an administrator sets them', async () => {
    await ds.query(`UPDATE establishments SET tariffs = NULL WHERE id = $1`, [h.orgA.establishmentId]);
    const res = await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'establishment.tariffs', code: 'REQUIRED' }));
    const admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const tariffs = { effectiveFrom: '2026-01-01', hebergementPerDay: 75, absenceRule: 'Au-delà de 72 heures d’absence, le tarif hébergement est minoré du forfait hospitalier.', ...ABSENCE_RULES };
    await agent.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ tariffs }).expect(403);
    const bad = await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ tariffs: { ...tariffs, hebergementPerDay: -1 } });
    expect(bad.status).toBe(400);
    await admin.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ tariffs }).expect(200);
    await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(202);
  });

  it('another organisation sees none of it (404), and an auditor may read but not create (403)', async () => {
    const [doc] = (await agent.get(`/api/documents?residentId=${residentId}`).expect(200)).body;
    const other = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    await other.get(`/api/documents/${doc.id}`).expect(404);
    expect((await other.get('/api/documents').expect(200)).body).toEqual([]);
    await other.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(404);
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    await auditor.get(`/api/documents/${doc.id}`).expect(200);
    await auditor.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData }).expect(403);
  });
});
