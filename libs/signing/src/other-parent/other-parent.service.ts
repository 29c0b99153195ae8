import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { ConflictError, DomainError, FieldError, ValidationError, calendarDayIn, formatDateFr, sha256Hex } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentEntity, DocumentVersionEntity, DocumentsRepository, assertDocumentResidentNotArchived } from '@carepact/documents';
import { StaffActor, auditActor, can } from '@carepact/identity';
import { isCalendarDate, todayIso } from '@carepact/residents';
import { EntityManager, In } from 'typeorm';
import type { PolicyDecision } from '../policy/policy.types';
import { signerTextProblem } from '../portal/portal-actions.service';
import { RequestAccess } from '../requests/request-access';
import { SignatureRequestsService } from '../requests/signature-requests.service';
import { OTHER_PARENT_INFORMED_HOW, OtherParentInformedEntity, OtherParentInformedHow } from './other-parent.entities';

/** The law the record answers (C. civ. 373-2-1 al. 5). */
export const OTHER_PARENT_LEGAL_BASIS = 'C. civ. 373-2-1 al. 5';

/** The audited action of a record (libs/archive's history-labels.ts names it). */
export const OTHER_PARENT_INFORMED_ACTION = 'document.other_parent_informed';

/** The law does not call for informing the other parent of this document (409). */
export const OTHER_PARENT_NOT_TO_INFORM = 'OTHER_PARENT_NOT_TO_INFORM';
/** The day informed is before the document was created (400, beside `informedOn`). */
export const INFORMED_BEFORE_DOCUMENT = 'INFORMED_BEFORE_DOCUMENT';

/** How, in the console's words (« Autre parent informé le 3 décembre 2026 (courrier) »). */
export const OTHER_PARENT_HOW_LABELS: Readonly<Record<OtherParentInformedHow, string>> = {
  courrier: 'courrier',
  email: 'e-mail',
  main_propre: 'remis en main propre',
  entretien: 'entretien',
  autre: 'autre',
};

export interface OtherParentInput {
  /** `YYYY-MM-DD`: not in the future (Paris), not before the day the document was created. */
  informedOn?: string | null;
  how?: string | null;
  note?: string | null;
}

export interface OtherParentRecordView {
  id: string;
  informedOn: string;
  how: OtherParentInformedHow;
  howLabel: string;
  /** Staff's own words: null without `document.content` (the auditor), or when none was written. */
  note: string | null;
  version: { id: string; number: number };
  recordedAt: string;
  recordedBy: { userId: string | null; name: string };
}

/** Where a document stands with informing the parent who does not exercise parental authority (C. civ. 373-2-1 al. 5). */
export interface OtherParentView {
  documentId: string;
  /**
   * What staff are told to do when one parent alone signs for the minor and the other keeps the right
   * to be informed: the signature policy's sentence (the decision of the next sending, or the one the
   * latest request stored). Null when the law does not call for it (the other parent died, lost his
   * authority, cannot express his will; joint exercise; an adult…).
   */
  reminder: string | null;
  /** The records, newest first. */
  records: OtherParentRecordView[];
  /** The reader may record it (`signature.manage` in the document's establishment) and the law calls for it. */
  canRecord: boolean;
  legalBasis: string;
}

/**
 * C. civ. 373-2-1 al. 5: « Le parent qui n'a pas l'exercice de l'autorité parentale conserve le droit
 * et le devoir de surveiller l'entretien et l'éducation de l'enfant. Il doit être informé des choix
 * importants relatifs à la vie de ce dernier. » The signature policy tells staff so (otherParentReminder)
 * when one parent alone signs; staff record here that they informed the other parent — the day, how,
 * a note — once or several times (the admission, then a later version). Each record is written once
 * and audited (`document.other_parent_informed`, the note as its SHA-256 only: the chain is read by
 * auditors and never purged). Whoever manages the document's signatures in its establishment records it.
 */
