import { ValidationError, isDomainError } from '@carepact/common';
import { VARIANTS, Variant } from '@carepact/rendering';
import { PortalContext, PortalSessionExpiredError, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { errorPage, landingPage, sessionExpiredPage } from './portal.views';

/** What the portal's controllers share: the session cookie, HTML responses and the error pages. */
export const PORTAL_COOKIE = '__Host-carepact_portal';

export type Body = Record<string, string | undefined>;

export function eventContext(req: Request) {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

export function sessionToken(req: Request): string | undefined {
  return (req as Request & { cookies?: Record<string, string> }).cookies?.[PORTAL_COOKIE];
}

export function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.type('text/html; charset=utf-8').send(html);
}

export function sendLimited(res: Response, seconds: number): void {
  res.setHeader('Retry-After', String(seconds));
  sendHtml(res, 429, errorPage('Trop de tentatives', `Merci de patienter ${seconds} secondes avant de réessayer.`, 429));
}

/** The variant asked for, else the one the signer's preferences choose. */
export function variantFor(ctx: PortalContext, version?: string): Variant {
  return version && (VARIANTS as readonly string[]).includes(version)
    ? (version as Variant)
    : ctx.preferences.easyToRead
      ? 'falc'
      : ctx.preferences.largePrint
        ? 'large-print'
        : 'standard';
}

/** Runs a page handler with the portal's error pages (session expired, CSRF, not found). */
export async function runPage(sessions: PortalSessionService, req: Request, res: Response, handler: (ctx: PortalContext) => Promise<void>): Promise<void> {
  // A form changes state: the next page read must not reuse a context loaded before it.
  if (req.method !== 'GET') sessions.forget(sessionToken(req));
  let ctx: PortalContext;
  try {
    ctx = await sessions.context(sessionToken(req));
  } catch (e) {
    if (e instanceof PortalSessionExpiredError) return sendHtml(res, 401, sessionExpiredPage());
    throw e;
  }
  try {
    await handler(ctx);
    if (req.method !== 'GET') sessions.forget(sessionToken(req));
  } catch (e) {
    if (isDomainError(e) && e.code === 'CSRF_TOKEN_INVALID') return sendHtml(res, 403, errorPage('Formulaire expiré', e.messageFr, 403));
    if (isDomainError(e) && e.kind === 'not_found') return sendHtml(res, 404, errorPage('Introuvable', e.messageFr, 404));
    if (isDomainError(e) && (e.kind === 'invalid' || e.kind === 'conflict' || e.kind === 'forbidden')) {
      const fresh = await sessions.context(sessionToken(req));
      const status = e.kind === 'invalid' ? 400 : e.kind === 'conflict' ? 409 : 403;
      return sendHtml(
        res,
        status,
        landingPage(fresh, fresh.session.csrfToken, {
          errors: e instanceof ValidationError ? e.details : [],
          errorMessage: e.messageFr,
          values: (req.body as Body | undefined) && Object.fromEntries(Object.entries(req.body as Body).filter(([k]) => k !== '_csrf' && k !== 'drawnSignature').map(([k, v]) => [k, String(v ?? '')])),
        }),
      );
    }
    throw e;
  }
}
