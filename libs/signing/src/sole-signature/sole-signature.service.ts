import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { DomainError, FieldError, NotFoundError, ValidationError, sha256Hex, textProblem } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentEntity, DocumentsRepository } from '@carepact/documents';
import { StaffActor, auditActor, can } from '@carepact/identity';
import { ResidentsService, todayIso } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import { assistsThePerson } from '../policy/assistance-refusal';
import type { PolicyDecision, SoleSignatureAuthorisation } from '../policy/policy.types';
import { SOLE_SIGNATURE_NOT_APPLICABLE, soleSignatureNotApplicable } from '../policy/sole-signature';
import { RequestAccess } from '../requests/request-access';
import { SoleSignatureAuthorisationEntity } from './sole-signature.entities';

/** No refusal of assistance is recorded on the document: the authorisation answers one (409). */
export const ASSISTANCE_NOT_REFUSED = 'ASSISTANCE_NOT_REFUSED';
/** The document is not ready to be sent (in signature, signed…): the authorisation would not be used (409). */
export const SOLE_SIGNATURE_DOCUMENT_NOT_READY = 'SOLE_SIGNATURE_DOCUMENT_NOT_READY';

export const SOLE_SIGNATURE_LEGAL_BASIS = 'C. civ. 469 al. 3';

export interface SoleSignatureInput {
  court?: string | null;
  /** `YYYY-MM-DD`, not in the future. */
  decisionDate?: string | null;
  reference?: string | null;
  note?: string | null;
}

/** Where a document stands with the judge's authorisation for the person to sign it alone (C. civ. 469 al. 3). */
export interface SoleSignatureView {
  documentId: string;
  /** The authorisation that applies (the latest recorded on the document), null when none. */
  authorisation: {
    id: string;
    court: string;
    decisionDate: string;
    /** Null for a reader without `resident.read` (the auditor), like the judgment references of her file. */
    reference: string | null;
    /** Null without `resident.read`, or when none was written. */
    note: string | null;
    recordedAt: string;
    recordedBy: { userId: string | null; name: string };
    refusedRequestId: string;
  } | null;
  /** The latest refusal of assistance on the document (what the authorisation answers), null when none. */
  refusal: { requestId: string; signerName: string; refusedAt: string } | null;
  /** Why it cannot be recorded now (stable code, French message); null when it can. */
  notRecordable: { code: string; message: string } | null;
  /** The reader may record it (`signature.manage`) and it can be recorded now. */
  canRecord: boolean;
  /** Once recorded, on a document ready to send: « Envoyer à la signature » (the person signs alone). */
  nextStep: { kind: 'send'; href: string } | null;
  legalBasis: string;
}

interface RefusalRow {
  key: string;
  first_name: string;
  last_name: string;
  acted_at: Date;
  request_id: string;
  policy: PolicyDecision;
}

/**
 * C. civ. 469 al. 3: « Si le curateur refuse son assistance à un acte pour lequel son concours est
 * requis, la personne protégée peut demander au juge l'autorisation de l'accomplir seule. » Staff
 * record the judge's ordonnance on the document the curateur refused to assist (not on the measure:
 * it is for that act), once a refusal of assistance is recorded on it and while the person's measure
 * is one of assistance (sole-signature.ts). The signature policy then has her sign alone
 * (SignatureRequestsService.decide passes it in). Every record is an audit event; a correction is a
 * new record, the latest applies.
 */
