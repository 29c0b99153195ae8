import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, MoreThan } from 'typeorm';
import {
  AccountTokenEntity,
  PasswordResetRequestEntity,
  EstablishmentEntity,
  LoginAttemptEntity,
  OrganisationEntity,
  StaffRoleEntity,
  StaffSessionEntity,
  StaffUserEntity,
} from './identity.entities';

/** A live staff session with its account and roles (IdentityRepository.findSessionContext). */
export interface SessionContext {
  sessionId: string;
  lastSeenAt: Date;
  userId: string;
  organisationId: string;
  email: string;
  name: string;
  active: boolean;
  roles: { establishmentId: string; role: StaffRoleEntity['role'] }[];
}

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

  /** The active accounts holding a role in an establishment (e.g. its directors, to tell them a countersignature is due). */
  activeUsersWithRole(em: EntityManager, organisationId: string, establishmentId: string, role: StaffRoleEntity['role']): Promise<StaffUserEntity[]> {
    return em
      .createQueryBuilder(StaffUserEntity, 'u')
      .innerJoin(StaffRoleEntity, 'r', 'r.user_id = u.id')
      .where('u.organisation_id = :organisationId AND u.active AND r.establishment_id = :establishmentId AND r.role = :role', { organisationId, establishmentId, role })
      .orderBy('u.email', 'ASC')
      .getMany();
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

  /** The latest attempts for one account since `since`, newest first. */
  recentAttempts(em: EntityManager, emailHash: string, since: Date, limit: number): Promise<LoginAttemptEntity[]> {
    return em.find(LoginAttemptEntity, { where: { emailHash, attemptedAt: MoreThan(since) }, order: { attemptedAt: 'DESC' }, take: limit });
  }

  /** Serialises login attempts for one account until the transaction ends (parallel guesses wait their turn). */
  async lockLoginsOf(em: EntityManager, emailHash: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`login:${emailHash}`]);
  }

  async recordAttempt(em: EntityManager, attempt: Omit<LoginAttemptEntity, 'id'>): Promise<LoginAttemptEntity> {
    const entity = em.create(LoginAttemptEntity, attempt);
    await em.insert(LoginAttemptEntity, entity);
    return entity;
  }

  async markAttemptSucceeded(em: EntityManager, id: string): Promise<void> {
    await em.update(LoginAttemptEntity, { id }, { succeeded: true });
  }

  async purgeAttemptsBefore(em: EntityManager, before: Date): Promise<void> {
    await em.createQueryBuilder().delete().from(LoginAttemptEntity).where('attempted_at < :before', { before }).execute();
  }

  async insertSession(em: EntityManager, s: Omit<StaffSessionEntity, 'id' | 'user'>): Promise<StaffSessionEntity> {
    const entity = em.create(StaffSessionEntity, s);
    await em.insert(StaffSessionEntity, entity);
    return entity;
  }

  /**
   * What a staff request needs to know of its session, in one statement (it runs on every console
   * page and API call): the live session, its account and the account's roles.
   */
  async findSessionContext(em: EntityManager, tokenHash: string, now: Date): Promise<SessionContext | null> {
    const rows = (await em.query(
      `SELECT s.id AS session_id, s.last_seen_at, u.id AS user_id, u.organisation_id, u.email, u.name, u.active,
              COALESCE((SELECT json_agg(json_build_object('establishmentId', r.establishment_id, 'role', r.role) ORDER BY r.establishment_id, r.role)
                          FROM staff_roles r WHERE r.user_id = u.id), '[]'::json) AS roles
         FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
      [tokenHash, now],
    )) as { session_id: string; last_seen_at: Date; user_id: string; organisation_id: string; email: string; name: string; active: boolean; roles: SessionContext['roles'] }[];
    const r = rows[0];
    if (!r) return null;
    return { sessionId: r.session_id, lastSeenAt: r.last_seen_at, userId: r.user_id, organisationId: r.organisation_id, email: r.email, name: r.name, active: r.active, roles: r.roles };
  }

  async touchSession(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.update(StaffSessionEntity, { id }, { lastSeenAt: now });
  }

  async lockUser(em: EntityManager, id: string): Promise<void> {
    await em.query('SELECT 1 FROM staff_users WHERE id = $1 FOR UPDATE', [id]);
  }

  /** True when the account was active and is now disabled. */
  async deactivateUser(em: EntityManager, id: string, now: Date): Promise<boolean> {
    const r = await em.update(StaffUserEntity, { id, active: true }, { active: false, updatedAt: now });
    return (r.affected ?? 0) > 0;
  }

  /** Ends every open session of an account; returns how many. */
  async revokeSessionsOf(em: EntityManager, userId: string, now: Date): Promise<number> {
    const r = await em.update(StaffSessionEntity, { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
    return r.affected ?? 0;
  }

  countResetRequests(em: EntityManager, by: { emailHash?: string; ip?: string }, since: Date): Promise<number> {
    return em.count(PasswordResetRequestEntity, { where: { requestedAt: MoreThan(since), ...(by.emailHash ? { emailHash: by.emailHash } : { ip: by.ip }) } });
  }

  findAccountToken(em: EntityManager, tokenHash: string): Promise<AccountTokenEntity | null> {
    return em.findOne(AccountTokenEntity, { where: { tokenHash } });
  }

  /** Every unused password link of an account stops working (a newer one, a password set, a disabled account). */
  async revokeTokensOf(em: EntityManager, userId: string, now: Date): Promise<number> {
    const r = await em.update(AccountTokenEntity, { userId, consumedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
    return r.affected ?? 0;
  }

  async insertAccountToken(em: EntityManager, t: Omit<AccountTokenEntity, 'id' | 'user'>): Promise<AccountTokenEntity> {
    const entity = em.create(AccountTokenEntity, t);
    await em.insert(AccountTokenEntity, entity);
    return entity;
  }

  async revokeSession(em: EntityManager, id: string, now: Date): Promise<boolean> {
    const r = await em.update(StaffSessionEntity, { id, revokedAt: IsNull() }, { revokedAt: now });
    return (r.affected ?? 0) > 0;
  }
}
