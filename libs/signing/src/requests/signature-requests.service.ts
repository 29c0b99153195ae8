import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError, randomToken, sha256Hex } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { DocumentEntity, DocumentsService } from '@carepact/documents';
import { IdentityRepository, StaffActor, assertCan, auditActor, visibleEstablishments } from '@carepact/identity';
import { OutboxService } from '@carepact/queue';
import { ResidentsService, addMonthsIso, todayIso } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import { decideSigners } from '../policy';
import type { PolicyDecision, PolicyDocumentType } from '../policy/policy.types';
import { EvidenceLog } from './evidence-log';
import { SignatureRequestEntity, SignerEntity, SignerQuestionEntity, SigningLinkEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';

export const DEFAULT_DEADLINE_DAYS = 30;
export const DEFAULT_REMINDER_DAYS = [3, 7];
/** Links for in-person signing, opened by staff on a tablet: short-lived. */
export const IN_PERSON_LINK_MINUTES = 120;
export const ACCESS_CODE_MINUTES = 10;
export const LINK_LIFETIME_DAYS = 14;

const DAY = 86_400_000;

/**
 * Legal deadlines (DOMAIN.md): the contract (and the DIPC that replaces it) is signed within one
 * month of admission (CASF D.311); the first avenant within six months.
 */
export function legalDeadline(type: PolicyDocumentType, admissionDate: string): Date | null {
  if (type === 'contrat-sejour' || type === 'dipc') return new Date(`${addMonthsIso(admissionDate, 1)}T23:59:59Z`);
  if (type === 'avenant') return new Date(`${addMonthsIso(admissionDate, 6)}T23:59:59Z`);
  return null;
}

export interface CreateRequestInput {
  mode?: 'parallel' | 'sequential';
  deadline?: string;
  reminderDays?: number[];
  /** Per signer key: how they sign, and whether staff will give them an access code. */
  delivery?: Record<string, { method?: 'email' | 'in_person'; accessCode?: boolean }>;
  proposedContactIds?: string[];
}

export interface SignerView {
  id: string;
  key: string;
  role: string;
  name: string;
  capacity: string;
  legalBasis: string;
  order: number;
  optional: boolean;
  delivery: string;
  status: string;
  actedAt: string | null;
  refusalReason: string | null;
  accessCodeRequired: boolean;
  lastEmailStatus: string | null;
}

export interface RequestView {
  id: string;
  documentId: string;
  versionId: string;
  versionHash: string;
  status: string;
  mode: string;
  deadline: string;
  legalDeadline: string | null;
  reminderDays: number[];
  explanation: string;
  signers: SignerView[];
  views: { key: string; person: string; reason: string; recorded: { expression: string; comment: string | null; at: string } | null }[];
  questions: { id: string; signerId: string; message: string; askedAt: string; answer: string | null }[];
  events: { kind: string; at: string; signerId: string | null }[];
  sealed: { sha256: string; sealedAt: string; href: string; evidenceHref: string } | null;
  /** After a refused contrat de séjour: the DIPC the law then requires (CASF D.311). */
  nextStep: { kind: 'create_dipc'; href: string } | null;
}

@Injectable()
export class SignatureRequestsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly identity: IdentityRepository,
    private readonly residents: ResidentsService,
    private readonly documents: DocumentsService,
    private readonly outbox: OutboxService,
    private readonly log: EvidenceLog,
  ) {}

  /** Who would sign, before creating anything (the console shows it; refusals come out here too). */
  async preview(actor: StaffActor, documentId: string, proposedContactIds?: string[]): Promise<PolicyDecision> {
    const em = this.tx.manager;
    const doc = await this.scopedDocument(em, actor, documentId, 'document.read');
    return this.decide(em, actor, doc, proposedContactIds);
  }

  async create(actor: StaffActor, documentId: string, input: CreateRequestInput): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const doc = await this.scopedDocument(em, actor, documentId, 'signature.manage');
      await em.query('SELECT 1 FROM documents WHERE id = $1 FOR UPDATE', [doc.id]);
      if (doc.status !== 'ready')
        throw new ConflictError(
          doc.status === 'in_signature' ? 'SIGNATURE_REQUEST_EXISTS' : 'DOCUMENT_NOT_READY',
          doc.status === 'in_signature' ? 'Une demande de signature est déjà en cours pour ce document.' : 'Le document doit être généré (état « prêt ») avant la demande de signature.',
        );
      const [version] = (await em.query(
        `SELECT v.id, v.input_hash, v.status, r.blob_sha256 AS pdf FROM document_versions v
           JOIN renditions r ON r.version_id = v.id AND r.format = 'pdf' AND r.variant = 'standard' WHERE v.id = $1`,
        [doc.currentVersionId],
      )) as { id: string; input_hash: string; status: string; pdf: string }[];
      if (!version || version.status !== 'ready') throw new ConflictError('DOCUMENT_NOT_READY', 'La version courante n’est pas encore générée.');
      const decision = await this.decide(em, actor, doc, input.proposedContactIds);
      const resident = await this.residents.getForOrganisation(em, actor.organisationId, doc.residentId);
      const now = new Date();
      const legal = legalDeadline(doc.type, resident!.admissionDate);
      let deadline = input.deadline ? new Date(`${input.deadline}T23:59:59Z`) : new Date(now.getTime() + DEFAULT_DEADLINE_DAYS * DAY);
      if (Number.isNaN(deadline.getTime()) || deadline <= now)
        throw new ValidationError([{ field: 'deadline', code: 'INVALID_DATE', message: 'L’échéance doit être une date future (AAAA-MM-JJ).' }]);
      // Never past the legal deadline when one applies and is still ahead.
      if (legal && legal > now && deadline > legal) deadline = legal;
      const reminderDays = [...new Set(input.reminderDays ?? DEFAULT_REMINDER_DAYS)].sort((a, b) => a - b);
      if (reminderDays.some((d) => !Number.isInteger(d) || d < 1 || d > 60))
        throw new ValidationError([{ field: 'reminderDays', code: 'INVALID', message: 'Les relances se comptent en jours, de 1 à 60.' }]);
      for (const key of Object.keys(input.delivery ?? {}))
        if (!decision.signers.some((s) => s.key === key))
          throw new ValidationError([{ field: `delivery.${key}`, code: 'UNKNOWN_SIGNER', message: 'Ce signataire ne fait pas partie de la demande.' }]);

      const request = em.create(SignatureRequestEntity, {
        organisationId: doc.organisationId,
        establishmentId: doc.establishmentId,
        documentId: doc.id,
        versionId: version.id,
        versionHash: version.input_hash,
        pdfSha256: version.pdf,
        status: 'active',
        mode: input.mode ?? 'parallel',
        deadline,
        reminderDays,
        policy: decision as unknown as Record<string, unknown>,
        createdBy: actor.system ? null : actor.userId,
        createdAt: now,
        closedAt: null,
      });
      await em.insert(SignatureRequestEntity, request as never);
      const who = auditActor(actor);
      await this.log.record(em, request, 'created', who, {
        details: { documentId: doc.id, versionId: version.id, versionHash: version.input_hash, pdfSha256: version.pdf, signers: decision.signers.map((s) => s.key) },
      });
      for (const s of decision.signers) {
        const wanted = input.delivery?.[s.key];
        const delivery: SignerEntity['delivery'] = s.role === 'director' ? 'staff' : (wanted?.method ?? (s.person.email ? 'email' : 'in_person'));
        if (delivery === 'email' && !s.person.email)
          throw new ValidationError([{ field: `delivery.${s.key}`, code: 'EMAIL_MISSING', message: `${s.person.firstName} ${s.person.lastName} n’a pas d’adresse e-mail : choisissez la signature en présence.` }]);
        const signer = em.create(SignerEntity, {
          requestId: request.id,
          key: s.key,
          role: s.role,
          contactId: s.person.contactId,
          firstName: s.person.firstName,
          lastName: s.person.lastName,
          email: s.person.email,
          capacity: s.capacity,
          measure: s.measure as unknown as Record<string, unknown> | null,
          legalBasis: s.legalBasis,
          orderNo: s.order,
          optional: s.optional,
          delivery,
          status: 'pending',
          accessCodeRequired: wanted?.accessCode ?? false,
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
        if (delivery === 'email' && this.isTurnOf(request, decision.signers.map((x) => ({ orderNo: x.order, status: 'pending', optional: x.optional })), s.order))
          await this.outbox.enqueue(em, 'signing.invite', { signerId: signer.id, reason: 'invitation' }, { key: `${signer.id}_0`, organisationId: doc.organisationId });
      }
      for (const day of reminderDays) {
        const at = new Date(now.getTime() + day * DAY);
        if (at < deadline) await this.outbox.enqueue(em, 'signing.remind', { requestId: request.id, day }, { key: `${request.id}_${day}`, organisationId: doc.organisationId, availableAt: at });
      }
      await this.outbox.enqueue(em, 'signing.expire', { requestId: request.id }, { key: request.id, organisationId: doc.organisationId, availableAt: deadline });
      await em.update(DocumentEntity, { id: doc.id }, { status: 'in_signature', updatedAt: now });
      return this.view(em, request, legal);
    });
  }

  async get(actor: StaffActor, requestId: string): Promise<RequestView> {
    const em = this.tx.manager;
    const r = await this.scopedRequest(em, actor, requestId, 'document.read');
    const resident = await this.residents.getForOrganisation(em, actor.organisationId, (await em.findOneByOrFail(DocumentEntity, { id: r.documentId })).residentId);
    return this.view(em, r, legalDeadline((r.policy as { documentType: PolicyDocumentType }).documentType, resident!.admissionDate));
  }

  async listForDocument(actor: StaffActor, documentId: string): Promise<RequestView[]> {
    const em = this.tx.manager;
    const doc = await this.scopedDocument(em, actor, documentId, 'document.read');
    const requests = await this.repo.requestsOfDocument(em, doc.id);
    return Promise.all(requests.map((r) => this.view(em, r, null)));
  }

  async cancel(actor: StaffActor, requestId: string): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.lockActive(em, actor, requestId, 'signature.manage');
      const now = new Date();
      await em.update(SignatureRequestEntity, { id: r.id }, { status: 'cancelled', closedAt: now });
      await this.repo.revokeAllLinks(em, r.id, now);
      await em.update(DocumentEntity, { id: r.documentId }, { status: 'ready', updatedAt: now });
      await this.log.record(em, r, 'cancelled', auditActor(actor));
      return this.view(em, { ...r, status: 'cancelled', closedAt: now }, null);
    });
  }

  /** Sends a new link to one signer (optionally to a corrected address): the previous link stops working. */
  async resend(actor: StaffActor, requestId: string, signerId: string, email?: string): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.lockActive(em, actor, requestId, 'signature.manage');
      const s = await this.signerOf(em, r, signerId);
      if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', 'Cette personne a déjà signé ou refusé.');
      if (s.delivery === 'staff') throw new ConflictError('SIGNER_IS_STAFF', 'La contresignature se fait depuis la console, sans e-mail.');
      if (email !== undefined) await em.update(SignerEntity, { id: s.id }, { email, delivery: 'email' });
      if (!(email ?? s.email)) throw new ValidationError([{ field: 'email', code: 'EMAIL_MISSING', message: 'Indiquez une adresse e-mail, ou faites signer en présence.' }]);
      const now = new Date();
      const revoked = await this.repo.revokeLinks(em, s.id, now);
      if (revoked) await this.log.record(em, r, 'revoked', auditActor(actor), { signerId: s.id, details: { links: revoked } });
      await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'resend' }, { key: `${s.id}_${now.getTime()}`, organisationId: r.organisationId });
      await this.log.record(em, r, 'resent', auditActor(actor), { signerId: s.id });
      return this.view(em, r, null);
    });
  }

  /**
   * In-person signing on a tablet: a short link the staff member opens on the device; the signer
   * reads and signs in the same portal. Returns the URL (never emailed, never logged).
   */
  async openInPerson(actor: StaffActor, requestId: string, signerId: string, publicUrl: string): Promise<{ url: string; expiresAt: string }> {
    return this.tx.run(async (em) => {
      const r = await this.lockActive(em, actor, requestId, 'signature.manage');
      const s = await this.signerOf(em, r, signerId);
      if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', 'Cette personne a déjà signé ou refusé.');
      if (s.delivery === 'staff') throw new ConflictError('SIGNER_IS_STAFF', 'La contresignature se fait depuis la console.');
      const now = new Date();
      await this.repo.revokeLinks(em, s.id, now);
      await em.update(SignerEntity, { id: s.id }, { delivery: 'in_person' });
      const token = randomToken();
      const expiresAt = new Date(Math.min(now.getTime() + IN_PERSON_LINK_MINUTES * 60_000, r.deadline.getTime()));
      await em.insert(SigningLinkEntity, {
        organisationId: r.organisationId,
        requestId: r.id,
        signerId: s.id,
        tokenHash: sha256Hex(token),
        versionHash: r.versionHash,
        purpose: 'sign',
        createdAt: now,
        expiresAt,
        revokedAt: null,
        usedAt: null,
      });
      await this.log.record(em, r, 'in_person_opened', auditActor(actor), { signerId: s.id });
      return { url: `${publicUrl}/s/${token}`, expiresAt: expiresAt.toISOString() };
    });
  }

  /** Witness statement for an in-person signature: how the document was explained, who was present. */
  async recordWitness(actor: StaffActor, requestId: string, signerId: string, statement: { explainedHow: string; present: string[] }): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.scopedRequest(em, actor, requestId, 'signature.manage');
      const s = await this.signerOf(em, r, signerId);
      const witness = { explainedHow: statement.explainedHow, present: statement.present, recordedBy: actor.name, recordedByUserId: actor.userId, recordedAt: new Date().toISOString() };
      await em.update(SignerEntity, { id: s.id }, { witness });
      await this.log.record(em, r, 'witness_recorded', auditActor(actor), { signerId: s.id });
      return this.view(em, r, null);
    });
  }

  /** A code staff give in person or by phone; valid 10 minutes, 5 tries (SECURITY-RELIABILITY.md). */
  async issueAccessCode(actor: StaffActor, requestId: string, signerId: string): Promise<{ code: string; expiresAt: string }> {
    return this.tx.run(async (em) => {
      const r = await this.lockActive(em, actor, requestId, 'signature.manage');
      const s = await this.signerOf(em, r, signerId);
      const digits = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(Date.now() + ACCESS_CODE_MINUTES * 60_000);
      await em.update(SignerEntity, { id: s.id }, { accessCodeRequired: true, accessCodeHash: sha256Hex(`${s.id}:${digits}`), accessCodeExpiresAt: expiresAt, accessCodeFailures: 0 });
      await this.log.record(em, r, 'code_issued', auditActor(actor), { signerId: s.id });
      return { code: digits, expiresAt: expiresAt.toISOString() };
    });
  }

  /** The director (or delegate) countersigns from the authenticated console, without any e-mail. */
  async countersign(actor: StaffActor, requestId: string, ctx: { ip: string | null; userAgent: string | null }): Promise<RequestView> {
    return this.tx.run(async (em) => {
      const r = await this.lockActive(em, actor, requestId, 'signature.countersign');
      const signers = await this.repo.signersOf(em, r.id);
      const director = signers.find((s) => s.role === 'director' && s.status === 'pending');
      if (!director) throw new ConflictError('NO_COUNTERSIGNATURE_PENDING', 'Aucune contresignature n’est attendue.');
      const blocking = signers.filter((s) => s.id !== director.id && !s.optional && s.status !== 'signed');
      // Optional countersigners (the person on a DIPC) never hold the director back.
      if (blocking.length)
        throw new ConflictError(
          'COUNTERSIGNATURE_TOO_EARLY',
          `La contresignature vient en dernier : il manque encore ${blocking.map((s) => `${s.firstName} ${s.lastName}`).join(', ')}.`,
        );
      const now = new Date();
      const res = returnedRows(
        await em.query(
          `UPDATE signature_signers SET status = 'signed', acted_at = $2, typed_name = $3, auth_method = 'staff_session', ip = $4, user_agent = $5
            WHERE id = $1 AND status = 'pending' RETURNING id`,
          [director.id, now, actor.name, ctx.ip, ctx.userAgent?.slice(0, 400) ?? null],
        ),
      );
      if (!res.length) throw new ConflictError('SIGNER_ALREADY_ACTED', 'La contresignature est déjà faite.');
      await this.log.record(em, r, 'countersigned', auditActor(actor), { signerId: director.id, ctx, details: { versionHash: r.versionHash, byUserId: actor.userId } });
      await this.afterSignature(em, r);
      return this.view(em, r, null);
    });
  }

  /**
   * After a refused contrat de séjour, the law requires a DIPC (CASF D.311): its data pre-filled
   * from the contract (objectives, services, participants) and the refusal (who, when, why).
   */
  async dipcOffer(actor: StaffActor, requestId: string): Promise<{ residentId: string; type: 'dipc'; data: Record<string, unknown> }> {
    const em = this.tx.manager;
    const r = await this.scopedRequest(em, actor, requestId, 'document.read');
    if (r.status !== 'refused' || (r.policy as { documentType: string }).documentType !== 'contrat-sejour')
      throw new ConflictError('NO_DIPC_OFFER', 'Le DIPC de remplacement ne concerne qu’un contrat de séjour refusé.');
    const doc = await em.findOneByOrFail(DocumentEntity, { id: r.documentId });
    const [v] = (await em.query(`SELECT input FROM document_versions WHERE id = $1`, [r.versionId])) as { input: { document: Record<string, unknown>; resident: { admissionDate: string } } }[];
    const refuser = (await this.repo.signersOf(em, r.id)).find((s) => s.status === 'refused');
    const contract = v.input.document;
    const data: Record<string, unknown> = {
      reason: 'refus de signer le contrat de séjour',
      objectives: contract.objectives,
      services: contract.services,
      startDate: v.input.resident.admissionDate,
      participants: contract.participants,
      contractRefused: {
        refusedOn: (refuser?.actedAt ?? r.closedAt ?? new Date()).toISOString().slice(0, 10),
        refusedBy: refuser ? `${refuser.firstName} ${refuser.lastName}, ${refuser.capacity}` : 'la personne ou son représentant',
        ...(refuser?.refusalReason ? { reasonGiven: refuser.refusalReason } : {}),
      },
    };
    return { residentId: doc.residentId, type: 'dipc', data };
  }

  async createDipcFromRefusal(actor: StaffActor, requestId: string): Promise<{ id: string; versionId: string; status: string }> {
    const offer = await this.dipcOffer(actor, requestId);
    return this.documents.create(actor, offer);
  }

  async inbox(actor: StaffActor) {
    return this.repo.inbox(this.tx.manager, actor.organisationId, visibleEstablishments(actor));
  }

  async acknowledgeRefusal(actor: StaffActor, requestId: string, signerId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.scopedRequest(em, actor, requestId, 'signature.manage');
      const s = await this.signerOf(em, r, signerId);
      if (s.status !== 'refused') throw new ConflictError('NOT_REFUSED', 'Cette personne n’a pas refusé.');
      await em.update(SignerEntity, { id: s.id }, { refusalAcknowledgedAt: new Date() });
      await this.log.record(em, r, 'refusal_acknowledged', auditActor(actor), { signerId: s.id });
    });
  }

  async answerQuestion(actor: StaffActor, requestId: string, questionId: string, answer: string): Promise<void> {
    await this.tx.run(async (em) => {
      const r = await this.scopedRequest(em, actor, requestId, 'signature.manage');
      const q = await em.findOne(SignerQuestionEntity, { where: { id: questionId, requestId: r.id } });
      if (!q) throw new NotFoundError('QUESTION_NOT_FOUND', 'Question introuvable.');
      await em.update(SignerQuestionEntity, { id: q.id }, { answeredAt: new Date(), answeredBy: actor.userId, answer });
      await this.log.record(em, r, 'question_answered', auditActor(actor), { signerId: q.signerId, details: { questionId: q.id } });
    });
  }

  /**
   * After a signature: in sequential mode, invite the next signers whose turn it is; when every
   * required signature is there, schedule the seal (its outbox key is the request: one seal only).
   */
  async afterSignature(em: EntityManager, r: SignatureRequestEntity): Promise<void> {
    const signers = await this.repo.signersOf(em, r.id);
    const required = signers.filter((s) => !s.optional);
    if (required.every((s) => s.status === 'signed')) {
      await this.outbox.enqueue(em, 'signing.seal', { requestId: r.id }, { key: r.id, organisationId: r.organisationId });
      return;
    }
    if (r.mode === 'sequential') {
      for (const s of signers) {
        if (s.status === 'pending' && s.delivery === 'email' && this.isTurnOf(r, signers, s.orderNo))
          await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'invitation' }, { key: `${s.id}_0`, organisationId: r.organisationId });
      }
    }
  }

  /** Sequential: a signer's turn comes when every required signer of a lower order has signed. */
  isTurnOf(r: Pick<SignatureRequestEntity, 'mode'>, signers: { orderNo: number; status: string; optional: boolean }[], orderNo: number): boolean {
    if (r.mode === 'parallel') return true;
    return signers.filter((s) => s.orderNo < orderNo && !s.optional).every((s) => s.status === 'signed');
  }

  // --- internals ---------------------------------------------------------------------------

  private async decide(em: EntityManager, actor: StaffActor, doc: DocumentEntity, proposedContactIds?: string[]): Promise<PolicyDecision> {
    const resident = await this.residents.getForOrganisation(em, actor.organisationId, doc.residentId);
    const est = await this.identity.findEstablishment(em, actor.organisationId, doc.establishmentId);
    if (!resident || !est) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    return decideSigners({
      documentType: doc.type,
      resident,
      establishment: { name: est.name, directorFirstName: est.directorFirstName, directorLastName: est.directorLastName, directorEmail: est.directorEmail },
      on: todayIso(),
      proposedContactIds,
    });
  }

  private async scopedDocument(em: EntityManager, actor: StaffActor, id: string, permission: 'document.read' | 'signature.manage'): Promise<DocumentEntity> {
    const doc = await em.findOne(DocumentEntity, { where: { id, organisationId: actor.organisationId } });
    if (!doc || !visibleEstablishments(actor).includes(doc.establishmentId)) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    assertCan(actor, permission, doc.establishmentId);
    return doc;
  }

  private async scopedRequest(em: EntityManager, actor: StaffActor, id: string, permission: 'document.read' | 'signature.manage' | 'signature.countersign'): Promise<SignatureRequestEntity> {
    const r = await this.repo.findRequest(em, actor.organisationId, id);
    if (!r || !visibleEstablishments(actor).includes(r.establishmentId)) throw new NotFoundError('SIGNATURE_REQUEST_NOT_FOUND', 'Demande de signature introuvable.');
    assertCan(actor, permission, r.establishmentId);
    return r;
  }

  private async lockActive(em: EntityManager, actor: StaffActor, id: string, permission: 'signature.manage' | 'signature.countersign'): Promise<SignatureRequestEntity> {
    const r = await this.scopedRequest(em, actor, id, permission);
    const locked = await this.repo.lockRequest(em, r.id);
    if (!locked || locked.status !== 'active')
      throw new ConflictError('SIGNATURE_REQUEST_CLOSED', `Cette demande n’est plus en cours (${STATUS_FR[locked?.status ?? 'cancelled']}).`);
    return locked;
  }

  private async signerOf(em: EntityManager, r: SignatureRequestEntity, signerId: string): Promise<SignerEntity> {
    const s = await this.repo.signerById(em, signerId);
    if (!s || s.requestId !== r.id) throw new NotFoundError('SIGNER_NOT_FOUND', 'Signataire introuvable.');
    return s;
  }

  async view(em: EntityManager, r: SignatureRequestEntity, legal: Date | null): Promise<RequestView> {
    // One after the other: inside a transaction they share one connection.
    const signers = await this.repo.signersOf(em, r.id);
    const events = await this.repo.eventsOf(em, r.id);
    const views = await this.repo.viewsOf(em, r.id);
    const questions = await this.repo.questionsOf(em, [r.id]);
    const seal = await this.repo.sealOf(em, r.id);
    const decision = r.policy as unknown as PolicyDecision;
    const refusedContract = r.status === 'refused' && decision.documentType === 'contrat-sejour';
    return {
      id: r.id,
      documentId: r.documentId,
      versionId: r.versionId,
      versionHash: r.versionHash,
      status: r.status,
      mode: r.mode,
      deadline: r.deadline.toISOString(),
      legalDeadline: legal?.toISOString() ?? null,
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
        actedAt: s.actedAt?.toISOString() ?? null,
        refusalReason: s.refusalReason,
        accessCodeRequired: s.accessCodeRequired,
        lastEmailStatus: s.lastEmailStatus,
      })),
      views: decision.views.map((v) => {
        const rec = views.find((x) => x.viewKey === v.key);
        return {
          key: v.key,
          person: `${v.person.firstName} ${v.person.lastName}`,
          reason: v.reason,
          recorded: rec ? { expression: rec.expression, comment: rec.comment, at: rec.recordedAt.toISOString() } : null,
        };
      }),
      questions: questions.map((q) => ({ id: q.id, signerId: q.signerId, message: q.message, askedAt: q.askedAt.toISOString(), answer: q.answer })),
      events: events.map((e) => ({ kind: e.kind, at: e.at.toISOString(), signerId: e.signerId })),
      sealed: seal
        ? {
            sha256: seal.blobSha256,
            sealedAt: seal.sealedAt.toISOString(),
            href: `/api/signature-requests/${r.id}/signed.pdf`,
            evidenceHref: `/api/signature-requests/${r.id}/evidence.json`,
          }
        : null,
      nextStep: refusedContract ? { kind: 'create_dipc', href: `/api/signature-requests/${r.id}/dipc` } : null,
    };
  }
}

const STATUS_FR: Record<string, string> = { active: 'en cours', completed: 'terminée', refused: 'refusée', cancelled: 'annulée', expired: 'expirée' };

