import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PortalActionsService, PortalReadsService, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { RateLimiter } from '../http/rate-limiter';
import { clientIp } from '../http/client-ip';
import { Body, eventContext, runPage, sendLimited } from './portal-page';
import { Page } from '../views';
import { questionPage, refusePage, signPage, viewPage } from './portal.views';

/** POST → 303 → GET: a refresh never sends a form again (issue 13, item 5). */
const seeOther = (location: string): Page => ({ status: 303, html: '', location });

/**
 * The portal's forms: access code, recorded view, signature, refusal, question. Every POST carries
 * the session's CSRF token; each change is single-use and atomic in the service. A form that
 * succeeds answers 303 to the next page; one that fails shows its own step again with its errors.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalActionsController {
  private readonly codeLimiter = new RateLimiter(10, 60_000);
  /** Questions per client address (each is a row and may e-mail staff; ask() also caps them per signer). */
  private readonly questionLimiter = new RateLimiter(10, 60_000);

  constructor(
    private readonly sessions: PortalSessionService,
    private readonly actions: PortalActionsService,
    private readonly reads: PortalReadsService,
  ) {}

  @Post('portail/code')
  async code(@Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.codeLimiter.hit(`code:${clientIp(req)}`);
    if (wait) return sendLimited(res, wait);
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.sessions.verifyCode(ctx, body.code ?? '', eventContext(req));
      return seeOther('/portail?fait=code');
    });
  }

  @Post('portail/avis')
  async view(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.recordView(ctx, { viewKey: body.viewKey ?? '', expression: body.expression ?? '', comment: body.comment }, eventContext(req));
      return seeOther('/portail/signer?fait=avis');
    }, viewPage);
  }

  /** A later signer's own account of the view another signer recorded (the second parent…). */
  @Post('portail/avis/compte-rendu')
  async viewAccount(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.addViewAccount(ctx, { viewKey: body.viewKey ?? '', account: body.account }, eventContext(req));
      return seeOther('/portail/signer?fait=compte-rendu');
    }, viewPage);
  }

  @Post('portail/signer')
  async sign(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.sign(ctx, { typedName: body.typedName ?? '', consent: body.consent === 'oui', drawnSignature: body.drawnSignature || null }, eventContext(req));
      return seeOther('/portail/recapitulatif');
    }, async (ctx, state) => signPage(ctx, await this.reads.hasRead(ctx), state, await this.reads.annexesOf(ctx)));
  }

  @Post('portail/refuser')
  async refuse(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.refuse(ctx, { reason: body.reason }, eventContext(req));
      return seeOther('/portail/recapitulatif');
    }, refusePage);
  }

  @Post('portail/question')
  async ask(@Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.questionLimiter.hit(`question:${clientIp(req)}`);
    if (wait) return sendLimited(res, wait);
    await runPage(this.sessions, req, res, async (ctx) => {
      const body = req.body as Body;
      this.sessions.checkCsrf(ctx, body._csrf);
      await this.actions.ask(ctx, body.message ?? '', eventContext(req));
      return seeOther('/portail/question?fait=envoyee');
      // A refused question shows the page again with the questions already sent (and, when asking is over, without the form).
    }, async (ctx, state) => questionPage(ctx, { ...state, asked: await this.reads.questionsOf(ctx) }));
  }
}
