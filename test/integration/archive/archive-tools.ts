import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';

/** A (small, test) package read whole: entry name → bytes, in the zip's order. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.fromBuffer(readFileSync(file), { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out = new Map<string, Buffer>();
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return rej(err);
        const chunks: Buffer[] = [];
        for await (const c of stream as Readable) chunks.push(c as Buffer);
        out.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      }),
    );
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  return out;
}

export async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as Readable) chunks.push(c as Buffer);
  writeFileSync(file, Buffer.concat(chunks));
}
