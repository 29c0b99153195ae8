import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataJobsService, archiveParams } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, ValidationError, isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, StaffService, assertCanSomewhere } from '@carepact/identity';
import { ResidentsService } from '@carepact/residents';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import { ArchivePageState, PERSON_PICKERS, PersonSearch, archivePage, personLabel } from './archive.views';

/** Seconds between two refreshes of the page while a job runs (HTTP Refresh header, no script). */
export const ARCHIVE_REFRESH_SECONDS = 5;

/** Residents a person search shows at most (the others: the person refines the words). */
export const ARCHIVE_PEOPLE_SHOWN = 20;

/** The words of a person search, from the query string or a refused form's hidden copy. */
const searchWords = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');

/**
 * /console/archives (issue 11 items 3 and 5), for administrators (`records.manage`): request an
 * archive package or a person's access request (the API's DataJobsService, as POST
 * /api/data-jobs/*), follow their progress, download the result (audited). POST → 303 → GET.
 */
@ApiExcludeController()
@Controller('console/archives')
export class ConsoleArchiveController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly jobs: DataJobsService,
    private readonly residents: ResidentsService,
    private readonly staff: StaffService,
  ) {}

  @Get()
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Query('demande') requested?: string,
    @Query('actualiser') refresh?: string,
    @Query('document') documentId?: string,
  ): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const uuid = (v: unknown) => (typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v) ? v : undefined);
    // From a document page's « Préparer le paquet d’archive de ce document »: the package form starts on that document.
    const prefill = uuid(documentId) ? { prefill: { scope: 'document', documentId: uuid(documentId) } } : {};
    await this.render(res, actor, 200, { requested: uuid(requested), refreshStopped: refresh === 'non', ...prefill }, req.query);
  }

  @Post('export')
  async requestExport(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    const id = body.scope === 'establishment' ? body.establishmentId : body.scope === 'resident' ? body.residentId : body.documentId;
    try {
      if (body.scope === 'resident' && !body.residentId) throw new ValidationError([{ field: 'residentId', code: 'REQUIRED', message: 'Choisissez la personne.' }]);
      const params = archiveParams({ scope: body.scope, id, from: body.from, to: body.to });
      const job = await this.tx.run((em) => this.jobs.requestArchive(em, actor, params));
      return redirectTo(res, `/console/archives?demande=${job.id}`);
    } catch (e) {
      return this.refused(res, actor, e, 'export', body, { id: body.scope === 'establishment' ? 'establishmentId' : body.scope === 'resident' ? 'residentId' : 'documentId' });
    }
  }

  @Post('acces')
  async requestAccess(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    try {
      const residentId = (body.accessResidentId ?? '').toLowerCase();
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(residentId))
        throw new ValidationError([{ field: 'residentId', code: 'INVALID_ID', message: 'Choisissez la personne.' }]);
      // The request it answers (RGPD art. 15; required for a person in the intermediate archive): DataJobsService.requestAccess.
      // An ayant droit's (CSP L.1110-4 V) also states its purpose, the day of the death and the deceased's objection.
      const request = {
        from: body.requestFrom,
        receivedOn: body.requestReceivedOn,
        statement: body.requestStatement,
        purpose: body.requestPurpose,
        deceasedOn: body.requestDeceasedOn,
        deceasedObjection: body.requestDeceasedObjection,
      };
      const job = await this.tx.run((em) => this.jobs.requestAccess(em, actor, residentId, request));
      return redirectTo(res, `/console/archives?demande=${job.id}`);
    } catch (e) {
      return this.refused(res, actor, e, 'access', body, {
        residentId: 'accessResidentId',
        request: 'requestFrom',
        'request.from': 'requestFrom',
        'request.receivedOn': 'requestReceivedOn',
        'request.statement': 'requestStatement',
        'request.purpose': 'requestPurpose',
        'request.deceasedOn': 'requestDeceasedOn',
        'request.deceasedObjection': 'requestDeceasedObjection',
      });
    }
  }

  @Get(':id/telecharger')
  async download(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const file = await this.jobs.download(actor, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    file.stream.pipe(res);
  }

  /** Bad input: the page again, 400, the form's values and French errors on its fields. */
  private async refused(res: Response, actor: StaffActor, e: unknown, form: 'export' | 'access', values: FormBody, rename: Record<string, string>): Promise<void> {
    // The intermediate archive (intermediate-archive.ts): said beside the person or document chosen, as the other refusals.
    const archived = isDomainError(e) && e.code === 'ARCHIVE_INTERMEDIATE_RESTRICTED';
    if (!isDomainError(e) || (e.kind !== 'invalid' && e.kind !== 'not_found' && !archived)) throw e;
    const errors: FieldError[] = e.details.length
      ? e.details.map((d) => ({ ...d, field: rename[d.field] ?? d.field }))
      : [{ field: Object.values(rename)[0], code: e.code, message: e.messageFr }];
    await this.render(res, actor, archived ? 403 : e.kind === 'not_found' ? 404 : 400, { failed: { form, values, errors }, refreshStopped: true }, values);
  }

  /** `searches`: where the words of each form's person search are (query string, refused form). */
  private async render(res: Response, actor: StaffActor, status: number, s: Partial<ArchivePageState>, searches: Record<string, unknown>): Promise<void> {
    const jobs = await this.jobs.list(this.tx.manager, actor.organisationId);
    const subjects = await this.jobs.subjectsOf(this.tx.manager, actor.organisationId, jobs);
    const establishments = (await this.staff.listEstablishments(actor)).map((e): [string, string] => [e.id, e.name]);
    const names = new Map(establishments);
    const [exportPeople, accessPeople] = await Promise.all(
      (['export', 'access'] as const).map((which) => this.findPeople(actor, searchWords(searches[PERSON_PICKERS[which].search]), names)),
    );
    const running = jobs.some((j) => j.status === 'queued' || j.status === 'running');
    const refreshing = running && !s.refreshStopped && status === 200;
    // Refresh header, not <meta>: the same effect without script; the page offers to stop it (WCAG 2.2.1).
    if (refreshing) res.setHeader('Refresh', String(ARCHIVE_REFRESH_SECONDS));
    sendHtml(
      res,
      status,
      archivePage(actor, consoleCsrfToken(this.config.secrets.session, actor), { ...s, jobs, subjects, people: { export: exportPeople, access: accessPeople }, establishments, refreshing, refreshStopped: !!s.refreshStopped && running }),
    );
  }

  /**
   * The first ARCHIVE_PEOPLE_SHOWN residents whose name has these words (the residents list's
   * search, ResidentsService.list: keyset, folded names), and how many match. No words, no one:
   * an association's thousands of residents are found, not scrolled through.
   */
  private async findPeople(actor: StaffActor, words: string, establishments: Map<string, string>): Promise<PersonSearch> {
    if (!words) return { words, found: [], total: 0 };
    const page = await this.residents.list(actor, { q: words, limit: ARCHIVE_PEOPLE_SHOWN });
    const found = page.items.map((r): [string, string] => {
      const where = establishments.size > 1 ? ` — ${establishments.get(r.establishmentId) ?? ''}` : '';
      return [r.id, `${personLabel(r)}${where}`];
    });
    return { words, found, total: page.total };
  }
}
