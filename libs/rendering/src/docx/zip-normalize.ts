import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP reader and writer (stored and deflated entries, no ZIP64), enough to make a DOCX
 * reproducible: the renderer zips docx's parts itself, with one fixed timestamp (docx would use
 * the clock) and node:zlib (docx deflates in JavaScript), the parts shared across documents
 * compressed once per process. Also used by the tests to read the parts back. Written with
 * node:zlib only, to avoid a direct dependency on a zip library.
 */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

const LOCAL = 0x04034b50;
/** zlib's default: level 9 makes these XML parts about 1 % smaller for twice the time. */
const DEFLATE_LEVEL = 6;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

/** An entry as stored: its compressed bytes, method, CRC-32 and uncompressed size. */
export interface RawEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  raw: Buffer;
}

function readRaw(zip: Buffer): RawEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (zip.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  if (end < 0) throw new Error('ZIP invalide : fin de répertoire introuvable');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const entries: RawEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error('ZIP invalide : entrée du répertoire central');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 24);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(localOffset) !== LOCAL) throw new Error(`ZIP invalide : en-tête local de ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`ZIP : méthode ${method} non prise en charge (${name})`);
    entries.push({ name, method, crc, size, raw });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function readZip(zip: Buffer): ZipEntry[] {
  return readRaw(zip).map((e) => ({ name: e.name, data: e.method === 8 ? inflateRawSync(e.raw) : Buffer.from(e.raw) }));
}

/** MS-DOS date and time fields of an ISO instant (UTC), the resolution ZIP stores. */
function dosDateTime(iso: string): { date: number; time: number } {
  const d = new Date(iso);
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

/** Writes entries in the given order, deflated, all with the same timestamp: same input, same bytes. */
export function writeZip(entries: ZipEntry[], modifiedAt: string): Buffer {
  return writeRawZip(entries.map(deflated), modifiedAt);
}

function deflated(e: ZipEntry): RawEntry {
  return { name: e.name, method: 8, crc: crc32(e.data) >>> 0, size: e.data.length, raw: deflateRawSync(e.data, { level: DEFLATE_LEVEL }) };
}

/** A part to zip: its bytes, or a string written as UTF-8. */
export interface ZipPart {
  name: string;
  data: string | Uint8Array;
  /**
   * The part is the same in many packages (styles, settings, theme, pictograms…): its compressed
   * form is kept for the process and reused when the same bytes come again.
   */
  shared?: boolean;
}

/** Compressed shared parts: strings by name and content, binary parts by their object (pictograms are loaded once). */
const sharedText = new Map<string, RawEntry>();
const sharedBinary = new WeakMap<Uint8Array, RawEntry>();
/** The few dozen static parts of three variants × five templates fit well under this; beyond it the cache starts again. */
const SHARED_TEXT_LIMIT = 512;

/** A part compressed for writeRawZip (shared parts: once per process). */
export function compressPart(part: ZipPart): RawEntry {
  if (typeof part.data !== 'string') {
    const bytes = Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength);
    if (!part.shared) return deflated({ name: part.name, data: bytes });
    // The compressed bytes do not depend on the name (image1.png in one package, image3.png in another).
    const hit = sharedBinary.get(part.data);
    if (hit) return hit.name === part.name ? hit : { ...hit, name: part.name };
    const e = deflated({ name: part.name, data: bytes });
    sharedBinary.set(part.data, e);
    return e;
  }
  if (!part.shared) return deflated({ name: part.name, data: Buffer.from(part.data, 'utf8') });
  const key = `${part.name}\n${part.data}`;
  const hit = sharedText.get(key);
  if (hit) return hit;
  const e = deflated({ name: part.name, data: Buffer.from(part.data, 'utf8') });
  if (sharedText.size >= SHARED_TEXT_LIMIT) sharedText.clear();
  sharedText.set(key, e);
  return e;
}

/**
 * Zips parts in the given order, deflated (node:zlib), all with the same timestamp: same parts,
 * same bytes. Shared parts are compressed once per process.
 */
export function zipParts(parts: ZipPart[], modifiedAt: string): Buffer {
  return writeRawZip(parts.map(compressPart), modifiedAt);
}

/** Zips entries already compressed (compressPart), in the given order, all with the same timestamp. */
export function writeRawZip(entries: RawEntry[], modifiedAt: string): Buffer {
  const { date, time } = dosDateTime(modifiedAt);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = e.raw;
    const crc = e.crc;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
