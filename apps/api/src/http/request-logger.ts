import { scrubUrl } from '@carepact/common';
import type { Logger } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * One line per request at level info: id, method, scrubbed URL (signing-link tokens masked), status
 * and duration — no headers, no bodies (they may hold care details). Health checks are not logged.
 * When info is off (LOG_LEVEL=warn), nothing is done per request at all: pino-http built a child
 * logger and serializers for every request even then (17 % of the api's CPU in bench:portal).
 */
export function requestLogger(logger: Logger) {
  // Node's request and response: Express runs it as a middleware, the portal's fast path before its pages.
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void => {
    if (!logger.isLevelEnabled('info') || req.url === '/health') return next();
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.once('finish', () => {
      const responseTime = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      logger.info({ req: { id, method: req.method, url: scrubUrl(req.originalUrl ?? req.url ?? '') }, res: { statusCode: res.statusCode }, responseTime: Math.round(responseTime) }, 'request completed');
    });
    next();
  };
}
