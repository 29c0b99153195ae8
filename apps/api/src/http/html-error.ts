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
  res.type('text/html; charset=utf-8').send(audience === 'console' ? consoleErrorPage(title, message, status, consoleBackPath(req)) : errorPage(title, message, status));
}

/**
 * Where the console's error page leads back to (a path on this server under `/console`, never an
 * absolute address: no open redirect, no `javascript:`), or null (the page then offers the console
 * home only):
 *  - the Referer, when it is this host's `/console` page (the console's pages send no referrer,
 *    `Referrer-Policy: no-referrer`, but a client may);
 *  - for a form posted under `/console/…` (a button the state no longer allows: 409), the form's
 *    page: the nearest address above the form's action that the console shows (a GET route), e.g.
 *    `/console/documents/:id` for `/console/documents/:id/demandes/:requestId/annuler`.
 */
export function consoleBackPath(req: Request): string | null {
  const referer = req.get('referer');
  if (referer) {
    try {
      const u = new URL(referer);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.get('host') && isConsolePath(u.pathname)) return u.pathname + u.search;
    } catch {
      // Not an address: ignored.
    }
  }
  const path = (req.originalUrl ?? '').split('?')[0];
  if (req.method === 'GET' || req.method === 'HEAD' || !isConsolePath(path) || path.includes('//')) return null;
  const segments = path.split('/');
  for (let n = segments.length - 1; n > 2; n--) {
    const candidate = segments.slice(0, n).join('/');
    if (isConsoleGetRoute(req, candidate)) return candidate;
  }
  return null;
}

function isConsolePath(path: string): boolean {
  return (path === '/console' || path.startsWith('/console/')) && !path.startsWith('//') && !/[\\\s]/.test(path) && !path.split('/').some((x) => x === '.' || x === '..');
}

/** Express 5's router: a GET route of the app that answers `path` (middleware layers aside). */
function isConsoleGetRoute(req: Request, path: string): boolean {
  const router = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router;
  return (router?.stack ?? []).some((l) => Boolean(l.route?.methods?.get) && Boolean(l.match?.(path)));
}

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  /** router 2: the match (params, path) or false, without side effect. */
  match?(path: string): unknown;
}

/**
 * Titles of the HTML error pages by status. The console's 409 says what happened to the person's
 * action (« Action impossible dans l’état actuel »: the button clicked no longer fits what the
 * document or request has become; the message says why); the portal keeps its own wording.
 */
export function htmlErrorTitle(status: number, audience?: 'portal' | 'console' | null): string {
  if (audience === 'console' && status === 409) return 'Action impossible dans l’état actuel';
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
