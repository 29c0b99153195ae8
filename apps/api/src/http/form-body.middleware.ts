import express, { NextFunction, Request, Response } from 'express';
import { CONTROL_CHARACTER_PAGE_MESSAGE } from './control-characters.middleware';
import { htmlErrorTitle, sendHtmlError } from './html-error';
import { firstTextProblem } from './text-input';

/** A drawn signature is a PNG data URL of a few hundred kilobytes at most. */
export const PORTAL_FORM_LIMIT_BYTES = 400 * 1024;
/** The largest portal form (the signature form) has a handful of fields. */
export const PORTAL_FORM_MAX_FIELDS = 50;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The console's forms: a projet personnalisé or a document form may have many repeated items. */
export const CONSOLE_FORM_LIMIT_BYTES = 1024 * 1024;
export const CONSOLE_FORM_MAX_FIELDS = 2000;

/**
 * The signing portal's forms: `application/x-www-form-urlencoded` in UTF-8 (or Latin-1, which
 * browsers may still send), at most 400 kB and 50 fields, each field once. Anything else — JSON,
 * text, multipart, an empty body, an unknown charset or encoding — is answered here with a French
 * HTML page and a 4xx (400, 413, 415), before a handler could trip over an odd body and fail
 * with a 500; so is a NUL byte in a field (PostgreSQL cannot store it). After it, `req.body` is always a
 * record of strings.
 */
export function portalFormBody(limitBytes = PORTAL_FORM_LIMIT_BYTES, maxFields = PORTAL_FORM_MAX_FIELDS) {
  return htmlFormBody(limitBytes, maxFields, 'la page de signature');
}

/** The staff console's forms (/connexion, /console): the same rules, larger limits, its own pages. */
export function consoleFormBody(limitBytes = CONSOLE_FORM_LIMIT_BYTES, maxFields = CONSOLE_FORM_MAX_FIELDS) {
  return htmlFormBody(limitBytes, maxFields, 'la page précédente');
}

function htmlFormBody(limitBytes: number, maxFields: number, page: string) {
  const parse = express.urlencoded({ extended: false, limit: limitBytes, parameterLimit: maxFields });
  const refuse = (res: Response, status: number, message: string) => sendHtmlError(res.req, res, status, htmlErrorTitle(status), message);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!WRITES.has(req.method)) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return refuse(res, 400, `Le formulaire envoyé est vide. Revenez à ${page} et réessayez.`);
    if (!req.is('application/x-www-form-urlencoded'))
      return refuse(res, 415, `Ce type d’envoi n’est pas accepté : utilisez le formulaire de ${page}.`);
    parse(req, res, (err?: unknown) => {
      if (err) {
        const type = (err as { type?: string }).type;
        if (type === 'entity.too.large') return refuse(res, 413, `Le formulaire dépasse la taille autorisée (${Math.round(limitBytes / 1024)} ko). Si vous avez dessiné votre signature, effacez-la et dessinez-la plus simplement.`);
        if (type === 'parameters.too.many') return refuse(res, 413, `Le formulaire contient trop de champs (${maxFields} au plus).`);
        if (type === 'charset.unsupported' || type === 'encoding.unsupported')
          return refuse(res, 415, 'Encodage du formulaire non pris en charge : utilisez UTF-8.');
        return refuse(res, 400, `Le formulaire n’a pas pu être lu. Revenez à ${page} et réessayez.`);
      }
      const body = req.body as unknown;
      if (!body || typeof body !== 'object' || Object.values(body).some((v) => typeof v !== 'string'))
        return refuse(res, 400, `Le formulaire contient un champ en double ou mal formé. Revenez à ${page} et réessayez.`);
      // A NUL byte in a field or its name (PostgreSQL cannot store it): the same page as in an address.
      if (firstTextProblem(body, '', 'form')) return refuse(res, 400, CONTROL_CHARACTER_PAGE_MESSAGE);
      next();
    });
  };
}
