import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR, type AuditActor } from '@carepact/audit';
import { ConflictError } from '@carepact/common';
import { CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE, DocumentLifecycle, DocumentsRepository } from '@carepact/documents';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { SigningLinks } from '../links/signing-links.service';
import { EvidenceLog } from './evidence-log';
import { SignatureRequestEntity, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { allRequiredSigned, isTurnOf } from './whose-turn';

/**
 * The reason recorded on, and e-mailed for, a contract's request cancelled because another contract
 * of the same stay was signed (CASF L.311-4, D.311: one contract per stay, amended by avenant).
 */
export const OTHER_CONTRACT_SIGNED_REASON = 'Un autre contrat de séjour a été signé pour ce séjour';

/**
 * What the console's document page says of a draft contract instead of « Envoyer en signature » when
 * another contract of its stay is concluded (after « Le document ne peut pas être envoyé en
 * signature : »).
 */
export const CONTRACT_SIGNED_FOR_THE_STAY = 'un contrat de séjour est déjà signé pour ce séjour ; il n’y en a qu’un par séjour, toute modification se fait par avenant (CASF L.311-4, D.311).';

/** The 409 of a second contract of one admission, the same as at its creation (document-type-rules.ts). */
export function contractAlreadyInForce(): ConflictError {
  return new ConflictError(CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE);
}

/** What cancelling a request needs (SignatureRequestsService.cancelIn, and the contract concluded below). */
export interface CancelDeps {
  repo: SigningRepository;
  links: SigningLinks;
  lifecycle: DocumentLifecycle;
  log: EvidenceLog;
  outbox: OutboxService;
}

/**
 * Cancels an active request the caller has locked (and checked: not fully signed): its links stop
 * working, the document goes back to « prêt », the `cancelled` event (evidence and audit chain)
 * carries `details`. Each signer who had been invited — her turn had come (every signer in parallel
 * mode) and she was to sign from an e-mail link, she had answered, or a link was issued to her —
 * and who has an e-mail address gets the cancellation e-mail (`notify.cancelled`), queued in this
 * transaction: sent only if it commits. Not a signer still waiting for her turn in sequential mode
 * (she never heard of the request), nor the establishment's countersigner.
 */
export async function cancelLockedRequest(
  em: EntityManager,
  deps: CancelDeps,
  r: SignatureRequestEntity,
  signers: SignerEntity[],
  who: AuditActor,
  opts: { details: Record<string, string>; departure?: boolean; death?: boolean; otherContractSigned?: boolean },
  now = new Date(),
): Promise<void> {
  await em.update(SignatureRequestEntity, { id: r.id }, { status: 'cancelled', closedAt: now });
  await deps.links.revokeAllOfRequest(em, r.id, now);
  await deps.lifecycle.markReady(em, r.documentId, now);
  await deps.log.record(em, r, 'cancelled', who, Object.keys(opts.details).length ? { details: opts.details } : {});
  const linked = new Set(((await em.query(`SELECT DISTINCT signer_id AS id FROM signing_links WHERE request_id = $1`, [r.id])) as { id: string }[]).map((x) => x.id));
  for (const s of signers) {
    if (s.delivery === 'staff' || s.role === 'director' || !s.email) continue;
    // Pending and never reached: not her turn yet, or to sign in person with no link ever opened for her
    // (she was never e-mailed about the request: the code review of session 18).
    if (s.status === 'pending' && !linked.has(s.id) && (s.delivery !== 'email' || !isTurnOf(r.mode, signers, s.orderNo))) continue;
    // Cancelled with the person's death: no e-mail to her own address (the `cancelled` event keeps the reason).
    if (opts.death && s.role === 'resident') continue;
    await deps.outbox.enqueue(
      em,
      'notify.cancelled',
      {
        requestId: r.id,
        signerId: s.id,
        departure: opts.departure === true,
        ...(opts.departure && opts.death ? { death: true } : {}),
        ...(opts.otherContractSigned ? { otherContractSigned: true } : {}),
      },
      { key: `cancelled_${s.id}`, organisationId: r.organisationId },
    );
  }
}

/**
 * One contrat de séjour per stay (CASF L.311-4, D.311: concluded once, then amended by avenant).
 * Creating a contract refuses a second one once one is signed (CONTRACT_ALREADY_IN_FORCE), but
 * drafts are allowed (one may be abandoned for another): the signing side keeps two of them from
 * both being concluded.
 *
 * A contract is concluded for this rule once every required signature is in — signed, or only
 * waiting for its seal (nothing may change it then: SIGNATURE_REQUEST_FULLY_SIGNED). Under the
 * resident's row lock (SigningRepository.lockRequest takes it before any contract's request; the
 * send takes it before the document):
 * - sending a contract for signature, or signing it on paper, while another of its admission is
 *   concluded: 409 CONTRACT_ALREADY_IN_FORCE, nothing written (`assertNoOtherConcluded`);
 * - the signature that concludes a contract (the last e-signature, in person or by link, the
 *   director's countersignature, a paper scan) cancels the other contracts' open requests of the
 *   admission in the same transaction (`concluded`): their links die, their signers are told by
 *   the `signature-cancelled` e-mail why, the `cancelled` event says which contract was signed —
 *   so the second one can never complete. A second concluded one is refused (409) as above.
 * - the seal, which marks the document signed, refuses to mark a second one (sealContract).
 */
@Injectable()
export class ContractInForce {
  private readonly deps: CancelDeps;

  constructor(
    repo: SigningRepository,
    links: SigningLinks,
    lifecycle: DocumentLifecycle,
    log: EvidenceLog,
    outbox: OutboxService,
    private readonly documents: DocumentsRepository,
  ) {
    this.deps = { repo, links, lifecycle, log, outbox };
  }

  /** Locks the contract's resident (a contrat de séjour only), before its document or request: the order lockRequest keeps. */
  async lockResidentOf(em: EntityManager, doc: { type: string; organisationId: string; residentId: string }): Promise<void> {
    if (doc.type === 'contrat-sejour') await this.documents.lockResident(em, doc.organisationId, doc.residentId);
  }

  /** The other contract of the same admission already concluded (signed, or every required signature in), or null. */
  async otherConcluded(em: EntityManager, documentId: string): Promise<string | null> {
    for (const o of await this.documents.otherContractsOfAdmission(em, documentId)) {
      if (o.status === 'signed') return o.id;
      if (o.status !== 'in_signature') continue;
      const active = await this.deps.repo.activeRequestOfDocument(em, o.id);
      if (active && allRequiredSigned(await this.deps.repo.signersOf(em, active.id))) return o.id;
    }
    return null;
  }

  /** 409 CONTRACT_ALREADY_IN_FORCE when another contract of this contract's admission is concluded. */
  async assertNoOtherConcluded(em: EntityManager, doc: { id: string; type: string }): Promise<void> {
    if (doc.type === 'contrat-sejour' && (await this.otherConcluded(em, doc.id))) throw contractAlreadyInForce();
  }

  /**
   * Every required signature of `r` is now in (its first seal is about to be queued). For a contrat
   * de séjour: refused when another of the admission was concluded first (409); otherwise the
   * other contracts' open requests of the admission are cancelled, in this transaction. Returns the
   * requests cancelled.
   */
  async concluded(em: EntityManager, r: SignatureRequestEntity, now = new Date()): Promise<string[]> {
    const doc = await this.documents.findById(em, r.documentId);
    if (doc?.type !== 'contrat-sejour') return [];
    // Taken by lockRequest already; again here for any caller that locked the request otherwise.
    await this.lockResidentOf(em, doc);
    await this.assertNoOtherConcluded(em, doc);
    const cancelled: string[] = [];
    for (const o of await this.documents.otherContractsOfAdmission(em, doc.id)) {
      if (o.status !== 'in_signature') continue;
      const open = await this.deps.repo.activeRequestOfDocument(em, o.id);
      const locked = open && (await this.deps.repo.lockRequest(em, open.id));
      if (!locked || locked.status !== 'active') continue;
      const signers = await this.deps.repo.signersOf(em, locked.id);
      await cancelLockedRequest(
        em,
        this.deps,
        locked,
        signers,
        SYSTEM_ACTOR,
        { details: { reason: OTHER_CONTRACT_SIGNED_REASON, otherContractDocumentId: doc.id, otherContractRequestId: r.id }, otherContractSigned: true },
        now,
      );
      cancelled.push(locked.id);
    }
    return cancelled;
  }
}
