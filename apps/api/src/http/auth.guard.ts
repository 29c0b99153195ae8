import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@carepact/common';
import { AuthService, StaffActor } from '@carepact/identity';
import type { Request } from 'express';

export const STAFF_COOKIE = 'carepact_session';
const PUBLIC = 'carepact:public';
/** Routes reachable without a staff session (login, health, the signing portal). */
export const Public = () => SetMetadata(PUBLIC, true);

export type StaffRequest = Request & { actor?: StaffActor };

@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    const actor = await this.auth.authenticate(cookies[STAFF_COOKIE] ?? cookies[`__Host-${STAFF_COOKIE}`]);
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
