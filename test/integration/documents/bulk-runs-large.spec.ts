import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const COMMON = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };
const RESIDENTS = 8200;

/**
 * The January tariff avenant of a large establishment (or of everyone an association's import
 * lists): 8,200 residents in one run. Listing them used to answer 413 from about 6,700 ids (the
 * API's 256 kB body limit); POST /api/bulk-runs now takes up to 20,000 listed ids, and a run may
 * instead take every resident of the establishment but a few (`excludedResidentIds`). The worker
 * reads the stored items in order, a chunk at a time.
 */
describe('bulk runs of thousands of residents', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let ds: DataSource;
  let ids: string[];

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
    ids = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: RESIDENTS, tag: 'Grand' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const items = async (runId: string) =>
    (await ds.query(`SELECT status, count(*)::int AS n, min(position)::int AS first, max(position)::int AS last FROM bulk_run_items WHERE run_id = $1 GROUP BY status ORDER BY status`, [runId])) as {
      status: string;
      n: number;
      first: number;
      last: number;
    }[];

  it('8,200 residents listed by id (a body of ~330 kB, over the API’s ordinary limit): 202, one pending item each', async () => {
    const body = { establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: ids };
    expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
    const res = await agent.post('/api/bulk-runs').send(body);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 202, code: undefined });
    expect(res.body.counts).toMatchObject({ total: RESIDENTS, pending: RESIDENTS, skipped: 0 });
    expect(await items(res.body.id)).toEqual([{ status: 'pending', n: RESIDENTS, first: 1, last: RESIDENTS }]);
    // Not run here: the next test's run is followed by the worker.
    await agent.post(`/api/bulk-runs/${res.body.id}/cancel`).expect(200);
  });

  it('every resident of the establishment but those left out (`excludedResidentIds`): no list of 8,000 ids needed; the worker takes them in order', async () => {
    const left = [ids[0], ids[4000]];
    const res = await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, excludedResidentIds: left });
    expect(res.status).toBe(202);
    expect(res.body.counts).toMatchObject({ total: RESIDENTS - 2, pending: RESIDENTS - 2 });
    const stored = (await ds.query(`SELECT count(*)::int AS n FROM bulk_run_items WHERE run_id = $1 AND resident_id = ANY($2::uuid[])`, [res.body.id, left]))[0].n;
    expect(stored).toBe(0);

    let worker: WorkerHandle | undefined;
    try {
      worker = await startWorker(h.db.config, { probe: false });
      await waitUntil('the worker to create the first avenants', async () => (await agent.get(`/api/bulk-runs/${res.body.id}`)).body.counts.created >= 3, 60000);
    } finally {
      // Stopped before the cancel (a cancel that runs while the worker creates may see it take a later item).
      await worker?.close();
    }
    const stopped = await items(res.body.id);
    const created = stopped.find((r) => r.status === 'created')!;
    // Taken in the order of the stored positions, from the first (names order: ids[1] is « Grand-00002 »).
    expect(created).toMatchObject({ first: 1, last: created.n });
    expect(stopped.find((r) => r.status === 'pending')).toEqual({ status: 'pending', n: RESIDENTS - 2 - created.n, first: created.n + 1, last: RESIDENTS - 2 });
    await agent.post(`/api/bulk-runs/${res.body.id}/cancel`).expect(200);
    expect((await items(res.body.id)).map((r) => r.status)).toEqual(['cancelled', 'created']);
    const first = (await ds.query(`SELECT resident_id FROM bulk_run_items WHERE run_id = $1 AND position = 1`, [res.body.id]))[0].resident_id;
    expect(first).toBe(ids[1]);
  });

  it('both lists, or a resident left out who is not in the establishment → 400 in French, nothing stored', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM bulk_runs`))[0].n;
    const both = await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: [ids[0]], excludedResidentIds: [ids[1]] });
    expect(both.status).toBe(400);
    expect(both.body.error.details).toEqual([expect.objectContaining({ field: 'excludedResidentIds', code: 'BULK_SELECTION_CONFLICT' })]);
    const foreign = await agent
      .post('/api/bulk-runs')
      .send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, excludedResidentIds: ['0b7c2f9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f'] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([expect.objectContaining({ field: 'excludedResidentIds', code: 'RESIDENT_NOT_FOUND' })]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM bulk_runs`))[0].n).toBe(before);
  });

  it('beyond 20,000 listed ids: 400 TOO_LONG; a body beyond the route’s limit: 413 BULK_RUN_TOO_LARGE saying the maximum and the way without a list', async () => {
    const fake = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const tooMany = await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: fake(20001) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual([expect.objectContaining({ field: 'residentIds', code: 'TOO_LONG' })]);
    const huge = await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: fake(30000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('BULK_RUN_TOO_LARGE');
    expect(huge.body.error.message).toMatch(/20\s000 résidents au plus/);
    expect(huge.body.error.message).toContain('n’envoyez pas residentIds');
    // Other routes keep the ordinary limit.
    const other = await agent.post('/api/residents').send({ establishmentId: h.orgA.establishmentId, firstName: 'x'.repeat(300 * 1024) });
    expect({ status: other.status, code: other.body.error.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
