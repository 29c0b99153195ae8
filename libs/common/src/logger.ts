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

/** Signing links put their token in the path: `/s/<token>` never reaches a log. */
export function scrubUrl(url: string): string {
  return url.replace(/\/s\/[A-Za-z0-9_-]{10,}/g, '/s/[jeton]').replace(/([?&](token|code)=)[^&]*/gi, '$1[masqué]');
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
