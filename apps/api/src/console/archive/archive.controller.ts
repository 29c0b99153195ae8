import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataJobsService, accessItemsOf, archiveParams, isCspAccessRequest, type AccessRequestStatement } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, NotFoundError, ValidationError, isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, StaffService, assertCanSomewhere, can, type EstablishmentLegalStatus } from '@carepact/identity';
import { ResidentsService } from '@carepact/residents';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import { ArchivePageState, PERSON_PICKERS, PersonSearch, archivePage, personLabel } from './archive.views';
import { AccessAnswerPageState, accessAnswerPage, itemField } from './access-answer.views';
import { dataJobForApi, latestDataJobsFor } from '../../archive/data-job-api-view';
import { auditActor } from '@carepact/identity';
import { auditActorLabel } from '@carepact/audit';

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
        // After the death: the proof of standing, and how the information is communicated (CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin)).
        standingProof: { type: body.requestStandingProofType, reference: body.requestStandingProofReference, issuedOn: body.requestStandingProofIssuedOn },
        communication: body.requestCommunication,
        physician: body.requestPhysician,
        // Who asks: one acte de notoriété names every heir, her name tells them apart.
        requesterName: body.requestRequesterName,
        // A deceased minor's parents: staff confirm she was not emancipated (C. civ. 413-7).
        notEmancipated: body.requestNotEmancipated,
        healthInformation: body.requestHealthInformation,
        // A living minor's health information (CSP L.1111-7, L.1111-5, R.1111-6): her opposition, a physician at her request; her own request if emancipated (C. civ. 413-6).
        minorOpposition: body.requestMinorOpposition,
        minorThroughPhysician: body.requestMinorThroughPhysician,
        // The physician her parents designate (R.1111-6 last alinéa), required with it.
        minorPhysician: body.requestMinorPhysician,
        emancipated: body.requestEmancipated,
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
        'request.standingProof.type': 'requestStandingProofType',
        'request.standingProof.reference': 'requestStandingProofReference',
        'request.standingProof.issuedOn': 'requestStandingProofIssuedOn',
        'request.communication': 'requestCommunication',
        'request.physician': 'requestPhysician',
        'request.requesterName': 'requestRequesterName',
        'request.notEmancipated': 'requestNotEmancipated',
        'request.healthInformation': 'requestHealthInformation',
        'request.minorOpposition': 'requestMinorOpposition',
        'request.minorPhysician': 'requestMinorPhysician',
      });
    }
  }

  /** /console/archives/:id/reponse: a request after the death (CSP L.1110-4 V, L.1111-7) — its sorting, delivery or reasoned refusal. */
  @Get(':id/reponse')
  async answerPage(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Query('fait') done?: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const known = done === 'tri' || done === 'refus' || done === 'transmission' ? done : undefined;
    await this.renderAnswer(res, actor, id, 200, { done: known });
  }

  @Post(':id/tri')
  async sort(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    // One checkbox per item (the console refuses a field sent twice): element-dossier, element-document-<id>, element-journal.
    const job = await this.jobs.get(this.tx.manager, actor.organisationId, id);
    const residentId = job?.params.kind === 'access_request' ? job.params.residentId : null;
    const items = residentId ? (await accessItemsOf(this.tx.manager, actor.organisationId, residentId)).filter((i) => body[itemField(i.key)]).map((i) => i.key) : [];
    try {
      await this.jobs.recordSelection(actor, id, { items, justification: body.justification });
      return redirectTo(res, `/console/archives/${id}/reponse?fait=tri`);
    } catch (e) {
      return this.answerRefused(res, actor, id, e, 'tri', body, { items: 'selection-items' });
    }
  }

  @Post(':id/refus')
  async refuse(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    try {
      await this.jobs.recordRefusal(actor, id, { reason: body.reason, explanation: body.explanation });
      return redirectTo(res, `/console/archives/${id}/reponse?fait=refus`);
    } catch (e) {
      return this.answerRefused(res, actor, id, e, 'refus', body, {});
    }
  }

  @Post(':id/transmission')
  async deliver(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'records.manage');
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    try {
      await this.jobs.recordDelivery(actor, id);
      return redirectTo(res, `/console/archives/${id}/reponse?fait=transmission`);
    } catch (e) {
      return this.answerRefused(res, actor, id, e, 'transmission', body, {});
    }
  }

  /** A refused answer: the page again, its French errors (a conflict — too early, no selection — on the form it concerns), 400 or 409. */
  private async answerRefused(res: Response, actor: StaffActor, id: string, e: unknown, form: 'tri' | 'refus' | 'transmission', values: FormBody, rename: Record<string, string>): Promise<void> {
    if (!isDomainError(e) || (e.kind !== 'invalid' && e.kind !== 'conflict')) throw e;
    const errors: FieldError[] = e.details.length
      ? e.details.map((d) => ({ ...d, field: rename[d.field] ?? d.field }))
      : [{ field: form === 'tri' ? 'selection-items' : form === 'refus' ? 'reason' : 'form-transmission', code: e.code, message: e.messageFr }];
    await this.renderAnswer(res, actor, id, e.kind === 'conflict' ? 409 : 400, { failed: { form, values, errors } });
  }

  /** The answer page of a request after the death this actor sees (as GET /api/data-jobs/:id: dataJobForApi); otherwise 404. */
  private async renderAnswer(res: Response, actor: StaffActor, id: string, status: number, s: Partial<AccessAnswerPageState>): Promise<void> {
    const em = this.tx.manager;
    const found = await this.jobs.get(em, actor.organisationId, id);
    const subjects = found ? await this.jobs.subjectsOf(em, actor.organisationId, [found]) : null;
    const job = found && subjects ? dataJobForApi(actor, found, subjects) : null;
    const p = job?.params;
    const request = p?.kind === 'access_request' && p.request && 'from' in p.request && isCspAccessRequest(p.request) ? (p.request as AccessRequestStatement) : null;
    const person = p?.kind === 'access_request' ? subjects?.people.get(p.residentId) : undefined;
    if (!job || !request || p?.kind !== 'access_request' || person?.state !== 'present') throw new NotFoundError('DATA_JOB_NOT_FOUND', 'Demande introuvable.');
    const mine = job.requestedBy === auditActorLabel(auditActor(actor));
    const items = await accessItemsOf(em, actor.organisationId, p.residentId);
    // Her establishment's legal status: the recourse the refusal letter names (recordRefusal reads it the same way).
    const [est] = (await em.query(
      `SELECT e.id, e.name, e.legal_status, o.public_law FROM residents r JOIN establishments e ON e.id = r.establishment_id JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1 AND r.organisation_id = $2`,
      [p.residentId, actor.organisationId],
    )) as { id: string; name: string; legal_status: EstablishmentLegalStatus | null; public_law: boolean }[];
    const establishment = { id: est.id, name: est.name, legalStatus: est.legal_status, publicLaw: est.public_law, canEdit: can(actor, 'establishment.write', est.id) };
    sendHtml(res, status, accessAnswerPage(actor, consoleCsrfToken(this.config.secrets.session, actor), { ...s, job, request, person: personLabel(person), items, mine, now: new Date(), establishment }));
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
    // The same request already open (DataJobsService.assertNotDuplicate): said beside the day of receipt, with a link to the open one.
    const duplicate = isDomainError(e) && e.code === 'ACCESS_REQUEST_DUPLICATE' ? String(e.facts?.existingJobHref ?? '') : null;
    if (!isDomainError(e) || (e.kind !== 'invalid' && e.kind !== 'not_found' && !archived && duplicate === null)) throw e;
    const errors: FieldError[] = e.details.length
      ? e.details.map((d) => ({ ...d, field: rename[d.field] ?? d.field }))
      : [{ field: Object.values(rename)[0], code: e.code, message: e.messageFr }];
    if (duplicate !== null) errors.splice(0, errors.length, { field: 'requestReceivedOn', code: e.code, message: e.messageFr });
    await this.render(res, actor, archived ? 403 : duplicate !== null ? 409 : e.kind === 'not_found' ? 404 : 400, { failed: { form, values, errors, existingHref: duplicate ?? undefined }, refreshStopped: true }, values);
  }

  /** `searches`: where the words of each form's person search are (query string, refused form). */
  private async render(res: Response, actor: StaffActor, status: number, s: Partial<ArchivePageState>, searches: Record<string, unknown>): Promise<void> {
    // What GET /api/data-jobs shows her (dataJobForApi, her latest 20 filtered before counting): another establishment's requests are not listed, others' statements only as their SHA-256.
    const { jobs, subjects } = await latestDataJobsFor(this.tx.manager, this.jobs, actor);
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
