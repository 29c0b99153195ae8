import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RecordedEnd, RetentionService, retentionStart, tutelleEndingAfter } from '@carepact/archive';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { FieldError, ForbiddenError, NotFoundError, ValidationError } from '@carepact/common';
import { DocumentsService, archiveState, archivedResidents } from '@carepact/documents';
import { type DepartureCancellation, SignatureRequestsService, departureCancelReason } from '@carepact/signing';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, StaffService, assertCan, assertCanSomewhere, auditActor, can, establishmentsWith } from '@carepact/identity';
import { ContactView, MeasureView, ProtectionMeasuresService, ResidentContactsService, ResidentView, ResidentsService, isUnknownCursor, todayIso } from '@carepact/residents';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { validateBody } from '../../http/validation';
import { withRuleErrors } from '../../residents/resident-errors';
import { ContactDto, CreateResidentDto, MeasureDto, PersonneDeConfianceDto, UpdateContactDto, UpdateMeasureDto, UpdateResidentDto } from '../../residents/residents.dto';
import { redirectTo, sendHtml } from '../../views';
import { checkConsoleCsrf, consoleCsrfToken } from '../console-csrf';
import { FormBody, actorOf, formBody } from '../console-request';
import {
  CONTACT_FIELDS,
  EMPLOYEE_PREFIX,
  MISSION_PREFIX,
  Flat,
  MAX_BLOCKS,
  MEASURE_CHECKS,
  MEASURE_TEXT,
  PDC_FIELDS,
  RESIDENT_CHECKS,
  UPDATE_RESIDENT_FIELDS,
  addedBlock,
  anchoredErrors,
  asJson,
  contactPayload,
  createResidentPayload,
  flatDraft,
  measureDraftInto,
  measurePayload,
  pdcPayload,
  residentDraft,
  updateResidentPayload,
} from './resident-forms';
import { confirmDeletePage, contactFormPage, measureFormPage, pdcFormPage, residentCreatePage, residentEditPage, residentName, residentPath } from './resident-forms.views';
import { residentFileBody, residentFilePage, residentListBody, residentListPage } from './residents.views';
import { ConsolePageCache } from '../cache/console-page-cache';
import { residentRetentionSection } from './resident-retention.views';
import { holdAuthorNames } from '../retention/hold-authors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrUndefined = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined);

/** What a successful write says on the file it leads back to (`?fait=…`). */
/**
 * After a death, the requests her side had all signed stay open for the director's countersignature
 * (SignatureRequestsService.cancelForDeparture; C. civ. 1121, 443 al. 1): the notice's key gets
 * `-maintenues`, and the notice says so — never that they were cancelled.
 */
const KEPT_SUFFIX = '-maintenues';
const KEPT_SENTENCE =
  'Les demandes de signature que la personne ou ceux qui signaient pour elle avaient signées avant le décès restent ouvertes : seule la contresignature de la direction reste à donner (l’accord de la personne a été donné avant le décès, C. civ. art. 1121).';
const tally = (done: DepartureCancellation) => ({ cancelled: done.cancelled.length, kept: done.kept.length });
const withKept = (key: string, kept: number) => (kept ? `${key}${KEPT_SUFFIX}` : key);
function noticeOf(key: string): string | undefined {
  if (!key.endsWith(KEPT_SUFFIX)) return NOTICES[key];
  const base = NOTICES[key.slice(0, -KEPT_SUFFIX.length)];
  if (!base || !/^deces-/.test(key)) return undefined;
  // Only the requests still awaiting her side were cancelled: « en cours » would include the kept ones.
  return `${base.replace('Les demandes de signature en cours ont été annulées', 'Les demandes de signature qui attendaient encore la signature de la personne ou de ceux qui signaient pour elle ont été annulées')} ${KEPT_SENTENCE}`;
}

