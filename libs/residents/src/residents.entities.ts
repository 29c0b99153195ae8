import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn , Relation } from 'typeorm';
import { HOLDER_ROLE_LABELS, MEASURE_MODE_LABELS, MEASURE_TYPE_LABELS, type Civility } from '@carepact/common';
import { EstablishmentEntity, OrganisationEntity } from '@carepact/identity';
import type { SoleAuthorityGround } from './sole-authority';
import type { DelegationExtent, MinorRole } from './minor-representation';

export const STAY_TYPES = ['permanent', 'temporary', 'day_care', 'at_home'] as const;
export type StayType = (typeof STAY_TYPES)[number];

/** Protection measures of the table in DOMAIN.md (C. civ. 433 s., 440 s., 477 s., 494-1 s.). */
export const MEASURE_TYPES = [
  'sauvegarde_justice',
  'curatelle',
  'curatelle_renforcee',
  'tutelle',
  'habilitation_familiale',
  'mandat_protection_future',
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];
export const MEASURE_MODES = ['assistance', 'representation'] as const;
export type MeasureMode = (typeof MEASURE_MODES)[number];
export const MEASURE_SCOPES = ['personne', 'biens'] as const;
export type MeasureScope = (typeof MEASURE_SCOPES)[number];
export const HOLDER_ROLES = ['mandataire_special', 'curateur', 'tuteur', 'personne_habilitee', 'mandataire'] as const;
export type HolderRole = (typeof HOLDER_ROLES)[number];
// Every measure, mode and holder role has its French label in @carepact/common (fails to compile otherwise).
const _LABELLED: [Readonly<Record<MeasureType, string>>, Readonly<Record<MeasureMode, string>>, Readonly<Record<HolderRole, string>>] = [
  MEASURE_TYPE_LABELS,
  MEASURE_MODE_LABELS,
  HOLDER_ROLE_LABELS,
];
/** C. civ. 372 s. (parents), 375-7 (placement), 377 s. (délégation), 390 s. (tutelle d'un mineur): minor-representation.ts. */
export const PARENTAL_AUTHORITY = ['shared', 'sole', 'court_measure', 'tutelle', 'delegation'] as const;
export type ParentalAuthority = (typeof PARENTAL_AUTHORITY)[number];

