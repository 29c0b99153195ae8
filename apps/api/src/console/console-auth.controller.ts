import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { isDomainError, randomToken } from '@carepact/common';
import { AuthService } from '@carepact/identity';
import type { Request, Response } from 'express';
import { Public, clearStaffCookie, setStaffCookie, staffCookieOf } from '../http/auth.guard';
import { clientIp } from '../http/client-ip';
import { redirectTo, sendHtml } from '../views';
import { LOGIN_CSRF_COOKIE, checkConsoleCsrf, checkLoginCsrf } from './console-csrf';
import { actorOf, consoleReturnPath, formBody, safeConsolePath } from './console-request';
import { loginPage } from './login.views';

/**
 * The way into the console: `/` leads to it, `/connexion` logs in (the same AuthService, limits and
 * audit events as POST /api/auth/login), `/deconnexion` logs out. POST → redirect → GET.
 */
@ApiExcludeController()
@Controller()
export class ConsoleAuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  /** The product's address: the console for a connected person, the login page otherwise. */
  @Public()
  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = await this.auth.authenticate(staffCookieOf(req, this.config.http.publicUrl));
    redirectTo(res, actor ? '/console' : '/connexion');
  }

  @Public()
  @Get('connexion')
  async loginForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const next = safeConsolePath(req.query.suite);
    if (await this.auth.authenticate(staffCookieOf(req, this.config.http.publicUrl))) return redirectTo(res, consoleReturnPath(next) ?? '/console');
    sendHtml(res, 200, loginPage({ csrf: this.loginCsrf(req, res), next, loggedOut: req.query.deconnexion === '1', passwordSet: req.query['mot-de-passe'] === '1', devLinks: this.devLinks() }));
  }

  @Public()
  @Post('connexion')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = formBody(req);
    const next = safeConsolePath(body.suite);
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    try {
      checkLoginCsrf(cookies[LOGIN_CSRF_COOKIE], body._csrf);
      const email = (body.email ?? '').trim();
      const errors = [
        ...(email ? [] : [{ field: 'email', code: 'REQUIRED', message: 'Saisissez votre adresse e-mail.' }]),
        ...(body.password ? [] : [{ field: 'password', code: 'REQUIRED', message: 'Saisissez votre mot de passe.' }]),
      ];
      if (errors.length) {
        return sendHtml(res, 400, loginPage({ csrf: this.loginCsrf(req, res), next, errors, errorMessage: 'Il manque des informations', values: { email }, devLinks: this.devLinks() }));
      }
      const result = await this.auth.login(email.slice(0, 254), (body.password ?? '').slice(0, 200), clientIp(req) ?? 'unknown');
      setStaffCookie(res, this.config.http.publicUrl, result.token, result.expiresAt);
      res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/connexion' });
      // Back where the person was going, at the section a staff e-mail named (`?section=` → `#`).
      redirectTo(res, consoleReturnPath(next) ?? '/console');
    } catch (e) {
      if (!isDomainError(e)) throw e;
      if (e.retryAfterSeconds) res.setHeader('Retry-After', String(e.retryAfterSeconds));
      const status = e.code === 'CSRF_TOKEN_INVALID' ? 403 : e.kind === 'rate_limited' ? 429 : e.kind === 'unauthenticated' ? 401 : 400;
      sendHtml(res, status, loginPage({ csrf: this.loginCsrf(req, res), next, errorMessage: e.messageFr, values: { email: (body.email ?? '').slice(0, 254) }, devLinks: this.devLinks() }));
    }
  }

  @Post('deconnexion')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    checkConsoleCsrf(this.config.secrets.session, actor, formBody(req)._csrf);
    await this.auth.logout(actor);
    clearStaffCookie(res, this.config.http.publicUrl);
    redirectTo(res, '/connexion?deconnexion=1');
  }

  /** The login form's double-submit token: kept while the browser keeps its cookie, else a new one. */
  private loginCsrf(req: Request, res: Response): string {
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    const current = cookies[LOGIN_CSRF_COOKIE];
    if (current && /^[A-Za-z0-9_-]{32,64}$/.test(current)) return current;
    const token = randomToken(24);
    res.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.http.publicUrl.startsWith('https://'), path: '/connexion' });
    return token;
  }

  private devLinks(): [string, string][] {
    if (this.config.env === 'production') return [];
    return [
      ...(this.config.http.apiDocs ? [['/api/docs', 'Documentation de l’API'] as [string, string]] : []),
      ...(this.config.devMailboxPort > 0 ? [['/dev/mail', 'E-mails envoyés (développement)'] as [string, string]] : []),
      ['/health', 'État du service'],
    ];
  }
}
