import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { projectRoot } from '@carepact/common';
import { TEST_PASSWORD, envFor, insertResidentsWithSignedContracts, loginAgent, waitUntil } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 10 item 7, « resumable after a restart »: the worker process is killed with SIGKILL in the
 * middle of a bulk run (some avenants created, others pending), a new worker process starts, and
 * the run ends with exactly one avenant per resident — each item is marked in the transaction that
 * creates its document, and the interrupted job is delivered again (BullMQ's stalled-job check)
 * and continues with the pending residents.
 */
describe('bulk run: a worker killed mid-run resumes without duplicates', () => {
  let h: ApiHarness;
  let ds: DataSource;
  const children: ChildProcess[] = [];
  const N = 60;

  const startWorkerProcess = () => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist/apps/worker/src/main.js')], {
      env: envFor(h.db.config, { OUTBOX_POLL_MS: '100', OUTBOX_RESWEEP_MS: '2000', AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600', WORKER_HEALTH_PORT: '0', WORKER_RENDER_THREADS: '1' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    await h?.close();
  });

  it('kill -9 mid-run, restart: every resident gets exactly one avenant', async () => {
    const residents = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: N, tag: 'Reprise' });
    const agent: request.Agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const first = startWorkerProcess();
    const run = (
      await agent
        .post('/api/bulk-runs')
        .send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5 } })
        .expect(202)
    ).body;
    const created = async () => (await ds.query(`SELECT count(*)::int AS n FROM bulk_run_items WHERE run_id = $1 AND status = 'created'`, [run.id]))[0].n as number;
    await waitUntil('some avenants to be created', async () => (await created()) >= 5, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = await created();
    expect(atKill).toBeGreaterThanOrEqual(5);
    expect(atKill).toBeLessThan(N);
    // Nothing moves while no worker runs.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await created()).toBe(atKill);

    startWorkerProcess();
    await waitUntil(
      'the run to finish and every avenant to be generated after the restart',
      async () => {
        const view = (await agent.get(`/api/bulk-runs/${run.id}`)).body;
        return view.status === 'completed' && !view.inProgress;
      },
      240_000,
    );
    const view = (await agent.get(`/api/bulk-runs/${run.id}`).expect(200)).body;
    expect(view.counts).toMatchObject({ total: N, created: N, generated: N, failed: 0, pending: 0, skipped: 0 });
    const perResident = (await ds.query(
      `SELECT r.id, count(d.id)::int AS n FROM residents r LEFT JOIN documents d ON d.resident_id = r.id AND d.type = 'avenant' WHERE r.id = ANY($1::uuid[]) GROUP BY r.id`,
      [residents],
    )) as { id: string; n: number }[];
    expect(perResident).toHaveLength(N);
    expect(perResident.filter((r) => r.n !== 1)).toEqual([]);
    // Each item names its document, and each document one version with its 9 renditions.
    const [{ linked }] = await ds.query(`SELECT count(DISTINCT document_id)::int AS linked FROM bulk_run_items WHERE run_id = $1`, [run.id]);
    expect(linked).toBe(N);
    const [{ renditions }] = await ds.query(
      `SELECT count(*)::int AS renditions FROM renditions r JOIN document_versions v ON v.id = r.version_id JOIN bulk_run_items i ON i.document_id = v.document_id WHERE i.run_id = $1`,
      [run.id],
    );
    expect(renditions).toBe(N * 9);
    const [{ finished }] = await ds.query(`SELECT count(*)::int AS finished FROM audit_events WHERE subject_type = 'bulk_run' AND subject_id = $1 AND action = 'bulk_run.finished'`, [run.id]);
    expect(finished).toBe(1);
  }, 360_000);
});
