import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DocumentEntity, DocumentVersionEntity } from '@carepact/documents';
import type { MeasureReference, PolicyDecision, SignerRole } from '../policy/policy.types';
import type { Evidence } from './evidence';

export const REQUEST_STATUSES = ['active', 'completed', 'refused', 'cancelled', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const SIGNER_STATUSES = ['pending', 'signed', 'refused'] as const;
export type SignerStatus = (typeof SIGNER_STATUSES)[number];
export const EXPRESSIONS = ['accord', 'accord_partiel', 'desaccord', 'ne_se_prononce_pas', 'ne_peut_pas_s_exprimer'] as const;
export type Expression = (typeof EXPRESSIONS)[number];
export type RequestMode = 'parallel' | 'sequential';
export type SignerDelivery = 'email' | 'in_person' | 'staff';
/** How the signer was authenticated when they signed (it goes into the evidence). */
/** How a signer was authenticated; `in_person` is a signature on a staff-opened session with no witness statement recorded before it. */
export type AuthMethod = 'email_link' | 'email_link+access_code' | 'in_person' | 'in_person_witnessed' | 'staff_session' | 'paper';
export type EmailStatus = 'sent' | 'retrying' | 'failed';
export type LinkPurpose = 'sign' | 'download';

/** In-person signing: how the document was explained and who was present (recorded by staff). */
export interface WitnessStatement {
  explainedHow: string;
  present: string[];
  recordedBy: string;
  recordedByUserId: string;
  recordedAt: string;
}

/** Every kind of signature event (the evidence's chronology; `signature.<kind>` in the audit chain). */
export const SIGNATURE_EVENT_KINDS = [
  'created',
  'cancelled',
  'expired',
  'sealed',
  'link_opened',
  'revoked',
  'resent',
  'in_person_opened',
  'witness_recorded',
  'email_sent',
  'email_failed',
  'reminder',
  'completion_sent',
  'code_issued',
  'code_ok',
  'code_failed',
  'code_locked',
  'viewed',
  'downloaded',
  /** A document handed over with the contract (livret d'accueil, règlement…) downloaded from the portal. */
  'annex_downloaded',
  'view_recorded',
  'view_corrected',
  /** A later signer added her own account of the person's view (recorded_views.accounts). */
  'view_account_added',
  'signed',
  'countersigned',
  /** The director(s) were e-mailed that the countersignature is all that remains. */
  'countersign_notified',
  'refused',
  'refusal_acknowledged',
  'question',
  'question_answered',
  'paper_uploaded',
  'signed_on_paper',
  /** The seal job failed for good (its error code in the details): staff are told and may retry it. */
  'seal_failed',
  /** Staff started the failed seal again (« Relancer le scellement »). */
  'seal_retried',
  /** Staff recorded that the established document was handed over in person (CASF D.311 III): to whom, when, how. */
  'handed_over',
  /** The countersignature window of an established document closed (everyone answered, or its deadline passed). */
  'countersign_window_closed',
  /** A scheduled reminder not sent (details.reason: `resident_archived`, the person is in the intermediate archive). */
  'reminder_skipped',
  /** A queued e-mail about the request not sent (details.kind: which one; details.reason: `resident_archived`). */
  'email_skipped',
  /** The person died with every signer on her side signed: kept open for the establishment's countersignature (C. civ. 1121, 443 al. 1). */
  'kept_at_death',
  /**
   * An optional signer of the person's side who had not signed when her death was recorded: her signature
   * can no longer come (C. civ. 443 al. 1), her links are revoked, the request goes on without it — « non
   * signé — décès de la personne le … » (details.deceasedOn, details.reason).
   */
  'lapsed_at_death',
  /**
   * A request cancelled with the person's death reopened by staff for the paper signed on or before
   * that day (details.deceasedOn, details.signedOn): the agreement was formed while she lived (C. civ. 1121).
   */
  'reopened_for_paper',
] as const;
export type SignatureEventKind = (typeof SIGNATURE_EVENT_KINDS)[number];

/** One request for signatures on one document version (its input hash is what every signer signs). */
@Entity({ name: 'signature_requests' })
@Index('ix_signature_requests_document', ['documentId'])
@Index('ix_signature_requests_active_establishment', ['establishmentId'], { where: `status = 'active'` })
@Check('ck_signature_requests_status', `status IN ('active', 'completed', 'refused', 'cancelled', 'expired')`)
@Check('ck_signature_requests_mode', `mode IN ('parallel', 'sequential')`)
export class SignatureRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signature_requests' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  establishmentId: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_signature_requests_document' })
  document?: Relation<DocumentEntity>;

  @Column({ type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_signature_requests_version' })
  version?: Relation<DocumentVersionEntity>;

  /** The version's input hash: signatures count only on this exact content (C. civ. 467 for assistance). */
  @Column({ type: 'text' })
  versionHash: string;

  /** SHA-256 of the standard PDF rendition shown and signed. */
  @Column({ type: 'text' })
  pdfSha256: string;

  @Column({ type: 'text' })
  status: RequestStatus;

  @Column({ type: 'text' })
  mode: RequestMode;

  @Column({ type: 'timestamptz' })
  deadline: Date;

  /**
   * The legal deadline that applied when the request was sent (legal-deadlines.ts, CASF D.311):
   * fixed then, and read from here by every view, the portal and the e-mails. Null for a type
   * without one (projet personnalisé, compte rendu) or a later avenant.
   */
  @Column({ type: 'timestamptz', nullable: true })
  legalDeadline: Date | null;

  /** Sent after its legal deadline: why, as staff said it when they were warned (issue 13). */
  @Column({ type: 'text', nullable: true })
  lateReason: string | null;

  /** Days after creation when pending signers get a reminder. */
  @Column({ type: 'int', array: true })
  reminderDays: number[];

  /** The policy decision as it was when the request was created (who, why, article). */
  @Column({ type: 'jsonb' })
  policy: PolicyDecision;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

@Entity({ name: 'signature_signers' })
@Index('uq_signature_signers_request_key', ['requestId', 'key'], { unique: true })
@Check('ck_signature_signers_status', `status IN ('pending', 'signed', 'refused')`)
@Check('ck_signature_signers_delivery', `delivery IN ('email', 'in_person', 'staff')`)
export class SignerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signature_signers' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_signature_signers_request' })
  request?: Relation<SignatureRequestEntity>;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  role: SignerRole;

  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text' })
  capacity: string;

  @Column({ type: 'jsonb', nullable: true })
  measure: MeasureReference | null;

  @Column({ type: 'text' })
  legalBasis: string;

  @Column({ type: 'int' })
  orderNo: number;

  @Column({ type: 'boolean' })
  optional: boolean;

  /** email link, in person on a staff-opened session, or the director from the staff console. */
  @Column({ type: 'text' })
  delivery: SignerDelivery;

  @Column({ type: 'text' })
  status: SignerStatus;

  /** Optional code given in person or by phone by staff (≤ 10 min, ≤ 5 tries): only its hash is kept. */
  @Column({ type: 'boolean', default: false })
  accessCodeRequired: boolean;

  @Column({ type: 'text', nullable: true })
  accessCodeHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  accessCodeExpiresAt: Date | null;

  @Column({ type: 'int', default: 0 })
  accessCodeFailures: number;

  @Column({ type: 'timestamptz', nullable: true })
  actedAt: Date | null;

  /** What the signer typed as full name, and their optional drawn signature (PNG data, base64). */
  @Column({ type: 'text', nullable: true })
  typedName: string | null;

  @Column({ type: 'text', nullable: true })
  drawnSignature: string | null;

  @Column({ type: 'text', nullable: true })
  refusalReason: string | null;

  /** Staff saw the refusal (refusals never disappear until then). */
  @Column({ type: 'timestamptz', nullable: true })
  refusalAcknowledgedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  authMethod: AuthMethod | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  /** In-person signing: how the document was explained and who was present. */
  @Column({ type: 'jsonb', nullable: true })
  witness: WitnessStatement | null;

  @Column({ type: 'text', nullable: true })
  lastEmailStatus: EmailStatus | null;
}

