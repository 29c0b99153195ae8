import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AccountsService, AuthService, RESET_REQUESTED_MESSAGE, StaffActor, StaffService } from '@carepact/identity';
import type { Request, Response } from 'express';
import { Actor, Public, clearStaffCookie, setStaffCookie } from '../http/auth.guard';
import { clientIp } from '../http/client-ip';

export class LoginDto {
  @ApiProperty({ example: 'admin@jardins-du-val.example' }) @IsDefined() @IsString() @MaxLength(254)
  email: string;
  @ApiProperty({ example: 'Tilleuls-demo-2026' }) @IsDefined() @IsString() @MaxLength(200)
  password: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'direction@les-tilleuls.example' }) @IsDefined() @IsString() @MaxLength(254)
  email: string;
}

export class PasswordChangeDto {
  @ApiProperty() @IsDefined() @IsString() @MaxLength(200)
  current: string;
  @ApiProperty({ minLength: 10 }) @IsDefined() @IsString() @MaxLength(200)
  password: string;
}

@ApiTags('Connexion')
@Controller('api')
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly staff: StaffService,
    private readonly accounts: AccountsService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Connexion du personnel (cookie de session HttpOnly, SameSite=Strict)' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.auth.login(dto.email, dto.password, clientIp(req) ?? 'unknown');
    setStaffCookie(res, this.config.http.publicUrl, result.token, result.expiresAt);
    return { user: this.me(result.actor) };
  }

  @Public()
  @Post('auth/password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Demander un lien pour choisir un nouveau mot de passe : même réponse que l’adresse ait un compte ou non ; 3 demandes par adresse et 20 par IP et par heure (429 au-delà)',
  })
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto, @Req() req: Request) {
    await this.accounts.requestPasswordReset(dto.email, clientIp(req) ?? 'unknown');
    return { message: RESET_REQUESTED_MESSAGE };
  }

  @Post('auth/password')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Changer son mot de passe (l’actuel d’abord) ; les autres sessions prennent fin' })
  async changePassword(@Actor() actor: StaffActor, @Body() dto: PasswordChangeDto, @Req() req: Request): Promise<void> {
    await this.accounts.changePassword(actor, dto.current, dto.password, clientIp(req) ?? 'unknown');
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Déconnexion' })
  async logout(@Actor() actor: StaffActor, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(actor);
    clearStaffCookie(res, this.config.http.publicUrl);
  }

  @Get('me')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'L’utilisateur connecté, ses rôles et ses établissements' })
  async getMe(@Actor() actor: StaffActor) {
    const establishments = await this.staff.listEstablishments(actor);
    return { ...this.me(actor), establishments: establishments.map((e) => ({ id: e.id, name: e.name, category: e.category, finess: e.finess })) };
  }

  private me(actor: StaffActor) {
    return { id: actor.userId, email: actor.email, name: actor.name, organisationId: actor.organisationId, roles: actor.roles };
  }
}
