import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, ValidationError, isDomainError } from '@carepact/common';
import { VARIANTS, Variant, contentVariantOf, htmlStyles, renderHtmlFragment, resolve, templates } from '@carepact/rendering';
import { LinkNotFoundError, PortalContext, PortalService, PortalSessionExpiredError } from '@carepact/signing';
import type { Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../http/auth.guard';
import { RateLimiter } from '../http/rate-limiter';
import { confirmationPage, downloadPage, errorPage, landingPage, linkNotFoundPage, readingPage, sessionExpiredPage } from './portal.views';

export const PORTAL_COOKIE = '__Host-carepact_portal';

type Body = Record<string, string | undefined>;

/**
 * The signing portal: server-rendered, works without JavaScript. A GET never changes anything but
 * opening a session; every POST carries a CSRF token and is single-use and atomic in the service.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  private readonly linkLimiter = new RateLimiter(30, 60_000);
  private readonly codeLimiter = new RateLimiter(10, 60_000);
  private readonly fragments = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly portal: PortalService,
  ) {}

  private ev(req: Request) {
    return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
  }

  private send(res: Response, status: number, html: string): void {
    res.status(status).setHeader('Cache-Control', 'no-store');
    res.type('text/html; charset=utf-8').send(html);
  }

  private limited(res: Response, seconds: number): void {
    res.setHeader('Retry-After', String(seconds));
    this.send(res, 429, errorPage('Trop de tentatives', `Merci de patienter ${seconds} secondes avant de réessayer.`, 429));
  }

  /** The link in the e-mail: opens a short session, then 303 to a URL without the token. */
  @Get('s/:token')
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.linkLimiter.hit(`link:${req.ip}`);
    if (wait) return this.limited(res, wait);
    try {
      const { sessionToken, expiresAt } = await this.portal.openLink(token, this.ev(req));
      res.cookie(PORTAL_COOKIE, sessionToken, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: expiresAt });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, '/portail');
    } catch (e) {
      if (e instanceof LinkNotFoundError) return this.send(res, 404, linkNotFoundPage());
      throw e;
    }
  }

  private async context(req: Request): Promise<PortalContext> {
    return this.portal.context((req as Request & { cookies?: Record<string, string> }).cookies?.[PORTAL_COOKIE]);
  }

  /** Runs a page handler with the portal's error pages (session expired, CSRF, not found). */
  private async page(req: Request, res: Response, handler: (ctx: PortalContext) => Promise<void>): Promise<void> {
    // A form changes state: the next page read must not reuse a context loaded before it.
    if (req.method !== 'GET') this.portal.forget((req as Request & { cookies?: Record<string, string> }).cookies?.[PORTAL_COOKIE]);
    let ctx: PortalContext;
    try {
      ctx = await this.context(req);
    } catch (e) {
      if (e instanceof PortalSessionExpiredError) return this.send(res, 401, sessionExpiredPage());
      throw e;
    }
    try {
      await handler(ctx);
      if (req.method !== 'GET') this.portal.forget((req as Request & { cookies?: Record<string, string> }).cookies?.[PORTAL_COOKIE]);
    } catch (e) {
      if (isDomainError(e) && e.code === 'CSRF_TOKEN_INVALID') return this.send(res, 403, errorPage('Formulaire expiré', e.messageFr, 403));
      if (isDomainError(e) && e.kind === 'not_found') return this.send(res, 404, errorPage('Introuvable', e.messageFr, 404));
      if (isDomainError(e) && (e.kind === 'invalid' || e.kind === 'conflict' || e.kind === 'forbidden')) {
        const fresh = await this.context(req);
        const status = e.kind === 'invalid' ? 400 : e.kind === 'conflict' ? 409 : 403;
        return this.send(
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

  @Get('portail')
  async landing(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      if (ctx.purpose === 'download') return this.send(res, 200, downloadPage(ctx, ctx.request.status === 'completed'));
      this.send(res, 200, landingPage(ctx, ctx.session.csrfToken));
    });
  }

  @Get('portail/document')
  async read(@Req() req: Request, @Res() res: Response, @Query('version') version?: string): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const variant = this.variantFor(ctx, version);
      await this.portal.markViewed(ctx, variant, this.ev(req));
      this.send(res, 200, readingPage(ctx, variant, await this.fragment(ctx, variant)));
    });
  }

  /** The version's reading view, rendered from its input snapshot (deterministic), cached per process. */
  private async fragment(ctx: PortalContext, variant: Variant): Promise<string> {
    const key = `${ctx.request.versionId}:${variant}`;
    const hit = this.fragments.get(key);
    if (hit) return hit;
    const [v] = (await this.portal.versionInput(ctx)) as { template_id: string; template_version: string; input: unknown }[];
    const tree = resolve(templates().load(v.template_id, v.template_version), v.input, contentVariantOf(variant));
    const html = renderHtmlFragment(tree, variant);
    if (this.fragments.size > 500) this.fragments.clear();
    this.fragments.set(key, html);
    return html;
  }

  @Get('portail/static/document-:variant.css')
  documentCss(@Param('variant') variant: string, @Res() res: Response): void {
    if (!(VARIANTS as readonly string[]).includes(variant)) {
      res.status(404).end();
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(htmlStyles(variant as Variant));
  }

  @Get('portail/telecharger/:format/:variant')
  async download(@Param('format') format: string, @Param('variant') variant: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      if (!['pdf', 'docx'].includes(format) || !(VARIANTS as readonly string[]).includes(variant)) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Ce format n’existe pas.');
      const file = await this.portal.rendition(ctx, format, variant, this.ev(req));
      res.setHeader('Content-Type', file.mediaType);
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.bytes);
    });
  }

  @Get('portail/document-signe.pdf')
  async sealed(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const file = await this.portal.sealedPdf(ctx, this.ev(req));
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.bytes);
    });
  }

  @Post('portail/code')
  async code(@Req() req: Request, @Res() res: Response): Promise<void> {
    const wait = this.codeLimiter.hit(`code:${req.ip}`);
    if (wait) return this.limited(res, wait);
    await this.page(req, res, async (ctx) => {
      const body = req.body as Body;
      this.portal.checkCsrf(ctx, body._csrf);
      await this.portal.verifyCode(ctx, body.code ?? '', this.ev(req));
      this.send(res, 200, confirmationPage(ctx, 'code'));
    });
  }

  @Post('portail/avis')
  async view(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const body = req.body as Body;
      this.portal.checkCsrf(ctx, body._csrf);
      await this.portal.recordView(ctx, { viewKey: body.viewKey ?? '', expression: body.expression ?? '', comment: body.comment }, this.ev(req));
      this.send(res, 200, confirmationPage(ctx, 'view'));
    });
  }

  @Post('portail/signer')
  async sign(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const body = req.body as Body;
      this.portal.checkCsrf(ctx, body._csrf);
      await this.portal.sign(ctx, { typedName: body.typedName ?? '', consent: body.consent === 'oui', drawnSignature: body.drawnSignature || null }, this.ev(req));
      this.send(res, 200, confirmationPage(ctx, 'signed'));
    });
  }

  @Post('portail/refuser')
  async refuse(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const body = req.body as Body;
      this.portal.checkCsrf(ctx, body._csrf);
      await this.portal.refuse(ctx, { reason: body.reason }, this.ev(req));
      this.send(res, 200, confirmationPage(ctx, 'refused'));
    });
  }

  @Post('portail/question')
  async ask(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.page(req, res, async (ctx) => {
      const body = req.body as Body;
      this.portal.checkCsrf(ctx, body._csrf);
      await this.portal.ask(ctx, body.message ?? '', this.ev(req));
      this.send(res, 200, confirmationPage(ctx, 'question'));
    });
  }

  /**
   * The two pages a signer reloads most (landing and reading view), served straight from node's
   * request event with the same session check, headers and HTML as the routes above: Express and
   * Nest's pipeline cost more than the page itself (issue 4: p95 ≤ 50 ms under 200 connections).
   * Anything else — no cookie, an expired session, an error — falls through to the normal routes,
   * which answer it; nothing has been written when it does.
   */
  async fastGet(req: IncomingMessage, res: ServerResponse, fallback: () => void): Promise<void> {
    const [path, query = ''] = (req.url ?? '').split('?');
    const token = /(?:^|;\s*)__Host-carepact_portal=([A-Za-z0-9_-]{40,64})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
    if (req.method !== 'GET' || (path !== '/portail' && path !== '/portail/document') || !token) return fallback();
    let html: string;
    try {
      const ctx = await this.portal.recentContext(token);
      if (path === '/portail') {
        html = ctx.purpose === 'download' ? downloadPage(ctx, ctx.request.status === 'completed') : landingPage(ctx, ctx.session.csrfToken);
      } else {
        const version = new URLSearchParams(query).get('version') ?? undefined;
        const variant = this.variantFor(ctx, version);
        const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim();
        const remote = req.socket.remoteAddress ?? null;
        // Same rule as Express's `trust proxy loopback`.
        const ip = forwarded && remote && /^(::ffff:)?127\.|^::1$/.test(remote) ? forwarded : remote;
        await this.portal.markViewed(ctx, variant, { ip, userAgent: (req.headers['user-agent'] as string | undefined) ?? null });
        html = readingPage(ctx, variant, await this.fragment(ctx, variant));
      }
    } catch {
      return fallback();
    }
    this.headers(req, res);
    const body = Buffer.from(html, 'utf8');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  }

  /** Security headers and request logging, as the Express middleware chain sets them. */
  headers: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

  private variantFor(ctx: PortalContext, version?: string): Variant {
    return version && (VARIANTS as readonly string[]).includes(version)
      ? (version as Variant)
      : ctx.preferences.easyToRead
        ? 'falc'
        : ctx.preferences.largePrint
          ? 'large-print'
          : 'standard';
  }

  /** Public URL the links are built from (never the request's Host header). */
  get publicUrl(): string {
    return this.config.http.publicUrl;
  }
}