const NOTICES: Record<string, string> = {
  cree: 'Le dossier a été créé.',
  modifie: 'Le dossier a été mis à jour.',
  'contact-ajoute': 'Le contact a été ajouté.',
  'contact-modifie': 'Le contact a été mis à jour.',
  'contact-supprime': 'Le contact a été supprimé.',
  'pdc-designee': 'La personne de confiance a été enregistrée.',
  'pdc-retiree': 'La désignation de la personne de confiance a été retirée.',
  'mesure-ajoutee': 'La mesure de protection a été enregistrée.',
  'mesure-modifiee': 'La mesure de protection a été mise à jour.',
  'mesure-supprimee': 'La mesure de protection a été supprimée.',
  'fin-enregistree': 'La fin de l’accompagnement a été enregistrée : la durée de conservation court à partir de cette date.',
  'fin-enregistree-annulees':
    'La fin de l’accompagnement a été enregistrée : la durée de conservation court à partir de cette date. Les demandes de signature en cours ont été annulées (motif : départ de la personne) ; leurs liens ne fonctionnent plus.',
  'deces-enregistre': 'Le décès de la personne a été enregistré : l’accompagnement a pris fin à cette date, la durée de conservation court à partir de cette date.',
  'deces-enregistre-annulees':
    'Le décès de la personne a été enregistré : l’accompagnement a pris fin à cette date, la durée de conservation court à partir de cette date. Les demandes de signature en cours ont été annulées (motif : décès de la personne) ; leurs liens ne fonctionnent plus.',
  'fin-effacee': 'La date de fin a été effacée : la personne est de nouveau accompagnée.',
  // A death recorded by mistake, cleared (« Effacer la date de décès (saisie par erreur) »): not a return.
  'deces-efface':
    'La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée et son accompagnement n’a plus de date de fin. L’effacement est inscrit au journal.',
  'deces-efface-annulees':
    'La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée et son accompagnement n’a plus de date de fin. Les demandes de signature annulées avec le décès restent annulées et leurs liens ne fonctionnent plus : envoyez-en de nouvelles si besoin. L’effacement est inscrit au journal.',
  // The death of a person who had left (or whose room was vacated later): her departure stays the end of the accompaniment.
  'deces-enregistre-depart-garde':
    'Le décès de la personne a été enregistré. La date de sortie déjà enregistrée est gardée : l’accompagnement a pris fin à cette date-là, et la durée de conservation court toujours à partir d’elle.',
  'deces-enregistre-depart-garde-annulees':
    'Le décès de la personne a été enregistré. La date de sortie déjà enregistrée est gardée : l’accompagnement a pris fin à cette date-là, et la durée de conservation court toujours à partir d’elle. Les demandes de signature en cours ont été annulées (motif : décès de la personne) ; leurs liens ne fonctionnent plus.',
  // A death given with the date of the état des lieux de sortie (CASF R.314-149 I): the accompaniment ended that day.
  'deces-enregistre-sortie':
    'Le décès de la personne a été enregistré. L’accompagnement a pris fin à la date de sortie indiquée (état des lieux, chambre libérée) : la durée de conservation court à partir de cette date.',
  'deces-enregistre-sortie-annulees':
    'Le décès de la personne a été enregistré. L’accompagnement a pris fin à la date de sortie indiquée (état des lieux, chambre libérée) : la durée de conservation court à partir de cette date. Les demandes de signature en cours ont été annulées (motif : décès de la personne) ; leurs liens ne fonctionnent plus.',
  // Only the death was entered by mistake: the departure recorded before it stays.
  'deces-efface-depart-garde':
    'La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée. Son départ, enregistré avant, reste la fin de l’accompagnement. L’effacement est inscrit au journal.',
  'deces-efface-depart-garde-annulees':
    'La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée. Son départ, enregistré avant, reste la fin de l’accompagnement. Les demandes de signature annulées avec le décès restent annulées et leurs liens ne fonctionnent plus. L’effacement est inscrit au journal.',
  'gel-place': 'Le gel a été placé : rien de ce dossier ne sera supprimé tant qu’il est en place.',
  'gel-leve': 'Le gel a été levé.',
  'archive-ouverte': 'L’archive intermédiaire est ouverte pour vous pendant une heure ; le motif est enregistré au journal.',
};

/**
 * The notice after the departure form or « Enregistrer son décès »: for a death, whether the end of the
 * accompaniment is its day, a departure recorded before and kept, or the état des lieux given with it
 * (`vacatedOn`); and whether open requests were cancelled. `departureCancel`: for a departure, whether
 * its requests were to be cancelled; null for a death.
 */
function endNotice(ended: RecordedEnd | null, date: string, vacatedOn: string, cancelled: number, departureCancel: boolean | null): string {
  if (departureCancel !== null) return departureCancel ? 'fin-enregistree-annulees' : 'fin-enregistree';
  const which = !ended || ended.departedOn === date ? 'deces-enregistre' : vacatedOn && ended.departedOn === vacatedOn ? 'deces-enregistre-sortie' : 'deces-enregistre-depart-garde';
  return cancelled ? `${which}-annulees` : which;
}

/**
 * The console's resident pages (issue 10 item 2): the list, the file, and the forms that create
 * and change it. Every read and write goes through the services of the JSON API
 * (apps/api/src/residents/residents.controller.ts), every form body through the API's DTO classes
 * and validation pipe: the same rules, codes, French messages and audit events. A form that fails
 * is shown again (400) with each error beside its field and summed up at the top; nothing is
 * written. Every POST checks the session's CSRF token and answers 303 to the file.
 */
