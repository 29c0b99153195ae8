import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationError } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { BlobStore, assertDocumentResidentNotArchived } from '@carepact/documents';
import { StaffActor, assertCan, auditActor } from '@carepact/identity';
import { SigningLinks } from '../links/signing-links.service';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { RequestAccess } from '../requests/request-access';
import { RequestView, RequestViews } from '../requests/request-views.service';
import { SignatureProgress } from '../requests/signature-progress.service';
import { PaperSignatureEntity } from '../requests/signing.entities';
import { SigningRepository } from '../requests/signing.repository';
import { assertResidenceNotDisputed } from '../requests/residence-dispute.guard';
import { assertNotFullySigned } from '../requests/signature-requests.service';
import { inspectScan } from './scan-inspection';

/** What SIGNATURE_REQUEST_FULLY_SIGNED refuses here (assertNotFullySigned). */
const PAPER_REFUSED_FR = 'aucun scan signé sur papier ne peut plus être déposé pour cette demande';

/** At most this many signers declared on one paper (a request never has more). */
export const MAX_PAPER_SIGNERS = 10;

/**
 * Paper signatures (issue 11 §6). Staff upload the scan of the paper the signers signed by hand
 * and declare which of the request's signers signed it; the scan is checked (scan-inspection.ts)
 * before anything is written, then, in one transaction: the original is stored as a blob, the
 * upload recorded (paper_signatures), the declared signers marked signed « sur papier », their
 * links revoked, every step in the evidence and the audit chain. When every required signature is
 * there, the seal is scheduled as for an electronic signature (SignatureProgress): the worker
 * stamps the scan, seals it and completes the request; DocumentLifecycle moves the document.
 *
 * Permissions as for in-person signing (`signature.manage`); declaring the director's
 * countersignature on paper also takes `signature.countersign`, as countersigning in the console does.
 */
