import { Injectable, Logger } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '@carepact/audit';
import { DomainError, NotFoundError, ValidationError, formatDateFr, formatDateTimeFr, isDomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { IdentityRepository, StaffActor, assertCan, auditActor, visibleEstablishments } from '@carepact/identity';
import { OutboxService } from '@carepact/queue';
import { ResidentView, isMinor, todayIso } from '@carepact/residents';
import type { LoadedTemplate } from '@carepact/templates';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, QueryFailedError } from 'typeorm';
import { AVENANT_WITHOUT_CONTRACT_MESSAGE, DatedMeasureLike, assertDocumentTypeApplies, assertMeasureInForce } from '../document-type-rules';
import { DocumentsService } from '../documents.service';
import { DocumentsRepository } from '../documents.repository';
import { ARCHIVED_SINCE_SQL } from '../intermediate-archive';
import { BULK_RUN_KINDS, BulkItemStatus, BulkRunEntity, BulkRunItemEntity, BulkRunKind, BulkRunStatus } from './bulk-runs.entities';
import { BULK_AVENANT_EXISTS, SignedContract, TARIFF_AVENANT_PENDING, TariffCommonData, TariffLaterAvenantError, avenantExistsMessage, isTariffDate, parseTariffCommonData, tariffAvenantData, tariffAvenantDepartureError, tariffAvenantPendingSummary } from './tariff-avenant';

/** A chunk of a run: at most this many residents or this long, then a continuation job (no job runs for minutes). */
export const BULK_CHUNK_ITEMS = 50;
export const BULK_CHUNK_MS = 10_000;

/**
 * At most this many residents named in one request (`residentIds` or `excludedResidentIds`): an
 * establishment of any size, and more than the few thousand ids the API's ordinary body limit
 * holds. Without a list, a run takes every eligible resident of the establishment, whatever their number.
 */
export const BULK_RUN_MAX_LISTED_RESIDENTS = 20_000;

export interface BulkCandidate {
  residentId: string;
  firstName: string;
  lastName: string;
  room: string | null;
  eligible: boolean;
  /** Why the resident is excluded (French), with its stable code. */
  code: string | null;
  reason: string | null;
}

export interface StartBulkRunInput {
  establishmentId: string;
  kind: BulkRunKind;
  commonData: unknown;
  /** The residents chosen; all eligible residents of the establishment when absent. */
  residentIds?: string[];
  /** Without `residentIds`: the residents left out of all those of the establishment (the console's « Écarter »). */
  excludedResidentIds?: string[];
}

export interface BulkRunCounts {
  total: number;
  pending: number;
  created: number;
  /** Created and rendered (9 renditions stored). */
  generated: number;
  /** Created, but its generation failed (see the document). */
  generationFailed: number;
  skipped: number;
  failed: number;
  cancelled: number;
}

export interface BulkRunItemView {
  id: string;
  position: number;
  residentId: string;
  residentName: string;
  status: BulkItemStatus;
  documentId: string | null;
  documentStatus: string | null;
  code: string | null;
  message: string | null;
}

export interface BulkRunView {
  id: string;
  establishmentId: string;
  kind: BulkRunKind;
  documentType: string;
  status: BulkRunStatus;
  commonData: Record<string, unknown>;
  startedBy: { id: string; name: string | null };
  createdAt: string;
  finishedAt: string | null;
  counts: BulkRunCounts;
  /** Whether the page should keep refreshing: residents still to create, or documents still rendering. */
  inProgress: boolean;
  /** The residents that need attention: skipped, failed, or whose generation failed. */
  problems: BulkRunItemView[];
}

const KIND_DOCUMENT_TYPE: Record<BulkRunKind, 'avenant'> = { 'avenant-tarifs': 'avenant' };
const KIND_TITLES: Record<BulkRunKind, string> = { 'avenant-tarifs': 'Avenant tarifaire' };

/** The run of this kind already running for the establishment (at most one: `uq_bulk_runs_running`). */
export interface RunningBulkRun {
  id: string;
  kind: BulkRunKind;
  /** The run's effective date (AAAA-MM-JJ), when its common data has one. */
  effectiveOn: string | null;
  createdAt: string;
  startedByName: string | null;
  itemCount: number;
}

/** The console's progress page of a run (a path: the API answers with the configured public URL in front). */
export function bulkRunConsolePath(runId: string): string {
  return `/console/generations/${runId}`;
}

