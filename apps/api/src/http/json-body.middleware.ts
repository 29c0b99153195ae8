import { DomainError } from '@carepact/common';
import express, { NextFunction, Request, Response } from 'express';
import { sendDomainError } from './error-response';
import { textInputProblem } from './text-input';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * JSON bodies: size limit (413), malformed JSON (400 MALFORMED_JSON), valid JSON that is not an object
 * (400 BODY_NOT_AN_OBJECT: a list, a string, a number…), JSON only on writes (415), then a deep scan
 * that refuses prototype-pollution keys, NUL bytes and any text the shared text rule refuses
 * (libs/common `textProblem`: controls, U+0085, lone surrogates, invisible characters) before any handler sees the body,
 * so no field — decorated or not — stores text that no document could hold.
 * Errors are answered here, in the API's error format: body-parser errors never become a 500.
 * `rawRoutes` (paths under /api) are left to their handler, which reads the body after the staff guard.
 * `largeRoutes` (POSTs under /api) take a larger body, sized by their handler's own maximum, and say
 * beyond it what that maximum is (a bulk run's list of residents).
 */
export interface LargeJsonRoute {
  path: RegExp;
  limitBytes: number;
  /** The 413 beyond `limitBytes`: the route's own code and French message. */
  tooLarge: DomainError;
}

export function jsonBody(limitBytes: number, opts: { rawRoutes?: RegExp[]; largeRoutes?: LargeJsonRoute[] } = {}) {
  const parser = (limit: number) => express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  const parse = parser(limitBytes);
  const tooLarge = new DomainError('too_large', 'PAYLOAD_TOO_LARGE', `Le corps de la requête dépasse la taille autorisée (${limitBytes} octets).`);
  const large = (opts.largeRoutes ?? []).map((r) => ({ ...r, parse: parser(Math.max(limitBytes, r.limitBytes)) }));
  return (req: Request, res: Response, next: NextFunction): void => {
    // Routes whose handler reads a raw body itself (the scan of a paper signature: readPdfBody).
    if (req.method === 'POST' && opts.rawRoutes?.some((r) => r.test(req.path))) return next();
    const route = req.method === 'POST' ? large.find((r) => r.path.test(req.path)) : undefined;
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is(['application/json', 'application/*+json'])) {
      return sendDomainError(
        res,
        new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', 'Le corps de la requête doit être du JSON (Content-Type: application/json).'),
      );
    }
    (route?.parse ?? parse)(req, res, (err?: unknown) => {
      if (err) {
        const type = (err as { type?: string }).type;
        if (type === 'entity.too.large') return sendDomainError(res, route?.tooLarge ?? tooLarge);
        if (type === 'charset.unsupported' || type === 'encoding.unsupported')
          return sendDomainError(res, new DomainError('invalid', 'UNSUPPORTED_ENCODING', 'Encodage non pris en charge : utilisez UTF-8.'));
        // `strict` parses objects and arrays only: a string, number, boolean or null is valid JSON all the same.
        if (type === 'entity.parse.failed' && isJson((err as { body?: unknown }).body)) return sendDomainError(res, notAnObject);
        return sendDomainError(res, new DomainError('invalid', 'MALFORMED_JSON', 'Le corps de la requête n’est pas du JSON valide.'));
      }
      if (req.body !== undefined && (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))) return sendDomainError(res, notAnObject);
      const problem = scan(req.body, '', 0);
      if (problem) return sendDomainError(res, problem);
      next();
    });
  };
}

/** Every JSON body of the API is an object (its fields by name): a list, a string or a number is not one. */
const notAnObject = new DomainError('invalid', 'BODY_NOT_AN_OBJECT', 'Le corps de la requête doit être un objet JSON ({ … }), avec les champs attendus.');

function isJson(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function scan(value: unknown, path: string, depth: number): DomainError | null {
  if (depth > MAX_DEPTH) return new DomainError('invalid', 'TOO_DEEP', 'Le JSON est trop imbriqué.');
  if (typeof value === 'string') return textInputProblem(value, path || '(racine)');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = scan(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key))
        return new DomainError('invalid', 'FORBIDDEN_KEY', `La clé « ${key} » est interdite.`, [
          { field, code: 'FORBIDDEN_KEY', message: 'Clé réservée, refusée.' },
        ]);
      if (key.includes('\u0000'))
        return new DomainError('invalid', 'NUL_BYTE', 'Une clé contient un caractère nul, refusé.', [
          { field: '(clé)', code: 'NUL_BYTE', message: 'Caractère nul interdit.' },
        ]);
      const p = scan((value as Record<string, unknown>)[key], field, depth + 1);
      if (p) return p;
    }
  }
  return null;
}