@Injectable()
export class OtherParentService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: RequestAccess,
    private readonly documents: DocumentsRepository,
    private readonly requests: SignatureRequestsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `decision`: the signature policy's preview when the caller already asked for it (the console's
   * document page), null when the policy refused it; undefined: asked for here when needed.
   */
  async view(actor: StaffActor, documentId: string, decision?: PolicyDecision | null): Promise<OtherParentView> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    const reminder = await this.reminderOf(em, actor, doc, decision);
    return this.viewOf(em, actor, doc, reminder);
  }

  async record(actor: StaffActor, documentId: string, input: OtherParentInput): Promise<OtherParentView> {
    const found = await this.access.document(this.tx.manager, actor, documentId, 'signature.manage');
    const reminder = await this.reminderOf(this.tx.manager, actor, found);
    return this.tx.run(async (em) => {
      await this.access.document(em, actor, documentId, 'signature.manage');
      const doc = (await this.documents.lockDocument(em, found.id))!;
      // The intermediate archive is consulted, never written to (intermediate-archive.ts; RESIDENT_ARCHIVED).
      await assertDocumentResidentNotArchived(em, doc.organisationId, doc.id);
      if (!reminder)
        throw new ConflictError(
          OTHER_PARENT_NOT_TO_INFORM,
          // The cases of sole-authority.ts `informsOtherParent` (the sector lawyer's review of session 20: the message omitted the parent deprived of the exercise only).
          'Pour ce document, la loi ne demande pas d’informer l’autre parent : elle le prévoit pour le parent qui n’exerce pas l’autorité parentale (C. civ. 373-2-1 al. 5) — exercice confié à un seul parent par le juge, autre parent seulement privé de l’exercice, filiation établie aussi à l’égard de l’autre parent ; pas après un décès, un retrait de l’autorité parentale ou de son exercice (C. civ. 378 s.), ni quand l’autre parent est hors d’état de manifester sa volonté (C. civ. 373 : il ne peut recevoir l’information).',
        );
      if (!doc.currentVersionId) throw new ConflictError('DOCUMENT_HAS_NO_VERSION', 'Le document n’a pas encore de version.');
      const clean = validated(input, calendarDayIn(doc.createdAt));
      const row = em.create(OtherParentInformedEntity, {
        organisationId: doc.organisationId,
        establishmentId: doc.establishmentId,
        documentId: doc.id,
        versionId: doc.currentVersionId,
        informedOn: clean.informedOn,
        how: clean.how,
        note: clean.note,
        recordedBy: actor.system ? null : actor.userId,
        recordedByName: actor.name,
        recordedAt: new Date(),
      });
      await em.insert(OtherParentInformedEntity, row as never);
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: OTHER_PARENT_INFORMED_ACTION,
        subject: { type: 'document', id: doc.id },
        // The note is staff's own words about the family: its SHA-256 only, as the other staff free texts (@carepact/audit staff-free-text.ts).
        payload: {
          recordId: row.id,
          versionId: row.versionId,
          informedOn: row.informedOn,
          how: row.how,
          legalBasis: OTHER_PARENT_LEGAL_BASIS,
          ...(clean.note ? { noteSha256: sha256Hex(clean.note) } : {}),
        },
      });
      return this.viewOf(em, actor, doc, reminder);
    });
  }

  private async viewOf(em: EntityManager, actor: StaffActor, doc: DocumentEntity, reminder: string | null): Promise<OtherParentView> {
    const rows = await em.find(OtherParentInformedEntity, { where: { documentId: doc.id }, order: { recordedAt: 'DESC' } });
    const versions = rows.length ? await em.find(DocumentVersionEntity, { where: { id: In([...new Set(rows.map((r) => r.versionId))]) }, select: { id: true, number: true } }) : [];
    const content = can(actor, 'document.content', doc.establishmentId);
    return {
      documentId: doc.id,
      reminder,
      records: rows.map((r) => ({
        id: r.id,
        informedOn: r.informedOn,
        how: r.how,
        howLabel: OTHER_PARENT_HOW_LABELS[r.how],
        note: content ? r.note : null,
        version: { id: r.versionId, number: versions.find((v) => v.id === r.versionId)?.number ?? 0 },
        recordedAt: r.recordedAt.toISOString(),
        recordedBy: { userId: r.recordedBy, name: r.recordedByName },
      })),
      canRecord: !!reminder && can(actor, 'signature.manage', doc.establishmentId),
      legalBasis: OTHER_PARENT_LEGAL_BASIS,
    };
  }

  /**
   * The signature policy's reminder for this document: while it is ready and nothing is in signature,
   * the decision of the next sending (`decision` when the caller has it: null when the policy refused
   * it); otherwise the one the latest request stored when it was sent (signature_requests.policy,
   * never changed afterwards).
   */
  private async reminderOf(em: EntityManager, actor: StaffActor, doc: DocumentEntity, decision?: PolicyDecision | null): Promise<string | null> {
    const requests = (await em.query(`SELECT status, policy FROM signature_requests WHERE document_id = $1 ORDER BY created_at DESC`, [doc.id])) as {
      status: string;
      policy: Pick<PolicyDecision, 'otherParentReminder'> | null;
    }[];
    if (doc.status === 'ready' && !requests.some((r) => r.status === 'active')) {
      let next = decision;
      if (next === undefined)
        try {
          next = await this.requests.preview(actor, doc.id);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          next = null;
        }
      // null: the file does not allow routing it now (a refusal of the policy): the latest request says what was due.
      if (next) return next.otherParentReminder ?? null;
    }
    return requests.find((r) => r.policy)?.policy?.otherParentReminder ?? null;
  }
}