/** « Une génération groupée … est déjà en cours pour cet établissement … » (French), with the link to its progress when given. */
export function alreadyRunningMessage(r: RunningBulkRun, progressUrl?: string): string {
  const title = `${KIND_TITLES[r.kind]}${r.effectiveOn ? ` au ${formatDateFr(r.effectiveOn)}` : ''}`;
  const by = r.startedByName ? ` par ${r.startedByName}` : '';
  const residents = `${r.itemCount} résident${r.itemCount > 1 ? 's' : ''}`;
  return (
    `Une génération groupée est déjà en cours pour cet établissement : « ${title} », lancée le ${formatDateTimeFr(r.createdAt)}${by} (${residents}). ` +
    `Attendez qu’elle se termine, ou annulez-la, avant d’en lancer une autre.${progressUrl ? ` Sa progression : ${progressUrl}` : ''}`
  );
}

/**
 * 409: a run of the same kind is running for the establishment (two « Lancer » at once, or one
 * while the first still works): it names that run and links to its progress page.
 */
export class BulkRunAlreadyRunningError extends DomainError {
  constructor(
    readonly running: RunningBulkRun,
    progressUrl = bulkRunConsolePath(running.id),
  ) {
    super('conflict', 'BULK_RUN_ALREADY_RUNNING', alreadyRunningMessage(running, progressUrl));
  }
}

/** The partial unique index (one running run per establishment and kind) a concurrent start or retry meets. */
const RUNNING_INDEX = 'uq_bulk_runs_running';

function isRunningViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = (e as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' && driver.constraint === RUNNING_INDEX;
}

const NO_CONTRACT = { code: 'BULK_NO_SIGNED_CONTRACT', message: AVENANT_WITHOUT_CONTRACT_MESSAGE };

/**
 * Bulk generation (issue 10 item 7): one document type for many residents of an establishment —
 * the January tariff avenant. A run and one item per resident; the worker creates the documents
 * in chunks through DocumentsService.createIn (the same checks, versions, audit and outbox as one
 * document), marking each item in the transaction that creates its document. A worker killed
 * mid-run leaves every item either pending or created with its document: the job is delivered
 * again and continues with the pending ones, never creating a second document for anyone.
 *
 * One tariff avenant per resident and effective date, whatever the timing: the candidates leave
 * out a resident who already has one (BULK_AVENANT_EXISTS); one run of a kind runs at a time per
 * establishment (409 BULK_RUN_ALREADY_RUNNING, the partial unique index `uq_bulk_runs_running`
 * for simultaneous starts); and the worker checks again under the resident's row lock, skipping
 * the item when an avenant for the date exists by then.
 */