@Injectable()
export class PaperSignaturesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly access: RequestAccess,
    private readonly views: RequestViews,
    private readonly links: SigningLinks,
    private readonly progress: SignatureProgress,
    private readonly blobs: BlobStore,
    private readonly log: EvidenceLog,
  ) {}

  /**
   * Before reading an upload: the request exists for the actor, who may manage its signatures
   * (404/403 otherwise), and it still takes a paper (409 SIGNATURE_REQUEST_FULLY_SIGNED once every
   * required signature is in: `upload` checks again under the request's lock).
   */
  async assertMayUpload(actor: StaffActor, requestId: string): Promise<void> {
    const r = await this.access.request(this.tx.manager, actor, requestId, 'signature.manage');
    // A paper signature is a new signing act: not for a person in the intermediate archive (RESIDENT_ARCHIVED).
    await assertDocumentResidentNotArchived(this.tx.manager, r.organisationId, r.documentId);
    // A closed request is refused by `upload` (SIGNATURE_REQUEST_CLOSED).
    if (r.status === 'active') assertNotFullySigned(await this.repo.signersOf(this.tx.manager, r.id), PAPER_REFUSED_FR);
  }

  async upload(actor: StaffActor, requestId: string, scan: Buffer, signerIds: string[], ctx: EventContext = {}): Promise<RequestView> {
    // Who may upload is known before the file is read: a scan nobody may upload is never parsed.
    await this.assertMayUpload(actor, requestId);
    const declared = [...new Set(signerIds)];
    if (!declared.length)
      throw new ValidationError([{ field: 'signerIds', code: 'PAPER_SIGNERS_MISSING', message: 'Indiquez qui a signé le document papier.' }]);
    if (declared.length > MAX_PAPER_SIGNERS)
      throw new ValidationError([{ field: 'signerIds', code: 'PAPER_TOO_MANY_SIGNERS', message: `Au plus ${MAX_PAPER_SIGNERS} signataires.` }]);
    // Refused scans leave nothing behind: the checks run before the transaction.
    const facts = await inspectScan(scan);

    return this.tx.run(async (em) => {
      const r = await this.access.lockActive(em, actor, requestId, 'signature.manage');
      await assertDocumentResidentNotArchived(em, r.organisationId, r.documentId);
      await assertResidenceNotDisputed(em, r, 'staff');
      if (await this.repo.paperOf(em, r.id))
        throw new ConflictError('PAPER_ALREADY_UPLOADED', 'Un scan signé sur papier a déjà été déposé pour cette demande.');
      const signers = await this.repo.signersOf(em, r.id);
      // The seal may be queued: it builds from these signatures, which a paper would change (an
      // optional signer declared on it), as the cancel would throw them away.
      assertNotFullySigned(signers, PAPER_REFUSED_FR);
      const chosen = declared.map((id) => {
        const s = signers.find((x) => x.id === id);
        if (!s) throw new NotFoundError('SIGNER_NOT_FOUND', 'Signataire introuvable dans cette demande.');
        if (s.status !== 'pending') throw new ConflictError('SIGNER_ALREADY_ACTED', `${s.firstName} ${s.lastName} a déjà signé ou refusé.`);
        return s;
      });
      if (chosen.some((s) => s.role === 'director')) assertCan(actor, 'signature.countersign', r.establishmentId);

      const now = new Date();
      const sha = await this.blobs.put(em, scan);
      await em.insert(PaperSignatureEntity, {
        requestId: r.id,
        versionId: r.versionId,
        originalSha256: sha,
        byteSize: facts.byteSize,
        pageCount: facts.pageCount,
        signerIds: chosen.map((s) => s.id),
        uploadedBy: actor.userId,
        uploadedByName: actor.name,
        uploadedByEmail: actor.email,
        uploadedAt: now,
      });
      await this.log.record(em, r, 'paper_uploaded', auditActor(actor), {
        ctx,
        details: {
          originalSha256: sha,
          byteSize: facts.byteSize,
          pageCount: facts.pageCount,
          versionId: r.versionId,
          versionHash: r.versionHash,
          signerIds: chosen.map((s) => s.id),
          byUserId: actor.userId,
          byAccount: actor.email,
          byName: actor.name,
        },
      });
      for (const s of chosen) {
        const updated = returnedRows(
          await em.query(`UPDATE signature_signers SET status = 'signed', acted_at = $2, auth_method = 'paper', typed_name = NULL, ip = NULL, user_agent = NULL WHERE id = $1 AND status = 'pending' RETURNING id`, [s.id, now]),
        );
        if (!updated.length) throw new ConflictError('SIGNER_ALREADY_ACTED', `${s.firstName} ${s.lastName} a déjà signé ou refusé.`);
        const revoked = await this.links.revokeForSigner(em, s.id, now);
        if (revoked) await this.log.record(em, r, 'revoked', auditActor(actor), { signerId: s.id, details: { links: revoked } });
        await this.log.record(em, r, 'signed_on_paper', auditActor(actor), { signerId: s.id, details: { originalSha256: sha, versionHash: r.versionHash } });
      }
      await this.progress.afterSignature(em, r);
      return this.views.viewFor(em, actor, r);
    });
  }

  /** The scan as it was uploaded (content: not for auditors, as the signed PDF); each download is audited. */
  async original(actor: StaffActor, requestId: string): Promise<{ bytes: Buffer; fileName: string }> {
    const em = this.tx.manager;
    const r = await this.access.request(em, actor, requestId, 'document.content');
    const paper = await this.repo.paperOf(em, r.id);
    if (!paper) throw new NotFoundError('PAPER_NOT_FOUND', 'Aucun scan signé sur papier pour cette demande.');
    const bytes = (await this.blobs.get(em, paper.originalSha256))!;
    await this.tx.run((t) => this.log.record(t, r, 'downloaded', auditActor(actor), { details: { format: 'pdf', variant: 'paper-original', sha256: paper.originalSha256 } }));
    return { bytes, fileName: `scan-papier-original-${r.id}.pdf` };
  }
}
