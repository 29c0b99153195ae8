import { Injectable } from '@nestjs/common';
import { DomainError } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, DocumentsRepository, VersionInput } from '@carepact/documents';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { SigningRepository } from '../requests/signing.repository';
import { signerActor } from './portal-session.service';
import { PortalContext, assertCodeGiven } from './portal.types';

/** What a signer reads and downloads in the portal; each reading and download is in the evidence. */
@Injectable()
export class PortalReadsService {
  /** Sessions × variants whose 'viewed' event is known to exist (saves a query per reading). */
  private readonly viewed = new Set<string>();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly documents: DocumentsRepository,
    private readonly blobs: BlobStore,
    private readonly log: EvidenceLog,
  ) {}

  /** The input snapshot of the version being signed, from which its reading view is rendered. */
  async versionInput(ctx: PortalContext): Promise<VersionInput> {
    assertCodeGiven(ctx);
    const v = await this.documents.versionInput(this.tx.manager, ctx.request.versionId);
    if (!v) throw new DomainError('not_found', 'VERSION_NOT_FOUND', 'Version introuvable.');
    return v;
  }

  /** One 'viewed' event per session and variant: reading again writes nothing. */
  async markViewed(ctx: PortalContext, variant: string, ev: EventContext): Promise<void> {
    assertCodeGiven(ctx);
    const key = `${ctx.session.id}:${variant}`;
    if (this.viewed.has(key)) return;
    const em = this.tx.manager;
    const seen = (await em.query(
      `SELECT 1 FROM signature_events WHERE request_id = $1 AND signer_id = $2 AND kind = 'viewed' AND details->>'variant' = $3 AND details->>'session' = $4 LIMIT 1`,
      [ctx.request.id, ctx.signer.id, variant, ctx.session.id],
    )) as unknown[];
    if (!seen.length)
      await this.tx.run((t) => this.log.record(t, ctx.request, 'viewed', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { variant, session: ctx.session.id } }));
    // Bounded: a session lives two hours at most, so forgetting everything now and then costs one query each.
    if (this.viewed.size > 100_000) this.viewed.clear();
    this.viewed.add(key);
  }

  async rendition(ctx: PortalContext, format: string, variant: string, ev: EventContext): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
    assertCodeGiven(ctx);
    const em = this.tx.manager;
    const r = await this.documents.findRendition(em, ctx.request.versionId, format, variant);
    if (!r) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Ce format n’existe pas pour ce document.');
    const bytes = await this.blobs.get(em, r.blobSha256);
    if (!bytes) throw new DomainError('not_found', 'RENDITION_NOT_FOUND', 'Fichier introuvable.');
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format, variant, sha256: r.blobSha256 } }),
    );
    return { bytes, mediaType: r.mediaType, fileName: `${ctx.document.type}-${variant}.${format}` };
  }

  async sealedPdf(ctx: PortalContext, ev: EventContext): Promise<{ bytes: Buffer; fileName: string }> {
    assertCodeGiven(ctx);
    const em = this.tx.manager;
    const seal = await this.repo.sealOf(em, ctx.request.id);
    if (!seal) throw new DomainError('not_found', 'NOT_SEALED', 'Le document signé n’est pas encore disponible.');
    const bytes = (await this.blobs.get(em, seal.blobSha256))!;
    await this.tx.run((t) =>
      this.log.record(t, ctx.request, 'downloaded', signerActor(ctx.signer), { signerId: ctx.signer.id, ctx: ev, details: { format: 'pdf', variant: 'signed', sha256: seal.blobSha256 } }),
    );
    return { bytes, fileName: `${ctx.document.type}-signe.pdf` };
  }
}
