import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentEntity, archiveState } from '@carepact/documents';
import { StaffActor, can, establishmentsWith } from '@carepact/identity';
import { EntityManager, In } from 'typeorm';
import { SIGNING_METHOD_FR, SigningMethod } from './evidence';
import { RequestAccess } from './request-access';
import { AuthMethod, EmailStatus, RequestMode, RequestStatus, SignatureRequestEntity, SignerDelivery, SignerStatus } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { openResidenceDispute } from './residence-dispute.guard';
import { failedSealOf, sealFailureOf, sealFailureReason } from './seal-failure';
import { allRequiredSigned, countersignWindowOpen, countersignatureDue } from './whose-turn';
import { SignerQuestionAnswerEntity } from '../visa/visa.entities';
import { withoutFileReferences } from '../policy/file-references';
import { assistsThePerson } from '../policy/assistance-refusal';
import { SAME_DAY_AS_DEATH_WARNING } from '../policy/person-side';
import { declinedCountersignature } from '../policy/consent-sentence';
import { latestSoleSignatureAuthorisation } from '../sole-signature/sole-signature.service';

export interface SignerView {
  id: string;
  key: string;
  role: string;
  name: string;
  capacity: string;
  legalBasis: string;
  order: number;
  optional: boolean;
  delivery: SignerDelivery;
  status: SignerStatus;
  /** How they signed (`paper`: by hand, on the paper whose scan was deposited). */
  authMethod: AuthMethod | null;
  actedAt: string | null;
  refusalReason: string | null;
  /** When staff marked the refusal as handled (it then leaves « À faire »). */
  refusalAcknowledgedAt: string | null;
  accessCodeRequired: boolean;
  lastEmailStatus: EmailStatus | null;
}

/**
 * Who the established document is handed over to (CASF D.311 III: « remis à chaque personne et, le
 * cas échéant, à son représentant légal »), whether they signed or not: the person and each signer
 * of her side. By e-mail (a download link to the sealed PDF) when they have an address; otherwise
 * staff hand it over and record it (« À remettre en main propre »).
 */
export interface HandoverRecipient {
  /** The signer's key, or `resident` for the person when she is not a signer (under tutelle). */
  key: string;
  signerId: string | null;
  name: string;
  capacity: string;
  channel: 'email' | 'in_hand';
  /** The e-mail with the download link was sent (its first sending). */
  sentAt: string | null;
  /** The e-mail could not be delivered: to be handed over in person. */
  emailFailed: boolean;
  handedOver: { on: string; how: string; by: string | null; at: string } | null;
}

export interface HandoverView {
  /** When the document was established (its first seal). */
  establishedAt: string;
  recipients: HandoverRecipient[];
}

type HandoverEvent = { kind: string; at: Date; signerId: string | null; details: Record<string, unknown> | null };

/** Kept at her death, or its completion e-mail withheld for her death: the signed document goes to the establishment only. */
function completedAfterDeath(events: readonly HandoverEvent[]): boolean {
  return events.some((e) => e.kind === 'kept_at_death' || (e.kind === 'email_skipped' && (e.details?.reason === 'resident_deceased' || e.details?.reason === 'representative_after_death')));
}

