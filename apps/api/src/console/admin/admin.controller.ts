import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, ValidationError, isDomainError } from '@carepact/common';
import { AccountsService, EstablishmentEntity, StaffActor, StaffService, assertCanSomewhere, can, establishmentsWith } from '@carepact/identity';
import { AnnexFilesService, SealCertificateService } from '@carepact/signing';
import type { Request, Response } from 'express';
import { clientIp } from '../../http/client-ip';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { validateBody } from '../../http/validation';
import { CreateEstablishmentDto, InviteUserDto, UpdateEstablishmentDto } from '../../staff/staff.controller';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import { Flat, MAX_CONTACTS, accountsPage, changePasswordPage, establishmentsPage, settingsPage } from './admin.views';
import { annexSection } from './annex-files.controller';

const NOTICES: Record<string, string> = {
  invite: 'L’invitation est envoyée : la personne reçoit un e-mail pour choisir son mot de passe.',
  reinvite: 'Une nouvelle invitation est envoyée ; le lien précédent ne fonctionne plus.',
  desactive: 'Le compte est désactivé et ses sessions ont pris fin.',
  cree: 'L’établissement est créé ; vous en êtes administrateur.',
  enregistre: 'Les paramètres sont enregistrés. Les prochains documents les utiliseront.',
  'mot-de-passe': 'Votre mot de passe est changé ; vos autres sessions ont pris fin.',
  'document-remis': 'La nouvelle version est publiée. Les documents créés à partir de sa date d’entrée en vigueur la remettront ; l’ancienne reste conservée.',
};

const TARIFF_TEXT = ['effectiveFrom', 'absenceRule'] as const;
const TARIFF_AMOUNTS = ['hebergementPerDay', 'dependanceGir12PerDay', 'dependanceGir34PerDay', 'dependanceGir56PerDay', 'depositEuros'] as const;

