import { Injectable } from '@nestjs/common';
import { Variant, contentVariantOf, renderHtmlFragment, resolve, templates } from '@carepact/rendering';
import { PortalContext, PortalReadsService, PortalSessionService, signerHasAnswered } from '@carepact/signing';
import { Page, PageRead, readAnswer, variantFor } from './portal-page';
import { AnswerFacts, answeredPage, downloadPage, landingPage, readingPage } from './portal.views';

/** The bytes of kept pages after which they are all dropped (then rendered again on their next read). */
const KEPT_PAGES_BYTES = 64 * 1024 * 1024;

/**
 * The two pages a signer reloads most, landing and reading view, as one function each of the
 * page read: PortalController's routes and the fast path (portal-fast-path.ts) both answer with them.
 *
 * A page is rendered once per version of its session's context and kept: PortalSessionService
 * returns the same context object while the session's signing state (one stamp, checked at every
 * read) and its display facts are unchanged, and a new object after any change — a form's `forget`,
 * a change by the worker or another instance. So a kept page is exactly the page this context
 * renders; what a page shows beyond the context (the co-signers and the seal on a signer's recap)
 * is part of that stamp. The read is still recorded: `markViewed` runs for every reading.
 */
@Injectable()
export class PortalPages {
  private readonly fragments = new Map<string, string>();
  /** Rendered pages by context object (its version) and page key; dropped with the context. */
  private kept = new WeakMap<PortalContext, Map<string, Page>>();
  private keptBytes = 0;

  constructor(
    private readonly sessions: PortalSessionService,
    private readonly reads: PortalReadsService,
  ) {}

  /**
   * The landing: a download session's sealed document; a signer who has answered (coming back with
   * the link they used), their answer; otherwise who asks, what, by when, and "Lire le document"
   * (or the access-code form). `?fait=code` follows the code form's redirect.
   */
  landing(read: PageRead): Promise<Page> {
    const code = read.query.fait === 'code';
    return readAnswer(this.sessions, read, (ctx) =>
      this.keep(ctx, code ? 'landing:code' : 'landing', async () => {
        if (ctx.purpose === 'download') {
          // Sealed without every optional countersignature: established (CASF D.311 II), not « toutes les signatures ».
          const [sealed, signers] = await Promise.all([this.reads.isSealed(ctx), this.reads.coSigners(ctx)]);
          return { status: 200, html: downloadPage(ctx, sealed, signers.some((s) => s.status !== 'signed')) };
        }
        if (signerHasAnswered(ctx)) return { status: 200, html: answeredPage(ctx, await this.answerFacts(ctx), false) };
        const notice = code ? 'Code accepté. Vous pouvez maintenant lire le document.' : undefined;
        // Established by the director and sealed while she may still countersign (CASF D.311 II).
        const established = ctx.request.status === 'active' && (await this.reads.isSealed(ctx));
        return { status: 200, html: landingPage(ctx, { notice, established }) };
      }),
    );
  }

  /** Where the request stands, for a signer's recap. */
  async answerFacts(ctx: PortalContext): Promise<AnswerFacts> {
    const [signers, sealed, sealedIds] = await Promise.all([this.reads.coSigners(ctx), this.reads.isSealed(ctx), this.reads.sealedSignerIds(ctx)]);
    return { signers, sealed, mySignatureSealed: sealedIds?.includes(ctx.signer.id) ?? false };
  }

  reading(read: PageRead): Promise<Page> {
    return readAnswer(this.sessions, read, async (ctx) => {
      const version = read.query.version;
      const variant = variantFor(ctx, typeof version === 'string' ? version : undefined);
      await this.reads.markViewed(ctx, variant, read.client);
      return this.keep(ctx, `reading:${variant}`, async () => ({ status: 200, html: readingPage(ctx, variant, await this.fragment(ctx, variant)) }));
    });
  }

  /** The page `key` of this context: rendered once, then the same page (and bytes) while the context is the same object. */
  private async keep(ctx: PortalContext, key: string, render: () => Promise<Page>): Promise<Page> {
    const pages = this.kept.get(ctx);
    const hit = pages?.get(key);
    if (hit) return hit;
    const page = await render();
    const bytes = Buffer.from(page.html, 'utf8');
    if (this.keptBytes + bytes.length > KEPT_PAGES_BYTES) {
      this.kept = new WeakMap();
      this.keptBytes = 0;
    }
    const kept = { ...page, bytes };
    this.keptBytes += bytes.length;
    const map = this.kept.get(ctx) ?? new Map<string, Page>();
    map.set(key, kept);
    this.kept.set(ctx, map);
    return kept;
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