@Injectable()
export class SoleSignatureService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: RequestAccess,
    private readonly documents: DocumentsRepository,
    private readonly residents: ResidentsService,
    private readonly audit: AuditService,
  ) {}

  async view(actor: StaffActor, documentId: string): Promise<SoleSignatureView> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    return this.viewOf(em, actor, doc);
  }

  async record(actor: StaffActor, documentId: string, input: SoleSignatureInput): Promise<SoleSignatureView> {
    const clean = validated(input);
    return this.tx.run(async (em) => {
      const found = await this.access.document(em, actor, documentId, 'signature.manage');
      const doc = (await this.documents.lockDocument(em, found.id))!;
      const refusal = await this.problem(em, doc);
      if (refusal.problem) throw new DomainError('conflict', refusal.problem.code, refusal.problem.message);
      const previous = await latestSoleSignatureAuthorisation(em, doc.id);
      const row = em.create(SoleSignatureAuthorisationEntity, {
        organisationId: doc.organisationId,
        establishmentId: doc.establishmentId,
        documentId: doc.id,
        refusedRequestId: refusal.refusal!.request_id,
        court: clean.court,
        decisionDate: clean.decisionDate,
        reference: clean.reference,
        note: clean.note,
        recordedBy: actor.system ? null : actor.userId,
        recordedByName: actor.name,
        recordedAt: new Date(),
      });
      await em.insert(SoleSignatureAuthorisationEntity, row as never);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'document.sole_signature_authorised',
        subject: { type: 'document', id: doc.id },
        // Ids and a hash only: the ordonnance's details stay in the document's record (not the auditors').
        payload: {
          authorisationId: row.id,
          refusedRequestId: row.refusedRequestId,
          referenceSha256: sha256Hex(clean.reference),
          legalBasis: SOLE_SIGNATURE_LEGAL_BASIS,
          ...(previous ? { replaces: previous.id } : {}),
        },
      });
      return this.viewOf(em, actor, doc);
    });
  }

  async viewOf(em: EntityManager, actor: StaffActor, doc: DocumentEntity): Promise<SoleSignatureView> {
    const a = await latestSoleSignatureAuthorisation(em, doc.id);
    const { refusal, problem } = await this.problem(em, doc);
    const file = can(actor, 'resident.read', doc.establishmentId);
    return {
      documentId: doc.id,
      authorisation: a
        ? {
            id: a.id,
            court: a.court,
            decisionDate: a.decisionDate,
            reference: file ? a.reference : null,
            note: file ? a.note : null,
            recordedAt: a.recordedAt.toISOString(),
            recordedBy: { userId: a.recordedBy, name: a.recordedByName },
            refusedRequestId: a.refusedRequestId,
          }
        : null,
      refusal: refusal ? { requestId: refusal.request_id, signerName: `${refusal.first_name} ${refusal.last_name}`, refusedAt: new Date(refusal.acted_at).toISOString() } : null,
      notRecordable: problem,
      canRecord: !problem && can(actor, 'signature.manage', doc.establishmentId),
      nextStep: a && doc.status === 'ready' ? { kind: 'send', href: `/api/documents/${doc.id}/signature-requests` } : null,
      legalBasis: SOLE_SIGNATURE_LEGAL_BASIS,
    };
  }

  /** The latest refusal of assistance on the document, and why an authorisation cannot be recorded now (null when it can). */
  private async problem(em: EntityManager, doc: DocumentEntity): Promise<{ refusal: RefusalRow | null; problem: { code: string; message: string } | null }> {
    const resident = await this.residents.getForOrganisation(em, doc.organisationId, doc.residentId);
    if (!resident) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    const rows = (await em.query(
      `SELECT s.key, s.first_name, s.last_name, s.acted_at, r.id AS request_id, r.policy
         FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id
        WHERE r.document_id = $1 AND r.status = 'refused' AND s.status = 'refused' AND NOT s.optional
        ORDER BY s.acted_at DESC`,
      [doc.id],
    )) as RefusalRow[];
    const refusal = rows.find((x) => assistsThePerson(x.policy, x.key)) ?? null;
    const notApplicable = soleSignatureNotApplicable(resident, doc.type, todayIso());
    if (notApplicable) return { refusal, problem: { code: SOLE_SIGNATURE_NOT_APPLICABLE, message: notApplicable } };
    if (!refusal)
      return {
        refusal,
        problem: {
          code: ASSISTANCE_NOT_REFUSED,
          message:
            'Aucun refus d’assistance n’est enregistré sur ce document : l’autorisation du juge de signer seule répond au refus du curateur d’assister la personne pour cet acte (C. civ. 469 al. 3). ' +
            'Envoyez d’abord le document en signature à la personne et à son curateur ; si le curateur refuse son assistance, la personne peut saisir le juge.',
        },
      };
    if (doc.status !== 'ready')
      return {
        refusal,
        problem: {
          code: SOLE_SIGNATURE_DOCUMENT_NOT_READY,
          message:
            doc.status === 'in_signature'
              ? 'Le document est en cours de signature : annulez la demande en cours pour enregistrer ou corriger l’autorisation du juge, puis envoyez-le de nouveau.'
              : 'Le document n’est plus à envoyer en signature : l’autorisation du juge ne peut plus y être enregistrée.',
        },
      };
    return { refusal, problem: null };
  }
}

