import { CallHandler, CanActivate, Controller, ExecutionContext, Get, Inject, Injectable, Param, PayloadTooLargeException, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, NotFoundError, ValidationError } from '@carepact/common';
import { StaffActor, StaffService, can } from '@carepact/identity';
import { AnnexFileRefusedError, AnnexFilesService, MAX_ANNEX_BYTES } from '@carepact/signing';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { AnnexSectionState, annexFilesPage } from './annex-files.views';

/** The section's state, for the settings page (admin.controller.ts) and this controller's page. */
export async function annexSection(
  annexes: AnnexFilesService,
  actor: StaffActor,
  id: string,
  csrf: string,
  error?: AnnexSectionState['error'],
  values?: AnnexSectionState['values'],
): Promise<AnnexSectionState> {
  return { establishmentId: id, keys: await annexes.list(actor, id), canWrite: can(actor, 'establishment.write', id), csrf, error, values };
}

/** The console route whose POST is multipart (bootstrap.ts lets it past the urlencoded console body parser). */
export const ANNEX_UPLOAD_PATH = /^\/admin\/etablissements\/[^/]+\/documents-remis\/?$/;

interface UploadRequest extends Request {
  file?: { buffer: Buffer; size: number };
  annexUploadError?: 'too_large' | 'unreadable';
}

/**
 * Before the form is read: the establishment exists for the person, who may change its settings
 * (establishment.write; 404, or 403 with the console's French page otherwise). Guards run before
 * interceptors: someone who may not publish (an auditor…) never has up to MAX_ANNEX_BYTES read into
 * memory; the unread body is discarded by Node as the answer goes out.
 */
@Injectable()
class AnnexPublishGuard implements CanActivate {
  constructor(private readonly annexes: AnnexFilesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.annexes.assertMayPublish(actorOf(req), new ParseIdPipe().transform(String(req.params.id)));
    return true;
  }
}

/**
 * Reads the form (multipart: the token, the key, the version, the day and the PDF) in memory, at
 * most MAX_ANNEX_BYTES, after the staff guard and AnnexPublishGuard. A file too large or a form the
 * reader refuses does not throw: the handler shows the form again with the French message
 * (ANNEX_TOO_LARGE…).
 */
@Injectable()
class AnnexUploadInterceptor extends FileInterceptor('file', { limits: { fileSize: MAX_ANNEX_BYTES, files: 1, fields: 6, fieldSize: 2_000, parts: 7 } }) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (e) {
      const req = context.switchToHttp().getRequest<UploadRequest>();
      req.annexUploadError = e instanceof PayloadTooLargeException ? 'too_large' : 'unreadable';
      req.resume();
      return next.handle();
    }
  }
}

/**
 * « Documents remis avec le contrat » of an establishment's settings (AnnexFilesService, the same
 * as POST /api/establishments/:id/annex-files): publishing a new version of an annex's PDF. The
 * section itself is on the settings page (admin.views.tsx); a refusal shows it on its own page
 * with the French message; a success returns to the settings page.
 */
@ApiExcludeController()
@Controller('console/admin/etablissements/:id/documents-remis')
export class AnnexFilesConsoleController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly annexes: AnnexFilesService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const establishment = await this.staff.getEstablishment(actor, id);
    sendHtml(res, 200, annexFilesPage({ actor, csrf: this.csrf(actor), establishment, section: await this.section(actor, id) }));
  }

  @Post()
  @UseGuards(AnnexPublishGuard)
  @UseInterceptors(AnnexUploadInterceptor)
  async publish(@Req() req: UploadRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const establishment = await this.staff.getEstablishment(actor, id);
    const values = { kind: body.kind ?? '', versionLabel: body.versionLabel ?? '', effectiveOn: body.effectiveOn ?? '' };
    try {
      if (req.annexUploadError === 'too_large') throw new AnnexFileRefusedError('ANNEX_TOO_LARGE');
      if (req.annexUploadError) throw new DomainError('invalid', 'ANNEX_FORM_UNREADABLE', 'Le formulaire n’a pas pu être lu. Choisissez un seul fichier PDF et recommencez.');
      if (!req.file || req.file.size === 0)
        throw new ValidationError([{ field: 'file', code: 'ANNEX_FILE_MISSING', message: 'Choisissez le fichier PDF du document.' }], 'Le document n’a pas été déposé.');
      await this.annexes.publish(actor, id, { kind: values.kind, versionLabel: values.versionLabel, effectiveOn: values.effectiveOn || undefined }, req.file.buffer);
    } catch (e) {
      if (!(e instanceof DomainError) || e instanceof NotFoundError) throw e;
      const status = e.kind === 'too_large' ? 413 : e.kind === 'forbidden' ? 403 : e.kind === 'conflict' ? 409 : 400;
      // The PDF's refusals (ANNEX_JAVASCRIPT…) belong next to the file, with what was found.
      const onFile = e instanceof AnnexFileRefusedError;
      const fields = onFile ? [{ field: 'file', code: e.code, message: e.messageFr }] : e.details;
      const section = await this.section(actor, id, { message: e.messageFr, fields, found: onFile ? e.details.map((d) => d.message) : [] }, values);
      return sendHtml(res, status, annexFilesPage({ actor, csrf: this.csrf(actor), establishment, section }));
    }
    redirectTo(res, `/console/admin/etablissements/${id}?fait=document-remis#documents-remis`);
  }

  private section(actor: StaffActor, id: string, error?: AnnexSectionState['error'], values?: AnnexSectionState['values']): Promise<AnnexSectionState> {
    return annexSection(this.annexes, actor, id, this.csrf(actor), error, values);
  }

  private csrf(actor: StaffActor): string {
    return consoleCsrfToken(this.config.secrets.session, actor);
  }
}
