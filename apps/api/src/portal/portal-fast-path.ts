import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PortalPages } from './portal-pages';
import { sendPage } from './portal-page';

/**
 * GET /portail and GET /portail/document answered before Nest's router, guards, pipes and filters,
 * whose cost exceeds the page's own (bench:portal: p95 ≤ 30 ms under 200 connections).
 * Mounted as an Express middleware after the request logger, the security headers and the cookie
 * parser, so a page answered here is logged, headed and read exactly as by PortalController, with
 * the same PortalPages; test/e2e/signing/portal-fast-path.spec.ts compares both answers. An
 * unexpected error falls through to the route, which answers it (nothing has been written then).
 */
export function portalFastPath(pages: PortalPages): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET') return next();
    const page = req.path === '/portail' ? pages.landing(req) : req.path === '/portail/document' ? pages.reading(req) : null;
    if (!page) return next();
    page.then(
      (p) => sendPage(res, p),
      () => next(),
    );
  };
}