/** The person and her side's signers, each with how the established document reaches them (see HandoverRecipient). */
export function handoverRecipients(
  r: Pick<SignatureRequestEntity, 'policy'>,
  signers: readonly { id: string; key: string; role: string; firstName: string; lastName: string; capacity: string; email: string | null }[],
  events: readonly HandoverEvent[],
): HandoverRecipient[] {
  const handed = (key: string) => {
    const e = events.find((x) => x.kind === 'handed_over' && x.details?.recipientKey === key);
    return e ? { on: String(e.details!.handedOn), how: String(e.details!.how), by: typeof e.details!.byName === 'string' ? e.details!.byName : null, at: e.at.toISOString() } : null;
  };
  const out: HandoverRecipient[] = signers
    .filter((s) => s.role !== 'director')
    .map((s) => {
      const sent = events.find((e) => e.kind === 'completion_sent' && e.signerId === s.id);
      const failed = !sent && events.some((e) => e.kind === 'email_failed' && e.signerId === s.id && e.details?.kind === 'signature-completed');
      return {
        key: s.key,
        signerId: s.id,
        name: `${s.firstName} ${s.lastName}`,
        capacity: s.capacity,
        channel: s.email && !failed ? ('email' as const) : ('in_hand' as const),
        sentAt: sent?.at.toISOString() ?? null,
        emailFailed: failed,
        handedOver: handed(s.key),
      };
    });
  // After her recorded death the signed document goes to the establishment only (signing-jobs.service.ts
  // SKIPPED_RESIDENT_DECEASED, SKIPPED_REPRESENTATIVE_AFTER_DEATH): no longer to her nor to her former
  // representatives, whose mission ended (C. civ. 418, 443); her ayants droit ask for it (CSP L.1110-4 V;
  // C. civ. 724). Only a handover or an e-mail made before stays listed.
  if (completedAfterDeath(events)) return out.filter((x) => x.handedOver || x.sentAt);
  // Under tutelle (or for a minor) the person is not always a signer: the document is handed to her too.
  const person = signers.some((s) => s.role === 'resident') ? null : r.policy.views.map((v) => v.person).find((p) => p.contactId === null);
  if (person)
    out.unshift({
      key: 'resident',
      signerId: null,
      name: `${person.firstName} ${person.lastName}`,
      capacity: 'la personne accueillie',
      channel: 'in_hand',
      sentAt: null,
      emailFailed: false,
      handedOver: handed('resident'),
    });
  return out;
}

/** RequestView.keptAtDeath from the request's `kept_at_death` event. */
function keptAtDeathOf(events: readonly HandoverEvent[]): RequestView['keptAtDeath'] {
  const kept = events.find((e) => e.kind === 'kept_at_death');
  if (!kept) return null;
  const sameDay = kept.details?.sameDayAsDeath === true;
  return { deceasedOn: String(kept.details?.deceasedOn ?? ''), sameDayAsDeath: sameDay, warning: sameDay ? SAME_DAY_AS_DEATH_WARNING : null };
}

