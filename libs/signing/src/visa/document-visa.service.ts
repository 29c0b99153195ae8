import { Injectable } from '@nestjs/common';
import { AuditService } from '@carepact/audit';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError, sha256Hex } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DOCUMENT_TYPES, DocumentEntity, DocumentType, DocumentsRepository, archiveReadable, supersededContractSql } from '@carepact/documents';
import { StaffActor, assertCan, auditActor, can, visibleEstablishments } from '@carepact/identity';
import { EntityManager, In } from 'typeorm';
import { RequestAccess } from '../requests/request-access';
import { DocumentVisaEntity, DocumentVisaRuleEntity, VISA_APPROVER_ROLES, VisaApproverRole } from './visa.entities';

export const VISA_ROLE_LABELS: Record<VisaApproverRole, string> = { coordinator: 'du coordinateur ou de la coordinatrice', director: 'de la direction' };

/** Where a document stands with the internal visa of its current version. */
export interface VisaView {
  /** Whose visa the establishment asks for this type; null: no visa, the document is sent directly. */
  approverRole: VisaApproverRole | null;
  /** `none` (no visa asked), `requested` (waiting), `approved`, `rejected`. */
  state: 'none' | 'requested' | 'approved' | 'rejected';
  versionId: string | null;
  decision: {
    decision: 'approved' | 'rejected';
    /** The approver's remark: content (what is to correct in the document, often the person's words), null when withheld. */
    reason: string | null;
    /** A remark was made but this reader does not read the content: without `document.content`, or past the active base without the archive opened (intermediate-archive.ts). */
    reasonWithheld?: boolean;
    decidedByName: string;
    decidedAt: string;
    approverRole: VisaApproverRole;
  } | null;
  /** The actor may give this visa (holds the role, or is director, in the document's establishment). */
  canDecide: boolean;
}

export interface VisaRuleView {
  documentType: DocumentType;
  approverRole: VisaApproverRole | null;
}

export const VISA_REQUIRED = 'VISA_REQUIRED';
export const VISA_REJECTED = 'VISA_REJECTED';

/**
 * The internal visa (issue 10, item 3): between the generation of a version and its sending for
 * signature, the coordinator or the director, as the establishment chose per document type,
 * approves the version, or rejects it with a reason. Sending is refused until it is approved
 * (SignatureRequestsService.create calls `assertCleared` in its transaction). One decision per
 * version, written once (a rejected version is corrected: the new version asks for a new visa);
 * every decision and every change of rule is an audit event. The director may also give a
 * coordinator's visa (the director answers for the establishment's documents, CASF D.311).
 */
