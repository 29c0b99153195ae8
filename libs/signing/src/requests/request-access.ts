import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@carepact/common';
import { DocumentEntity, DocumentsRepository, assertArchiveOpen, assertDocumentArchiveOpen } from '@carepact/documents';
import { Permission, StaffActor, assertCan, requireVisible, visibleEstablishments } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { RequestStatus, SignatureRequestEntity, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';

const STATUS_FR: Record<RequestStatus, string> = { active: 'en cours', completed: 'terminée', refused: 'refusée', cancelled: 'annulée', expired: 'expirée' };

/**
 * Staff access to documents, requests and signers: out of the actor's establishments it does not
 * exist (404, never 403: no oracle), then the permission is checked.
 */
@Injectable()
export class RequestAccess {
  constructor(
    private readonly repo: SigningRepository,
    private readonly documents: DocumentsRepository,
  ) {}

  async document(em: EntityManager, actor: StaffActor, id: string, permission: Permission): Promise<DocumentEntity> {
    const doc = await this.documents.findScoped(em, actor.organisationId, visibleEstablishments(actor), id);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    assertCan(actor, permission, doc.establishmentId);
    if (permission === 'document.content') await assertArchiveOpen(em, actor, doc.residentId);
    return doc;
  }

  async request(em: EntityManager, actor: StaffActor, id: string, permission: Permission): Promise<SignatureRequestEntity> {
    const r = await this.repo.findRequest(em, actor.organisationId, id);
    requireVisible(actor, r, new NotFoundError('SIGNATURE_REQUEST_NOT_FOUND', 'Demande de signature introuvable.'));
    assertCan(actor, permission, r.establishmentId);
    // The signed PDF and the paper scan are content: past the active base, only once the archive is opened.
    if (permission === 'document.content') await assertDocumentArchiveOpen(em, actor, r.documentId);
    return r;
  }

  /** The request, locked for this transaction, and still in progress. */
  async lockActive(em: EntityManager, actor: StaffActor, id: string, permission: Permission): Promise<SignatureRequestEntity> {
    const r = await this.request(em, actor, id, permission);
    const locked = await this.repo.lockRequest(em, r.id);
    if (!locked || locked.status !== 'active')
      throw new ConflictError('SIGNATURE_REQUEST_CLOSED', `Cette demande n’est plus en cours (${STATUS_FR[locked?.status ?? 'cancelled']}).`);
    return locked;
  }

  async signer(em: EntityManager, r: SignatureRequestEntity, signerId: string): Promise<SignerEntity> {
    const s = await this.repo.signerById(em, signerId);
    if (!s || s.requestId !== r.id) throw new NotFoundError('SIGNER_NOT_FOUND', 'Signataire introuvable.');
    return s;
  }
}