/** Every problem of the form at once, each beside its field, in French. `createdOn`: the Paris day the document was created. */
function validated(input: OtherParentInput, createdOn: string): { informedOn: string; how: OtherParentInformedHow; note: string | null } {
  const errors: FieldError[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
  const date = text(input.informedOn);
  const how = text(input.how);
  const note = text(input.note);
  if (!date) errors.push({ field: 'informedOn', code: 'REQUIRED', message: 'Indiquez la date à laquelle l’autre parent a été informé.' });
  else if (!isCalendarDate(date)) errors.push({ field: 'informedOn', code: 'INVALID_DATE', message: 'Date inconnue ou mal écrite : écrivez-la au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API), par exemple 03/12/2026.' });
  else if (date > todayIso()) errors.push({ field: 'informedOn', code: 'DATE_IN_FUTURE', message: 'La date ne peut pas être dans le futur : indiquez le jour où l’autre parent a été informé.' });
  else if (date < createdOn)
    errors.push({
      field: 'informedOn',
      code: INFORMED_BEFORE_DOCUMENT,
      message: `La date ne peut pas précéder la création du document (${formatDateFr(createdOn)}) : l’autre parent est informé de ce document.`,
    });
  if (!how) errors.push({ field: 'how', code: 'REQUIRED', message: 'Indiquez comment l’autre parent a été informé.' });
  else if (!(OTHER_PARENT_INFORMED_HOW as readonly string[]).includes(how))
    errors.push({ field: 'how', code: 'NOT_ALLOWED_VALUE', message: 'Choisissez comment l’autre parent a été informé : courrier, e-mail, remis en main propre, entretien ou autre.' });
  if (note.length > 500) errors.push({ field: 'note', code: 'TOO_LONG', message: 'La remarque ne doit pas dépasser 500 caractères.' });
  else {
    // The rule for a signer's words (signerTextProblem): no control character (line breaks allowed),
    // and no bidirectional control, which would make the note read otherwise.
    const problem = note ? signerTextProblem(note) : null;
    if (problem) errors.push({ field: 'note', ...problem });
  }
  if (errors.length) throw new ValidationError(errors, 'L’information de l’autre parent n’a pas été enregistrée : corrigez les champs signalés.');
  return { informedOn: date, how: how as OtherParentInformedHow, note: note || null };
}
