import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, FieldError, HOLDER_ROLE_LABELS, MEASURE_TYPE_LABELS, ValidationError, calendarDayIn, formatDateFr } from '@carepact/common';
import { DOCUMENT_TYPES, DocumentType, DocumentsService, templateInputOf } from '@carepact/documents';
import { StaffActor, StaffService } from '@carepact/identity';
import { inputHash, renderHtmlFragment, renderOne, resolve, templates } from '@carepact/rendering';
import { ResidentView, ResidentsService } from '@carepact/residents';
import type { Request, Response } from 'express';
import { contentDisposition } from '../../documents/documents.controller';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { DocumentFormState, ResidentRef, chooseTypePage, documentFormPage, refusalMessage, typeTitle } from './new-document.views';
import { carriedOver } from './meeting-editors';
import { demoExampleFor } from './demo-example';
import { completeErrors, templateRequirements } from './form-requirements';
import { Data, FormSchema, applyRowAction, formSchemaOf, parseForm } from './schema-form';

/** The API names the document's data `data.<path>`; the form's fields are the paths themselves. */
function formErrors(details: FieldError[]): FieldError[] {
  return details.map((e) => ({ ...e, field: e.field.startsWith('data.') ? e.field.slice(5) : e.field === 'data' ? '' : e.field }));
}

/**
 * What the resident file already says, as the document's data (item 3 of issue 10: prefilled from
 * the file when there is no previous version): who takes part besides the person (the holders of
 * the measure in force, the parents of a minor, the personne de confiance) and the judgment that
 * applies. Staff check and complete; nothing is sent before the preview.
 */
