import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, FieldError, ValidationError } from '@carepact/common';
import { DocumentView, DocumentsService } from '@carepact/documents';
import { StaffActor } from '@carepact/identity';
import { inputHash, renderHtmlFragment, renderOne, resolve, templates } from '@carepact/rendering';
import { ResidentsService } from '@carepact/residents';
import type { Request, Response } from 'express';
import { contentDisposition } from '../../documents/documents.controller';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { DocumentFormState, documentFormPage } from './new-document.views';
import { applyRowAction, formSchemaOf, parseForm } from './schema-form';
import { carriedOver } from './meeting-editors';

function formErrors(details: FieldError[]): FieldError[] {
  return details.map((e) => ({ ...e, field: e.field.startsWith('data.') ? e.field.slice(5) : e.field === 'data' ? '' : e.field }));
}

/**
 * A correction before signature (item 6 of issue 10): a new version of the document, never an edit
 * of the old one, with its reason (DocumentsService.addVersion, as POST /api/documents/:id/versions).
 * The same generated form as a new document, prefilled with the current version's data; preview,
 * then « Générer » → 303 to the document, whose page shows the difference field by field.
 */
@ApiExcludeController()
@Controller('console/documents/:id/corriger')
export class CorrectionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly documents: DocumentsService,
    private readonly residents: ResidentsService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const doc = await this.documents.get(actor, id);
    const versions = await this.documents.versionData(actor, id);
    const { resident: _demoKey, ...data } = versions.at(-1)?.data ?? {};
    this.form(res, actor, 200, {
      ...(await this.base(actor, doc, '')),
      data: carriedOver(doc.type, data),
      prefilledFrom: `Prérempli avec les données de la version ${versions.at(-1)?.number ?? 1}. Modifiez ce qui doit l’être et indiquez la raison : la version actuelle reste dans l’historique.`,
    });
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const doc = await this.documents.get(actor, id);
    const reason = (body.reason ?? '').slice(0, 500);
    const base = await this.base(actor, doc, reason);
    const schema = base.schema;
    const action = body._action ?? 'preview';
    if (action.startsWith('add:') || action.startsWith('remove:')) {
      const { data, focus } = applyRowAction(schema, parseForm(schema, body, true), action);
      return this.form(res, actor, 200, { ...base, data, focus });
    }
    const data = parseForm(schema, body);
    let preview;
    try {
      preview = await this.documents.previewVersion(actor, id, data);
    } catch (e) {
      return this.refused(res, actor, e, { ...base, data: parseForm(schema, body, true) });
    }
    const dataHash = inputHash(data);
    if (action === 'generate' && body._apercu === dataHash) {
      try {
        await this.documents.addVersion(actor, id, data, reason);
        return redirectTo(res, `/console/documents/${id}`);
      } catch (e) {
        return this.refused(res, actor, e, { ...base, data: parseForm(schema, body, true), preview: { html: renderHtmlFragment(resolve(preview.template, preview.input, 'standard'), 'standard', { headingOffset: 2 }), dataHash } });
      }
    }
    this.form(res, actor, 200, {
      ...base,
      data: parseForm(schema, body, true),
      preview: { html: renderHtmlFragment(resolve(preview.template, preview.input, 'standard'), 'standard', { headingOffset: 2 }), dataHash },
      notice: action === 'generate' ? 'Les données ont changé depuis l’aperçu : vérifiez ce nouvel aperçu, puis générez la version.' : undefined,
    });
  }

  @Post('apercu.pdf')
  async previewPdf(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const doc = await this.documents.get(actor, id);
    const base = await this.base(actor, doc, (body.reason ?? '').slice(0, 500));
    let preview;
    try {
      preview = await this.documents.previewVersion(actor, id, parseForm(base.schema, body));
    } catch (e) {
      return this.refused(res, actor, e, { ...base, data: parseForm(base.schema, body, true) });
    }
    const pdf = await renderOne(resolve(preview.template, preview.input, 'standard'), 'pdf', 'standard');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(`apercu-${doc.type}.pdf`));
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end(pdf);
  }

  private async base(actor: StaffActor, doc: DocumentView, reason: string): Promise<Omit<DocumentFormState, 'data'>> {
    const r = await this.residents.get(actor, doc.residentId);
    return {
      type: doc.type,
      resident: { id: r.id, name: `${r.firstName} ${r.lastName}` },
      schema: formSchemaOf(templates().load(doc.type).content.inputSchema),
      correction: { documentId: doc.id, nextVersion: doc.versions.length + 1, reason },
    };
  }

  private form(res: Response, actor: StaffActor, status: number, state: DocumentFormState): void {
    sendHtml(res, status, documentFormPage(actor, consoleCsrfToken(this.config.secrets.session, actor), state));
  }

  private refused(res: Response, actor: StaffActor, e: unknown, state: DocumentFormState): void {
    if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    this.form(res, actor, e instanceof ValidationError ? 400 : 409, {
      ...state,
      errors: formErrors(e.details),
      errorMessage: e instanceof ValidationError ? `${e.messageFr} Corrigez les champs signalés.` : e.messageFr,
    });
  }
}
