import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { DataJobsService, RetentionService, archiveParams } from '@carepact/archive';
import { NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCanSomewhere, auditActor } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';

type Json = Record<string, unknown>;

/**
 * Retention, legal holds and purge (issue 11 item 4), archive packages as jobs (item 3) and access
 * requests (item 5): organisation-wide records management, for administrators (`records.manage`).
 * Every change and every download is audited.
 */
@ApiTags('Conservation et archives')
@ApiCookieAuth()
@Controller('api')
export class RetentionController {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly retention: RetentionService,
    private readonly jobs: DataJobsService,
  ) {}

  @Get('retention/policies')
  @ApiOperation({ summary: 'Durées de conservation par type de document et pour le dossier de la personne (défauts et règle appliquée, valeurs de l’organisation)' })
  policies(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.policies(this.tx.manager, actor.organisationId);
  }

  @Put('retention/policies/:subject')
  @ApiOperation({ summary: 'Changer une durée de conservation de l’organisation : { "years": 1…100 } (journalisé)' })
  setPolicy(@Actor() actor: StaffActor, @Param('subject') subject: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run((em) => this.retention.setPolicy(em, auditActor(actor), actor.organisationId, subject, body?.years));
  }

  @Put('residents/:id/departure')
  @ApiOperation({ summary: 'Fin de l’accompagnement d’une personne (point de départ de la conservation) : { "departedOn": "AAAA-MM-JJ" | null } (journalisé)' })
  async departure(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    const departedOn = body?.departedOn === null ? null : typeof body?.departedOn === 'string' ? body.departedOn : undefined;
    if (departedOn === undefined) throw new ValidationError([{ field: 'departedOn', code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ (ou null).' }]);
    await this.tx.run((em) => this.retention.recordDeparture(em, auditActor(actor), actor.organisationId, id, departedOn));
    return { residentId: id, departedOn };
  }

  @Get('legal-holds')
  @ApiOperation({ summary: 'Gels (legal hold) de l’organisation ; ?active=1 pour ceux en place' })
  holds(@Actor() actor: StaffActor, @Query('active') active?: string) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.holds(this.tx.manager, actor.organisationId, { activeOnly: active === '1' || active === 'true' });
  }

  @Post('legal-holds')
  @ApiOperation({ summary: 'Placer un gel sur une personne ou un document : { subjectType: "resident" | "document", subjectId, reason } — bloque toute suppression (journalisé)' })
  placeHold(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run((em) => this.retention.placeHold(em, auditActor(actor), actor.organisationId, { subjectType: body?.subjectType, subjectId: body?.subjectId, reason: body?.reason }));
  }

  @Post('legal-holds/:id/lift')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lever un gel : { reason } (journalisé)' })
  liftHold(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run((em) => this.retention.liftHold(em, auditActor(actor), actor.organisationId, id, body?.reason));
  }

  @Post('retention/purge-reports')
  @ApiOperation({ summary: 'Simulation de purge (dry run) : ce qui serait supprimé aujourd’hui, et ce qui est gardé (gels, conservation en cours). Ne supprime rien.' })
  purgeReport(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.jobs.purgeReport(auditActor(actor), actor.organisationId);
  }

  @Post('retention/purge-reports/:id/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Exécuter une simulation de moins de 7 jours : tâche de purge (ce qui est encore purgeable seulement ; pierres tombales et journal conservés)' })
  runPurge(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    // A public organisation: { visa: { reference, date, signatory } } (Code du patrimoine R.212-14), else 400 PURGE_ARCHIVES_VISA_REQUIRED.
    return this.jobs.requestPurge(auditActor(actor), actor.organisationId, id, body?.visa);
  }

  @Get('retention/archives-regime')
  @ApiOperation({ summary: 'Régime des archives de l’organisme : droit public (archives publiques, visa requis pour purger) et durée en base active (mois) avant l’archive intermédiaire' })
  archivesRegime(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.archivesRegime(this.tx.manager, actor.organisationId);
  }

  @Put('retention/archives-regime')
  @ApiOperation({ summary: 'Changer le régime des archives : { publicLaw?: boolean, activeBaseMonths?: 0…1200 } (journalisé)' })
  setArchivesRegime(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run((em) => this.retention.setArchivesRegime(em, auditActor(actor), actor.organisationId, { publicLaw: body?.publicLaw, activeBaseMonths: body?.activeBaseMonths }));
  }

  @Post('residents/:id/archive-access')
  @HttpCode(201)
  @ApiOperation({ summary: 'Ouvrir l’archive intermédiaire d’une personne pour soi, une heure : { reason } (journalisé : archive.opened)' })
  openArchive(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    return this.tx.run((em) => this.retention.openArchive(em, actor, id, body?.reason));
  }

  @Post('data-jobs/archive')
  @HttpCode(202)
  @ApiOperation({ summary: 'Paquet d’archive en tâche de fond : { scope: "document" | "resident" | "establishment", id, from?, to? (AAAA-MM-JJ) }' })
  archive(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    const params = archiveParams(body ?? {});
    return this.tx.run((em) => this.jobs.requestArchive(em, actor, params));
  }

  @Post('data-jobs/access-request')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Demande d’accès d’une personne (RGPD art. 15) : { residentId, request?: { from: "person" | "representative", receivedOn: "AAAA-MM-JJ", statement } } — un zip de tout ce qui est conservé sur elle, en tâche de fond. `request` (la demande reçue) est obligatoire pour une personne en archive intermédiaire (400 ACCESS_REQUEST_STATEMENT_REQUIRED) ; journalisé : archive.opened_for_access_request',
  })
  accessRequest(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    const residentId = typeof body?.residentId === 'string' ? body.residentId.trim().toLowerCase() : '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(residentId))
      throw new ValidationError([{ field: 'residentId', code: 'INVALID_ID', message: 'Identifiant de la personne invalide.' }]);
    return this.tx.run((em) => this.jobs.requestAccess(em, actor, residentId, body?.request));
  }

  @Get('data-jobs')
  @ApiOperation({ summary: 'Les dernières tâches (exports, demandes d’accès, purges) et leur avancement' })
  list(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.jobs.list(this.tx.manager, actor.organisationId);
  }

  @Get('data-jobs/:id')
  async get(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    assertCanSomewhere(actor, 'records.manage');
    const job = await this.jobs.get(this.tx.manager, actor.organisationId, id);
    if (!job) throw new NotFoundError('DATA_JOB_NOT_FOUND', 'Tâche introuvable.');
    return job;
  }

  @Get('data-jobs/:id/download')
  @ApiOperation({ summary: 'Télécharger le zip d’une tâche terminée (journalisé : data_job.downloaded)' })
  async download(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Res({ passthrough: true }) res: Response) {
    assertCanSomewhere(actor, 'records.manage');
    const file = await this.jobs.download(actor, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.stream as Readable);
  }
}
