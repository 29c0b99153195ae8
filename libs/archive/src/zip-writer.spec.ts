import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as yauzl from 'yauzl';
import { StreamingZip } from './zip-writer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('StreamingZip', () => {
  it('keeps no written entry in memory, and writes what it hashed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cp-zip-')), 'p.zip');
    const zip = new StreamingZip(file);
    const refs: WeakRef<Buffer>[] = [];
    const hashes = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const bytes = randomBytes(256 * 1024);
      refs.push(new WeakRef(bytes));
      hashes.set(`f${i}.bin`, createHash('sha256').update(bytes).digest('hex'));
      await zip.add(`f${i}.bin`, bytes);
    }
    await new Promise((r) => setImmediate(r));
    gc();
    // Written entries are unreachable (the last one may still be held by the stream that wrote it).
    expect(refs.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
    await zip.end();
    expect(zip.files.map((f) => [f.path, f.sha256])).toEqual([...hashes]);

    const read = new Map<string, string>();
    const z = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, zf) => (e ? rej(e) : res(zf!))));
    await new Promise<void>((res, rej) => {
      z.on('entry', (entry: yauzl.Entry) =>
        z.openReadStream(entry, async (err, s) => {
          if (err) return rej(err);
          const h = createHash('sha256');
          for await (const c of s!) h.update(c as Buffer);
          read.set(entry.fileName, h.digest('hex'));
          z.readEntry();
        }),
      );
      z.on('end', () => res());
      z.readEntry();
    });
    expect([...read]).toEqual([...hashes]);
  });
});
