import { StampedCache } from './stamped-cache';

describe('StampedCache', () => {
  let now = 0;
  const cache = () => new StampedCache<string>(2, 1000, () => now);
  beforeEach(() => (now = 0));

  it('reuses a value while the stamp holds, computes again when it moves', async () => {
    const c = cache();
    let n = 0;
    const compute = () => Promise.resolve(`v${++n}`);
    expect(await c.get('k', '1', compute)).toBe('v1');
    expect(await c.get('k', '1', compute)).toBe('v1');
    expect(await c.get('k', '2', compute)).toBe('v2');
    expect(await c.get('k', '2', compute)).toBe('v2');
    expect([c.hits, c.misses]).toEqual([2, 2]);
  });

  it('computes again past the maximum age even when the stamp holds', async () => {
    const c = cache();
    let n = 0;
    const compute = () => Promise.resolve(`v${++n}`);
    await c.get('k', '1', compute);
    now = 1000;
    expect(await c.get('k', '1', compute)).toBe('v1');
    now = 1001;
    expect(await c.get('k', '1', compute)).toBe('v2');
  });

  it('shares one computation between concurrent requests', async () => {
    const c = cache();
    let n = 0;
    let release!: (v: string) => void;
    const compute = () => {
      n++;
      return new Promise<string>((r) => (release = r));
    };
    const both = Promise.all([c.get('k', '1', compute), c.get('k', '1', compute)]);
    release('v');
    expect(await both).toEqual(['v', 'v']);
    expect(n).toBe(1);
  });

  it('forgets a failed computation', async () => {
    const c = cache();
    await expect(c.get('k', '1', () => Promise.reject(new Error('base indisponible')))).rejects.toThrow('base indisponible');
    expect(await c.get('k', '1', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const c = cache();
    await c.get('a', '1', () => Promise.resolve('a'));
    await c.get('b', '1', () => Promise.resolve('b'));
    await c.get('a', '1', () => Promise.resolve('a2')); // a is now the most recent
    await c.get('c', '1', () => Promise.resolve('c'));
    expect(c.size).toBe(2);
    expect(await c.get('a', '1', () => Promise.resolve('a3'))).toBe('a');
    expect(await c.get('b', '1', () => Promise.resolve('b2'))).toBe('b2');
  });
});
