import { Injectable } from '@nestjs/common';
import { AuditAppend, AuditService } from '@carepact/audit';
import { DomainError, FieldError, NotFoundError, ValidationError, addSpan, documentSubtypeOf, formatDateFr, since, timed, type DocumentSubtype } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { StaffActor, assertCan, auditActor, requireVisible, visibleEstablishments } from '@carepact/identity';
import { OutboxService } from '@carepact/queue';
import { RENDERER_VERSION, inputHash, templates, validateTemplateInput } from '@carepact/rendering';
import { ResidentsService, applicableMeasure, isMinor, todayIso } from '@carepact/residents';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BlobStore } from './blob-store';
import { DocumentLifecycle } from './document-lifecycle.service';
import { CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE, assertDocumentTypeApplies, assertMeasureInForce, avenantSubtypeFor, participationError } from './document-type-rules';
import type { LoadedTemplate } from '@carepact/templates';
import { DOCUMENT_TYPES, DocumentEntity, DocumentType, DocumentVersionEntity, RenditionEntity } from './documents.entities';
import { CONTRACT_IN_FORCE_SQL, CONTRACT_REFUSED_SQL, DocumentsRepository } from './documents.repository';
import { GENERATION_RETRIES_EXHAUSTED, GenerationError, dataFailureOf, generationErrorOf } from './generation-errors';
import type { CreateDocumentInput, DocumentView, Download, RenditionView, VersionView } from './documents.types';
import { templateInputOf } from './template-input';
import { GenerationChecks } from './generation-checks';
import { CONTRACT_NOT_SUPERSEDED, DOCUMENT_DISCARDED_ACTION, DOCUMENT_NOT_A_DRAFT, SUPERSEDABLE_CONTRACT_STATUSES, SUPERSEDED_CONTRACT_REASON, deceasedDraftReason, supersededContractSql } from './superseded-contract';
import { AvenantAlreadyExistsError, ExistingTariffAvenant, SignedContract, checkTypedTariffChange, documentConsolePath, tariffAvenantDepartureError, tariffEffectiveOnOf } from './bulk/tariff-avenant';
import type { VersionAnnex } from './annexes/annex-files.entities';
import { AnnexFilesRepository } from './annexes/annex-files.repository';
import { annexAuditEntries } from './annexes/annex-audit';
import { ANNEX_HANDOVER_IN_FUTURE, annexHandoverDay, annexHandoverInFuture } from './annexes/annex-handover';
import {
  ARCHIVED_SINCE_SQL,
  RESIDENT_ARCHIVED,
  assertArchiveOpen,
  assertArchivesOpen,
  assertNoNewDocumentFor,
  assertNoNewDocumentFrom,
  newDocumentArchivedMessage,
  residentArchivedFrom,
} from './intermediate-archive';
import { RESIDENT_DECEASED, assertNotDeceased, deceasedRefusalOf, deceasedSubjectOf } from './resident-deceased';

/**
 * What a new document or version reads with the resident's file, in its one statement (issue 12:
 * three statements were one): her establishment (as IdentityRepository.findEstablishment gives it)
 * and her intermediate-archive state (the day she left and ARCHIVED_SINCE_SQL, for
 * assertNoNewDocumentFrom: the rule of assertNoNewDocumentFor). Held here: the statement is built
 * once per DataSource for this object.
 */
const FILE_FOR_A_DOCUMENT = { establishment: true, columns: { departedOn: 'r.departed_on::text', archivedSince: ARCHIVED_SINCE_SQL } } as const;

/**
 * FILE_FOR_A_DOCUMENT and, for a new document (its creation, its preview, the console's list of
 * types), the resident's contract state in the same statement (issue 12: the refused contract and
 * the contract in force of this admission, CONTRACT_REFUSED_SQL and CONTRACT_IN_FORCE_SQL, were a
 * statement of their own). A correction (addVersion) does not check them: FILE_FOR_A_DOCUMENT.
 */
const FILE_FOR_A_NEW_DOCUMENT = {
  establishment: true,
  columns: { ...FILE_FOR_A_DOCUMENT.columns, contractRefused: CONTRACT_REFUSED_SQL, contractInForce: CONTRACT_IN_FORCE_SQL },
} as const;

/** The contract state read with the file (FILE_FOR_A_NEW_DOCUMENT). */
function contractStateFrom(columns: Readonly<Record<string, unknown>>): { refused: boolean; inForce: 'signed' | 'in_progress' | null } {
  if (typeof columns.contractRefused !== 'boolean') throw new Error('contractStateFrom: the file was read without FILE_FOR_A_NEW_DOCUMENT');
  return { refused: columns.contractRefused, inForce: columns.contractInForce as 'signed' | 'in_progress' | null };
}

/** Request data errors point at `data.<field>`; template schema paths start at `document.`. */
function toRequestFields(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, field: e.field.startsWith('document.') ? `data.${e.field.slice(9)}` : e.field === 'document' ? 'data' : e.field }));
}

