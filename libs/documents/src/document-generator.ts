import { Injectable, Logger } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '@carepact/audit';
import { isDomainError } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { OutboxService, PermanentJobError } from '@carepact/queue';
import { BundleContext, Rendition } from '@carepact/rendering';
import { BlobStore } from './blob-store';
import { DocumentLifecycle } from './document-lifecycle.service';
import { DocumentVersionEntity, RenditionEntity } from './documents.entities';
import { DocumentsRepository } from './documents.repository';

/** Renders a bundle; in the worker, on a thread pool so that the event loop (and BullMQ's lock renewal) stays free. */
export type BundleRenderer = (templateId: string, templateVersion: string, input: unknown, context: BundleContext) => Promise<Rendition[]>;

export type GenerationResult = { outcome: 'generated'; renditions: number } | { outcome: 'skipped'; reason: string };

/**
 * Worker side of document generation. Idempotent in PostgreSQL: the version is re-checked under
 * the outbox row's lock, blobs are content-addressed (stored once), renditions unique per
 * version × format × variant, and the outbox row is marked done in the same transaction.
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
  ) {}

  async generate(outboxId: string, versionId: string, render: BundleRenderer): Promise<GenerationResult> {
    const em = this.tx.manager;
    const version = await em.findOne(DocumentVersionEntity, { where: { id: versionId } });
    if (!version || version.status !== 'pending') {
      await this.outbox.runOnce(outboxId, async () => undefined);
      return { outcome: 'skipped', reason: version ? `version ${version.status}` : 'version not found' };
    }
    let renditions: Rendition[];
    try {
      // CPU work happens outside any transaction: no connection is held while rendering.
      // The version id goes into the page footers: a printed page names the version it comes from.
      renditions = await render(version.templateId, version.templateVersion, version.input, { versionId: version.id });
    } catch (e) {
      if (isDomainError(e) && e.permanent) {
        await this.fail(outboxId, version, e.code);
        throw new PermanentJobError(e.code, e.message);
      }
      throw e;
    }
    const result = await this.outbox.runOnce(outboxId, async (tx, row) => {
      // Workers re-check that a job's ids belong to the organisation it was enqueued for.
      if (row.organisationId !== version.organisationId) throw new PermanentJobError('ORGANISATION_MISMATCH', 'job organisation mismatch');
      const locked = await tx
        .createQueryBuilder(DocumentVersionEntity, 'v')
        .setLock('pessimistic_write')
        .where('v.id = :id', { id: version.id })
        .getOne();
      if (!locked || locked.status !== 'pending') return 0;
      const now = new Date();
      for (const r of renditions) {
        const sha = await this.blobs.put(tx, r.bytes);
        await tx.insert(RenditionEntity, { versionId: version.id, format: r.format, variant: r.variant, blobSha256: sha, byteSize: r.bytes.length, mediaType: r.mediaType, createdAt: now });
      }
      await tx.update(DocumentVersionEntity, { id: version.id }, { status: 'ready', generatedAt: now });
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
    });
    if (!result.ran || !result.result) return { outcome: 'skipped', reason: 'already done' };
    this.log.log({ versionId: version.id, renditions: result.result }, 'document version generated');
    return { outcome: 'generated', renditions: result.result };
  }

  /** Bad data or a template bug: the version fails for good, visible to staff, never retried forever. */
  private async fail(outboxId: string, version: DocumentVersionEntity, code: string): Promise<void> {
    await this.outbox.runOnce(outboxId, async (tx) => {
      const res = returnedRows(await tx.query(`UPDATE document_versions SET status = 'failed', error_code = $2 WHERE id = $1 AND status = 'pending' RETURNING id`, [version.id, code]));
      if (!res.length) return;
      await this.lifecycle.markGenerationFailed(tx, version.documentId, version.id);
      await this.audit.append(tx, {
        chainId: version.organisationId,
        actor: SYSTEM_ACTOR,
        action: 'document_version.failed',
        subject: { type: 'document_version', id: version.id },
        payload: { documentId: version.documentId, errorCode: code },
      });
    });
  }
}