/** A `date` column stays a `YYYY-MM-DD` string: no time zone can shift a birth date. */
@Entity({ name: 'residents' })
@Index('ix_residents_org_establishment', ['organisationId', 'establishmentId'])
// The list's order on folded names (migration 1763941000000-resident-search): an expression index TypeORM cannot describe.
@Index('ix_residents_list_order', { synchronize: false })
@Check('ck_residents_stay_type', `stay_type IN ('permanent', 'temporary', 'day_care', 'at_home')`)
@Check('ck_residents_parental_authority', `parental_authority IS NULL OR parental_authority IN ('shared', 'sole', 'court_measure', 'tutelle', 'delegation')`)
@Check(
  'ck_residents_minor_decision',
  `(minor_decision_authority IS NULL AND minor_decision_reference IS NULL AND minor_decision_date IS NULL) OR (parental_authority IN ('tutelle', 'delegation', 'court_measure') AND minor_decision_authority IS NOT NULL AND minor_decision_reference IS NOT NULL AND minor_decision_date IS NOT NULL)`,
)
@Check('ck_residents_delegation_extent', `delegation_extent IS NULL OR (parental_authority = 'delegation' AND delegation_extent IN ('total', 'partial', 'shared'))`)
@Check(
  'ck_residents_delegation_covers_stay',
  `(delegation_extent = 'partial' AND delegation_covers_stay IS NOT NULL) OR (delegation_covers_stay IS NULL AND (delegation_extent IS NULL OR delegation_extent <> 'partial'))`,
)
@Check('ck_residents_civility', `civility IS NULL OR civility IN ('madame', 'monsieur')`)
@Check('ck_residents_deceased_on', `deceased_on IS NULL OR departed_on IS NOT NULL`)
@Check('ck_residents_departure_with_death', `NOT departure_with_death OR deceased_on IS NOT NULL`)
@Check('ck_residents_ward_of_state', `NOT ward_of_state OR parental_authority = 'tutelle'`)
@Check(
  'ck_residents_act_authorisation',
  `(act_authorisation_reference IS NULL AND act_authorisation_date IS NULL) OR (parental_authority = 'court_measure' AND act_authorisation_reference IS NOT NULL AND act_authorisation_date IS NOT NULL)`,
)
@Check(
  'ck_residents_sole_authority',
  `(sole_authority_ground IS NULL AND sole_authority_proof_reference IS NULL AND sole_authority_proof_date IS NULL) OR ((parental_authority = 'sole' OR (parental_authority = 'delegation' AND delegation_extent = 'partial' AND delegation_covers_stay = false)) AND sole_authority_ground IN ('judgment', 'other_parent_deceased', 'other_parent_deprived', 'other_parent_unable', 'filiation') AND sole_authority_proof_reference IS NOT NULL AND sole_authority_proof_date IS NOT NULL)`,
)
export class ResidentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_residents' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_residents_organisation' })
  organisation?: Relation<OrganisationEntity>;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @ManyToOne(() => EstablishmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'establishment_id', foreignKeyConstraintName: 'fk_residents_establishment' })
  establishment?: Relation<EstablishmentEntity>;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'text', nullable: true })
  birthName: string | null;

  /** « Madame » / « Monsieur », optional: the titles printed agree with it (@carepact/common civility.ts; migration 1764160000000). */
  @Column({ type: 'text', nullable: true })
  civility: Civility | null;

  @Column({ type: 'date' })
  birthDate: string;

  @Column({ type: 'date' })
  admissionDate: string;

  @Column({ type: 'text' })
  stayType: StayType;

  @Column({ type: 'date', nullable: true })
  plannedEndDate: string | null;

  /** The end of the accompaniment (departure, death): retention is counted from it (libs/archive retention). */
  @Column({ type: 'date', nullable: true })
  departedOn: string | null;

  /**
   * The date of death (migration 1764250000000), only with an end of the accompaniment
   * (`departedOn`), which may be another day (migration 1764290000000): she had left before, or the
   * room was vacated after (CASF R.314-149 I: the exit date of an EHPAD is the état des lieux's).
   * Recorded by RetentionService.recordDeparture; an heir's access request may be compared with it.
   */
  @Column({ type: 'date', nullable: true })
  deceasedOn: string | null;

  /**
   * The end of the accompaniment was recorded with the death (its day, or the état des lieux given
   * with it): clearing the death clears it too; a departure recorded before the death stays
   * (RetentionService.recordDeparture, migration 1764290000000). Read and written there only, in SQL: not selected.
   */
  @Column({ type: 'boolean', default: false, select: false })
  departureWithDeath: boolean;

  @Column({ type: 'text', nullable: true })
  room: string | null;

  @Column({ type: 'boolean', default: false })
  prefersLargePrint: boolean;

  @Column({ type: 'boolean', default: false })
  prefersEasyToRead: boolean;

  @Column({ type: 'text', default: 'fr' })
  language: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** For a minor: who holds parental authority (C. civ. 372 s.). */
  @Column({ type: 'text', nullable: true })
  parentalAuthority: ParentalAuthority | null;

  /** For a minor whose parental authority one parent exercises alone (or, under a partial délégation not covering the stay, the rest of it: migration 1764210000000): why, and its proof (sole-authority.ts; migration 1763980000000). */
  @Column({ type: 'text', nullable: true })
  soleAuthorityGround: SoleAuthorityGround | null;

  @Column({ type: 'text', nullable: true })
  soleAuthorityProofReference: string | null;

  @Column({ type: 'date', nullable: true })
  soleAuthorityProofDate: string | null;

  /** For a minor under tutelle, delegation or placement: the decision (minor-representation.ts; migration 1764080000000). */
  @Column({ type: 'text', nullable: true })
  minorDecisionAuthority: string | null;

  @Column({ type: 'text', nullable: true })
  minorDecisionReference: string | null;

  @Column({ type: 'date', nullable: true })
  minorDecisionDate: string | null;

  /** C. civ. 377, 377-1: a delegation's extent — total, partial (377-1 al. 1) or shared (377-1 al. 2); migration 1764140000000. */
  @Column({ type: 'text', nullable: true })
  delegationExtent: DelegationExtent | null;

  /** C. civ. 377, 377-1 al. 1: a partial delegation covers the admission and accompaniment in the establishment (migration 1764140000000). */
  @Column({ type: 'boolean', nullable: true })
  delegationCoversStay: boolean | null;

  /** CASF L.224-1: the minor under tutelle is a pupille de l'État. */
  @Column({ type: 'boolean', default: false })
  wardOfState: boolean;

  /** C. civ. 375-7: the juge des enfants authorised the service the child is entrusted to to perform the act. */
  @Column({ type: 'text', nullable: true })
  actAuthorisationReference: string | null;

  @Column({ type: 'date', nullable: true })
  actAuthorisationDate: string | null;

  /** Personne de confiance (CASF L.311-5-1): a contact; never a signatory. */
  @Column({ type: 'uuid', nullable: true })
  personneDeConfianceId: string | null;

  @ManyToOne(() => ContactEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'personne_de_confiance_id', foreignKeyConstraintName: 'fk_residents_personne_de_confiance' })
  personneDeConfiance?: Relation<ContactEntity>;

  @Column({ type: 'date', nullable: true })
  personneDeConfianceDesignatedOn: string | null;

  /**
   * The names as a search compares them (`carepact_fold` of first, last and birth names), written
   * by the database trigger `residents_search_name` (migration 1763941000000): never by the app.
   */
  @Column({ type: 'text', default: '', select: false, insert: false, update: false })
  searchName?: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Relatives and representatives. A representative is a contact named as a measure holder. */
