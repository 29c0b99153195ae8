import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { DomainError, FieldError, NotFoundError, ValidationError, calendarDayIn, formatDateFr, textProblem } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentEntity, DocumentVersionEntity, DocumentsRepository } from '@carepact/documents';
import { StaffActor, auditActor, can } from '@carepact/identity';
import { ResidentView, ResidentsService, applicableMeasure, isCalendarDate, todayIso } from '@carepact/residents';
import { EntityManager } from 'typeorm';
import { assistsThePerson } from '../policy/assistance-refusal';
import type { PolicyDecision, SoleSignatureAuthorisation } from '../policy/policy.types';
import { MeasureJudgment, SOLE_SIGNATURE_NOT_APPLICABLE, soleSignatureNotApplicable, soleSignatureSetAside } from '../policy/sole-signature';
import { soleSignatureLaw } from '../policy/sole-signature-law';
import { RequestAccess } from '../requests/request-access';
import { SoleSignatureAuthorisationEntity } from './sole-signature.entities';

/** No refusal of assistance is recorded on the document: the authorisation answers one (409). */
export const ASSISTANCE_NOT_REFUSED = 'ASSISTANCE_NOT_REFUSED';
/** The document is not ready to be sent (in signature, signed…): the authorisation would not be used (409). */
export const SOLE_SIGNATURE_DOCUMENT_NOT_READY = 'SOLE_SIGNATURE_DOCUMENT_NOT_READY';

/** The ordonnance is dated before the refusal it answers: the person asks the judge after the refusal (400, beside `decisionDate`). */
export const DECISION_BEFORE_REFUSAL = 'DECISION_BEFORE_REFUSAL';

export interface SoleSignatureInput {
  court?: string | null;
  /** `YYYY-MM-DD`, not in the future, not before the day (Paris) of the refusal it answers. */
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
    /** The version whose assistance was refused: the act the judge authorised, the only one she signs alone. */
    version: { id: string; number: number; inputHash: string; templateHash: string };
    /** The measure the refusal was made under. */
    measureId: string;
  } | null;
  /**
   * Why the recorded authorisation is not relied on now (stable code, French message): the version to
   * send is another one (SOLE_SIGNATURE_OTHER_VERSION), the measure changed
   * (SOLE_SIGNATURE_MEASURE_CHANGED) or no longer allows it (SOLE_SIGNATURE_NOT_APPLICABLE). The
   * assistant is then asked again. Null when it applies, or when none is recorded.
   */
  setAside: { code: string; message: string } | null;
  /** The latest refusal of assistance on the document (what the authorisation answers), null when none. */
  refusal: { requestId: string; signerName: string; refusedAt: string } | null;
  /** Why it cannot be recorded now (stable code, French message); null when it can. */
  notRecordable: { code: string; message: string } | null;
  /** The reader may record it (`signature.manage`) and it can be recorded now. */
  canRecord: boolean;
  /** Once recorded, on a document ready to send: « Envoyer à la signature » (the person signs alone, unless `setAside`). */
  nextStep: { kind: 'send'; href: string } | null;
  /** C. civ. 469 al. 3 under a curatelle; C. civ. 494-1 al. 1, 494-10 under an habilitation familiale. */
  legalBasis: string;
}

interface RefusalRow {
  key: string;
  first_name: string;
  last_name: string;
  acted_at: Date;
  request_id: string;
  policy: PolicyDecision;
  /** The version the refused request carried, its number and hashes. */
  version_id: string;
  version_number: number;
  input_hash: string;
  template_hash: string;
}

