import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { ConflictError, DomainError, FieldError, ValidationError } from '@carepact/common';
import { CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE, DocumentView, DocumentsService, RESIDENT_DECEASED, templateInputOf } from '@carepact/documents';
import { StaffActor, StaffService } from '@carepact/identity';
import { inputHash, renderHtmlFragment, renderOne, resolve, templates } from '@carepact/rendering';
import { ResidentsService } from '@carepact/residents';
import type { Request, Response } from 'express';
import { contentDisposition } from '../../documents/documents.controller';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { CORRECTION_REASON_FIELD, DocumentFormState, documentFormPage, refusalMessage } from './new-document.views';
import { Data, applyRowAction, formSchemaOf, parseForm } from './schema-form';
import { completeErrors, templateRequirements } from './form-requirements';
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
    private readonly staff: StaffService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const doc = await this.documents.get(actor, id);
    // No correction for a person in the intermediate archive, opening or not: 409 before her data fill the form.
    await this.documents.assertNoNewDocument(actor, doc.residentId);
    await this.assertNotSuperseded(actor, id);
    // Nor for a person recorded as deceased (but the minutes of a meeting held before the death): 409 before the form opens, not at its submit.
    await this.assertNotDeceased(actor, id);
    const versions = await this.documents.versionData(actor, id);
    const { resident: _demoKey, ...previous } = versions.at(-1)?.data ?? {};
    const { situation, ...base } = await this.base(actor, doc, '');
    const data = carriedOver(doc.type, previous);
    this.form(res, actor, 200, {
      ...base,
      data,
      requirements: templateRequirements(doc.type, base.schema, templates().load(doc.type), situation(data)),
      prefilledFrom: `Prérempli avec les données de la version ${versions.at(-1)?.number ?? 1}. Modifiez ce qui doit l’être et indiquez la raison : la version actuelle reste dans l’historique.`,
    });
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const doc = await this.documents.get(actor, id);
    await this.assertNotSuperseded(actor, id);
    const reason = (body[CORRECTION_REASON_FIELD] ?? '').slice(0, 500);
    const { situation, ...base } = await this.base(actor, doc, reason);
    const schema = base.schema;
    const requirements = (d: Data) => templateRequirements(doc.type, schema, templates().load(doc.type), situation(d));
    const action = body._action ?? 'preview';
    if (action.startsWith('add:') || action.startsWith('remove:')) {
      const { data, focus } = applyRowAction(schema, parseForm(schema, body, true), action);
      return this.form(res, actor, 200, { ...base, data, focus, requirements: requirements(data) });
    }
    const data = parseForm(schema, body);
    const typed = parseForm(schema, body, true);
    const check = { ...base, data: typed, requirements: requirements(typed), situation: situation(data) };
    let preview;
    try {
      preview = await this.documents.previewVersion(actor, id, data);
    } catch (e) {
      return this.refused(res, actor, e, check);
    }
    const dataHash = inputHash(data);
    if (action === 'generate' && body._apercu === dataHash) {
      try {
        await this.documents.addVersion(actor, id, data, reason);
        return redirectTo(res, `/console/documents/${id}`);
      } catch (e) {
        return this.refused(res, actor, correctionReasonOf(e), { ...check, preview: { html: renderHtmlFragment(resolve(preview.template, preview.input, 'standard'), 'standard', { headingOffset: 2 }), dataHash } });
      }
    }
    this.form(res, actor, 200, {
      ...base,
      data: typed,
      requirements: check.requirements,
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
    const { situation, ...base } = await this.base(actor, doc, (body[CORRECTION_REASON_FIELD] ?? '').slice(0, 500));
    const data = parseForm(base.schema, body);
    let preview;
    try {
      preview = await this.documents.previewVersion(actor, id, data);
    } catch (e) {
      const typed = parseForm(base.schema, body, true);
      return this.refused(res, actor, e, { ...base, data: typed, requirements: templateRequirements(doc.type, base.schema, templates().load(doc.type), situation(typed)), situation: situation(data) });
    }
    const pdf = await renderOne(resolve(preview.template, preview.input, 'standard'), 'pdf', 'standard');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(`apercu-${doc.type}.pdf`));
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end(pdf);
  }

  /** The form's frame, and the template's input for this resident with some data (as DocumentsService builds it), for its rules. */
  private async base(actor: StaffActor, doc: DocumentView, reason: string): Promise<Omit<DocumentFormState, 'data'> & { situation: (data: Data) => Record<string, unknown> }> {
    const r = await this.residents.get(actor, doc.residentId);
    const est = await this.staff.getEstablishment(actor, r.establishmentId);
    return {
      type: doc.type,
      resident: { id: r.id, name: `${r.firstName} ${r.lastName}` },
      schema: formSchemaOf(templates().load(doc.type).content.inputSchema),
      correction: { documentId: doc.id, nextVersion: doc.versions.length + 1, reason },
      situation: (data) => templateInputOf(est, r, data),
    };
  }

  /**
   * A draft contract whose stay has another contract signed is never corrected (addVersion refuses it,
   * CASF L.311-4, D.311): 409 before the form is filled, not after its preview.
   */
  private async assertNotSuperseded(actor: StaffActor, id: string): Promise<void> {
    if (await this.documents.contractInForceOver(actor, id)) throw new ConflictError(CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE);
  }

  /**
   * After the person's death no new version is established for her (C. civ. 443 al. 1), but of the
   * minutes of a meeting held on or before the death (resident-deceased.ts, read by
   * DocumentsService.deceasedRefusals on the current version): 409 RESIDENT_DECEASED, as addVersion's.
   */
  private async assertNotDeceased(actor: StaffActor, id: string): Promise<void> {
    const refused = (await this.documents.deceasedRefusals(actor, id))?.newVersion;
    if (refused) throw new ConflictError(RESIDENT_DECEASED, refused);
  }

  private form(res: Response, actor: StaffActor, status: number, state: DocumentFormState): void {
    sendHtml(res, status, documentFormPage(actor, consoleCsrfToken(this.config.secrets.session, actor), state));
  }

  /** As NewDocumentController's: every field to fix in one refusal (form-requirements.ts). */
  private refused(res: Response, actor: StaffActor, e: unknown, state: DocumentFormState & { situation: Record<string, unknown> }): void {
    if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    const { situation, ...form } = state;
    this.form(res, actor, e instanceof ValidationError ? 400 : 409, {
      ...form,
      errors: e instanceof ValidationError ? completeErrors(form.type, form.schema, templates().load(form.type), situation, formErrors(e.details)) : formErrors(e.details),
      ...refusalMessage(e),
    });
  }
}

/**
 * DocumentsService.addVersion refuses the correction's reason as its field `reason` (as the JSON API
 * names it); on the form it is CORRECTION_REASON_FIELD, since a DIPC's `reason` (why a DIPC) is the
 * document's own field. The data passed the preview just before: a `reason` refusal here is the correction's.
 */
function correctionReasonOf(e: unknown): unknown {
  if (!(e instanceof ValidationError) || !e.details?.some((d) => d.field === 'reason')) return e;
  return new ValidationError(
    e.details.map((d) => (d.field === 'reason' ? { ...d, field: CORRECTION_REASON_FIELD } : d)),
    e.messageFr,
    e.code,
  );
}

