import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DomainError, NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { BulkRunAlreadyRunningError, BulkRunsService, StartBulkRunInput, isTariffDate } from '@carepact/documents';
import { IdentityRepository, StaffActor, can, establishmentsWith, visibleEstablishments } from '@carepact/identity';
import { inputHash, renderHtmlFragment, resolve } from '@carepact/rendering';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import { setFlash, takeFlash } from '../documents/console-flash';
import { BulkFormState, EstablishmentRef, bulkFormPage, bulkListPage, bulkRunPage, chooseEstablishmentPage } from './bulk.views';

const COMMON_FIELDS = ['effectiveOn', 'basis', 'basisReference', 'percentage', 'cvsConsultedOn', 'hebergementPerDay', 'dependanceGir56PerDay'];

/**
 * Issue 10 item 7, the console's bulk generation: choose the establishment, type the common data
 * once, leave residents out if needed (every eligible one by default; the others listed with why),
 * preview one resident's avenant, start; then the progress page. The same BulkRunsService as
 * POST /api/bulk-runs; POST → 303 → GET.
 */
@ApiExcludeController()
@Controller('console/generations')
export class BulkConsoleController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bulk: BulkRunsService,
    private readonly identity: IdentityRepository,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const runs = await this.bulk.list(actor);
    const names = new Map((await this.establishments(actor, visibleEstablishments(actor))).map((e) => [e.id, e.name]));
    sendHtml(res, 200, bulkListPage(actor, this.csrf(actor), runs, names, establishmentsWith(actor, 'document.write').length > 0));
  }

  @Get('nouvelle')
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const writable = await this.establishments(actor, establishmentsWith(actor, 'document.write'));
    if (!writable.length) throw new DomainError('forbidden', 'FORBIDDEN', 'Votre rôle ne permet pas de générer des documents.');
    const wanted = req.query.etablissement;
    const est = typeof wanted === 'string' ? writable.find((e) => e.id === wanted) : writable.length === 1 ? writable[0] : undefined;
    if (!est) return sendHtml(res, typeof wanted === 'string' ? 404 : 200, chooseEstablishmentPage(actor, this.csrf(actor), writable));
    const candidates = await this.bulk.candidates(actor, est.id);
    const running = await this.bulk.running(actor, est.id, 'avenant-tarifs');
    sendHtml(res, 200, bulkFormPage(actor, this.csrf(actor), { establishment: est, candidates, values: {}, excluded: new Set(), running }));
  }

  /** « Prévisualiser » (one resident's avenant, nothing stored) or « Lancer » (only the data just previewed) → 303 to the progress page. */
  @Post('nouvelle')
  async submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const writable = await this.establishments(actor, establishmentsWith(actor, 'document.write'));
    const est = writable.find((e) => e.id === req.query.etablissement);
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    const values = Object.fromEntries(COMMON_FIELDS.map((f) => [f, (body[`commonData.${f}`] ?? '').trim()]));
    // With a valid effective date, residents who already have their tariff avenant for it are listed as excluded.
    const candidates = await this.bulk.candidates(actor, est.id, isTariffDate(values.effectiveOn) ? values.effectiveOn : undefined);
    const running = await this.bulk.running(actor, est.id, 'avenant-tarifs');
    const excluded = new Set(candidates.filter((c) => c.eligible && body[`ecarter.${c.residentId}`] === 'oui').map((c) => c.residentId));
    const chosen = candidates.filter((c) => c.eligible && !excluded.has(c.residentId));
    const commonData = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    const input: StartBulkRunInput = { establishmentId: est.id, kind: 'avenant-tarifs', commonData, residentIds: chosen.map((c) => c.residentId) };
    const state: BulkFormState = { establishment: est, candidates, values, excluded, running };
    const hash = inputHash({ commonData, residentIds: input.residentIds ?? [] });
    try {
      if (!chosen.length)
        throw new ValidationError([{ field: 'residents', code: 'BULK_NO_ELIGIBLE_RESIDENT', message: 'Aucun résident choisi : gardez au moins un résident éligible.' }]);
      if (body._action === 'start' && body._apercu === hash) {
        const run = await this.bulk.start(actor, input);
        this.flash(res, actor, run.id, 'La génération a commencé : suivez ici sa progression.');
        return redirectTo(res, `/console/generations/${run.id}`);
      }
      const first = chosen[0];
      const preview = await this.bulk.preview(actor, input, first.residentId);
      const tree = resolve(preview.template, preview.input, 'standard');
      sendHtml(
        res,
        200,
        bulkFormPage(actor, this.csrf(actor), {
          ...state,
          preview: { residentName: `${first.firstName} ${first.lastName}`, html: renderHtmlFragment(tree, 'standard', { headingOffset: 2 }), hash },
          notice: body._action === 'start' ? 'Les données ou les résidents ont changé depuis l’aperçu : vérifiez ce nouvel aperçu, puis lancez la génération.' : undefined,
        }),
      );
    } catch (e) {
      if (!(e instanceof DomainError) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
      if (e instanceof BulkRunAlreadyRunningError)
        return sendHtml(
          res,
          409,
          bulkFormPage(actor, this.csrf(actor), { ...state, running: e.running, errorMessage: 'La génération n’a pas été lancée : une autre est déjà en cours pour cet établissement.' }),
        );
      const errors = e.details.map((d) => ({ ...d, field: d.field.startsWith('data.') ? `commonData.${d.field.slice(5)}` : d.field }));
      sendHtml(
        res,
        e instanceof ValidationError ? 400 : 409,
        bulkFormPage(actor, this.csrf(actor), { ...state, errors, errorMessage: e instanceof ValidationError ? `${e.messageFr} Corrigez les champs signalés.` : e.messageFr }),
      );
    }
  }

  @Get(':id')
  async run(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const run = await this.bulk.get(actor, id);
    const [est] = await this.establishments(actor, [run.establishmentId]);
    const flash = takeFlash(req, res, this.config.secrets.session, actor, `bulk:${id}`);
    const message = flash?.kind === 'done' ? flash.message : undefined;
    sendHtml(res, 200, bulkRunPage(actor, this.csrf(actor), run, est?.name ?? 'Établissement', can(actor, 'document.write', run.establishmentId), message));
  }

  @Post(':id/annuler')
  async cancel(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(req, res, id, (actor) => this.bulk.cancel(actor, id), 'Génération annulée : les résidents pas encore traités n’ont pas reçu de document.');
  }

  @Post(':id/relancer')
  async retry(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.act(req, res, id, (actor) => this.bulk.retryFailed(actor, id), 'Les résidents en échec sont relancés.');
  }

  private async act(req: Request, res: Response, id: string, work: (actor: StaffActor) => Promise<unknown>, done: string): Promise<void> {
    const actor = actorOf(req);
    checkConsoleCsrf(this.config.secrets.session, actor, (formBody(req) as FormBody)._csrf);
    try {
      await work(actor);
      this.flash(res, actor, id, done);
    } catch (e) {
      if (!(e instanceof DomainError) || e.kind !== 'conflict') throw e;
      this.flash(res, actor, id, e.messageFr);
    }
    redirectTo(res, `/console/generations/${id}`);
  }

  /** A confirmation shown once by the progress page (the documents' flash cookie, keyed `bulk:<id>`). */
  private flash(res: Response, actor: StaffActor, runId: string, message: string): void {
    setFlash(res, this.config.secrets.session, this.config.http.publicUrl.startsWith('https://'), actor, `bulk:${runId}`, { kind: 'done', message });
  }

  private csrf(actor: StaffActor): string {
    return consoleCsrfToken(this.config.secrets.session, actor);
  }

  private async establishments(actor: StaffActor, ids: string[]): Promise<EstablishmentRef[]> {
    return (await this.identity.establishmentsByIds(this.tx.manager, actor.organisationId, ids)).map((e) => ({ id: e.id, name: e.name }));
  }
}
