import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@carepact/common';
import { StaffActor, assertCan, requireVisible } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { ResidentEntity } from './residents.entities';
import { ResidentsRepository } from './residents.repository';

/** Loads a resident for an actor: the one access check every resident-file operation starts with. */
@Injectable()
export class ResidentAccess {
  constructor(private readonly repo: ResidentsRepository) {}

  /**
   * 404 for what the actor cannot see (other organisation, other establishment), 403 for a missing
   * role; `lock` takes the resident's row lock for the rest of the transaction (writes).
   */
  async load(em: EntityManager, actor: StaffActor, id: string, permission: 'resident.read' | 'resident.write', lock = false): Promise<ResidentEntity> {
    const r = await this.repo.findInOrganisation(em, actor.organisationId, id);
    requireVisible(actor, r, new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.'));
    assertCan(actor, permission, r.establishmentId);
    if (lock) await this.repo.lockResident(em, r.id);
    return r;
  }
}
