import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PortalActionsService, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { RateLimiter } from '../http/rate-limiter';
import { clientIp } from '../http/client-ip';
import { Body, eventContext, runPage, sendLimited } from './portal-page';
import { confirmationPage } from './portal.views';

/**
 * The portal's forms: access code, recorded view, signature, refusal, question. Every POST carries
 * the session's CSRF token; each change is single-use and atomic in the service.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalActionsController {
  private readonly codeLimiter = new RateLimiter(10, 60_000);

  constructor(
    private readonly sessions: PortalSessionService,
    private readonly actions: PortalActionsService,
  ) {}

  @Post('portail/code')
  async code(@Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.codeLimiter.hit(`code:${clientIp(req)}`);
    if (wait) return sendLimited(res, wait);
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.sessions.verifyCode(ctx, body.code ?? '', eventContext(req));
      return { status: 200, html: confirmationPage(ctx, 'code') };
    });
  }

  @Post('portail/avis')
  async view(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.recordView(ctx, { viewKey: body.viewKey ?? '', expression: body.expression ?? '', comment: body.comment }, eventContext(req));
      return { status: 200, html: confirmationPage(ctx, 'view') };
    });
  }

  @Post('portail/signer')
  async sign(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.sign(ctx, { typedName: body.typedName ?? '', consent: body.consent === 'oui', drawnSignature: body.drawnSignature || null }, eventContext(req));
      return { status: 200, html: confirmationPage(ctx, 'signed') };
    });
  }

  @Post('portail/refuser')
  async refuse(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.refuse(ctx, { reason: body.reason }, eventContext(req));
      return { status: 200, html: confirmationPage(ctx, 'refused') };
    });
  }

  @Post('portail/question')
  async ask(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.ask(ctx, body.message ?? '', eventContext(req));
      return { status: 200, html: confirmationPage(ctx, 'question') };
    });
  }
}
