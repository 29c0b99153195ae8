/**
 * Contract of the signature policy (issue 4 §1): a pure, table-driven function from document type ×
 * the resident's protection measure × age to who must sign, in what capacity and order, whose view
 * is recorded without blocking, and the establishment's countersignature.
 */
import type { ResidentView } from '@carepact/residents';

export type PolicyDocumentType = 'contrat-sejour' | 'dipc' | 'avenant' | 'projet-personnalise' | 'compte-rendu-synthese';

/** Who a signer is for the document. */
export type SignerRole =
  | 'resident'
  | 'curateur'
  | 'tuteur'
  | 'parent'
  | 'habilite'
  | 'mandataire'
  | 'mandataire_special'
  /** Délégataire of parental authority by judgment (C. civ. 377, 377-1). */
  | 'delegataire'
  /** The service or establishment a minor is entrusted to by the juge des enfants, authorised by him to perform the act (C. civ. 375-7). */
  | 'service_gardien'
  | 'director';

export interface PolicyPerson {
  /** Contact id in the resident file; null for the resident themself and the director. */
  contactId: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
}

/** The protection measure a representative's capacity rests on (it goes into the evidence). */
export interface MeasureReference {
  measureId: string;
  type: string;
  mode: 'assistance' | 'representation';
  court: string;
  judgmentReference: string;
  judgmentDate: string;
  endDate: string | null;
  proofDocumentRef: string | null;
  judgeAuthorisesHolderAlone: boolean;
  /** Reference of the judge's authorisation (C. civ. 472) when the curateur signs alone: it is the proof the evidence must carry. */
  authorisationReference: string | null;
}

export interface RequiredSigner {
  /** Stable key within the request, e.g. `resident`, `curateur:<contactId>`, `parent:<contactId>`, `director`. */
  key: string;
  role: SignerRole;
  person: PolicyPerson;
  /** Wording on the document and the evidence, e.g. « en qualité de curateur, assistant M. Marcel Dupont ». */
  capacity: string;
  /** Protection measure behind the capacity, when there is one. */
  measure: MeasureReference | null;
  /** 1 = first; equal numbers sign in parallel. The countersignature always comes last. */
  order: number;
  /** A signature that may be given but is not required (DIPC countersignature by the person). */
  optional: boolean;
  /** The article the requirement comes from (C. civ. 467, CASF D.311…). */
  legalBasis: string;
}

/** A view recorded by a signer's step (the person under tutelle, a minor); the residence choice itself is in the document (ResidenceChoice). */
export interface ViewToRecord {
  key: string;
  person: PolicyPerson;
  /** Why: 'tutelle' (C. civ. 459-2: the person takes part, gives their view), 'minor' (the minor's view), … */
  reason: string;
  /** Signer keys who may record it (e.g. the tuteur, each parent); staff may record it in person. */
  recordedBy: string[];
  legalBasis: string;
}

/**
 * The judge's authorisation for the person to do one act alone, her curateur having refused to
 * assist her (C. civ. 469 al. 3; for an habilitation familiale in assistance, C. civ. 494-1 al. 1
 * and 494-10): the ordonnance recorded on the document (libs/signing sole-signature), for the
 * version whose assistance was refused.
 */
export interface SoleSignatureAuthorisation {
  /** The court or judge who gave it, as the ordonnance names it. */
  court: string;
  /** Date of the ordonnance (ISO `YYYY-MM-DD`). */
  date: string;
  /** Its reference (n° RG, minute…): the proof the evidence carries, withheld from readers of metadata only. */
  reference: string;
  /** The recorded authorisation (sole_signature_authorisations.id). */
  authorisationId?: string;
  /** The version it authorises (the one whose assistance was refused): the only one the person signs alone on it. */
  versionId?: string;
}

export interface PolicyDecision {
  documentType: PolicyDocumentType;
  /** Every signer, countersignature included (role 'director'). */
  signers: RequiredSigner[];
  views: ViewToRecord[];
  /** Assistance → person + assistant on the same version hash (C. civ. 467). */
  sameVersionRequired: true;
  /** Short French explanation shown to staff: who signs and why. */
  explanation: string;
  /** The judge's authorisation the decision relies on to have the person sign alone (C. civ. 469 al. 3; 494-10), when it does. */
  soleSignatureAuthorisation?: SoleSignatureAuthorisation;
  /**
   * A minor's parent signs alone and the other parent, who does not exercise parental authority, is
   * to be informed of the document (C. civ. 373-2-1 al. 5; @carepact/residents otherParentReminder):
   * the reminder the document page shows beside « Qui signera et pourquoi ». Absent otherwise.
   */
  otherParentReminder?: string;
}

/**
 * The person's own choice of where she lives (C. civ. 459-2; CASF L.311-4 reserves it), as the
 * document records it: under representation of the person, the contract, its avenants and the
 * DIPC record her agreement to live in the establishment; a disagreement goes to the judge (or the
 * family council), whose decision the document cites.
 */
