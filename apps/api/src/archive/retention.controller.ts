import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { DataJobsService, RetentionService, archiveParams, assertManagesWholeOrganisation } from '@carepact/archive';
import { NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCan, assertCanSomewhere, auditActor, requireVisible } from '@carepact/identity';
import { SAME_DAY_AS_DEATH_WARNING, SignatureRequestsService, openRequestsSentence } from '@carepact/signing';
import { Actor } from '../http/auth.guard';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { dataJobForApi, latestDataJobsFor, purgeReportJobFor } from './data-job-api-view';

type Json = Record<string, unknown>;

/**
 * Retention, legal holds and purge (issue 11 item 4), archive packages as jobs (item 3) and access
 * requests (item 5), for administrators (`records.manage`), each checked in the establishment of
 * what it acts on (SECURITY-RELIABILITY.md): the organisation's durations and archives regime are
 * changed only by an administrator of all its establishments; a purge covers the establishments
 * where its author manages records. Every change and every download is audited.
 */
@ApiTags('Conservation et archives')
@ApiCookieAuth()
@Controller('api')
export class RetentionController {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly retention: RetentionService,
    private readonly jobs: DataJobsService,
    private readonly requests: SignatureRequestsService,
  ) {}

  @Get('retention/policies')
  @ApiOperation({ summary: 'Durées de conservation par type de document et pour le dossier de la personne (défauts et règle appliquée, valeurs de l’organisation)' })
  policies(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.policies(this.tx.manager, actor.organisationId);
  }

  @Put('retention/policies/:subject')
  @ApiOperation({
    summary:
      'Changer une durée de conservation de l’organisation : { "years": 1…100 } (journalisé). Elle vaut pour tous ses établissements : un administrateur de chacun seulement, sinon 403 RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED',
  })
  setPolicy(@Actor() actor: StaffActor, @Param('subject') subject: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run(async (em) => {
      await assertManagesWholeOrganisation(em, actor);
      return this.retention.setPolicy(em, auditActor(actor), actor.organisationId, subject, body?.years);
    });
  }

  @Put('residents/:id/departure')
  @ApiOperation({
    summary:
      'Fin de l’accompagnement d’une personne (point de départ de la conservation) : { "departedOn": "AAAA-MM-JJ" | null, "endReason"?: "departure" | "death" | null, "cancelOpenRequests"?: boolean } (journalisé). ' +
      'endReason "death" : le décès de la personne, departedOn est alors la date du décès (deceasedOn), et ses demandes de signature en cours sont annulées avec lui ; absent ou null : un départ. ' +
      'Le décès n’est pas par force la fin de l’accompagnement : un départ déjà enregistré (parti(e) avant, à l’hôpital ou ailleurs) reste la fin de l’accompagnement, seul deceasedOn est enregistré ; sans départ enregistré, la fin est la date du décès, ou vacatedOn donné avec lui (date de l’état des lieux contradictoire de sortie, chambre libérée, CASF R.314-149 I : pas avant le décès — 400 VACATED_BEFORE_DEATH —, pas dans le futur — VACATED_IN_FUTURE —, seulement avec un décès — VACATED_ONLY_WITH_DEATH —, différent du départ déjà enregistré — DEPARTURE_ALREADY_RECORDED). ' +
      'DEATH_IN_FUTURE et DEATH_BEFORE_ADMISSION portent sur la date du décès. departedOn null après un décès : efface le décès seul (saisi par erreur), un départ enregistré avant lui reste ; sinon efface la fin (de nouveau accompagnée). ' +
      'La réponse donne ce qui est enregistré : departedOn (fin de l’accompagnement), deceasedOn, endReason ; journalisé resident.departure_recorded avec les deux dates, avant et après (previous, deceasedOn, previousDeceasedOn). ' +
      'La réponse nomme ses demandes de signature encore en cours (openSignatureRequests, warning) : sans cancelOpenRequests elles se poursuivent jusqu’à leur échéance ; ' +
      'avec cancelOpenRequests: true elles sont annulées dans la même action, motif « Départ de la personne le … » ou « Décès de la personne le … » (cancelledSignatureRequests). ' +
      'Après un décès, sauf celles où tous les signataires requis du côté de la personne (elle-même, son représentant, ses parents…) ont signé et où seule manque la contresignature de l’établissement : l’accord est donné avant le décès (C. civ. 1121 ; 443 al. 1 met fin au pouvoir du représentant, pas aux signatures données) ; elles restent ouvertes pour la contresignature de la direction (keptSignatureRequests, keptBecause « PERSON_SIDE_SIGNED_BEFORE_DEATH », keptReason ; journalisé signature.kept_at_death) ; une signature de son côté donnée le jour même du décès y est signalée (sameDayAsDeath: true, warning : l’heure du décès est à vérifier sur l’acte, C. civ. 79). Après le décès, le document signé n’est plus adressé par e-mail qu’à l’établissement (signature.email_skipped, reason « representative_after_death » pour l’ancien représentant). ' +
      'Une signature facultative de son côté non donnée (la personne à côté de son tuteur) est close « non signé — décès de la personne le … » (journalisé signature.lapsed_at_death) ; une demande déjà établie dont le délai de contresignature était ouvert est terminée (signature.countersign_window_closed, reason « death »)',
  })
  async departure(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    const departedOn = body?.departedOn === null ? null : typeof body?.departedOn === 'string' ? body.departedOn : undefined;
    if (departedOn === undefined) throw new ValidationError([{ field: 'departedOn', code: 'INVALID_DATE', message: 'Date attendue au format AAAA-MM-JJ (ou null).' }]);
    const cancel = body?.cancelOpenRequests;
    if (cancel !== undefined && typeof cancel !== 'boolean')
      throw new ValidationError([{ field: 'cancelOpenRequests', code: 'INVALID_BOOLEAN', message: 'true pour annuler les demandes de signature en cours avec le départ, false ou absent sinon.' }]);
    if (cancel && departedOn === null)
      throw new ValidationError([{ field: 'cancelOpenRequests', code: 'NO_DEPARTURE', message: 'Les demandes de signature ne sont annulées qu’avec une date de fin de l’accompagnement.' }]);
    // How it ended (RetentionService.recordDeparture checks it): absent or null, a departure, as before the death could be recorded.
    const endReason: unknown = body?.endReason === undefined || body.endReason === null ? 'departure' : body.endReason;
    if (departedOn === null && body?.endReason !== undefined && body.endReason !== null)
      throw new ValidationError([{ field: 'endReason', code: 'NO_DEPARTURE', message: 'Un départ ou un décès s’indique avec sa date (departedOn).' }]);
    const death = endReason === 'death';
    // After a death no one signs in her name any more (C. civ. 443 al. 1: the protection measure ends with her): her
    // open requests are always cancelled with it; asking to keep them is refused rather than ignored.
    if (death && cancel === false)
      throw new ValidationError([
        {
          field: 'cancelOpenRequests',
          code: 'DEATH_CANCELS_REQUESTS',
          message:
            'Après un décès, les demandes de signature en cours sont toujours annulées : plus personne ne signe au nom de la personne. Seules restent ouvertes celles que la personne ou ceux qui signaient pour elle avaient toutes signées, pour la contresignature de l’établissement.',
        },
      ]);
    return this.tx.run(async (em) => {
      // Her establishment's records manager only (as the console's form): another establishment's
      // administrator gets the 404 her file answers, not her departure nor her open requests (the
      // code review of session 17: the answer names the documents and the signers awaited).
      const [r] = (await em.query(`SELECT establishment_id AS "establishmentId" FROM residents WHERE id = $1 AND organisation_id = $2`, [id, actor.organisationId])) as { establishmentId: string }[];
      requireVisible(actor, r, () => new NotFoundError('RESIDENT_NOT_FOUND', 'Personne introuvable.'));
      assertCan(actor, 'records.manage', r.establishmentId);
      const recorded = await this.retention.recordDeparture(em, auditActor(actor), actor.organisationId, id, departedOn, departedOn === null ? 'departure' : endReason, body?.vacatedOn ?? null);
      // With the departure, or left to run until their deadline (the purge keeps a document « en signature »). After a
      // death no representative signs for her any more (C. civ. 443 al. 1: the measure ends): the reason says « Décès ».
      // Except, after a death, the requests her side had all signed: kept for the director's countersignature (C. civ. 1121).
      const done = (cancel || death) && departedOn ? await this.requests.cancelForDeparture(em, actor, id, departedOn, death) : { cancelled: [], kept: [] };
      const open = recorded.departedOn ? await this.requests.openForResident(em, actor.organisationId, id) : [];
      const n = open.length;
      return {
        residentId: id,
        departedOn: recorded.departedOn,
        endReason: recorded.endReason,
        deceasedOn: recorded.deceasedOn,
        openSignatureRequests: open,
        ...(cancel || death ? { cancelledSignatureRequests: done.cancelled } : {}),
        ...(death ? { keptSignatureRequests: done.kept } : {}),
        ...(n && death
          ? {
              // A signature of her side given on the day of the death (keptSignatureRequests[].sameDayAsDeath): check the hour on the acte (C. civ. 79).
              warning: `${openRequestsSentence(open)} ${n === 1 ? 'Elle reste ouverte' : 'Elles restent ouvertes'} : la personne ou ceux qui signaient pour elle ${n === 1 ? 'l’avaient signée' : 'les avaient signées'} avant le décès (C. civ. art. 1121) ; seule la contresignature de l’établissement reste à donner.${done.kept.some((k) => k.sameDayAsDeath) ? ` ${SAME_DAY_AS_DEATH_WARNING}` : ''}`,
            }
          : n
            ? { warning: `${openRequestsSentence(open)} ${n === 1 ? 'Elle se poursuit' : 'Elles se poursuivent'} jusqu’à ${n === 1 ? 'son' : 'leur'} échéance ; pour ${n === 1 ? 'l’annuler' : 'les annuler'} avec le départ : cancelOpenRequests: true.` }
            : {}),
      };
    });
  }

  @Get('legal-holds')
  @ApiOperation({ summary: 'Gels (legal hold) de l’organisation ; ?active=1 pour ceux en place' })
  holds(@Actor() actor: StaffActor, @Query('active') active?: string) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.holdsManagedBy(this.tx.manager, actor, { activeOnly: active === '1' || active === 'true' });
  }

  @Post('legal-holds')
  @ApiOperation({ summary: 'Placer un gel sur une personne ou un document : { subjectType: "resident" | "document", subjectId, reason } — bloque toute suppression (journalisé)' })
  placeHold(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run(async (em) => {
      await this.retention.assertManagesHoldSubject(em, actor, body?.subjectType, body?.subjectId);
      return this.retention.placeHold(em, auditActor(actor), actor.organisationId, { subjectType: body?.subjectType, subjectId: body?.subjectId, reason: body?.reason });
    });
  }

  @Post('legal-holds/:id/lift')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lever un gel : { reason } (journalisé)' })
  liftHold(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run(async (em) => {
      await this.retention.assertManagesHold(em, actor, id);
      return this.retention.liftHold(em, auditActor(actor), actor.organisationId, id, body?.reason);
    });
  }

  @Post('retention/purge-reports')
  @ApiOperation({
    summary:
      'Simulation de purge (dry run) : ce qui serait supprimé aujourd’hui dans les établissements dont vous gérez les archives (report.establishmentIds), et ce qui est gardé (gels, demande d’accès en cours, conservation en cours). Ne supprime rien.',
  })
  async purgeReport(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    // The organisation's report is kept whole (the purge runs it); she reads by name only what her establishments hold (purgeReportFor).
    return purgeReportJobFor(this.tx.manager, actor, await this.jobs.purgeReport(actor));
  }

  @Post('retention/purge-reports/:id/run')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Exécuter une simulation de moins de 7 jours : tâche de purge (ce qui est encore purgeable seulement ; pierres tombales et journal conservés). Par qui l’a lancée, s’il gère encore les archives de chacun de ses établissements : sinon 403 PURGE_REPORT_NOT_YOURS, PURGE_ESTABLISHMENT_NOT_MANAGED',
  })
  runPurge(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    // A public organisation: { visa: { reference, date, signatory } } (Code du patrimoine R.212-14), else 400 PURGE_ARCHIVES_VISA_REQUIRED.
    return this.jobs.requestPurge(actor, id, body?.visa);
  }

  @Get('retention/archives-regime')
  @ApiOperation({ summary: 'Régime des archives de l’organisme : archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine ; visa requis pour purger) et durée en base active (mois) avant l’archive intermédiaire' })
  archivesRegime(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    return this.retention.archivesRegime(this.tx.manager, actor.organisationId);
  }

  @Put('retention/archives-regime')
  @ApiOperation({
    summary:
      'Changer le régime des archives : { publicLaw?: boolean — archives publiques (1° ou 2° de l’article L.211-4 du Code du patrimoine), activeBaseMonths?: 0…1200 } (journalisé). Un administrateur de tous les établissements de l’organisation seulement, sinon 403 RECORDS_MANAGE_WHOLE_ORGANISATION_REQUIRED',
  })
  setArchivesRegime(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.tx.run(async (em) => {
      await assertManagesWholeOrganisation(em, actor);
      return this.retention.setArchivesRegime(em, auditActor(actor), actor.organisationId, { publicLaw: body?.publicLaw, activeBaseMonths: body?.activeBaseMonths });
    });
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
      'Demande d’accès d’une personne (RGPD art. 15) ou, après son décès, d’un ayant droit, concubin ou partenaire de PACS ou des titulaires de l’autorité parentale d’un mineur décédé (CSP L.1110-4 V, L.1111-7) : { residentId, request?: { from: "person" | "representative" | "ayant_droit" | "parental_authority", receivedOn: "AAAA-MM-JJ", statement, pour la personne ou son représentant healthInformation?: true | false (la demande porte sur ses informations de santé, CSP L.1111-7 : réponse due sous huit jours — answerDue —, deux mois pour celles de plus de cinq ans — answerDueOlderInformation —, pas avant 48 heures — notBefore —, ses autres données sous un mois — answerDueOtherData, RGPD art. 12.3 ; autre valeur : 400 ACCESS_REQUEST_HEALTH_INFORMATION_INVALID ; son représentant sous une mesure sans représentation relative à la personne : 400 HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING ; aucune mesure enregistrée : acceptée avec l’avertissement HEALTH_ACCESS_REPRESENTATION_UNVERIFIED dans request.warnings ; personne mineure le jour de la demande — d’après sa date de naissance —, CSP L.1111-7 : sa propre demande, 400 MINOR_HEALTH_ACCESS_BY_PARENTS (le droit est exercé par les titulaires de l’autorité parentale ; ses autres données : healthInformation false), sauf emancipated: true à partir de seize ans (C. civ. 413-2, 413-6) ; la demande de ses parents (representative) indique minorOpposition: "none" | "recorded" (une opposition du mineur à ce qu’ils soient informés de certains soins figure au dossier, mention écrite du médecin, de la sage-femme ou de l’infirmier, L.1111-5, L.1111-5-1 : acceptée ; le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue, le tri étant fait par ce professionnel, R.1111-6 ; absent : 400 MINOR_HEALTH_OPPOSITION_REQUIRED), minorThroughPhysician?: true | false (à la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale, ou consultées sur place en sa présence, L.1111-7 et R.1111-6) avec minorPhysician (nom de ce médecin, 3 à 200 caractères, sinon 400 MINOR_HEALTH_PHYSICIAN_REQUIRED ; journalisé par son SHA-256 : requestMinorPhysicianSha256 ; « masqué » pour les autres membres du personnel) et, à partir de seize ans, notEmancipated: true (sinon 400 MINOR_HEALTH_EMANCIPATION_UNCONFIRMED) ; enregistrés dans request.minor: { opposition, throughPhysician, physician?, notEmancipated? } et journalisés : requestMinorOpposition, requestMinorThroughPhysician, requestNotEmancipated, requestEmancipated), après un décès deceasedOn: "AAAA-MM-JJ", standingProof: { type: "acte_notoriete" | "attestation_heredite" | "livret_famille" | "acte_pacs" | "attestation_concubinage" | "jugement" | "autre", reference, issuedOn }, requesterName? (nom et prénom du demandeur, 2 à 200 caractères, sinon 400 HEIR_REQUESTER_NAME_INVALID : deux héritiers qui produisent le même acte de notoriété sont deux demandeurs ; journalisé par son SHA-256), communication?: "direct" | "physician", physician?, et pour un ayant droit purpose: "causes_of_death" | "defend_memory" | "assert_rights", deceasedObjection: "none" | "recorded" } } ; titulaire de l’autorité parentale d’une personne majeure au décès : 400 PARENT_REQUEST_NOT_MINOR_AT_DEATH ; dossier toujours en cours d’accompagnement : 400 HEIR_REQUEST_PERSON_ACCOMPANIED ; avertissements gardés avec la demande (request.warnings: [{ code, message }]) : HEIR_REQUEST_DEATH_BEFORE_DEPARTURE, HEIR_REQUEST_DEATH_DATE_DIFFERS, HEIR_REQUEST_NO_DEATH_RECORDED (le dossier enregistre un départ mais pas de décès) ; après un décès la tâche indique notBefore (48 heures, CSP L.1111-7) — un zip de tout ce qui est conservé sur elle, en tâche de fond. `request` (la demande reçue) est obligatoire pour une personne en archive intermédiaire (400 ACCESS_REQUEST_STATEMENT_REQUIRED) ; opposition de la personne décédée : 400 HEIR_ACCESS_OBJECTED_BY_DECEASED ; journalisé : archive.opened_for_access_request ou archive.opened_for_heir_request',
  })
  accessRequest(@Actor() actor: StaffActor, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    const residentId = typeof body?.residentId === 'string' ? body.residentId.trim().toLowerCase() : '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(residentId))
      throw new ValidationError([{ field: 'residentId', code: 'INVALID_ID', message: 'Identifiant de la personne invalide.' }]);
    return this.tx.run((em) => this.jobs.requestAccess(em, actor, residentId, body?.request));
  }

  @Post('data-jobs/:id/selection')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Demande après un décès (CSP L.1110-4 V) : enregistrer le tri — { items: ["dossier" | "journal" | "document:<id>"], justification } — les éléments retenus pour le motif et pourquoi ; le zip est refait avec eux seuls (journalisé : access_request.selection_recorded). 409 DATA_JOB_NOT_DONE, ACCESS_REQUEST_REFUSED, ACCESS_REQUEST_ALREADY_DELIVERED, ACCESS_ANSWER_NOT_CSP',
  })
  selection(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.jobs.recordSelection(actor, id, body);
  }

  @Post('data-jobs/:id/refusal')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Demande après un décès : refus motivé — { reason: "deceased_objected" | "purpose_not_established" | "standing_not_proven" | "minor_secret" | "other", explanation } ; la lettre au demandeur est enregistrée avec la tâche, le zip supprimé (journalisé : access_request.refused)',
  })
  refusal(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() body: Json) {
    assertCanSomewhere(actor, 'records.manage');
    return this.jobs.recordRefusal(actor, id, body);
  }

  @Post('data-jobs/:id/delivery')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Demande après un décès : enregistrer la transmission du zip au demandeur (journalisé : access_request.delivered). 409 ACCESS_REQUEST_TOO_EARLY avant 48 heures (CSP L.1111-7), ACCESS_SELECTION_REQUIRED sans tri enregistré (ayant droit : L.1110-4 V ; parents d’un mineur décédé : L.1111-5), ACCESS_SELECTION_REBUILD_FAILED si le paquet trié n’a pu être préparé (enregistrer de nouveau le tri)',
  })
  delivery(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    assertCanSomewhere(actor, 'records.manage');
    return this.jobs.recordDelivery(actor, id);
  }

  @Get('data-jobs')
  @ApiOperation({ summary: 'Les dernières tâches (exports, demandes d’accès, purges) et leur avancement' })
  async list(@Actor() actor: StaffActor) {
    assertCanSomewhere(actor, 'records.manage');
    // Her latest 20, filtered before counting (latestDataJobsFor).
    return (await latestDataJobsFor(this.tx.manager, this.jobs, actor)).jobs;
  }

  @Get('data-jobs/:id')
  async get(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    assertCanSomewhere(actor, 'records.manage');
    const found = await this.jobs.get(this.tx.manager, actor.organisationId, id);
    const job = found && dataJobForApi(actor, found, await this.jobs.subjectsOf(this.tx.manager, actor.organisationId, [found]));
    if (!job) throw new NotFoundError('DATA_JOB_NOT_FOUND', 'Tâche introuvable.');
    return purgeReportJobFor(this.tx.manager, actor, job);
  }

  @Get('data-jobs/:id/download')
  @ApiOperation({
    summary:
      'Télécharger le zip d’une tâche terminée (journalisé : data_job.downloaded). Demande de la personne portant sur ses informations de santé (healthInformation) : le zip est la communication elle-même, 409 HEALTH_ACCESS_REFLECTION_PERIOD avant notBefore (délai de réflexion de 48 heures, CSP L.1111-7 al. 2 ; le message dit à partir de quand, heure de Paris). 403 DATA_JOB_NOT_YOURS, 409 DATA_JOB_NOT_DONE',
  })
  async download(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Res({ passthrough: true }) res: Response) {
    assertCanSomewhere(actor, 'records.manage');
    const file = await this.jobs.download(actor, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.stream as Readable);
  }
}
