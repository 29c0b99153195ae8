import type { Request, Response } from 'express';
import { errorPage } from '../portal/portal.views';

/** The signing portal's pages and links: people with a browser, who get French HTML pages, never JSON. */
export function isPortalRequest(req: Request): boolean {
  const path = req.path ?? (req.url ?? '').split('?')[0];
  return path === '/portail' || path.startsWith('/portail/') || path.startsWith('/s/');
}

/** A French HTML error page for the portal (same layout as its other pages), never cached. */
export function sendPortalError(res: Response, status: number, title: string, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.type('text/html; charset=utf-8').send(errorPage(title, message, status));
}

/** Titles of the portal's error pages by status. */
export function portalErrorTitle(status: number): string {
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