/** Single-purpose links: only the SHA-256 of the 256-bit token is stored. */
@Entity({ name: 'signing_links' })
@Index('uq_signing_links_token_hash', ['tokenHash'], { unique: true })
@Index('ix_signing_links_signer', ['signerId'])
export class SigningLinkEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signing_links' })
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @Column({ type: 'uuid' })
  signerId: string;

  @ManyToOne(() => SignerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signer_id', foreignKeyConstraintName: 'fk_signing_links_signer' })
  signer?: Relation<SignerEntity>;

  @Column({ type: 'text' })
  tokenHash: string;

  /** Bound to the version hash: a link for another content is worthless. */
  @Column({ type: 'text' })
  versionHash: string;

  @Column({ type: 'text' })
  purpose: LinkPurpose;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}

/** Short portal sessions (`__Host-` cookie), opened by a link or by staff for in-person signing. */
@Entity({ name: 'portal_sessions' })
@Index('uq_portal_sessions_token_hash', ['tokenHash'], { unique: true })
export class PortalSessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_portal_sessions' })
  id: string;

  @Column({ type: 'uuid' })
  signerId: string;

  @ManyToOne(() => SignerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signer_id', foreignKeyConstraintName: 'fk_portal_sessions_signer' })
  signer?: Relation<SignerEntity>;

  @Column({ type: 'uuid', nullable: true })
  linkId: string | null;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'text' })
  csrfToken: string;

  /** Staff member who opened an in-person session. */
  @Column({ type: 'uuid', nullable: true })
  openedBy: string | null;

  @Column({ type: 'boolean', default: false })
  codeVerified: boolean;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}

