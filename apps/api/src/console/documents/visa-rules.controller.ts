import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { ForbiddenError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DOCUMENT_TYPES } from '@carepact/documents';
import { IdentityRepository, StaffActor, establishmentsWith } from '@carepact/identity';
import { DocumentVisaService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { visaRulesPage } from './visa-rules.views';

/** GET/POST /console/visas: the internal visa per document type, as PUT /api/establishments/:id/visa-rules/:type. */
@ApiExcludeController()
@Controller('console/visas')
export class VisaRulesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly identity: IdentityRepository,
    private readonly visa: DocumentVisaService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const done = req.query.enregistre === '1' ? 'Les visas sont enregistrés ; ils s’appliquent aux documents qui ne sont pas encore envoyés en signature.' : undefined;
    sendHtml(res, 200, visaRulesPage(actor, consoleCsrfToken(this.config.secrets.session, actor), await this.load(actor), done));
  }

  @Post()
  async save(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const establishmentId = body.establishmentId ?? '';
    // Each choice through the same service as the API (it checks the role and audits each change).
    for (const type of DOCUMENT_TYPES) {
      const v = body[`type.${type}`];
      if (v === undefined) continue;
      await this.visa.setRule(actor, establishmentId, type, v === 'aucun' ? null : v);
    }
    redirectTo(res, '/console/visas?enregistre=1');
  }

  private async load(actor: StaffActor) {
    const ids = establishmentsWith(actor, 'establishment.write');
    if (!ids.length) throw new ForbiddenError();
    const establishments = await this.identity.establishmentsByIds(this.tx.manager, actor.organisationId, ids);
    return Promise.all(establishments.map(async (e) => ({ id: e.id, name: e.name, rules: await this.visa.rules(actor, e.id) })));
  }
}
