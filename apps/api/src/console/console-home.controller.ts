import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { StaffService, establishmentsWith } from '@carepact/identity';
import { WorklistService } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import type { Request, Response } from 'express';
import { sendHtml } from '../views';
import { consoleCsrfToken } from './console-csrf';
import { ConsolePageCache } from './cache/console-page-cache';
import { consoleHomePage, worklistBody, worklistPage } from './console-home.views';
import { actorOf } from './console-request';

/**
 * GET /console: « À faire » for those who work on residents' files (admissions, coordination,
 * direction, administration: the WorklistService, as the API would call it); for the others (the
 * auditor), a page that says what their role lets them do.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleHomeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly worklist: WorklistService,
    private readonly cache: ConsolePageCache,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const csrf = consoleCsrfToken(this.config.secrets.session, actor);
    if (WorklistService.hasWorklist(actor)) {
      // The same for everyone with these roles, until an audited change or the next day.
      const now = new Date();
      const body = await this.cache.get(actor, `worklist|${todayIso(now)}`, async () => worklistBody(await this.worklist.forActor(actor, now)));
      return sendHtml(res, 200, worklistPage(actor, csrf, body));
    }
    const establishments = await this.staff.listEstablishments(actor);
    sendHtml(
      res,
      200,
      consoleHomePage(
        actor,
        csrf,
        establishments.map((e) => ({ id: e.id, name: e.name, roles: actor.roles.filter((r) => r.establishmentId === e.id).map((r) => r.role) })),
        establishmentsWith(actor, 'audit.read').length > 0,
      ),
    );
  }
}
