import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LinkNotFoundError, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { RateLimiter } from '../http/rate-limiter';
import { PORTAL_COOKIE, eventContext, sendHtml, sendLimited } from './portal-page';
import { linkNotFoundPage } from './portal.views';

/** The link in the e-mail: opens a short portal session (a GET consumes nothing else). */
@ApiExcludeController()
@Public()
@Controller()
export class PortalSessionController {
  private readonly linkLimiter = new RateLimiter(30, 60_000);

  constructor(private readonly sessions: PortalSessionService) {}

  /** Sets the `__Host-` session cookie, then 303 to a URL without the token. */
  @Get('s/:token')
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.linkLimiter.hit(`link:${req.ip}`);
    if (wait) return sendLimited(res, wait);
    try {
      const { sessionToken, expiresAt } = await this.sessions.openLink(token, eventContext(req));
      res.cookie(PORTAL_COOKIE, sessionToken, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: expiresAt });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, '/portail');
    } catch (e) {
      if (e instanceof LinkNotFoundError) return sendHtml(res, 404, linkNotFoundPage());
      throw e;
    }
  }
}