export interface ResidenceChoice {
  agrees: boolean;
  judgeDecision?: { authority: string; reference: string; date: string } | null;
}

export interface PolicyInput {
  documentType: PolicyDocumentType;
  resident: ResidentView;
  /** `name` feeds the director's capacity « pour la direction de l’établissement … » (as the templates word it). */
  establishment: { name?: string; directorFirstName: string; directorLastName: string; directorEmail: string | null };
  /** Date of the request (ISO `YYYY-MM-DD`): measures are checked on it. */
  on: string;
  /**
   * For an avenant: the document it amends (its data `document.appliesTo`). An avenant to a DIPC is
   * drawn up in the same conditions as the DIPC (CASF D.311 VII): the person's side is an optional
   * countersignature (D.311 II). Ignored for the other types; absent means the contract.
   */
  appliesTo?: 'contrat-sejour' | 'dipc' | null;
  /**
   * For an avenant: its purpose (its data `document.purpose`, avenant 1.3.0 on). The annex on the
   * freedom to come and go (`liberte-aller-venir`, CASF L.311-4-1 I) is a decision relating to the
   * person (C. civ. 459), not an accommodation agreement: signature-policy LIBERTY_ANNEX_RULE.
   */
  avenantPurpose?: string | null;
  /** Optional: contacts staff propose as signers; each must have standing, or the policy refuses. */
  proposedContactIds?: string[];
  /** The residence choice the document records (its data `document.residenceChoice`), when it records one. */
  residence?: ResidenceChoice | null;
  /** The outcome of the admission consent interview the document records (`document.consentInterview.outcome`, CASF L.311-4), when it records one. */
  admissionConsent?: 'consent' | 'refusal' | 'unable' | null;
  /**
   * The judge's authorisation recorded on the document for the person to sign it alone, after her
   * curateur refused to assist her (C. civ. 469 al. 3; 494-1 al. 1 and 494-10 for an habilitation
   * familiale): under a measure of assistance she then signs without him. Ignored under
   * representation and for documents other than the contract, its avenants and the DIPC. The caller
   * passes it only once soleSignatureSetAside found it applies to the version sent, under the
   * measure in effect (SignatureRequestsService.decide).
   */
  soleSignatureAuthorisation?: SoleSignatureAuthorisation | null;
  /**
   * An authorisation is recorded on the document but is not relied on (policy/sole-signature.ts
   * soleSignatureSetAside: another version, another measure…): why, in French. The explanation
   * says it, so staff know why the assistant is asked again.
   */
  soleSignatureSetAside?: string | null;
  /**
   * The person's date of death (`residents.deceased_on`), when recorded. Her protection measure ended
   * with her (C. civ. 443 al. 1): no one signs on her side any more. Only the compte rendu of a meeting
   * held before it is still sent (@carepact/documents assertNotDeceased), for the director alone; any
   * other type is refused (DOCUMENT_TYPE_NOT_APPLICABLE).
   */
  deceasedOn?: string | null;
}

/** Stable refusal codes (issue 4 §1). */
export type PolicyRefusalCode =
  | 'PROTECTION_MEASURE_EXPIRED'
  | 'PROTECTION_MEASURE_NOT_STARTED'
  | 'MEASURE_SCOPE_EXCLUDES_ACT'
  | 'MEASURE_HOLDER_MISSING'
  | 'PARENT_MISSING'
  | 'PARENTAL_AUTHORITY_UNKNOWN'
  /** One parent alone exercises parental authority by the file, which does not record why nor its proof (C. civ. 372 al. 2, 373, 373-1, 373-2-1). */
  | 'SOLE_AUTHORITY_PROOF_MISSING'
  /** The document records that the person refused, at the consent interview, to be admitted; no judge's decision is recorded (CASF L.311-4, C. civ. 459-2). */
  | 'ADMISSION_CONSENT_REFUSED'
  | 'SIGNER_WITHOUT_STANDING'
  | 'SIGNER_EMAIL_INVALID'
  /** Under representation of the person, she disagrees with living in the establishment and no judge's decision is recorded (C. civ. 459-2). */
  | 'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE'
  /** The document type does not apply to the situation (a contrat de séjour for a minor under a court measure: a DIPC, CASF D.311). */
  | 'DOCUMENT_TYPE_NOT_APPLICABLE'
  /** The holder is the establishment's préposé (C. civ. 451 al. 2): for an act with the establishment neither a subrogé (C. civ. 454 al. 5) nor an ad hoc holder (C. civ. 455) is recorded. */
  | 'HOLDER_CONFLICT_OF_INTEREST'
  /** A minor under tutelle, delegation or placement with an authorisation: the tuteur, délégataire or service is not on file (C. civ. 408, 377, 375-7). */
  | 'MINOR_REPRESENTATIVE_MISSING'
  /** A minor's tutelle or delegation: the decision it rests on (or the delegation's extent) is not on file (C. civ. 390, 404, 377, 377-1). */
  | 'MINOR_DECISION_MISSING';
