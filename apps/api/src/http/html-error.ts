import type { Request, Response } from 'express';
import { consoleErrorPage } from '../console/console-error.views';
import { errorPage } from '../portal/portal.views';

/**
 * Who gets French HTML pages instead of JSON: the signing portal (`/portail`, the links `/s/…`) and
 * the staff console (`/console`, `/connexion`, `/deconnexion`).
 */
export function htmlAudience(req: Request): 'portal' | 'console' | null {
  const path = req.path ?? (req.url ?? '').split('?')[0];
  if (path === '/portail' || path.startsWith('/portail/') || path.startsWith('/s/')) return 'portal';
  if (path === '/console' || path.startsWith('/console/') || path === '/connexion' || path === '/deconnexion' || path.startsWith('/compte/')) return 'console';
  return null;
}

/**
 * A browser asking for a page at an address outside the portal, the console and `/api` (a
 * mistyped address): it gets the console's French « Page introuvable » page, not raw JSON.
 * Programs (no text/html preferred over JSON) and everything under `/api` keep JSON.
 */
export function isStrayBrowser(req: Request): boolean {
  const path = req.path ?? (req.url ?? '').split('?')[0];
  if (path === '/api' || path.startsWith('/api/') || htmlAudience(req) !== null) return false;
  return (req.method === 'GET' || req.method === 'HEAD') && req.accepts(['application/json', 'text/html']) === 'text/html';
}

export function isPortalRequest(req: Request): boolean {
  return htmlAudience(req) === 'portal';
}

/**
 * A French HTML error page in the layout of the part asking (portal or console), never cached. The
 * console sends a person whose session ended to the login page, back to where they were afterwards.
 */
export function sendHtmlError(req: Request, res: Response, status: number, title: string, message: string, retryAfterSeconds?: number, audienceOverride?: 'console'): void {
  res.setHeader('Cache-Control', 'no-store');
  const audience = audienceOverride ?? htmlAudience(req);
  if (audience === 'console' && status === 401 && (req.method === 'GET' || req.method === 'HEAD')) {
    const back = req.originalUrl.startsWith('/console') ? `?suite=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/connexion${back}`);
    return;
  }
  if (retryAfterSeconds) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(status);
  res.type('text/html; charset=utf-8').send(audience === 'console' ? consoleErrorPage(title, message, status) : errorPage(title, message, status));
}

/** Titles of the HTML error pages by status. */
export function htmlErrorTitle(status: number): string {
  switch (status) {
    case 400:
      return 'Formulaire non valable';
    case 401:
      return 'Session expirée';
    case 403:
      return 'Accès refusé';
    case 404:
      return 'Page introuvable';
    case 410:
      return 'Lien non valable';
    case 413:
      return 'Formulaire trop volumineux';
    case 415:
      return 'Formulaire non pris en charge';
    case 429:
      return 'Trop de tentatives';
    case 503:
      return 'Service momentanément indisponible';
    default:
      return status >= 500 ? 'Erreur interne' : 'Requête non valable';
  }
}