/** The authorisation that applies to a document: the latest recorded (a correction is a new row). */
export function latestSoleSignatureAuthorisation(em: EntityManager, documentId: string): Promise<SoleSignatureAuthorisationEntity | null> {
  return em.findOne(SoleSignatureAuthorisationEntity, { where: { documentId }, order: { recordedAt: 'DESC' } });
}

/** What the signature policy needs of it. */
export function policyAuthorisationOf(a: SoleSignatureAuthorisationEntity | null): SoleSignatureAuthorisation | null {
  return a ? { court: a.court, date: a.decisionDate, reference: a.reference } : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Every problem of the form at once, each beside its field, in French. */
function validated(input: SoleSignatureInput): { court: string; decisionDate: string; reference: string; note: string | null } {
  const errors: FieldError[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
  const court = text(input.court);
  const reference = text(input.reference);
  const note = text(input.note);
  const date = text(input.decisionDate);
  if (!court) errors.push({ field: 'court', code: 'REQUIRED', message: 'Indiquez la juridiction qui a rendu l’ordonnance, par exemple « Juge des contentieux de la protection, tribunal judiciaire de Valville ».' });
  else if (court.length > 300) errors.push({ field: 'court', code: 'TOO_LONG', message: 'La juridiction ne doit pas dépasser 300 caractères.' });
  const m = ISO_DATE.exec(date);
  const real = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === date;
  if (!date) errors.push({ field: 'decisionDate', code: 'REQUIRED', message: 'Indiquez la date de l’ordonnance.' });
  else if (!real) errors.push({ field: 'decisionDate', code: 'INVALID_DATE', message: 'Date inconnue ou mal écrite : écrivez-la au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API), par exemple 03/03/2026.' });
  else if (date > todayIso()) errors.push({ field: 'decisionDate', code: 'DATE_IN_FUTURE', message: 'La date de l’ordonnance ne peut pas être dans le futur : indiquez celle qui figure sur la décision.' });
  if (!reference) errors.push({ field: 'reference', code: 'REQUIRED', message: 'Indiquez la référence de l’ordonnance (numéro RG ou de minute), telle qu’elle figure sur la décision.' });
  else if (reference.length > 100) errors.push({ field: 'reference', code: 'TOO_LONG', message: 'La référence ne doit pas dépasser 100 caractères.' });
  if (note.length > 2000) errors.push({ field: 'note', code: 'TOO_LONG', message: 'La remarque ne doit pas dépasser 2 000 caractères.' });
  // The shared text rule (libs/common): one line for the court and the reference, text for the note; it is cited in documents and evidence.
  for (const [field, v, kind] of [['court', court, 'line'], ['reference', reference, 'line'], ['note', note, 'text']] as const) {
    const problem = v ? textProblem(v, kind) : null;
    if (problem && !errors.some((e) => e.field === field)) errors.push({ field, ...problem });
  }
  if (errors.length) throw new ValidationError(errors, 'L’autorisation du juge n’a pas pu être enregistrée : corrigez les champs signalés.');
  return { court, decisionDate: date, reference, note: note || null };
}
