import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError } from '@carepact/common';
import { AuthService, StaffActor } from '@carepact/identity';
import type { Request, Response } from 'express';

export const STAFF_COOKIE = 'carepact_session';

/**
 * The one name the staff session cookie has. Under HTTPS only `__Host-carepact_session`: the
 * browser accepts that name only from this exact host, with Secure and Path=/, so a sibling
 * subdomain cannot plant (fixate) a session. Plain http (development) cannot use the prefix.
 */
export function staffCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https://') ? `__Host-${STAFF_COOKIE}` : STAFF_COOKIE;
}
/** Sets the staff session cookie after a login (API and console alike). */
export function setStaffCookie(res: Response, publicUrl: string, token: string, expiresAt: Date): void {
  res.cookie(staffCookieName(publicUrl), token, { httpOnly: true, sameSite: 'strict', secure: publicUrl.startsWith('https://'), path: '/', expires: expiresAt });
}

export function clearStaffCookie(res: Response, publicUrl: string): void {
  res.clearCookie(staffCookieName(publicUrl), { path: '/' });
}

/** The staff session cookie of a request, under the one name this deployment uses. */
export function staffCookieOf(req: Request, publicUrl: string): string | undefined {
  return ((req as Request & { cookies?: Record<string, string> }).cookies ?? {})[staffCookieName(publicUrl)];
}

const PUBLIC = 'carepact:public';
/** Routes reachable without a staff session (login, health, the signing portal). */
export const Public = () => SetMetadata(PUBLIC, true);

export type StaffRequest = Request & { actor?: StaffActor };

@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    // Only the name this deployment sets: never the bare name under HTTPS.
    const actor = await this.auth.authenticate(staffCookieOf(req, this.config.http.publicUrl));
    if (!actor) throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Veuillez vous connecter.');
    req.actor = actor;
    return true;
  }
}

export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffActor => {
  const actor = ctx.switchToHttp().getRequest<StaffRequest>().actor;
  if (!actor) throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Veuillez vous connecter.');
  return actor;
});