@Injectable()
export class BulkRunsService {
  private readonly log = new Logger('BulkRunsService');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly documents: DocumentsService,
    private readonly identity: IdentityRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly documentsRepo: DocumentsRepository,
  ) {}

  /**
   * The residents of an establishment, each with whether a tariff avenant can be made for them and,
   * when not, why: the document-type rules of `DocumentsService.typesFor` (an expired measure
   * blocks every document, C. civ. 441 to 443), and a signed contract or DIPC to amend. With an
   * effective date, a resident who already has a tariff avenant for it (not cancelled or refused, from a run
   * or made alone) is left out too: one tariff avenant per resident and effective date.
   */
  async candidates(actor: StaffActor, establishmentId: string, effectiveOn?: unknown): Promise<BulkCandidate[]> {
    assertCan(actor, 'resident.read', establishmentId);
    assertCan(actor, 'document.write', establishmentId);
    if (effectiveOn !== undefined && !isTariffDate(effectiveOn))
      throw new ValidationError([{ field: 'effectiveOn', code: 'INVALID_DATE', message: 'Date d’effet invalide : une date réelle au format AAAA-MM-JJ, par exemple 2027-01-01.' }]);
    const em = this.tx.manager;
    const est = await this.identity.findEstablishment(em, actor.organisationId, establishmentId);
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    // Set-based (a few queries whatever the number of residents), with the same rules as
    // DocumentsService.typesFor: document-type-rules' situation check and measure in force.
    const residents = (await em.query(
      `SELECT r.id, r.first_name, r.last_name, r.room, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, to_char(r.admission_date, 'YYYY-MM-DD') AS admission_date,
              r.stay_type, to_char(r.planned_end_date, 'YYYY-MM-DD') AS planned_end_date, r.parental_authority,
              to_char(r.departed_on, 'YYYY-MM-DD') AS departed_on, ${ARCHIVED_SINCE_SQL} AS archived_since
         FROM residents r JOIN organisations o ON o.id = r.organisation_id WHERE r.organisation_id = $1 AND r.establishment_id = $2`,
      [actor.organisationId, establishmentId],
    )) as {
      id: string;
      first_name: string;
      last_name: string;
      room: string | null;
      birth_date: string;
      admission_date: string;
      stay_type: string;
      planned_end_date: string | null;
      parental_authority: string | null;
      departed_on: string | null;
      archived_since: string | null;
    }[];
    const ids = residents.map((r) => r.id);
    const measures = new Map<string, DatedMeasureLike[]>();
    for (const m of (await em.query(
      `SELECT resident_id, type, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date,
              to_char(judgment_date, 'YYYY-MM-DD') AS judgment_date, to_char(mandate_effective_date, 'YYYY-MM-DD') AS mandate_effective_date
         FROM protection_measures WHERE organisation_id = $1 AND resident_id = ANY($2::uuid[])`,
      [actor.organisationId, ids],
    )) as { resident_id: string; type: DatedMeasureLike['type']; start_date: string | null; end_date: string | null; judgment_date: string; mandate_effective_date: string | null }[]) {
      const list = measures.get(m.resident_id) ?? [];
      list.push({ type: m.type, startDate: m.start_date, endDate: m.end_date, judgmentDate: m.judgment_date, mandateEffectiveDate: m.mandate_effective_date });
      measures.set(m.resident_id, list);
    }
    const refused = new Set(
      ((await em.query(`SELECT DISTINCT resident_id FROM documents WHERE organisation_id = $1 AND resident_id = ANY($2::uuid[]) AND type = 'contrat-sejour' AND status = 'refused'`, [
        actor.organisationId,
        ids,
      ])) as { resident_id: string }[]).map((r) => r.resident_id),
    );
    // With the date, each contract carries the resident's tariff avenants before it (CASF L.342-3: the base of the variation).
    const contracts = await this.signedContracts(em, actor.organisationId, ids, false, isTariffDate(effectiveOn) ? effectiveOn : undefined);
    const existing = effectiveOn ? await this.documentsRepo.tariffAvenantsOn(em, actor.organisationId, ids, effectiveOn) : new Map<string, unknown>();
    const today = todayIso();
    const out: BulkCandidate[] = residents.map((r) => {
      const base = { residentId: r.id, firstName: r.first_name, lastName: r.last_name, room: r.room };
      if (effectiveOn && existing.has(r.id)) return { ...base, eligible: false, code: BULK_AVENANT_EXISTS, reason: avenantExistsMessage(effectiveOn) };
      // Left before the date (before today without a date), or in the intermediate archive: no tariff avenant (CASF L.342-3).
      const departed = tariffAvenantDepartureError({
        departedOn: r.departed_on,
        archivedSince: r.archived_since && r.archived_since <= today ? r.archived_since : null,
        effectiveOn: isTariffDate(effectiveOn) ? effectiveOn : undefined,
      });
      if (departed) return { ...base, eligible: false, code: departed.code, reason: departed.messageFr };
      try {
        assertMeasureInForce(measures.get(r.id) ?? [], today);
        assertDocumentTypeApplies('avenant', {
          resident: {
            stayType: r.stay_type as ResidentView['stayType'],
            admissionDate: r.admission_date,
            plannedEndDate: r.planned_end_date,
            parentalAuthority: r.parental_authority as ResidentView['parentalAuthority'],
            minor: isMinor(r.birth_date, today),
          },
          establishmentCategory: est.category,
          contractRefused: refused.has(r.id),
          // contractSigned: checked below, with the bulk run's own code.
        });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return { ...base, eligible: false, code: e.code, reason: e.messageFr };
      }
      const contract = contracts.get(r.id);
      if (!contract) return { ...base, eligible: false, code: NO_CONTRACT.code, reason: NO_CONTRACT.message };
      // An earlier tariff avenant still awaiting signature: the price in force on the date is not known yet (TariffAvenantPendingError).
      // A tariff avenant already taking effect after the date: a new one before it would change its base (TariffLaterAvenantError).
      if (isTariffDate(effectiveOn) && contract.laterTariffAvenant) {
        const e = new TariffLaterAvenantError(effectiveOn, contract.laterTariffAvenant);
        return { ...base, eligible: false, code: e.code, reason: e.details[0].message };
      }
      if (isTariffDate(effectiveOn) && contract.pendingTariffAvenant)
        return { ...base, eligible: false, code: TARIFF_AVENANT_PENDING, reason: tariffAvenantPendingSummary(effectiveOn, contract.pendingTariffAvenant) };
      return { ...base, eligible: true, code: null, reason: null };
    });
    return out.sort((a, b) => a.lastName.localeCompare(b.lastName, 'fr') || a.firstName.localeCompare(b.firstName, 'fr'));
  }

  /** The common data, checked; a ValidationError with `commonData.<field>` errors otherwise. */
  checkCommonData(kind: unknown, raw: unknown): TariffCommonData {
    if (!BULK_RUN_KINDS.includes(kind as BulkRunKind))
      throw new ValidationError([{ field: 'kind', code: 'NOT_ALLOWED_VALUE', message: `Type de génération inconnu. Valeurs possibles : ${BULK_RUN_KINDS.join(', ')}.` }]);
    const { data, errors } = parseTariffCommonData(raw);
    if (!data) throw new ValidationError(errors, 'Les données communes sont invalides ou incomplètes.');
    return data;
  }

  /**
   * What one resident's document would be, without storing anything (the console's preview): the
   * same data as the run would build, through DocumentsService.preview.
   */
  async preview(actor: StaffActor, input: StartBulkRunInput, residentId: string): Promise<{ template: LoadedTemplate; input: Record<string, unknown> }> {
    assertCan(actor, 'document.write', input.establishmentId);
    const common = this.checkCommonData(input.kind, input.commonData);
    // Before the contract is read (its price would be in the refusals): no avenant after the departure, none in the intermediate archive.
    await this.documents.assertTariffAvenantApplies(this.tx.manager, actor.organisationId, residentId, common.effectiveOn);
    const contract = (await this.signedContracts(this.tx.manager, actor.organisationId, [residentId], true, common.effectiveOn)).get(residentId);
    if (!contract) throw new DomainError('conflict', NO_CONTRACT.code, NO_CONTRACT.message);
    return this.documents.preview(actor, { residentId, type: KIND_DOCUMENT_TYPE[input.kind], data: tariffAvenantData(common, contract) });
  }

  /** Starts a run: its items (eligible → pending, excluded → skipped with the reason), audited, and its first job. */
  async start(actor: StaffActor, input: StartBulkRunInput): Promise<BulkRunView> {
    const common = this.checkCommonData(input.kind, input.commonData);
    const est = await this.identity.findEstablishment(this.tx.manager, actor.organisationId, input.establishmentId);
    if (!est || !visibleEstablishments(actor).includes(est.id)) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    assertCan(actor, 'document.write', est.id);
    if (input.residentIds && input.excludedResidentIds)
      throw new ValidationError([
        {
          field: 'excludedResidentIds',
          code: 'BULK_SELECTION_CONFLICT',
          message: 'Donnez soit les résidents choisis (residentIds), soit ceux à écarter de tous les résidents de l’établissement (excludedResidentIds), pas les deux.',
        },
      ]);
    // A quick answer for the usual case (a run still working); simultaneous starts meet the index below.
    const running = await this.runningRun(this.tx.manager, actor.organisationId, est.id, input.kind);
    if (running) throw new BulkRunAlreadyRunningError(running);
    const candidates = await this.candidates(actor, est.id, common.effectiveOn);
    let chosen = candidates;
    if (input.residentIds) {
      const wanted = new Set(input.residentIds);
      chosen = candidates.filter((c) => wanted.has(c.residentId));
      if (chosen.length !== wanted.size)
        throw new ValidationError([{ field: 'residentIds', code: 'RESIDENT_NOT_FOUND', message: 'Certains résidents choisis ne sont pas dans cet établissement.' }]);
    } else if (input.excludedResidentIds) {
      const left = new Set(input.excludedResidentIds);
      chosen = candidates.filter((c) => !left.has(c.residentId));
      if (candidates.length - chosen.length !== left.size)
        throw new ValidationError([{ field: 'excludedResidentIds', code: 'RESIDENT_NOT_FOUND', message: 'Certains résidents écartés ne sont pas dans cet établissement.' }]);
    }
    if (!chosen.some((c) => c.eligible))
      throw new ValidationError([
        {
          field: 'residentIds',
          code: 'BULK_NO_ELIGIBLE_RESIDENT',
          message: chosen.length && chosen.every((c) => c.code === BULK_AVENANT_EXISTS)
            ? `Aucun des résidents choisis ne peut recevoir ce document : chacun a déjà un avenant tarifaire au ${formatDateFr(common.effectiveOn)}.`
            : 'Aucun des résidents choisis ne peut recevoir ce document : choisissez au moins un résident sans exclusion.',
        },
      ]);
    const runId = await this.onlyRunning(actor.organisationId, est.id, input.kind, () => this.tx.run(async (em) => {
      const run = em.create(BulkRunEntity, {
        organisationId: actor.organisationId,
        establishmentId: est.id,
        kind: input.kind,
        documentType: KIND_DOCUMENT_TYPE[input.kind],
        commonData: common as unknown as Record<string, unknown>,
        status: 'running',
        startedBy: actor.userId,
        itemCount: chosen.length,
        createdAt: new Date(),
        finishedAt: null,
      });
      await em.getRepository(BulkRunEntity).insert(run as never);
      // One statement for every item, from four arrays (position = order in `chosen`): no entity
      // objects or 500-row parameter lists for thousands of residents (issue 12: the api's memory
      // over a bulk run). An excluded resident is skipped with its code and French reason.
      await em.query(
        `INSERT INTO bulk_run_items (run_id, position, resident_id, status, code, message, processed_at)
         SELECT $1, c.position, c.resident_id, CASE WHEN c.eligible THEN 'pending' ELSE 'skipped' END, c.code, c.message, CASE WHEN c.eligible THEN NULL ELSE $2::timestamptz END
           FROM unnest($3::uuid[], $4::boolean[], $5::text[], $6::text[]) WITH ORDINALITY AS c(resident_id, eligible, code, message, position)`,
        [run.id, new Date(), chosen.map((c) => c.residentId), chosen.map((c) => c.eligible), chosen.map((c) => c.code), chosen.map((c) => c.reason)],
      );
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'bulk_run.started',
        subject: { type: 'bulk_run', id: run.id },
        payload: { establishmentId: est.id, kind: input.kind, ...common, residents: chosen.length, pending: chosen.filter((c) => c.eligible).length },
      });
      for (const c of chosen.filter((x) => !x.eligible))
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'bulk_run.item_skipped',
          subject: { type: 'bulk_run', id: run.id },
          payload: { residentId: c.residentId, code: c.code },
        });
      await this.outbox.enqueue(em, 'documents.bulk', { runId: run.id }, { key: `${run.id}_start`, organisationId: actor.organisationId });
      return run.id;
    }));
    return this.get(actor, runId);
  }

  async list(actor: StaffActor, establishmentId?: string): Promise<BulkRunView[]> {
    const scope = visibleEstablishments(actor).filter((e) => !establishmentId || e === establishmentId);
    if (!scope.length) return [];
    const runs = await this.tx.manager.find(BulkRunEntity, {
      where: { organisationId: actor.organisationId, establishmentId: In(scope) },
      order: { createdAt: 'DESC' },
      take: 50,
    });
    return Promise.all(runs.map((r) => this.view(this.tx.manager, r, false)));
  }

  async get(actor: StaffActor, id: string): Promise<BulkRunView> {
    return this.view(this.tx.manager, await this.scoped(this.tx.manager, actor, id, 'document.read'), true);
  }

  /** The run of this kind running for an establishment the person may see, if any (the console's form warns about it). */
  async running(actor: StaffActor, establishmentId: string, kind: BulkRunKind): Promise<RunningBulkRun | null> {
    if (!visibleEstablishments(actor).includes(establishmentId)) return null;
    return this.runningRun(this.tx.manager, actor.organisationId, establishmentId, kind);
  }

  /** Stops a run: residents not yet processed stay without document (items « cancelled »); audited. */
  async cancel(actor: StaffActor, id: string): Promise<BulkRunView> {
    await this.tx.run(async (em) => {
      const run = await this.scoped(em, actor, id, 'document.write', true);
      if (run.status !== 'running') throw new DomainError('conflict', 'BULK_RUN_NOT_RUNNING', 'Cette génération est déjà terminée ou annulée.');
      const res = (await em.query(`UPDATE bulk_run_items SET status = 'cancelled', processed_at = now() WHERE run_id = $1 AND status = 'pending' RETURNING id`, [run.id])) as [unknown[], number];
      await em.update(BulkRunEntity, { id: run.id }, { status: 'cancelled', finishedAt: new Date() });
      await this.audit.append(em, {
        chainId: run.organisationId,
        actor: auditActor(actor),
        action: 'bulk_run.cancelled',
        subject: { type: 'bulk_run', id: run.id },
        payload: { cancelledItems: Array.isArray(res[0]) ? res[0].length : 0 },
      });
    });
    return this.get(actor, id);
  }

  /** Gives the failed residents another try (their situation may have been corrected): pending again, a new job; audited. */
  async retryFailed(actor: StaffActor, id: string): Promise<BulkRunView> {
    const target = await this.scoped(this.tx.manager, actor, id, 'document.write');
    // Running again: another run of its kind may have started for the establishment meanwhile.
    await this.onlyRunning(target.organisationId, target.establishmentId, target.kind, () => this.tx.run(async (em) => {
      const run = await this.scoped(em, actor, id, 'document.write', true);
      if (run.status === 'cancelled') throw new DomainError('conflict', 'BULK_RUN_CANCELLED', 'Cette génération a été annulée : lancez-en une nouvelle.');
      const rows = (await em.query(
        `UPDATE bulk_run_items SET status = 'pending', code = NULL, message = NULL, processed_at = NULL WHERE run_id = $1 AND status = 'failed' RETURNING resident_id`,
        [run.id],
      )) as [{ resident_id: string }[], number];
      const retried = rows[0]?.length ?? 0;
      if (!retried) throw new DomainError('conflict', 'BULK_RUN_NOTHING_TO_RETRY', 'Aucun résident en échec dans cette génération : il n’y a rien à relancer.');
      await em.update(BulkRunEntity, { id: run.id }, { status: 'running', finishedAt: null });
      await this.audit.append(em, {
        chainId: run.organisationId,
        actor: auditActor(actor),
        action: 'bulk_run.retried',
        subject: { type: 'bulk_run', id: run.id },
        payload: { retriedItems: retried },
      });
      await this.outbox.enqueue(em, 'documents.bulk', { runId: run.id }, { key: `${run.id}_retry_${randomUUID()}`, organisationId: run.organisationId });
    }));
    return this.get(actor, id);
  }

  // --- the worker ----------------------------------------------------------------------------

  /**
   * One job of a run: creates documents for pending residents, one transaction each, for at most
   * BULK_CHUNK_ITEMS residents or BULK_CHUNK_MS; then, with its outbox row marked done, either
   * enqueues the continuation or finishes the run (audited). Delivered again after a crash, it
   * simply continues: the items already created are no longer pending.
   */
  async processChunk(outboxId: string, runId: string): Promise<{ processed: number; finished: boolean }> {
    const em = this.tx.manager;
    const done = (await em.query(`SELECT done_at FROM outbox WHERE id = $1`, [outboxId])) as { done_at: Date | null }[];
    if (done[0]?.done_at) return { processed: 0, finished: false };
    const run = await em.findOne(BulkRunEntity, { where: { id: runId } });
    if (!run || run.status !== 'running') {
      await this.outbox.complete(outboxId);
      return { processed: 0, finished: false };
    }
    const actor = await this.actorOf(em, run);
    const common = parseTariffCommonData(run.commonData).data;
    const until = Date.now() + BULK_CHUNK_MS;
    let processed = 0;
    while (processed < BULK_CHUNK_ITEMS && Date.now() < until) {
      if (!(await this.processNext(run, actor, common))) break;
      processed++;
    }
    let finished = false;
    await this.outbox.runOnce(outboxId, async (t) => {
      const [current] = (await t.query(`SELECT status FROM bulk_runs WHERE id = $1 FOR UPDATE`, [run.id])) as { status: BulkRunStatus }[];
      if (current?.status !== 'running') return;
      const [{ pending }] = (await t.query(`SELECT count(*)::int AS pending FROM bulk_run_items WHERE run_id = $1 AND status = 'pending'`, [run.id])) as { pending: number }[];
      if (pending > 0) {
        await this.outbox.enqueue(t, 'documents.bulk', { runId: run.id }, { key: `${run.id}_${randomUUID()}`, organisationId: run.organisationId });
        return;
      }
      await t.update(BulkRunEntity, { id: run.id }, { status: 'completed', finishedAt: new Date() });
      const counts = await this.counts(t, run.id);
      await this.audit.append(t, {
        chainId: run.organisationId,
        actor: auditActor(actor),
        action: 'bulk_run.finished',
        subject: { type: 'bulk_run', id: run.id },
        payload: { created: counts.created, skipped: counts.skipped, failed: counts.failed },
      });
      finished = true;
    });
    return { processed, finished };
  }

  /** The next pending resident of the run, in its own transaction; false when none is left. */
  private async processNext(run: BulkRunEntity, actor: StaffActor, common: TariffCommonData | null): Promise<boolean> {
    let item: { id: string; resident_id: string } | undefined;
    try {
      return await this.tx.run(async (em) => {
        [item] = (await em.query(
          `SELECT i.id, i.resident_id FROM bulk_run_items i JOIN bulk_runs r ON r.id = i.run_id
            WHERE i.run_id = $1 AND i.status = 'pending' AND r.status = 'running'
            ORDER BY i.position LIMIT 1 FOR UPDATE OF i SKIP LOCKED`,
          [run.id],
        )) as { id: string; resident_id: string }[];
        if (!item) return false;
        if (!common) throw new DomainError('invalid', 'BULK_COMMON_DATA_INVALID', 'Les données communes de cette génération sont invalides.');
        // The resident's row, locked until this transaction ends, then the check: another item
        // creating this resident's avenant (an earlier run's, still being written, or one made
        // alone) is committed before the check reads, so a resident never gets two tariff avenants
        // for one date (the same check as DocumentsService.createIn, which makes them one by one).
        const existing = await this.documents.tariffAvenantUnderLock(em, run.organisationId, item.resident_id, common.effectiveOn);
        if (existing) {
          await em.query(`UPDATE bulk_run_items SET status = 'skipped', code = $2, message = $3, processed_at = now() WHERE id = $1`, [
            item.id,
            BULK_AVENANT_EXISTS,
            avenantExistsMessage(common.effectiveOn),
          ]);
          await this.audit.append(em, {
            chainId: run.organisationId,
            actor: auditActor(actor),
            action: 'bulk_run.item_skipped',
            subject: { type: 'bulk_run', id: run.id },
            payload: { residentId: item.resident_id, code: BULK_AVENANT_EXISTS, documentId: existing.documentId },
          });
          return true;
        }
        // A departure recorded since the run started (or the archive): the item fails with the reason, before the contract is read.
        await this.documents.assertTariffAvenantApplies(em, run.organisationId, item.resident_id, common.effectiveOn);
        // The price in force on the run's date, read under the resident's lock: their last signed tariff avenant before it, else the contract (CASF L.342-3).
        const contract = (await this.signedContracts(em, run.organisationId, [item.resident_id], true, common.effectiveOn)).get(item.resident_id);
        if (!contract) throw new DomainError('conflict', NO_CONTRACT.code, NO_CONTRACT.message);
        const data = tariffAvenantData(common, contract);
        const doc = await this.documents.createIn(em, actor, { residentId: item.resident_id, type: run.documentType as 'avenant', data }, contract);
        await em.update(BulkRunItemEntity, { id: item.id }, { status: 'created', documentId: doc.id, processedAt: new Date() });
        return true;
      });
    } catch (e) {
      // Infrastructure errors (database, Redis) fail the job, which is retried; the item stays pending.
      if (!item || !isDomainError(e)) throw e;
      const failedItem = item;
      const details = e.details.length ? ` ${e.details.map((d) => d.message).join(' ')}` : '';
      const message = `${e.messageFr}${details}`.slice(0, 2000);
      await this.tx.run(async (em) => {
        const res = (await em.query(
          `UPDATE bulk_run_items SET status = 'failed', code = $2, message = $3, processed_at = now() WHERE id = $1 AND status = 'pending' RETURNING id`,
          [failedItem.id, e.code, message],
        )) as [unknown[], number];
        if (!res[0]?.length) return;
        await this.audit.append(em, {
          chainId: run.organisationId,
          actor: auditActor(actor),
          action: 'bulk_run.item_failed',
          subject: { type: 'bulk_run', id: run.id },
          payload: { residentId: failedItem.resident_id, code: e.code },
        });
      });
      this.log.warn({ runId: run.id, itemId: failedItem.id, code: e.code }, 'bulk item failed');
      return true;
    }
  }

  /**
   * The run's job failed for good (its attempts exhausted by technical errors): in the transaction
   * that marks its outbox row failed, the residents still pending are marked failed, so the run
   * ends and staff can retry them (retryFailed), instead of a progress bar that never moves.
   */
  async jobFailed(em: EntityManager, runId: string, failureCode: string): Promise<void> {
    const [run] = (await em.query(`SELECT id, organisation_id, status FROM bulk_runs WHERE id = $1 FOR UPDATE`, [runId])) as { id: string; organisation_id: string; status: BulkRunStatus }[];
    if (!run || run.status !== 'running') return;
    const res = (await em.query(
      `UPDATE bulk_run_items SET status = 'failed', code = 'BULK_JOB_FAILED', message = $2, processed_at = now() WHERE run_id = $1 AND status = 'pending' RETURNING id`,
      [run.id, 'La génération groupée a été interrompue par une erreur technique : relancez les résidents en échec.'],
    )) as [unknown[], number];
    await em.update(BulkRunEntity, { id: run.id }, { status: 'completed', finishedAt: new Date() });
    await this.audit.append(em, {
      chainId: run.organisation_id,
      actor: SYSTEM_ACTOR,
      action: 'bulk_run.finished',
      subject: { type: 'bulk_run', id: run.id },
      payload: { interrupted: true, failureCode, failedItems: res[0]?.length ?? 0 },
    });
  }

  /** The documents are created in the name of whoever started the run, with their roles today. */
  private async actorOf(em: EntityManager, run: BulkRunEntity): Promise<StaffActor> {
    const user = await this.identity.findUserById(em, run.startedBy);
    const roles = user?.active ? await this.identity.rolesOf(em, user.id) : [];
    return {
      kind: 'staff',
      userId: run.startedBy,
      organisationId: run.organisationId,
      email: user?.email ?? '',
      name: user?.name ?? '',
      sessionId: '',
      roles: roles.map((r) => ({ establishmentId: r.establishmentId, role: r.role })),
    };
  }

  // --- internals -----------------------------------------------------------------------------

  /** The run of this kind running for the establishment, if any. */
  private async runningRun(em: EntityManager, organisationId: string, establishmentId: string, kind: BulkRunKind): Promise<RunningBulkRun | null> {
    const run = await em.findOne(BulkRunEntity, { where: { organisationId, establishmentId, kind, status: 'running' }, order: { createdAt: 'ASC' } });
    if (!run) return null;
    const starter = await this.identity.findUserById(em, run.startedBy);
    const effectiveOn = run.commonData.effectiveOn;
    return {
      id: run.id,
      kind: run.kind,
      effectiveOn: isTariffDate(effectiveOn) ? effectiveOn : null,
      createdAt: run.createdAt.toISOString(),
      startedByName: starter?.name ?? null,
      itemCount: run.itemCount,
    };
  }

  /**
   * Work that makes a run « running » (a start, a retry): when another run of the kind got there
   * first — two requests at once, the partial unique index `uq_bulk_runs_running` refusing the
   * second — a 409 naming that run instead of a 500.
   */
  private async onlyRunning<T>(organisationId: string, establishmentId: string, kind: BulkRunKind, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isRunningViolation(e)) throw e;
      // The index waited for the other transaction: it is committed, and its run readable.
      const running = await this.runningRun(this.tx.manager, organisationId, establishmentId, kind);
      if (running) throw new BulkRunAlreadyRunningError(running);
      throw new DomainError('conflict', 'BULK_RUN_ALREADY_RUNNING', 'Une autre génération groupée vient d’être lancée pour cet établissement : consultez les générations groupées avant d’en lancer une autre.');
    }
  }

  /**
   * Each resident's latest signed contrat de séjour or DIPC (DocumentsRepository.signedContracts);
   * with an effective date, with the tariff avenants before it that make the price in force.
   */
  private signedContracts(em: EntityManager, organisationId: string, residentIds: string[], withInput = true, effectiveOn?: string): Promise<Map<string, SignedContract>> {
    return this.documentsRepo.signedContracts(em, organisationId, residentIds, withInput, effectiveOn ? { effectiveOn } : undefined);
  }

  private async scoped(em: EntityManager, actor: StaffActor, id: string, permission: 'document.read' | 'document.write', lock = false): Promise<BulkRunEntity> {
    const scope = visibleEstablishments(actor);
    const run = scope.length
      ? await em.findOne(BulkRunEntity, { where: { id, organisationId: actor.organisationId, establishmentId: In(scope) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!run) throw new NotFoundError('BULK_RUN_NOT_FOUND', 'Génération groupée introuvable.');
    assertCan(actor, permission, run.establishmentId);
    return run;
  }

  private async counts(em: EntityManager, runId: string): Promise<BulkRunCounts> {
    const rows = (await em.query(
      `SELECT i.status, d.status AS document_status, count(*)::int AS n
         FROM bulk_run_items i LEFT JOIN documents d ON d.id = i.document_id
        WHERE i.run_id = $1 GROUP BY 1, 2`,
      [runId],
    )) as { status: BulkItemStatus; document_status: string | null; n: number }[];
    const c: BulkRunCounts = { total: 0, pending: 0, created: 0, generated: 0, generationFailed: 0, skipped: 0, failed: 0, cancelled: 0 };
    for (const r of rows) {
      c.total += r.n;
      c[r.status] += r.n;
      if (r.status === 'created' && r.document_status === 'generation_failed') c.generationFailed += r.n;
      else if (r.status === 'created' && r.document_status !== 'generating') c.generated += r.n;
    }
    return c;
  }

  private async view(em: EntityManager, run: BulkRunEntity, withProblems: boolean): Promise<BulkRunView> {
    const counts = await this.counts(em, run.id);
    const starter = await this.identity.findUserById(em, run.startedBy);
    const problems = withProblems
      ? (
          (await em.query(
            `SELECT i.id, i.position, i.resident_id, i.status, i.document_id, i.code, i.message, d.status AS document_status, res.first_name, res.last_name
               FROM bulk_run_items i JOIN residents res ON res.id = i.resident_id LEFT JOIN documents d ON d.id = i.document_id
              WHERE i.run_id = $1 AND (i.status IN ('skipped', 'failed') OR d.status = 'generation_failed')
              ORDER BY i.position LIMIT 1000`,
            [run.id],
          )) as { id: string; position: number; resident_id: string; status: BulkItemStatus; document_id: string | null; code: string | null; message: string | null; document_status: string | null; first_name: string; last_name: string }[]
        ).map(
          (r): BulkRunItemView => ({
            id: r.id,
            position: r.position,
            residentId: r.resident_id,
            residentName: `${r.first_name} ${r.last_name}`,
            status: r.status,
            documentId: r.document_id,
            documentStatus: r.document_status,
            code: r.code ?? (r.document_status === 'generation_failed' ? 'DOCUMENT_GENERATION_FAILED' : null),
            message: r.message ?? (r.document_status === 'generation_failed' ? 'Le document a été créé mais sa génération a échoué : ouvrez-le pour la relancer.' : null),
          }),
        )
      : [];
    return {
      id: run.id,
      establishmentId: run.establishmentId,
      kind: run.kind,
      documentType: run.documentType,
      status: run.status,
      commonData: run.commonData,
      startedBy: { id: run.startedBy, name: starter?.name ?? null },
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      counts,
      inProgress: run.status === 'running' || counts.created > counts.generated + counts.generationFailed,
      problems,
    };
  }
}
