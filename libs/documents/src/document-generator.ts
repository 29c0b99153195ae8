import { Injectable, Logger } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '@carepact/audit';
import { isDomainError, timed } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { JobFailure, OutboxService, PermanentJobError } from '@carepact/queue';
import { RenderPool, Rendition } from '@carepact/rendering';
import { EntityManager } from 'typeorm';
import { BlobStore } from './blob-store';
import { DocumentLifecycle } from './document-lifecycle.service';
import { DocumentVersionEntity } from './documents.entities';
import { DocumentsRepository, VersionToGenerate } from './documents.repository';
import { GENERATION_RETRIES_EXHAUSTED } from './generation-errors';

export type GenerationResult = { outcome: 'generated'; renditions: number } | { outcome: 'skipped'; reason: string };

/**
 * Worker side of document generation. Idempotent in PostgreSQL: the version is re-checked under
 * the outbox row's lock, blobs are content-addressed (stored once), renditions unique per
 * version × format × variant, and the outbox row is marked done in the same transaction. Bundles
 * render on the RenderPool's threads, so that the event loop (and BullMQ's lock renewal) stays free.
 */
@Injectable()
export class DocumentGenerator {
  private readonly log = new Logger('DocumentGenerator');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: DocumentsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly blobs: BlobStore,
    private readonly lifecycle: DocumentLifecycle,
    private readonly pool: RenderPool,
  ) {}

  async generate(outboxId: string, versionId: string): Promise<GenerationResult> {
    const em = this.tx.manager;
    const version = await this.repo.versionToGenerate(em, versionId);
    if (!version || version.status !== 'pending') {
      await this.outbox.complete(outboxId);
      return { outcome: 'skipped', reason: version ? `version ${version.status}` : 'version not found' };
    }
    let renditions: Rendition[];
    try {
      // CPU work happens outside any transaction: no connection is held while rendering.
      // The version id goes into the page footers: a printed page names the version it comes from.
      renditions = await timed('worker: render (pool: queue, thread, transfer)', () => this.pool.render(version.templateId, version.templateVersion, version.input, { versionId: version.id }));
    } catch (e) {
      // Bad data or a template bug: the job fails for good; generationFailed records it.
      if (isDomainError(e) && e.permanent) throw new PermanentJobError(e.code, e.message);
      throw e;
    }
    let result;
    try {
      result = await this.store(outboxId, version, renditions);
    } finally {
      // Stored or not, these bytes are not read again (a retry renders anew): their memory goes back at once.
      this.pool.recycle(renditions);
    }
    if (!result.ran || !result.result) return { outcome: 'skipped', reason: 'already done' };
    this.log.log({ versionId: version.id, renditions: result.result }, 'document version generated');
    return { outcome: 'generated', renditions: result.result };
  }

  /** The renditions' blobs and rows, the version ready, its event: one transaction, once per outbox row. */
  private store(outboxId: string, version: VersionToGenerate, renditions: Rendition[]) {
    return timed('worker: store (transaction)', () => this.outbox.runOnce(outboxId, async (tx, row) => {
      // Workers re-check that a job's ids belong to the organisation it was enqueued for.
      if (row.organisationId !== version.organisationId) throw new PermanentJobError('ORGANISATION_MISMATCH', 'job organisation mismatch');
      const now = new Date();
      // The version becomes ready only if it is still pending: the UPDATE locks its row, waits for a
      // concurrent writer and re-checks the status after it, like SELECT … FOR UPDATE did, without
      // reading the version's input back (issue 12: one statement and a JSON parse less per document).
      // Its renditions are inserted next, in the same transaction: nobody sees one without the other.
      const ready = await tx.query(`UPDATE document_versions SET status = 'ready', generated_at = $2, error_code = NULL WHERE id = $1 AND status = 'pending' RETURNING id`, [
        version.id,
        now,
      ]);
      if (returnedRows(ready).length === 0) return 0;
      // One statement for the 9 renditions (blobs, then rendition rows), not 18 round trips.
      await timed('worker: blob + rendition inserts', () =>
        this.blobs.putManyThen(
          tx,
          renditions.map((r) => r.bytes),
          (shas, params) => {
            const rows = renditions.map((r, i) => {
              params.push(version.id, r.format, r.variant, shas[i], r.bytes.length, r.mediaType, now);
              const n = params.length;
              return `($${n - 6}::uuid, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::int, $${n - 1}, $${n}::timestamptz)`;
            });
            return `INSERT INTO renditions (version_id, format, variant, blob_sha256, byte_size, media_type, created_at) VALUES ${rows.join(', ')}`;
          },
        ),
      );
      await this.lifecycle.markGenerated(tx, version.documentId, version.id, now);
      await this.audit.append(tx, {
        chainId: version.organisationId,
        actor: SYSTEM_ACTOR,
        action: 'document_version.generated',
        subject: { type: 'document_version', id: version.id },
        payload: {
          documentId: version.documentId,
          templateHash: version.templateHash,
          inputHash: version.inputHash,
          renditions: renditions.map((r) => `${r.format}/${r.variant}`),
        },
      });
      return renditions.length;
    }));
  }

  /**
   * The render job failed for good (in the transaction that marks its outbox row failed): the
   * document shows "generation failed" to staff, never stays "generating". Bad data or a template
   * bug fails the version itself (a new, corrected version is the way out); anything else (every
   * attempt met an error) leaves the version pending with its error code, and staff may retry it.
   */
  async generationFailed(em: EntityManager, jobOrganisationId: string | null, versionId: string, failure: JobFailure): Promise<void> {
    const version = await em.createQueryBuilder(DocumentVersionEntity, 'v').setLock('pessimistic_write').where('v.id = :id', { id: versionId }).getOne();
    // Never touch another organisation's document from a job that was not enqueued for it.
    if (!version || version.status !== 'pending' || version.organisationId !== jobOrganisationId) return;
    const permanent = failure.kind === 'permanent';
    const errorCode = permanent ? failure.code : GENERATION_RETRIES_EXHAUSTED;
    await em.query(`UPDATE document_versions SET status = $2, error_code = $3 WHERE id = $1 AND status = 'pending'`, [version.id, permanent ? 'failed' : 'pending', errorCode]);
    await this.lifecycle.markGenerationFailed(em, version.documentId, version.id);
    await this.audit.append(em, {
      chainId: version.organisationId,
      actor: SYSTEM_ACTOR,
      action: 'document_version.failed',
      subject: { type: 'document_version', id: version.id },
      payload: { documentId: version.documentId, errorCode, cause: failure.code, retryable: !permanent },
    });
  }
}
