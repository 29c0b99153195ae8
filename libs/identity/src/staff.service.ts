import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService } from '@carepact/audit';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, ValidationError, isPlausibleEmail } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { EntityManager, QueryFailedError } from 'typeorm';
import { StaffActor, assertCan, assertCanManageUsersIn, assertCanSomewhere, auditActor, establishmentsWith, visibleEstablishments } from './access';
import { CATEGORY_MESSAGE, LEGAL_STATUS_MESSAGE, isEstablishmentCategory, isEstablishmentLegalStatus, type EstablishmentCategory, type EstablishmentLegalStatus } from './establishment-category';
import { EstablishmentContact, EstablishmentEntity, OrganisationEntity, STAFF_ROLES, StaffRole, StaffRoleEntity, StaffUserEntity } from './identity.entities';
import { IdentityRepository } from './identity.repository';
import { hashPassword } from './passwords';

export interface NewStaffUser {
  email: string;
  name: string;
  password: string;
  roles: { establishmentId: string; role: StaffRole }[];
}

export interface NewOrganisation {
  name: string;
  siren?: string | null;
}

export interface NewEstablishment {
  name: string;
  /** One of ESTABLISHMENT_CATEGORIES (CASF L.312-1 I); anything else is refused with INVALID_CATEGORY. */
  category: string;
  finess: string;
  address: string;
  phone?: string | null;
  directorFirstName: string;
  directorLastName: string;
  directorEmail?: string | null;
  tariffs?: { [key: string]: string | number | null } | null;
  annexes?: string[] | null;
}

export interface StaffUserView {
  id: string;
  email: string;
  name: string;
  active: boolean;
  /** Invited, and the person has not chosen a password yet. */
  invitationPending: boolean;
  /** For a pending invitation (listUsers): where its latest e-mail stands. */
  invitationEmail?: InvitationEmail;
  roles: { establishmentId: string; role: StaffRole }[];
}

/**
 * The latest invitation e-mail of an account, from its audit events: queued or being retried
 * (`sending`, since the invitation), delivered to the mail server (`sent`), or given up
 * (`failed`: `refused` when the server refused the address, else every attempt failed).
 */
export type InvitationEmail = { state: 'sending'; since: string } | { state: 'sent'; at: string } | { state: 'failed'; at: string; refused: boolean };

