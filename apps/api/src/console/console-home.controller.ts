import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { StaffService } from '@carepact/identity';
import type { Request, Response } from 'express';
import { sendHtml } from '../views';
import { consoleCsrfToken } from './console-csrf';
import { consoleHomePage } from './console-home.views';
import { actorOf } from './console-request';

/** GET /console: the landing page of a connected staff member. */
@ApiExcludeController()
@Controller('console')
export class ConsoleHomeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const establishments = await this.staff.listEstablishments(actor);
    sendHtml(
      res,
      200,
      consoleHomePage(
        actor,
        consoleCsrfToken(this.config.secrets.session, actor),
        establishments.map((e) => ({ id: e.id, name: e.name, roles: actor.roles.filter((r) => r.establishmentId === e.id).map((r) => r.role) })),
      ),
    );
  }
}
