import { spawn } from 'node:child_process';
import { projectRoot } from '@carepact/common';
import { TestDatabase, createTestDatabase, envFor } from '@carepact/testing';

/**
 * Starts the compiled worker (dist/) in a child process with the given processors, closes it at
 * once, and reports how it ended. A child, because a start refused half-way leaves connections
 * behind that only the end of the process closes.
 */
function startWith(db: TestDatabase, processors: string[]): Promise<{ code: number | null; stderr: string }> {
  const root = projectRoot();
  const script = `
    require('reflect-metadata');
    const root = ${JSON.stringify(root)};
    const { loadConfig } = require(root + '/dist/libs/config/src/index.js');
    const { startWorker } = require(root + '/dist/apps/worker/src/bootstrap.js');
    const processors = ${JSON.stringify(processors)}.map((n) => {
      const file = n.replace('Processor', '').toLowerCase();
      return require(root + '/dist/apps/worker/src/processors/' + file + '.processor.js')[n];
    });
    startWorker(loadConfig(), { probe: false, processors }).then(
      (w) => w.close().then(() => process.exit(0)),
      (e) => { process.stderr.write(String(e && e.message)); process.exit(3); },
    );`;
  const child = spawn(process.execPath, ['-e', script], { env: envFor(db.config, { AUDIT_CHECKPOINT_INTERVAL_SECONDS: '3600' }), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

/** Issue 9: every job name of the registry (JOBS) has a handler, checked when the worker starts. */
describe('worker start', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('starts with a processor for every queue', async () => {
    const { code, stderr } = await startWith(db, ['AuditProcessor', 'RenderProcessor', 'NotifyProcessor', 'SealProcessor', 'DataProcessor']);
    expect(stderr).not.toContain('WORKER_JOB_HANDLERS_MISSING');
    expect(code).toBe(0);
  });

  it('refuses to start when a job name has no handler, naming it', async () => {
    const { code, stderr } = await startWith(db, ['AuditProcessor', 'RenderProcessor', 'NotifyProcessor']);
    expect(code).toBe(3);
    expect(stderr).toContain('WORKER_JOB_HANDLERS_MISSING: no handler for signing.seal (queue seal)');
  });
});
