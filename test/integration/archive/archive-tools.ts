import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { AppConfig } from '@carepact/config';
import { dataSourceOptions } from '@carepact/database';

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

/**
 * Runs `check` while the stored blob `sha256` holds `bytes` instead of its content, then puts the
 * content back. The test plays an insider: blobs are write-once (trigger) and the application's role
 * may not rewrite one, so this goes through the owner's connection and lifts the trigger for the change.
 */
export async function withBlobRewritten(config: AppConfig, sha256: string, bytes: Buffer, check: () => Promise<void>): Promise<void> {
  const owner = await new DataSource(dataSourceOptions(config, { as: 'owner', poolSize: 1 })).initialize();
  const write = async (content: Buffer) => {
    await owner.query(`ALTER TABLE blobs DISABLE TRIGGER USER`);
    await owner.query(`UPDATE blobs SET content = $2 WHERE sha256 = $1`, [sha256, content]);
    await owner.query(`ALTER TABLE blobs ENABLE TRIGGER USER`);
  };
  const [{ content }] = (await owner.query(`SELECT content FROM blobs WHERE sha256 = $1`, [sha256])) as { content: Buffer }[];
  await write(bytes);
  try {
    await check();
  } finally {
    await write(content);
    await owner.destroy();
  }
}
