import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from './residents.entities';

/** Every read is scoped to an organisation (and, for lists, a set of establishments). */
@Injectable()
export class ResidentsRepository {
  /** By id within an organisation; the caller checks the establishment is visible (requireVisible). */
  findInOrganisation(em: EntityManager, organisationId: string, id: string): Promise<ResidentEntity | null> {
    return em.findOne(ResidentEntity, { where: { id, organisationId } });
  }

  list(em: EntityManager, organisationId: string, establishmentIds: string[]): Promise<ResidentEntity[]> {
    if (establishmentIds.length === 0) return Promise.resolve([]);
    return em.find(ResidentEntity, {
      where: { organisationId, establishmentId: In(establishmentIds) },
      order: { lastName: 'ASC', firstName: 'ASC' },
      take: 1000,
    });
  }

  contactsOf(em: EntityManager, residentId: string): Promise<ContactEntity[]> {
    return em.find(ContactEntity, { where: { residentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findContact(em: EntityManager, residentId: string, contactId: string): Promise<ContactEntity | null> {
    return em.findOne(ContactEntity, { where: { id: contactId, residentId } });
  }

  measuresOf(em: EntityManager, residentId: string): Promise<ProtectionMeasureEntity[]> {
    return em.find(ProtectionMeasureEntity, { where: { residentId }, order: { judgmentDate: 'DESC', createdAt: 'DESC' } });
  }

  findMeasure(em: EntityManager, residentId: string, measureId: string): Promise<ProtectionMeasureEntity | null> {
    return em.findOne(ProtectionMeasureEntity, { where: { id: measureId, residentId } });
  }

  holdersOf(em: EntityManager, measureIds: string[]): Promise<MeasureHolderEntity[]> {
    if (measureIds.length === 0) return Promise.resolve([]);
    return em.find(MeasureHolderEntity, { where: { measureId: In(measureIds) }, order: { id: 'ASC' } });
  }

  async contactIsHolder(em: EntityManager, contactId: string): Promise<boolean> {
    return (await em.count(MeasureHolderEntity, { where: { contactId } })) > 0;
  }

  async lockResident(em: EntityManager, id: string): Promise<void> {
    await em.query('SELECT 1 FROM residents WHERE id = $1 FOR UPDATE', [id]);
  }
}
