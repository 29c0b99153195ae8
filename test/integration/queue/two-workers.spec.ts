import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SpanTotal, projectRoot } from '@carepact/common';
import { redisOptions } from '@carepact/queue';
import { TEST_PASSWORD, contractData, curatelleResident, envFor, loginAgent, runCli, waitUntil } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 12 item 5, « workers are separate processes that scale out on BullMQ »: two worker
 * processes (compiled, as deployed) on one database and one Redis prefix, each relaying the outbox
 * and taking render jobs. N documents created through the API are each rendered exactly once:
 * 9 renditions and one `document_version.generated` audit event per version, every outbox row done
 * once and none failed, each row added to Redis by one relay only, both processes took jobs (from
 * the span totals each process writes), and the organisation's audit chain verifies (`audit:verify`).
 */
describe('two worker processes share the queues: every job done once', () => {
  let h: ApiHarness;
  let ds: DataSource;
  const children: ChildProcess[] = [];
  let render: Queue | null = null;
  const spansDir = mkdtempSync(join(tmpdir(), 'carepact-two-workers-'));
  const N = 30;

  const startWorkerProcess = () => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist/apps/worker/src/main.js')], {
      env: envFor(h.db.config, {
        OUTBOX_POLL_MS: '100',
        OUTBOX_RESWEEP_MS: '2000',
        AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600',
        WORKER_HEALTH_PORT: '0',
        WORKER_RENDER_THREADS: '1',
        CAREPACT_SPANS_DIR: spansDir,
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  };
  const stopAll = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await render?.close();
    await stopAll();
    await h?.close();
    rmSync(spansDir, { recursive: true, force: true });
  });

  it(`${N} documents created through the API: each version rendered once, by one or the other worker`, async () => {
    const workers = [startWorkerProcess(), startWorkerProcess()];
    // Both processes listen on the render queue before any work arrives (BullMQ names its worker connections).
    render = new Queue('render', { connection: redisOptions(h.db.config.redis.url), prefix: h.db.config.redis.prefix });
    await waitUntil('both worker processes to listen on the render queue', async () => (await render!.getWorkersCount()) >= 2, 60_000);

    const agent: request.Agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (await agent.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const documentIds: string[] = [];
    // The same data each time: every version is still rendered, its id printed in its page footers.
    // Ten requests at a time, so that jobs wait in the queue together: posted one by one, a single
    // worker that renders fast (or a loaded machine slowing the other one) could take them all.
    for (let i = 0; i < N; i += 10)
      documentIds.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, N - i) }, async () => (await agent.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string),
        )),
      );
    const versions = async () =>
      (await ds.query(`SELECT v.id, v.status FROM document_versions v WHERE v.document_id = ANY($1::uuid[])`, [documentIds])) as { id: string; status: string }[];
    await waitUntil('every version to be generated', async () => (await versions()).every((v) => v.status === 'ready'), 120_000);
    const all = await versions();
    expect(all).toHaveLength(N);

    // Once each: 9 renditions, one generated event, one outbox row done and not failed.
    const renditions = (await ds.query(`SELECT version_id, count(*)::int AS n FROM renditions WHERE version_id = ANY($1::uuid[]) GROUP BY version_id`, [all.map((v) => v.id)])) as {
      version_id: string;
      n: number;
    }[];
    expect(renditions).toHaveLength(N);
    expect(renditions.filter((r) => r.n !== 9)).toEqual([]);
    const generated = (await ds.query(
      `SELECT subject_id, count(*)::int AS n FROM audit_events WHERE action = 'document_version.generated' AND subject_id = ANY($1::text[]) GROUP BY subject_id`,
      [all.map((v) => v.id)],
    )) as { subject_id: string; n: number }[];
    expect(generated).toHaveLength(N);
    expect(generated.filter((g) => g.n !== 1)).toEqual([]);
    const outbox = (await ds.query(`SELECT done_at, failed_at, enqueue_count FROM outbox WHERE job_name = 'documents.render'`)) as {
      done_at: Date | null;
      failed_at: Date | null;
      enqueue_count: number;
    }[];
    expect(outbox).toHaveLength(N);
    expect(outbox.filter((r) => r.done_at === null || r.failed_at !== null)).toEqual([]);
    // Both processes relay the outbox; each row was claimed and added to Redis by one of them, once.
    expect(outbox.filter((r) => r.enqueue_count !== 1)).toEqual([]);

    // A job's outbox row is done inside its handler; BullMQ records the completion once the handler
    // returns, and the process's span count just before. Each process writes its span totals every
    // second (a process stopped by SIGTERM ends by its signal, without an exit hook): the render
    // jobs each one ran. A redelivery would be skipped by its outbox row, and counted here too.
    const queue = render;
    await waitUntil('BullMQ to record every render job completed', async () => (await queue.getJobCounts('completed')).completed >= N);
    const ran = () =>
      workers.map((w) => {
        const file = join(spansDir, `spans-${w.pid}.json`);
        if (!readdirSync(spansDir).includes(`spans-${w.pid}.json`)) return 0;
        const spans = JSON.parse(readFileSync(file, 'utf8')) as Record<string, SpanTotal>;
        return spans['worker: render job']?.count ?? 0;
      });
    await waitUntil('both processes to write their span totals', async () => ran()[0] + ran()[1] >= N, 10_000);
    const [first, second] = ran();
    expect(first + second).toBeGreaterThanOrEqual(N);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    // bench:bulk's memory by isolate: each process writes its main thread's heap and its render thread's, as last seen.
    for (const w of workers) {
      const heaps = JSON.parse(readFileSync(join(spansDir, `heap-${w.pid}.json`), 'utf8')) as Record<string, { committed: number; used: number }>;
      expect(Object.keys(heaps)).toEqual(['main', expect.stringMatching(/^render thread \d+$/)]);
      for (const g of Object.values(heaps)) expect(g.committed).toBeGreaterThanOrEqual(g.used);
      expect(Object.values(heaps).every((g) => g.used > 1e6)).toBe(true);
    }
    await stopAll();

    // The organisation's audit chain (every append from both processes) verifies.
    const verify = await runCli(h.db.config, ['audit:verify']);
    expect({ code: verify.code, stderr: verify.stderr }).toMatchObject({ code: 0 });
  }, 240_000);
});
