import { Injectable } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, ValidationError, calendarDayIn, documentTypeLabel, endOfDayIn, formatDateFr, ofName, textProblem } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentEntity, DocumentLifecycle, DocumentVersionEntity, DocumentsRepository, assertNotDeceased, assertResidentNotArchived } from '@carepact/documents';
import { IdentityRepository, StaffActor, auditActor } from '@carepact/identity';
import { OutboxService } from '@carepact/queue';
import { ResidentsService, todayIso } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import { SigningLinks } from '../links/signing-links.service';
import { SAME_DAY_AS_DEATH_WARNING, decideSigners, keptAtDeath, optionalLapsedAtDeath, signedOnDayOfDeath } from '../policy';
import type { PolicyDecision, PolicyInput, ResidenceChoice } from '../policy/policy.types';
import { EvidenceLog } from './evidence-log';
import { RequestAccess } from './request-access';
import { legalDeadline, legalDeadlineCapsRequest, legalDeadlineRule } from './legal-deadlines';
import { assertOwnMailboxes } from './own-mailbox';
import { RequestView, RequestViews } from './request-views.service';
import { SignatureProgress, closeCountersignWindow, signedInSeal } from './signature-progress.service';
import { sealFailureOf } from './seal-failure';
import { RequestMode, SignatureRequestEntity, SignerDelivery, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { ContractInForce, cancelLockedRequest } from './contract-in-force';
import { allRequiredSigned, inRequestOrder, isTurnOf, orderNumbers, signedCount } from './whose-turn';
import { DocumentVisaService } from '../visa/document-visa.service';
import { soleSignatureForDecision } from '../sole-signature/sole-signature.service';

export const DEFAULT_DEADLINE_DAYS = 30;
export const DEFAULT_REMINDER_DAYS = [3, 7];

const DAY = 86_400_000;

/** What staff may choose for a person who signs; `staff` is only the director's countersignature. */
export const SIGNER_DELIVERY_CHOICES: readonly unknown[] = ['email', 'in_person'];

export interface CreateRequestInput {
  mode?: RequestMode;
  deadline?: string;
  reminderDays?: number[];
  /** Per signer key: how they sign, and whether staff will give them an access code. */
  delivery?: Record<string, { method?: 'email' | 'in_person'; accessCode?: boolean }>;
  proposedContactIds?: string[];
  /**
   * Required to send a request whose legal deadline has passed (issue 13): why it is sent late, in
   * staff's words. Recorded on the request, in its `created` event and in the audit chain.
   */
  lateReason?: string;
}

/** The answer to what would change a request once every required signature is in (it waits for its seal): a cancel, a paper scan. */
export const SIGNATURE_REQUEST_FULLY_SIGNED = 'SIGNATURE_REQUEST_FULLY_SIGNED';

/**
 * 409 SIGNATURE_REQUEST_FULLY_SIGNED when every required signature is in, the establishment's
 * included: the request then only waits for its seal, which builds the signed PDF and its evidence
 * from these signatures; nothing may throw them away (a cancel) or change them (a paper scan).
 * `refused` says, in French, what can no longer be done.
 */
export function assertNotFullySigned(signers: Parameters<typeof allRequiredSigned>[0], refused: string): void {
  if (allRequiredSigned(signers))
    throw new ConflictError(
      SIGNATURE_REQUEST_FULLY_SIGNED,
      `Toutes les signatures requises sont recueillies, contresignature comprise : ${refused}. Le document signé est en cours de scellement (en cas d’échec, relancez le scellement depuis la page du document).`,
    );
}

/** A signature request of a person still open (SignatureRequestsService.openForResident). */
export interface OpenRequestOfResident {
  id: string;
  documentId: string;
  /** The document's name (« Contrat de séjour », « Annexe … »). */
  document: string;
  /** The day it was sent (Europe/Paris). */
  sentOn: string;
  deadline: string;
  /** The required signers who have not signed yet. */
  waitingFor: string[];
  /**
   * Everyone on the person's side has signed and only the establishment's countersignature is
   * pending (policy keptAtDeath): after her death the request stays open for the director to
   * countersign — her consent was given while she lived (C. civ. 1121; 443 al. 1 ends the
   * representative's power, not the signatures given).
   */
  personSideSigned?: boolean;
}

/** A request her death left open for the establishment's countersignature (cancelForDeparture, `death`), and why. */
export interface KeptAtDeathRequest extends OpenRequestOfResident {
  /** Stable: every signer on the person's side signed before the death, only the establishment's signature is pending. */
  keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH';
  /** In French, for the answer and the history. */
  keptReason: string;
  /**
   * A signature of her side was given on the very day of the death (policy signedOnDayOfDeath): kept,
   * but only the day of death is recorded while the acte states its hour (C. civ. art. 79) — `warning`
   * asks staff to check it (given after the hour, it was given without power, C. civ. art. 418 and 443).
   */
  sameDayAsDeath?: true;
  warning?: string;
}

/** What the end of the accompaniment did to her open requests: cancelled, or (after a death) kept for the countersignature. */
export interface DepartureCancellation {
  cancelled: OpenRequestOfResident[];
  kept: KeptAtDeathRequest[];
}

/**
 * Why a request is kept at the person's death (the `kept_at_death` event's reason, the answer's
 * keptReason): her side signed before the death (C. civ. 1121: the agreement was formed when her
 * acceptance reached the establishment), only the establishment's countersignature remains (C. civ.
 * 443 al. 1 ends the representative's power, not the signatures already given).
 */
export const keptAtDeathReason = (deceasedOn: string) =>
  `Décès de la personne le ${formatDateFr(deceasedOn)} : demande maintenue, car la personne ou ceux qui signaient pour elle ont signé avant le décès ; seule la contresignature de l’établissement reste à donner (C. civ. art. 1121 et 443).`;

/**
 * Why an optional signature of her side is closed at her death (the `lapsed_at_death` event's reason):
 * « non signé », the signer did not sign before the death and no one may sign in her name after it
 * (C. civ. 443 al. 1); the request goes on without it — that signature never held it back.
 */
export const lapsedAtDeathReason = (deceasedOn: string) =>
  `Non signé — décès de la personne le ${formatDateFr(deceasedOn)} : cette signature facultative n’avait pas été donnée et ne peut plus l’être (C. civ. art. 443) ; la demande se poursuit sans elle.`;

/**
 * The reason recorded on a request cancelled with the end of the person's accompaniment: her
 * departure, or her death (`death`) — the protection measure ends at death (C. civ. 443 al. 1), no
 * representative signs for her any more.
 */
export const departureCancelReason = (departedOn: string, death = false) => `${death ? 'Décès' : 'Départ'} de la personne le ${formatDateFr(departedOn)}`;

/** « 2 demandes de signature sont en cours : contrat de séjour (envoyé le …), … » — the departure form and the API's answer. */
export function openRequestsSentence(open: readonly OpenRequestOfResident[]): string {
  const list = open.map((o) => `${o.document} (envoyée le ${formatDateFr(o.sentOn)}${o.waitingFor.length ? `, en attente ${ofName(o.waitingFor.join(', '))}` : ''})`).join(' ; ');
  return open.length === 1 ? `1 demande de signature est en cours : ${list}.` : `${open.length} demandes de signature sont en cours : ${list}.`;
}

/**
 * Each optional signer of her side who had not signed when her death is recorded (or when a paper
 * signed before it completes a request her death had cancelled): her signature can no longer come
 * (C. civ. 443 al. 1) — links revoked, a `lapsed_at_death` event (audited `signature.lapsed_at_death`)
 * closing her row « non signé — décès de la personne le … ». Her row stays `pending`; every path that
 * would have her sign reads these events (no link, no reminder, no countersignature window).
 */
export async function lapseSignersAtDeath(
  em: EntityManager,
  deps: { repo: SigningRepository; links: SigningLinks; log: EvidenceLog },
  r: SignatureRequestEntity,
  signers: readonly SignerEntity[],
  deceasedOn: string,
  actor: StaffActor,
): Promise<void> {
  const already = await deps.repo.lapsedAtDeathOf(em, r.id);
  const now = new Date();
  for (const s of signers) {
    if (already.has(s.id)) continue;
    const revoked = await deps.links.revokeForSigner(em, s.id, now);
    if (revoked) await deps.log.record(em, r, 'revoked', auditActor(actor), { signerId: s.id, details: { links: revoked } });
    await deps.log.record(em, r, 'lapsed_at_death', auditActor(actor), { signerId: s.id, details: { deceasedOn, reason: lapsedAtDeathReason(deceasedOn) } });
  }
}

/** The send call's answer when the legal deadline has passed and no reason was given. */
export const SIGNATURE_REQUEST_LATE = 'SIGNATURE_REQUEST_LATE';

/** A signature request's life on the staff side: who would sign, sending, cancelling. */
@Injectable()
export class SignatureRequestsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: RequestAccess,
    private readonly views: RequestViews,
    private readonly identity: IdentityRepository,
    private readonly residents: ResidentsService,
    private readonly documents: DocumentsRepository,
    private readonly lifecycle: DocumentLifecycle,
    private readonly links: SigningLinks,
    private readonly outbox: OutboxService,
    private readonly log: EvidenceLog,
    private readonly progress: SignatureProgress,
    private readonly visa: DocumentVisaService,
    private readonly repo: SigningRepository,
    private readonly contracts: ContractInForce,
  ) {}

  /**
   * Who would sign, before creating anything (the console shows it; refusals come out here too): in
   * the order the request of `mode` would give them (inRequestOrder, as `create` numbers them).
   */
  async preview(actor: StaffActor, documentId: string, proposedContactIds?: string[], mode: RequestMode = 'parallel'): Promise<PolicyDecision> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    const decision = await this.decide(em, actor, doc, proposedContactIds);
    return { ...decision, signers: inRequestOrder(mode, decision.signers) };
  }

  /**
   * The legal deadline the document's signature would have if sent now (null for none): the send
   * form asks why past it, as `create` does.
   */
  async legalDeadlineFor(actor: StaffActor, documentId: string): Promise<Date | null> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    const resident = await this.residents.getForOrganisation(em, actor.organisationId, doc.residentId);
    return resident ? this.legalDeadlineIn(em, doc, resident.admissionDate) : null;
  }

  /**
   * CASF D.311 III: the contract signed within a month of admission; the DIPC drawn up, signed by the
   * director and handed over within fifteen days (D.311 II and III); the first accompaniment avenant
   * within six months. Later avenants, and tariff avenants (CASF L.342-3, L.314-1), have none.
   */
  private async legalDeadlineIn(em: EntityManager, doc: DocumentEntity, admissionDate: string): Promise<Date | null> {
    if (doc.type === 'avenant' && !(doc.currentVersionId && (await this.documents.isFirstAccompanimentAvenant(em, doc.organisationId, doc.residentId, doc.currentVersionId)))) return null;
    return legalDeadline(doc.type, admissionDate);
  }

  async create(actor: StaffActor, documentId: string, input: CreateRequestInput): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const doc = await this.access.document(em, actor, documentId, 'signature.manage');
      // A contract: its resident's row first (the order every contract's request lock keeps), so that
      // `decide` sees any other contract of the admission concluded meanwhile (contract-in-force.ts).
      await this.contracts.lockResidentOf(em, doc);
      await this.documents.lockDocument(em, doc.id);
      if (doc.status !== 'ready')
        throw new ConflictError(
          doc.status === 'in_signature' ? 'SIGNATURE_REQUEST_EXISTS' : 'DOCUMENT_NOT_READY',
          doc.status === 'in_signature' ? 'Une demande de signature est déjà en cours pour ce document.' : 'Le document doit être généré (état « prêt ») avant la demande de signature.',
        );
      // An archived person gets no new signing act; checked before the visa, whose refusal quotes the
      // remark, content closed to everyone while she is in the intermediate archive (RESIDENT_ARCHIVED).
      await assertResidentNotArchived(em, actor.organisationId, doc.residentId);
      // The internal visa the establishment asks for this type, on this version (issue 10, item 3).
      await this.visa.assertCleared(em, doc);
      const version = doc.currentVersionId ? await this.documents.signableVersion(em, doc.currentVersionId) : null;
      if (!version || version.status !== 'ready') throw new ConflictError('DOCUMENT_NOT_READY', 'La version courante n’est pas encore générée.');
      const decision = await this.decide(em, actor, doc, input.proposedContactIds);
      const resident = await this.residents.getForOrganisation(em, actor.organisationId, doc.residentId);
      const now = new Date();
      const legal = await this.legalDeadlineIn(em, doc, resident!.admissionDate);
      const lateReason = input.lateReason?.trim() ? input.lateReason.trim().slice(0, 1000) : null;
      const lateProblem = lateReason ? textProblem(lateReason, 'text') : null;
      if (lateProblem) throw new ValidationError([{ field: 'lateReason', ...lateProblem }]);
      // Past the legal deadline, staff are warned before anything is sent, and say why (recorded).
      if (legal && legal <= now && !lateReason)
        throw new DomainError(
          'conflict',
          SIGNATURE_REQUEST_LATE,
          `Le délai légal de signature est dépassé depuis le ${formatDateFr(legal)} (${legalDeadlineRule(doc.type)}). ` +
            'Indiquez pourquoi la demande est envoyée en retard pour l’envoyer quand même : la raison est conservée.',
          [{ field: 'lateReason', code: SIGNATURE_REQUEST_LATE, message: 'Indiquez pourquoi la demande est envoyée après le délai légal.' }],
        );
      // A deadline is a day, ending at midnight in Paris: every place writes the same day and time.
      let deadline = endOfDayIn(input.deadline ?? calendarDayIn(new Date(now.getTime() + DEFAULT_DEADLINE_DAYS * DAY)));
      if (Number.isNaN(deadline.getTime()) || deadline <= now)
        throw new ValidationError([{ field: 'deadline', code: 'INVALID_DATE', message: 'L’échéance doit être une date future (AAAA-MM-JJ).' }]);
      // Never past the legal deadline when one applies and is still ahead — except the DIPC's, which
      // binds the director only: the person may countersign after it (CASF D.311 II).
      if (legal && legal > now && deadline > legal && legalDeadlineCapsRequest(doc.type)) deadline = legal;
      const reminderDays = [...new Set(input.reminderDays ?? DEFAULT_REMINDER_DAYS)].sort((a, b) => a - b);
      if (reminderDays.some((d) => !Number.isInteger(d) || d < 1 || d > 60))
        throw new ValidationError([{ field: 'reminderDays', code: 'INVALID', message: 'Les relances se comptent en jours, de 1 à 60.' }]);
      for (const [key, wanted] of Object.entries(input.delivery ?? {})) {
        if (!decision.signers.some((s) => s.key === key))
          throw new ValidationError([{ field: `delivery.${key}`, code: 'UNKNOWN_SIGNER', message: 'Ce signataire ne fait pas partie de la demande.' }]);
        // The API validates this shape too; the lib re-checks it for every other caller (CLI, jobs):
        // a person never gets the director's staff delivery, and an access code is a real boolean.
        if (wanted?.method !== undefined && !SIGNER_DELIVERY_CHOICES.includes(wanted.method))
          throw new ValidationError([{ field: `delivery.${key}.method`, code: 'NOT_ALLOWED_VALUE', message: 'Mode de signature possible : par e-mail ou en présence.' }]);
        if (wanted?.accessCode !== undefined && typeof wanted.accessCode !== 'boolean')
          throw new ValidationError([{ field: `delivery.${key}.accessCode`, code: 'INVALID_TYPE', message: 'Indiquez oui ou non (true ou false).' }]);
      }

      const request = em.create(SignatureRequestEntity, {
        organisationId: doc.organisationId,
        establishmentId: doc.establishmentId,
        documentId: doc.id,
        versionId: version.versionId,
        versionHash: version.inputHash,
        pdfSha256: version.pdfSha256,
        status: 'active',
        mode: input.mode ?? 'parallel',
        deadline,
        legalDeadline: legal,
        lateReason: legal && legal <= now ? lateReason : null,
        reminderDays,
        policy: decision,
        createdBy: actor.system ? null : actor.userId,
        createdAt: now,
        closedAt: null,
      });
      await em.insert(SignatureRequestEntity, request as never);
      const who = auditActor(actor);
      await this.log.record(em, request, 'created', who, {
        details: {
          documentId: doc.id,
          versionId: version.versionId,
          versionHash: version.inputHash,
          pdfSha256: version.pdfSha256,
          signers: decision.signers.map((s) => s.key),
          legalDeadline: legal?.toISOString() ?? null,
          ...(request.lateReason ? { sentLate: true, lateReason: request.lateReason } : {}),
        },
      });
      // Nobody has signed yet: whose turn it is follows from the order alone.
      const orderNo = orderNumbers(request.mode, decision.signers);
      const initial = decision.signers.map((x) => ({ orderNo: orderNo.get(x.key)!, status: 'pending' as const, optional: x.optional }));
      const planned = decision.signers.map((s) => {
        const wanted = input.delivery?.[s.key];
        const delivery: SignerDelivery = s.role === 'director' ? 'staff' : (wanted?.method ?? (s.person.email ? 'email' : 'in_person'));
        if (delivery === 'email' && !s.person.email)
          throw new ValidationError([{ field: `delivery.${s.key}`, code: 'EMAIL_MISSING', message: `${s.person.firstName} ${s.person.lastName} n’a pas d’adresse e-mail : choisissez la signature en présence.` }]);
        return { s, delivery, accessCodeRequired: wanted?.accessCode ?? false };
      });
      assertOwnMailboxes(
        planned.map((p) => ({ key: p.s.key, firstName: p.s.person.firstName, lastName: p.s.person.lastName, email: p.s.person.email, delivery: p.delivery, accessCodeRequired: p.accessCodeRequired })),
        (x) => `delivery.${x.key}`,
      );
      for (const { s, delivery, accessCodeRequired } of planned) {
        const signer = em.create(SignerEntity, {
          requestId: request.id,
          key: s.key,
          role: s.role,
          contactId: s.person.contactId,
          firstName: s.person.firstName,
          lastName: s.person.lastName,
          email: s.person.email,
          capacity: s.capacity,
          measure: s.measure,
          legalBasis: s.legalBasis,
          orderNo: orderNo.get(s.key)!,
          optional: s.optional,
          delivery,
          status: 'pending',
          accessCodeRequired,
          accessCodeHash: null,
          accessCodeFailures: 0,
          accessCodeExpiresAt: null,
          actedAt: null,
          typedName: null,
          drawnSignature: null,
          refusalReason: null,
          refusalAcknowledgedAt: null,
          authMethod: null,
          ip: null,
          userAgent: null,
          witness: null,
          lastEmailStatus: null,
        });
        await em.insert(SignerEntity, signer as never);
        if (delivery === 'email' && isTurnOf(request.mode, initial, orderNo.get(s.key)!))
          await this.outbox.enqueue(em, 'signing.invite', { signerId: signer.id, reason: 'invitation' }, { key: `${signer.id}_0`, organisationId: doc.organisationId });
      }
      for (const day of reminderDays) {
        const at = new Date(now.getTime() + day * DAY);
        if (at < deadline) await this.outbox.enqueue(em, 'signing.remind', { requestId: request.id, day }, { key: `${request.id}_${day}`, organisationId: doc.organisationId, availableAt: at });
      }
      await this.outbox.enqueue(em, 'signing.expire', { requestId: request.id }, { key: request.id, organisationId: doc.organisationId, availableAt: deadline });
      await this.lifecycle.markInSignature(em, doc.id, now);
      // A request where only the establishment signs (a DIPC the person may countersign or not).
      await this.progress.countersignatureIfDue(em, request);
      return this.views.viewFor(em, actor, request);
    });
  }

  /**
   * Staff withdraw the request: its links stop working and the document can be sent again. Not once
   * every required signature is in (the director's included): the request then only waits for its
   * seal, and cancelling would throw the signatures away (409 SIGNATURE_REQUEST_FULLY_SIGNED).
   */
  /**
   * Cancels an active request: the links stop working, the signatures given no longer count. The
   * reason is recorded on the `cancelled` event (evidence and audit chain, shown in the history).
   * The console requires it (`reasonRequired`); the JSON API keeps it optional, for the programs
   * written before it existed. Each signer who had been invited is told by e-mail (cancelIn).
   */
  async cancel(actor: StaffActor, requestId: string, opts: { reason?: string | null; reasonRequired?: boolean } = {}): Promise<RequestView> {
    return this.tx.run((em) => this.cancelIn(em, actor, requestId, opts));
  }

  /**
   * `cancel` inside the caller's transaction (the departure that cancels the person's open requests
   * with it). Each signer who had been invited — her turn had come (every signer in parallel mode)
   * and she was to sign from an e-mail link, she had answered, or a link was issued to her (an
   * answer's, an in-person session's) — and who
   * has an e-mail address gets a cancellation e-mail (`notify.cancelled`), queued in the outbox in
   * this transaction: sent only if the cancel commits. Not a signer still waiting for her turn in
   * sequential mode (she never heard of the request), nor the establishment's countersigner (staff
   * cancelled it). `departure`: the e-mail gives the person's departure as the reason — the only
   * reason it gives; staff's free text may be private and is never sent. `death` with it: the
   * e-mail says « à la suite du décès de … », and none is written to the person herself.
   */
  async cancelIn(
    em: EntityManager,
    actor: StaffActor,
    requestId: string,
    opts: { reason?: string | null; reasonRequired?: boolean; departure?: boolean; death?: boolean } = {},
  ): Promise<RequestView> {
    const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
    const signers = await this.repo.signersOf(em, r.id);
    assertNotFullySigned(signers, 'la demande ne peut plus être annulée');
    const reason = opts.reason?.trim() ? opts.reason.trim().slice(0, 1000) : null;
    if (!reason && opts.reasonRequired)
      throw new ValidationError([{ field: 'reason', code: 'REQUIRED', message: 'Indiquez pourquoi la demande de signature est annulée.' }]);
    // The API's DTO rule (@SafeText), for the console's form too: no control character in the history.
    const problem = reason ? textProblem(reason, 'text') : null;
    if (problem) throw new ValidationError([{ field: 'reason', ...problem }]);
    const now = new Date();
    await cancelLockedRequest(
      em,
      { repo: this.repo, links: this.links, lifecycle: this.lifecycle, log: this.log, outbox: this.outbox },
      r,
      signers,
      auditActor(actor),
      { details: reason ? { reason } : {}, departure: opts.departure === true, death: opts.departure === true && opts.death === true },
      now,
    );
    return this.views.viewFor(em, actor, { ...r, status: 'cancelled', closedAt: now });
  }

  /**
   * The person's signature requests still open (active, some required signature missing: one fully
   * signed only waits for its seal and cannot be cancelled), oldest first: what the departure form
   * and PUT /api/residents/:id/departure name. Left open, they go on until their deadline; the
   * purge keeps a document « en signature », and with it the whole file.
   */
  async openForResident(em: EntityManager, organisationId: string, residentId: string): Promise<OpenRequestOfResident[]> {
    const rows = (await em.query(
      `SELECT r.id, r.document_id AS "documentId", d.type, d.subtype, r.created_at AS "sentAt", r.deadline
         FROM signature_requests r JOIN documents d ON d.id = r.document_id
        WHERE d.resident_id = $1 AND d.organisation_id = $2 AND r.status = 'active'
        ORDER BY r.created_at, r.id`,
      [residentId, organisationId],
    )) as { id: string; documentId: string; type: string; subtype: string | null; sentAt: Date; deadline: Date }[];
    const open: OpenRequestOfResident[] = [];
    for (const row of rows) {
      const signers = await this.repo.signersOf(em, row.id);
      if (allRequiredSigned(signers)) continue;
      open.push({
        id: row.id,
        documentId: row.documentId,
        document: documentTypeLabel(row.type, row.subtype)?.short ?? row.type,
        sentOn: calendarDayIn(row.sentAt),
        deadline: row.deadline.toISOString(),
        waitingFor: signers.filter((x) => x.status === 'pending' && !x.optional).map((x) => `${x.firstName} ${x.lastName}`),
        personSideSigned: keptAtDeath(signers),
      });
    }
    return open;
  }

  /**
   * With the departure (`cancelOpenRequests`): each open request cancelled as staff cancel one
   * (`cancelled` event with its reason, links revoked, the document back to « prêt »), the reason
   * « Départ de la personne le … ». Each signer who had been invited is e-mailed that the request is
   * cancelled with the person's departure (cancelIn) — not when the departure puts her in the
   * intermediate archive at once (a departure recorded long after it): then, as for every e-mail
   * about her, `email_skipped`. Inside the departure's transaction: both or neither.
   *
   * `death`: the accompaniment ended by the person's death. The protection measure ends at death
   * (C. civ. 443 al. 1): her representative no longer signs for her, so what was to be signed in her
   * name cannot be concluded — the reason « Décès de la personne le … », the signers invited told
   * « à la suite du décès de … » (no e-mail to the person herself).
   */
  async cancelForDeparture(em: EntityManager, actor: StaffActor, residentId: string, departedOn: string, death = false): Promise<DepartureCancellation> {
    const open = await this.openForResident(em, actor.organisationId, residentId);
    const out: DepartureCancellation = { cancelled: [], kept: [] };
    for (const o of open) {
      // After a death, a request her side has signed stays open for the director's countersignature
      // (policy keptAtDeath: C. civ. 1121, 443 al. 1): no cancellation, no e-mail; a `kept_at_death`
      // event (audited `signature.kept_at_death`) says why, in the evidence and the history. An optional
      // signer of her side who had not signed (the person beside her tuteur) lapses: `lapsed_at_death`.
      if (death && o.personSideSigned === true) {
        const r = await this.access.lockActive(em, actor, o.id, 'signature.manage');
        const signers = await this.repo.signersOf(em, r.id);
        if (keptAtDeath(signers, departedOn)) {
          const reason = keptAtDeathReason(departedOn);
          const lapsed = optionalLapsedAtDeath(signers);
          // Signed on the day of the death: kept (the hour of death is not recorded), with a warning in the event, the audit and the answer (C. civ. 79).
          const sameDay: { sameDayAsDeath?: true; warning?: string } = signedOnDayOfDeath(signers, departedOn) ? { sameDayAsDeath: true, warning: SAME_DAY_AS_DEATH_WARNING } : {};
          await this.log.record(em, r, 'kept_at_death', auditActor(actor), {
            details: { reason, deceasedOn: departedOn, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH', ...(lapsed.length ? { lapsedSignerIds: lapsed.map((x) => x.id) } : {}), ...(sameDay.warning ? { sameDayAsDeath: true, warning: sameDay.warning } : {}) },
          });
          await this.lapseAtDeath(em, actor, r, lapsed, departedOn);
          out.kept.push({ ...o, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH', keptReason: reason, ...sameDay });
          continue;
        }
      }
      await this.cancelIn(em, actor, o.id, { reason: departureCancelReason(departedOn, death), departure: true, death });
      out.cancelled.push(o);
    }
    if (death) await this.closeOptionalAtDeath(em, actor, residentId, departedOn);
    return out;
  }

  /** lapseSignersAtDeath with this service's parts. */
  private async lapseAtDeath(em: EntityManager, actor: StaffActor, r: SignatureRequestEntity, signers: readonly SignerEntity[], deceasedOn: string): Promise<void> {
    await lapseSignersAtDeath(em, { repo: this.repo, links: this.links, log: this.log }, r, signers, deceasedOn, actor);
  }

  /**
   * With her death: her requests whose required signatures are all in (the director's included:
   * sealed, or waiting for the seal) and where an optional signer of her side had not signed — a DIPC
   * or a projet established, its countersignature window open (whose-turn.ts countersignWindowOpen).
   * No one may countersign in her name any more (C. civ. 443 al. 1): each such signer lapses
   * (lapseAtDeath); a request already sealed is completed at once (`countersign_window_closed`,
   * reason `death`); one waiting for its seal is completed by it (the seal opens no window for a
   * lapsed signer, and its evidence says the person died before it).
   */
  private async closeOptionalAtDeath(em: EntityManager, actor: StaffActor, residentId: string, deceasedOn: string): Promise<void> {
    const rows = (await em.query(
      `SELECT r.id FROM signature_requests r JOIN documents d ON d.id = r.document_id
        WHERE d.resident_id = $1 AND d.organisation_id = $2 AND r.status = 'active' ORDER BY r.created_at, r.id`,
      [residentId, actor.organisationId],
    )) as { id: string }[];
    for (const row of rows) {
      const r = await this.access.lockActive(em, actor, row.id, 'signature.manage');
      const signers = await this.repo.signersOf(em, r.id);
      if (!allRequiredSigned(signers)) continue;
      const lapsed = optionalLapsedAtDeath(signers);
      if (!lapsed.length) continue;
      await this.lapseAtDeath(em, actor, r, lapsed, deceasedOn);
      await closeCountersignWindow(em, { repo: this.repo, evidence: this.log }, r, 'death', new Date(), auditActor(actor));
    }
  }

  /**
   * « Relancer le scellement »: the seal failed for good (a `seal_failed` event not followed by a
   * retry) and staff fixed the cause — a new seal job (a new outbox key: the failed row stays as it
   * was), a `seal_retried` event and its audit event. 409 SEAL_NOT_FAILED when there is nothing to retry.
   */
  async retrySeal(actor: StaffActor, requestId: string): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      const events = await this.repo.eventsOf(em, r.id);
      const failure = sealFailureOf(events);
      const signers = await this.repo.signersOf(em, r.id);
      const prior = await this.repo.sealOf(em, r.id);
      // A countersignature given after a DIPC was established is sealed as a new edition (CASF D.311 II): its failed seal may be retried too.
      if (!failure || !allRequiredSigned(signers) || (prior && signedCount(signers) <= signedInSeal(prior)))
        throw new ConflictError('SEAL_NOT_FAILED', 'Le scellement de cette demande n’a pas échoué : il n’y a rien à relancer.');
      const attempt = events.filter((e) => e.kind === 'seal_retried').length + 1;
      await this.outbox.enqueue(em, 'signing.seal', { requestId: r.id }, { key: `${r.id}_retry_${attempt}`, organisationId: r.organisationId });
      await this.log.record(em, r, 'seal_retried', auditActor(actor), { details: { previousCode: failure.code } });
      return this.views.viewFor(em, actor, r);
    });
  }

  private async decide(em: EntityManager, actor: StaffActor, doc: DocumentEntity, proposedContactIds?: string[]): Promise<PolicyDecision> {
    const resident = await this.residents.getForOrganisation(em, actor.organisationId, doc.residentId);
    const est = await this.identity.findEstablishment(em, actor.organisationId, doc.establishmentId);
    if (!resident || !est) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    // Past the active base, no new signature is asked of her, opening or not (intermediate-archive.ts:
    // 409 RESIDENT_ARCHIVED); `preview` says so too, so the console shows it instead of the send form.
    await assertResidentNotArchived(em, actor.organisationId, resident.id);
    // The version the request is for: its data decide who signs (below) and, after a death, whether it may be sent.
    const version = doc.currentVersionId ? await em.findOne(DocumentVersionEntity, { where: { id: doc.currentVersionId }, select: { id: true, number: true, input: true } }) : null;
    // Nor of anyone for a person recorded as deceased: her measure ended with her (C. civ. 443 al. 1; 409 RESIDENT_DECEASED) —
    // but the compte rendu of a meeting held on or before the day of her death, for the director's signature alone (policy `deceasedOn`).
    assertNotDeceased(resident, 'signature', { type: doc.type, meetingDate: meetingDateOf(version?.input) });
    // One contract per stay (CASF L.311-4, D.311): not sent while another contract of its admission
    // is concluded — 409 CONTRACT_ALREADY_IN_FORCE; `preview` says so too, and the console's
    // document page shows it instead of « Envoyer en signature ». `create` asks under the lock.
    await this.contracts.assertNoOtherConcluded(em, doc);
    // The residence choice the current version records (C. civ. 459-2): the policy refuses a
    // disagreement without the judge's decision.
    const residence = residenceChoiceOf(version?.input);
    const on = todayIso();
    // The judge's authorisation for the person to sign this document alone, recorded on it after her
    // curateur refused to assist her (C. civ. 469 al. 3; 494-10 for an habilitation familiale): the
    // policy has her sign without him only for the version whose assistance was refused, under the
    // measure the refusal was made under, while it still applies — checked here, on every decision
    // (a new version, a new judgment since are not what the judge authorised). Otherwise the
    // assistant signs again and the explanation says why.
    const sole = await soleSignatureForDecision(em, doc, resident, version ? { id: version.id, number: version.number } : null, on);
    return decideSigners({
      residence,
      soleSignatureAuthorisation: sole.authorisation,
      soleSignatureSetAside: sole.setAside,
      admissionConsent: admissionConsentOf(version?.input),
      // An avenant to a DIPC follows the DIPC's rule (CASF D.311 VII): the person may countersign.
      appliesTo: appliesToOf(version?.input),
      // The annex on the freedom to come and go is a decision relating to the person (C. civ. 459), not a residence one.
      avenantPurpose: doc.type === 'avenant' ? purposeOf(version?.input) : null,
      documentType: doc.type,
      resident,
      // After her death (only a compte rendu of a meeting held before it gets here): the director alone signs.
      deceasedOn: resident.deceasedOn ?? null,
      establishment: { name: est.name, directorFirstName: est.directorFirstName, directorLastName: est.directorLastName, directorEmail: est.directorEmail },
      on,
      proposedContactIds,
    });
  }
}

