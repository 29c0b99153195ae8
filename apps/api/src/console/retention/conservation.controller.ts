import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  DataJobsService,
  PurgeReport,
  RetentionService,
  assertManagesWholeOrganisation,
  eliminationVisaErrors,
  lookupSubjects,
  managesWholeOrganisation,
  purgeReportEstablishmentIds,
  purgeReportExpired,
  purgeReportFor,
} from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, NotFoundError, isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, StaffService, assertCanSomewhere, auditActor } from '@carepact/identity';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { actorOf, formBody } from '../console-request';
import { conservationPage, purgeReportPage } from './conservation.views';
import { holdAuthorNames } from './hold-authors';

const NOTICES: Record<string, string> = { duree: 'La durée de conservation a été changée.', archives: 'Le régime des archives a été enregistré.' };

/** The run form's visa fields, as the service names them (`visa` alone: none given). */
const VISA_FIELDS: Record<string, string> = { visa: 'visaReference', 'visa.reference': 'visaReference', 'visa.date': 'visaDate', 'visa.signatory': 'visaSignatory' };

/**
 * /console/conservation (issue 11 in the console), for administrators (`records.manage`): the
 * organisation's retention durations and a form to change one (RetentionService.setPolicy, as PUT
 * /api/retention/policies/:subject; the forms for an administrator of all its establishments
 * only), its active legal holds named and linked, and the purge's dry run (DataJobsService.purgeReport,
 * as POST /api/retention/purge-reports) over the establishments where she manages records: nothing
 * deleted; a report read by another, its items named for the establishments where she manages
 * records, counted for the others; run only by its author. The services validate and audit;
 * POST → 303 → GET.
 */
