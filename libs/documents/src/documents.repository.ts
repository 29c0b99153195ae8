import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DocumentEntity, DocumentVersionEntity, RenditionEntity } from './documents.entities';

@Injectable()
export class DocumentsRepository {
  findScoped(em: EntityManager, organisationId: string, establishmentIds: string[], id: string): Promise<DocumentEntity | null> {
    if (!establishmentIds.length) return Promise.resolve(null);
    return em.findOne(DocumentEntity, { where: { id, organisationId, establishmentId: In(establishmentIds) } });
  }

  list(em: EntityManager, organisationId: string, establishmentIds: string[], residentId?: string): Promise<DocumentEntity[]> {
    if (!establishmentIds.length) return Promise.resolve([]);
    return em.find(DocumentEntity, {
      where: { organisationId, establishmentId: In(establishmentIds), ...(residentId ? { residentId } : {}) },
      order: { createdAt: 'DESC' },
      take: 500,
    });
  }

  versionsOf(em: EntityManager, documentId: string): Promise<DocumentVersionEntity[]> {
    return em.find(DocumentVersionEntity, {
      where: { documentId },
      order: { number: 'ASC' },
      select: ['id', 'documentId', 'organisationId', 'number', 'reason', 'status', 'templateId', 'templateVersion', 'templateHash', 'rendererVersion', 'inputHash', 'errorCode', 'createdBy', 'createdAt', 'generatedAt'],
    });
  }

  findVersion(em: EntityManager, documentId: string, versionId: string): Promise<DocumentVersionEntity | null> {
    return em.findOne(DocumentVersionEntity, { where: { id: versionId, documentId } });
  }

  findVersionById(em: EntityManager, versionId: string): Promise<DocumentVersionEntity | null> {
    return em.findOne(DocumentVersionEntity, { where: { id: versionId } });
  }

  renditionsOf(em: EntityManager, versionIds: string[]): Promise<RenditionEntity[]> {
    if (!versionIds.length) return Promise.resolve([]);
    return em.find(RenditionEntity, { where: { versionId: In(versionIds) }, order: { format: 'ASC', variant: 'ASC' } });
  }

  findRendition(em: EntityManager, versionId: string, format: string, variant: string): Promise<RenditionEntity | null> {
    return em.findOne(RenditionEntity, { where: { versionId, format: format as RenditionEntity['format'], variant: variant as RenditionEntity['variant'] } });
  }

  async nextVersionNumber(em: EntityManager, documentId: string): Promise<number> {
    const [{ n }] = (await em.query(`SELECT COALESCE(max(number), 0) + 1 AS n FROM document_versions WHERE document_id = $1`, [documentId])) as { n: number }[];
    return Number(n);
  }

  async lockDocument(em: EntityManager, id: string): Promise<DocumentEntity | null> {
    return em.createQueryBuilder(DocumentEntity, 'd').setLock('pessimistic_write').where('d.id = :id', { id }).getOne();
  }

  async residentHasRefusedContract(em: EntityManager, residentId: string): Promise<boolean> {
    return (await em.count(DocumentEntity, { where: { residentId, type: 'contrat-sejour', status: 'refused' } })) > 0;
  }
}
