import request from 'supertest';
import { DataSource } from 'typeorm';
import { BulkRunsService, DocumentsRepository, DocumentsService, parseTariffCommonData, tariffAvenantData } from '@carepact/documents';
import type { StaffActor } from '@carepact/identity';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const COMMON = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };

/**
 * A resident never gets two tariff avenants for the same effective date from bulk runs, whatever
 * the timing (review: two simultaneous « Lancer » and a third later gave each resident three
 * avenants au 1er janvier 2027). Three walls: the candidates leave out a resident who already has
 * one (BULK_AVENANT_EXISTS); one running run per establishment and kind (409
 * BULK_RUN_ALREADY_RUNNING, a partial unique index for simultaneous requests); and the worker
 * re-checks each resident under a row lock, skipping the item when an avenant exists.
 */
describe('bulk runs: never two tariff avenants for the same effective date', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let ds: DataSource;
  let bulk: BulkRunsService;
  let actor: StaffActor;

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    ds = h.app.get(DataSource);
    bulk = h.app.get(BulkRunsService);
    const u = h.orgA.users.admissions;
    actor = { kind: 'staff', userId: u.id, organisationId: h.orgA.organisationId, email: u.email, name: 'Admissions', sessionId: '', roles: [{ establishmentId: h.orgA.establishmentId, role: 'admissions' }] };
  });
  afterAll(async () => {
    await h?.close();
  });

  const residents = (count: number, tag: string) => insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count, tag });

  /** A tariff avenant made as one document (DocumentsService.createIn, the bulk run's own data), in `em`'s transaction. */
  const tariffAvenant = async (em: DataSource['manager'], residentId: string, effectiveOn: string) => {
    const contract = (await h.app.get(DocumentsRepository).signedContracts(em, h.orgA.organisationId, [residentId])).get(residentId)!;
    const data = tariffAvenantData(parseTariffCommonData({ ...COMMON, effectiveOn }).data!, contract);
    return h.app.get(DocumentsService).createIn(em, actor, { residentId, type: 'avenant', data });
  };

  const avenantsOn = async (ids: string[], effectiveOn: string) =>
    new Map(
      (
        (await ds.query(
          `SELECT d.resident_id, count(*)::int AS n FROM documents d JOIN document_versions v ON v.id = d.current_version_id
            WHERE d.resident_id = ANY($1::uuid[]) AND d.type = 'avenant' AND d.status <> 'cancelled' AND v.input #>> '{document,tariffChange,effectiveOn}' = $2 GROUP BY 1`,
          [ids, effectiveOn],
        )) as { resident_id: string; n: number }[]
      ).map((r) => [r.resident_id, r.n]),
    );

  const startOutbox = async (runId: string) => (await ds.query(`SELECT id FROM outbox WHERE job_name = 'documents.bulk' AND payload->>'runId' = $1 ORDER BY created_at LIMIT 1`, [runId]))[0].id as string;

  it('candidates for an effective date leave out a resident who already has a (non-cancelled) tariff avenant for it, with the reason and BULK_AVENANT_EXISTS; a run skips them', async () => {
    const [has, cancelled, otherDate] = await residents(3, 'Deja');
    await ds.transaction(async (em) => {
      await tariffAvenant(em, has, '2027-01-01');
      const c = await tariffAvenant(em, cancelled, '2027-01-01');
      await em.query(`UPDATE documents SET status = 'cancelled' WHERE id = $1`, [c.id]);
      // Another date, earlier and signed (one awaiting signature would leave them out, TARIFF_AVENANT_PENDING;
      // a later one too, whose « Pour mémoire » a January avenant would change, TARIFF_LATER_AVENANT_EXISTS).
      const earlier = await tariffAvenant(em, otherDate, '2026-07-01');
      await em.query(`UPDATE documents SET status = 'signed' WHERE id = $1`, [earlier.id]);
    });
    const list = async (q: string) =>
      new Map(
        ((await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}${q}`).expect(200)).body as { residentId: string; eligible: boolean; code: string | null; reason: string | null }[]).map((c) => [
          c.residentId,
          c,
        ]),
      );
    const on = await list('&effectiveOn=2027-01-01');
    expect(on.get(has)).toMatchObject({ eligible: false, code: 'BULK_AVENANT_EXISTS' });
    expect(on.get(has)!.reason).toContain('déjà un avenant tarifaire au 1er janvier 2027');
    expect(on.get(cancelled)).toMatchObject({ eligible: true, code: null });
    expect(on.get(otherDate)).toMatchObject({ eligible: true, code: null });
    // Without a date (the console's first display), nobody is left out for this reason.
    expect((await list('')).get(has)).toMatchObject({ eligible: true });
    const bad = await agent.get(`/api/bulk-runs/candidates?establishmentId=${h.orgA.establishmentId}&effectiveOn=2027-02-30`).expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'effectiveOn' })]);

    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: [has, cancelled, otherDate] }).expect(202)).body;
    expect(started.counts).toMatchObject({ total: 3, pending: 2, skipped: 1 });
    expect(started.problems).toEqual([expect.objectContaining({ residentId: has, status: 'skipped', code: 'BULK_AVENANT_EXISTS', message: on.get(has)!.reason })]);
    await agent.post(`/api/bulk-runs/${started.id}/cancel`).expect(200);
  });

  it('simultaneous starts for the same establishment: one 202, the others 409 naming the running run; the database refuses a second running run; later starts add nothing', async () => {
    const ids = await residents(3, 'Lot');
    const body = { establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: ids };
    const before = (await ds.query(`SELECT count(*)::int AS n FROM bulk_runs`))[0].n;
    // Really concurrent: every request is on the wire before any answer.
    const answers = await Promise.all(Array.from({ length: 4 }, () => agent.post('/api/bulk-runs').send(body)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 202)!.body;
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error.code).toBe('BULK_RUN_ALREADY_RUNNING');
      expect(a.body.error.message).toContain('déjà en cours pour cet établissement');
      expect(a.body.error.message).toContain(`/console/generations/${winner.id}`);
    }
    expect((await ds.query(`SELECT count(*)::int AS n FROM bulk_runs`))[0].n).toBe(before + 1);

    // The database itself: a second running run of this kind for this establishment is refused.
    await expect(
      ds.query(
        `INSERT INTO bulk_runs (organisation_id, establishment_id, kind, document_type, common_data, status, started_by, item_count, created_at) VALUES ($1, $2, 'avenant-tarifs', 'avenant', '{}', 'running', $3, 0, now())`,
        [h.orgA.organisationId, h.orgA.establishmentId, h.orgA.users.admissions.id],
      ),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23505', constraint: 'uq_bulk_runs_running' }) });

    // A third « Lancer », later, while it runs: 409 too.
    const third = await agent.post('/api/bulk-runs').send(body);
    expect({ status: third.status, code: third.body.error?.code }).toEqual({ status: 409, code: 'BULK_RUN_ALREADY_RUNNING' });

    let worker: WorkerHandle | undefined;
    try {
      worker = await startWorker(h.db.config, { probe: false });
      await waitUntil('the run to finish', async () => (await ds.query(`SELECT status FROM bulk_runs WHERE id = $1`, [winner.id]))[0].status === 'completed', 60000);
    } finally {
      await worker?.close();
    }
    expect([...(await avenantsOn(ids, '2027-01-01')).values()]).toEqual([1, 1, 1]);
    // Once it is over, the same start again: everyone already has theirs, nothing is created.
    const again = await agent.post('/api/bulk-runs').send(body);
    expect({ status: again.status, code: again.body.error?.details?.[0]?.code }).toEqual({ status: 400, code: 'BULK_NO_ELIGIBLE_RESIDENT' });
    expect(again.body.error.details[0].message).toContain('déjà un avenant tarifaire au 1er janvier 2027');
    expect([...(await avenantsOn(ids, '2027-01-01')).values()]).toEqual([1, 1, 1]);
  }, 120000);

  it('the worker re-checks each resident under a row lock: an avenant committed meanwhile by another transaction → the item is skipped (BULK_AVENANT_EXISTS), audited', async () => {
    const [first, second] = await residents(2, 'Verrou');
    const started = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: [first, second] }).expect(202)).body;
    expect(started.counts).toMatchObject({ pending: 2 });
    const outboxId = await startOutbox(started.id);

    // Another transaction (say, an item of an earlier run still being written) holds the resident
    // and creates their avenant au 1er janvier 2027; the run's job starts meanwhile.
    const qr = ds.createQueryRunner();
    await qr.connect();
    let chunk: Promise<unknown> | undefined;
    try {
      await qr.startTransaction();
      await qr.query(`SELECT id FROM residents WHERE id = $1 FOR NO KEY UPDATE`, [first]);
      await tariffAvenant(qr.manager, first, '2027-01-01');
      chunk = bulk.processChunk(outboxId, started.id);
      await new Promise((r) => setTimeout(r, 500));
      await qr.commitTransaction();
    } finally {
      await qr.release();
    }
    expect(await chunk).toEqual({ processed: 2, finished: true });

    expect(Object.fromEntries(await avenantsOn([first, second], '2027-01-01'))).toEqual({ [first]: 1, [second]: 1 });
    const run = (await agent.get(`/api/bulk-runs/${started.id}`).expect(200)).body;
    expect(run.counts).toMatchObject({ total: 2, created: 1, skipped: 1, failed: 0, pending: 0 });
    expect(run.problems).toEqual([expect.objectContaining({ residentId: first, status: 'skipped', code: 'BULK_AVENANT_EXISTS', message: expect.stringContaining('déjà un avenant tarifaire au 1er janvier 2027') })]);
    const events = (await ds.query(`SELECT action, payload FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 ORDER BY seq`, [started.id])) as { action: string; payload: Record<string, unknown> }[];
    expect(events.map((e) => e.action)).toEqual(['bulk_run.started', 'bulk_run.item_skipped', 'bulk_run.finished']);
    expect(events[1].payload).toMatchObject({ residentId: first, code: 'BULK_AVENANT_EXISTS' });
  });

  it('retrying a finished run while another runs for the establishment: 409 BULK_RUN_ALREADY_RUNNING, not a second running run', async () => {
    const [a, b] = await residents(2, 'Relance');
    // 80 € is more than 1 % above the contract's 72,50 €: the item fails (CASF L.342-3).
    const failing = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: { ...COMMON, effectiveOn: '2027-07-01', percentage: 1, hebergementPerDay: 80 }, residentIds: [a] }).expect(202)).body;
    expect(await bulk.processChunk(await startOutbox(failing.id), failing.id)).toEqual({ processed: 1, finished: true });
    const other = (await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: COMMON, residentIds: [b] }).expect(202)).body;
    const retry = await agent.post(`/api/bulk-runs/${failing.id}/retry`);
    expect({ status: retry.status, code: retry.body.error?.code }).toEqual({ status: 409, code: 'BULK_RUN_ALREADY_RUNNING' });
    expect(retry.body.error.message).toContain(`/console/generations/${other.id}`);
    expect((await ds.query(`SELECT status FROM bulk_runs WHERE id = $1`, [failing.id]))[0].status).toBe('completed');
    await agent.post(`/api/bulk-runs/${other.id}/cancel`).expect(200);
    await agent.post(`/api/bulk-runs/${failing.id}/retry`).expect(202);
  });
});
