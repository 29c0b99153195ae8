import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS } from '@carepact/config';

/**
 * Issue 12 (worker peak RSS ≤ 300 MB): the worker is started with WORKER_NODE_FLAGS everywhere it
 * is started for use — npm run start:worker, npm start (scripts/start.ts), docker compose, the
 * benches that measure its memory. A launcher without them runs a worker some 24 MB larger.
 */
describe('the worker is started with WORKER_NODE_FLAGS', () => {
  const root = join(__dirname, '../../..');
  const read = (f: string) => readFileSync(join(root, f), 'utf8');

  it('the flags size the main thread young generation and the heaps\' growth between full collections, the optimising compiler\'s budget, nothing else', () => {
    expect(WORKER_NODE_FLAGS).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=100', '--interrupt-budget=540672']);
  });

  it('npm run start:worker and docker compose write them before the script', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:worker']).toBe(`node ${WORKER_NODE_FLAGS.join(' ')} dist/apps/worker/src/main.js`);
    expect(read('docker-compose.yml')).toContain(`command: ["node", ${WORKER_NODE_FLAGS.map((f) => JSON.stringify(f)).join(', ')}, "dist/apps/worker/src/main.js"]`);
  });

  it('npm start and the benches pass WORKER_NODE_FLAGS to the worker', () => {
    expect(read('scripts/start.ts')).toMatch(/\['dist\/apps\/worker\/src\/main\.js', WORKER_NODE_FLAGS\]/);
    expect(read('bench/stack.ts')).toMatch(/start\('dist\/apps\/worker\/src\/main\.js', WORKER_NODE_FLAGS\)/);
    expect(read('bench/pipeline.ts')).toMatch(/\? WORKER_NODE_FLAGS : \[\]/);
  });
});
