import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, insertResidentsWithSignedContracts, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const COMMON = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };

/**
 * Issue 10 item 7: the January tariff avenant for every resident of an establishment, through the
 * API and the worker (in process here; test/integration/bulk kills a worker process mid-run).
 */
describe('bulk runs: one tariff avenant per resident', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let agent: request.Agent;
  let ds: DataSource;
  let signed: string[];
  let marcelId: string;
  let expiredId: string;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
    signed = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 4, tag: 'Lot' });
    marcelId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id;
    // A fifth resident with a signed contract, but whose curatelle ended without renewal on file.
    [expiredId] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 1, tag: 'Expiree' });
    await ds.query(
      `INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, acts, court, judgment_reference, judgment_date, end_date, created_at, updated_at)
       VALUES ($1, $2, 'curatelle', 'assistance', '{personne,biens}', '{}', 'Tribunal judiciaire de Valville', 'RG 20/1', '2020-01-10', '2025-01-10', now(), now())`,
      [h.orgA.organisationId, expiredId],
    );
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const finished = async (id: string) => {
    await waitUntil('the bulk run to finish and its documents to be generated', async () => !(await agent.get(`/api/bulk-runs/${id}`)).body.inProgress, 60000);
    return (await agent.get(`/api/bulk-runs/${id}`).expect(200)).body;
  };

  it('lists the residents: eligible with a signed contract, the others excluded with the reason', async () => {
    const list = (await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}`).expect(200)).body;
    expect(list).toHaveLength(6);
    expect(list.filter((c: { eligible: boolean }) => c.eligible).map((c: { residentId: string }) => c.residentId).sort()).toEqual([...signed].sort());
    const marcel = list.find((c: { residentId: string }) => c.residentId === marcelId);
    expect(marcel).toMatchObject({ eligible: false, code: 'BULK_NO_SIGNED_CONTRACT' });
    expect(marcel.reason).toContain('CASF L.311-4');
    const expired = list.find((c: { residentId: string }) => c.residentId === expiredId);
    expect(expired).toMatchObject({ eligible: false, code: 'PROTECTION_MEASURE_EXPIRED' });
    expect(expired.reason).toContain('C. civ. 441 à 443');
  });

  it('refuses incomplete common data with French field errors, storing nothing', async () => {
    const res = await agent
      .post('/api/bulk-runs')
      .send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: { basis: 'revalorisation_annuelle', basisReference: 'x' } })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['commonData.basisReference', 'commonData.effectiveOn', 'commonData.percentage']);
    expect(res.body.error.details.find((e: { field: string }) => e.field === 'commonData.percentage').message).toContain('L.342-3');
    expect((await ds.query(`SELECT count(*)::int AS n FROM bulk_runs`))[0].n).toBe(0);
  });

  it('the auditor may read but not start a run', async () => {
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    await auditor.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON }).expect(403);
  });

  it('creates and generates one avenant per eligible resident, skips the others with their reason, audited', async () => {
    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON }).expect(202)).body;
    expect(started).toMatchObject({ status: 'running', kind: 'avenant-tarifs', documentType: 'avenant', counts: { total: 6, skipped: 2 } });
    const run = await finished(started.id);
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ total: 6, created: 4, generated: 4, skipped: 2, failed: 0, pending: 0, generationFailed: 0 });
    expect(run.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ residentId: marcelId, status: 'skipped', code: 'BULK_NO_SIGNED_CONTRACT', residentName: 'Marcel Dupont' }),
        expect.objectContaining({ residentId: expiredId, status: 'skipped', code: 'PROTECTION_MEASURE_EXPIRED' }),
      ]),
    );
    expect(run.problems).toHaveLength(2);
    const docs = await ds.query(
      `SELECT d.resident_id, d.status, v.template_version, v.input->'document'->'tariffChange' AS tc, (SELECT count(*)::int FROM renditions r WHERE r.version_id = v.id) AS renditions
         FROM bulk_run_items i JOIN documents d ON d.id = i.document_id JOIN document_versions v ON v.id = d.current_version_id WHERE i.run_id = $1`,
      [run.id],
    );
    expect(docs.map((d: { resident_id: string }) => d.resident_id).sort()).toEqual([...signed].sort());
    for (const d of docs) {
      expect(d).toMatchObject({ status: 'ready', template_version: '1.14.0', renditions: 9 });
      // 72,50 € × 1,025 = 74,3125 → 74,31 € (CASF L.342-3, the hébergement price) ; GIR 5-6 kept at 6,50 € (the département's arrêté, CASF L.314-2).
      expect(d.tc).toMatchObject({ basis: 'revalorisation_annuelle', prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.5, totalPerDay: 80.81 }, previousPrices: { totalPerDay: 79 } });
    }
    const actions = (await ds.query(`SELECT action FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 ORDER BY seq`, [run.id])).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['bulk_run.started', 'bulk_run.item_skipped', 'bulk_run.item_skipped', 'bulk_run.finished']);
    await agent.post(`/api/bulk-runs/${run.id}/cancel`).expect(409);
  });

  it('a resident whose avenant the law refuses fails with the code and French message; retry tries again, audited', async () => {
    // These residents have their avenant au 1er janvier 2027 (74,31 €): once it is signed, a later
    // date (an earlier one would change the price it recalls, TARIFF_LATER_AVENANT_EXISTS; before it
    // is signed, a later one waits, TARIFF_AVENANT_PENDING). 80 € is more than the year's 1 % above
    // the price in force on 31 December 2026, the contract's 72,50 € (and above 74,31 €): refused
    // (CASF L.342-3, a yearly percentage).
    await ds.query(`UPDATE documents SET status = 'signed' WHERE type = 'avenant' AND resident_id = ANY($1::uuid[])`, [signed]);
    const commonData = { ...COMMON, effectiveOn: '2027-07-01', percentage: 1, hebergementPerDay: 80 };
    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData, residentIds: signed.slice(0, 2) }).expect(202)).body;
    const run = await finished(started.id);
    expect(run.counts).toMatchObject({ total: 2, created: 0, failed: 2 });
    expect(run.problems).toHaveLength(2);
    for (const p of run.problems) {
      expect(p).toMatchObject({ status: 'failed', code: 'TARIFF_ABOVE_PERCENTAGE' });
      expect(p.message).toContain('L.342-3');
    }
    const retried = (await agent.post(`/api/bulk-runs/${run.id}/retry`).expect(202)).body;
    expect(retried.status).toBe('running');
    const again = await finished(run.id);
    expect(again.counts).toMatchObject({ failed: 2, created: 0 });
    const actions = (await ds.query(`SELECT action FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 ORDER BY seq`, [run.id])).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['bulk_run.started', 'bulk_run.item_failed', 'bulk_run.item_failed', 'bulk_run.finished', 'bulk_run.retried', 'bulk_run.item_failed', 'bulk_run.item_failed', 'bulk_run.finished']);
    expect((await ds.query(`SELECT count(*)::int AS n FROM documents WHERE type = 'avenant'`))[0].n).toBe(4);
  });

  it('cancel stops a running run: residents not yet processed get no document', async () => {
    await worker.close();
    // A later effective date: these residents' avenant au 1er janvier 2027 is signed (test above), none yet at this date.
    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: { ...COMMON, effectiveOn: '2027-07-01' }, residentIds: signed }).expect(202)).body;
    const cancelled = (await agent.post(`/api/bulk-runs/${started.id}/cancel`).expect(200)).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', counts: { cancelled: 4, created: 0 }, inProgress: false });
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('the run job to be done', async () => (await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'documents.bulk' AND done_at IS NULL`))[0].n === 0);
    expect((await ds.query(`SELECT count(*)::int AS n FROM documents WHERE type = 'avenant'`))[0].n).toBe(4);
    const actions = (await ds.query(`SELECT action FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 ORDER BY seq`, [started.id])).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['bulk_run.started', 'bulk_run.cancelled']);
  });
  it('many residents: every excluded resident is skipped with its code and French reason, items in French alphabetical order, one audit event each', async () => {
    // Issue 12: the run's items are written in one set-based statement; the same items as one insert per resident would give.
    const many = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 250, tag: 'Masse' });
    const noContract = many.slice(0, 200);
    const expired = many.slice(200, 240);
    const eligible = many.slice(240);
    // A contract still in signature is not a concluded contract to amend.
    await ds.query(`UPDATE documents SET status = 'in_signature' WHERE resident_id = ANY($1::uuid[])`, [noContract]);
    await ds.query(
      `INSERT INTO protection_measures (organisation_id, resident_id, type, mode, scope, acts, court, judgment_reference, judgment_date, end_date, created_at, updated_at)
       SELECT $1, r, 'curatelle', 'assistance', '{personne,biens}', '{}', 'Tribunal judiciaire de Valville', 'RG 20/2', '2020-01-10', '2025-01-10', now(), now() FROM unnest($2::uuid[]) r`,
      [h.orgA.organisationId, expired],
    );
    // Chosen in reverse: the positions follow the residents' names, not the order sent.
    const residentIds = [...many].reverse();
    const candidates = (await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}`).expect(200)).body as { residentId: string; eligible: boolean; code: string | null; reason: string | null }[];
    const byId = new Map(candidates.map((c) => [c.residentId, c]));
    for (const id of noContract) expect(byId.get(id)).toMatchObject({ eligible: false, code: 'BULK_NO_SIGNED_CONTRACT', reason: expect.stringContaining('CASF L.311-4') });
    for (const id of expired) expect(byId.get(id)).toMatchObject({ eligible: false, code: 'PROTECTION_MEASURE_EXPIRED', reason: expect.stringContaining('C. civ. 441 à 443') });
    for (const id of eligible) expect(byId.get(id)).toMatchObject({ eligible: true, code: null, reason: null });

    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds }).expect(202)).body;
    expect(started.counts).toMatchObject({ total: 250, skipped: 240 });
    const items = (await ds.query(
      `SELECT i.position, i.resident_id, i.status, i.code, i.message, i.processed_at, res.last_name FROM bulk_run_items i JOIN residents res ON res.id = i.resident_id WHERE i.run_id = $1 ORDER BY i.position`,
      [started.id],
    )) as { position: number; resident_id: string; status: string; code: string | null; message: string | null; processed_at: Date | null; last_name: string }[];
    expect(items.map((i) => i.position)).toEqual(Array.from({ length: 250 }, (_, k) => k + 1));
    expect(items.map((i) => i.resident_id)).toEqual(many);
    for (const i of items) {
      const c = byId.get(i.resident_id)!;
      if (c.eligible) expect(i).toMatchObject({ status: expect.stringMatching(/^(pending|created)$/), code: null, message: null });
      else expect(i).toMatchObject({ status: 'skipped', code: c.code, message: c.reason, processed_at: expect.any(Date) });
    }
    const run = await finished(started.id);
    expect(run.counts).toMatchObject({ total: 250, created: 10, generated: 10, skipped: 240, failed: 0 });
    expect(run.problems).toHaveLength(240);
    expect(new Set(run.problems.map((p: { residentId: string }) => p.residentId))).toEqual(new Set([...noContract, ...expired]));
    const skippedEvents = (await ds.query(`SELECT payload FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 AND action = 'bulk_run.item_skipped' ORDER BY seq`, [started.id])) as {
      payload: { residentId: string; code: string };
    }[];
    // One event per excluded resident, in the items' order.
    expect(skippedEvents.map((e) => e.payload.residentId)).toEqual(items.filter((i) => i.status === 'skipped').map((i) => i.resident_id));
  });
});
