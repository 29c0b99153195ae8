import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, ofName } from '@carepact/common';
import { VARIANTS, Variant, htmlStyles } from '@carepact/rendering';
import { PortalReadsService, PortalSessionService, assertCodeGiven, signerHasAnswered } from '@carepact/signing';
import type { Request, Response } from 'express';
import { Public } from '../http/auth.guard';
import { PortalPages } from './portal-pages';
import { Page, eventContext, pageReadOf, runPage, sendPage } from './portal-page';
import { answeredPage, questionPage, refusePage, signPage, viewPage } from './portal.views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toLanding: Page = { status: 303, html: '', location: '/portail' };

/**
 * The signing portal's pages: server-rendered, they work without JavaScript, and a GET never
 * changes anything but the evidence of what was read. One step per page (issue 13): landing,
 * reading, the person's view, sign, refuse, ask; then the recap. The link that opens a session is
 * in PortalSessionController, the forms (POST on the same paths) in PortalActionsController. The
 * landing and reading pages are also answered, identically, by the fast path (portal-fast-path.ts).
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
    sendPage(res, await this.pages.landing(pageReadOf(req)));
  }

  @Get('portail/document')
  async read(@Req() req: Request, @Res() res: Response): Promise<void> {
    sendPage(res, await this.pages.reading(pageReadOf(req)));
  }

  /** The view of the person (tutelle, a minor…) that this signer records before signing. */
  @Get('portail/avis')
  async viewStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      assertCodeGiven(ctx);
      if (signerHasAnswered(ctx) || !ctx.views.length) return toLanding;
      return { status: 200, html: viewPage(ctx) };
    });
  }

  /** The signature form, once the document was opened (issue 13, item 3). `?fait=avis` follows the view's form, `?fait=compte-rendu` an account's. */
  @Get('portail/signer')
  async signStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      assertCodeGiven(ctx);
      if (signerHasAnswered(ctx)) return toLanding;
      const recorded = req.query.fait === 'avis' ? ctx.views.find((v) => v.answer?.byMe) : undefined;
      const accounted = req.query.fait === 'compte-rendu' ? ctx.views.find((v) => v.answer?.accounts?.some((a) => a.byMe)) : undefined;
      const notice = recorded
        ? `L’avis ${ofName(`${recorded.person.firstName} ${recorded.person.lastName}`)} est enregistré.`
        : accounted
          ? `Votre compte rendu de l’avis ${ofName(`${accounted.person.firstName} ${accounted.person.lastName}`)} est enregistré.`
          : undefined;
      return { status: 200, html: signPage(ctx, await this.reads.hasRead(ctx), { notice }, await this.reads.annexesOf(ctx)) };
    });
  }

  @Get('portail/refuser')
  async refuseStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      assertCodeGiven(ctx);
      if (signerHasAnswered(ctx)) return toLanding;
      return { status: 200, html: refusePage(ctx) };
    });
  }

  /** A question to the establishment; `?fait=envoyee` follows its form. */
  @Get('portail/question')
  async questionStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      assertCodeGiven(ctx);
      return { status: 200, html: questionPage(ctx, { sent: req.query.fait === 'envoyee', asked: await this.reads.questionsOf(ctx) }) };
    });
  }

  /** Right after signing or refusing (the forms' 303): what was answered, when, in which capacity, what next. */
  @Get('portail/recapitulatif')
  async recap(@Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      if (!signerHasAnswered(ctx) || ctx.purpose !== 'sign') return toLanding;
      return { status: 200, html: answeredPage(ctx, await this.pages.answerFacts(ctx), true) };
    });
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

  /** A document handed over with the version being signed (livret d'accueil, règlement…): only to a signer of a request on that version; in the evidence. */
  @Get('portail/documents-remis/:fileId')
  async annex(@Param('fileId') fileId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await runPage(this.sessions, req, res, async (ctx) => {
      if (!UUID.test(fileId)) throw new DomainError('not_found', 'ANNEX_FILE_NOT_FOUND', 'Ce document n’est pas remis avec celui que vous signez.');
      const file = await this.reads.annexFile(ctx, fileId.toLowerCase(), eventContext(req));
      res.setHeader('Content-Type', 'application/pdf');
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
