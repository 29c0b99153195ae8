import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError } from '@carepact/common';
import { VARIANTS, Variant, htmlStyles } from '@carepact/rendering';
import { PortalReadsService, PortalSessionService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { PortalPages } from './portal-pages';
import { eventContext, runPage, sendPage } from './portal-page';

/**
 * The signing portal's pages: server-rendered, they work without JavaScript, and a GET never
 * changes anything but the evidence of what was read. The link that opens a session is in
 * PortalSessionController, the forms in PortalActionsController. The landing and reading pages
 * are also answered, identically, by the fast path (portal-fast-path.ts).
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  constructor(
    private readonly sessions: PortalSessionService,
    private readonly reads: PortalReadsService,
    private readonly pages: PortalPages,
  ) {}

  @Get('portail')
  async landing(@Req() req: Request, @Res() res: Response): Promise<void> {
    sendPage(res, await this.pages.landing(req));
  }

  @Get('portail/document')
  async read(@Req() req: Request, @Res() res: Response): Promise<void> {
    sendPage(res, await this.pages.reading(req));
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
      return null;
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
      return null;
    });
  }
}
