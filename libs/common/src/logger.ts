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

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT, censor: '[masqué]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  });
}

/** Nest's logger interface over pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pinoLogger: Logger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
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