@Entity({ name: 'contacts' })
@Index('ix_contacts_resident', ['residentId'])
@Check('ck_contacts_minor_role', `minor_role IS NULL OR minor_role IN ('tuteur', 'delegataire', 'service_gardien')`)
@Check('ck_contacts_civility', `civility IS NULL OR civility IN ('madame', 'monsieur')`)
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_contacts' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_contacts_resident' })
  resident?: Relation<ResidentEntity>;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  /**
   * « Madame » / « Monsieur », optional: a holder's title agrees with it (« tutrice », « curatrice »;
   * @carepact/common civility.ts; migration 1764160000000). A holder is always a contact, so the
   * holder row needs none.
   */
  @Column({ type: 'text', nullable: true })
  civility: Civility | null;

  /** fille, fils, père, mère, neveu, ami… (free text, French). */
  @Column({ type: 'text', nullable: true })
  relation: string | null;

  /** Professional representatives: the mandating body (UDAF, association tutélaire…). */
  @Column({ type: 'text', nullable: true })
  organisationName: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'boolean', default: false })
  holdsParentalAuthority: boolean;

  /** For a minor: the tuteur, the délégataire or the service gardien (minor-representation.ts; C. civ. 408, 377, 375-7). */
  @Column({ type: 'text', nullable: true })
  minorRole: MinorRole | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'protection_measures' })