/**
 * The administration pages of the console (issue 11 item 7, issue 10 item 8): staff accounts
 * (invite, resend, disable), establishments (create, settings with the seal certificate's state),
 * and one's own password. The same services, DTOs and rules as the JSON API (POST /api/users/invite,
 * POST /api/establishments, PATCH /api/establishments/:id); POST → 303 → GET.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleAdminController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly accounts: AccountsService,
    private readonly seal: SealCertificateService,
    private readonly annexFiles: AnnexFilesService,
  ) {}

  @Get('admin/comptes')
  async accountsList(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    sendHtml(res, 200, await this.accountsView(actor, { notice: notice(req) }));
  }

  @Post('admin/comptes')
  async invite(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    assertCanSomewhere(actor, 'user.manage');
    const values: Flat = { name: body.name, email: body.email, establishmentId: body.establishmentId, role: body.role };
    const payload = { name: (body.name ?? '').trim(), email: (body.email ?? '').trim(), roles: [{ establishmentId: body.establishmentId ?? '', role: body.role ?? '' }] };
    const page = async (errors: FieldError[]) => sendHtml(res, 400, await this.accountsView(actor, { values, errors: errors.map(roleField) }));
    const checked = await validateBody(InviteUserDto, payload);
    if (checked.errors) return page(checked.errors);
    try {
      await this.accounts.inviteAs(actor, checked.dto);
    } catch (e) {
      if (e instanceof ValidationError) return page(e.details);
      if (isDomainError(e) && e.code === 'EMAIL_ALREADY_USED')
        return page([{ field: 'email', code: 'EMAIL_ALREADY_USED', message: 'Un compte existe déjà avec cette adresse e-mail.' }]);
      throw e;
    }
    redirectTo(res, '/console/admin/comptes?fait=invite');
  }

  @Post('admin/comptes/:id/reinviter')
  async reinvite(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    this.checked(actor, req);
    try {
      await this.accounts.reinviteAs(actor, id);
    } catch (e) {
      // Already activated or disabled: said at the top of the accounts page, nothing sent.
      if (isDomainError(e) && e.kind === 'conflict') return sendHtml(res, 409, await this.accountsView(actor, { refused: e.messageFr }));
      throw e;
    }
    redirectTo(res, '/console/admin/comptes?fait=reinvite');
  }

  @Post('admin/comptes/:id/desactiver')
  async disable(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    this.checked(actor, req);
    await this.staff.disableUserAs(actor, id);
    redirectTo(res, '/console/admin/comptes?fait=desactive');
  }

  @Get('admin/etablissements')
  async establishments(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    sendHtml(res, 200, await this.establishmentsView(actor, { notice: notice(req) }));
  }

  @Post('admin/etablissements')
  async createEstablishment(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    assertCanSomewhere(actor, 'user.manage');
    const fields = ['name', 'category', 'finess', 'address', 'phone', 'directorFirstName', 'directorLastName', 'directorEmail'] as const;
    const values: Flat = Object.fromEntries(fields.map((f) => [f, body[f]]));
    const payload = Object.fromEntries(fields.map((f) => [f, (body[f] ?? '').trim()]).filter(([k, v]) => v !== '' || !['phone', 'directorEmail'].includes(k)));
    const page = async (errors: FieldError[]) => sendHtml(res, 400, await this.establishmentsView(actor, { values, errors }));
    const checked = await validateBody(CreateEstablishmentDto, payload);
    if (checked.errors) return page(checked.errors);
    let created: EstablishmentEntity;
    try {
      created = await this.staff.createEstablishmentAs(actor, checked.dto);
    } catch (e) {
      if (e instanceof ValidationError) return page(e.details);
      throw e;
    }
    redirectTo(res, `/console/admin/etablissements/${created.id}?fait=cree`);
  }

  @Get('admin/etablissements/:id')
  async settings(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const est = await this.staff.getEstablishment(actor, id);
    sendHtml(res, 200, settingsPage({ actor, csrf: this.csrf(actor), establishment: est, canWrite: can(actor, 'establishment.write', id), seal: await this.sealState(), values: settingsValues(est), notice: notice(req), annexFiles: await annexSection(this.annexFiles, actor, id, this.csrf(actor)) }));
  }

  @Post('admin/etablissements/:id')
  async saveSettings(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const est = await this.staff.getEstablishment(actor, id);
    const page = async (errors: FieldError[]) =>
      sendHtml(res, 400, settingsPage({ actor, csrf: this.csrf(actor), establishment: est, canWrite: true, seal: await this.sealState(), values: body, errors, annexFiles: await annexSection(this.annexFiles, actor, id, this.csrf(actor)) }));
    const payload = settingsPayload(body);
    // Tariff rules this form does not show (absence for personal reasons, hospitalisation…) are kept as they are.
    if (payload.tariffs && est.tariffs) {
      const shown = new Set<string>([...TARIFF_TEXT, ...TARIFF_AMOUNTS]);
      payload.tariffs = { ...Object.fromEntries(Object.entries(est.tariffs).filter(([k, v]) => !shown.has(k) && v != null)), ...payload.tariffs };
    }
    const checked = await validateBody(UpdateEstablishmentDto, payload);
    if (checked.errors) return page(checked.errors);
    try {
      await this.staff.updateEstablishment(actor, id, { ...checked.dto, phone: payload.phone, legalStatus: payload.legalStatus, tariffs: payload.tariffs ? (checked.dto.tariffs as never) : null } as never);
    } catch (e) {
      if (e instanceof ValidationError) return page(e.details);
      throw e;
    }
    redirectTo(res, `/console/admin/etablissements/${id}?fait=enregistre`);
  }

  @Get('mot-de-passe')
  passwordForm(@Req() req: Request, @Res() res: Response): void {
    const actor = actorOf(req);
    sendHtml(res, 200, changePasswordPage({ actor, csrf: this.csrf(actor), notice: notice(req) }));
  }

  @Post('mot-de-passe')
  async changePassword(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const page = (errors: FieldError[]) => sendHtml(res, 400, changePasswordPage({ actor, csrf: this.csrf(actor), errors, errorMessage: 'Le mot de passe n’est pas changé' }));
    if ((body.password ?? '') !== (body.confirm ?? '')) return page([{ field: 'confirm', code: 'PASSWORDS_DIFFER', message: 'Les deux mots de passe saisis sont différents.' }]);
    try {
      await this.accounts.changePassword(actor, (body.current ?? '').slice(0, 400), (body.password ?? '').slice(0, 400), clientIp(req) ?? 'unknown');
    } catch (e) {
      if (e instanceof ValidationError) return page(e.details);
      if (isDomainError(e) && e.kind === 'rate_limited') {
        if (e.retryAfterSeconds) res.setHeader('Retry-After', String(e.retryAfterSeconds));
        return sendHtml(res, 429, changePasswordPage({ actor, csrf: this.csrf(actor), errorMessage: e.messageFr }));
      }
      throw e;
    }
    redirectTo(res, '/console/mot-de-passe?fait=mot-de-passe');
  }

  private async accountsView(actor: StaffActor, extra: { notice?: string; values?: Flat; errors?: FieldError[]; refused?: string }): Promise<string> {
    const [users, establishments] = await Promise.all([this.staff.listUsers(actor), this.staff.listEstablishments(actor)]);
    const administered = new Set(establishmentsWith(actor, 'user.manage'));
    return accountsPage({
      actor,
      csrf: this.csrf(actor),
      users,
      administered: establishments.filter((e) => administered.has(e.id)).map((e) => [e.id, e.name]),
      names: new Map(establishments.map((e) => [e.id, e.name])),
      ...extra,
    });
  }

  private async establishmentsView(actor: StaffActor, extra: { notice?: string; values?: Flat; errors?: FieldError[] }): Promise<string> {
    assertCanSomewhere(actor, 'establishment.read');
    const establishments = await this.staff.listEstablishments(actor);
    return establishmentsPage({
      actor,
      csrf: this.csrf(actor),
      establishments,
      canCreate: establishmentsWith(actor, 'user.manage').length > 0,
      writable: new Set(establishmentsWith(actor, 'establishment.write')),
      ...extra,
    });
  }

  private async sealState() {
    try {
      return await this.seal.state();
    } catch {
      return { error: 'Le certificat du cachet est illisible ou absent : vérifiez SEAL_P12_PATH et SEAL_P12_PASSPHRASE.' };
    }
  }

  private csrf(actor: StaffActor): string {
    return consoleCsrfToken(this.config.secrets.session, actor);
  }

  private checked(actor: StaffActor, req: Request): FormBody {
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    return body;
  }
}

function notice(req: Request): string | undefined {
  return typeof req.query.fait === 'string' ? NOTICES[req.query.fait] : undefined;
}

/** The invitation form has one role: the DTO's `roles.0.…` errors belong to its two selects (and the summary links to them). */
function roleField(e: FieldError): FieldError {
  if (e.field === 'roles.0.role') return { ...e, field: 'role' };
  return e.field === 'roles' || e.field.startsWith('roles.') ? { ...e, field: 'establishmentId' } : e;
}