/** `document.date` of a version's input snapshot: for a compte rendu de réunion de synthèse, the day of the meeting. */
function meetingDateOf(input: unknown): unknown {
  return (input as { document?: { date?: unknown } } | null | undefined)?.document?.date;
}

/** `document.consentInterview.outcome` of a version's input snapshot, when it records one (contrat de séjour 1.3.0 on). */
function admissionConsentOf(input: unknown): PolicyInput['admissionConsent'] {
  const o = (input as { document?: { consentInterview?: { outcome?: unknown } | null } } | null | undefined)?.document?.consentInterview?.outcome;
  return o === 'consent' || o === 'refusal' || o === 'unable' ? o : null;
}

/** `document.appliesTo` of an avenant's input snapshot: the document it amends (avenant 1.1.0 on). */
function appliesToOf(input: unknown): PolicyInput['appliesTo'] {
  const a = (input as { document?: { appliesTo?: unknown } } | null | undefined)?.document?.appliesTo;
  return a === 'contrat-sejour' || a === 'dipc' ? a : null;
}

/** `document.purpose` of an avenant's input snapshot (avenant 1.3.0 on). */
function purposeOf(input: unknown): string | null {
  const p = (input as { document?: { purpose?: unknown } } | null | undefined)?.document?.purpose;
  return typeof p === 'string' ? p : null;
}

/** `document.residenceChoice` of a version's input snapshot, when it records one (template 1.1.0 on). */
function residenceChoiceOf(input: unknown): ResidenceChoice | null {
  const c = (input as { document?: { residenceChoice?: unknown } } | null | undefined)?.document?.residenceChoice as Partial<ResidenceChoice> | null | undefined;
  if (!c || typeof c !== 'object' || typeof c.agrees !== 'boolean') return null;
  const j = c.judgeDecision;
  return { agrees: c.agrees, judgeDecision: j && typeof j === 'object' && typeof j.reference === 'string' && typeof j.date === 'string' ? { authority: String(j.authority ?? ''), reference: j.reference, date: j.date } : null };
}