@Index('ix_protection_measures_resident', ['residentId'])
@Check(
  'ck_protection_measures_type',
  `type IN ('sauvegarde_justice', 'curatelle', 'curatelle_renforcee', 'tutelle', 'habilitation_familiale', 'mandat_protection_future')`,
)
@Check('ck_protection_measures_mode', `mode IN ('assistance', 'representation')`)
@Check('ck_protection_measures_scope', `scope <@ ARRAY['personne', 'biens']::text[] AND cardinality(scope) > 0`)
@Check('ck_protection_measures_dates', `end_date IS NULL OR start_date IS NULL OR end_date >= start_date`)
@Check(
  'ck_protection_measures_ad_hoc',
  `(ad_hoc_contact_id IS NULL AND ad_hoc_judgment_reference IS NULL AND ad_hoc_judgment_date IS NULL) OR (ad_hoc_contact_id IS NOT NULL AND ad_hoc_judgment_reference IS NOT NULL AND ad_hoc_judgment_date IS NOT NULL)`,
)
export class ProtectionMeasureEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_protection_measures' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_protection_measures_resident' })
  resident?: Relation<ResidentEntity>;

  @Column({ type: 'text' })
  type: MeasureType;

  @Column({ type: 'text' })
  mode: MeasureMode;

  /** Protection of the person and/or of property. */
  @Column({ type: 'text', array: true })
  scope: MeasureScope[];

  /** General measure, or limited to the acts listed in `acts`. */
  @Column({ type: 'boolean', default: true })
  general: boolean;

  @Column({ type: 'text', array: true })
  acts: string[];

  /** Sauvegarde de justice: the mission the judge gave the mandataire spécial. */
  @Column({ type: 'text', nullable: true })
  mission: string | null;

  @Column({ type: 'text' })
  court: string;

  @Column({ type: 'text' })
  judgmentReference: string;

  @Column({ type: 'date' })
  judgmentDate: string;

  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /** Mandat de protection future: date of effect (court clerk's visa, C. civ. 481). */
  @Column({ type: 'date', nullable: true })
  mandateEffectiveDate: string | null;

  /** Curatelle renforcée: the judge allows the curateur to sign the accommodation agreement alone (C. civ. 472). */
  @Column({ type: 'boolean', default: false })
  judgeAuthorisesHolderAlone: boolean;

  @Column({ type: 'text', nullable: true })
  authorisationReference: string | null;

  /** Reference of the proof held in the file (copy of the judgment, mandate…). */
  @Column({ type: 'text', nullable: true })
  proofDocumentRef: string | null;

  /**
   * The subrogé curateur or subrogé tuteur the judge appointed (C. civ. 454): a contact of the resident.
   * NO ACTION (checked at the statement's end): a contact cannot go while named here, a resident's
   * whole file still can (its measures and contacts go together).
   */
  @Column({ type: 'uuid', nullable: true })
  subrogeContactId: string | null;

  @ManyToOne(() => ContactEntity, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'subroge_contact_id', foreignKeyConstraintName: 'fk_protection_measures_subroge' })
  subroge?: Relation<ContactEntity>;

  /** A curateur or tuteur ad hoc the judge appointed for the opposed act (C. civ. 455): a contact, with the judgment. */
  @Column({ type: 'uuid', nullable: true })
  adHocContactId: string | null;

  @ManyToOne(() => ContactEntity, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'ad_hoc_contact_id', foreignKeyConstraintName: 'fk_protection_measures_ad_hoc' })
  adHoc?: Relation<ContactEntity>;

  @Column({ type: 'text', nullable: true })
  adHocJudgmentReference: string | null;

  @Column({ type: 'date', nullable: true })
  adHocJudgmentDate: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'measure_holders' })
@Index('uq_measure_holders_measure_contact', ['measureId', 'contactId'], { unique: true })
@Check('ck_measure_holders_role', `role IN ('mandataire_special', 'curateur', 'tuteur', 'personne_habilitee', 'mandataire')`)
@Check('ck_measure_holders_mission', `mission <@ ARRAY['personne', 'biens']::text[] AND cardinality(mission) > 0`)
export class MeasureHolderEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_measure_holders' })
  id: string;

  @Column({ type: 'uuid' })
  measureId: string;

  @ManyToOne(() => ProtectionMeasureEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'measure_id', foreignKeyConstraintName: 'fk_measure_holders_measure' })
  measure?: Relation<ProtectionMeasureEntity>;

  @Column({ type: 'uuid' })
  contactId: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'fk_measure_holders_contact' })
  contact?: Relation<ContactEntity>;

  @Column({ type: 'text' })
  role: HolderRole;

  /**
   * This holder is a « préposé d'établissement » (C. civ. 451 al. 2), or otherwise employed by the
   * establishment or its organisme gestionnaire: for the acts between the person and the
   * establishment (contract, avenants, DIPC) his interests are opposed to hers (C. civ. 454 al. 5,
   * 455). Per holder: a co-holder who is not employed by it still acts (C. civ. 447 al. 2-3).
   * Migration 1764100000000 (on the measure before, 1764070000000).
   */
  @Column({ type: 'boolean', default: false })
  establishmentEmployee: boolean;

  /**
   * This holder's own mission (C. civ. 447 al. 3): the judge may divide the measure between a holder
   * in charge of the person (`personne`) and one in charge of the property (`biens`), independent of
   * each other (447 al. 4). Both — the measure's whole scope — when the holders exercise it together
   * (447 al. 2) or alone. Within the measure's scope (checked by validateHolderMissions; no CHECK can
   * read the measure's row). Migration 1764120000000.
   */
  @Column({ type: 'text', array: true })
  mission: MeasureScope[];
}

export const RESIDENTS_ENTITIES = [ResidentEntity, ContactEntity, ProtectionMeasureEntity, MeasureHolderEntity];
