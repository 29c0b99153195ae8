import { Injectable } from '@nestjs/common';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { AuditActor, SYSTEM_ACTOR } from '@carepact/audit';
import { EvidenceLog } from './evidence-log';
import { SealedDocumentEntity, SignatureRequestEntity, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { ContractInForce } from './contract-in-force';
import { countersignWindowOpen, countersignatureDue, emailSignersDue, isOptionalCountersigner, signedCount } from './whose-turn';

/** How many signatures a sealed edition's evidence records. */
export function signedInSeal(seal: Pick<SealedDocumentEntity, 'evidence'>): number {
  return (seal.evidence.signers ?? []).filter((s) => s.status === 'signed').length;
}

/**
 * Closes the countersignature window of an established document (CASF D.311 II, whose-turn.ts
 * countersignWindowOpen), under the request's lock: the request becomes `completed`, and the step is
 * in the evidence and the audit chain. Not while a countersignature waits for its seal (the seal
 * closes the window when it commits), nor, when `reason` is `answered`, while someone may still
 * countersign. `death`: the person died, no one may countersign in her name any more (C. civ. 443
 * al. 1; her optional signers lapsed, `lapsed_at_death`). True when it closed.
 */
export async function closeCountersignWindow(
  em: EntityManager,
  deps: { repo: SigningRepository; evidence: EvidenceLog },
  r: SignatureRequestEntity,
  reason: 'answered' | 'deadline' | 'death',
  now = new Date(),
  actor: AuditActor = SYSTEM_ACTOR,
): Promise<boolean> {
  if (r.status !== 'active') return false;
  const seal = await deps.repo.sealOf(em, r.id);
  if (!seal) return false;
  const signers = await deps.repo.signersOf(em, r.id);
  if (signedCount(signers) > signedInSeal(seal)) return false;
  const lapsed = await deps.repo.lapsedAtDeathOf(em, r.id);
  if (reason === 'answered' && countersignWindowOpen(signers.filter((s) => !lapsed.has(s.id)), r.deadline, now)) return false;
  await em.update(SignatureRequestEntity, { id: r.id }, { status: 'completed', closedAt: now });
  const notCountersigned = signers.filter((s) => isOptionalCountersigner(s) && s.status !== 'signed').map((s) => s.id);
  await deps.evidence.record(em, r, 'countersign_window_closed', actor, { details: { reason, edition: seal.edition, notCountersigned } });
  return true;
}

/**
 * What follows a signature, whoever gave it (a signer in the portal, the director in the console):
 * shared by both sides so that neither calls the other's service.
 */
@Injectable()
export class SignatureProgress {
  constructor(
    private readonly repo: SigningRepository,
    private readonly outbox: OutboxService,
    private readonly evidence: EvidenceLog,
    private readonly contracts: ContractInForce,
  ) {}

  /**
   * In sequential mode, invite the next signers whose turn it is; when every required signature is
   * there, schedule the seal (its outbox key is the request: one seal only).
   */
  async afterSignature(em: EntityManager, r: SignatureRequestEntity): Promise<void> {
    const signers = await this.repo.signersOf(em, r.id);
    if (signers.filter((s) => !s.optional).every((s) => s.status === 'signed')) {
      // Already sealed (a DIPC established by the director, CASF D.311 II): this is a countersignature
      // given in the window; it is sealed again, as a new edition (one job per signature count).
      const sealed = await this.repo.sealOf(em, r.id);
      // A contrat de séjour concluded: refused if another one of its admission was concluded first
      // (409 CONTRACT_ALREADY_IN_FORCE), else the other contracts' open requests are cancelled, in
      // this transaction (one contract per stay, CASF L.311-4, D.311: contract-in-force.ts).
      if (!sealed) await this.contracts.concluded(em, r);
      const key = sealed ? `${r.id}_signed_${signedCount(signers)}` : r.id;
      await this.outbox.enqueue(em, 'signing.seal', { requestId: r.id }, { key, organisationId: r.organisationId });
      return;
    }
    const lapsed = r.mode === 'sequential' ? await this.repo.lapsedAtDeathOf(em, r.id) : new Map<string, string>();
    if (r.mode === 'sequential')
      for (const s of emailSignersDue(r.mode, signers).filter((x) => !lapsed.has(x.id)))
        await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'invitation' }, { key: `${s.id}_0`, organisationId: r.organisationId });
    await this.countersignatureIfDue(em, r, signers);
  }

  /**
   * An optional signer refused to countersign an established document: once nobody else may still
   * countersign, the window closes (the established edition stays the document, CASF D.311 II).
   */
  async afterOptionalRefusal(em: EntityManager, r: SignatureRequestEntity): Promise<void> {
    await closeCountersignWindow(em, { repo: this.repo, evidence: this.evidence }, r, 'answered');
  }

  /**
   * When the establishment's countersignature is all that remains (CASF D.311: the director or a
   * delegate signs the contract, its avenants and the DIPC), the director(s) are e-mailed: once per
   * request, the outbox key being the request.
   */
  async countersignatureIfDue(em: EntityManager, r: SignatureRequestEntity, signers?: SignerEntity[]): Promise<boolean> {
    const director = countersignatureDue(signers ?? (await this.repo.signersOf(em, r.id)));
    if (!director) return false;
    return this.outbox.enqueue(em, 'notify.staff', { requestId: r.id, kind: 'countersign_due', signerId: director.id }, { key: `countersign_${r.id}`, organisationId: r.organisationId });
  }
}
