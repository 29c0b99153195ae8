import { Injectable } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, ValidationError, calendarDayIn, formatDateFr, isCalendarDate } from '@carepact/common';
import { TransactionRunner, returnedRows } from '@carepact/database';
import { BlobStore, DocumentLifecycle, assertDocumentResidentNotArchived } from '@carepact/documents';
import { StaffActor, assertCan, auditActor } from '@carepact/identity';
import { SigningLinks } from '../links/signing-links.service';
import { EventContext, EvidenceLog } from '../requests/evidence-log';
import { RequestAccess } from '../requests/request-access';
import { RequestView, RequestViews } from '../requests/request-views.service';
import { SignatureProgress } from '../requests/signature-progress.service';
import { PaperSignatureEntity, SignatureRequestEntity, SignerEntity } from '../requests/signing.entities';
import { isPersonSideSigner, optionalLapsedAtDeath } from '../policy/person-side';
import type { EntityManager } from 'typeorm';
import { SigningRepository } from '../requests/signing.repository';
import { assertResidenceNotDisputed } from '../requests/residence-dispute.guard';
import { assertNotFullySigned, departureCancelReason, lapseSignersAtDeath } from '../requests/signature-requests.service';
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
    private readonly lifecycle: DocumentLifecycle,
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
    // A closed request is refused by `upload` (SIGNATURE_REQUEST_CLOSED) — but one cancelled with the
    // person's death may still take the paper signed before it (`upload` checks the declared day).
    if (r.status === 'active') assertNotFullySigned(await this.repo.signersOf(this.tx.manager, r.id), PAPER_REFUSED_FR);
    else if (r.status === 'cancelled' && !(await this.cancelledForDeath(this.tx.manager, r))) throw paperRequestCancelled();
  }

  /**
   * For the console's form: the person's date of death once recorded (the form then asks the day the
   * paper was signed), and whether the request is one her death cancelled, which takes the paper signed
   * before it (`reopen`). Null while she is not recorded as deceased.
   */
  async afterDeath(actor: StaffActor, requestId: string): Promise<{ deceasedOn: string; reopen: boolean } | null> {
    const em = this.tx.manager;
    const r = await this.access.request(em, actor, requestId, 'signature.manage');
    const deceasedOn = await this.deceasedOn(em, r);
    if (!deceasedOn) return null;
    return { deceasedOn, reopen: r.status === 'cancelled' && (await this.cancelledForDeath(em, r)) !== null };
  }

  /**
   * The date of death when `r` was cancelled with the person's death (the reason cancelForDeparture
   * wrote: « Décès de la personne le … », her death still recorded, the same day); null otherwise.
   */
  private async cancelledForDeath(em: EntityManager, r: SignatureRequestEntity): Promise<string | null> {
    const deceasedOn = await this.deceasedOn(em, r);
    if (!deceasedOn) return null;
    // The reason cancelForDeparture wrote with this very date of death (a death cleared and recorded again at another date does not reopen).
    const [row] = (await em.query(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'cancelled' AND details->>'reason' = $2`, [
      r.id,
      departureCancelReason(deceasedOn, true),
    ])) as unknown[];
    return row ? deceasedOn : null;
  }

  /** `residents.deceased_on` of the request's person, null while she is not recorded as deceased. */
  private async deceasedOn(em: EntityManager, r: SignatureRequestEntity): Promise<string | null> {
    const [row] = (await em.query(`SELECT p.deceased_on::text AS d FROM documents d JOIN residents p ON p.id = d.resident_id WHERE d.id = $1 AND d.organisation_id = $2`, [
      r.documentId,
      r.organisationId,
    ])) as { d: string | null }[];
    return row?.d ?? null;
  }

  /**
   * `signedOn`: the day the paper was signed, as staff declare it (YYYY-MM-DD) — required once the
   * person is recorded as deceased and the paper carries a signature of her side, or completes a
   * request her death cancelled: a contract formed while she lived stays (C. civ. 1121), a signature
   * given after her death does not (C. civ. 443 al. 1: 409 PAPER_SIGNED_AFTER_DEATH).
   */
  async upload(actor: StaffActor, requestId: string, scan: Buffer, signerIds: string[], ctx: EventContext = {}, opts: { signedOn?: string | null } = {}): Promise<RequestView> {
    // Who may upload is known before the file is read: a scan nobody may upload is never parsed.
    await this.assertMayUpload(actor, requestId);
    const declared = [...new Set(signerIds)];
    if (!declared.length)
      throw new ValidationError([{ field: 'signerIds', code: 'PAPER_SIGNERS_MISSING', message: 'Indiquez qui a signé le document papier.' }]);
    if (declared.length > MAX_PAPER_SIGNERS)
      throw new ValidationError([{ field: 'signerIds', code: 'PAPER_TOO_MANY_SIGNERS', message: `Au plus ${MAX_PAPER_SIGNERS} signataires.` }]);
    // Refused scans leave nothing behind: the checks run before the transaction.
    const facts = await inspectScan(scan);

    const signedOn = typeof opts.signedOn === 'string' && opts.signedOn.trim() ? opts.signedOn.trim() : null;
    if (signedOn !== null && (!isCalendarDate(signedOn) || signedOn > calendarDayIn(new Date())))
      throw new ValidationError([{ field: 'signedOn', code: 'INVALID_DATE', message: 'La date de signature du papier est une date passée ou du jour (AAAA-MM-JJ).' }]);

    return this.tx.run(async (em) => {
      const seen = await this.access.request(em, actor, requestId, 'signature.manage');
      const current = await this.repo.lockRequest(em, seen.id);
      // Cancelled with her death: reopened below for a paper signed before it (C. civ. 1121), else refused.
      const reopenFor = current?.status === 'cancelled' ? await this.cancelledForDeath(em, current) : null;
      if (current?.status === 'cancelled' && !reopenFor) throw paperRequestCancelled();
      const r = reopenFor ? current! : await this.access.lockActive(em, actor, requestId, 'signature.manage');
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
      // After her death: the day the paper was signed decides whether it still counts (C. civ. 443 al. 1).
      const deceasedOn = reopenFor ?? (chosen.some((s) => isPersonSideSigner(s.role)) ? await this.deceasedOn(em, r) : null);
      if (deceasedOn) assertSignedBeforeDeath(signedOn, deceasedOn);
      if (reopenFor) await this.reopenForPaper(em, actor, r, signers, chosen, reopenFor, signedOn!);

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
          ...(signedOn ? { signedOn } : {}),
        },
      });
      for (const s of chosen) {
        const updated = returnedRows(
          await em.query(`UPDATE signature_signers SET status = 'signed', acted_at = $2, auth_method = 'paper', typed_name = NULL, ip = NULL, user_agent = NULL WHERE id = $1 AND status = 'pending' RETURNING id`, [s.id, now]),
        );
        if (!updated.length) throw new ConflictError('SIGNER_ALREADY_ACTED', `${s.firstName} ${s.lastName} a déjà signé ou refusé.`);
        const revoked = await this.links.revokeForSigner(em, s.id, now);
        if (revoked) await this.log.record(em, r, 'revoked', auditActor(actor), { signerId: s.id, details: { links: revoked } });
        await this.log.record(em, r, 'signed_on_paper', auditActor(actor), { signerId: s.id, details: { originalSha256: sha, versionHash: r.versionHash, ...(signedOn ? { signedOn } : {}) } });
      }
      // Her side's optional signers not on the paper: their signature can no longer come (C. civ. 443 al. 1).
      if (reopenFor) {
        const left = optionalLapsedAtDeath((await this.repo.signersOf(em, r.id)).filter((x) => !chosen.some((c) => c.id === x.id)));
        await lapseSignersAtDeath(em, { repo: this.repo, links: this.links, log: this.log }, r, left, reopenFor, actor);
      }
      await this.progress.afterSignature(em, r);
      return this.views.viewFor(em, actor, r);
    });
  }

  /**
   * A request her death cancelled takes the paper signed before it (C. civ. 1121: the agreement was
   * formed while she lived; 443 al. 1 ends the representative's power, not the signatures given) —
   * only when, with this paper, every required signer of her side has signed on or before the day of
   * her death (the establishment's countersignature may still follow, as for a request kept at her
   * death), and the document is still « prêt » (nothing else was done with it since). The request
   * is active again, the document « en signature », a `reopened_for_paper` event (audited) says why.
   */
  private async reopenForPaper(em: EntityManager, actor: StaffActor, r: SignatureRequestEntity, signers: SignerEntity[], chosen: SignerEntity[], deceasedOn: string, signedOn: string): Promise<void> {
    const dayOf = (s: SignerEntity) => (chosen.includes(s) ? signedOn : s.status === 'signed' && s.actedAt ? calendarDayIn(s.actedAt) : null);
    const side = signers.filter((s) => isPersonSideSigner(s.role));
    const given = side.filter((s) => dayOf(s) !== null);
    if (!given.length || given.some((s) => dayOf(s)! > deceasedOn) || side.some((s) => !s.optional && dayOf(s) === null))
      throw new ConflictError(
        'PAPER_AFTER_DEATH_INCOMPLETE',
        `La demande a été annulée au décès de la personne, le ${formatDateFr(deceasedOn)} : elle ne peut reprendre que si, avec ce papier, toutes les signatures requises de son côté ont été données au plus tard ce jour-là. Cochez toutes les personnes de son côté qui ont signé le papier. Le scan n’a pas été déposé.`,
      );
    const [doc] = (await em.query(`SELECT status FROM documents WHERE id = $1 FOR UPDATE`, [r.documentId])) as { status: string }[];
    const [other] = (await em.query(`SELECT 1 FROM signature_requests WHERE document_id = $1 AND status = 'active' AND id <> $2`, [r.documentId, r.id])) as unknown[];
    if (doc?.status !== 'ready' || other)
      throw new ConflictError(
        'PAPER_DOCUMENT_NOT_READY',
        'Le document n’est plus « prêt » depuis l’annulation de cette demande (abandonné, ou une autre demande est en cours) : le papier ne peut plus y être rattaché. Le scan n’a pas été déposé.',
      );
    const now = new Date();
    await em.update(SignatureRequestEntity, { id: r.id }, { status: 'active', closedAt: null });
    r.status = 'active';
    r.closedAt = null;
    await this.lifecycle.markInSignature(em, r.documentId, now);
    await this.log.record(em, r, 'reopened_for_paper', auditActor(actor), {
      details: {
        deceasedOn,
        signedOn,
        reason: `Papier signé le ${formatDateFr(signedOn)}, au plus tard le jour du décès de la personne (le ${formatDateFr(deceasedOn)}) : la demande annulée au décès reprend pour ce papier (C. civ. art. 1121 et 443).`,
      },
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

/** 409 SIGNATURE_REQUEST_CLOSED (the code a closed request always had): a request cancelled for another reason than the person’s death takes no paper. */
function paperRequestCancelled(): ConflictError {
  return new ConflictError(
    'SIGNATURE_REQUEST_CLOSED',
    'Cette demande de signature a été annulée : aucun scan signé sur papier ne peut plus y être déposé. Seule une demande annulée au décès de la personne peut encore recevoir le papier signé avant ce décès ; sinon, envoyez de nouveau le document en signature.',
  );
}

/**
 * After her death, the paper carrying a signature of her side counts only if signed on or before the
 * day of death (Paris; the hour is not recorded): the day staff declare is required (400
 * PAPER_SIGNED_ON_REQUIRED), and one after the death is refused (409 PAPER_SIGNED_AFTER_DEATH, C. civ.
 * 443 al. 1: no one signs in her name after it).
 */
function assertSignedBeforeDeath(signedOn: string | null, deceasedOn: string): void {
  if (!signedOn)
    throw new ValidationError([
      {
        field: 'signedOn',
        code: 'PAPER_SIGNED_ON_REQUIRED',
        message: `La personne est décédée le ${formatDateFr(deceasedOn)} : indiquez la date à laquelle le papier a été signé (il ne vaut que signé au plus tard ce jour-là).`,
      },
    ]);
  if (signedOn > deceasedOn) {
    const message = `Le papier a été signé le ${formatDateFr(signedOn)}, après le décès de la personne le ${formatDateFr(deceasedOn)} : une signature donnée après le décès ne vaut pas pour elle (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur). Le scan n’a pas été déposé.`;
    throw new DomainError('conflict', 'PAPER_SIGNED_AFTER_DEATH', message, [{ field: 'signedOn', code: 'PAPER_SIGNED_AFTER_DEATH', message }]);
  }
}