/**
 * C. civ. 469 al. 3: « Si le curateur refuse son assistance à un acte pour lequel son concours est
 * requis, la personne protégée peut demander au juge l'autorisation de l'accomplir seule. » (For an
 * habilitation familiale in assistance, C. civ. 494-1 al. 1 and 494-10: the judge settles the
 * difficulty.) Staff record the judge's ordonnance on the document the assistant refused to assist,
 * for the version that request carried and under the measure the refusal was made under (it is for
 * that act), once a refusal of assistance is recorded on it, while the person's measure is one of
 * assistance, and dated on or after the refusal (she asks the judge after it). The signature policy
 * then has her sign that version alone (SignatureRequestsService.decide, through
 * soleSignatureForDecision, which re-checks it every time). Every record is an audit event; a
 * correction is a new record, the latest applies.
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
    return this.tx.run(async (em) => {
      const found = await this.access.document(em, actor, documentId, 'signature.manage');
      const doc = (await this.documents.lockDocument(em, found.id))!;
      const { refusal, problem, resident } = await this.problem(em, doc);
      if (problem) throw new DomainError('conflict', problem.code, problem.message);
      // C. civ. 469 al. 3: she asks the judge after the refusal; an ordonnance dated before it answers something else.
      const clean = validated(input, calendarDayIn(new Date(refusal!.acted_at)));
      const previous = await latestSoleSignatureAuthorisation(em, doc.id);
      const measureId = refusalMeasureId(refusal!)!;
      const law = soleSignatureLaw(measureTypeOf(resident, measureId));
      const row = em.create(SoleSignatureAuthorisationEntity, {
        organisationId: doc.organisationId,
        establishmentId: doc.establishmentId,
        documentId: doc.id,
        refusedRequestId: refusal!.request_id,
        versionId: refusal!.version_id,
        versionInputHash: refusal!.input_hash,
        versionTemplateHash: refusal!.template_hash,
        measureId,
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
        // Ids only, as the measure events carry none of the judgment's details: an ordonnance's
        // reference (« RG 26/00123 ») has so few possible values that even its hash would give it
        // back to the auditor, who may not read it. The row (write-once) keeps it; the event names it.
        payload: {
          authorisationId: row.id,
          refusedRequestId: row.refusedRequestId,
          versionId: row.versionId,
          measureId: row.measureId,
          legalBasis: law.basis,
          ...(previous ? { replaces: previous.id } : {}),
        },
      });
      return this.viewOf(em, actor, doc);
    });
  }

  async viewOf(em: EntityManager, actor: StaffActor, doc: DocumentEntity): Promise<SoleSignatureView> {
    const a = await latestSoleSignatureAuthorisation(em, doc.id);
    const { refusal, problem, resident, current } = await this.problem(em, doc);
    const file = can(actor, 'resident.read', doc.establishmentId);
    const version = a ? await em.findOne(DocumentVersionEntity, { where: { id: a.versionId }, select: { id: true, number: true } }) : null;
    const setAside = a
      ? soleSignatureSetAside(
          { measureId: a.measureId, judgment: await judgmentAtRefusal(em, a), versionId: a.versionId, versionNumber: version?.number ?? 0 },
          { resident, documentType: doc.type, on: todayIso(), version: current },
        )
      : null;
    const measureId = a?.measureId ?? (refusal ? refusalMeasureId(refusal) : null);
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
            version: { id: a.versionId, number: version?.number ?? 0, inputHash: a.versionInputHash, templateHash: a.versionTemplateHash },
            measureId: a.measureId,
          }
        : null,
      setAside,
      refusal: refusal ? { requestId: refusal.request_id, signerName: `${refusal.first_name} ${refusal.last_name}`, refusedAt: new Date(refusal.acted_at).toISOString() } : null,
      notRecordable: problem,
      canRecord: !problem && can(actor, 'signature.manage', doc.establishmentId),
      nextStep: a && doc.status === 'ready' ? { kind: 'send', href: `/api/documents/${doc.id}/signature-requests` } : null,
      legalBasis: soleSignatureLaw(measureId ? measureTypeOf(resident, measureId) : null).basis,
    };
  }

  /** The latest refusal of assistance on the document, and why an authorisation cannot be recorded now (null when it can). */
  private async problem(
    em: EntityManager,
    doc: DocumentEntity,
  ): Promise<{ refusal: RefusalRow | null; problem: { code: string; message: string } | null; resident: ResidentView; current: { id: string; number: number } | null }> {
    const resident = await this.residents.getForOrganisation(em, doc.organisationId, doc.residentId);
    if (!resident) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    const current = doc.currentVersionId ? await em.findOne(DocumentVersionEntity, { where: { id: doc.currentVersionId }, select: { id: true, number: true } }) : null;
    const rows = (await em.query(
      `SELECT s.key, s.first_name, s.last_name, s.acted_at, r.id AS request_id, r.policy, v.id AS version_id, v.number AS version_number, v.input_hash, v.template_hash
         FROM signature_signers s JOIN signature_requests r ON r.id = s.request_id JOIN document_versions v ON v.id = r.version_id
        WHERE r.document_id = $1 AND r.status = 'refused' AND s.status = 'refused' AND NOT s.optional
        ORDER BY s.acted_at DESC`,
      [doc.id],
    )) as RefusalRow[];
    const refusal = rows.find((x) => assistsThePerson(x.policy, x.key)) ?? null;
    const on = todayIso();
    const found = { refusal, resident, current: current ? { id: current.id, number: current.number } : null };
    const notApplicable = soleSignatureNotApplicable(resident, doc.type, on);
    if (notApplicable) return { ...found, problem: { code: SOLE_SIGNATURE_NOT_APPLICABLE, message: notApplicable } };
    if (!refusal) {
      const law = soleSignatureLaw(applicableMeasureType(resident, on));
      return {
        ...found,
        problem: {
          code: ASSISTANCE_NOT_REFUSED,
          message:
            `Aucun refus d’assistance n’est enregistré sur ce document : l’autorisation du juge de signer seule répond au refus ${law.ofAssistant} d’assister la personne pour cet acte (${law.basis}). ` +
            `Envoyez d’abord le document en signature à la personne et à ${law.herAssistant} ; en cas de refus d’assistance, la personne peut saisir le juge.`,
        },
      };
    }
    if (doc.status !== 'ready')
      return {
        ...found,
        problem: {
          code: SOLE_SIGNATURE_DOCUMENT_NOT_READY,
          message:
            doc.status === 'in_signature'
              ? 'Le document est en cours de signature : annulez la demande en cours pour enregistrer ou corriger l’autorisation du juge, puis envoyez-le de nouveau.'
              : 'Le document n’est plus à envoyer en signature : l’autorisation du juge ne peut plus y être enregistrée.',
        },
      };
    // The refusal's measure must still be in effect, and its version still the one to send (the judge authorises that act).
    const stale = soleSignatureSetAside(
      { measureId: refusalMeasureId(refusal) ?? '', judgment: judgmentOf(refusal.policy, refusalMeasureId(refusal)), versionId: refusal.version_id, versionNumber: refusal.version_number },
      { resident, documentType: doc.type, on, version: found.current },
      'record',
    );
    return { ...found, problem: stale };
  }
}

