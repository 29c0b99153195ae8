import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { SYSTEM_ACTOR } from '@carepact/audit';
import { sha256Hex, canonicalJson } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, CONTRACT_ALREADY_IN_FORCE, DocumentLifecycle, DocumentType, DocumentsRepository, documentResidentArchived, tariffAnnexOf } from '@carepact/documents';
import { EntityManager } from 'typeorm';
import { IdentityRepository } from '@carepact/identity';
import type { EmailDataByKind, EmailKind } from '@carepact/notifications';
import { JobFailure, OutboxService, PermanentJobError, RetryableJobError, StaffNoticeKind } from '@carepact/queue';
import { contentVariantOf, resolve, templates } from '@carepact/rendering';
import { ResidentsRepository } from '@carepact/residents';
import { SigningLinks } from '../links/signing-links.service';
import { EvidenceLog } from './evidence-log';
import { documentTypeLabel, type DocumentSubtype } from '@carepact/common';
import type { ScanSealPreparation } from '../paper/scan-stamp';
import { Evidence, PaperEvidence, buildEvidence, dateTime, evidenceAnnexesOf, paperDocumentName, paperEvidenceLines, sealTimeOf, sealedTree } from './evidence';
import { TimestampError, sealTimestampAuditDetails, sealTimestampOf } from '../seal';
import { SignatureRequestEntity, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { sealFailureOf, sealFailureReason } from './seal-failure';
import { allRequiredSigned, countersignWindowOpen, countersignatureDue, emailSignersDue, isOptionalCountersigner, isTurnOf, signedCount } from './whose-turn';
import { closeCountersignWindow, signedInSeal } from './signature-progress.service';
import { assistsThePerson } from '../policy/assistance-refusal';
import { isPersonSideSigner } from '../policy/person-side';

/** Sends one email; throws an error with `permanent: true` when retrying cannot help (5xx, bad address). */
export interface Mailer {
  send<K extends EmailKind>(to: { name: string | null; address: string }, kind: K, data: EmailDataByKind[K]): Promise<void>;
}
export const MAILER = Symbol('MAILER');

/** Renders the final tagged PDF with its signature field and seals it (PAdES B-B, or B-T with a time-stamping authority). */
export interface Sealer {
  seal(tree: import('@carepact/rendering').DocumentTree, opts: { signingTime: Date; name: string; reason: string; location: string }): Promise<Buffer>;
  /** Stamps the scan of a signed paper, adds its evidence page and seals it (PAdES B-B), with the same identity. */
  sealScan(scan: Buffer, opts: Omit<ScanSealPreparation, 'signature'> & { name: string; reason: string; location: string }): Promise<Buffer>;
  certificateSubject(): string;
  /** The time-stamping authority's host when seals carry an RFC 3161 token (B-T), null otherwise (B-B). */
  timestampAuthority(): string | null;
}
export const SEALER = Symbol('SEALER');

interface RequestFacts {
  establishment: string;
  phone: string | null;
  directorEmail: string | null;
  type: DocumentType;
  /** What an avenant amends, for its name in the e-mails (documents.subtype). */
  subtype: DocumentSubtype | null;
  residentName: string;
  creatorEmail: string | null;
  creatorName: string | null;
}

/**
 * Why a scheduled e-mail about a request was not sent: the person is in the intermediate archive
 * (libs/documents intermediate-archive.ts). She left long ago; her links no longer open
 * (PORTAL_PERSON_ARCHIVED) and no new signing act is asked of her (RESIDENT_ARCHIVED): an e-mail
 * that invites, reminds or tells staff to act would use her file for a new purpose (RGPD art. 5.1.b
 * and 5.1.e; CNIL délibérations n° 2021-028 and n° 2023-095). The request is not left « en cours »
 * for ever: it still expires at its deadline, without any e-mail (`expire`).
 */
export const SKIPPED_RESIDENT_ARCHIVED = 'resident_archived';

/**
 * Why the completion e-mail of a request kept at her death (`kept_at_death`: her side had signed, the
 * director countersigned after) was not sent to the person herself: she is recorded as deceased
 * (`residents.deceased_on`), and no e-mail goes to a deceased person (as when the death cancels a
 * request). Her representatives and the director still get theirs.
 */
export const SKIPPED_RESIDENT_DECEASED = 'resident_deceased';

/**
 * Why the completion e-mail of a request completed after her recorded death was not sent to a signer
 * of her side other than herself (her former tuteur, curateur, parents…): their mission ended with the
 * death (C. civ. 418, 443 al. 1), the information of a deceased person goes only to her ayants droit,
 * concubin or partenaire de PACS, on request (CSP L.1110-4 V), and her heirs succeed to the contract
 * (C. civ. 724). The signed document goes to the establishment only (the director's own e-mail);
 * staff hand it over to whoever shows a right to it. Not even a contrat de séjour to a former tuteur
 * for his final compte de gestion (C. civ. 514): he asks the establishment, which checks his quality.
 */
export const SKIPPED_REPRESENTATIVE_AFTER_DEATH = 'representative_after_death';

/** The e-mail each staff notice would send, as `email_skipped` names it. */
const STAFF_NOTICE_EMAIL: Record<StaffNoticeKind, EmailKind> = {
  refusal: 'staff-refusal',
  question: 'staff-question',
  seal_failed: 'seal-failed',
  expired: 'request-expired',
  delivery_failed: 'delivery-failed',
  countersign_due: 'countersign-due',
};

function isPermanent(e: unknown): boolean {
  return Boolean((e as { permanent?: boolean })?.permanent);
}

/**
 * Where a staff e-mail leads: the document's page in the console (the page staff work on; never the
 * JSON API), at the part the e-mail is about — the request's questions for a question (the list
 * with its answer forms, document-visa.views Questions), otherwise the request's own section
 * (RequestSection: its signers, the refusal, the countersignature, a new link to send).
 * The section is in the query as well as in the fragment: a browser never sends a fragment, so a
 * person who is not logged in would come back from the login page (html-error.ts, `suite`) at the
 * top of the page; the login's redirect turns `?section=` back into the fragment (console-request.ts
 * consoleReturnPath), without JavaScript.
 */
export function staffConsoleUrl(publicUrl: string, request: Pick<SignatureRequestEntity, 'id' | 'documentId'>, kind: StaffNoticeKind): string {
  const section = kind === 'question' ? `questions-${request.id}` : `demande-${request.id}`;
  return `${publicUrl}/console/documents/${request.documentId}?section=${section}#${section}`;
}

/**
 * Worker side of signing: invitations and reminders (a fresh link each time, the token only in the
 * email), expiry, staff notices, the seal (exactly one per request) and completion emails.
 */
@Injectable()
export class SigningJobsService {
  private readonly log = new Logger('SigningJobs');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly outbox: OutboxService,
    private readonly evidence: EvidenceLog,
    private readonly blobs: BlobStore,
    private readonly links: SigningLinks,
    private readonly documents: DocumentsRepository,
    private readonly lifecycle: DocumentLifecycle,
    private readonly residents: ResidentsRepository,
    private readonly identity: IdentityRepository,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(SEALER) private readonly sealer: Sealer,
  ) {}

  /** What the e-mails say about a request: the establishment, the resident, the document, its author. */
  private async facts(requestId: string): Promise<{ request: SignatureRequestEntity; f: RequestFacts } | null> {
    const em = this.tx.manager;
    const request = await this.repo.requestById(em, requestId);
    const document = request && (await this.documents.findById(em, request.documentId));
    if (!request || !document) return null;
    const establishment = await this.identity.findEstablishment(em, document.organisationId, document.establishmentId);
    const found = await this.residents.findInOrganisation(em, document.organisationId, document.residentId);
    const resident = found?.establishmentId === document.establishmentId ? found : null;
    const creator = request.createdBy ? await this.identity.findUserById(em, request.createdBy) : null;
    if (!establishment || !resident) return null;
    return {
      request,
      f: {
        establishment: establishment.name,
        phone: establishment.phone,
        directorEmail: establishment.directorEmail,
        type: document.type,
        subtype: document.subtype ?? null,
        residentName: `${resident.firstName} ${resident.lastName}`,
        creatorEmail: creator?.email ?? null,
        creatorName: creator?.name ?? null,
      },
    };
  }

  /** Creates a link, emails it, and records the delivery; a failed send revokes the unsent link. */
  async invite(outboxId: string, signerId: string, kind: 'signature-invitation' | 'signature-reminder' | 'question-answered' = 'signature-invitation', reminderDay?: number): Promise<string> {
    const em = this.tx.manager;
    const signer = await this.repo.signerById(em, signerId);
    const facts = signer ? await this.facts(signer.requestId) : null;
    if (!signer || !facts || facts.request.status !== 'active' || signer.status !== 'pending' || !signer.email || signer.delivery !== 'email') {
      await this.outbox.runOnce(outboxId, async () => undefined);
      return 'skipped';
    }
    const { request, f } = facts;
    if (await this.skippedForArchive(outboxId, request, signer.id, { kind, ...(reminderDay ? { day: reminderDay } : {}) })) return 'skipped';
    const now = new Date();
    // Checked again under the request's lock, in the transaction that issues the link: a cancel (or
    // a signature, an expiry, a corrected address) that committed since the reads above wins, and
    // no link is issued or sent. One that comes after this transaction revokes the link it issued.
    const issued = await this.tx.run(async (t) => {
      const locked = await this.repo.lockRequest(t, request.id);
      const current = await this.repo.signerById(t, signer.id);
      // Staff switched this signer to in person since the e-mail was queued: the tablet link stays the live one.
      if (locked?.status !== 'active' || current?.status !== 'pending' || current.email !== signer.email || current.delivery !== 'email') return null;
      // Her optional signature closed at her death (`lapsed_at_death`, C. civ. 443 al. 1): no link any more.
      if ((await this.repo.lapsedAtDeathOf(t, locked.id)).has(signer.id)) return null;
      await this.links.revokeForSigner(t, signer.id, now);
      // An answer reaching a signer whose turn has not come (sequential mode): she reads it now and is
      // invited to sign at her turn, by the invitation e-mail — never « vous pourrez ensuite le signer ».
      const notYourTurn = kind === 'question-answered' && !isTurnOf(locked.mode, await this.repo.signersOf(t, locked.id), current.orderNo);
      return { ...(await this.links.issue(t, locked, signer.id, 'email', now)), notYourTurn };
    });
    if (!issued) {
      await this.outbox.runOnce(outboxId, async () => undefined);
      return 'skipped';
    }
    const { token, link } = issued;
    // An optional countersigner of the person's side (a DIPC, an avenant to it: CASF D.311 II, VII): the
    // e-mail offers the countersignature, never as a required one; once sealed, it is in force (D.311 III).
    const countersign = isOptionalCountersigner(signer) && (f.type === 'dipc' || f.type === 'avenant') ? { established: (await this.repo.sealOf(em, request.id)) !== null } : null;
    try {
      await this.mailer.send({ name: `${signer.firstName} ${signer.lastName}`, address: signer.email }, kind, {
        establishment: { name: f.establishment, phone: f.phone },
        recipientName: `${signer.firstName} ${signer.lastName}`,
        documentType: f.type,
        documentSubtype: f.subtype,
        residentName: signer.role === 'resident' ? null : f.residentName,
        deadline: request.deadline,
        // The answer's link opens the portal on the signer's questions and their answers.
        signUrl: `${this.config.http.publicUrl}/s/${token}${kind === 'question-answered' ? '?vers=questions' : ''}`,
        accessCodeRequired: signer.accessCodeRequired,
        countersign,
        ...(issued.notYourTurn ? { notYourTurn: true } : {}),
      });
    } catch (e) {
      await this.tx.run(async (t) => {
        // The request's lock first, as every transaction that touches its signers and appends to the
        // audit chain takes it (a signature, a paper upload): taken in another order, the signer row
        // and the chain head deadlock (PostgreSQL kills one: a 500 for the signer or staff).
        await this.repo.lockRequest(t, request.id);
        await this.links.revoke(t, link.id);
        await t.update(SignerEntity, { id: signer.id }, { lastEmailStatus: isPermanent(e) ? 'failed' : 'retrying' });
        await this.evidence.record(t, request, 'email_failed', SYSTEM_ACTOR, { signerId: signer.id, details: { permanent: isPermanent(e), kind } });
      });
      if (isPermanent(e)) {
        await this.outbox.runOnce(outboxId, async (t) => {
          await this.outbox.enqueue(t, 'notify.staff', { requestId: request.id, kind: 'delivery_failed', signerId: signer.id }, { key: `delivery_${outboxId}`, organisationId: request.organisationId });
        });
        throw new PermanentJobError('EMAIL_REJECTED', (e as Error).message);
      }
      throw e;
    }
    await this.outbox.runOnce(outboxId, async (t) => {
      // The request's lock before the signer row and the audit chain (see above).
      await this.repo.lockRequest(t, request.id);
      await t.update(SignerEntity, { id: signer.id }, { lastEmailStatus: 'sent' });
      await this.evidence.record(t, request, kind === 'signature-reminder' ? 'reminder' : 'email_sent', SYSTEM_ACTOR, {
        signerId: signer.id,
        details: reminderDay ? { day: reminderDay, linkId: link.id } : kind === 'question-answered' ? { linkId: link.id, kind } : { linkId: link.id },
      });
    });
    return 'sent';
  }

  /**
   * When the person is in the intermediate archive: the e-mail is not sent, and the outbox row is
   * completed with an `email_skipped` event (and its audit event `signature.email_skipped`) saying
   * which e-mail and why, in one transaction. False otherwise (send it).
   */
  private async residentDeceased(request: SignatureRequestEntity): Promise<boolean> {
    const [row] = (await this.tx.manager.query(`SELECT r.deceased_on IS NOT NULL AS deceased FROM documents d JOIN residents r ON r.id = d.resident_id WHERE d.id = $1 AND d.organisation_id = $2`, [
      request.documentId,
      request.organisationId,
    ])) as { deceased: boolean }[];
    return row?.deceased === true;
  }

  private async skippedForArchive(outboxId: string, request: SignatureRequestEntity, signerId: string | null, details: { kind: EmailKind; day?: number }): Promise<boolean> {
    if (!(await documentResidentArchived(this.tx.manager, request.organisationId, request.documentId))) return false;
    await this.outbox.runOnce(outboxId, async (t) => {
      await this.repo.lockRequest(t, request.id);
      await this.evidence.record(t, request, 'email_skipped', SYSTEM_ACTOR, { signerId, details: { ...details, reason: SKIPPED_RESIDENT_ARCHIVED } });
    });
    return true;
  }

  /**
   * Every attempt failed (the SMTP server stayed unreachable): the signer's status says so and
   * staff are told, so that they resend or have the document signed in person. Never silent.
   */
  async inviteGaveUp(signerId: string): Promise<void> {
    await this.tx.run(async (t) => {
      const signer = await this.repo.signerById(t, signerId);
      const request = signer ? await this.repo.requestById(t, signer.requestId) : null;
      if (!signer || !request) return;
      await this.repo.lockRequest(t, request.id);
      await t.update(SignerEntity, { id: signer.id }, { lastEmailStatus: 'failed' });
      await this.evidence.record(t, request, 'email_failed', SYSTEM_ACTOR, { signerId: signer.id, details: { final: true } });
      await this.outbox.enqueue(t, 'notify.staff', { requestId: request.id, kind: 'delivery_failed', signerId: signer.id, failure: 'transient' }, {
        key: `delivery_gaveup_${signer.id}_${Date.now()}`,
        organisationId: request.organisationId,
      });
    });
  }

  /** Reminders: each pending email signer whose turn it is gets a reminder with a fresh link. */
  async remind(outboxId: string, requestId: string, day: number): Promise<number> {
    const em = this.tx.manager;
    const request = await this.repo.requestById(em, requestId);
    if (!request || request.status !== 'active') {
      await this.outbox.complete(outboxId);
      return 0;
    }
    const signers = await this.repo.signersOf(em, request.id);
    // In the intermediate archive: no reminder, each signer it was for says so (`reminder_skipped`).
    if (await documentResidentArchived(em, request.organisationId, request.documentId)) {
      await this.outbox.runOnce(outboxId, async (t) => {
        await this.repo.lockRequest(t, request.id);
        for (const s of emailSignersDue(request.mode, signers))
          if (s.email) await this.evidence.record(t, request, 'reminder_skipped', SYSTEM_ACTOR, { signerId: s.id, details: { day, reason: SKIPPED_RESIDENT_ARCHIVED } });
      });
      return 0;
    }
    // An optional signer closed at the person's death (`lapsed_at_death`): no one may sign in her name any more.
    const lapsed = await this.repo.lapsedAtDeathOf(em, request.id);
    let n = 0;
    await this.outbox.runOnce(outboxId, async (t) => {
      for (const s of emailSignersDue(request.mode, signers)) {
        if (!s.email || lapsed.has(s.id)) continue;
        await this.outbox.enqueue(t, 'signing.invite', { signerId: s.id, reason: 'reminder' }, { key: `${s.id}_reminder_${day}`, organisationId: request.organisationId });
        n++;
      }
    });
    return n;
  }

  /**
   * At the deadline: the request expires, its links die, staff are told. Not once every required
   * signature is in (the director's included): the request then only waits for its seal (queued,
   * running, or failed and shown to staff), and expiring it would throw the signatures away.
   */
  async expire(outboxId: string, requestId: string): Promise<boolean> {
    const r = await this.outbox.runOnce(outboxId, async (t) => {
      const request = await this.repo.lockRequest(t, requestId);
      if (!request || request.status !== 'active') return false;
      const now = new Date();
      if (request.deadline > now) return false;
      if (allRequiredSigned(await this.repo.signersOf(t, request.id))) {
        // Established and sealed (a DIPC, CASF D.311 II): its countersignature window closes at the deadline.
        if (await closeCountersignWindow(t, { repo: this.repo, evidence: this.evidence }, request, 'deadline', now)) return false;
        this.log.log({ requestId: request.id }, 'deadline passed with every signature in: left to its seal, not expired');
        return false;
      }
      await t.update(SignatureRequestEntity, { id: request.id }, { status: 'expired', closedAt: now });
      await this.links.revokeAllOfRequest(t, request.id, now);
      await this.lifecycle.markReady(t, request.documentId, now);
      await this.evidence.record(t, request, 'expired', SYSTEM_ACTOR);
      // In the intermediate archive: expired all the same (never « en cours » for ever), without telling
      // staff to send it again, which they may no longer do (RESIDENT_ARCHIVED).
      if (await documentResidentArchived(t, request.organisationId, request.documentId, now))
        await this.evidence.record(t, request, 'email_skipped', SYSTEM_ACTOR, { details: { kind: 'request-expired', reason: SKIPPED_RESIDENT_ARCHIVED } });
      else await this.outbox.enqueue(t, 'notify.staff', { requestId: request.id, kind: 'expired', signerId: null }, { key: `expired_${request.id}`, organisationId: request.organisationId });
      return true;
    });
    return Boolean(r.result);
  }

  /** Staff notices: the establishment's director address and the request's author. */
  async notifyStaff(outboxId: string, requestId: string, kind: StaffNoticeKind, signerId: string | null, failure: 'permanent' | 'transient' = 'permanent'): Promise<number> {
    const facts = await this.facts(requestId);
    if (!facts) {
      await this.outbox.complete(outboxId);
      return 0;
    }
    // Queued before the person passed into the intermediate archive: staff are not asked to act on it
    // any more (every new act is refused, RESIDENT_ARCHIVED). A failed seal is still told: the
    // signatures were given, and the seal is what keeps them.
    if (kind !== 'seal_failed' && (await this.skippedForArchive(outboxId, facts.request, signerId, { kind: STAFF_NOTICE_EMAIL[kind] }))) return 0;
    if (kind === 'countersign_due') return this.notifyCountersignDue(outboxId, facts);
    const { request, f } = facts;
    const em = this.tx.manager;
    const signer = signerId ? await this.repo.signerById(em, signerId) : null;
    const recipients = [...new Map([[f.directorEmail, null], [f.creatorEmail, f.creatorName]].filter(([a]) => a).map(([a, n]) => [a as string, n])).entries()];
    // A seal failure retried (or sealed) since the notice was queued: nothing to tell any more.
    const sealFailure = kind === 'seal_failed' && request.status === 'active' ? sealFailureOf(await this.repo.eventsOf(em, request.id)) : null;
    if (kind === 'seal_failed' && !sealFailure) {
      await this.outbox.complete(outboxId);
      return 0;
    }
    const base = {
      establishment: { name: f.establishment, phone: f.phone },
      documentType: f.type,
      documentSubtype: f.subtype,
      residentName: f.residentName,
      consoleUrl: staffConsoleUrl(this.config.http.publicUrl, request, kind),
    };
    for (const [address, name] of recipients) {
      const to = { name, address };
      if (kind === 'refusal')
        await this.mailer.send(to, 'staff-refusal', {
          ...base,
          recipientName: name,
          signerName: `${signer!.firstName} ${signer!.lastName}`,
          refusedAt: signer!.actedAt ?? new Date(),
          assistanceRefused: assistsThePerson(request.policy, signer!.key),
          // An optional signature declined: the request goes on, no DIPC (CASF D.311 I).
          optionalSignature: signer!.optional,
          // A personne habilitée's refusal cites C. civ. 494-1 and 494-10, a curateur's 469 (the e-mail's wording).
          ...(assistsThePerson(request.policy, signer!.key) ? { assistantRole: signer!.role === 'habilite' ? ('habilite' as const) : ('curateur' as const) } : {}),
        });
      else if (kind === 'question') await this.mailer.send(to, 'staff-question', { ...base, recipientName: name, signerName: `${signer!.firstName} ${signer!.lastName}`, askedAt: new Date() });
      else if (kind === 'seal_failed') await this.mailer.send(to, 'seal-failed', { ...base, recipientName: name, failedAt: sealFailure!.at, cause: sealFailureReason(sealFailure!.code) });
      else if (kind === 'expired') {
        const pending = (await this.repo.signersOf(em, request.id)).filter((s) => s.status === 'pending' && !s.optional).map((s) => `${s.firstName} ${s.lastName}`);
        await this.mailer.send(to, 'request-expired', { ...base, recipientName: name, deadline: request.deadline, pendingSigners: pending });
      } else
        await this.mailer.send(to, 'delivery-failed', {
          ...base,
          recipientName: name,
          failedEmail: 'signature-invitation',
          intendedRecipient: { name: `${signer!.firstName} ${signer!.lastName}`, address: signer!.email ?? '' },
          failure,
          failedAt: new Date(),
        });
    }
    await this.outbox.complete(outboxId);
    return recipients.length;
  }

  /**
   * Every required signer has signed: the director(s) of the establishment (the accounts holding the
   * director role, and the establishment's director address) are told that their countersignature
   * is what remains (CASF D.311). Nothing is sent when it is no longer due (countersigned, cancelled).
   * The e-mail leaves a signature event and its audit event (`signature.countersign_notified`).
   */
  private async notifyCountersignDue(outboxId: string, { request, f }: { request: SignatureRequestEntity; f: RequestFacts }): Promise<number> {
    const em = this.tx.manager;
    const signers = await this.repo.signersOf(em, request.id);
    const director = request.status === 'active' ? countersignatureDue(signers) : null;
    if (!director) {
      await this.outbox.complete(outboxId);
      return 0;
    }
    const directors = await this.identity.activeUsersWithRole(em, request.organisationId, request.establishmentId, 'director');
    const recipients = new Map<string, string | null>();
    for (const u of directors) recipients.set(u.email.toLowerCase(), u.name);
    if (f.directorEmail && !recipients.has(f.directorEmail.toLowerCase())) recipients.set(f.directorEmail.toLowerCase(), `${director.firstName} ${director.lastName}`);
    const lastSignedAt = new Date(Math.max(...signers.filter((s) => s.status === 'signed' && s.actedAt).map((s) => s.actedAt!.getTime()), request.createdAt.getTime()));
    for (const [address, name] of recipients)
      await this.mailer.send({ name, address }, 'countersign-due', {
        establishment: { name: f.establishment, phone: f.phone },
        recipientName: name,
        documentType: f.type,
        documentSubtype: f.subtype,
        residentName: f.residentName,
        consoleUrl: staffConsoleUrl(this.config.http.publicUrl, request, 'countersign_due'),
        lastSignedAt,
        deadline: request.deadline,
        legalDeadline: request.legalDeadline,
        // CASF D.311 II (VII for an avenant to it): the director's signature establishes the DIPC, the person's side may countersign after.
        establishes: (f.type === 'dipc' || f.type === 'avenant') && signers.some(isOptionalCountersigner),
      });
    await this.outbox.runOnce(outboxId, (t) => this.evidence.record(t, request, 'countersign_notified', SYSTEM_ACTOR, { signerId: director.id, details: { recipients: recipients.size } }));
    return recipients.size;
  }

  /**
   * Exactly one seal per request, even when the last signers finish together: the outbox key is
   * the request, the work runs under the request's lock, and `sealed_documents.request_id` is unique.
   */
  async seal(outboxId: string, requestId: string): Promise<'sealed' | 'skipped'> {
    const em = this.tx.manager;
    const request = await this.repo.requestById(em, requestId);
    const prior = request ? await this.repo.sealOf(em, requestId) : null;
    if (!request || request.status !== 'active' || (prior && signedCount(await this.repo.signersOf(em, request.id)) <= signedInSeal(prior))) {
      await this.outbox.complete(outboxId);
      return 'skipped';
    }
    // CASF D.311 II: a DIPC is established by the director's signature, the person's (or her
    // representative's) countersignature is optional and comes after. The first seal is made as soon
    // as every required signature is in: the document is in force and handed over at once (D.311
    // III, within 15 days of admission), without waiting for a countersignature that may never come.
    // A countersignature given afterwards, in the window (whose-turn.ts countersignWindowOpen), is
    // sealed as a new edition; the request is completed when nobody may countersign any more.
    const edition = prior ? prior.edition + 1 : 1;
    // What the evidence is built from (signers, recorded views, paper), as it is before it is read:
    // compared again under the lock before the seal commits (below).
    const inputs = await this.repo.sealInputsStamp(em, request.id);
    const signers = await this.repo.signersOf(em, request.id);
    if (!allRequiredSigned(signers)) throw new PermanentJobError('SIGNATURES_MISSING', 'not every required signature is there');
    const version = await this.documents.findVersionById(em, request.versionId);
    const document = await this.documents.findById(em, request.documentId);
    const est = await this.identity.findEstablishment(em, request.organisationId, request.establishmentId);
    if (!version || !document || !est) throw new Error(`request ${request.id}: document, version or establishment not found`);
    if (version.inputHash !== request.versionHash) throw new PermanentJobError('VERSION_HASH_MISMATCH', 'version hash changed');
    const establishment = est.name;
    const companions = (await this.documents.renditionsOf(em, [version.id])).map((r) => ({ format: r.format, variant: r.variant, sha256: r.blobSha256 }));
    const paperRow = await this.repo.paperOf(em, request.id);
    const paper: PaperEvidence | undefined = paperRow
      ? {
          originalSha256: paperRow.originalSha256,
          byteSize: paperRow.byteSize,
          pageCount: paperRow.pageCount,
          versionId: paperRow.versionId,
          uploadedAt: paperRow.uploadedAt.toISOString(),
          uploadedBy: { userId: paperRow.uploadedBy, name: paperRow.uploadedByName, account: paperRow.uploadedByEmail },
          signerIds: paperRow.signerIds,
          // The day staff declared the paper signed (asked after the person's death): on its upload event.
          ...(await this.paperSignedOn(em, request.id)),
        }
      : undefined;
    // PDF dates have whole seconds: the evidence says the same time as the seal's /M.
    const sealedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    // Her optional signers closed at her death (`lapsed_at_death`, C. civ. 443 al. 1): no countersignature window for them.
    const lapsed = await this.repo.lapsedAtDeathOf(em, request.id);
    const windowOpen = countersignWindowOpen(
      signers.filter((s) => !lapsed.has(s.id)),
      request.deadline,
      sealedAt,
    );
    // Sealed after her recorded death (a request kept for the countersignature, a paper signed before it): the evidence says so.
    const [died] = (await em.query(`SELECT deceased_on::text AS "deceasedOn" FROM residents WHERE id = $1 AND organisation_id = $2`, [document.residentId, document.organisationId])) as {
      deceasedOn: string | null;
    }[];
    const tsaAuthority = this.sealer.timestampAuthority();
    const evidence = buildEvidence(
      request,
      {
        establishment,
        versionNumber: version.number,
        templateId: version.templateId,
        templateVersion: version.templateVersion,
        templateSha256: version.templateHash,
        documentType: document.type,
        companions,
        certificate: this.sealer.certificateSubject(),
        sealedAt,
        sealTime: sealTimeOf(tsaAuthority, this.config.seal.tsa?.qualified ?? false),
        paper,
        personDeceasedOn: died?.deceasedOn ?? null,
        // What the version recorded when it was created: written once, so not part of the inputs stamp below.
        annexes: evidenceAnnexesOf(version.annexes, version.input, version.createdAt, tariffAnnexOf({ type: document.type, templateVersion: version.templateVersion, input: version.input })),
      },
      signers,
      await this.repo.viewsOf(em, request.id),
      await this.repo.eventsOf(em, request.id),
    );
    let pdf: Buffer;
    if (paper) {
      // Signed on paper: the sealed document is the scan of the paper, stamped, with its evidence page.
      const scan = await this.blobs.get(em, paper.originalSha256);
      if (!scan) throw new PermanentJobError('PAPER_SCAN_MISSING', `request ${request.id}: the scan ${paper.originalSha256} is not stored`);
      const resident = await this.residents.findInOrganisation(em, document.organisationId, document.residentId);
      const personName = resident ? `${resident.firstName} ${resident.lastName}` : 'la personne accompagnée';
      const label = documentTypeLabel(document.type, document.subtype)?.short ?? document.type;
      const uploaded = dateTime(paper.uploadedAt);
      pdf = await this.sealer.sealScan(scan, {
        stampLines: (page, pages) => [
          `Signé sur papier — ${paperDocumentName(label, personName)} — page ${page} sur ${pages}`,
          `Version ${version.id} (n° ${version.number}) — scan déposé le ${uploaded} — scellé par ${establishment}`,
        ],
        evidence: { title: 'Dossier de preuve — document signé sur papier', lines: paperEvidenceLines(evidence, { documentLabel: label, personName }) },
        title: `${paperDocumentName(label, personName)} — signé sur papier`,
        signingTime: sealedAt,
        name: establishment,
        reason: `Document signé sur papier (${paper.signerIds.length} signataire(s) sur le papier) — scan scellé, dossier de preuve joint`,
        location: establishment,
      });
    } else {
      const tree = resolve(templates().load(version.templateId, version.templateVersion), version.input, contentVariantOf('standard'));
      // The footer of each page names the version (libs/rendering, runningHeadersAndFooters).
      tree.meta.versionId = version.id;
      pdf = await this.sealer.seal(sealedTree(tree, signers, evidence), {
        signingTime: sealedAt,
        name: establishment,
        reason: prior
          ? `Contresigné après son établissement (édition ${edition}) — dossier de preuve joint`
          : windowOpen
            ? `Document établi par la signature de l’établissement (CASF D.311) — contresignature possible jusqu’au ${dateTime(request.deadline.toISOString())} — dossier de preuve joint`
            : `Signatures recueillies (${request.policy.signers.length} signataires) — dossier de preuve joint`,
        location: establishment,
      });
    }
    // B-T: the evidence JSON states what the token certifies (« horodatage »), read back from the sealed PDF.
    const stored = tsaAuthority ? withSealTimestamp(evidence, pdf) : evidence;
    const result = await this.outbox.runOnce(outboxId, async (t) => {
      const locked = await this.repo.lockRequest(t, request.id);
      if (!locked || locked.status !== 'active') return false;
      // The PDF is rendered without the lock (seconds, on the render pool): a signer (the person on
      // a DIPC, whose signature is optional) may have signed, or a view been recorded, meanwhile.
      // Sealing evidence that says otherwise than the database is refused: the job runs again and
      // builds from fresh data (each signer and view changes at most a few times: it converges).
      if ((await this.repo.sealInputsStamp(t, request.id)) !== inputs)
        throw new RetryableJobError('SEAL_INPUTS_CHANGED', `request ${request.id}: signers, views or paper changed while the seal was built`);
      // One contract per stay (CASF L.311-4, D.311): never a second contrat de séjour of an admission
      // marked signed. Under the resident's lock (lockRequest); the signature that concluded this one
      // cancelled the others' requests (contract-in-force.ts): this is the last guard, not the rule.
      if (!prior && document.type === 'contrat-sejour' && (await this.documents.otherContractsOfAdmission(t, document.id)).some((o) => o.status === 'signed'))
        throw new PermanentJobError(CONTRACT_ALREADY_IN_FORCE, `request ${request.id}: another contrat de séjour of this admission is signed`);
      const sha = await this.blobs.put(t, pdf);
      const evidenceJson = canonicalJson(stored);
      const inserted = (await t.query(
        `INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at, edition)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id, edition) DO NOTHING RETURNING id`,
        [request.id, version.id, sha, evidenceJson, sha256Hex(evidenceJson), this.sealer.certificateSubject(), sealedAt, edition],
      )) as unknown[];
      if (!inserted.length) return false;
      // Still in the countersignature window: the request stays in progress (the links of those who
      // may countersign stay valid); it is completed when the window closes.
      if (!windowOpen) await t.update(SignatureRequestEntity, { id: request.id }, { status: 'completed', closedAt: sealedAt });
      if (!prior) await this.lifecycle.markSigned(t, request.documentId, sealedAt);
      await this.evidence.record(t, request, 'sealed', SYSTEM_ACTOR, {
        details: {
          sealedSha256: sha,
          evidenceSha256: sha256Hex(evidenceJson),
          versionHash: request.versionHash,
          signingMethod: paper ? 'paper' : 'electronic',
          ...(paper ? { originalSha256: paper.originalSha256 } : {}),
          edition,
          ...(windowOpen ? { countersignUntil: request.deadline.toISOString() } : {}),
          // B-T: the certified time (and the TSA, the token's hash) in the audit chain too, not only in the evidence.
          // Whether the operator declared the TSA qualified (SEAL_TSA_QUALIFIED, eIDAS art. 42): the history says so only then.
          ...(tsaAuthority ? sealTimestampAuditDetails(pdf, this.config.seal.tsa?.qualified ?? false) : {}),
        },
      });
      if (prior && !windowOpen)
        await this.evidence.record(t, request, 'countersign_window_closed', SYSTEM_ACTOR, {
          details: { reason: 'answered', edition, notCountersigned: signers.filter((s) => isOptionalCountersigner(s) && s.status !== 'signed').map((s) => s.id) },
        });
      // The sealed document goes to each signer who signed and, whether they signed or not, to the
      // person and her representative (CASF D.311 III: « remis à chaque personne et, le cas échéant,
      // à son représentant légal »), by e-mail when they have an address; the console shows the
      // others as « À remettre en main propre » (RequestView.handover).
      for (const s of signers) {
        if (s.email && (s.status === 'signed' || s.role !== 'director'))
          await this.outbox.enqueue(t, 'notify.completed', { requestId: request.id, signerId: s.id }, { key: edition === 1 ? `completed_${s.id}` : `completed_${s.id}_e${edition}`, organisationId: request.organisationId });
      }
      return true;
    });
    return result.result ? 'sealed' : 'skipped';
  }

  /** `{ signedOn }` when the paper's upload event recorded the day staff declared it signed; `{}` otherwise. */
  private async paperSignedOn(em: EntityManager, requestId: string): Promise<{ signedOn?: string }> {
    const [row] = (await em.query(`SELECT details->>'signedOn' AS "signedOn" FROM signature_events WHERE request_id = $1 AND kind = 'paper_uploaded' ORDER BY at DESC LIMIT 1`, [requestId])) as {
      signedOn: string | null;
    }[];
    return row?.signedOn ? { signedOn: row.signedOn } : {};
  }

  /**
   * The seal job failed for good (in the transaction that marks its outbox row failed): never
   * silent. The request keeps its signatures and stays in progress (it no longer expires, see
   * `expire`); a `seal_failed` event and its audit event record the error's code (never its
   * message: it may name a path), staff are e-mailed, the document page and « À faire » show it,
   * and « Relancer le scellement » starts it again (SignatureRequestsService.retrySeal).
   */
  async sealFailed(em: EntityManager, outboxId: string, jobOrganisationId: string | null, requestId: string, failure: JobFailure): Promise<void> {
    const request = await this.repo.lockRequest(em, requestId);
    // Never touch another organisation's request from a job that was not enqueued for it.
    const prior = request ? await this.repo.sealOf(em, request.id) : null;
    if (!request || request.organisationId !== jobOrganisationId || request.status !== 'active' || (prior && signedCount(await this.repo.signersOf(em, request.id)) <= signedInSeal(prior))) return;
    await this.evidence.record(em, request, 'seal_failed', SYSTEM_ACTOR, { details: { code: failure.code, retriesExhausted: failure.kind !== 'permanent' } });
    await this.outbox.enqueue(em, 'notify.staff', { requestId: request.id, kind: 'seal_failed', signerId: null }, { key: `seal_failed_${outboxId}`, organisationId: request.organisationId });
  }

  /**
   * Cancellation e-mail to one signer who had been invited (SignatureRequestsService.cancelIn queues
   * it in the cancel's transaction): the request is cancelled, a signature given no longer counts,
   * the establishment will get in touch. No link. The reason only when it is the person's departure
   * or another contrat de séjour of the stay signed (CASF L.311-4, contract-in-force.ts): staff's own
   * words may be private. Skipped, with `email_skipped`, for a person in the intermediate archive,
   * as every other e-mail (a departure recorded long after the fact archives her at once). Sent: `email_sent` with `kind: signature-cancelled` (and its audit event).
   */
  async notifyCancelled(outboxId: string, requestId: string, signerId: string, departure: boolean, otherContractSigned = false, death = false): Promise<string> {
    const facts = await this.facts(requestId);
    const signer = facts ? await this.repo.signerById(this.tx.manager, signerId) : null;
    if (!facts || facts.request.status !== 'cancelled' || !signer?.email || signer.requestId !== requestId) {
      await this.outbox.complete(outboxId);
      return 'skipped';
    }
    const { request, f } = facts;
    if (await this.skippedForArchive(outboxId, request, signer.id, { kind: 'signature-cancelled' })) return 'skipped';
    try {
      await this.mailer.send({ name: `${signer.firstName} ${signer.lastName}`, address: signer.email }, 'signature-cancelled', {
        establishment: { name: f.establishment, phone: f.phone },
        recipientName: `${signer.firstName} ${signer.lastName}`,
        documentType: f.type,
        documentSubtype: f.subtype,
        residentName: signer.role === 'resident' ? null : f.residentName,
        departure,
        // Cancelled with the person's death (C. civ. 443 al. 1: the measure ends, her representative no longer signs): said as such, soberly.
        ...(departure && death ? { death: true } : {}),
        // Cancelled because another contrat de séjour of the stay was signed (contract-in-force.ts): a reason of the law's, not staff's words.
        ...(otherContractSigned ? { otherContractSigned: true } : {}),
        signed: signer.status === 'signed',
      });
    } catch (e) {
      if (isPermanent(e)) {
        await this.outbox.runOnce(outboxId, async (t) => {
          await this.repo.lockRequest(t, request.id);
          await this.evidence.record(t, request, 'email_failed', SYSTEM_ACTOR, { signerId: signer.id, details: { permanent: true, kind: 'signature-cancelled' } });
        });
        throw new PermanentJobError('EMAIL_REJECTED', (e as Error).message);
      }
      throw e;
    }
    await this.outbox.runOnce(outboxId, async (t) => {
      await this.repo.lockRequest(t, request.id);
      await this.evidence.record(t, request, 'email_sent', SYSTEM_ACTOR, { signerId: signer.id, details: { kind: 'signature-cancelled' } });
    });
    return 'sent';
  }

  /** Completion email: a download link (30 days) to the sealed PDF; the document is never attached. */
  async notifyCompleted(outboxId: string, requestId: string, signerId: string): Promise<string> {
    const facts = await this.facts(requestId);
    const em = this.tx.manager;
    const signer = await this.repo.signerById(em, signerId);
    // Completed, or established and sealed with its countersignature window open (CASF D.311 III: handed over at once).
    const seal = facts ? await this.repo.sealOf(em, requestId) : null;
    if (!facts || !signer?.email || !seal) {
      await this.outbox.complete(outboxId);
      return 'skipped';
    }
    const { request, f } = facts;
    // In the intermediate archive, the download link would not open (PORTAL_PERSON_ARCHIVED): not sent.
    if (await this.skippedForArchive(outboxId, request, signer.id, { kind: 'signature-completed' })) return 'skipped';
    // After her recorded death, only the establishment (the director) gets the signed document: nothing to
    // her (SKIPPED_RESIDENT_DECEASED), nor to her former representatives (SKIPPED_REPRESENTATIVE_AFTER_DEATH).
    if (isPersonSideSigner(signer.role) && (await this.residentDeceased(request))) {
      const reason = signer.role === 'resident' ? SKIPPED_RESIDENT_DECEASED : SKIPPED_REPRESENTATIVE_AFTER_DEATH;
      await this.outbox.runOnce(outboxId, async (t) => {
        await this.repo.lockRequest(t, request.id);
        await this.evidence.record(t, request, 'email_skipped', SYSTEM_ACTOR, { signerId: signer.id, details: { kind: 'signature-completed', reason } });
      });
      return 'skipped';
    }
    const now = new Date();
    const { token, link } = await this.tx.run((t) => this.links.issue(t, request, signer.id, 'download', now));
    try {
      await this.mailer.send({ name: `${signer.firstName} ${signer.lastName}`, address: signer.email }, 'signature-completed', {
        establishment: { name: f.establishment, phone: f.phone },
        recipientName: `${signer.firstName} ${signer.lastName}`,
        documentType: f.type,
        documentSubtype: f.subtype,
        residentName: signer.role === 'resident' ? null : f.residentName,
        signedAt: seal.sealedAt,
        // The director signed for the establishment: a staff wording, not the one handed to the person (CASF D.311 III).
        establishmentSigner: signer.role === 'director',
        // Sealed without every optional countersignature (CASF D.311 II): established, not « signé par toutes
        // les personnes concernées »; this recipient may still countersign while the window is open.
        ...((seal.evidence.signers ?? []).some((s) => s.status !== 'signed')
          ? { established: { countersignUntil: request.status === 'active' && isOptionalCountersigner(signer) && signer.status === 'pending' ? request.deadline : null } }
          : {}),
        downloadUrl: `${this.config.http.publicUrl}/s/${token}`,
        downloadAvailableUntil: link.expiresAt,
      });
    } catch (e) {
      await this.links.revoke(this.tx.manager, link.id);
      if (isPermanent(e)) {
        await this.outbox.runOnce(outboxId, async (t) => this.evidence.record(t, request, 'email_failed', SYSTEM_ACTOR, { signerId: signer.id, details: { kind: 'signature-completed' } }));
        throw new PermanentJobError('EMAIL_REJECTED', (e as Error).message);
      }
      throw e;
    }
    await this.outbox.runOnce(outboxId, async (t) => this.evidence.record(t, request, 'completion_sent', SYSTEM_ACTOR, { signerId: signer.id }));
    return 'sent';
  }
}

/**
 * The evidence of a B-T seal with what its token certifies (ETSI EN 319 142-1 baseline B-T): the
 * token is read back from the sealed PDF and checked again; a seal without a valid token is refused
 * (TSA_RESPONSE_INVALID), never stored as if it were time-stamped.
 */
export function withSealTimestamp(evidence: Evidence, pdf: Buffer): Evidence {
  const ts = sealTimestampOf(pdf);
  if (!ts?.ok || evidence.sealTime?.source !== 'tsa')
    throw new TimestampError('TSA_RESPONSE_INVALID', `Le PDF scellé ne porte pas de jeton d’horodatage valide${ts && !ts.ok ? ` : ${ts.reason}` : ''}.`);
  const cert = ts.tsaCertificate;
  return {
    ...evidence,
    sealTime: {
      ...evidence.sealTime,
      timestamp: {
        genTime: ts.genTime.toISOString(),
        serialNumber: ts.serialNumber,
        policy: ts.policy,
        tsaCertificate: cert.subject.replace(/\n/g, ', '),
        tsaCertificateSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      },
    },
  };
}
