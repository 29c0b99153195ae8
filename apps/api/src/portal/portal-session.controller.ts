import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LinkNotFoundError, PORTAL_TOKEN, PortalPersonArchivedError, PortalRequestCancelledForDeathError, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { clientIp } from '../http/client-ip';
import { RateLimiter } from '../http/rate-limiter';
import { PORTAL_COOKIE, eventContext, sendHtml, sendLimited } from './portal-page';
import { cancelledForDeathPage, linkNotFoundPage, personArchivedPage } from './portal.views';

/**
 * The token of a link, only from its canonical form `/s/<token>` as the e-mails write it. Express
 * matches routes case-insensitively and decodes parameters: `/S/<token>`, `/s/%41…` or `/s/<token>/`
 * would otherwise open the link too (and log a token that no mask recognises).
 */
export function canonicalLinkToken(req: Request): string | null {
  const path = req.originalUrl.split('?')[0];
  if (!path.startsWith('/s/')) return null;
  const token = path.slice(3);
  return PORTAL_TOKEN.test(token) ? token : null;
}

/** The link in the e-mail: opens a short portal session (a GET consumes nothing else). */
@ApiExcludeController()
@Public()
@Controller()
export class PortalSessionController {
  private readonly linkLimiter = new RateLimiter(30, 60_000);

  constructor(private readonly sessions: PortalSessionService) {}

  /**
   * Sets the `__Host-` session cookie, then 303 to a URL without the token. Every other path under
   * /s/ gets the page of an unknown link: one status, one page, whatever was wrong.
   */
  @Get('s/*path')
  async open(@Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.linkLimiter.hit(`link:${clientIp(req)}`);
    if (wait) return sendLimited(res, wait);
    try {
      const token = canonicalLinkToken(req);
      if (!token) throw new LinkNotFoundError();
      const { sessionToken, expiresAt } = await this.sessions.openLink(token, eventContext(req));
      res.cookie(PORTAL_COOKIE, sessionToken, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: expiresAt });
      res.setHeader('Cache-Control', 'no-store');
      // The e-mail that tells of an answer to the signer's question leads to it (`?vers=questions`).
      res.redirect(303, req.query.vers === 'questions' ? '/portail/question' : '/portail');
    } catch (e) {
      if (e instanceof LinkNotFoundError) return sendHtml(res, 404, linkNotFoundPage());
      if (e instanceof PortalPersonArchivedError) return sendHtml(res, 410, personArchivedPage(e.completed));
      if (e instanceof PortalRequestCancelledForDeathError) return sendHtml(res, 410, cancelledForDeathPage(e.notice));
      throw e;
    }
  }
}