/**
 * For the signature policy (SignatureRequestsService.decide), each time signers are decided: the
 * latest authorisation recorded on the document, if it still applies to `version` — the one that
 * would be sent — under the measure in effect (soleSignatureSetAside); otherwise why not, in French,
 * for the decision's explanation.
 */
export async function soleSignatureForDecision(
  em: EntityManager,
  doc: Pick<DocumentEntity, 'id' | 'type'>,
  resident: ResidentView,
  version: { id: string; number: number } | null,
  on: string,
): Promise<{ authorisation: SoleSignatureAuthorisation | null; setAside: string | null; setAsideCode?: string }> {
  const a = await latestSoleSignatureAuthorisation(em, doc.id);
  if (!a) return { authorisation: null, setAside: null };
  const authorised = await em.findOne(DocumentVersionEntity, { where: { id: a.versionId }, select: { id: true, number: true } });
  const setAside = soleSignatureSetAside(
    { measureId: a.measureId, judgment: await judgmentAtRefusal(em, a), versionId: a.versionId, versionNumber: authorised?.number ?? 0 },
    { resident, documentType: doc.type, on, version },
  );
  // setAsideCode: for « À faire » (worklist.service.ts), which says what is due once it is set aside.
  return setAside ? { authorisation: null, setAside: setAside.message, setAsideCode: setAside.code } : { authorisation: policyAuthorisationOf(a), setAside: null };
}

/** The measure the refusing assistant signed under, as the refused request's decision recorded it. */
function refusalMeasureId(refusal: RefusalRow): string | null {
  return refusal.policy?.signers?.find((s) => s.key === refusal.key)?.measure?.measureId ?? null;
}

/**
 * The judgment of measure `measureId` as a request's decision recorded it when the request was sent
 * (signature_requests.policy, never changed afterwards), or null when it did not record that measure.
 */
