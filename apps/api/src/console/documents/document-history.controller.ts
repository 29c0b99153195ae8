import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DocumentHistoryService } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { IdentityRepository } from '@carepact/identity';
import { TransactionRunner } from '@carepact/database';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { PageFlash, setFlash, takeFlash } from './console-flash';
import { documentHistoryPage } from './document-history.views';

/**
 * A document's history in the console (issue 11, item 1), for everyone who may read the document,
 * auditors included (metadata only: DocumentHistoryService, as GET /api/documents/:id/history):
 * the timeline (who, when, in which capacity), the lineage contract → avenants → DIPC, each version's
 * reason with a link to its differences, and « Vérifier à nouveau » (POST /api/documents/:id/verify's
 * service, audited `document.verified`) whose checks are shown once after the 303.
 */
@ApiExcludeController()
@Controller('console/documents/:id/historique')
export class DocumentHistoryPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly history: DocumentHistoryService,
    private readonly identity: IdentityRepository,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const h = await this.history.history(actor, id);
    const flash = takeFlash<PageFlash>(req, res, this.config.secrets.session, actor, `historique:${id}`);
    const establishments = await this.identity.establishmentsByIds(this.tx.manager, actor.organisationId, [h.document.establishmentId]);
    sendHtml(
      res,
      200,
      documentHistoryPage({
        actor,
        csrf: consoleCsrfToken(this.config.secrets.session, actor),
        history: h,
        establishmentName: establishments[0]?.name ?? null,
        verification: flash?.kind === 'verification' ? flash : null,
      }),
    );
  }

  @Post('verifier')
  async verify(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    checkConsoleCsrf(this.config.secrets.session, actor, formBody(req)._csrf);
    const result = await this.history.verify(actor, id);
    setFlash(res, this.config.secrets.session, this.config.http.publicUrl.startsWith('https://'), actor, `historique:${id}`, {
      kind: 'verification',
      ok: result.ok,
      checkedAt: result.checkedAt,
      checks: result.checks,
    });
    redirectTo(res, `/console/documents/${id}/historique#verification`);
  }
}