export interface RequestView {
  id: string;
  documentId: string;
  versionId: string;
  /** The number of the version signed (« version N »): what a countersignature names (`{ "confirm": true, "version": N }`). */
  versionNumber: number;
  versionHash: string;
  status: RequestStatus;
  mode: RequestMode;
  /** The end of the request (links stop working then). */
  deadline: string;
  /** The legal deadline fixed when the request was sent (CASF D.311; legal-deadlines.ts): the same everywhere. */
  legalDeadline: string | null;
  /** Sent after its legal deadline: staff were warned and said why (issue 13). */
  sentLate: { reason: string } | null;
  reminderDays: number[];
  explanation: string;
  signers: SignerView[];
  views: {
    key: string;
    person: string;
    reason: string;
    /** `accounts`: the later signers' own accounts of it (the second parent…, C. civ. 371-1 al. 4), each hers. */
    recorded: { expression: string; comment: string | null; at: string; accounts?: { byName: string; comment: string | null; at: string }[] } | null;
  }[];
  questions: { id: string; signerId: string; message: string; askedAt: string; answer: string | null; answeredAt: string | null; followUps: { answer: string; answeredAt: string }[] }[];
  /** `reason`: why an e-mail was not sent (`email_skipped` only; a code, EMAIL_SKIPPED_BY_REASON). */
  events: { kind: string; at: string; signerId: string | null; reason?: string }[];
  /** The latest sealed edition (a DIPC is sealed when established and again after a countersignature, CASF D.311 II). */
  sealed: { sha256: string; sealedAt: string; href: string; evidenceHref: string; edition: number } | null;
  /**
   * Established and sealed, still open to the optional countersignatures of the person's side until
   * this date (the request's deadline; whose-turn.ts countersignWindowOpen). Null otherwise.
   */
  countersignUntil: string | null;
  /** The handover of the established document (CASF D.311 III), once it is sealed; null after her death when nobody of her side is left to hand it to (the establishment keeps it). */
  handover: HandoverView | null;
  /** `paper` once a scan of the signed paper is deposited (the seal is then that scan, stamped); `electronic` otherwise. */
  signingMethod: SigningMethod;
  /** « signé sur papier » or « signature électronique ». */
  signingMethodLabel: string;
  /** The scan of the signed paper: who uploaded it, when, its SHA-256, who signed on it; the original stays downloadable. */
  paper: {
    originalSha256: string;
    byteSize: number;
    pageCount: number;
    versionId: string;
    signerIds: string[];
    uploadedAt: string;
    uploadedBy: { userId: string; name: string };
    originalHref: string;
  } | null;
  /**
   * What staff do next: after a refused contrat de séjour, the DIPC the law then requires
   * (CASF D.311); once every required signer has signed, the establishment's countersignature.
   */
  nextStep: { kind: 'create_dipc'; href: string } | { kind: 'countersign'; href: string } | { kind: 'send'; href: string } | null;
  /**
   * An active request that nobody may sign: the person's view, recorded in the portal, is a
   * disagreement with living in the establishment and the version does not cite the judge's (or
   * family council's) decision (C. civ. 459-2; residence-dispute.ts). Staff then bring it before
   * the judge and send a new version citing the decision. Null otherwise.
   */
  residenceDispute: { person: string; recordedAt: string; recordedBy: string | null } | null;
  /**
   * In progress with every required signature in (the director's included), not sealed yet: it only
   * waits for its seal, and can no longer be cancelled nor expire.
   */
  awaitingSeal: boolean;
  /** The seal failed for good and was not retried since: its code, why and what to do in French, when. Null otherwise. */
  sealFailure: { code: string; reason: string; at: string } | null;
  /** The request ended because the curateur (or the personne habilitée in assistance) refused to assist the person: not a refusal of the contract, no DIPC. */
  assistanceRefused: boolean;
  /**
   * A cancelled request: when, why — staff's reason, or the one written with the person's departure or
   * death (« Départ / Décès de la personne le … ») or another contract signed; null when none was
   * given ('' for a reader without `document.content`: staff's own words) — and who (the staff
   * member's name as recorded on the `cancelled` event; null when not recorded). Null otherwise.
   */
  cancellation?: { at: string; reason: string | null; byName: string | null } | null;
  /**
   * Kept at the person's death for the establishment's countersignature (the `kept_at_death` event):
   * the day of death and whether a signature of her side was given on that very day (`sameDayAsDeath`,
   * with its `warning`: check the hour on the acte de décès, C. civ. 79, 418 and 443). Null otherwise.
   */
  keptAtDeath?: { deceasedOn: string; sameDayAsDeath: boolean; warning: string | null } | null;
  /**
   * After such a refusal: the judge's authorisation for the person to sign the document alone, once
   * recorded on it in answer to this request (C. civ. 469 al. 3; 494-10 for an habilitation
   * familiale; the latest recorded). Its `reference` is null for a reader without `resident.read`.
   * The next step is then to send the document again (`nextStep.kind` `send`, while it is ready and
   * still at the version refused here): the person signs alone. Null otherwise.
   */
  soleSignatureAuthorisation: { court: string; decisionDate: string; reference: string | null; recordedAt: string; recordedBy: string } | null;
  /**
   * True for a reader without `document.content` (the auditor): what signers and staff wrote about
   * the document is withheld — a question's `message` and its answers are empty strings (an answer
   * still non-null when given), refusal reasons and the view's comment null, why it was sent late
   * and how it was handed over empty strings. Dates and statuses stay.
   */
  contentWithheld: boolean;
}

