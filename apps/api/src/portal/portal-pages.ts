import { Injectable } from '@nestjs/common';
import { Variant, contentVariantOf, renderHtmlFragment, resolve, templates } from '@carepact/rendering';
import { PortalContext, PortalReadsService, PortalSessionService, signerHasAnswered } from '@carepact/signing';
import type { Request } from 'express';
import { Page, eventContext, portalAnswer, variantFor } from './portal-page';
import { AnswerFacts, answeredPage, downloadPage, landingPage, readingPage } from './portal.views';

/**
 * The two pages a signer reloads most, landing and reading view, as one function each of the
 * request: PortalController's routes and the fast path (portal-fast-path.ts) both answer with them.
 */
@Injectable()
export class PortalPages {
  private readonly fragments = new Map<string, string>();

  constructor(
    private readonly sessions: PortalSessionService,
    private readonly reads: PortalReadsService,
  ) {}

  /**
   * The landing: a download session's sealed document; a signer who has answered (coming back with
   * the link they used), their answer; otherwise who asks, what, by when, and "Lire le document"
   * (or the access-code form). `?fait=code` follows the code form's redirect.
   */
  landing(req: Request): Promise<Page> {
    return this.answer(req, async (ctx) => {
      if (ctx.purpose === 'download') return { status: 200, html: downloadPage(ctx, ctx.request.status === 'completed') };
      if (signerHasAnswered(ctx)) return { status: 200, html: answeredPage(ctx, await this.answerFacts(ctx), false) };
      const notice = req.query.fait === 'code' ? 'Code accepté. Vous pouvez maintenant lire le document.' : undefined;
      return { status: 200, html: landingPage(ctx, { notice }) };
    });
  }

  /** Where the request stands, for a signer's recap. */
  async answerFacts(ctx: PortalContext): Promise<AnswerFacts> {
    const [signers, sealed] = await Promise.all([this.reads.coSigners(ctx), this.reads.isSealed(ctx)]);
    return { signers, sealed };
  }

  reading(req: Request): Promise<Page> {
    return this.answer(req, async (ctx) => {
      const version = req.query.version;
      const variant = variantFor(ctx, typeof version === 'string' ? version : undefined);
      await this.reads.markViewed(ctx, variant, eventContext(req));
      return { status: 200, html: readingPage(ctx, variant, await this.fragment(ctx, variant)) };
    });
  }

  private async answer(req: Request, handler: (ctx: PortalContext) => Promise<Page>): Promise<Page> {
    return (await portalAnswer(this.sessions, req, handler))!;
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
}
