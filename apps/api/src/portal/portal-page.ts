import { ValidationError, isDomainError } from '@carepact/common';
import { VARIANTS, Variant } from '@carepact/rendering';
import { EventContext, PortalContext, PortalPersonArchivedError, PortalRequestCancelledForDeathError, PortalSessionExpiredError, PortalSessionService } from '@carepact/signing';
import type { Request } from 'express';
import type { ServerResponse } from 'node:http';
import { clientIp } from '../http/client-ip';
import { PortalState, cancelledForDeathPage, errorPage, landingPage, personArchivedPage, sessionExpiredPage } from './portal.views';
import { Page, sendHtml, sendPage } from '../views';

/**
 * What the portal's routes and its fast path share: the session cookie, the client's address, the
 * answer to a request (its error pages included) and how an answer is written.
 */
export const PORTAL_COOKIE = '__Host-carepact_portal';

export type Body = Record<string, string | undefined>;

export type { Page } from '../views';
export { sendHtml, sendPage } from '../views';

export function eventContext(req: Request): EventContext {
  return { ip: clientIp(req), userAgent: req.get('user-agent') ?? null };
}

export function sessionToken(req: Request): string | undefined {
  return (req as Request & { cookies?: Record<string, string> }).cookies?.[PORTAL_COOKIE];
}


export function sendLimited(res: ServerResponse, seconds: number): void {
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

/** How a step re-renders itself with the errors of its form (400, 409, 403). */
export type Rerender = (ctx: PortalContext, state: PortalState) => string | Promise<string>;

const landingWithErrors: Rerender = (ctx, state) => landingPage(ctx, state);

/**
 * The portal's answer to a request, with its error pages (session expired, CSRF, code required, not
 * found, invalid or conflicting form). The handler returns a page, or null when it wrote the
 * response itself (a file). A form that fails is shown again by `rerender` (its own step page; the
 * landing by default) with its errors and the values typed. A page read (GET) reuses the context
 * this process kept while the session's signing state is unchanged (PortalSessionService.readContext:
 * one short query); a form never does, and forgets it before and after its change.
 */
export function portalAnswer(
  sessions: PortalSessionService,
  req: Request,
  handler: (ctx: PortalContext) => Promise<Page | null>,
  rerender: Rerender = landingWithErrors,
): Promise<Page | null> {
  const read = req.method === 'GET' || req.method === 'HEAD';
  return answerFor(sessions, { token: sessionToken(req), read, body: req.body as Body | undefined }, handler, rerender);
}

/** A page read (GET) as both of the portal's paths see it (PortalPages; the fast path has no Express request). */
export interface PageRead {
  /** The session cookie's value. */
  token: string | undefined;
  /** The query, parsed by Express's query parser. */
  query: Record<string, unknown>;
  /** The client, for the evidence: asked only when an event is written. */
  client: () => EventContext;
}

export function pageReadOf(req: Request): PageRead {
  return { token: sessionToken(req), query: req.query as Record<string, unknown>, client: () => eventContext(req) };
}

/** portalAnswer for a page read. */
export async function readAnswer(sessions: PortalSessionService, read: PageRead, handler: (ctx: PortalContext) => Promise<Page>): Promise<Page> {
  return (await answerFor(sessions, { token: read.token, read: true, body: undefined }, handler, landingWithErrors))!;
}

async function answerFor(
  sessions: PortalSessionService,
  req: { token: string | undefined; read: boolean; body: Body | undefined },
  handler: (ctx: PortalContext) => Promise<Page | null>,
  rerender: Rerender,
): Promise<Page | null> {
  const { token, read } = req;
  if (!read) sessions.forget(token);
  let ctx: PortalContext;
  try {
    ctx = read ? await sessions.readContext(token) : await sessions.context(token);
  } catch (e) {
    if (e instanceof PortalSessionExpiredError) return { status: 401, html: sessionExpiredPage() };
    if (e instanceof PortalPersonArchivedError) return { status: 410, html: personArchivedPage(e.completed) };
    if (e instanceof PortalRequestCancelledForDeathError) return { status: 410, html: cancelledForDeathPage(e.notice) };
    throw e;
  }
  try {
    const page = await handler(ctx);
    if (!read) sessions.forget(token);
    return page;
  } catch (e) {
    if (isDomainError(e) && e.code === 'CSRF_TOKEN_INVALID') return { status: 403, html: errorPage('Formulaire expiré', e.messageFr, 403, ctx) };
    // A page read without the access code leads to the code form.
    if (isDomainError(e) && e.code === 'ACCESS_CODE_REQUIRED' && read) return { status: 303, html: '', location: '/portail' };
    if (isDomainError(e) && e.kind === 'not_found') return { status: 404, html: errorPage('Introuvable', e.messageFr, 404, ctx) };
    if (isDomainError(e) && (e.kind === 'invalid' || e.kind === 'conflict' || e.kind === 'forbidden')) {
      const fresh = await sessions.context(token);
      const status = e.kind === 'invalid' ? 400 : e.kind === 'conflict' ? 409 : 403;
      const body = req.body;
      // The code form lives on the landing: a form refused for want of the code shows it.
      const again = e.code === 'ACCESS_CODE_REQUIRED' ? landingWithErrors : rerender;
      return {
        status,
        html: await again(fresh, {
          errors: e instanceof ValidationError ? e.details : [],
          errorMessage: e.messageFr,
          values: body && Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf' && k !== 'drawnSignature').map(([k, v]) => [k, String(v ?? '')])),
        }),
      };
    }
    throw e;
  }
}

/** portalAnswer, written on the response. */
export async function runPage(
  sessions: PortalSessionService,
  req: Request,
  res: ServerResponse,
  handler: (ctx: PortalContext) => Promise<Page | null>,
  rerender?: Rerender,
): Promise<void> {
  const page = await portalAnswer(sessions, req, handler, rerender);
  if (page) sendPage(res, page);
}
