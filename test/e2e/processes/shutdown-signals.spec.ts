import { once } from 'node:events';
import { createTestDatabase, freePort, RunningProcess, startProcess, TestDatabase, waitUntil } from '@carepact/testing';

/**
 * The api and the worker stop cleanly on SIGTERM, SIGINT and SIGHUP, exiting 0 after their shutdown
 * hooks; SIGUSR2 no longer ends them: Nest's enableShutdownHooks() listened to every signal, so a
 * heap snapshot could not be triggered by SIGUSR2 (docs/SCALE.md, session 15).
 * The compiled processes are started as in production; each step waits for an event (the line the
 * process writes, its health answer, its exit), bounded generously, never for a duration.
 */
describe('shutdown signals of the compiled api and worker', () => {
  let db: TestDatabase;
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60000);
  afterAll(async () => {
    for (const p of running) await p.stop();
    await db?.drop();
  });

  /** Whether the process answers HTTP on its health port (the api's says 503 while no worker beats: an answer all the same). */
  const answers = async (port: number) => [200, 503].includes((await fetch(`http://127.0.0.1:${port}/health`)).status);

  for (const [name, script, portVariable] of [
    ['worker', 'dist/apps/worker/src/main.js', 'WORKER_HEALTH_PORT'],
    ['api', 'dist/apps/api/src/main.js', 'PORT'],
  ] as const) {
    it(`the ${name}: SIGUSR2 leaves it answering; SIGTERM (then, started again, SIGHUP) stops it, exit code 0`, async () => {
      const port = await freePort();
      const p = startProcess(db.config, script, { [portVariable]: String(port) });
      running.push(p);
      const exited = once(p.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      await waitUntil(`the ${name} answering /health`, () => answers(port), 90000);

      p.child.kill('SIGUSR2');
      await waitUntil(`the ${name} noting SIGUSR2`, async () => p.output().includes('SIGUSR2 received'), 30000);
      expect(await answers(port)).toBe(true);
      expect({ code: p.child.exitCode, signal: p.child.signalCode }).toEqual({ code: null, signal: null });

      p.child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });

      // A closed terminal (SIGHUP) stops it the same clean way.
      const again = startProcess(db.config, script, { [portVariable]: String(port) });
      running.push(again);
      const hungUp = once(again.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      await waitUntil(`the ${name} answering /health again`, () => answers(port), 90000);
      again.child.kill('SIGHUP');
      const [code2, signal2] = await hungUp;
      expect({ code: code2, signal: signal2 }).toEqual({ code: 0, signal: null });
    }, 240000);
  }
});