@Injectable()
export class StaffService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates an organisation and its first audit event (used by the seed and the CLI). */
  async createOrganisation(em: EntityManager, actor: AuditActor, input: NewOrganisation): Promise<OrganisationEntity> {
    const org = em.create(OrganisationEntity, { name: input.name, siren: input.siren ?? null, createdAt: new Date() });
    await em.insert(OrganisationEntity, org);
    await this.audit.append(em, { chainId: org.id, actor, action: 'organisation.created', subject: { type: 'organisation', id: org.id } });
    return org;
  }

  async createEstablishment(
    em: EntityManager,
    actor: AuditActor,
    organisationId: string,
    input: NewEstablishment,
  ): Promise<EstablishmentEntity> {
    const errors: FieldError[] = [];
    const required: [keyof NewEstablishment, string][] = [
      ['name', 'Le nom de l’établissement est obligatoire.'],
      ['address', 'L’adresse est obligatoire.'],
      ['directorFirstName', 'Le prénom du directeur ou de la directrice est obligatoire.'],
      ['directorLastName', 'Le nom du directeur ou de la directrice est obligatoire.'],
    ];
    for (const [field, message] of required) if (typeof input[field] !== 'string' || !(input[field] as string).trim()) errors.push({ field, code: 'REQUIRED', message });
    if (!/^[0-9]{2}[0-9AB][0-9]{6}$/.test(input.finess)) errors.push({ field: 'finess', code: 'INVALID_FINESS', message: 'Le numéro FINESS comporte 9 caractères.' });
    if (!isEstablishmentCategory(input.category)) errors.push(categoryError());
    if (errors.length) throw new ValidationError(errors);
    const est = em.create(EstablishmentEntity, {
      organisationId,
      name: input.name,
      category: input.category as EstablishmentCategory,
      finess: input.finess,
      address: input.address,
      phone: input.phone ?? null,
      directorFirstName: input.directorFirstName,
      directorLastName: input.directorLastName,
      directorEmail: input.directorEmail ?? null,
      tariffs: input.tariffs ?? null,
      annexes: input.annexes ?? null,
      createdAt: new Date(),
    });
    await em.insert(EstablishmentEntity, est);
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'establishment.created',
      subject: { type: 'establishment', id: est.id },
    });
    return est;
  }

  /** Used by the API (an administrator) and the CLI (system actor). */
  async createUser(em: EntityManager, actor: AuditActor, organisationId: string, input: NewStaffUser, opts: { invited?: boolean } = {}): Promise<StaffUserView> {
    const errors: FieldError[] = [];
    const email = input.email.trim().toLowerCase();
    if (!isPlausibleEmail(email))
      errors.push({ field: 'email', code: 'INVALID_EMAIL', message: "L'adresse e-mail n'est pas valide." });
    if (input.name.trim().length === 0 || input.name.length > 200)
      errors.push({ field: 'name', code: 'INVALID_NAME', message: 'Le nom est obligatoire (200 caractères au plus).' });
    if (input.password.length < 10 || input.password.length > 200)
      errors.push({ field: 'password', code: 'WEAK_PASSWORD', message: 'Le mot de passe doit compter au moins 10 caractères.' });
    if (input.roles.length === 0)
      errors.push({ field: 'roles', code: 'ROLE_REQUIRED', message: 'Au moins un rôle dans un établissement est requis.' });
    const seen = new Set<string>();
    input.roles.forEach((r, i) => {
      if (!STAFF_ROLES.includes(r.role))
        errors.push({ field: `roles.${i}.role`, code: 'INVALID_ROLE', message: `Rôle inconnu. Valeurs possibles : ${STAFF_ROLES.join(', ')}.` });
      const key = `${r.establishmentId}:${r.role}`;
      if (seen.has(key))
        errors.push({ field: `roles.${i}`, code: 'DUPLICATE_ROLE', message: 'Ce rôle est déjà donné dans cet établissement.' });
      seen.add(key);
    });
    if (errors.length) throw new ValidationError(errors);
    const estIds = [...new Set(input.roles.map((r) => r.establishmentId))];
    const ests = await this.repo.establishmentsByIds(em, organisationId, estIds);
    if (ests.length !== estIds.length) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    if (await this.repo.findUserByEmail(em, email))
      throw new ConflictError('EMAIL_ALREADY_USED', 'Un compte existe déjà avec cette adresse e-mail.');
    const now = new Date();
    const user = em.create(StaffUserEntity, {
      organisationId,
      email,
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      passwordSetAt: opts.invited ? null : now,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await em.insert(StaffUserEntity, user);
    } catch (e) {
      // Two requests with the same address at once both pass the check above; the unique index
      // decides. Answered as the check would, and the driver's error (whose parameters hold the
      // password hash) never reaches a log.
      if (isUniqueViolation(e, 'uq_staff_users_email'))
        throw new ConflictError('EMAIL_ALREADY_USED', 'Un compte existe déjà avec cette adresse e-mail.');
      throw e;
    }
    const roles = input.roles.map((r) => em.create(StaffRoleEntity, { userId: user.id, establishmentId: r.establishmentId, role: r.role }));
    await em.insert(StaffRoleEntity, roles);
    await this.audit.append(em, {
      chainId: organisationId,
      actor,
      action: 'user.created',
      subject: { type: 'staff_user', id: user.id },
      payload: { roles: input.roles.map((r) => `${r.establishmentId}:${r.role}`) },
    });
    return { id: user.id, email: user.email, name: user.name, active: true, invitationPending: !!opts.invited, roles: input.roles };
  }

  async createUserAs(actor: StaffActor, input: NewStaffUser): Promise<StaffUserView> {
    assertCanSomewhere(actor, 'user.manage');
    // Each role only where the caller administers (an administrator of A2 cannot create a director of A1).
    assertCanManageUsersIn(actor, input.roles.map((r) => r.establishmentId));
    return this.tx.run((em) => this.createUser(em, auditActor(actor), actor.organisationId, input));
  }

  /** The accounts holding a role in an establishment the caller administers. */
  async listUsers(actor: StaffActor): Promise<StaffUserView[]> {
    assertCanSomewhere(actor, 'user.manage');
    const administered = establishmentsWith(actor, 'user.manage');
    const em = this.tx.manager;
    const users = await this.repo.usersOfOrganisation(em, actor.organisationId);
    const roles = await this.repo.rolesOfUsers(em, users.map((u) => u.id));
    const listed = users
      .map((u): StaffUserView => ({
        id: u.id,
        email: u.email,
        name: u.name,
        active: u.active,
        invitationPending: u.active && u.passwordSetAt === null,
        roles: roles.filter((r) => r.userId === u.id).map((r) => ({ establishmentId: r.establishmentId, role: r.role })),
      }))
      .filter((u) => u.roles.some((r) => administered.includes(r.establishmentId)));
    const emails = await this.invitationEmails(em, actor.organisationId, listed.filter((u) => u.invitationPending).map((u) => u.id));
    return listed.map((u) => (emails.has(u.id) ? { ...u, invitationEmail: emails.get(u.id) } : u));
  }

  /**
   * Each pending account's latest invitation event (requested, sent, failed), in one query on the
   * organisation's audit chain through its (chain, subject) index: the worker records each outcome
   * there (AccountMailJobs), so the page needs no state of its own.
   */
  private async invitationEmails(em: EntityManager, organisationId: string, userIds: string[]): Promise<Map<string, InvitationEmail>> {
    if (userIds.length === 0) return new Map();
    const rows = (await em.query(
      `SELECT DISTINCT ON (subject_id) subject_id, action, payload->>'permanent' AS permanent, occurred_at
         FROM audit_events
        WHERE chain_id = $1 AND subject_id = ANY($2::text[]) AND subject_type = 'staff_user'
          AND (action = 'user.invited' OR (action IN ('account.email_sent', 'account.email_failed') AND payload->>'purpose' = 'invitation'))
        ORDER BY subject_id, seq DESC`,
      [organisationId, userIds],
    )) as { subject_id: string; action: string; permanent: string | null; occurred_at: Date }[];
    const out = new Map<string, InvitationEmail>();
    for (const r of rows) {
      const at = r.occurred_at.toISOString();
      out.set(r.subject_id, r.action === 'account.email_sent' ? { state: 'sent', at } : r.action === 'account.email_failed' ? { state: 'failed', at, refused: r.permanent === 'true' } : { state: 'sending', since: at });
    }
    return out;
  }

  /**
   * Disables an account at once: it can no longer log in (same answer as a wrong password) and
   * every open session ends (the next request answers 401). Only an administrator of every
   * establishment where the account has a role may do it.
   */
  async disableUserAs(actor: StaffActor, userId: string): Promise<StaffUserView> {
    assertCanSomewhere(actor, 'user.manage');
    return this.tx.run(async (em) => {
      const user = await this.repo.findUserInOrganisation(em, actor.organisationId, userId);
      const roles = user ? await this.repo.rolesOf(em, user.id) : [];
      const visible = visibleEstablishments(actor);
      if (!user || !roles.some((r) => visible.includes(r.establishmentId))) throw new NotFoundError('USER_NOT_FOUND', 'Compte introuvable.');
      if (!roles.every((r) => establishmentsWith(actor, 'user.manage').includes(r.establishmentId))) throw new ForbiddenError();
      if (!actor.system && user.id === actor.userId)
        throw new ConflictError('CANNOT_DISABLE_SELF', 'Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.');
      return this.disable(em, auditActor(actor), user, roles);
    });
  }

  /** The CLI's `user:disable <email>` (acts as the system, for any account of any organisation). */
  async disableUserByEmail(em: EntityManager, actor: AuditActor, emailInput: string): Promise<StaffUserView> {
    const user = await this.repo.findUserByEmail(em, emailInput.trim().toLowerCase());
    if (!user) throw new NotFoundError('USER_NOT_FOUND', 'Aucun compte avec cette adresse e-mail.');
    return this.disable(em, actor, user, await this.repo.rolesOf(em, user.id));
  }

  private async disable(em: EntityManager, actor: AuditActor, user: StaffUserEntity, roles: StaffRoleEntity[]): Promise<StaffUserView> {
    await this.repo.lockUser(em, user.id);
    const now = new Date();
    const changed = await this.repo.deactivateUser(em, user.id, now);
    const sessionsEnded = await this.repo.revokeSessionsOf(em, user.id, now);
    // An invitation or reset link still in a mailbox must not revive the account.
    await this.repo.revokeTokensOf(em, user.id, now);
    // Disabling twice changes nothing and leaves no second event (unless a session was still open).
    if (changed || sessionsEnded > 0)
      await this.audit.append(em, {
        chainId: user.organisationId,
        actor,
        action: 'user.disabled',
        subject: { type: 'staff_user', id: user.id },
        payload: { sessionsEnded, alreadyDisabled: !changed },
      });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      active: false,
      invitationPending: false,
      roles: roles.map((r) => ({ establishmentId: r.establishmentId, role: r.role })),
    };
  }

  /** Tariffs and annexes handed over with the contract: set by the director or an administrator. */
  async updateEstablishment(
    actor: StaffActor,
    id: string,
    patch: { category?: string; tariffs?: NewEstablishment['tariffs']; annexes?: string[] | null; phone?: string | null; contacts?: EstablishmentContact[] | null; legalStatus?: string | null },
  ): Promise<EstablishmentEntity> {
    assertCan(actor, 'establishment.write', id);
    // The API validates it too; the lib re-checks it for every other caller (CLI, seed).
    if (patch.category !== undefined && !isEstablishmentCategory(patch.category)) throw new ValidationError([categoryError()]);
    if (patch.legalStatus != null && !isEstablishmentLegalStatus(patch.legalStatus)) throw new ValidationError([{ field: 'legalStatus', code: 'INVALID_LEGAL_STATUS', message: LEGAL_STATUS_MESSAGE }]);
    return this.tx.run(async (em) => {
      const est = await this.repo.findEstablishment(em, actor.organisationId, id);
      if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
      const changes: Partial<EstablishmentEntity> = {};
      // The category drives the document type (D.311) and the financing section of later documents;
      // documents already generated keep the snapshot they were made from.
      if (patch.category !== undefined && patch.category !== est.category) changes.category = patch.category as EstablishmentCategory;
      if (patch.tariffs !== undefined) changes.tariffs = patch.tariffs;
      if (patch.annexes !== undefined) changes.annexes = patch.annexes;
      if (patch.phone !== undefined) changes.phone = patch.phone;
      if (patch.contacts !== undefined) changes.contacts = patch.contacts;
      // Public or private: the recourse a refusal of access names (access-answer.ts); null clears it.
      if (patch.legalStatus !== undefined && patch.legalStatus !== est.legalStatus) changes.legalStatus = patch.legalStatus as EstablishmentLegalStatus | null;
      if (Object.keys(changes).length) {
        await em.update(EstablishmentEntity, { id }, changes as never);
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'establishment.updated',
          subject: { type: 'establishment', id },
          payload: {
            changedFields: Object.keys(changes),
            ...(changes.category ? { categoryFrom: est.category, categoryTo: changes.category } : {}),
            ...('legalStatus' in changes ? { legalStatusFrom: est.legalStatus ?? null, legalStatusTo: changes.legalStatus ?? null } : {}),
          },
        });
      }
      return { ...est, ...changes };
    });
  }

  /**
   * An administrator creates an establishment in their organisation and becomes its administrator
   * (someone must be able to give its roles; issue 7's rule then lets them grant roles there only).
   */
  async createEstablishmentAs(actor: StaffActor, input: NewEstablishment): Promise<EstablishmentEntity> {
    assertCanSomewhere(actor, 'user.manage');
    return this.tx.run(async (em) => {
      const est = await this.createEstablishment(em, auditActor(actor), actor.organisationId, input);
      if (!actor.system) {
        await em.insert(StaffRoleEntity, { userId: actor.userId, establishmentId: est.id, role: 'administrator' });
        await this.audit.append(em, {
          chainId: actor.organisationId,
          actor: auditActor(actor),
          action: 'user.role_granted',
          subject: { type: 'staff_user', id: actor.userId },
          payload: { roles: [`${est.id}:administrator`], reason: 'establishment.created' },
        });
      }
      return est;
    });
  }

  /** One establishment the actor may see (settings page). */
  async getEstablishment(actor: StaffActor, id: string): Promise<EstablishmentEntity> {
    assertCan(actor, 'establishment.read', id);
    const est = await this.repo.findEstablishment(this.tx.manager, actor.organisationId, id);
    if (!est) throw new NotFoundError('ESTABLISHMENT_NOT_FOUND', 'Établissement introuvable.');
    return est;
  }

  async listEstablishments(actor: StaffActor): Promise<EstablishmentEntity[]> {
    return this.repo.establishmentsByIds(this.tx.manager, actor.organisationId, visibleEstablishments(actor));
  }
}

function categoryError(): FieldError {
  return { field: 'category', code: 'INVALID_CATEGORY', message: CATEGORY_MESSAGE };
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = (e as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' && driver.constraint === constraint;
}
