import { Injectable } from '@nestjs/common';
import { returnedRows } from '@carepact/database';
import { EntityManager } from 'typeorm';
import { DOCUMENT_TRANSITIONS, DocumentTransition, DocumentTransitionError, nextDocumentStatus } from './document-lifecycle';
import type { DocumentStatus } from './documents.entities';

/**
 * The one writer of `documents.status` (DOCUMENT_TRANSITIONS). Each method runs in the caller's
 * transaction, as one conditional UPDATE (`… WHERE status = ANY(allowed from)`), so that two
 * concurrent moves cannot both win; a refused move throws DOCUMENT_TRANSITION_INVALID.
 */
@Injectable()
export class DocumentLifecycle {
  /** A new version was requested (creation or correction): it becomes the current one. */
  async markGenerating(em: EntityManager, documentId: string, versionId: string, at = new Date()): Promise<void> {
    await this.move(em, documentId, 'newVersion', at, { currentVersionId: versionId });
  }

  /**
   * The generator's own moves. They apply only while `versionId` is still the current version:
   * a version superseded during generation is no move at all (false), not an error.
   */
  markGenerated(em: EntityManager, documentId: string, versionId: string, at = new Date()): Promise<boolean> {
    return this.moveIfCurrent(em, documentId, versionId, 'generated', at);
  }

  markGenerationFailed(em: EntityManager, documentId: string, versionId: string, at = new Date()): Promise<boolean> {
    return this.moveIfCurrent(em, documentId, versionId, 'generationFailed', at);
  }

  /** Staff retry the current version's failed generation. */
  markGenerationRetried(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'generationRetried', at);
  }

  markInSignature(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'sentForSignature', at);
  }

  /** The request was cancelled or expired, or a refusal leaves the document to be sent again. */
  markReady(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'signatureWithdrawn', at);
  }

  markSigned(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'signed', at);
  }

  markRefused(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'refused', at);
  }

  /** A draft abandoned by staff (DOCUMENT_TRANSITIONS.discarded): it is closed, `cancelled`. */
  markDiscarded(em: EntityManager, documentId: string, at = new Date()): Promise<void> {
    return this.move(em, documentId, 'discarded', at);
  }

  private async move(em: EntityManager, documentId: string, transition: DocumentTransition, at: Date, extra: { currentVersionId?: string } = {}): Promise<void> {
    const t = DOCUMENT_TRANSITIONS[transition];
    const moved = returnedRows(
      await em.query(
        `UPDATE documents SET status = $2, updated_at = $3, current_version_id = COALESCE($4, current_version_id)
          WHERE id = $1 AND status = ANY($5) RETURNING id`,
        [documentId, t.to, at, extra.currentVersionId ?? null, t.from],
      ),
    );
    if (moved.length) return;
    const [row] = (await em.query(`SELECT status FROM documents WHERE id = $1`, [documentId])) as { status: DocumentStatus }[];
    if (!row) throw new DocumentTransitionError(transition, null);
    nextDocumentStatus(row.status, transition); // throws: the table does not allow this move
    throw new DocumentTransitionError(transition, row.status);
  }

  private async moveIfCurrent(em: EntityManager, documentId: string, versionId: string, transition: DocumentTransition, at: Date): Promise<boolean> {
    const t = DOCUMENT_TRANSITIONS[transition];
    const moved = returnedRows(
      await em.query(`UPDATE documents SET status = $3, updated_at = $4 WHERE id = $1 AND current_version_id = $2 AND status = ANY($5) RETURNING id`, [
        documentId,
        versionId,
        t.to,
        at,
        t.from,
      ]),
    );
    return moved.length > 0;
  }
}