export function prefillFromFile(type: DocumentType, r: ResidentView, contract: { type: 'contrat-sejour' | 'dipc'; signedOn: string } | null = null): Data {
  const active = r.protectionMeasures.find((m) => m.status === 'active');
  const name = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`;
  const others = [
    ...(active?.holders ?? []).map((h) => ({
      name: name(h),
      capacity: 'representant_legal',
      role: [HOLDER_ROLE_LABELS[h.role as keyof typeof HOLDER_ROLE_LABELS] ?? h.role, h.organisationName].filter(Boolean).join(', '),
    })),
    ...(r.minor ? r.contacts.filter((c) => c.holdsParentalAuthority).map((c) => ({ name: name(c), capacity: 'parent', role: c.relation ?? 'parent' })) : []),
    ...(r.personneDeConfiance ? [{ name: name(r.personneDeConfiance), capacity: 'personne_de_confiance', role: r.personneDeConfiance.relation ?? 'personne de confiance' }] : []),
  ];
  // « d’habilitation familiale » (h muet), « de tutelle », « de curatelle »…
  const label = active ? MEASURE_TYPE_LABELS[active.type] : '';
  const judgment = active ? [`Jugement ${/^habilitation/i.test(label) ? 'd’' : 'de '}${label} du ${formatDateFr(active.judgmentDate)} (${active.judgmentReference})`] : undefined;
  switch (type) {
    case 'contrat-sejour':
      return { ...(judgment ? { priorDecisions: judgment } : {}), participation: { person: {}, others } };
    case 'dipc':
      return { startDate: r.admissionDate, ...(r.plannedEndDate ? { endDate: r.plannedEndDate } : {}), participation: { person: {}, others } };
    case 'avenant':
      // One resident's avenant is usually the six-month or yearly one; the January tariff avenant is a bulk run (console/bulk).
      // It amends the signed contract or DIPC (CASF L.311-4): which one, and when it was signed.
      return { purpose: 'accompagnement', ...(contract ? { appliesTo: contract.type, contractSignedOn: contract.signedOn } : {}), participation: { person: {}, others } };
    // The meeting's editors (meeting-editors.tsx): who is expected around the table, the person first.
    case 'projet-personnalise':
    case 'compte-rendu-synthese':
      return { participants: [{ name: name(r), role: 'la personne accompagnée' }, ...others.map((o) => ({ name: o.name, role: o.role }))] };
    default:
      return {};
  }
}

/** The avenant purpose of the annex on the freedom to come and go (CASF L.311-4-1 I). */
const LIBERTY_PURPOSE = 'liberte-aller-venir';
/**
 * The avenant purpose of the yearly « réactualisation » of the objectives and services. CASF L.311-4:
 * the contract or the DIPC « définit les objectifs et la nature de la prise en charge » and « détaille
 * la liste et la nature des prestations offertes »; CASF D.311: an avenant states the objectives and
 * prestations adapted to the person within six months, and « chaque année » their definition is
 * réactualisée: D.311, V (applied to the DIPC by VI), checked by the sector lawyer against the text —
 * not VII, cited before.
 */
const ACCOMPANIMENT_PURPOSE = 'accompagnement';

/** What the form says when it starts from the latest signed accompaniment avenant (CASF L.311-4, D.311, V). */
export const ACCOMPANIMENT_UPDATE_NOTE =
  'Les objectifs et les prestations que définit le contrat ou le DIPC (CASF L.311-4) sont réactualisés chaque année (CASF D.311, V) : revoyez chacun d’eux et les dates.';

/**
 * The annex in force, as the start of its re-evaluation: its measures and participants stay for
 * staff to review, but what the new collegial procedure establishes afresh is emptied — the dates of
 * the examination, of the procedure, of the annex and of the next review, the opinions recorded
 * (CASF L.311-4-1 I: the measures are defined « après examen du résident et au terme d'une procédure
 * collégiale »), and the revision it may itself have recorded.
 */
export function forReevaluation(data: Data): Data {
  const { issuedOn: _issued, nextReview: _next, ...rest } = data as Record<string, unknown>;
  const annex = (rest.libertyAnnex && typeof rest.libertyAnnex === 'object' ? rest.libertyAnnex : {}) as Record<string, Record<string, unknown> | unknown>;
  const without = (o: unknown, ...keys: string[]) => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o as Record<string, unknown>).filter(([k]) => !keys.includes(k))) : o);
  const { revision: _revision, residentOpinion: _opinion, representativeOpinion: _representative, ...kept } = annex as Record<string, unknown>;
  return {
    ...rest,
    libertyAnnex: { ...kept, examination: without(kept.examination, 'on'), collegialProcedure: without(kept.collegialProcedure, 'on') },
  } as Data;
}

/**
 * A tariff avenant carried over from the resident's previous one keeps its figures for staff to
 * update, but not its « prix avant le changement »: those were in force before THAT avenant. The
 * new one's are the prices in force on its own effective date (CASF L.342-3: the last signed tariff
 * avenant before it, else the contract), which DocumentsService fills when the fields are left empty.
 */
export function withoutPreviousPrices(data: Data): Data {
  const tc = data.purpose === 'tarifs' ? data.tariffChange : undefined;
  if (!tc || typeof tc !== 'object' || Array.isArray(tc)) return data;
  const { previousPrices: _previous, ...rest } = tc as Record<string, unknown>;
  return { ...data, tariffChange: rest } as Data;
}

@ApiExcludeController()
@Controller('console/residents/:residentId/documents/nouveau')
export class NewDocumentController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly documents: DocumentsService,
    private readonly residents: ResidentsService,
    private readonly staff: StaffService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('residentId', ParseIdPipe) residentId: string): Promise<void> {
    const actor = actorOf(req);
    const csrf = consoleCsrfToken(this.config.secrets.session, actor);
    const resident = await this.residents.get(actor, residentId);
    const ref = refOf(resident);
    const types = await this.documents.typesFor(actor, residentId);
    const wanted = req.query.type;
    if (wanted === undefined) return sendHtml(res, 200, chooseTypePage(actor, csrf, ref, types));
    const choice = types.find((t) => t.type === wanted);
    if (!choice) return sendHtml(res, 404, chooseTypePage(actor, csrf, ref, types, 'Ce type de document n’existe pas : choisissez-en un dans la liste.'));
    if (!choice.allowed) return sendHtml(res, 409, chooseTypePage(actor, csrf, ref, types, `${typeTitle(choice.type, choice.subtype)} : ${choice.reason}`));
    // « Réévaluer » (À faire): the annex on the freedom to come and go starts from the annex in force,
    // the latest signed one (CASF L.311-4-1 I), whatever avenant came after it.
    // « Réactualiser » (À faire): the accompaniment avenant starts from the latest signed accompaniment
    // one (CASF L.311-4, D.311: the objectives and prestations réactualisés each year), not from a tariff avenant or an annex made since.
    const reviewOf = choice.type === 'avenant' && req.query.objet === LIBERTY_PURPOSE ? LIBERTY_PURPOSE : undefined;
    const updateOf = choice.type === 'avenant' && req.query.objet === ACCOMPANIMENT_PURPOSE ? ACCOMPANIMENT_PURPOSE : undefined;
    const previous = await this.documents.previousData(actor, residentId, choice.type, reviewOf ?? updateOf);
    const { resident: _demoKey, ...previousData } = previous?.data ?? {};
    const schema = this.schema(choice.type);
    const example = demoExampleFor((await this.staff.getEstablishment(actor, resident.establishmentId)).finess, resident, choice.type);
    const useExample = example !== null && req.query.exemple === 'demo';
    const data = useExample
      ? // Drawn from the person's data of another type: over what the file says (participants, measure), the rest left to fill.
        withoutPreviousPrices(example.from ? { ...prefillFromFile(choice.type, resident), ...example.data } : example.data)
      : previous
        ? reviewOf
          ? forReevaluation(previousData)
          : withoutPreviousPrices(carriedOver(choice.type, previousData))
        : reviewOf
          ? { ...prefillFromFile(choice.type, resident, await this.documents.signedContractOf(actor, residentId)), purpose: reviewOf }
          : prefillFromFile(choice.type, resident, choice.type === 'avenant' ? await this.documents.signedContractOf(actor, residentId) : null);
    const situation = await this.situation(actor, resident);
    sendHtml(
      res,
      200,
      documentFormPage(actor, csrf, {
        type: choice.type,
        resident: ref,
        schema,
        data,
        requirements: templateRequirements(choice.type, schema, templates().load(choice.type), situation(data)),
        prefilledFrom: useExample
          ? example.from
            ? `Prérempli avec l’exemple du jeu de démonstration pour ${ref.name}, repris de son ${typeTitle(example.from, null).toLowerCase()} (objectifs, participants…) : des données inventées pour essayer le produit. Complétez les champs restés vides et vérifiez chaque champ.`
            : `Prérempli avec l’exemple du jeu de démonstration pour ${ref.name} : des données inventées pour essayer le produit. Vérifiez chaque champ.`
          : previous && reviewOf
            ? `Réévaluation : prérempli avec l’annexe sur la liberté d’aller et venir signée en vigueur (créée le ${formatDateFr(calendarDayIn(previous.createdAt))}, version ${previous.versionNumber}). Les mesures sont réévaluées selon la même procédure collégiale : indiquez le nouvel examen, la nouvelle procédure, l’avis recueilli, les dates, et revoyez chaque mesure.`
            : reviewOf
              ? 'Aucune annexe sur la liberté d’aller et venir signée pour ce résident : prérempli avec ce que dit le dossier du résident. Complétez et vérifiez chaque champ.'
              : previous
            ? updateOf
              ? `Réactualisation : prérempli avec le dernier avenant d’accompagnement signé (créé le ${formatDateFr(calendarDayIn(previous.createdAt))}, version ${previous.versionNumber}). ${ACCOMPANIMENT_UPDATE_NOTE}`
              : `Prérempli avec les données de la version ${previous.versionNumber} du précédent document de ce type : vérifiez et mettez à jour chaque champ.`
            : 'Prérempli avec ce que dit le dossier du résident (participants, mesure de protection) : complétez et vérifiez chaque champ.',
        demoExampleHref: example !== null && !useExample ? `/console/residents/${residentId}/documents/nouveau?type=${choice.type}&exemple=demo` : undefined,
      }),
    );
  }

  /**
   * One form, four buttons: « Ajouter une ligne » / « Retirer » (the form again, one row more or
   * less), « Prévisualiser » (validated by DocumentsService like POST /api/documents, then the
   * HTML rendition in the page), « Générer » (only the data just previewed: otherwise the preview
   * again) → 303 to the document's page.
   */
  @Post()
  async submit(@Req() req: Request, @Res() res: Response, @Param('residentId', ParseIdPipe) residentId: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const type = this.typeOf(req);
    const schema = this.schema(type);
    const file = await this.residents.get(actor, residentId);
    const resident = refOf(file);
    const situation = await this.situation(actor, file);
    const action = body._action ?? 'preview';
    const base = { type, resident, schema };
    const requirements = (d: Data) => templateRequirements(type, schema, templates().load(type), situation(d));
    if (action.startsWith('add:') || action.startsWith('remove:')) {
      const { data, focus } = applyRowAction(schema, parseForm(schema, body, true), action);
      return this.form(res, actor, 200, { ...base, data, focus, requirements: requirements(data) });
    }
    const data = parseForm(schema, body);
    const typed = parseForm(schema, body, true);
    const check = { ...base, data: typed, requirements: requirements(typed), situation: situation(data) };
    let preview;
    try {
      preview = await this.documents.preview(actor, { residentId, type, data });
    } catch (e) {
      return this.refused(res, actor, e, check);
    }
    const dataHash = inputHash(data);
    if (action === 'generate' && body._apercu === dataHash) {
      try {
        const created = await this.documents.create(actor, { residentId, type, data });
        return redirectTo(res, `/console/documents/${created.id}`);
      } catch (e) {
        return this.refused(res, actor, e, check);
      }
    }
    const tree = resolve(preview.template, preview.input, 'standard');
    this.form(res, actor, 200, {
      ...base,
      data: typed,
      requirements: check.requirements,
      preview: { html: renderHtmlFragment(tree, 'standard', { headingOffset: 2 }), dataHash },
      notice: action === 'generate' ? 'Les données ont changé depuis l’aperçu : vérifiez ce nouvel aperçu, puis générez le document.' : undefined,
    });
  }

  /** The preview as the PDF it will be (standard variant), from the form's data; nothing is stored. */
  @Post('apercu.pdf')
  async previewPdf(@Req() req: Request, @Res() res: Response, @Param('residentId', ParseIdPipe) residentId: string): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const type = this.typeOf(req);
    const schema = this.schema(type);
    const data = parseForm(schema, body);
    let preview;
    try {
      preview = await this.documents.preview(actor, { residentId, type, data });
    } catch (e) {
      const file = await this.residents.get(actor, residentId);
      const situation = await this.situation(actor, file);
      const typed = parseForm(schema, body, true);
      return this.refused(res, actor, e, { type, resident: refOf(file), schema, data: typed, requirements: templateRequirements(type, schema, templates().load(type), situation(typed)), situation: situation(data) });
    }
    const pdf = await renderOne(resolve(preview.template, preview.input, 'standard'), 'pdf', 'standard');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(`apercu-${type}.pdf`));
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end(pdf);
  }

  private typeOf(req: Request): DocumentType {
    const t = req.query.type;
    if (typeof t !== 'string' || !(DOCUMENT_TYPES as readonly string[]).includes(t))
      throw new DomainError('not_found', 'DOCUMENT_TYPE_UNKNOWN', 'Ce type de document n’existe pas.');
    return t as DocumentType;
  }

  private schema(type: DocumentType): FormSchema {
    return formSchemaOf(templates().load(type).content.inputSchema);
  }

  /**
   * The template's input for this resident with some document data, as DocumentsService builds it
   * (templateInputOf), so the form knows which of the template's rules apply to her.
   */
  private async situation(actor: StaffActor, resident: ResidentView): Promise<(data: Data) => Record<string, unknown>> {
    const est = await this.staff.getEstablishment(actor, resident.establishmentId);
    return (data) => templateInputOf(est, resident, data);
  }

  private form(res: Response, actor: StaffActor, status: number, state: DocumentFormState): void {
    sendHtml(res, status, documentFormPage(actor, consoleCsrfToken(this.config.secrets.session, actor), state));
  }

  /**
   * The API's refusal on the form: field errors beside their fields (400), completed with what the
   * later stages of the validation would refuse next (form-requirements.ts), so that one submission
   * shows everything to fix; a rule of the situation at the top (409).
   */
  private refused(res: Response, actor: StaffActor, e: unknown, state: DocumentFormState & { situation: Record<string, unknown> }): void {
    if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    const { situation, ...form } = state;
    const errors = e instanceof ValidationError ? completeErrors(form.type, form.schema, templates().load(form.type), situation, formErrors(e.details)) : formErrors(e.details);
    this.form(res, actor, e instanceof ValidationError ? 400 : 409, { ...form, errors, ...refusalMessage(e) });
  }
}

function refOf(r: ResidentView): ResidentRef {
  return { id: r.id, name: `${r.firstName} ${r.lastName}` };
}
