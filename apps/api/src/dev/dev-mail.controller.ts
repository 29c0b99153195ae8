import { Controller, Get, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { NotFoundError } from '@carepact/common';
import { DevMailbox, MAILBOX_PAGE_CSS, renderMailboxPage } from '@carepact/notifications';
import type { Response } from 'express';
import { Public } from '../http/auth.guard';

/**
 * Development only: when SMTP_URL is not set, `npm start` asks the api to run a local SMTP server
 * (DEV_MAILBOX_PORT) and lists what it received at /dev/mail, so a new user can follow the links.
 */
@Injectable()
export class DevMailService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DevMail');
  readonly mailbox: DevMailbox | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Kept on disk beside the development secrets: a restart does not lose links not yet opened.
    this.mailbox = config.env !== 'production' && config.devMailboxPort > 0 ? new DevMailbox({ capacity: 500, storeDir: config.paths.devMailDir }) : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.mailbox) return;
    const { port } = await this.mailbox.start(this.config.devMailboxPort);
    this.log.log(`local SMTP server on 127.0.0.1:${port}; messages at /dev/mail`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.mailbox?.stop();
  }
}

@ApiExcludeController()
@Public()
@Controller('dev')
export class DevMailController {
  constructor(private readonly dev: DevMailService) {}

  @Get('mail')
  page(@Res() res: Response): void {
    if (!this.dev.mailbox) throw new NotFoundError('ROUTE_NOT_FOUND', 'Cette adresse n’existe pas.');
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/html; charset=utf-8').send(renderMailboxPage(this.dev.mailbox.list(), { stylesheetHref: '/dev/mail.css' }));
  }

  @Get('mail.css')
  css(@Res() res: Response): void {
    if (!this.dev.mailbox) throw new NotFoundError('ROUTE_NOT_FOUND', 'Cette adresse n’existe pas.');
    res.type('text/css').send(MAILBOX_PAGE_CSS);
  }
}