@ApiExcludeController()
@Controller('console/residents')
export class ConsoleResidentsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residents: ResidentsService,
    private readonly contacts: ResidentContactsService,
    private readonly measures: ProtectionMeasuresService,
    private readonly documents: DocumentsService,
    private readonly staff: StaffService,
    private readonly cache: ConsolePageCache,
    private readonly tx: TransactionRunner,
    private readonly retention: RetentionService,
    private readonly requests: SignatureRequestsService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'resident.read');
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const readable = new Set(establishmentsWith(actor, 'resident.read'));
    const wanted = uuidOrUndefined(req.query.etablissement);
    const establishmentId = wanted && readable.has(wanted) ? wanted : '';
    const after = uuidOrUndefined(req.query.apres);
    const before = uuidOrUndefined(req.query.avant);
    // A page link that leads nowhere (a cut or mistyped address, its resident purged or moved,
    // another organisation's): the start of the same search, saying so, rather than an empty page
    // that looks like the end of the list (the API answers 400 UNKNOWN_CURSOR).
    const malformed = (req.query.apres !== undefined && !after) || (req.query.avant !== undefined && !before);
    // The same for everyone with these roles, until an audited change or the next day (measure statuses).
    const key = `residents|${todayIso()}|${q}|${establishmentId}|${after ?? ''}|${before ?? ''}|${malformed ? 'perdue' : ''}`;
    const body = await this.cache.get(actor, key, async () => {
      const search = (cursor: { after?: string; before?: string }) => this.residents.search(actor, { q, establishmentId: establishmentId || undefined, ...cursor });
      let cursorLost = malformed;
      const [page, establishments] = await Promise.all([
        search({ after, before }).catch((e: unknown) => {
          if (!isUnknownCursor(e)) throw e;
          cursorLost = true;
          return search({});
        }),
        this.establishmentNames(actor, readable),
      ]);
      return residentListBody({ page, q, establishmentId, establishments, canCreate: establishmentsWith(actor, 'resident.write').length > 0, cursorLost });
    });
    sendHtml(res, 200, residentListPage(actor, this.csrf(actor), q, body));
  }

  @Get('nouveau')
  async createForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    assertCanSomewhere(actor, 'resident.write');
    const establishments = await this.writableEstablishments(actor);
    const values: Flat = { 'protectionMeasure.general': 'oui', 'preferences.language': 'fr', stayType: 'permanent' };
    if (establishments.length === 1) values.establishmentId = establishments[0][0];
    sendHtml(res, 200, residentCreatePage({ actor, csrf: this.csrf(actor), values, establishments, contacts: 1, parents: 0, holders: 1 }));
  }

  @Post('nouveau')
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    assertCanSomewhere(actor, 'resident.write');
    const draft = residentDraft(body);
    const establishments = await this.writableEstablishments(actor);
    const added = addedBlock(body);
    const page = (status: number, errors?: FieldError[], focus?: string) => {
      const counts = {
        contacts: Math.max(draft.contacts + (focus === 'contacts' ? 1 : 0), 1),
        parents: draft.parents + (focus === 'parents' ? 1 : 0),
        holders: Math.max(draft.holders + (focus === 'protectionMeasure.holders' ? 1 : 0), 1),
      };
      counts.contacts = Math.min(counts.contacts, MAX_BLOCKS.contacts);
      counts.parents = Math.min(counts.parents, MAX_BLOCKS.parents);
      counts.holders = Math.min(counts.holders, MAX_BLOCKS.holders);
      sendHtml(res, status, residentCreatePage({ actor, csrf: this.csrf(actor), values: draft.values, errors, establishments, focus, ...counts }));
    };
    if (added) return page(200, undefined, added);
    const payload = asJson(createResidentPayload(draft));
    // Format errors and the file's rules together, as the API answers (withRuleErrors): one round of corrections.
    await this.submit(res, CreateResidentDto, payload, async (errors) => page(400, anchoredErrors(await withRuleErrors(payload, errors))), (dto) => this.residents.create(actor, dto), (created) => `${residentPath(created.id)}?fait=cree`);
  }

  @Get(':id')
  async file(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const notice = typeof req.query.fait === 'string' ? noticeOf(req.query.fait) : undefined;
    await this.sendFile(req, res, id, 200, { notice });
  }

  /**
   * The end of the accompaniment, from which retention runs (issue 11), and how it ended
   * (`endReason`: « Départ » or « Décès »): RetentionService's rules (INVALID_DATE,
   * DEPARTURE_BEFORE_ADMISSION, DEPARTURE_IN_FUTURE, DEATH_BEFORE_ADMISSION, DEATH_IN_FUTURE,
   * INVALID_END_REASON) and audit event, as PUT /api/residents/:id/departure; records.manage, as the API.
   * A death cancels her open signature requests whatever the box says: the protection measure ends
   * at death (C. civ. 443 al. 1), no representative signs for her any more.
   */
  @Post(':id/fin-accompagnement')
  async departure(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const body = await this.managed(req, id);
    const departedOn = typeof body.departedOn === 'string' ? body.departedOn.trim() : '';
    // The form's choice; a form posted without it (a page of before the choice existed) is a departure, as the API.
    const endReason = body.endReason === undefined ? 'departure' : typeof body.endReason === 'string' ? body.endReason : '';
    const death = endReason === 'death';
    // « Annuler ces demandes »: her open signature requests cancelled in the same transaction (as PUT …/departure with cancelOpenRequests).
    const cancel = body.cancelOpenRequests === 'oui';
    // Under « Décès »: the date of the état des lieux de sortie, the room vacated (CASF R.314-149 I), optional.
    const vacatedOn = death && typeof body.vacatedOn === 'string' ? body.vacatedOn.trim() : '';
    await this.recordEnd(
      req,
      res,
      id,
      { departedOn, endReason, ...(vacatedOn ? { vacatedOn } : {}), ...(cancel ? { cancelOpenRequests: 'oui' } : {}) },
      { date: departedOn, endReason, vacatedOn, cancel, death },
      'departedOn',
      ['endReason', 'vacatedOn'],
    );
  }

  /**
   * « Enregistrer son décès » for a person who had left (« Partie le … »): her departure stays the end
   * of the accompaniment and retention still counts from it; only the date of death is recorded
   * (RetentionService.recordDeparture, `death`: the sector lawyer's review of session 20). Her open
   * signature requests, if any still run, are cancelled with it (C. civ. 443 al. 1).
   */
  @Post(':id/deces')
  async death(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const body = await this.managed(req, id);
    const deceasedOn = typeof body.deceasedOn === 'string' ? body.deceasedOn.trim() : '';
    await this.recordEnd(req, res, id, { deceasedOn }, { date: deceasedOn, endReason: 'death', vacatedOn: '', cancel: true, death: true }, 'deceasedOn');
  }

  /**
   * The end of the accompaniment recorded (RetentionService.recordDeparture) and, in the same
   * transaction, her open signature requests cancelled when asked (`cancel`) and always after a death
   * (C. civ. 443 al. 1; those her side had all signed are kept, SignatureRequestsService.cancelForDeparture):
   * the departure form and « Enregistrer son décès ». The notice says which end was recorded
   * (endNotice); the service's field errors go to `field` or, when named there, to `ownFields`.
   */
  private async recordEnd(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, string>,
    end: { date: string; endReason: string; vacatedOn: string; cancel: boolean; death: boolean },
    field: string,
    ownFields: readonly string[] = [],
  ): Promise<void> {
    let cancelled = 0;
    let kept = 0;
    let ended: RecordedEnd | null = null;
    await this.retentionWrite(
      req,
      res,
      id,
      values,
      async (em, actor) => {
        ended = await this.retention.recordDeparture(em, auditActor(actor), actor.organisationId, id, end.date, end.endReason, end.vacatedOn || null);
        if (end.cancel || end.death) ({ cancelled, kept } = tally(await this.requests.cancelForDeparture(em, actor, id, end.date, end.death)));
      },
      () => withKept(endNotice(ended, end.date, end.vacatedOn, cancelled, end.death ? null : end.cancel), kept),
      field,
      ownFields,
    );
  }

  /**
   * Clears the end of the accompaniment (RetentionService.recordDeparture with null: departed_on and
   * deceased_on cleared — a departure recorded before the death stays —, audited `resident.departure_recorded` with `previousEndReason`). After a
   * death this undoes a date recorded by mistake: the notice says so, not « de nouveau accompagnée »,
   * and that the signature requests the death cancelled stay cancelled (nothing reopens a cancelled
   * request; their links stay revoked).
   */
  @Post(':id/fin-accompagnement/effacer')
  async clearDeparture(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.managed(req, id);
    let notice = 'fin-effacee';
    await this.retentionWrite(
      req,
      res,
      id,
      {},
      async (em, actor) => {
        const [r] = (await em.query(`SELECT deceased_on::text AS deceased FROM residents WHERE id = $1 AND organisation_id = $2 FOR UPDATE`, [id, actor.organisationId])) as {
          deceased: string | null;
        }[];
        const kept = await this.retention.recordDeparture(em, auditActor(actor), actor.organisationId, id, null);
        if (!r?.deceased) return;
        // A departure recorded before the death stays (only the death was entered by mistake): the notice says so.
        const departureKept = kept.departedOn !== null;
        // Her requests cancelled with that death (the reason cancelForDeparture wrote).
        const [c] = (await em.query(
          `SELECT count(DISTINCT q.id)::int AS n FROM signature_requests q JOIN documents d ON d.id = q.document_id JOIN signature_events e ON e.request_id = q.id
            WHERE d.resident_id = $1 AND d.organisation_id = $2 AND q.status = 'cancelled' AND e.kind = 'cancelled' AND e.details->>'reason' = $3`,
          [id, actor.organisationId, departureCancelReason(r.deceased, true)],
        )) as { n: number }[];
        notice = `${departureKept ? 'deces-efface-depart-garde' : 'deces-efface'}${c.n ? '-annulees' : ''}`;
      },
      () => notice,
      'departedOn',
    );
  }

  /** A legal hold on the person (POST /api/legal-holds with subjectType resident): the service checks the reason. */
  @Post(':id/gels')
  async placeHold(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const body = await this.managed(req, id);
    const reason = typeof body.holdReason === 'string' ? body.holdReason : '';
    await this.retentionWrite(
      req,
      res,
      id,
      { holdReason: reason },
      (em, actor) => this.retention.placeHold(em, auditActor(actor), actor.organisationId, { subjectType: 'resident', subjectId: id, reason }),
      'gel-place',
      'holdReason',
    );
  }

  @Post(':id/gels/:holdId/lever')
  async liftHold(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('holdId', ParseIdPipe) holdId: string): Promise<void> {
    const body = await this.managed(req, id);
    const reason = typeof body.liftReason === 'string' ? body.liftReason : '';
    // Only a hold on this person is lifted from her file.
    await this.retentionWrite(req, res, id, { liftReason: reason }, (em, a) => this.retention.liftHold(em, auditActor(a), a.organisationId, holdId, reason, id), 'gel-leve', 'liftReason');
  }

  /**
   * Opens the person's intermediate archive for the records manager, with a reason
   * (RetentionService.openArchive, as POST /api/residents/:id/archive-access: ARCHIVE_REASON_INVALID
   * beside the field, audited `archive.opened`).
   */
  @Post(':id/archive/ouvrir')
  async openArchive(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const body = await this.managed(req, id);
    const reason = typeof body.archiveReason === 'string' ? body.archiveReason : '';
    await this.retentionWrite(req, res, id, { archiveReason: reason }, (em, actor) => this.retention.openArchive(em, actor, id, reason), 'archive-ouverte', 'archiveReason');
  }

  /** The file page: its cached body, then the retention section (per person: forms, errors, holds' authors). */
  private async sendFile(req: Request, res: Response, id: string, status: number, extra: { notice?: string; errors?: FieldError[]; values?: Record<string, string> }): Promise<void> {
    const actor = actorOf(req);
    // The same for everyone with these roles (access is checked inside: a refusal is not kept), until
    // an audited change or the next day (measure statuses).
    const file = await this.cache.get(actor, `resident|${id}|${todayIso()}`, async () => {
      const resident = await this.residents.get(actor, id);
      const [documents, names, superseded] = await Promise.all([
        this.documents.list(actor, resident.id),
        this.establishmentNames(actor, new Set([resident.establishmentId])),
        // Draft contracts of a stay whose other contract is signed: named as such, not « prêt » (CASF L.311-4, D.311).
        this.documents.supersededContractsOf(actor, resident.id),
      ]);
      // Past the active base her documents stay listed, marked archived (intermediate-archive.ts).
      const archivedSince = (await archivedResidents(this.tx.manager, actor.organisationId, [resident.id])).get(resident.id) ?? null;
      const body = residentFileBody({
        resident,
        establishment: names.get(resident.establishmentId) ?? '—',
        documents,
        supersededContracts: new Set(superseded),
        archivedSince,
        rights: { write: can(actor, 'resident.write', resident.establishmentId), newDocument: can(actor, 'document.write', resident.establishmentId) },
      });
      // C. civ. 2235: the retention of a minor's file, or of a person under tutelle, counts from later (a tutelle ends at the death at the latest, C. civ. 443 al. 1; a minor's suspension too).
      const start = resident.departedOn
        ? retentionStart(resident.departedOn, resident.birthDate, tutelleEndingAfter(resident.protectionMeasures, resident.departedOn, resident.deceasedOn ?? null), resident.deceasedOn ?? null)
        : null;
      return {
        name: residentName(resident),
        establishmentId: resident.establishmentId,
        departedOn: resident.departedOn,
        deceasedOn: resident.deceasedOn ?? null,
        civility: resident.civility ?? null,
        start,
        body,
      };
    });
    // Her establishment's records manager only (`managed`): the forms are not shown to others.
    const manage = can(actor, 'records.manage', file.establishmentId);
    const em = this.tx.manager;
    const [policies, holds] = await Promise.all([this.retention.policies(em, actor.organisationId), this.retention.holds(em, actor.organisationId, { subjectId: id, activeOnly: true })]);
    const names = manage && holds.length ? await holdAuthorNames(this.staff, actor) : new Map<string, string>();
    const [state, regime] = await Promise.all([archiveState(em, actor, id), this.retention.archivesRegime(em, actor.organisationId)]);
    const archive = { since: state.archivedSince, openUntil: state.openUntil, activeBaseMonths: regime.activeBaseMonths };
    // The departure form names her signature requests still open, and offers to cancel them with it.
    const openRequests = manage ? await this.requests.openForResident(em, actor.organisationId, id) : [];
    const retention = residentRetentionSection({
      openRequests,
      residentId: id,
      departedOn: file.departedOn,
      deceasedOn: file.deceasedOn,
      civility: file.civility,
      start: file.start,
      policies,
      holds,
      names,
      manage,
      archive,
      csrf: this.csrf(actor),
      errors: extra.errors,
      values: extra.values,
    });
    sendHtml(res, status, residentFilePage({ actor, csrf: this.csrf(actor), name: file.name, body: file.body, retention, notice: extra.notice, errors: extra.errors }));
  }

  /**
   * CSRF, the file visible (404), then records.manage in her establishment (403), in that order as
   * the API answers. Her establishment's, not anywhere in the organisation: an attacker's review of
   * session 17 recorded, as a coordinator here who administers another establishment, a person's
   * departure and cancelled her open requests from this form, which the API already refused.
   */
  private async managed(req: Request, id: string): Promise<FormBody> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.residents.get(actor, id);
    assertCan(actor, 'records.manage', resident.establishmentId);
    return body;
  }

  /** A retention write: the service's field errors shown on the file (400, `field` names the form's field), success → 303. */
  private async retentionWrite(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, string>,
    write: (em: EntityManager, actor: StaffActor) => Promise<unknown>,
    done: string | (() => string),
    field: string,
    /** The form's other fields the service names as they are (each error beside its own field). */
    ownFields: readonly string[] = [],
  ): Promise<void> {
    const actor = actorOf(req);
    try {
      await this.tx.run((em) => write(em, actor));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return this.sendFile(req, res, id, 400, { values, errors: e.details.map((d) => ({ ...d, field: ownFields.includes(d.field) ? d.field : field })) });
    }
    redirectTo(res, `${residentPath(id)}?fait=${typeof done === 'string' ? done : done()}#conservation`);
  }


  @Get(':id/modifier')
  async editForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    sendHtml(res, 200, residentEditPage({ actor, csrf: this.csrf(actor), resident, values: residentValues(resident) }));
  }

  @Post(':id/modifier')
  async edit(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const values = flatDraft(body, UPDATE_RESIDENT_FIELDS, RESIDENT_CHECKS);
    const payload = asJson(updateResidentPayload(values));
    // Format errors and the file's rules together (withRuleErrors), as for a new file.
    const page = async (errors: FieldError[]) => {
      const all = await withRuleErrors(payload, errors, (readable) => this.residents.patchRuleErrors(actor, resident.id, readable));
      sendHtml(res, 400, residentEditPage({ actor, csrf: this.csrf(actor), resident, values, errors: anchoredErrors(all) }));
    };
    await this.submit(res, UpdateResidentDto, payload, page, (dto) => this.residents.update(actor, resident.id, dto), () => `${residentPath(resident.id)}?fait=modifie`);
  }

  @Get(':id/contacts/nouveau')
  async addContactForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    sendHtml(res, 200, contactFormPage({ actor, csrf: this.csrf(actor), resident, values: {} }));
  }

  @Post(':id/contacts/nouveau')
  async addContact(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const values = flatDraft(body, CONTACT_FIELDS, ['holdsParentalAuthority', 'minorRole']);
    const page = (errors: FieldError[]) => sendHtml(res, 400, contactFormPage({ actor, csrf: this.csrf(actor), resident, values, errors }));
    await this.submit(res, ContactDto, asJson(contactPayload(values, 'create')), page, (dto) => this.contacts.addContact(actor, resident.id, dto), () => `${residentPath(resident.id)}?fait=contact-ajoute#contacts`);
  }

  @Get(':id/contacts/:contactId/modifier')
  async editContactForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('contactId', ParseIdPipe) contactId: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    const contact = contactOf(resident, contactId);
    sendHtml(res, 200, contactFormPage({ actor, csrf: this.csrf(actor), resident, contact, values: contactValues(contact) }));
  }

  @Post(':id/contacts/:contactId/modifier')
  async editContact(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('contactId', ParseIdPipe) contactId: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const contact = contactOf(resident, contactId);
    const values = flatDraft(body, CONTACT_FIELDS, ['holdsParentalAuthority', 'minorRole']);
    const page = (errors: FieldError[]) => sendHtml(res, 400, contactFormPage({ actor, csrf: this.csrf(actor), resident, contact, values, errors }));
    await this.submit(res, UpdateContactDto, asJson(contactPayload(values, 'update')), page, (dto) => this.contacts.updateContact(actor, resident.id, contact.id, dto), () => `${residentPath(resident.id)}?fait=contact-modifie#contacts`);
  }

  @Get(':id/contacts/:contactId/supprimer')
  async deleteContactForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('contactId', ParseIdPipe) contactId: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    const c = contactOf(resident, contactId);
    const holder = resident.protectionMeasures.some((m) => m.holders.some((h) => h.contactId === c.id));
    sendHtml(
      res,
      200,
      confirmDeletePage({
        actor,
        csrf: this.csrf(actor),
        resident,
        title: `Supprimer le contact ${c.firstName} ${c.lastName}`,
        what: `${c.firstName} ${c.lastName} ne figurera plus au dossier.`,
        consequence: holder
          ? 'Cette personne exerce une mesure de protection : la suppression sera refusée tant que la mesure la nomme.'
          : resident.personneDeConfiance?.contactId === c.id
            ? 'C’est la personne de confiance : sa désignation sera retirée.'
            : undefined,
        action: `${residentPath(resident.id)}/contacts/${c.id}/supprimer`,
      }),
    );
  }

  @Post(':id/contacts/:contactId/supprimer')
  async deleteContact(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('contactId', ParseIdPipe) contactId: string): Promise<void> {
    const actor = actorOf(req);
    this.checked(actor, req);
    await this.contacts.deleteContact(actor, id, contactId);
    redirectTo(res, `${residentPath(id)}?fait=contact-supprime#contacts`);
  }

  @Get(':id/personne-de-confiance')
  async pdcForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    const current = resident.personneDeConfiance;
    const values: Flat = current ? { contactId: current.contactId, designatedOn: current.designatedOn ?? '' } : {};
    sendHtml(res, 200, pdcFormPage({ actor, csrf: this.csrf(actor), resident, values }));
  }

  @Post(':id/personne-de-confiance')
  async pdc(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const values = flatDraft(body, PDC_FIELDS);
    const page = (errors: FieldError[]) => sendHtml(res, 400, pdcFormPage({ actor, csrf: this.csrf(actor), resident, values, errors }));
    await this.submit(res, PersonneDeConfianceDto, asJson(pdcPayload(values)), page, (dto) => this.contacts.setPersonneDeConfiance(actor, resident.id, dto), () => `${residentPath(resident.id)}?fait=pdc-designee#pdc`);
  }

  @Post(':id/personne-de-confiance/retirer')
  async clearPdc(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    this.checked(actor, req);
    await this.contacts.clearPersonneDeConfiance(actor, id);
    redirectTo(res, `${residentPath(id)}?fait=pdc-retiree#pdc`);
  }

  @Get(':id/mesures/nouvelle')
  async addMeasureForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    sendHtml(res, 200, measureFormPage({ actor, csrf: this.csrf(actor), resident, values: { general: 'oui' }, holders: 1 }));
  }

  @Post(':id/mesures/nouvelle')
  async addMeasure(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const values: Flat = {};
    const holders = measureDraftInto(body, values, '');
    const added = addedBlock(body);
    const page = (status: number, errors?: FieldError[], focus?: string) =>
      sendHtml(res, status, measureFormPage({ actor, csrf: this.csrf(actor), resident, values, errors, focus, holders: Math.min(Math.max(holders + (focus ? 1 : 0), 1), MAX_BLOCKS.holders) }));
    if (added === 'holders') return page(200, undefined, 'holders');
    await this.submit(res, MeasureDto, asJson(measurePayload(values, holders, 'create')), (errors) => page(400, anchoredErrors(errors)), (dto) => this.measures.addMeasure(actor, resident.id, dto), () => `${residentPath(resident.id)}?fait=mesure-ajoutee#mesures`);
  }

  @Get(':id/mesures/:measureId/modifier')
  async editMeasureForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('measureId', ParseIdPipe) measureId: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    const measure = measureOf(resident, measureId);
    sendHtml(res, 200, measureFormPage({ actor, csrf: this.csrf(actor), resident, measure, values: measureValues(measure), holders: 0 }));
  }

  @Post(':id/mesures/:measureId/modifier')
  async editMeasure(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('measureId', ParseIdPipe) measureId: string): Promise<void> {
    const actor = actorOf(req);
    const body = this.checked(actor, req);
    const resident = await this.writable(actor, id);
    const measure = measureOf(resident, measureId);
    // One checkbox per holder of this measure (C. civ. 451 al. 2): an unchecked one is not posted, so none read means none flagged.
    const values = flatDraft(body, MEASURE_TEXT, [
      ...MEASURE_CHECKS,
      ...measure.holders.map((h) => `${EMPLOYEE_PREFIX}${h.contactId}`),
      // C. civ. 447 al. 3: one mission choice per holder.
      ...measure.holders.map((h) => `${MISSION_PREFIX}${h.contactId}`),
    ]);
    const page = (errors: FieldError[]) => sendHtml(res, 400, measureFormPage({ actor, csrf: this.csrf(actor), resident, measure, values, errors: anchoredErrors(errors), holders: 0 }));
    await this.submit(res, UpdateMeasureDto, asJson(measurePayload(values, 0, 'update')), page, (dto) => this.measures.updateMeasure(actor, resident.id, measure.id, dto), () => `${residentPath(resident.id)}?fait=mesure-modifiee#mesures`);
  }

  @Get(':id/mesures/:measureId/supprimer')
  async deleteMeasureForm(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('measureId', ParseIdPipe) measureId: string): Promise<void> {
    const actor = actorOf(req);
    const resident = await this.writable(actor, id);
    const m = measureOf(resident, measureId);
    sendHtml(
      res,
      200,
      confirmDeletePage({
        actor,
        csrf: this.csrf(actor),
        resident,
        title: 'Supprimer une mesure saisie par erreur',
        what: `La mesure (jugement ${m.judgmentReference}) disparaîtra du dossier. Une mesure qui prend fin se modifie (date de fin) : elle ne se supprime pas.`,
        action: `${residentPath(resident.id)}/mesures/${m.id}/supprimer`,
      }),
    );
  }

  @Post(':id/mesures/:measureId/supprimer')
  async deleteMeasure(@Req() req: Request, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Param('measureId', ParseIdPipe) measureId: string): Promise<void> {
    const actor = actorOf(req);
    this.checked(actor, req);
    await this.measures.deleteMeasure(actor, id, measureId);
    redirectTo(res, `${residentPath(id)}?fait=mesure-supprimee#mesures`);
  }

  private csrf(actor: StaffActor): string {
    return consoleCsrfToken(this.config.secrets.session, actor);
  }

  /** Every console POST: the session's CSRF token first. */
  private checked(actor: StaffActor, req: Request): FormBody {
    const body = formBody(req);
    checkConsoleCsrf(this.config.secrets.session, actor, body._csrf);
    return body;
  }

  /** The file, for a form that changes it: 404 if not visible, 403 without resident.write (as the services answer). */
  private async writable(actor: StaffActor, id: string): Promise<ResidentView> {
    const resident = await this.residents.get(actor, id);
    if (!can(actor, 'resident.write', resident.establishmentId)) throw new ForbiddenError();
    return resident;
  }

  /** A field error from the service (its cross-field rules) is shown on the form; any other error becomes its HTML page. */
  /**
   * A form's write, the same for every form: the JSON API's DTO validation, then the service; field
   * errors from either re-render the form (nothing written), success redirects (POST → redirect → GET).
   */
  private async submit<D extends object, R>(
    res: Response,
    dto: new () => D,
    payload: unknown,
    onErrors: (errors: FieldError[]) => void | Promise<void>,
    write: (dto: D) => Promise<R>,
    location: (result: R) => string,
  ): Promise<void> {
    const checked = await validateBody(dto, payload);
    if (checked.errors) return await onErrors(checked.errors);
    let result: R;
    try {
      result = await write(checked.dto);
    } catch (e) {
      if (e instanceof ValidationError) return await onErrors(e.details);
      throw e;
    }
    redirectTo(res, location(result));
  }

  private async establishmentNames(actor: StaffActor, ids: Set<string>): Promise<Map<string, string>> {
    const all = await this.staff.listEstablishments(actor);
    return new Map(all.filter((e) => ids.has(e.id)).map((e) => [e.id, e.name]));
  }

  private async writableEstablishments(actor: StaffActor): Promise<[string, string][]> {
    return [...(await this.establishmentNames(actor, new Set(establishmentsWith(actor, 'resident.write'))))];
  }
}

