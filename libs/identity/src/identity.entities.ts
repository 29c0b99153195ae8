import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn , Relation } from 'typeorm';
import { ESTABLISHMENT_CATEGORIES, ESTABLISHMENT_LEGAL_STATUSES, type EstablishmentCategory, type EstablishmentLegalStatus } from './establishment-category';

export interface EstablishmentContact {
  label: string;
  phone: string | null;
  email: string | null;
}

export const STAFF_ROLES = ['admissions', 'coordinator', 'director', 'auditor', 'administrator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Organisme gestionnaire: owns establishments; one audit chain each. */
@Entity({ name: 'organisations' })
@Check('ck_organisations_active_base_months', `active_base_months BETWEEN 0 AND 1200`)
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organisations' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  siren: string | null;

  /** Its records are public archives (1° or 2° of Code du patrimoine L.211-4: a personne morale de droit public, or a private body's public-service mission; column name kept), purged only with the archives' visa (R.212-14). */
  @Column({ type: 'boolean', default: false })
  publicLaw: boolean;

  /** Months after the end of the accompaniment before a person's documents go to the intermediate archive (migration 1764090000000). */
  @Column({ type: 'integer', default: 24 })
  activeBaseMonths: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'establishments' })
@Index('ix_establishments_organisation', ['organisationId'])
@Check('ck_establishments_finess', `finess ~ '^[0-9A-B]{9}$'`)
// CASF L.312-1 I: a closed list (establishment-category.ts); it drives the document type (D.311) and the financing section.
@Check('ck_establishments_category', `category IN (${ESTABLISHMENT_CATEGORIES.map((c) => `'${c}'`).join(', ')})`)
// Public or private (ESTABLISHMENT_LEGAL_STATUSES): the recourse a refusal of access names (CRPA L.342-1; CASF L.311-5).
@Check('ck_establishments_legal_status', `legal_status IN (${ESTABLISHMENT_LEGAL_STATUSES.map((c) => `'${c}'`).join(', ')})`)
export class EstablishmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_establishments' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_establishments_organisation' })
  organisation?: Relation<OrganisationEntity>;

  @Column({ type: 'text' })
  name: string;

  /** EHPAD, FAM, MAS, IME, foyer de vie, CHRS… (ESTABLISHMENT_CATEGORIES, CASF L.312-1 I). */
  @Column({ type: 'text' })
  category: EstablishmentCategory;

  /** Numéro FINESS (9 characters: 2A/2B for Corsica). */
  @Column({ type: 'text' })
  finess: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text' })
  directorFirstName: string;

  @Column({ type: 'text' })
  directorLastName: string;

  @Column({ type: 'text', nullable: true })
  directorEmail: string | null;

  /** Current tariffs (tariff annex of the contrat de séjour, CASF L.311-4): per-day amounts, absence rule. */
  @Column({ type: 'jsonb', nullable: true })
  tariffs: { [key: string]: string | number | null } | null;

  /** Documents handed over with the contract (livret d'accueil, règlement de fonctionnement, charte…). */
  @Column({ type: 'jsonb', nullable: true })
  annexes: string[] | null;

  /** Who to reach at the establishment (accueil, secrétariat, cadre de santé…): label, phone, e-mail. */
  @Column({ type: 'jsonb', nullable: true })
  contacts: EstablishmentContact[] | null;

  /** Public or private (establishment-category.ts); null until recorded. */
  @Column({ type: 'text', nullable: true })
  legalStatus: EstablishmentLegalStatus | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'staff_users' })
@Index('uq_staff_users_email', ['email'], { unique: true })
@Index('ix_staff_users_organisation', ['organisationId'])
export class StaffUserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_users' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_staff_users_organisation' })
  organisation?: Relation<OrganisationEntity>;

  /** Stored lower-case. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  /** argon2id encoded hash. */
  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** When its owner last chose the password; null for an invited account that has not yet (its password is a random one nobody knows). */
  @Column({ type: 'timestamptz', nullable: true })
  passwordSetAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'staff_roles' })
@Index('uq_staff_roles_user_establishment_role', ['userId', 'establishmentId', 'role'], { unique: true })
@Check('ck_staff_roles_role', `role IN ('admissions', 'coordinator', 'director', 'auditor', 'administrator')`)
export class StaffRoleEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_roles' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_staff_roles_user' })
  user?: Relation<StaffUserEntity>;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_staff_roles_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  @Column({ type: 'text' })
  role: StaffRole;
}

/** Staff sessions: only an HMAC of the cookie's token is stored. */
@Entity({ name: 'staff_sessions' })
@Index('uq_staff_sessions_token_hash', ['tokenHash'], { unique: true })
@Index('ix_staff_sessions_user', ['userId'])
export class StaffSessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_sessions' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_staff_sessions_user' })
  user?: Relation<StaffUserEntity>;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

/** Login attempts, for rate limiting (per email hash and per IP). Kept 24 h. */
@Entity({ name: 'login_attempts' })
@Index('ix_login_attempts_email_time', ['emailHash', 'attemptedAt'])
@Index('ix_login_attempts_ip_time', ['ip', 'attemptedAt'])
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_login_attempts' })
  id: string;

  @Column({ type: 'text' })
  emailHash: string;

  @Column({ type: 'text' })
  ip: string;

  @Column({ type: 'boolean' })
  succeeded: boolean;

  @Column({ type: 'timestamptz' })
  attemptedAt: Date;
}

export const ACCOUNT_TOKEN_PURPOSES = ['invitation', 'reset'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * Single-use links that let a person set their password: the invitation of a new account, or a
 * reset asked for by e-mail. Like signing links, only the SHA-256 of the token is stored; the
 * token itself exists only in the e-mail (issued by the worker when it sends it).
 */
@Entity({ name: 'account_tokens' })
@Index('uq_account_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('ix_account_tokens_user', ['userId'])
@Check('ck_account_tokens_purpose', `purpose IN ('invitation', 'reset')`)
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_account_tokens' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_tokens_user' })
  user?: Relation<StaffUserEntity>;

  @Column({ type: 'text' })
  purpose: AccountTokenPurpose;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

/** Password reset requests, for rate limiting per e-mail (keyed hash) and per IP, kept 24 h. */
@Entity({ name: 'password_reset_requests' })
@Index('ix_password_reset_requests_email_time', ['emailHash', 'requestedAt'])
@Index('ix_password_reset_requests_ip_time', ['ip', 'requestedAt'])
export class PasswordResetRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_password_reset_requests' })
  id: string;

  @Column({ type: 'text' })
  emailHash: string;

  @Column({ type: 'text' })
  ip: string;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;
}

export const IDENTITY_ENTITIES = [
  AccountTokenEntity,
  PasswordResetRequestEntity,
  OrganisationEntity,
  EstablishmentEntity,
  StaffUserEntity,
  StaffRoleEntity,
  StaffSessionEntity,
  LoginAttemptEntity,
];
