import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError } from '@carepact/common';
import { VARIANTS, Variant, contentVariantOf, htmlStyles, renderHtmlFragment, resolve, templates } from '@carepact/rendering';
import { PortalContext, PortalReadsService, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../http/auth.guard';
import { eventContext, runPage, sendHtml, variantFor } from './portal-page';
import { downloadPage, landingPage, readingPage } from './portal.views';

/**
 * The signing portal's pages: server-rendered, they work without JavaScript, and a GET never
 * changes anything but the evidence of what was read. The link that opens a session is in
 * PortalSessionController, the forms in PortalActionsController.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  private readonly fragments = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: PortalSessionService,
    private readonly reads: PortalReadsService,
  ) {}

  @Get('portail')
  async landing(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      if (ctx.purpose === 'download') return sendHtml(res, 200, downloadPage(ctx, ctx.request.status === 'completed'));
      sendHtml(res, 200, landingPage(ctx, ctx.session.csrfToken));
    });
  }

  @Get('portail/document')
  async read(@Req() req: Request, @Res() res: Response, @Query('version') version?: string): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const variant = variantFor(ctx, version);
      await this.reads.markViewed(ctx, variant, eventContext(req));
      sendHtml(res, 200, readingPage(ctx, variant, await this.fragment(ctx, variant)));
    });
  }

  /** The version's reading view, rendered from its input snapshot (deterministic), cached per process. */
  private async fragment(ctx: PortalContext, variant: Variant): Promise<string> {
    const key = `${ctx.request.versionId}:${variant}`;
    const hit = this.fragments.get(key);
    if (hit) return hit;
    const v = await this.reads.versionInput(ctx);
    const tree = resolve(templates().load(v.templateId, v.templateVersion), v.input, contentVariantOf(variant));
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
    await runPage(this.sessions, req, res, async (ctx) => {
      if (!['pdf', 'docx'].includes(format) || !(VARIANTS as readonly string[]).includes(variant)) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Ce format n’existe pas.');
      const file = await this.reads.rendition(ctx, format, variant, eventContext(req));
      res.setHeader('Content-Type', file.mediaType);
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.bytes);
    });
  }

  @Get('portail/document-signe.pdf')
  async sealed(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      const file = await this.reads.sealedPdf(ctx, eventContext(req));
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.bytes);
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
      const ctx = await this.sessions.recentContext(token);
      if (path === '/portail') {
        html = ctx.purpose === 'download' ? downloadPage(ctx, ctx.request.status === 'completed') : landingPage(ctx, ctx.session.csrfToken);
      } else {
        const version = new URLSearchParams(query).get('version') ?? undefined;
        const variant = variantFor(ctx, version);
        const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim();
        const remote = req.socket.remoteAddress ?? null;
        // Same rule as Express's `trust proxy loopback`.
        const ip = forwarded && remote && /^(::ffff:)?127\.|^::1$/.test(remote) ? forwarded : remote;
        await this.reads.markViewed(ctx, variant, { ip, userAgent: (req.headers['user-agent'] as string | undefined) ?? null });
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

  /** Public URL the links are built from (never the request's Host header). */
  get publicUrl(): string {
    return this.config.http.publicUrl;
  }
}
