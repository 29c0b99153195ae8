import type { Application, Request } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { writePage } from '../views';
import { PageRead, eventContext, sessionToken } from './portal-page';
import { PortalPages } from './portal-pages';

/** The two pages a signer reloads most: answered by the fast path, everything else by Express and Nest. */
const FAST_PATHS = ['/portail', '/portail/document'] as const;

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface PortalFastPathDeps {
  /** The Express application Nest serves: every other request, and any request the fast path cannot answer. */
  express: Application;
  pages: PortalPages;
  /** The request log the application mounts first (http/request-logger.ts): the same instance. */
  requestLog: NodeMiddleware;
  /** The cookie parser the application mounts (cookie-parser): the same instance, so the same cookie rules. */
  cookies: NodeMiddleware;
  /** The security headers of a path, as a flat name, value list (http/security-headers.middleware.ts). */
  securityHeaders: (path: string) => string[];
}

/**
 * GET /portail and GET /portail/document answered on the HTTP server itself, before Express's
 * router, Nest's guards, pipes and filters, whose per-request cost is larger than the page's own
 * (bench:portal, issue 9 item 5: p95 under 200 connections). Its dependencies are the pieces the
 * application itself runs, passed explicitly: the request log, the cookie parser, the security
 * headers, Express's query parser and, when a read is recorded in the evidence, Express's request
 * (its `req.ip`, the one client-address rule). The page is PortalPages', as PortalController's routes
 * answer it, written in one `writeHead`; test/e2e/signing/portal-paths.spec.ts compares both
 * answers. Anything else, or an unexpected error before anything was written, goes to Express unchanged.
 */
export function portalFastPath(deps: PortalFastPathDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { express, pages, requestLog, cookies } = deps;
  // Express's own request prototype and query parser (`app.request`, 'query parser fn'; missing from its typings).
  const requestProto = (express as Application & { request: object }).request;
  const parseQuery = express.get('query parser fn') as ((query: string) => Record<string, unknown>) | undefined;
  const headers = new Map(FAST_PATHS.map((path) => [path, deps.securityHeaders(path)] as const));
  const noQuery = Object.freeze({}) as Record<string, unknown>;
  const next = () => undefined;
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const before = req.method === 'GET' ? headers.get(path as (typeof FAST_PATHS)[number]) : undefined;
    if (!before) return void express(req, res);
    requestLog(req, res, next);
    cookies(req, res, next);
    const read: PageRead = {
      token: sessionToken(req as Request),
      query: q < 0 || !parseQuery ? noQuery : parseQuery(url.slice(q + 1)),
      // Only when a read is written in the evidence: Express's request, for its client-address rule (TRUST_PROXY).
      client: () => eventContext(Object.setPrototypeOf(req, requestProto) as Request),
    };
    (path === '/portail' ? pages.landing(read) : pages.reading(read)).then(
      (page) => writePage(res, before, page),
      () => (res.headersSent ? res.destroy() : express(req, res)),
    );
  };
}

/** Serves `handler` in place of the Express application on Nest's HTTP server (one listener, named). */
export function servePortalFastPath(server: Server, express: Application, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.removeListener('request', express);
  server.on('request', handler);
}
