import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { PortalPages } from './portal-pages';
import { sendPage } from './portal-page';

/** The two pages a signer reloads most: answered by the fast path, everything else by Express and Nest. */
const FAST_PATHS = new Set(['/portail', '/portail/document']);

export interface PortalFastPathDeps {
  /** The Express application Nest serves: every other request, and any request the fast path cannot answer. */
  express: Application;
  pages: PortalPages;
  /**
   * The synchronous middlewares every request passes first — the very instances `app.use` mounts
   * (request log, security headers, cookie parser) — run in the same order before the page.
   */
  before: RequestHandler[];
}

/**
 * GET /portail and GET /portail/document answered on the HTTP server itself, before Express's
 * router, Nest's guards, pipes and filters, whose per-request cost is larger than the page's own
 * (bench:portal, issue 7: p95 under 200 connections). The request is given Express's request and
 * response prototypes (as Express itself does), passes the same middlewares, and is answered by
 * the same PortalPages as PortalController's routes; test/e2e/signing/portal-paths.spec.ts
 * compares both answers. Anything else, or an unexpected error before anything was written, goes
 * to Express unchanged.
 */
export function portalFastPath(deps: PortalFastPathDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { express, pages, before } = deps;
  // Express's own request and response prototypes (`app.request`, `app.response`; missing from its typings).
  const { request: requestProto, response: responseProto } = express as Application & { request: object; response: object };
  return (req, res) => {
    if (req.method !== 'GET' || !FAST_PATHS.has(pathOf(req.url))) return void express(req, res);
    Object.setPrototypeOf(req, requestProto);
    Object.setPrototypeOf(res, responseProto);
    const request = req as Request;
    const response = res as Response;
    request.res = response;
    response.req = request;
    response.locals = Object.create(null) as Response['locals'];
    let i = 0;
    const next: NextFunction = (err?: unknown) => {
      if (err) return void express(req, res);
      const middleware = before[i++];
      if (middleware) return void middleware(request, response, next);
      const page = request.path === '/portail' ? pages.landing(request) : pages.reading(request);
      page.then(
        (p) => sendPage(res, p),
        () => (res.headersSent ? res.destroy() : express(req, res)),
      );
    };
    next();
  };
}

/** Serves `handler` in place of the Express application on Nest's HTTP server (one listener, named). */
export function servePortalFastPath(server: Server, express: Application, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.removeListener('request', express);
  server.on('request', handler);
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q < 0 ? (url ?? '') : (url ?? '').slice(0, q);
}
