import { CallHandler, CanActivate, Controller, ExecutionContext, Get, Inject, Injectable, Param, PayloadTooLargeException, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, NotFoundError, ValidationError } from '@carepact/common';
import { StaffActor } from '@carepact/identity';
import { MAX_PAPER_SIGNERS, MAX_SCAN_BYTES, PaperSignaturesService, RequestView, RequestViews, ScanRefusedError } from '@carepact/signing';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { clientIp } from '../../http/client-ip';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { FLASH_ID } from './document-page.views';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { setFlash } from './console-flash';
import { PaperError, paperUploadPage } from './paper-upload.views';

/** Refusals about the request after the person's death, not about the file: above the form, not beside the scan. */
const ABOUT_THE_REQUEST = new Set(['PAPER_AFTER_DEATH_INCOMPLETE', 'PAPER_DOCUMENT_NOT_READY']);

/** The console route whose POST is multipart (bootstrap.ts lets it past the urlencoded console body parser). */
export const PAPER_UPLOAD_PATH = /^\/documents\/[^/]+\/demandes\/[^/]+\/papier\/?$/;

/** What the multipart reader left for the handler: the scan, or why it could not be read. */
interface UploadRequest extends Request {
  file?: { buffer: Buffer; size: number; originalname: string };
  scanUploadError?: 'too_large' | 'unreadable';
}

/**
 * Before the form is read: the request exists for the person, who may manage its signatures
 * (signature.manage; 404, or 403 with the console's French page otherwise; 409 when every required
 * signature is already there), as the API checks before reading its raw body. Guards run before
 * interceptors: someone who may not upload (an auditor…) never has up to MAX_SCAN_BYTES read into
 * memory; the unread body is discarded by Node as the answer goes out.
 */
@Injectable()
class ScanUploadGuard implements CanActivate {
  constructor(private readonly paper: PaperSignaturesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const ids = new ParseIdPipe();
    ids.transform(String(req.params.id));
    await this.paper.assertMayUpload(actorOf(req), ids.transform(String(req.params.requestId)));
    return true;
  }
}

/**
 * Reads the form (multipart: the scan and the signers ticked) in memory, at most MAX_SCAN_BYTES,
 * after the staff guard and ScanUploadGuard, like the API's raw body. A file too large or a form
 * the reader refuses does not throw: the handler shows the form again with the French message
 * (PAPER_TOO_LARGE…).
 */
@Injectable()
class ScanUploadInterceptor extends FileInterceptor('scan', { limits: { fileSize: MAX_SCAN_BYTES, files: 1, fields: MAX_PAPER_SIGNERS + 5, fieldSize: 2_000, parts: MAX_PAPER_SIGNERS + 6 } }) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (e) {
      const req = context.switchToHttp().getRequest<UploadRequest>();
      req.scanUploadError = e instanceof PayloadTooLargeException ? 'too_large' : 'unreadable';
      req.resume();
      return next.handle();
    }
  }
}

/**
 * « Déposer le scan signé sur papier » (issue 11, item 6) for one signature request: the signers
 * whose handwritten signature is on the paper, and the PDF of the scan; the same service as
 * POST /api/signature-requests/:id/paper (PaperSignaturesService: pdf-lib inspection, refusals
 * with nothing stored, stamp and seal). A refusal shows the form again with its French message.
 */
@ApiExcludeController()
@Controller('console/documents/:id/demandes/:requestId/papier')
export class PaperUploadController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly paper: PaperSignaturesService,
    private readonly views: RequestViews,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    const actor = actorOf(req);
    const r = await this.request(actor, id, requestId);
    const afterDeath = await this.paper.afterDeath(actor, requestId);
    sendHtml(res, 200, paperUploadPage({ actor, csrf: consoleCsrfToken(this.config.secrets.session, actor), request: r, error: null, checked: [], afterDeath }));
  }

  @Post()
  @UseGuards(ScanUploadGuard)
  @UseInterceptors(ScanUploadInterceptor)
  async upload(@Req() req: UploadRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const r = await this.request(actor, id, requestId);
    const raw = (req.body as Record<string, unknown>).signerIds;
    const checked = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    // After the person's death: the day the paper was signed (PaperSignaturesService.upload checks it).
    const signedOn = typeof (req.body as Record<string, unknown>).signedOn === 'string' ? ((req.body as Record<string, unknown>).signedOn as string).trim().slice(0, 10) : '';
    const afterDeath = await this.paper.afterDeath(actor, requestId);
    const show = (status: number, error: PaperError) =>
      sendHtml(res, status, paperUploadPage({ actor, csrf: consoleCsrfToken(this.config.secrets.session, actor), request: r, error, checked, afterDeath, signedOn }));
    try {
      if (req.scanUploadError === 'too_large') throw new ScanRefusedError('PAPER_TOO_LARGE');
      if (req.scanUploadError) throw new DomainError('invalid', 'PAPER_FORM_UNREADABLE', 'Le formulaire n’a pas pu être lu. Choisissez un seul fichier PDF et recommencez.');
      const fields: { field: string; code: string; message: string }[] = [];
      if (!checked.length) fields.push({ field: 'signerIds', code: 'PAPER_SIGNERS_MISSING', message: 'Cochez les personnes dont la signature manuscrite est sur le papier.' });
      if (!req.file || req.file.size === 0) fields.push({ field: 'scan', code: 'PAPER_FILE_MISSING', message: 'Choisissez le fichier PDF du scan.' });
      if (fields.length) throw new ValidationError(fields, 'Le scan n’a pas été déposé');
      await this.paper.upload(actor, requestId, req.file!.buffer, checked, { ip: clientIp(req), userAgent: req.get('user-agent') ?? null }, { signedOn: signedOn || null });
    } catch (e) {
      if (!(e instanceof DomainError) || e instanceof NotFoundError) throw e;
      const status = e.kind === 'too_large' ? 413 : e.kind === 'conflict' ? 409 : e.kind === 'forbidden' ? 403 : 400;
      // The scan's refusals (PAPER_JAVASCRIPT…) belong next to the file, with what was found; the
      // others (a signer who already signed, a scan already deposited…) above the form.
      const onFields = e.details.some((d) => d.field === 'signerIds' || d.field === 'scan' || d.field === 'signedOn');
      const onScan = !onFields && e.code.startsWith('PAPER_') && !ABOUT_THE_REQUEST.has(e.code);
      return show(status, {
        code: e.code,
        message: e.messageFr,
        fields: onFields ? e.details : onScan ? [{ field: 'scan', code: e.code, message: e.messageFr }] : [],
        found: onScan ? e.details.map((d) => d.message) : [],
      });
    }
    setFlash(res, this.config.secrets.session, this.config.http.publicUrl.startsWith('https://'), actor, id, {
      kind: 'done',
      message: 'Le scan signé sur papier est déposé. Il sera tamponné et scellé par l’établissement dans quelques instants ; l’original reste téléchargeable.',
    });
    // To the message itself, at the top of the page (an anchor lower down scrolled it out of view).
    redirectTo(res, `/console/documents/${id}#${FLASH_ID}`);
  }

  /** The request, if it belongs to this document and the person may manage its signatures (404/403 otherwise). */
  private async request(actor: StaffActor, documentId: string, requestId: string): Promise<RequestView> {
    await this.paper.assertMayUpload(actor, requestId);
    const r = await this.views.get(actor, requestId);
    if (r.documentId !== documentId) throw new NotFoundError('SIGNATURE_REQUEST_NOT_FOUND', 'Demande de signature introuvable.');
    return r;
  }
}