function settingsValues(e: EstablishmentEntity): Flat {
  const v: Flat = { category: e.category, legalStatus: e.legalStatus ?? '', phone: e.phone ?? '', annexes: (e.annexes ?? []).join('\n') };
  (e.contacts ?? []).slice(0, MAX_CONTACTS).forEach((c, i) => {
    v[`contacts.${i}.label`] = c.label;
    v[`contacts.${i}.phone`] = c.phone ?? '';
    v[`contacts.${i}.email`] = c.email ?? '';
  });
  const t = e.tariffs;
  if (t) {
    v['tariffs.set'] = 'oui';
    for (const k of [...TARIFF_TEXT, ...TARIFF_AMOUNTS]) v[`tariffs.${k}`] = t[k] == null ? '' : String(t[k]);
  }
  return v;
}

/** The form's flat fields → the API's PATCH body (empty fields left out; amounts as numbers when they read as such). */
function settingsPayload(b: FormBody): { category?: string; legalStatus: string | null; phone: string | null; contacts: unknown[]; annexes: string[]; tariffs?: Record<string, unknown> } {
  const trim = (k: string) => (b[k] ?? '').trim();
  const contacts: unknown[] = [];
  for (let i = 0; i < MAX_CONTACTS; i++) {
    const [label, phone, email] = ['label', 'phone', 'email'].map((f) => trim(`contacts.${i}.${f}`));
    if (!label && !phone && !email) continue;
    contacts.push({ label, ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
  }
  const annexes = (b.annexes ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  // « Non renseigné » (empty) clears the legal status, as an empty phone clears the phone.
  const payload: ReturnType<typeof settingsPayload> = { category: trim('category') || undefined, legalStatus: trim('legalStatus') || null, phone: trim('phone') || null, contacts, annexes };
  if (b['tariffs.set'] === 'oui') {
    const t: Record<string, unknown> = {};
    for (const k of TARIFF_TEXT) if (trim(`tariffs.${k}`)) t[k] = trim(`tariffs.${k}`);
    for (const k of TARIFF_AMOUNTS) {
      const raw = trim(`tariffs.${k}`).replace(',', '.');
      if (raw) t[k] = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    }
    payload.tariffs = t;
  }
  return payload;
}