@Injectable()
export class DocumentVisaService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: RequestAccess,
    private readonly documents: DocumentsRepository,
    private readonly audit: AuditService,
  ) {}

  async rules(actor: StaffActor, establishmentId: string): Promise<VisaRuleView[]> {
    assertCan(actor, 'establishment.read', establishmentId);
    const rows = await this.tx.manager.find(DocumentVisaRuleEntity, { where: { establishmentId } });
    return DOCUMENT_TYPES.map((t) => ({ documentType: t, approverRole: rows.find((r) => r.documentType === t)?.approverRole ?? null }));
  }

  /** Director or administrator: whose visa a type needs in the establishment (null: none). */
  async setRule(actor: StaffActor, establishmentId: string, documentType: string, approverRole: string | null): Promise<VisaRuleView[]> {
    if (!(DOCUMENT_TYPES as readonly string[]).includes(documentType))
      throw new ValidationError([{ field: 'documentType', code: 'NOT_ALLOWED_VALUE', message: 'Type de document inconnu.' }]);
    if (approverRole !== null && !(VISA_APPROVER_ROLES as readonly string[]).includes(approverRole))
      throw new ValidationError([{ field: 'approverRole', code: 'NOT_ALLOWED_VALUE', message: 'Choisissez le coordinateur, la direction, ou aucun visa.' }]);
    if (!visibleEstablishments(actor).includes(establishmentId)) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    assertCan(actor, 'establishment.write', establishmentId);
    await this.tx.run(async (em) => {
      const before = await em.findOne(DocumentVisaRuleEntity, { where: { establishmentId, documentType }, lock: { mode: 'pessimistic_write' } });
      const previous = before?.approverRole ?? null;
      if (previous === approverRole) return;
      if (approverRole === null) await em.delete(DocumentVisaRuleEntity, { establishmentId, documentType });
      else
        await em.upsert(
          DocumentVisaRuleEntity,
          { establishmentId, documentType, organisationId: actor.organisationId, approverRole: approverRole as VisaApproverRole, updatedAt: new Date(), updatedBy: actor.system ? null : actor.userId },
          ['establishmentId', 'documentType'],
        );
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: 'establishment.visa_rule_changed',
        subject: { type: 'establishment', id: establishmentId },
        payload: { documentType, approverRole, previous },
      });
    });
    return this.rules(actor, establishmentId);
  }

  async view(actor: StaffActor, documentId: string): Promise<VisaView> {
    const em = this.tx.manager;
    const doc = await this.access.document(em, actor, documentId, 'document.read');
    const v = await this.viewOf(em, actor, doc);
    // The remark is the document's content, as a refusal's reason (RequestViews): with document.content, and past the active base only once the archive is opened.
    if (!v.decision?.reason || (can(actor, 'document.content', doc.establishmentId) && (await archiveReadable(em, actor, doc.residentId)))) return v;
    return { ...v, decision: { ...v.decision, reason: null, reasonWithheld: true } };
  }

  async viewOf(em: EntityManager, actor: StaffActor | null, doc: DocumentEntity): Promise<VisaView> {
    const rule = await em.findOne(DocumentVisaRuleEntity, { where: { establishmentId: doc.establishmentId, documentType: doc.type } });
    const decision = doc.currentVersionId ? await em.findOne(DocumentVisaEntity, { where: { versionId: doc.currentVersionId } }) : null;
    const approverRole = rule?.approverRole ?? null;
    // Asked of a document not yet sent: one sent or signed before the rule existed is not held back.
    const unsent = doc.status === 'ready' || doc.status === 'generating' || doc.status === 'generation_failed';
    const state: VisaView['state'] = decision ? decision.decision : approverRole && unsent ? 'requested' : 'none';
    return {
      approverRole,
      state,
      versionId: doc.currentVersionId,
      decision: decision
        ? { decision: decision.decision, reason: decision.reason, decidedByName: decision.decidedByName, decidedAt: decision.decidedAt.toISOString(), approverRole: decision.approverRole }
        : null,
      canDecide: !!actor && !!approverRole && !decision && doc.status === 'ready' && mayDecide(actor, doc.establishmentId, approverRole),
    };
  }

  /** Approves the current version, or rejects it with a reason (required). */
  async decide(actor: StaffActor, documentId: string, input: { decision: string; reason?: string | null }): Promise<VisaView> {
    if (input.decision !== 'approved' && input.decision !== 'rejected')
      throw new ValidationError([{ field: 'decision', code: 'NOT_ALLOWED_VALUE', message: 'Choisissez d’accorder ou de refuser le visa.' }]);
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    if (input.decision === 'rejected' && (!reason || reason.length < 3))
      throw new ValidationError([{ field: 'reason', code: 'REQUIRED', message: 'Indiquez pourquoi le visa est refusé : la personne qui a rédigé le document corrigera en conséquence.' }]);
    if (reason && reason.length > 2000) throw new ValidationError([{ field: 'reason', code: 'TOO_LONG', message: 'La raison ne doit pas dépasser 2 000 caractères.' }]);
    return this.tx.run(async (em) => {
      const doc = await this.access.document(em, actor, documentId, 'document.read');
      await this.documents.lockDocument(em, doc.id);
      const fresh = (await em.findOne(DocumentEntity, { where: { id: doc.id } }))!;
      const rule = await em.findOne(DocumentVisaRuleEntity, { where: { establishmentId: fresh.establishmentId, documentType: fresh.type } });
      if (!rule) throw new ConflictError('VISA_NOT_REQUIRED', 'Aucun visa n’est demandé pour ce type de document dans cet établissement.');
      if (!mayDecide(actor, fresh.establishmentId, rule.approverRole)) throw new ForbiddenError('VISA_NOT_YOURS', `Ce visa est celui ${VISA_ROLE_LABELS[rule.approverRole]}.`);
      if (fresh.status !== 'ready' || !fresh.currentVersionId)
        throw new ConflictError('VISA_DOCUMENT_NOT_READY', 'Le visa porte sur un document généré qui n’est pas encore envoyé en signature.');
      const now = new Date();
      const inserted = (await em.query(
        `INSERT INTO document_visas (organisation_id, establishment_id, document_id, version_id, approver_role, decision, reason, decided_by, decided_by_name, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (version_id) DO NOTHING RETURNING id`,
        [fresh.organisationId, fresh.establishmentId, fresh.id, fresh.currentVersionId, rule.approverRole, input.decision, reason, actor.userId, actor.name, now],
      )) as { id: string }[];
      if (!inserted.length) throw new ConflictError('VISA_ALREADY_DECIDED', 'Le visa de cette version est déjà donné ou refusé : pour revenir dessus, corrigez le document (nouvelle version).');
      await this.audit.append(em, {
        chainId: actor.organisationId,
        actor: auditActor(actor),
        action: input.decision === 'approved' ? 'document.visa_approved' : 'document.visa_rejected',
        subject: { type: 'document', id: fresh.id },
        // The reason stays in the document's record (care details are not the auditors'); its hash ties the event to it.
        payload: { versionId: fresh.currentVersionId, approverRole: rule.approverRole, ...(reason ? { reasonSha256: sha256Hex(reason) } : {}) },
      });
      return this.viewOf(em, actor, fresh);
    });
  }

  /** In the sending's transaction: refused (409, stable code) until the current version has its visa. */
  async assertCleared(em: EntityManager, doc: DocumentEntity): Promise<void> {
    const v = await this.viewOf(em, null, doc);
    if (v.state === 'requested')
      throw new DomainError('conflict', VISA_REQUIRED, `Ce document attend le visa ${VISA_ROLE_LABELS[v.approverRole!]} avant d’être envoyé en signature.`);
    if (v.state === 'rejected')
      throw new DomainError('conflict', VISA_REJECTED, `Le visa a été refusé (« ${v.decision!.reason} ») : corrigez le document ; la nouvelle version demandera un nouveau visa.`);
  }

  /** For « À faire »: documents ready whose current version waits for a visa the actor may give. */
  async pending(
    em: EntityManager,
    actor: StaffActor,
    establishmentIds: string[],
  ): Promise<{ documentId: string; residentId: string; residentName: string; type: DocumentType; subtype: string | null; establishmentId: string; approverRole: VisaApproverRole; since: Date }[]> {
    // Only where the actor may give a visa at all (coordinator or director there): admissions costs no query.
    const mine = establishmentIds.filter((id) => VISA_APPROVER_ROLES.some((role) => mayDecide(actor, id, role)));
    if (!mine.length) return [];
    const rows = (await em.query(
      `SELECT d.id AS document_id, d.resident_id, res.first_name, res.last_name, d.type, d.subtype, d.establishment_id, r.approver_role, d.updated_at
         FROM documents d
         JOIN residents res ON res.id = d.resident_id
         JOIN document_visa_rules r ON r.establishment_id = d.establishment_id AND r.document_type = d.type
        WHERE d.organisation_id = $1 AND d.establishment_id = ANY($2::uuid[]) AND d.status = 'ready'
          AND NOT EXISTS (SELECT 1 FROM document_visas v WHERE v.version_id = d.current_version_id)
          -- A draft contract of a stay whose other contract is signed is never sent (CASF L.311-4, D.311): no visa to give.
          AND NOT ${supersededContractSql('d')}
        ORDER BY d.updated_at`,
      [actor.organisationId, mine],
    )) as { document_id: string; resident_id: string; first_name: string; last_name: string; type: DocumentType; subtype: string | null; establishment_id: string; approver_role: VisaApproverRole; updated_at: Date }[];
    return rows
      .filter((r) => mayDecide(actor, r.establishment_id, r.approver_role))
      .map((r) => ({ documentId: r.document_id, residentId: r.resident_id, residentName: `${r.first_name} ${r.last_name}`, type: r.type, subtype: r.subtype, establishmentId: r.establishment_id, approverRole: r.approver_role, since: new Date(r.updated_at) }));
  }

  /** The visas of several versions at once (the document page's versions list). */
  async decisionsOf(em: EntityManager, versionIds: string[]): Promise<DocumentVisaEntity[]> {
    return versionIds.length ? em.find(DocumentVisaEntity, { where: { versionId: In(versionIds) } }) : [];
  }
}

/** The role named by the rule, or the director, in that establishment. */
export function mayDecide(actor: StaffActor, establishmentId: string, approverRole: VisaApproverRole): boolean {
  return actor.roles.some((r) => r.establishmentId === establishmentId && (r.role === approverRole || r.role === 'director'));
}
