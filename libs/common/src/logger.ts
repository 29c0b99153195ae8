import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Never secrets, tokens or care details: sensitive keys are redacted
 * wherever they appear, URLs pass through `scrubUrl` (signing-link tokens), and domain code logs
 * ids only.
 */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessCode',
  '*.accessCode',
  'secret',
  '*.secret',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%41` and `%2541` hide a token from a plain pattern: decode (three levels at most) before looking. */
function decoded(s: string): string {
  let out = s;
  for (let i = 0; i < 3 && out.includes('%'); i++) {
    try {
      out = decodeURIComponent(out);
    } catch {
      return out.replace(/%[0-9a-f]{2}/gi, '');
    }
  }
  return out;
}

/**
 * A secret's shape: a run of 32 or more base64url characters (link, session and CSRF tokens are 32 to
 * 64), once percent-decoded. Identifiers (UUIDs) stay readable.
 */
function tokenLike(s: string): boolean {
  if (s.length < 32 || UUID.test(s)) return false;
  const plain = decoded(s);
  return /[A-Za-z0-9_-]{32,}/.test(plain) || (s.includes('%') && (plain.match(/[A-Za-z0-9_-]/g)?.length ?? 0) >= 32);
}

/**
 * Signing links put their token in the path (`/s/<token>`), and anyone can send a token-like string
 * in any path or query: every such segment or value is masked, the `token` and `code` parameters always.
 */
export function scrubUrl(url: string): string {
  // Every request line passes here: most URLs hold nothing to mask, say so with one scan.
  if (!/[A-Za-z0-9_%-]{32}|[?&](token|code)=/i.test(url)) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q);
  const maskedPath = path
    .split('/')
    .map((seg) => (tokenLike(seg) ? '[jeton]' : seg))
    .join('/');
  const maskedQuery = query
    .replace(/([?&](token|code)=)[^&]*/gi, '$1[masqué]')
    .replace(/([?&][^=&]*=)([^&]*)/g, (all, key: string, value: string) => (tokenLike(value) ? `${key}[jeton]` : all));
  return maskedPath + maskedQuery;
}

/** `json`: one JSON object per line (production, log collectors); `pretty`: one short line for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export function createLogger(level: string, name: string, format: LogFormat = 'json', out: { write(line: string): unknown } = process.stdout): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT, censor: '[masqué]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  };
  // Both formats go through the same redaction: `pretty` only re-lays out the JSON line pino wrote.
  if (format === 'pretty') return pino(options, { write: (line: string) => void out.write(prettyLine(line)) });
  return out === process.stdout ? pino(options) : pino(options, { write: (line: string) => void out.write(line) });
}

const OWN_KEYS = new Set(['level', 'time', 'service', 'name', 'context', 'msg', 'req', 'res', 'responseTime', 'err', 'stack', 'pid', 'hostname']);

/**
 * `12:04:05 INFO  api     DevMail: message key=value`, then, for an error, its stack indented.
 * A request is `GET /api/me 200 12 ms`. Times are local (the developer's clock).
 */
export function prettyLine(jsonLine: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const d = typeof r.time === 'string' ? new Date(r.time) : new Date();
  const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const level = String(r.level ?? 'info').toUpperCase().padEnd(5);
  const service = String(r.service ?? r.name ?? '').padEnd(7);
  const parts: string[] = [];
  if (typeof r.context === 'string' && r.context) parts.push(`${r.context}:`);
  const req = r.req as { method?: string; url?: string } | undefined;
  const res = r.res as { statusCode?: number } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}${res?.statusCode ? ` ${res.statusCode}` : ''}${typeof r.responseTime === 'number' ? ` ${r.responseTime} ms` : ''}`);
  if (typeof r.msg === 'string' && r.msg && !(req?.method && r.msg === 'request completed')) parts.push(r.msg);
  for (const [k, v] of Object.entries(r)) if (!OWN_KEYS.has(k) && v !== undefined) parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const err = r.err as { type?: string; message?: string; stack?: string } | undefined;
  let line = `${time} ${level} ${service} ${parts.join(' ')}`.trimEnd();
  if (err) line += ` (${err.type ?? 'Error'}: ${err.message ?? ''})`;
  const stack = err?.stack ?? (typeof r.stack === 'string' ? r.stack : undefined);
  if (stack && (r.level === 'error' || r.level === 'fatal')) line += `\n${stack.split('\n').slice(1).map((l) => `    ${l.trim()}`).join('\n')}`;
  return `${line}\n`;
}

/**
 * Nest's own start-up chatter (one line per module and per route, ~115 lines) goes to `debug`:
 * `LOG_LEVEL=debug` brings it back; what the application itself says stays at its level.
 */
const NEST_BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's logger interface over pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pinoLogger: Logger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (level === 'info' && context && NEST_BOOT_CONTEXTS.has(context)) level = 'debug';
    if (message && typeof message === 'object') {
      const text = typeof rest[0] === 'string' && rest.length > 1 ? (rest[0] as string) : undefined;
      this.pinoLogger[level]({ context, ...(message as object) }, text);
    } else this.pinoLogger[level]({ context }, String(message));
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context): keep the stack, it never holds data.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message && typeof message === 'object') this.pinoLogger.error({ context, ...(message as object) });
    else this.pinoLogger.error({ context, stack: typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined }, String(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}