/**
 * A request as this reader may see it: without `document.content`, no text written by signers or
 * staff about the document (questions, answers, refusal reasons, the person's view's comment);
 * without `resident.read`, the policy's sentences without the judgment references of her file.
 */
export function requestViewFor(v: RequestView, reader: { content: boolean; residentFile: boolean; archived?: boolean }): RequestView {
  const file = (t: string) => (reader.residentFile || !t ? t : withoutFileReferences(t));
  const out: RequestView = {
    ...v,
    // In the intermediate archive, opened or not, no next act is offered: no DIPC, no new sending, no
    // countersignature (RESIDENT_ARCHIVED, intermediate-archive.ts).
    ...(reader.archived ? { nextStep: null } : {}),
    explanation: file(v.explanation),
    signers: v.signers.map((s) => ({ ...s, legalBasis: file(s.legalBasis) })),
    soleSignatureAuthorisation: v.soleSignatureAuthorisation && !reader.residentFile ? { ...v.soleSignatureAuthorisation, reference: null } : v.soleSignatureAuthorisation,
  };
  if (reader.content) return out;
  return {
    ...out,
    contentWithheld: true,
    // The replacement DIPC is made from the contract's content (DipcOfferService refuses it to this reader): not offered.
    nextStep: out.nextStep?.kind === 'create_dipc' ? null : out.nextStep,
    signers: out.signers.map((s) => ({ ...s, refusalReason: null })),
    // Why it was sent late, how it was handed over: staff's own words about the person, content as a refusal's reason.
    sentLate: out.sentLate ? { reason: '' } : null,
    cancellation: out.cancellation ? { ...out.cancellation, reason: out.cancellation.reason === null ? null : '' } : (out.cancellation ?? null),
    handover: out.handover ? { ...out.handover, recipients: out.handover.recipients.map((x) => (x.handedOver ? { ...x, handedOver: { ...x.handedOver, how: '' } } : x)) } : null,
    views: v.views.map((w) => ({ ...w, recorded: w.recorded ? { ...w.recorded, comment: null, accounts: w.recorded.accounts?.map((a) => ({ ...a, comment: null })) } : null })),
    questions: v.questions.map((q) => ({ ...q, message: '', answer: q.answer === null ? null : '', followUps: q.followUps.map((a) => ({ ...a, answer: '' })) })),
  };
}