@Injectable()
export class DocumentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: DocumentsRepository,
    private readonly residents: ResidentsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly blobs: BlobStore,
    private readonly lifecycle: DocumentLifecycle,
    private readonly annexFiles: AnnexFilesRepository,
    private readonly checks: GenerationChecks,
  ) {}

  /** Creates a document and requests its first version; generation runs in the worker. */
  async create(actor: StaffActor, input: CreateDocumentInput): Promise<{ id: string; versionId: string; status: string }> {
    if (!DOCUMENT_TYPES.includes(input.type))
      throw new ValidationError([{ field: 'type', code: 'NOT_ALLOWED_VALUE', message: `Type inconnu. Valeurs possibles : ${DOCUMENT_TYPES.join(', ')}.` }]);
    return timed('api: create document (transaction)', () => this.tx.run((em) => this.createIn(em, actor, input)));
  }

  /**
   * `create` inside the caller's transaction: bulk runs mark their item created in the same
   * transaction as the document, so a worker killed between the two can never leave one without
   * the other (libs/documents bulk).
   */
  async createIn(
    em: EntityManager,
    actor: StaffActor,
    input: CreateDocumentInput,
    /**
     * A bulk run's worker has, in this transaction and under the resident's lock, found no tariff
     * avenant for the date and read the signed contract with its price in force (CASF L.342-3):
     * the data are checked against that contract instead of reading both again.
     */
    lockedTariffContract?: SignedContract,
  ): Promise<{ id: string; versionId: string; status: string }> {
    if (!DOCUMENT_TYPES.includes(input.type))
      throw new ValidationError([{ field: 'type', code: 'NOT_ALLOWED_VALUE', message: `Type inconnu. Valeurs possibles : ${DOCUMENT_TYPES.join(', ')}.` }]);
    const prepared = await this.prepare(em, actor, input.residentId, input.type, input.data);
    const { resident, template } = prepared;
    let { snapshot } = prepared;
    // One tariff avenant per resident and effective date, as a bulk run makes them: checked under
    // the resident's row lock, so that two simultaneous requests cannot both pass.
    const effectiveOn = input.type === 'avenant' ? tariffEffectiveOnOf(snapshot.document) : null;
    if (effectiveOn) await this.assertTariffAvenantApplies(em, actor.organisationId, resident.id, effectiveOn);
    if (effectiveOn && lockedTariffContract) snapshot = checkedAgainstPriceInForce(snapshot, lockedTariffContract);
    else if (effectiveOn) {
      const existing = await this.tariffAvenantUnderLock(em, actor.organisationId, resident.id, effectiveOn);
      if (existing) throw new AvenantAlreadyExistsError(effectiveOn, existing);
      snapshot = await this.withPriceInForce(em, actor.organisationId, resident.id, snapshot, effectiveOn);
    }
    const now = new Date();
    // A new document is born generating its version 1, the current one: both ids are known here,
    // so neither the version number nor the current version needs another statement.
    const firstVersionId = randomUUID();
    const doc = em.create(DocumentEntity, {
      // Made here, as the version's (the column's default is never used: requestVersion's INSERT names every column).
      id: randomUUID(),
      organisationId: actor.organisationId,
      establishmentId: resident.establishmentId,
      residentId: resident.id,
      type: input.type,
      // What an avenant amends, for its name everywhere (documentSubtypeOf): from this version's data.
      subtype: documentSubtypeOf(input.type, (snapshot as { document?: unknown }).document),
      status: 'generating',
      currentVersionId: firstVersionId,
      createdBy: actor.system ? null : actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    // Written by requestVersion with its version 1 and the render job, in one plain INSERT statement
    // (issue 12). The audit events come last: appending locks the organisation's chain head until
    // the commit, so the rows are written first and the lock is held for two appends only (bulk runs
    // create documents while the worker's renders append to the same chain).
    const version = await this.requestVersion(
      em,
      actor,
      doc,
      snapshot,
      'Création du document',
      {
        action: 'document.created',
        subject: { type: 'document', id: doc.id },
        payload: { residentId: resident.id, type: input.type },
      },
      { id: firstVersionId, number: 1 },
      template,
    );
    return { id: doc.id, versionId: version.id, status: doc.status };
  }

  /**
   * The resident's tariff avenant for `effectiveOn` (not closed), read under the resident's row
   * lock held until `em`'s transaction ends: the one check before creating one, by a bulk run's
   * worker (which then skips the resident, BULK_AVENANT_EXISTS) or by `createIn` (409
   * AVENANT_ALREADY_EXISTS), or by `addVersion` correcting one (`exceptDocumentId`: the avenant
   * corrected is not its own duplicate). Another transaction creating or correcting one for this
   * resident has committed by the time the lock is granted, so its avenant is seen.
   */
  async tariffAvenantUnderLock(em: EntityManager, organisationId: string, residentId: string, effectiveOn: string, exceptDocumentId?: string): Promise<ExistingTariffAvenant | null> {
    if (!(await this.repo.lockResident(em, organisationId, residentId))) throw new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.');
    return (await this.repo.tariffAvenantsOn(em, organisationId, [residentId], effectiveOn, exceptDocumentId)).get(residentId) ?? null;
  }

  /** A change is a new version with its reason; a generated version is never edited. */
  async addVersion(actor: StaffActor, documentId: string, data: Record<string, unknown>, reason: string): Promise<{ id: string; versionId: string; status: string }> {
    if (!reason || reason.trim().length < 3)
      throw new ValidationError([{ field: 'reason', code: 'REQUIRED', message: 'Indiquez la raison de cette nouvelle version.' }]);
    return this.tx.run(async (em) => {
      const doc = await this.scoped(em, actor, documentId, 'document.write');
      await this.repo.lockDocument(em, doc.id);
      if (doc.status === 'signed')
        throw new DomainError('conflict', 'DOCUMENT_SIGNED_USE_AVENANT', 'Ce document est signé : une modification se fait par un avenant, conclu dans les mêmes conditions (CASF L.311-4).');
      if (doc.status === 'in_signature')
        throw new DomainError('conflict', 'DOCUMENT_IN_SIGNATURE', 'Ce document est en cours de signature : annulez la demande de signature avant de le corriger.');
      if (doc.status === 'refused' || doc.status === 'cancelled')
        throw new DomainError('conflict', 'DOCUMENT_CLOSED', 'Ce document est clos (refusé ou annulé) : créez un nouveau document.');
      const checked = await this.prepare(em, actor, doc.residentId, doc.type, data, doc.id);
      let { snapshot } = checked;
      // A new version of a contract is still a second contract when another one of the admission it
      // is made for is signed (CASF L.311-4, D.311: amended by avenant). The signature request checks
      // it again under the resident's lock (libs/signing contract-in-force.ts).
      if (doc.type === 'contrat-sejour') {
        const admission = (snapshot as { resident?: { admissionDate?: string } }).resident?.admissionDate;
        if ((await this.repo.otherContractsOfAdmission(em, doc.id, admission)).some((o) => o.status === 'signed'))
          throw new DomainError('conflict', CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE);
      }
      // A correction may move a tariff avenant's effective date: onto one for which the resident has
      // another, it is refused as `createIn` refuses a second one, under the same lock.
      const effectiveOn = doc.type === 'avenant' ? tariffEffectiveOnOf(snapshot.document) : null;
      if (effectiveOn) {
        await this.assertTariffAvenantApplies(em, actor.organisationId, doc.residentId, effectiveOn);
        const existing = await this.tariffAvenantUnderLock(em, actor.organisationId, doc.residentId, effectiveOn, doc.id);
        if (existing) throw new AvenantAlreadyExistsError(effectiveOn, existing);
        snapshot = await this.withPriceInForce(em, actor.organisationId, doc.residentId, snapshot, effectiveOn, doc.id);
      }
      const version = await this.requestVersion(em, actor, doc, snapshot, `Correction avant signature : ${reason.trim()}`, undefined, undefined, checked.template);
      // The name follows the current version's data, as the signature policy does (a correction may change what an avenant amends).
      const subtype = documentSubtypeOf(doc.type, (snapshot as { document?: unknown }).document);
      if (subtype !== doc.subtype) await em.update(DocumentEntity, { id: doc.id }, { subtype });
      return { id: doc.id, versionId: version.id, status: 'generating' };
    });
  }

  /** The console's forms for a new document or version refuse to open for a person in the intermediate archive (409 RESIDENT_ARCHIVED, as `prepare`). */
  async assertNoNewDocument(actor: StaffActor, residentId: string): Promise<void> {
    await assertNoNewDocumentFor(this.tx.manager, actor.organisationId, residentId);
  }

  /**
   * Starts the failed generation of the current version again (its data are fine: every attempt
   * met an error). A new outbox row (new key) carries the job; the failed one stays as it was.
   * A draft contrat de séjour another contract of whose stay is signed (superseded-contract.ts) is
   * refused, 409 CONTRACT_ALREADY_IN_FORCE as its new version and its sending (one contract per stay,
   * amended by avenant: CASF L.311-4, D.311): it may only be abandoned. A contract's resident is
   * locked before its document, the order of the signature's (contract-in-force.ts), so a contract
   * concluded meanwhile is seen.
   * A person recorded as deceased: refused 409 RESIDENT_DECEASED as her draft's new version would be
   * (addVersion, `prepare`: C. civ. 443 al. 1, resident-deceased.ts) — the minutes of a meeting held on
   * or before the death excepted, by the same rule on the version's data (deceasedRefusals says it
   * beforehand). Any document's resident is locked before it, so a death recorded meanwhile (its
   * resident row locked, RetentionService.recordDeparture) is seen.
   */
  async retryGeneration(actor: StaffActor, documentId: string): Promise<{ id: string; versionId: string; status: string }> {
    return this.tx.run(async (em) => {
      const scoped = await this.scoped(em, actor, documentId, 'document.write');
      await this.repo.lockResident(em, scoped.organisationId, scoped.residentId);
      const doc = (await this.repo.lockDocument(em, scoped.id)) ?? scoped;
      const version = doc.currentVersionId ? await this.repo.findVersion(em, doc.id, doc.currentVersionId) : null;
      if (doc.status !== 'generation_failed' || !version)
        throw new DomainError('conflict', 'DOCUMENT_GENERATION_NOT_FAILED', 'La génération de ce document n’a pas échoué : il n’y a rien à relancer.');
      // Read under the resident's lock; the version rendered again is the current one, its data the meeting's date.
      const deceasedOn = await this.deceasedOnOf(em, doc);
      if (deceasedOn) assertNotDeceased({ deceasedOn }, 'document', deceasedSubjectOf(doc.type, (await this.repo.versionInput(em, version.id))?.input));
      if (doc.type === 'contrat-sejour' && (await this.repo.otherContractsOfAdmission(em, doc.id)).some((o) => o.status === 'signed'))
        throw new DomainError('conflict', CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE);
      if (version.status !== 'pending')
        throw new DomainError(
          'conflict',
          'DOCUMENT_GENERATION_NOT_RETRYABLE',
          'Les données de cette version ne permettent pas de générer le document : corrigez-les en créant une nouvelle version.',
        );
      await em.update(DocumentVersionEntity, { id: version.id }, { errorCode: null });
      await this.lifecycle.markGenerationRetried(em, doc.id);
      await this.outbox.enqueue(em, 'documents.render', { versionId: version.id }, { key: `${version.id}_retry_${randomUUID()}`, organisationId: doc.organisationId });
      await this.audit.append(em, {
        chainId: doc.organisationId,
        actor: auditActor(actor),
        action: 'document.generation_retried',
        subject: { type: 'document', id: doc.id },
        payload: { versionId: version.id, previousErrorCode: version.errorCode },
      });
      return { id: doc.id, versionId: version.id, status: 'generating' };
    });
  }

  /**
   * The signed contrat de séjour of the stay of this draft contract (another one than it), or null:
   * a draft so superseded is neither corrected nor sent (CASF L.311-4, D.311; superseded-contract.ts).
   * Only for a contract not in signature, signed or refused (those have their own history).
   */
  async contractInForceOver(actor: StaffActor, documentId: string): Promise<{ id: string } | null> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId, 'document.read');
    if (doc.type !== 'contrat-sejour' || !(SUPERSEDABLE_CONTRACT_STATUSES as readonly string[]).includes(doc.status)) return null;
    const signed = (await this.repo.otherContractsOfAdmission(em, doc.id)).find((o) => o.status === 'signed');
    return signed ? { id: signed.id } : null;
  }

  /**
   * Of this resident's contracts not sent (being generated, ready, failed) or abandoned, those another
   * contract of whose stay is signed (superseded-contract.ts): the resident's file names them as such,
   * not « prêt ». The caller has checked the resident's access.
   */
  async supersededContractsOf(actor: StaffActor, residentId: string): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `SELECT d.id FROM documents d
        WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[]) AND d.resident_id = $3
          AND d.status = ANY($4::text[]) AND ${supersededContractSql('d')}`,
      [actor.organisationId, visibleEstablishments(actor), residentId, SUPERSEDABLE_CONTRACT_STATUSES],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Abandons a draft never sent for signature (ready, or its generation failed) that can no longer be
   * concluded, so that it does not stay « prêt » for ever: a contrat de séjour superseded by another
   * contract of its stay, signed (one contract per stay, CASF L.311-4, D.311), or any draft of a person
   * recorded as deceased (nothing new is sent for her, C. civ. 443 al. 1, resident-deceased.ts; the
   * minutes of a meeting before the death, still sendable, may be abandoned too). The document becomes
   * `cancelled` (its versions and files kept), audited `document.discarded` with the contract in force
   * or the day of the death, and the reason. Under the resident's lock, then the document's (the order
   * of the signature's, contract-in-force.ts). Refused: not a draft (409 DOCUMENT_NOT_A_DRAFT), a living
   * person's draft not superseded (409 CONTRACT_NOT_SUPERSEDED: correct and send it instead), the
   * person in the intermediate archive (409 RESIDENT_ARCHIVED).
   */
  async discardSupersededContract(actor: StaffActor, documentId: string): Promise<{ id: string; status: 'cancelled'; contractInForceId: string | null; deceasedOn: string | null }> {
    return this.tx.run(async (em) => {
      const scoped = await this.scoped(em, actor, documentId, 'document.write');
      await this.repo.lockResident(em, scoped.organisationId, scoped.residentId);
      const doc = (await this.repo.lockDocument(em, scoped.id)) ?? scoped;
      await assertNoNewDocumentFor(em, actor.organisationId, doc.residentId);
      if (doc.status !== 'ready' && doc.status !== 'generation_failed')
        throw new DomainError('conflict', DOCUMENT_NOT_A_DRAFT, 'Seul un projet prêt, ou dont la génération a échoué, peut être abandonné.');
      const signed = doc.type === 'contrat-sejour' ? (await this.repo.otherContractsOfAdmission(em, doc.id)).find((o) => o.status === 'signed') : undefined;
      // Read under the resident's lock: a death recorded meanwhile is seen.
      const [r] = (await em.query(`SELECT deceased_on::text AS deceased FROM residents WHERE id = $1 AND organisation_id = $2`, [doc.residentId, doc.organisationId])) as { deceased: string | null }[];
      const deceasedOn = r?.deceased ?? null;
      if (!signed && !deceasedOn)
        throw new DomainError(
          'conflict',
          CONTRACT_NOT_SUPERSEDED,
          'Ce projet peut encore être corrigé et envoyé en signature : seul le projet d’une personne décédée, ou un projet de contrat de séjour dont le séjour a déjà un contrat signé, peut être abandonné.',
        );
      await this.lifecycle.markDiscarded(em, doc.id);
      await this.audit.append(em, {
        chainId: doc.organisationId,
        actor: auditActor(actor),
        action: DOCUMENT_DISCARDED_ACTION,
        subject: { type: 'document', id: doc.id },
        payload: {
          previousStatus: doc.status,
          versionId: doc.currentVersionId,
          contractInForceId: signed?.id ?? null,
          ...(deceasedOn ? { deceasedOn } : {}),
          reason: signed ? SUPERSEDED_CONTRACT_REASON : deceasedDraftReason(formatDateFr(deceasedOn!)),
        },
      });
      return { id: doc.id, status: 'cancelled', contractInForceId: signed?.id ?? null, deceasedOn };
    });
  }

  /**
   * Who abandoned this document and when (its `document.discarded` audit event, the latest), or null:
   * the abandoned draft's page says it. `by` the staff account's name (as the document's history names
   * it), null for a system actor or an account since removed.
   */
  async discardedBy(actor: StaffActor, documentId: string): Promise<{ at: string; by: string | null; reason: string | null } | null> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId, 'document.read');
    if (doc.status !== 'cancelled') return null;
    const [e] = (await em.query(
      `SELECT e.occurred_at, u.name, e.payload->>'reason' AS reason FROM audit_events e
         LEFT JOIN staff_users u ON e.actor_type = 'staff' AND u.id::text = e.actor_id AND u.organisation_id = $1
        WHERE e.chain_id = $1 AND e.subject_type = 'document' AND e.subject_id = $2 AND e.action = $3 ORDER BY e.seq DESC LIMIT 1`,
      [doc.organisationId, doc.id, DOCUMENT_DISCARDED_ACTION],
    )) as { occurred_at: Date; name: string | null; reason: string | null }[];
    return e ? { at: new Date(e.occurred_at).toISOString(), by: e.name, reason: e.reason } : null;
  }

  /**
   * For a person recorded as deceased, what is still refused about this document — its new version
   * and its sending — by the rule `prepare` and the signature apply (resident-deceased.ts
   * assertNotDeceased, the meeting's date the current version's `date`): the page offers neither
   * « Corriger » nor the send form then, and says why. Null for a living person.
   */
  async deceasedRefusals(actor: StaffActor, documentId: string): Promise<{ deceasedOn: string; newVersion: string | null; signature: string | null } | null> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId, 'document.read');
    const deceasedOn = await this.deceasedOnOf(em, doc);
    if (!deceasedOn) return null;
    const full = doc.currentVersionId ? await this.repo.versionInput(em, doc.currentVersionId) : null;
    const subject = deceasedSubjectOf(doc.type, full?.input);
    return { deceasedOn, newVersion: deceasedRefusalOf({ deceasedOn }, 'document', subject), signature: deceasedRefusalOf({ deceasedOn }, 'signature', subject) };
  }

  /** Of these residents, those recorded as deceased: the day of the death of each. */
  private async deceasedResidents(em: EntityManager, organisationId: string, residentIds: string[]): Promise<Map<string, string>> {
    if (!residentIds.length) return new Map();
    const rows = (await em.query(`SELECT id, deceased_on::text AS deceased FROM residents WHERE organisation_id = $1 AND id = ANY($2::uuid[]) AND deceased_on IS NOT NULL`, [
      organisationId,
      [...new Set(residentIds)],
    ])) as { id: string; deceased: string }[];
    return new Map(rows.map((r) => [r.id, r.deceased]));
  }

  /** The day of the death of the document's resident (`residents.deceased_on`), or null: she is alive. */
  private async deceasedOnOf(em: EntityManager, doc: DocumentEntity): Promise<string | null> {
    const [r] = (await em.query(`SELECT deceased_on::text AS deceased FROM residents WHERE id = $1 AND organisation_id = $2`, [doc.residentId, doc.organisationId])) as { deceased: string | null }[];
    return r?.deceased ?? null;
  }

  async list(actor: StaffActor, residentId?: string): Promise<DocumentView[]> {
    const em = this.tx.manager;
    const docs = await this.repo.list(em, actor.organisationId, visibleEstablishments(actor), residentId);
    // One statement for the whole list: each superseded draft contract's signed contract of its stay.
    const superseding = await this.repo.supersedingContracts(em, docs.map((d) => d.id));
    // And the day of the death of the residents of those whose generation failed (one statement): no retry then.
    const deceased = await this.deceasedResidents(em, actor.organisationId, docs.filter((d) => d.status === 'generation_failed').map((d) => d.residentId));
    return Promise.all(docs.map((d) => this.view(em, d, false, superseding.get(d.id) ?? null, deceased.get(d.residentId) ?? null)));
  }

  async get(actor: StaffActor, id: string): Promise<DocumentView> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, id, 'document.read');
    const deceasedOn = doc.status === 'generation_failed' ? await this.deceasedOnOf(em, doc) : null;
    return this.view(em, doc, true, (await this.repo.supersedingContracts(em, [doc.id])).get(doc.id) ?? null, deceasedOn);
  }

  async download(actor: StaffActor, documentId: string, versionId: string, format: string, variant: string): Promise<Download> {
    return this.tx.run(async (em) => {
      // The files carry the resident's details: not for auditors (metadata and history only).
      const doc = await this.scoped(em, actor, documentId, 'document.content');
      const version = await this.repo.findVersion(em, doc.id, versionId);
      if (!version) throw new NotFoundError('VERSION_NOT_FOUND', 'Version introuvable.');
      const r = await this.repo.findRendition(em, version.id, format, variant);
      if (!r) throw new NotFoundError('RENDITION_NOT_FOUND', version.status === 'ready' ? 'Format ou variante inconnus.' : 'Cette version n’est pas encore générée.');
      const bytes = await this.blobs.get(em, r.blobSha256);
      if (!bytes) throw new NotFoundError('RENDITION_NOT_FOUND', 'Fichier introuvable.');
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'rendition.downloaded',
        subject: { type: 'document_version', id: version.id },
        payload: { documentId: doc.id, format: r.format, variant: r.variant, sha256: r.blobSha256 },
      });
      return { bytes, mediaType: r.mediaType, fileName: `${doc.type}-v${version.number}-${r.variant}.${r.format}` };
    });
  }

  /** The resident's signed contrat de séjour or DIPC, which an avenant amends (its type and day), or null. */
  async signedContractOf(actor: StaffActor, residentId: string): Promise<{ type: 'contrat-sejour' | 'dipc'; signedOn: string } | null> {
    const em = this.tx.manager;
    const resident = await this.residents.getForOrganisation(em, actor.organisationId, residentId);
    requireVisible(actor, resident, () => new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.'));
    const c = (await this.repo.signedContracts(em, actor.organisationId, [resident.id], false)).get(resident.id);
    return c ? { type: c.type, signedOn: c.signedOn } : null;
  }

  /**
   * The document types the console offers for a resident: each with whether the resident's
   * situation allows it and, when not, why (the same rules as `create`: document-type-rules,
   * CASF D.311; an expired measure blocks every type, C. civ. 441 to 443).
   */
  async typesFor(actor: StaffActor, residentId: string): Promise<{ type: DocumentType; allowed: boolean; reason: string | null; subtype: DocumentSubtype | null; code?: string }[]> {
    const em = this.tx.manager;
    // The resident, her establishment and her archive state in one statement, as `prepare` reads them.
    const read = await this.residents.getForOrganisationWith(em, actor.organisationId, residentId, FILE_FOR_A_NEW_DOCUMENT);
    const resident = read?.resident;
    requireVisible(actor, resident, () => new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.'));
    assertCan(actor, 'document.write', resident.establishmentId);
    const est = read!.establishment;
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    // A contract refused (the DIPC then), or one of this admission already signed (no second one: CASF L.311-4, D.311): read with the file.
    const contract = contractStateFrom(read!.columns);
    const situation = {
      resident,
      establishmentCategory: est.category,
      contractRefused: contract.refused,
      contractSigned: await this.repo.hasSignedContract(em, actor.organisationId, resident.id),
      contractInForce: contract.inForce,
    };
    // In the intermediate archive, no type is offered (`prepare` refuses them: RESIDENT_ARCHIVED).
    const archived = residentArchivedFrom(read!.columns.departedOn as string | null, read!.columns.archivedSince as string | null);
    let measureProblem: string | null = null;
    try {
      assertMeasureInForce(resident.protectionMeasures, todayIso());
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      measureProblem = e.messageFr;
    }
    const blocked = archived ? newDocumentArchivedMessage(archived) : measureProblem;
    // The avenant is named as the form will make it: to the DIPC when the DIPC is this person's document.
    // The signed one decides when there is one (the form prefills `appliesTo` from it), else the person's situation.
    const signed = (await this.repo.signedContracts(em, actor.organisationId, [resident.id], false)).get(resident.id);
    const avenantSubtype: DocumentSubtype | null = signed ? (signed.type === 'dipc' ? 'avenant-dipc' : null) : avenantSubtypeFor(situation);
    const subtypeOf = (type: DocumentType): DocumentSubtype | null => (type === 'avenant' ? avenantSubtype : null);
    // After her death, only what `prepare` still establishes (resident-deceased.ts): asked with the day
    // of the death as the meeting's, the latest a meeting may be held for its minutes to be written.
    const deceasedRefusal = (type: DocumentType): string | null => {
      try {
        assertNotDeceased(resident, 'document', { type, meetingDate: resident.deceasedOn });
        return null;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return e.messageFr;
      }
    };
    return DOCUMENT_TYPES.map((type) => {
      if (blocked) return { type, allowed: false, reason: blocked, subtype: subtypeOf(type), ...(archived ? { code: RESIDENT_ARCHIVED } : {}) };
      const died = deceasedRefusal(type);
      if (died) return { type, allowed: false, reason: died, subtype: subtypeOf(type), code: RESIDENT_DECEASED };
      try {
        assertDocumentTypeApplies(type, situation);
        return { type, allowed: true, reason: null, subtype: subtypeOf(type) };
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return { type, allowed: false, reason: e.messageFr, subtype: subtypeOf(type) };
      }
    });
  }

  /**
   * What `create` would store, without storing it: the same checks and validation (a
   * ValidationError with the same fields), the input snapshot and its template, for a preview.
   */
  async preview(actor: StaffActor, input: CreateDocumentInput): Promise<{ template: LoadedTemplate; input: Record<string, unknown> }> {
    if (!DOCUMENT_TYPES.includes(input.type))
      throw new ValidationError([{ field: 'type', code: 'NOT_ALLOWED_VALUE', message: `Type inconnu. Valeurs possibles : ${DOCUMENT_TYPES.join(', ')}.` }]);
    const { resident, snapshot, template } = await this.prepare(this.tx.manager, actor, input.residentId, input.type, input.data);
    // Said at the preview already (`create` checks again, under the lock).
    const effectiveOn = input.type === 'avenant' ? tariffEffectiveOnOf(snapshot.document) : null;
    if (effectiveOn) await this.assertTariffAvenantApplies(this.tx.manager, actor.organisationId, resident.id, effectiveOn);
    const existing = effectiveOn ? (await this.repo.tariffAvenantsOn(this.tx.manager, actor.organisationId, [resident.id], effectiveOn)).get(resident.id) : undefined;
    if (effectiveOn && existing) throw new AvenantAlreadyExistsError(effectiveOn, existing);
    return { template, input: effectiveOn ? await this.withPriceInForce(this.tx.manager, actor.organisationId, resident.id, snapshot, effectiveOn) : snapshot };
  }

  /** The same for a new version of an existing document (`addVersion`'s checks). */
  async previewVersion(actor: StaffActor, documentId: string, data: Record<string, unknown>): Promise<{ template: LoadedTemplate; input: Record<string, unknown> }> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId, 'document.write');
    const { snapshot, template } = await this.prepare(em, actor, doc.residentId, doc.type, data, doc.id);
    const effectiveOn = doc.type === 'avenant' ? tariffEffectiveOnOf(snapshot.document) : null;
    if (effectiveOn) await this.assertTariffAvenantApplies(em, actor.organisationId, doc.residentId, effectiveOn);
    const existing = effectiveOn ? (await this.repo.tariffAvenantsOn(em, actor.organisationId, [doc.residentId], effectiveOn, doc.id)).get(doc.residentId) : undefined;
    if (effectiveOn && existing) throw new AvenantAlreadyExistsError(effectiveOn, existing);
    return { template, input: effectiveOn ? await this.withPriceInForce(em, actor.organisationId, doc.residentId, snapshot, effectiveOn, doc.id) : snapshot };
  }

  /**
   * No tariff avenant for a resident who left before its effective date, nor for one whose documents
   * are in the intermediate archive (tariffAvenantDepartureError, 409 TARIFF_AVENANT_RESIDENT_DEPARTED):
   * checked before the price in force is read from her contract (`withPriceInForce`, whose refusals
   * name that price), in `createIn` (the bulk worker's too), `addVersion` and both previews.
   */
  async assertTariffAvenantApplies(em: EntityManager, organisationId: string, residentId: string, effectiveOn: string): Promise<void> {
    const [row] = (await em.query(
      `SELECT r.departed_on::text AS departed_on, ${ARCHIVED_SINCE_SQL} AS since FROM residents r JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1 AND r.organisation_id = $2`,
      [residentId, organisationId],
    )) as { departed_on: string | null; since: string | null }[];
    if (!row) return;
    const error = tariffAvenantDepartureError({ departedOn: row.departed_on, archivedSince: row.since && row.since <= todayIso() ? row.since : null, effectiveOn });
    if (error) throw error;
  }

  /**
   * A tariff avenant's input checked against the price in force on its effective date (CASF
   * L.342-3: the last signed tariff avenant before it, else the contract; checkTypedTariffChange):
   * its previous prices filled when left empty, refused when they are not those in force, when the
   * new price exceeds the percentage over them, or while an earlier avenant awaits its signature
   * (409 TARIFF_AVENANT_PENDING). Read under the resident's lock in `createIn` and `addVersion`.
   */
  private async withPriceInForce(
    em: EntityManager,
    organisationId: string,
    residentId: string,
    snapshot: Record<string, unknown>,
    effectiveOn: string,
    exceptDocumentId?: string,
  ): Promise<Record<string, unknown>> {
    const contract = (await this.repo.signedContracts(em, organisationId, [residentId], true, { effectiveOn, exceptDocumentId })).get(residentId);
    return contract ? checkedAgainstPriceInForce(snapshot, contract) : snapshot;
  }

  /**
   * The data of the resident's latest version of a document type (to start a new one from it), or null.
   * `signedOfPurpose`: only a signed avenant of that purpose (`document.purpose`) — the annex on the
   * freedom to come and go in force is the latest signed one (CASF L.311-4-1 I), what its re-evaluation starts from.
   */
  async previousData(
    actor: StaffActor,
    residentId: string,
    type: DocumentType,
    signedOfPurpose?: string,
  ): Promise<{ documentId: string; versionNumber: number; data: Record<string, unknown>; createdAt: Date } | null> {
    const em = this.tx.manager;
    const docs = (await this.repo.list(em, actor.organisationId, visibleEstablishments(actor), residentId)).filter(
      (d) => d.type === type && d.currentVersionId && (!signedOfPurpose || d.status === 'signed'),
    );
    // The intermediate archive of their residents, one query for the set (all of them, in fact,
    // this resident's), checked at the first document as before: the role first, then the archive.
    let archiveChecked = false;
    for (const d of docs) {
      assertCan(actor, 'document.content', d.establishmentId);
      if (!archiveChecked) {
        await assertArchivesOpen(em, actor, docs.map((x) => x.residentId));
        archiveChecked = true;
      }
      const v = await this.repo.findVersion(em, d.id, d.currentVersionId!);
      const data = (v?.input as { document?: Record<string, unknown> } | undefined)?.document;
      // An avenant written before purposes existed (avenant < 1.3.0) is an accompaniment one.
      if (signedOfPurpose && (data?.purpose ?? 'accompagnement') !== signedOfPurpose) continue;
      if (v && data) return { documentId: d.id, versionNumber: v.number, data, createdAt: d.createdAt };
    }
    return null;
  }

  /** Each version's document data (the content: not for auditors), oldest first, for the differences between versions. */
  async versionData(actor: StaffActor, documentId: string): Promise<{ versionId: string; number: number; templateId: string; data: Record<string, unknown> }[]> {
    const em = this.tx.manager;
    const doc = await this.scoped(em, actor, documentId, 'document.content');
    const out: { versionId: string; number: number; templateId: string; data: Record<string, unknown> }[] = [];
    for (const v of await this.repo.versionsOf(em, doc.id)) {
      const full = await this.repo.versionInput(em, v.id);
      out.push({ versionId: v.id, number: v.number, templateId: v.templateId, data: ((full?.input as { document?: Record<string, unknown> } | undefined)?.document ?? {}) });
    }
    return out;
  }

  // --- internals ---------------------------------------------------------------------------

  private async scoped(em: EntityManager, actor: StaffActor, id: string, permission: 'document.read' | 'document.content' | 'document.write'): Promise<DocumentEntity> {
    const doc = await this.repo.findScoped(em, actor.organisationId, visibleEstablishments(actor), id);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    assertCan(actor, permission, doc.establishmentId);
    // Past the active base, the content is read only once the archive is opened (intermediate-archive.ts).
    if (permission === 'document.content') await assertArchiveOpen(em, actor, doc.residentId);
    return doc;
  }

  /** Checks access and the resident's situation, validates the data, builds the input snapshot. */
  private async prepare(em: EntityManager, actor: StaffActor, residentId: string, type: DocumentType, data: Record<string, unknown>, existingDocumentId?: string) {
    // The resident's file, her establishment and her archive state, and for a new document her
    // contract state: one statement (FILE_FOR_A_DOCUMENT, FILE_FOR_A_NEW_DOCUMENT).
    const read = existingDocumentId
      ? await this.residents.getForOrganisationWith(em, actor.organisationId, residentId, FILE_FOR_A_DOCUMENT)
      : await this.residents.getForOrganisationWith(em, actor.organisationId, residentId, FILE_FOR_A_NEW_DOCUMENT);
    const resident = read?.resident;
    requireVisible(actor, resident, () => new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.'));
    assertCan(actor, 'document.write', resident.establishmentId);
    // Every new document or version (a DIPC after a refusal, an avenant, a correction), a preview
    // included: none for a person in the intermediate archive, opening or not (409 RESIDENT_ARCHIVED;
    // assertNoNewDocumentFor's rule, on the values read above).
    assertNoNewDocumentFrom(read!.columns.departedOn as string | null, read!.columns.archivedSince as string | null);
    // Nor for a person recorded as deceased (409 RESIDENT_DECEASED; C. civ. 443 al. 1) — but the compte
    // rendu of a meeting held on or before the day of her death (its data `date`): past facts, the
    // establishment's minutes. A correction reaches here only for an unsigned draft (addVersion).
    assertNotDeceased(resident, 'document', { type, meetingDate: data?.date });
    const est = read!.establishment;
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    if (!existingDocumentId) {
      // Read with the file (FILE_FOR_A_NEW_DOCUMENT): a contract of this admission already signed is amended, not doubled (CASF L.311-4).
      const contract = contractStateFrom(read!.columns);
      assertDocumentTypeApplies(type, {
        resident,
        establishmentCategory: est.category,
        contractRefused: contract.refused,
        contractSigned: type === 'avenant' ? await this.repo.hasSignedContract(em, actor.organisationId, resident.id) : undefined,
        contractInForce: contract.inForce,
      });
    }
    // Every version, the first and each correction: a measure may expire between the two.
    const on = todayIso();
    assertMeasureInForce(resident.protectionMeasures, on);
    // The signature policy's refusals that the file alone decides (the holder's conflict of interest,
    // C. civ. 451 al. 2, 454 al. 5, 455): before a version exists, a preview included (GenerationChecks).
    this.checks.run({ type, resident, data, on });
    const template = templates().load(type);
    const snapshot = templateInputOf(est, resident, data, on, type);
    const t0 = performance.now();
    const errors = validateTemplateInput(template, snapshot);
    // Who may stand in for the person (CASF D.311): nobody for a capable adult, her representative otherwise.
    const participation = participationError(type, (snapshot as { document?: { participation?: never } }).document, {
      minor: isMinor(resident.birthDate, on),
      underMeasure: applicableMeasure(resident.protectionMeasures, on) !== null,
    });
    if (participation) errors.push(participation);
    // CASF L.311-4: the documents were handed over on a day that has come, not on one still planned.
    const handover = annexHandoverInFuture((snapshot as { document?: unknown }).document, on);
    if (handover) errors.push(handover);
    addSpan('api: validate input (schema, FALC lint)', since(t0));
    // Alone, the refusal carries its own code (400 ANNEX_HANDOVER_IN_FUTURE); with other errors, all of them come together.
    if (errors.length === 1 && handover) throw new ValidationError(toRequestFields(errors), handover.message, ANNEX_HANDOVER_IN_FUTURE);
    if (errors.length) throw new ValidationError(toRequestFields(errors), 'Les données du document sont invalides ou incomplètes.');
    return { resident, snapshot, template };
  }

  private async requestVersion(
    em: EntityManager,
    actor: StaffActor,
    doc: DocumentEntity,
    snapshot: Record<string, unknown>,
    reason: string,
    before?: Pick<AuditAppend, 'action' | 'subject' | 'payload'>,
    /**
     * The first version of a document created in this transaction, already its current one: the
     * document's row (`doc`, not yet written) is inserted with the version and its job, in one
     * statement (issue 12: three INSERTs were three round trips).
     */
    first?: { id: string; number: 1 },
    /**
     * The template the snapshot was validated against (`prepare`), recorded with the version: not
     * loaded again (issue 12: each load reads the kind's published.json), and never another one if a
     * version were published in between.
     */
    validatedWith?: LoadedTemplate,
  ): Promise<DocumentVersionEntity> {
    const template = validatedWith ?? templates().load(doc.type);
    const annexes = await this.annexRecord(em, doc, snapshot, template);
    const version = em.create(DocumentVersionEntity, {
      id: first ? first.id : randomUUID(),
      organisationId: doc.organisationId,
      documentId: doc.id,
      number: first ? first.number : await this.repo.nextVersionNumber(em, doc.id),
      reason,
      status: 'pending',
      templateId: template.content.id,
      templateVersion: template.content.version,
      templateHash: template.sha256,
      rendererVersion: RENDERER_VERSION,
      input: snapshot,
      inputHash: inputHash(snapshot),
      annexes,
      errorCode: null,
      createdBy: actor.system ? null : actor.userId,
      createdAt: new Date(),
      generatedAt: null,
    });
    // A plain INSERT (issue 12: TypeORM's insert builder was a measurable share of the api's CPU per
    // document); the id is made here as for the first version, the JSON columns written as JSON.
    const versionInsert = {
      sql: `INSERT INTO document_versions (id, organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, annexes, error_code, created_by, created_at, generated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13::jsonb, $14, $15, $16, $17)`,
      params: [
        version.id,
        version.organisationId,
        version.documentId,
        version.number,
        version.reason,
        version.status,
        version.templateId,
        version.templateVersion,
        version.templateHash,
        version.rendererVersion,
        JSON.stringify(version.input),
        version.inputHash,
        version.annexes === null ? null : JSON.stringify(version.annexes),
        version.errorCode,
        version.createdBy,
        version.createdAt,
        version.generatedAt,
      ],
    };
    const job = { versionId: version.id };
    const jobOptions = { key: version.id, organisationId: doc.organisationId };
    if (first) {
      // The new document, its version 1 and the render job: one statement, all or nothing (OutboxService.enqueueWith).
      const documentInsert = {
        sql: `INSERT INTO documents (id, organisation_id, establishment_id, resident_id, type, subtype, status, current_version_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        params: [doc.id, doc.organisationId, doc.establishmentId, doc.residentId, doc.type, doc.subtype, doc.status, doc.currentVersionId, doc.createdBy, doc.createdAt, doc.updatedAt],
      };
      await this.outbox.enqueueWith(em, [documentInsert, versionInsert], 'documents.render', job, jobOptions);
    } else {
      await em.query(versionInsert.sql, versionInsert.params);
      await this.lifecycle.markGenerating(em, doc.id, version.id);
      await this.outbox.enqueue(em, 'documents.render', job, jobOptions);
    }
    const requested: AuditAppend = {
      chainId: doc.organisationId,
      actor: auditActor(actor),
      action: 'document_version.requested',
      subject: { type: 'document_version', id: version.id },
      payload: {
        documentId: doc.id,
        number: version.number,
        templateId: version.templateId,
        templateVersion: version.templateVersion,
        templateHash: version.templateHash,
        inputHash: version.inputHash,
        // The files handed over with it (CASF L.311-4), key → SHA-256 or null: the chain covers them (hashes only).
        annexes: annexes ? annexAuditEntries(annexes) : null,
      },
    };
    // A new document's two events (created, version requested) in one statement, the chain head moved once by two (issue 12).
    if (before) await this.audit.appendMany(em, [{ chainId: doc.organisationId, actor: auditActor(actor), ...before }, requested]);
    else await this.audit.append(em, requested);
    return version;
  }

  /**
   * The documents handed over with a contrat de séjour or a DIPC (CASF L.311-4; DOMAIN.md: « record
   * the date and version of each annex handed over »): each annex key of the snapshot's establishment
   * with its label in the version's template and the file in force on the day the document's data say
   * they were handed over (`document.annexesHandedOverOn`), so that the evidence never puts « remis le
   * 15 octobre » beside a file in force only since November; on the version's creation day when the
   * data do not say. The day is never after today (`prepare` refuses it, ANNEX_HANDOVER_IN_FUTURE).
   * An avenant records them only when its data say they were handed over again with it; nothing is
   * handed over with an avenant otherwise (annex-handover.ts). Null when nothing is recorded: the
   * evidence and the portal then say nothing of documents handed over.
   */
  private async annexRecord(em: EntityManager, doc: DocumentEntity, snapshot: Record<string, unknown>, template: LoadedTemplate): Promise<VersionAnnex[] | null> {
    const on = annexHandoverDay(doc.type, (snapshot as { document?: unknown }).document, todayIso());
    if (!on) return null;
    const keys = (snapshot as { establishment?: { annexes?: unknown } }).establishment?.annexes;
    const list = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    const labels = template.content.labels?.annex ?? {};
    return this.annexFiles.versionRecord(em, doc.establishmentId, list, on, (k) => (Object.prototype.hasOwnProperty.call(labels, k) ? labels[k] : k));
  }

  /**
   * `supersededBy`: the signed contract of the stay of this draft contract, when there is one
   * (DocumentsRepository.supersedingContracts). `deceasedOn`: for a failed generation, the day of its
   * resident's death, if any — its retry then refused as retryGeneration refuses it (RESIDENT_DECEASED).
   */
  private async view(em: EntityManager, d: DocumentEntity, withVersions: boolean, supersededBy: string | null, deceasedOn: string | null = null): Promise<DocumentView> {
    const versions = withVersions ? await this.repo.versionsOf(em, d.id) : [];
    const renditions = await this.repo.renditionsOf(em, versions.map((v) => v.id));
    const current =
      d.status === 'generation_failed' && d.currentVersionId
        ? (versions.find((v) => v.id === d.currentVersionId) ?? (await this.repo.findVersion(em, d.id, d.currentVersionId)))
        : null;
    let generationError = current ? generationErrorOf({ status: current.status, errorCode: current.errorCode ?? GENERATION_RETRIES_EXHAUSTED }) : null;
    // Failed for good: the data the templates' check refuses now (a rule added since they were stored), named with what to do.
    if (generationError && current && !generationError.retryable && !supersededBy) generationError = (await this.dataFailure(em, d.type, current.id, generationError)) ?? generationError;
    // One contract per stay (CASF L.311-4, D.311): a superseded draft is neither generated again nor corrected (409 CONTRACT_ALREADY_IN_FORCE), as retryGeneration and addVersion refuse it.
    if (generationError && supersededBy)
      generationError = {
        code: generationError.code,
        message: `La génération du document a échoué ; elle ne peut plus être relancée ni le projet corrigé : ${CONTRACT_ALREADY_IN_FORCE_MESSAGE} Le projet peut être abandonné.`,
        retryable: false,
      };
    // After the death, `retryable` says what retry-generation answers: false, and why, but for the minutes of a meeting before it.
    const died = generationError?.retryable && deceasedOn ? deceasedRefusalOf({ deceasedOn }, 'document', deceasedSubjectOf(d.type, (await this.repo.versionInput(em, current!.id))?.input)) : null;
    if (generationError && died)
      generationError = {
        ...generationError,
        message: `La génération du document a échoué ; elle ne peut plus être relancée, la personne étant décédée le ${formatDateFr(deceasedOn!)} (C. civ. art. 443). Le projet peut être abandonné.`,
        retryable: false,
      };
    return {
      id: d.id,
      residentId: d.residentId,
      establishmentId: d.establishmentId,
      type: d.type,
      subtype: d.subtype ?? null,
      status: d.status,
      currentVersionId: d.currentVersionId,
      generationError,
      supersededBy: supersededBy ? { id: supersededBy, href: documentConsolePath(supersededBy) } : null,
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
      versions: versions.map((v) => versionView(d.id, v, renditions.filter((r) => r.versionId === v.id))),
    };
  }

  /**
   * The generation error of a version failed for good, with the fields its data fail the templates'
   * input check on (dataFailureOf), checked again against the version's own template: null when they
   * pass it (another cause) or the template cannot be read. Nothing here is logged nor stored.
   */
  private async dataFailure(em: EntityManager, documentType: string, versionId: string, base: GenerationError): Promise<GenerationError | null> {
    const version = await this.repo.versionInput(em, versionId);
    if (!version) return null;
    let errors: FieldError[];
    try {
      errors = validateTemplateInput(templates().load(version.templateId, version.templateVersion), version.input);
    } catch {
      return null;
    }
    return dataFailureOf(base, documentType, errors);
  }
}

function versionView(documentId: string, v: DocumentVersionEntity, renditions: RenditionEntity[]): VersionView {
  return {
    id: v.id,
    number: v.number,
    reason: v.reason,
    status: v.status,
    template: { id: v.templateId, version: v.templateVersion, sha256: v.templateHash },
    inputSha256: v.inputHash,
    rendererVersion: v.rendererVersion,
    errorCode: v.errorCode,
    error: generationErrorOf(v),
    createdAt: v.createdAt.toISOString(),
    generatedAt: v.generatedAt?.toISOString() ?? null,
    renditions: renditions.map(
      (r): RenditionView => ({
        format: r.format,
        variant: r.variant,
        sha256: r.blobSha256,
        byteSize: r.byteSize,
        mediaType: r.mediaType,
        href: `/api/documents/${documentId}/versions/${v.id}/renditions/${r.format}/${r.variant}`,
      }),
    ),
  };
}

/** A tariff avenant's input with its tariff change checked against, and filled from, the contract's price in force (checkTypedTariffChange). */
function checkedAgainstPriceInForce(snapshot: Record<string, unknown>, contract: SignedContract): Record<string, unknown> {
  const document = snapshot.document as Record<string, unknown>;
  return { ...snapshot, document: { ...document, tariffChange: checkTypedTariffChange(document, contract) } };
}
