import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, isDomainError, randomToken } from '@carepact/common';
import { AccountLinkInvalidError, AccountsService, RESET_REQUESTED_MESSAGE } from '@carepact/identity';
import type { Request, Response } from 'express';
import { Public } from '../../http/auth.guard';
import { clientIp } from '../../http/client-ip';
import { redirectTo, sendHtml } from '../../views';
import { checkLoginCsrf } from '../console-csrf';
import { formBody } from '../console-request';
import { forgotPasswordPage, invalidLinkPage, setPasswordPage } from './account-links.views';

/** The double-submit token of the pages before login under /compte (no session to derive it from). */
export const ACCOUNT_CSRF_COOKIE = 'carepact_account_csrf';

/**
 * Password links, before login (issue 11 item 7): « Mot de passe oublié » (the same answer whether
 * the address has an account or not; rate-limited; audited) and the page an invitation or reset
 * e-mail leads to. A GET never consumes the link (mail scanners open links before people do); the
 * POST does, once. Pages are never cached and send no referrer (the token is in the address).
 */
@ApiExcludeController()
@Controller('compte')
export class AccountLinksController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
  ) {}

  @Public()
  @Get('mot-de-passe-oublie')
  forgotForm(@Req() req: Request, @Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    sendHtml(res, 200, forgotPasswordPage({ csrf: this.csrf(req, res) }));
  }

  @Public()
  @Post('mot-de-passe-oublie')
  async forgot(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const body = formBody(req);
    const email = (body.email ?? '').trim().slice(0, 254);
    try {
      checkLoginCsrf(this.cookie(req), body._csrf);
      if (!email) {
        const errors: FieldError[] = [{ field: 'email', code: 'REQUIRED', message: 'Saisissez votre adresse e-mail.' }];
        return sendHtml(res, 400, forgotPasswordPage({ csrf: this.csrf(req, res), errors, errorMessage: 'Il manque des informations' }));
      }
      await this.accounts.requestPasswordReset(email, clientIp(req) ?? 'unknown');
      sendHtml(res, 200, forgotPasswordPage({ csrf: this.csrf(req, res), sent: RESET_REQUESTED_MESSAGE }));
    } catch (e) {
      if (!isDomainError(e)) throw e;
      if (e.retryAfterSeconds) res.setHeader('Retry-After', String(e.retryAfterSeconds));
      const status = e.code === 'CSRF_TOKEN_INVALID' ? 403 : e.kind === 'rate_limited' ? 429 : 400;
      sendHtml(res, status, forgotPasswordPage({ csrf: this.csrf(req, res), errorMessage: e.messageFr, email }));
    }
  }

  @Public()
  @Get('mot-de-passe/:token')
  async linkForm(@Req() req: Request, @Res() res: Response, @Param('token') token: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    try {
      const link = await this.accounts.viewLink(token);
      sendHtml(res, 200, setPasswordPage({ csrf: this.csrf(req, res), token, purpose: link.purpose, name: link.name, email: link.email }));
    } catch (e) {
      if (!(e instanceof AccountLinkInvalidError)) throw e;
      sendHtml(res, 404, invalidLinkPage(e.messageFr));
    }
  }

  @Public()
  @Post('mot-de-passe')
  async setPassword(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const body = formBody(req);
    const token = (body.jeton ?? '').slice(0, 100);
    try {
      checkLoginCsrf(this.cookie(req), body._csrf);
      const password = (body.password ?? '').slice(0, 400);
      if (password !== (body.confirm ?? '')) {
        const link = await this.accounts.viewLink(token);
        const errors: FieldError[] = [{ field: 'confirm', code: 'PASSWORDS_DIFFER', message: 'Les deux mots de passe saisis sont différents.' }];
        return sendHtml(res, 400, setPasswordPage({ csrf: this.csrf(req, res), token, purpose: link.purpose, name: link.name, email: link.email, errors, errorMessage: 'Le mot de passe n’est pas enregistré' }));
      }
      await this.accounts.setPasswordWithLink(token, password);
      redirectTo(res, '/connexion?mot-de-passe=1');
    } catch (e) {
      if (e instanceof AccountLinkInvalidError) return sendHtml(res, 404, invalidLinkPage(e.messageFr));
      if (!isDomainError(e)) throw e;
      if (e.code === 'CSRF_TOKEN_INVALID') return sendHtml(res, 403, invalidLinkPage(e.messageFr));
      const link = await this.accounts.viewLink(token).catch(() => null);
      if (!link) return sendHtml(res, 404, invalidLinkPage(new AccountLinkInvalidError().messageFr));
      sendHtml(res, 400, setPasswordPage({ csrf: this.csrf(req, res), token, purpose: link.purpose, name: link.name, email: link.email, errors: e.details, errorMessage: 'Le mot de passe n’est pas enregistré' }));
    }
  }

  private cookie(req: Request): string | undefined {
    return ((req as Request & { cookies?: Record<string, string> }).cookies ?? {})[ACCOUNT_CSRF_COOKIE];
  }

  private csrf(req: Request, res: Response): string {
    const current = this.cookie(req);
    if (current && /^[A-Za-z0-9_-]{32,64}$/.test(current)) return current;
    const token = randomToken(24);
    res.cookie(ACCOUNT_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.http.publicUrl.startsWith('https://'), path: '/compte' });
    return token;
  }
}