/** What staff see of signature requests: one request, a document's requests, the inbox. */
@Injectable()
export class RequestViews {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly access: RequestAccess,
  ) {}

  async get(actor: StaffActor, requestId: string): Promise<RequestView> {
    const em = this.tx.manager;
    const r = await this.access.request(em, actor, requestId, 'document.read');
    const doc = await em.findOneByOrFail(DocumentEntity, { id: r.documentId });
    return requestViewFor(await this.view(em, r), await readerOf(em, actor, doc));
  }

  /**
   * `view` as this actor may read it (requestViewFor, as `get`): what the actions on a request
   * answer with (cancel, resend, witness, countersign, handover, paper…), so that past the active
   * base they give no more of what signers and staff wrote than the request's own view.
   */
  async viewFor(em: EntityManager, actor: StaffActor, r: SignatureRequestEntity): Promise<RequestView> {
    const doc = await em.findOneByOrFail(DocumentEntity, { id: r.documentId });
    return requestViewFor(await this.view(em, r), await readerOf(em, actor, doc));
  }

  async listForDocument(actor: StaffActor, documentId: string): Promise<RequestView[]> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    const requests = await this.repo.requestsOfDocument(em, doc.id);
    const reader = await readerOf(em, actor, doc);
    return Promise.all(requests.map(async (r) => requestViewFor(await this.view(em, r), reader)));
  }

  /**
   * Refusals not acknowledged and questions not answered, in the actor's establishments; the
   * countersignatures due (every required signer has signed), where the actor may countersign; and
   * the seals that failed for good (« Scellements échoués » of « À faire »), where the actor may
   * retry them (signature.manage, as `POST …/seal-retry`): the code, its French reason and the link.
   */
  async inbox(actor: StaffActor) {
    const em = this.tx.manager;
    // Their texts (a refusal's reason, a question) are the document's content: where the actor reads it.
    // Past the active base, without the texts unless this reader opened the person's archive (as `get` withholds them).
    const inbox = await this.repo.inbox(em, actor.organisationId, establishmentsWith(actor, 'document.content'), { userId: actor.userId, now: new Date() });
    const { questions } = inbox;
    // A DIPC's countersignature declined (CASF D.311 II) is no refusal to handle: left out (declinedCountersignature).
    const refusals = inbox.refusals
      .filter((x) => !declinedCountersignature({ role: String(x.signer_role), optional: x.optional === true, status: 'refused' }, String(x.document_type)))
      .map(({ signer_role: _role, optional: _optional, ...x }) => x);
    const countersigns = establishmentsWith(actor, 'signature.countersign');
    const manages = establishmentsWith(actor, 'signature.manage');
    const countersignatures = [];
    const sealFailures = [];
    for (const r of await this.repo.activeRequests(em, actor.organisationId, [...new Set([...countersigns, ...manages])])) {
      const failure = failedSealOf(r);
      if (failure) {
        // No content: the document's type, the failure's code and reason (what staff do about it).
        if (manages.includes(r.establishmentId))
          sealFailures.push({
            request_id: r.id,
            document_id: r.documentId,
            document_type: r.documentType,
            code: failure.code,
            reason: sealFailureReason(failure.code),
            failed_at: failure.at,
            href: `/api/signature-requests/${r.id}/seal-retry`,
            method: 'POST',
          });
        continue;
      }
      const director = countersigns.includes(r.establishmentId) ? countersignatureDue(r.signers) : null;
      if (!director) continue;
      countersignatures.push({
        request_id: r.id,
        document_id: r.documentId,
        document_type: r.documentType,
        signer_id: director.id,
        last_signed_at: lastSignatureAt(r),
        deadline: r.deadline,
        legal_deadline: r.legalDeadline,
        href: `/api/signature-requests/${r.id}/countersign`,
      });
    }
    return { refusals, questions, countersignatures, sealFailures };
  }

  async view(em: EntityManager, r: SignatureRequestEntity): Promise<RequestView> {
    // One after the other: inside a transaction they share one connection.
    const signers = await this.repo.signersOf(em, r.id);
    const events = await this.repo.eventsOf(em, r.id);
    const views = await this.repo.viewsOf(em, r.id);
    const questions = await this.repo.questionsOf(em, [r.id]);
    const followUps = questions.length ? await em.find(SignerQuestionAnswerEntity, { where: { questionId: In(questions.map((q) => q.id)) }, order: { answeredAt: 'ASC' } }) : [];
    const seal = await this.repo.sealOf(em, r.id);
    const paper = await this.repo.paperOf(em, r.id);
    const [{ number: versionNumber }] = (await em.query(`SELECT number FROM document_versions WHERE id = $1`, [r.versionId])) as { number: number }[];
    const signingMethod: SigningMethod = paper ? 'paper' : 'electronic';
    const decision = r.policy;
    // A curateur's refusal to assist is not the contract's refusal (assistance-refusal.ts): no DIPC.
    const assistanceRefused = r.status === 'refused' && signers.some((s) => s.status === 'refused' && !s.optional && assistsThePerson(decision, s.key));
    const refusedContract = r.status === 'refused' && decision.documentType === 'contrat-sejour' && !assistanceRefused;
    // C. civ. 469 al. 3: once the judge's authorisation is recorded on the document, the person signs it alone: send it again.
    // Only the authorisation that answers this request's refusal (a later refusal, on a later version, has its own).
    const latest = assistanceRefused ? await latestSoleSignatureAuthorisation(em, r.documentId) : null;
    const sole = latest && latest.refusedRequestId === r.id ? latest : null;
    // She signs alone the version refused here only: once the document has another, that one goes to the assistant again (soleSignatureSetAside).
    const docNow = sole ? await em.findOne(DocumentEntity, { where: { id: r.documentId }, select: { id: true, status: true, currentVersionId: true } }) : null;
    const sendAgain = docNow?.status === 'ready' && docNow.currentVersionId === r.versionId;
    const countersign = r.status === 'active' && countersignatureDue(signers) !== null;
    const awaitingSeal = r.status === 'active' && !seal && allRequiredSigned(signers);
    const sealFailure = awaitingSeal ? sealFailureOf(events) : null;
    const cancelled = r.status === 'cancelled' ? events.find((e) => e.kind === 'cancelled') : undefined;
    const dispute = r.status === 'active' ? await openResidenceDispute(em, r, views.map((v) => ({ key: v.viewKey, expression: v.expression }))) : null;
    const disputed = dispute ? views.find((v) => v.viewKey === dispute.key)! : null;
    const disputedBy = disputed ? signers.find((s) => s.id === disputed.recordedBySignerId) : undefined;
    return {
      id: r.id,
      documentId: r.documentId,
      versionId: r.versionId,
      versionNumber,
      versionHash: r.versionHash,
      status: r.status,
      mode: r.mode,
      deadline: r.deadline.toISOString(),
      legalDeadline: r.legalDeadline?.toISOString() ?? null,
      sentLate: r.lateReason ? { reason: r.lateReason } : null,
      reminderDays: r.reminderDays,
      explanation: decision.explanation,
      signers: signers.map((s) => ({
        id: s.id,
        key: s.key,
        role: s.role,
        name: `${s.firstName} ${s.lastName}`,
        capacity: s.capacity,
        legalBasis: s.legalBasis,
        order: s.orderNo,
        optional: s.optional,
        delivery: s.delivery,
        status: s.status,
        authMethod: s.authMethod,
        actedAt: s.actedAt?.toISOString() ?? null,
        refusalReason: s.refusalReason,
        refusalAcknowledgedAt: s.refusalAcknowledgedAt?.toISOString() ?? null,
        accessCodeRequired: s.accessCodeRequired,
        lastEmailStatus: s.lastEmailStatus,
      })),
      views: decision.views.map((v) => {
        const rec = views.find((x) => x.viewKey === v.key);
        return {
          key: v.key,
          person: `${v.person.firstName} ${v.person.lastName}`,
          reason: v.reason,
          recorded: rec
            ? {
                expression: rec.expression,
                comment: rec.comment,
                at: rec.recordedAt.toISOString(),
                ...(rec.accounts?.length ? { accounts: rec.accounts.map((a) => ({ byName: a.byName, comment: a.comment, at: a.at })) } : {}),
              }
            : null,
        };
      }),
      questions: questions.map((q) => ({
        id: q.id,
        signerId: q.signerId,
        message: q.message,
        askedAt: q.askedAt.toISOString(),
        answer: q.answer,
        answeredAt: q.answeredAt?.toISOString() ?? null,
        followUps: followUps.filter((a) => a.questionId === q.id).map((a) => ({ answer: a.answer, answeredAt: a.answeredAt.toISOString() })),
      })),
      events: events.map((e) => ({ kind: e.kind, at: e.at.toISOString(), signerId: e.signerId, ...(e.kind === 'email_skipped' && typeof e.details?.reason === 'string' ? { reason: e.details.reason } : {}) })),
      keptAtDeath: keptAtDeathOf(events),
      sealed: seal
        ? {
            sha256: seal.blobSha256,
            sealedAt: seal.sealedAt.toISOString(),
            href: `/api/signature-requests/${r.id}/signed.pdf`,
            evidenceHref: `/api/signature-requests/${r.id}/evidence.json`,
            edition: seal.edition,
          }
        : null,
      countersignUntil: seal && r.status === 'active' && countersignWindowOpen(signers, r.deadline) ? r.deadline.toISOString() : null,
      // After her death, nobody of her side left to hand it to (handoverRecipients): no handover block at all.
      handover:
        seal && !(completedAfterDeath(events) && !handoverRecipients(r, signers, events).length)
          ? {
              establishedAt: (events.find((e) => e.kind === 'sealed')?.at ?? seal.sealedAt).toISOString(),
              recipients: handoverRecipients(r, signers, events),
            }
          : null,
      contentWithheld: false,
      signingMethod,
      signingMethodLabel: SIGNING_METHOD_FR[signingMethod],
      paper: paper
        ? {
            originalSha256: paper.originalSha256,
            byteSize: paper.byteSize,
            pageCount: paper.pageCount,
            versionId: paper.versionId,
            signerIds: paper.signerIds,
            uploadedAt: paper.uploadedAt.toISOString(),
            uploadedBy: { userId: paper.uploadedBy, name: paper.uploadedByName },
            originalHref: `/api/signature-requests/${r.id}/paper/original.pdf`,
          }
        : null,
      nextStep: refusedContract
        ? { kind: 'create_dipc', href: `/api/signature-requests/${r.id}/dipc` }
        : countersign
          ? { kind: 'countersign', href: `/api/signature-requests/${r.id}/countersign` }
          : sendAgain
            ? { kind: 'send', href: `/api/documents/${r.documentId}/signature-requests` }
            : null,
      assistanceRefused,
      soleSignatureAuthorisation: sole
        ? { court: sole.court, decisionDate: sole.decisionDate, reference: sole.reference, recordedAt: sole.recordedAt.toISOString(), recordedBy: sole.recordedByName }
        : null,
      awaitingSeal,
      sealFailure: sealFailure ? { code: sealFailure.code, reason: sealFailureReason(sealFailure.code), at: sealFailure.at.toISOString() } : null,
      cancellation: cancelled
        ? {
            at: cancelled.at.toISOString(),
            reason: typeof cancelled.details?.reason === 'string' && cancelled.details.reason ? cancelled.details.reason : null,
            byName: typeof cancelled.details?.byName === 'string' && cancelled.details.byName ? cancelled.details.byName : null,
          }
        : r.status === 'cancelled'
          ? { at: (r.closedAt ?? r.deadline).toISOString(), reason: null, byName: null }
          : null,
      residenceDispute: disputed
        ? {
            person: disputed.personName,
            recordedAt: disputed.recordedAt.toISOString(),
            recordedBy: disputedBy ? `${disputedBy.firstName} ${disputedBy.lastName}` : null,
          }
        : null,
    };
  }
}

/** When the last signature of a request was given (its creation when nobody has signed). */
export function lastSignatureAt(r: { createdAt: Date; signers: { actedAt: Date | null; status: string }[] }): Date {
  return new Date(Math.max(r.createdAt.getTime(), ...r.signers.filter((s) => s.status === 'signed' && s.actedAt).map((s) => new Date(s.actedAt!).getTime())));
}

/**
 * What this reader may read of a document's requests: its content with `document.content`, and only
 * while the resident's documents are in the active base or their intermediate archive is open to
 * them (intermediate-archive.ts: what signers and staff wrote is content too); the judgment
 * references of the file with `resident.read`.
 */
async function readerOf(em: EntityManager, actor: StaffActor, doc: { establishmentId: string; residentId: string }): Promise<{ content: boolean; residentFile: boolean; archived: boolean }> {
  // One read for both: the archive's state whoever reads (`archivedSince`), and whether this reader opened it.
  const archive = await archiveState(em, actor, doc.residentId);
  const content = can(actor, 'document.content', doc.establishmentId) && (!!actor.system || !archive.archivedSince || !!archive.openUntil);
  return { content, residentFile: can(actor, 'resident.read', doc.establishmentId), archived: !!archive.archivedSince };
}
