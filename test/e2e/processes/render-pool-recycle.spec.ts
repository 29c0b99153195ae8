import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/**
 * RenderPool.recycle (issue 12, worker peak RSS): the renditions' bytes the worker has stored leave
 * the main thread at once for a render thread. The compiled pool is used (threads need dist/).
 */
describe('render pool: stored renditions leave the main thread', () => {
  const root = projectRoot();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled library: the pool starts threads only from dist/
  const rendering = require(join(root, 'dist/libs/rendering/src')) as typeof import('@carepact/rendering');
  const fixture = JSON.parse(readFileSync(join(root, 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const input = rendering.templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
  const version = rendering.templates().load('contrat-sejour').content.version;
  const pool = new rendering.RenderPool(1);
  afterAll(() => pool.close());

  it('moves each rendition buffer to a thread, which keeps rendering the same bytes', async () => {
    expect(pool.threaded).toBe(true);
    const first = await pool.render('contrat-sejour', version, input, { versionId: 'v-1' });
    const copies = first.map((r) => Buffer.from(r.bytes));
    expect(first.every((r) => r.bytes.length > 0)).toBe(true);
    pool.recycle(first);
    // Detached: the memory is no longer this thread's.
    expect(first.map((r) => r.bytes.buffer.byteLength)).toEqual(first.map(() => 0));
    const second = await pool.render('contrat-sejour', version, input, { versionId: 'v-1' });
    expect(second.map((r) => Buffer.compare(r.bytes, copies[second.indexOf(r)]))).toEqual(second.map(() => 0));
  });

  it('leaves alone bytes it did not make (a slice of a larger buffer)', () => {
    const big = Buffer.alloc(1024, 1);
    const slice = big.subarray(10, 20);
    pool.recycle([{ format: 'html', variant: 'standard', mediaType: 'text/html', bytes: slice }]);
    expect(big.buffer.byteLength).toBeGreaterThan(0);
    expect(slice[0]).toBe(1);
  });
});