function judgmentOf(decision: Pick<PolicyDecision, 'signers'> | null | undefined, measureId: string | null): MeasureJudgment | null {
  const m = measureId ? decision?.signers?.find((s) => s.measure?.measureId === measureId)?.measure : null;
  return m ? { type: m.type, court: m.court, judgmentReference: m.judgmentReference, judgmentDate: m.judgmentDate } : null;
}

/**
 * The judgment an authorisation was given under: the refusal's measure as the refused request
 * recorded it. Measures are edited in place (protection-measures.service.ts updateMeasure), so the
 * measure's row today may carry another judgment under the same id; the request's decision, written
 * once when it was sent, is the snapshot of the judgment the assistant refused under, and the
 * authorisation answers that refusal (C. civ. 469 al. 3). It is compared at each decision
 * (soleSignatureSetAside) and when the authorisation is recorded.
 */
async function judgmentAtRefusal(em: EntityManager, a: Pick<SoleSignatureAuthorisationEntity, 'refusedRequestId' | 'measureId'>): Promise<MeasureJudgment | null> {
  const [row] = (await em.query(`SELECT policy FROM signature_requests WHERE id = $1`, [a.refusedRequestId])) as { policy: PolicyDecision | null }[];
  return judgmentOf(row?.policy, a.measureId);
}

function measureTypeOf(resident: ResidentView, measureId: string): string | null {
  return resident.protectionMeasures.find((m) => m.id === measureId)?.type ?? null;
}

function applicableMeasureType(resident: ResidentView, on: string): string | null {
  return applicableMeasure(resident.protectionMeasures, on)?.type ?? null;
}

/** The authorisation that applies to a document: the latest recorded (a correction is a new row). */
export function latestSoleSignatureAuthorisation(em: EntityManager, documentId: string): Promise<SoleSignatureAuthorisationEntity | null> {
  return em.findOne(SoleSignatureAuthorisationEntity, { where: { documentId }, order: { recordedAt: 'DESC' } });
}

/** What the signature policy needs of it. */
export function policyAuthorisationOf(a: SoleSignatureAuthorisationEntity | null): SoleSignatureAuthorisation | null {
  return a ? { court: a.court, date: a.decisionDate, reference: a.reference, authorisationId: a.id, versionId: a.versionId } : null;
}

/** Every problem of the form at once, each beside its field, in French. `refusedOn`: the Paris day of the refusal it answers. */
function validated(input: SoleSignatureInput, refusedOn: string): { court: string; decisionDate: string; reference: string; note: string | null } {
  const errors: FieldError[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
  const court = text(input.court);
  const reference = text(input.reference);
  const note = text(input.note);
  const date = text(input.decisionDate);
  if (!court) errors.push({ field: 'court', code: 'REQUIRED', message: 'Indiquez la juridiction qui a rendu l’ordonnance, par exemple « Juge des contentieux de la protection, tribunal judiciaire de Valville ».' });
  else if (court.length > 300) errors.push({ field: 'court', code: 'TOO_LONG', message: 'La juridiction ne doit pas dépasser 300 caractères.' });
  if (!date) errors.push({ field: 'decisionDate', code: 'REQUIRED', message: 'Indiquez la date de l’ordonnance.' });
  else if (!isCalendarDate(date)) errors.push({ field: 'decisionDate', code: 'INVALID_DATE', message: 'Date inconnue ou mal écrite : écrivez-la au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API), par exemple 03/03/2026.' });
  else if (date > todayIso()) errors.push({ field: 'decisionDate', code: 'DATE_IN_FUTURE', message: 'La date de l’ordonnance ne peut pas être dans le futur : indiquez celle qui figure sur la décision.' });
  // C. civ. 469 al. 3: « la personne protégée peut demander au juge » once the assistance is refused; the ordonnance comes after.
  else if (date < refusedOn)
    errors.push({
      field: 'decisionDate',
      code: DECISION_BEFORE_REFUSAL,
      message: `L’ordonnance ne peut pas être antérieure au refus d’assistance auquel elle répond (${formatDateFr(refusedOn)}) : la personne saisit le juge après ce refus. Vérifiez la date qui figure sur la décision.`,
    });
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