function contactOf(r: ResidentView, id: string): ContactView {
  const c = r.contacts.find((x) => x.id === id);
  if (!c) throw new NotFoundError('CONTACT_NOT_FOUND', 'Contact introuvable.');
  return c;
}

function measureOf(r: ResidentView, id: string): MeasureView {
  const m = r.protectionMeasures.find((x) => x.id === id);
  if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', 'Mesure de protection introuvable.');
  return m;
}

const yes = (b: boolean) => (b ? 'oui' : '');

function residentValues(r: ResidentView): Flat {
  return {
    civility: r.civility ?? '',
    firstName: r.firstName,
    lastName: r.lastName,
    birthName: r.birthName ?? '',
    birthDate: r.birthDate,
    admissionDate: r.admissionDate,
    stayType: r.stayType,
    plannedEndDate: r.plannedEndDate ?? '',
    room: r.room ?? '',
    email: r.email ?? '',
    phone: r.phone ?? '',
    parentalAuthority: r.parentalAuthority ?? '',
    'soleAuthority.ground': r.soleAuthority?.ground ?? '',
    'soleAuthority.proofReference': r.soleAuthority?.proofReference ?? '',
    'soleAuthority.proofDate': r.soleAuthority?.proofDate ?? '',
    'minorDecision.authority': r.minorDecision?.authority ?? '',
    'minorDecision.reference': r.minorDecision?.reference ?? '',
    'minorDecision.date': r.minorDecision?.date ?? '',
    'minorDecision.delegationExtent': r.minorDecision?.delegationExtent ?? '',
    'minorDecision.delegationCoversStay': r.minorDecision?.delegationCoversStay == null ? '' : r.minorDecision.delegationCoversStay ? 'oui' : 'non',
    'minorDecision.wardOfState': yes(Boolean(r.minorDecision?.wardOfState)),
    'minorDecision.actAuthorisation.reference': r.minorDecision?.actAuthorisation?.reference ?? '',
    'minorDecision.actAuthorisation.date': r.minorDecision?.actAuthorisation?.date ?? '',
    'preferences.language': r.preferences.language,
    'preferences.largePrint': yes(r.preferences.largePrint),
    'preferences.easyToRead': yes(r.preferences.easyToRead),
  };
}