/** Chronological evidence: what happened, when, from where (IP and user agent). */
@Entity({ name: 'signature_events' })
@Index('ix_signature_events_request', ['requestId', 'at'])
export class SignatureEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signature_events' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_signature_events_request' })
  request?: Relation<SignatureRequestEntity>;

  @Column({ type: 'uuid', nullable: true })
  signerId: string | null;

  @Column({ type: 'text' })
  kind: SignatureEventKind;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;
}

/** The person's own view, recorded by a representative, a parent or staff — never blocking. */
@Entity({ name: 'recorded_views' })
@Index('uq_recorded_views_request_key', ['requestId', 'viewKey'], { unique: true })
@Check('ck_recorded_views_expression', `expression IN ('accord', 'accord_partiel', 'desaccord', 'ne_se_prononce_pas', 'ne_peut_pas_s_exprimer')`)
@Check('ck_recorded_views_accounts', `jsonb_typeof(accounts) = 'array'`)
export class RecordedViewEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_recorded_views' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_recorded_views_request' })
  request?: Relation<SignatureRequestEntity>;

  @Column({ type: 'text' })
  viewKey: string;

  @Column({ type: 'text' })
  personName: string;

  @Column({ type: 'text' })
  expression: Expression;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBySignerId: string | null;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  /**
   * What each later signer who may record this view heard from the person, in her own words, beside
   * the view recorded first (C. civ. 371-1 al. 4, CASF L.311-4): one per signer, never overwriting it.
   */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  accounts: ViewAccount[];
}

/** A later signer's own account of the person's view (RecordedViewEntity.accounts). */
export interface ViewAccount {
  signerId: string;
  /** The signer's name when she gave it. */
  byName: string;
  comment: string;
  /** ISO 8601. */
  at: string;
}

/** Questions from signers: listed for staff until answered. */
@Entity({ name: 'signer_questions' })
@Index('ix_signer_questions_request', ['requestId'])
export class SignerQuestionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signer_questions' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_signer_questions_request' })
  request?: Relation<SignatureRequestEntity>;

  @Column({ type: 'uuid' })
  signerId: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'timestamptz' })
  askedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  answeredBy: string | null;

  @Column({ type: 'text', nullable: true })
  answer: string | null;
}

/**
 * A seal of a request: the signed PDF and its evidence. One per edition (unique): a DIPC is sealed
 * when the director establishes it and again when the person countersigns (CASF D.311 II; see
 * SigningJobsService.seal); the request's sealed document is its latest edition.
 */
@Entity({ name: 'sealed_documents' })
@Index('uq_sealed_documents_request_edition', ['requestId', 'edition'], { unique: true })
@Check('ck_sealed_documents_edition', `"edition" >= 1`)
export class SealedDocumentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sealed_documents' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_sealed_documents_request' })
  request?: Relation<SignatureRequestEntity>;

  @Column({ type: 'uuid' })
  versionId: string;

  @Column({ type: 'text' })
  blobSha256: string;

  @Column({ type: 'jsonb' })
  evidence: Evidence;

  @Column({ type: 'text' })
  evidenceSha256: string;

  @Column({ type: 'text' })
  certificateSubject: string;

  @Column({ type: 'timestamptz' })
  sealedAt: Date;

  /** 1: the first seal; 2, 3…: sealed again after a countersignature given in the window. */
  @Column({ type: 'integer', default: 1 })
  edition: number;
}

/**
 * The scan of a paper signature (issue 11 §6), at most one per request: the original as uploaded
 * (a blob, by its SHA-256), who uploaded it, and which of the request's signers signed on paper.
 * Immutable: the application role may insert and read, never update.
 */
@Entity({ name: 'paper_signatures' })
@Index('uq_paper_signatures_request', ['requestId'], { unique: true })
export class PaperSignatureEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_paper_signatures' })
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => SignatureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_paper_signatures_request' })
  request?: Relation<SignatureRequestEntity>;

  /** The version the paper signs (the request's). */
  @Column({ type: 'uuid' })
  versionId: string;

  /** SHA-256 of the scan exactly as uploaded: its blob's address. */
  @Column({ type: 'text' })
  originalSha256: string;

  @Column({ type: 'int' })
  byteSize: number;

  @Column({ type: 'int' })
  pageCount: number;

  /** The request's signers whose handwritten signature is on the paper, as staff declared them. */
  @Column({ type: 'uuid', array: true })
  signerIds: string[];

  @Column({ type: 'uuid' })
  uploadedBy: string;

  /** The uploader's name and account as they were at the upload (the evidence names them). */
  @Column({ type: 'text' })
  uploadedByName: string;

  @Column({ type: 'text' })
  uploadedByEmail: string;

  @Column({ type: 'timestamptz' })
  uploadedAt: Date;
}

export const SIGNING_ENTITIES = [
  SignatureRequestEntity,
  SignerEntity,
  SigningLinkEntity,
  PortalSessionEntity,
  SignatureEventEntity,
  RecordedViewEntity,
  SignerQuestionEntity,
  SealedDocumentEntity,
  PaperSignatureEntity,
];
