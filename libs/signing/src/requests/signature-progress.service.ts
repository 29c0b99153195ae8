import { Injectable } from '@nestjs/common';
import { OutboxService } from '@carepact/queue';
import { EntityManager } from 'typeorm';
import { SignatureRequestEntity, SignerEntity } from './signing.entities';
import { SigningRepository } from './signing.repository';
import { countersignatureDue, emailSignersDue } from './whose-turn';

/**
 * What follows a signature, whoever gave it (a signer in the portal, the director in the console):
 * shared by both sides so that neither calls the other's service.
 */
@Injectable()
export class SignatureProgress {
  constructor(
    private readonly repo: SigningRepository,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * In sequential mode, invite the next signers whose turn it is; when every required signature is
   * there, schedule the seal (its outbox key is the request: one seal only).
   */
  async afterSignature(em: EntityManager, r: SignatureRequestEntity): Promise<void> {
    const signers = await this.repo.signersOf(em, r.id);
    if (signers.filter((s) => !s.optional).every((s) => s.status === 'signed')) {
      await this.outbox.enqueue(em, 'signing.seal', { requestId: r.id }, { key: r.id, organisationId: r.organisationId });
      return;
    }
    if (r.mode === 'sequential')
      for (const s of emailSignersDue(r.mode, signers))
        await this.outbox.enqueue(em, 'signing.invite', { signerId: s.id, reason: 'invitation' }, { key: `${s.id}_0`, organisationId: r.organisationId });
    await this.countersignatureIfDue(em, r, signers);
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
