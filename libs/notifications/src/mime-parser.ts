/**
 * A minimal MIME reader for the development mailbox: enough for what nodemailer produces
 * (multipart/alternative or mixed, quoted-printable or base64 bodies, RFC 2047 encoded headers in
 * UTF-8 or another charset). `mailparser` is not a dependency; this is not a general-purpose parser
 * (no RFC 2231 parameters, no attachments kept, no S/MIME).
 *
 * It works on bytes throughout: the message is held as a latin1 string (one char per byte) while
 * its structure is read, and each part is decoded to text only with its own charset.
 */

export interface ParsedMessage {
  /** Decoded header values, by lower-case name (the first occurrence of each). */
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
}

export function parseMimeMessage(raw: Buffer): ParsedMessage {
  const root = parseEntity(raw.toString('latin1'));
  const found: { text: string | null; html: string | null } = { text: null, html: null };
  collectBodies(root, found, 0);
  const headers: Record<string, string> = {};
  for (const [name, value] of root.headers) if (!(name in headers)) headers[name] = decodeHeaderValue(value);
  return { headers, ...found };
}

interface Entity {
  /** Lower-case name, raw (undecoded) value, unfolded. */
  headers: [string, string][];
  /** The body as bytes-in-latin1. */
  body: string;
}

function parseEntity(bytes: string): Entity {
  const m = /\r?\n\r?\n/.exec(bytes);
  const headBlock = m ? bytes.slice(0, m.index) : bytes;
  const body = m ? bytes.slice(m.index + m[0].length) : '';
  const headers: [string, string][] = [];
  // Unfolding (RFC 5322 §2.2.3): a line break followed by white space continues the header.
  for (const line of headBlock.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // Raw 8-bit header bytes (SMTPUTF8) are UTF-8.
    const value = Buffer.from(line.slice(colon + 1), 'latin1').toString('utf8').trim();
    headers.push([line.slice(0, colon).trim().toLowerCase(), value]);
  }
  return { headers, body };
}

function header(entity: Entity, name: string): string | null {
  const h = entity.headers.find(([n]) => n === name);
  return h ? h[1] : null;
}

interface ContentType {
  type: string;
  params: Record<string, string>;
}

export function parseContentType(value: string | null): ContentType {
  if (!value) return { type: 'text/plain', params: { charset: 'us-ascii' } };
  const [type, ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Splits `a; b="x;y"; c` on semicolons outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted && i + 1 < value.length) {
      cur += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const MAX_DEPTH = 10;

function collectBodies(entity: Entity, found: { text: string | null; html: string | null }, depth: number): void {
  const ct = parseContentType(header(entity, 'content-type'));
  if (ct.type.startsWith('multipart/')) {
    const boundary = ct.params.boundary;
    if (!boundary || depth >= MAX_DEPTH) return;
    for (const part of splitMultipart(entity.body, boundary)) collectBodies(parseEntity(part), found, depth + 1);
    return;
  }
  if (/^\s*attachment/i.test(header(entity, 'content-disposition') ?? '')) return;
  if (ct.type !== 'text/plain' && ct.type !== 'text/html') return;
  const key = ct.type === 'text/plain' ? 'text' : 'html';
  if (found[key] !== null) return;
  const bytes = decodeTransfer(entity.body, (header(entity, 'content-transfer-encoding') ?? '7bit').toLowerCase());
  // SMTP requires CRLF; readers of the mailbox want the text as it was written.
  found[key] = decodeCharset(bytes, ct.params.charset ?? 'us-ascii').replace(/\r\n/g, '\n');
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = '--' + boundary;
  const lines = body.split(/\r?\n/);
  let current: string[] | null = null;
  for (const line of lines) {
    // Boundary lines may carry trailing white space (RFC 2046 §5.1.1).
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === delimiter || trimmed === delimiter + '--') {
      if (current) parts.push(current.join('\r\n'));
      current = trimmed === delimiter ? [] : null;
      if (trimmed !== delimiter) break;
      continue;
    }
    current?.push(line);
  }
  return parts;
}

function decodeTransfer(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

export function decodeQuotedPrintable(body: string): Buffer {
  // Trailing white space on a line is padding added in transit (RFC 2045 §6.7, rule 3).
  const s = body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

function decodeCharset(bytes: Buffer, charset: string): string {
  const cs = charset.trim().toLowerCase();
  try {
    // us-ascii bodies are read as UTF-8, which is a superset; latin1 labels map to windows-1252 as browsers do.
    return new TextDecoder(cs === 'us-ascii' || cs === 'ascii' ? 'utf-8' : cs).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * RFC 2047: `=?utf-8?Q?S=C3=A9an?=` and `=?UTF-8?B?...?=`. White space between two adjacent
 * encoded words is dropped; adjacent words in the same charset are joined as bytes before
 * decoding, since a sender may split a multi-byte character between them.
 */
export function decodeHeaderValue(value: string): string {
  const tokens: ({ kind: 'text'; value: string } | { kind: 'word'; charset: string; bytes: Buffer })[] = [];
  let last = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    const previous = tokens[tokens.length - 1];
    if (!(previous?.kind === 'word' && /^[ \t\r\n]*$/.test(between)) && between !== '') tokens.push({ kind: 'text', value: between });
    const charset = m[1].split('*')[0].toLowerCase(); // RFC 2231 language suffix: utf-8*fr
    const bytes = m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') : decodeQuotedPrintable(m[3].replace(/_/g, ' '));
    const prev = tokens[tokens.length - 1];
    if (prev?.kind === 'word' && prev.charset === charset) prev.bytes = Buffer.concat([prev.bytes, bytes]);
    else tokens.push({ kind: 'word', charset, bytes });
    last = (m.index ?? 0) + m[0].length;
  }
  if (last < value.length) tokens.push({ kind: 'text', value: value.slice(last) });
  return tokens.map((t) => (t.kind === 'text' ? t.value : decodeCharset(t.bytes, t.charset))).join('');
}
