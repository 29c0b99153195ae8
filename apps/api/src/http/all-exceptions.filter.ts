import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError, isDatabaseUnavailable, isDomainError, safeErrorLog } from '@carepact/common';
import { sendDomainError, statusOf } from './error-response';
import { htmlAudience, htmlErrorTitle, isStrayBrowser, sendHtmlError } from './html-error';

/** Seconds a client should wait before retrying while PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * One global filter: domain errors keep their code and French message; framework HTTP errors get
 * a stable code; PostgreSQL out of reach is a 503 with Retry-After; anything else is a 500 with
 * an error id, logged without any value (see `safeErrorLog`), never shown. The portal's and the
 * console's pages get the same answers as French HTML pages.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    const html = htmlAudience(req) !== null;
    const known = isDomainError(exception) ? exception : exception instanceof HttpException ? fromHttp(exception.getStatus()) : null;
    if (known) {
      // A mistyped address typed in a browser: the console's French page, not JSON.
      if (!html && known.code === 'ROUTE_NOT_FOUND' && isStrayBrowser(req)) return sendHtmlError(req, res, 404, htmlErrorTitle(404), known.messageFr, undefined, 'console');
      if (!html) return sendDomainError(res, known);
      const status = statusOf(known.kind);
      return sendHtmlError(req, res, status, htmlErrorTitle(status, htmlAudience(req)), known.messageFr, known.retryAfterSeconds);
    }
    const errorId = randomUUID();
    const where = { errorId, method: req.method, route: req.route?.path as string | undefined };
    if (isDatabaseUnavailable(exception)) {
      this.log.warn({ ...where, err: safeErrorLog(exception) }, 'database unavailable');
      const message = 'Le service est momentanément indisponible. Réessayez dans quelques instants.';
      if (html) return sendHtmlError(req, res, 503, htmlErrorTitle(503), message, DATABASE_RETRY_AFTER_SECONDS);
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      res.status(503).type('application/json').send(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message, errorId } }));
      return;
    }
    this.log.error({ ...where, err: safeErrorLog(exception) }, 'unhandled error');
    const message = 'Une erreur interne est survenue. Référence : ' + errorId;
    if (html) return sendHtmlError(req, res, 500, htmlErrorTitle(500), message);
    res.status(500).type('application/json').send(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message, errorId } }));
  }
}

function fromHttp(status: number): DomainError {
  switch (status) {
    case 404:
      return new DomainError('not_found', 'ROUTE_NOT_FOUND', 'Cette adresse n’existe pas.');
    case 401:
      return new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Veuillez vous connecter.');
    case 403:
      return new DomainError('forbidden', 'FORBIDDEN', 'Accès refusé.');
    case 413:
      return new DomainError('too_large', 'PAYLOAD_TOO_LARGE', 'Le corps de la requête est trop volumineux.');
    case 429:
      return new DomainError('rate_limited', 'RATE_LIMITED', 'Trop de requêtes. Réessayez plus tard.');
    default:
      return status >= 400 && status < 500
        ? new DomainError('invalid', 'BAD_REQUEST', 'Requête invalide.')
        : new DomainError('unavailable', 'UNAVAILABLE', 'Service momentanément indisponible.');
  }
}
