import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, MoreThan } from 'typeorm';
import {
  EstablishmentEntity,
  LoginAttemptEntity,
  OrganisationEntity,
  StaffRoleEntity,
  StaffSessionEntity,
  StaffUserEntity,
} from './identity.entities';

@Injectable()
export class IdentityRepository {
  findUserByEmail(em: EntityManager, email: string): Promise<StaffUserEntity | null> {
    return em.findOne(StaffUserEntity, { where: { email } });
  }

  findUserInOrganisation(em: EntityManager, organisationId: string, userId: string): Promise<StaffUserEntity | null> {
    return em.findOne(StaffUserEntity, { where: { id: userId, organisationId } });
  }

  findUserById(em: EntityManager, userId: string): Promise<StaffUserEntity | null> {
    return em.findOne(StaffUserEntity, { where: { id: userId } });
  }

  rolesOf(em: EntityManager, userId: string): Promise<StaffRoleEntity[]> {
    return em.find(StaffRoleEntity, { where: { userId }, order: { establishmentId: 'ASC', role: 'ASC' } });
  }

  usersOfOrganisation(em: EntityManager, organisationId: string): Promise<StaffUserEntity[]> {
    return em.find(StaffUserEntity, { where: { organisationId }, order: { email: 'ASC' } });
  }

  rolesOfUsers(em: EntityManager, userIds: string[]): Promise<StaffRoleEntity[]> {
    return userIds.length ? em.find(StaffRoleEntity, { where: { userId: In(userIds) } }) : Promise.resolve([]);
  }

  establishmentsByIds(em: EntityManager, organisationId: string, ids: string[]): Promise<EstablishmentEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(EstablishmentEntity, { where: { organisationId, id: In(ids) }, order: { name: 'ASC' } });
  }

  findEstablishment(em: EntityManager, organisationId: string, id: string): Promise<EstablishmentEntity | null> {
    return em.findOne(EstablishmentEntity, { where: { organisationId, id } });
  }

  findOrganisation(em: EntityManager, id: string): Promise<OrganisationEntity | null> {
    return em.findOne(OrganisationEntity, { where: { id } });
  }

  async countRecentFailures(em: EntityManager, by: { emailHash?: string; ip?: string }, since: Date): Promise<number> {
    const where = { succeeded: false, attemptedAt: MoreThan(since), ...(by.emailHash ? { emailHash: by.emailHash } : { ip: by.ip }) };
    return em.count(LoginAttemptEntity, { where });
  }

  async recordAttempt(em: EntityManager, attempt: Omit<LoginAttemptEntity, 'id'>): Promise<void> {
    await em.insert(LoginAttemptEntity, attempt);
  }

  async purgeAttemptsBefore(em: EntityManager, before: Date): Promise<void> {
    await em.createQueryBuilder().delete().from(LoginAttemptEntity).where('attempted_at < :before', { before }).execute();
  }

  async insertSession(em: EntityManager, s: Omit<StaffSessionEntity, 'id' | 'user'>): Promise<StaffSessionEntity> {
    const entity = em.create(StaffSessionEntity, s);
    await em.insert(StaffSessionEntity, entity);
    return entity;
  }

  findLiveSession(em: EntityManager, tokenHash: string, now: Date): Promise<StaffSessionEntity | null> {
    return em.findOne(StaffSessionEntity, { where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) } });
  }

  async touchSession(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.update(StaffSessionEntity, { id }, { lastSeenAt: now });
  }

  async revokeSession(em: EntityManager, id: string, now: Date): Promise<boolean> {
    const r = await em.update(StaffSessionEntity, { id, revokedAt: IsNull() }, { revokedAt: now });
    return (r.affected ?? 0) > 0;
  }
}
