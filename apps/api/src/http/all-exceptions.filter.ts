import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, isDomainError } from '@carepact/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { sendDomainError } from './error-response';

/**
 * One global filter: domain errors keep their code and French message; framework HTTP errors get
 * a stable code; anything else is a 500 with an error id, logged with its stack, never shown.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    if (isDomainError(exception)) return sendDomainError(res, exception);
    if (exception instanceof HttpException) return sendDomainError(res, fromHttp(exception.getStatus()));
    const errorId = randomUUID();
    this.log.error({ errorId, method: req.method, route: req.route?.path, err: exception }, 'unhandled error');
    res.status(500).type('application/json').send(
      JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Une erreur interne est survenue. Référence : ' + errorId, errorId } }),
    );
  }
}

function fromHttp(status: number): DomainError {
  switch (status) {
    case 404:
      return new DomainError('not_found', 'ROUTE_NOT_FOUND', "Cette adresse n'existe pas.");
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