function contactValues(c: ContactView): Flat {
  return {
    civility: c.civility ?? '',
    firstName: c.firstName,
    lastName: c.lastName,
    relation: c.relation ?? '',
    organisationName: c.organisationName ?? '',
    email: c.email ?? '',
    phone: c.phone ?? '',
    address: c.address ?? '',
    holdsParentalAuthority: yes(c.holdsParentalAuthority),
    minorRole: c.minorRole ?? '',
  };
}

function measureValues(m: MeasureView): Flat {
  return {
    type: m.type,
    mode: m.mode,
    'scope.personne': yes(m.scope.includes('personne')),
    'scope.biens': yes(m.scope.includes('biens')),
    general: m.general ? 'oui' : 'non',
    acts: m.acts.join('\n'),
    mission: m.mission ?? '',
    court: m.court,
    judgmentReference: m.judgmentReference,
    judgmentDate: m.judgmentDate,
    startDate: m.startDate ?? '',
    endDate: m.endDate ?? '',
    mandateEffectiveDate: m.mandateEffectiveDate ?? '',
    judgeAuthorisesHolderAlone: yes(m.judgeAuthorisesHolderAlone),
    authorisationReference: m.authorisationReference ?? '',
    proofDocumentRef: m.proofDocumentRef ?? '',
    // C. civ. 451 al. 2: one checkbox per holder (resident-forms.ts EMPLOYEE_PREFIX).
    ...Object.fromEntries(m.holders.map((h) => [`${EMPLOYEE_PREFIX}${h.contactId}`, yes(h.establishmentEmployee ?? false)])),
    // C. civ. 447 al. 3: a mission that is part of the measure only; empty for the whole measure.
    ...Object.fromEntries(m.holders.map((h) => [`${MISSION_PREFIX}${h.contactId}`, h.mission && h.mission.length < m.scope.length ? h.mission[0] : ''])),
    subrogeContactId: m.subroge?.contactId ?? '',
    adHocContactId: m.adHoc?.contactId ?? '',
    adHocJudgmentReference: m.adHoc?.judgmentReference ?? '',
    adHocJudgmentDate: m.adHoc?.judgmentDate ?? '',
  };
}