@ApiExcludeController()
@Controller('console/conservation')
export class ConservationController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly retention: RetentionService,
    private readonly jobs: DataJobsService,
    private readonly staff: StaffService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const notice = typeof req.query.fait === 'string' ? NOTICES[req.query.fait] : undefined;
    await this.render(res, actor, 200, { notice });
  }

  @Post('durees')
  async setPolicy(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const subject = typeof body.subject === 'string' ? body.subject : '';
    const raw = typeof body.years === 'string' ? body.years.trim() : '';
    // A number when the field holds digits; anything else goes to the service as typed, for its own error.
    const years: unknown = /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
    try {
      // The organisation's durations: an administrator of all its establishments (403 otherwise; the page shows no form to the others).
      await this.tx.run(async (em) => {
        await assertManagesWholeOrganisation(em, actor);
        return this.retention.setPolicy(em, auditActor(actor), actor.organisationId, subject, years);
      });
    } catch (e) {
      if (!isDomainError(e) || (e.kind !== 'invalid' && e.kind !== 'not_found')) throw e;
      const errors: FieldError[] = e.details.length ? e.details : [{ field: 'subject', code: e.code, message: e.messageFr }];
      return this.render(res, actor, 400, { errors, values: { subject, years: raw } });
    }
    redirectTo(res, '/console/conservation?fait=duree#durees');
  }

  /** The archives regime (RetentionService.setArchivesRegime, as PUT /api/retention/archives-regime): its errors beside the fields, audited. */
  @Post('archives')
  async setRegime(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const raw = typeof body.activeBaseMonths === 'string' ? body.activeBaseMonths.trim() : '';
    const months: unknown = /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
    const publicLaw = body.publicLaw === 'oui';
    try {
      await this.tx.run(async (em) => {
        await assertManagesWholeOrganisation(em, actor);
        return this.retention.setArchivesRegime(em, auditActor(actor), actor.organisationId, { publicLaw, activeBaseMonths: months });
      });
    } catch (e) {
      if (!isDomainError(e) || e.kind !== 'invalid') throw e;
      return this.render(res, actor, 400, { errors: e.details, values: { activeBaseMonths: raw, publicLaw: publicLaw ? 'oui' : '' } });
    }
    redirectTo(res, '/console/conservation?fait=archives#archives');
  }

  @Post('simulations')
  async simulate(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    checkConsoleCsrf(this.config.secrets.session, actor, formBody(req)._csrf);
    // The establishments where she manages records (DataJobsService.purgeReport).
    const job = await this.jobs.purgeReport(actor);
    redirectTo(res, `/console/conservation/simulations/${job.id}?nouvelle=1`);
  }

  @Get('simulations/:id')
  async report(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    await this.reportPage(res, actor, id, 200, { fresh: req.query.nouvelle === '1' });
  }

  /**
   * « Exécuter la purge » (as POST /api/retention/purge-reports/:id/run, DataJobsService.requestPurge:
   * its PURGE_REPORT_EXPIRED and PURGE_REPORT_USED, its audit event): the box ticked first (400 and
   * the page again otherwise, nothing asked); then 303 to the page, which follows the purge.
   */
  @Post('simulations/:id/executer')
  async run(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const text = (x: unknown) => (typeof x === 'string' ? x : '');
    const values = { visaReference: text(body.visaReference), visaDate: text(body.visaDate), visaSignatory: text(body.visaSignatory) };
    // Every problem at once, in the form's order: the visa's fields for public archives (Code du
    // patrimoine R.212-14, each required), then the confirmation box.
    const { publicLaw } = await this.retention.archivesRegime(this.tx.manager, actor.organisationId);
    const errors: FieldError[] = [
      ...(publicLaw
        ? eliminationVisaErrors({ reference: values.visaReference, date: values.visaDate, signatory: values.visaSignatory }).map((d) => ({ ...d, field: VISA_FIELDS[d.field] ?? d.field }))
        : []),
      ...(body.confirm !== 'oui' ? [{ field: 'confirm', code: 'CONFIRMATION_REQUIRED', message: 'Cochez la case pour confirmer la suppression définitive.' }] : []),
    ];
    if (errors.length) return this.reportPage(res, actor, id, 400, { values, errors });
    try {
      // A public organisation: the archives' visa (Code du patrimoine R.212-14), checked by the service.
      await this.jobs.requestPurge(actor, id, { reference: values.visaReference, date: values.visaDate, signatory: values.visaSignatory });
    } catch (e) {
      if (isDomainError(e) && e.kind === 'forbidden') return this.reportPage(res, actor, id, 403, { refusal: e.messageFr });
      if (isDomainError(e) && e.kind === 'invalid') return this.reportPage(res, actor, id, 400, { values, errors: e.details.map((d) => ({ ...d, field: VISA_FIELDS[d.field] ?? d.field })) });
      if (!isDomainError(e) || e.kind !== 'conflict') throw e;
      return this.reportPage(res, actor, id, 409, { refusal: e.messageFr });
    }
    redirectTo(res, `/console/conservation/simulations/${id}`);
  }

  /** A simulation's page: the report, its items named, the purge that carried it out if any, the run form otherwise. */
  private async reportPage(
    res: Response,
    actor: StaffActor,
    id: string,
    status: number,
    extra: { fresh?: boolean; errors?: FieldError[]; refusal?: string; values?: Record<string, string> },
  ): Promise<void> {
    const job = await this.jobs.get(this.tx.manager, actor.organisationId, id);
    if (!job || job.kind !== 'purge_report') throw new NotFoundError('PURGE_REPORT_NOT_FOUND', 'Simulation de purge introuvable.');
    // Named and dated only what her establishments hold; the others counted per establishment (purgeReportFor).
    const report = await purgeReportFor(this.tx.manager, actor, job.report as PurgeReport);
    const subjects = await lookupSubjects(this.tx.manager, actor.organisationId, { people: report.residents.map((r) => r.id), documents: report.documents.map((d) => d.id) });
    const run = await this.jobs.purgeRunOf(this.tx.manager, actor.organisationId, job.id);
    const { publicLaw } = await this.retention.archivesRegime(this.tx.manager, actor.organisationId);
    // The establishments it covers, by name (a report drawn before reports recorded them: the organisation's), and whether she may run it.
    const coveredIds = await purgeReportEstablishmentIds(this.tx.manager, actor.organisationId, report);
    const names = (await this.tx.manager.query(`SELECT id, name FROM establishments WHERE organisation_id = $1 AND id = ANY($2::uuid[]) ORDER BY name`, [actor.organisationId, coveredIds])) as {
      id: string;
      name: string;
    }[];
    const runRefusal = run ? null : await this.jobs.purgeRunRefusal(this.tx.manager, actor, job);
    sendHtml(
      res,
      status,
      purgeReportPage(actor, this.csrf(actor), {
        id: job.id,
        report,
        createdAt: job.createdAt,
        subjects,
        fresh: !!extra.fresh,
        run,
        expired: purgeReportExpired(job.createdAt),
        publicLaw,
        establishments: names.map((e) => e.name),
        runRefusal,
        values: extra.values,
        errors: extra.errors,
        refusal: extra.refusal,
      }),
    );
  }

  private async render(res: Response, actor: StaffActor, status: number, s: { notice?: string; errors?: FieldError[]; values?: Record<string, string> }): Promise<void> {
    const em = this.tx.manager;
    const [policies, holds, regime, mayChange] = await Promise.all([
      this.retention.policies(em, actor.organisationId),
      // The holds on persons and documents of the establishments where she manages records (as GET /api/legal-holds).
      this.retention.holdsManagedBy(em, actor, { activeOnly: true }),
      this.retention.archivesRegime(em, actor.organisationId),
      // The forms that change what holds for the whole organisation: for an administrator of all its establishments.
      managesWholeOrganisation(em, actor),
    ]);
    const subjects = await lookupSubjects(em, actor.organisationId, {
      people: holds.filter((h) => h.subjectType === 'resident').map((h) => h.subjectId),
      documents: holds.filter((h) => h.subjectType === 'document').map((h) => h.subjectId),
    });
    sendHtml(res, status, conservationPage(actor, this.csrf(actor), { ...s, policies, holds, regime, mayChange, subjects, staff: holds.length ? await holdAuthorNames(this.staff, actor) : new Map<string, string>() }));
  }


  private csrf(actor: StaffActor): string {
    return consoleCsrfToken(this.config.secrets.session, actor);
  }
}
