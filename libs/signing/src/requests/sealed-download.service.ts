import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, documentArchiveReadable } from '@carepact/documents';
import { StaffActor, auditActor, can } from '@carepact/identity';
import { EvidenceLog } from './evidence-log';
import { evidenceForReader } from './evidence-reader';
import { RequestAccess } from './request-access';
import { SigningRepository } from './signing.repository';

/** Staff downloads of the sealed PDF and of the evidence JSON; each download is audited. */
@Injectable()
export class SealedDownloadService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly blobs: BlobStore,
    private readonly log: EvidenceLog,
    private readonly access: RequestAccess,
  ) {}

  /** The evidence is audit material (`document.read`); the signed document itself is content (`document.content`: not auditors). */
  private async load(actor: StaffActor, requestId: string, permission: 'document.read' | 'document.content') {
    const em = this.tx.manager;
    const r = await this.access.request(em, actor, requestId, permission);
    const seal = await this.repo.sealOf(em, r.id);
    if (!seal) throw new NotFoundError('NOT_SEALED', 'Le document n’est pas encore scellé.');
    return { r, seal };
  }

  async signedPdf(actor: StaffActor, requestId: string): Promise<{ bytes: Buffer; fileName: string }> {
    const { r, seal } = await this.load(actor, requestId, 'document.content');
    const bytes = (await this.blobs.get(this.tx.manager, seal.blobSha256))!;
    await this.tx.run((em) => this.log.record(em, r, 'downloaded', auditActor(actor), { details: { format: 'pdf', variant: 'signed', sha256: seal.blobSha256 } }));
    return { bytes, fileName: `document-signe-${r.id}.pdf` };
  }

  /**
   * The evidence JSON. A reader without `resident.read` (the auditor) gets it without the judgment
   * references of the person's file, as the document page and the request views show it; without
   * `document.content`, without the comments of the person's recorded views (evidence-reader.ts; the
   * copy says so in `fileReferencesWithheld` / `viewCommentsWithheld`, and so does the download's event).
   */
  async evidence(actor: StaffActor, requestId: string): Promise<{ bytes: Buffer; fileName: string }> {
    const { r, seal } = await this.load(actor, requestId, 'document.read');
    const residentFile = can(actor, 'resident.read', r.establishmentId);
    // Content with document.content, and only while the person's documents are readable (intermediate-archive.ts).
    const content = can(actor, 'document.content', r.establishmentId) && (await documentArchiveReadable(this.tx.manager, actor, r.documentId));
    const shown = evidenceForReader(seal.evidence, { residentFile, content });
    await this.tx.run((em) =>
      this.log.record(em, r, 'downloaded', auditActor(actor), {
        details: {
          format: 'json',
          variant: 'evidence',
          sha256: seal.evidenceSha256,
          ...(residentFile ? {} : { fileReferencesWithheld: true }),
          ...(content ? {} : { viewCommentsWithheld: true }),
        },
      }),
    );
    return { bytes: Buffer.from(JSON.stringify(shown, null, 2), 'utf8'), fileName: `preuve-${r.id}.json` };
  }
}
