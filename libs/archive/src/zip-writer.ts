import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ManifestFile } from './archive.types';

/** Already compressed: deflating them again costs time for nothing. */
const STORED = /\.(pdf|docx|zip|p7s)$/;

/**
 * A zip written as it goes: each entry is streamed to the file before the next is read, so the
 * memory used is one entry, whatever the size of the package. Each entry's SHA-256 is computed on
 * the bytes written.
 */
export class StreamingZip {
  private readonly zip = new ZipFile();
  private readonly written: Promise<void>;
  private failure: Error | null = null;
  readonly files: ManifestFile[] = [];

  constructor(file: string) {
    const out = createWriteStream(file, { mode: 0o600 });
    this.zip.outputStream.pipe(out);
    this.zip.on('error', (e: Error) => (this.failure = e));
    this.written = finished(out);
    this.written.catch((e: Error) => (this.failure = e));
  }

  /** Adds one file (its bytes, or chunks produced on demand) and waits until it is written. */
  async add(path: string, data: Buffer | AsyncIterable<Buffer | string>, opts: { listed?: boolean } = {}): Promise<ManifestFile> {
    if (this.failure) throw this.failure;
    const hash = createHash('sha256');
    let size = 0;
    // yazl keeps every entry (for the central directory) with the stream it read: the bytes must
    // not stay reachable from it, or the whole package would end up in memory.
    let pending: Buffer | AsyncIterable<Buffer | string> | null = data;
    async function* counted(): AsyncGenerator<Buffer> {
      const source = pending!;
      pending = null;
      for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(b);
        size += b.length;
        yield b;
      }
    }
    const source = Readable.from(counted(), { objectMode: false });
    const consumed = finished(source);
    this.zip.addReadStream(source, path, { compress: !STORED.test(path), mtime: new Date() });
    await consumed;
    if (this.failure) throw this.failure;
    // yazl keeps each entry until the end (the central directory is written last), and with it the
    // function that pumped its data, which holds the stream, its state and the hash: about 4 KB per
    // entry. Dropped once used, the memory per entry is its name and sizes only.
    const entries = (this.zip as unknown as { entries: { doFileDataPump?: unknown }[] }).entries;
    const last = entries[entries.length - 1];
    if (last && typeof last.doFileDataPump === 'function') last.doFileDataPump = undefined;
    const entry = { path, sha256: hash.digest('hex'), size };
    if (opts.listed !== false) this.files.push(entry);
    return entry;
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.written;
    if (this.failure) throw this.failure;
  }
}
