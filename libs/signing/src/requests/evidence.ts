import type { Block, DocumentTree, Inline } from '@carepact/rendering';
import { formatDateLong } from '@carepact/rendering';
import { MEASURE_MODE_LABELS, MEASURE_TYPE_LABELS, calendarDayIn, formatDateFr, ofName } from '@carepact/common';
import type { MeasureReference } from '../policy/policy.types';
import { soleSignatureLaw } from '../policy/sole-signature-law';
import type { RecordedViewEntity, SignatureEventEntity, SignatureRequestEntity, SignerEntity, WitnessStatement } from './signing.entities';

/** The seal's time: the establishment server's clock (PAdES B-B), or a time-stamping authority's token (B-T). */
export type SealTime =
  | { source: 'server_clock'; statement: string }
  | {
      source: 'tsa';
      /** The TSA's host (SEAL_TSA_URL). */
      authority: string;
      /**
       * Whether the operator declared the TSA a qualified trust service (SEAL_TSA_QUALIFIED, eIDAS
       * art. 42): absent from evidence sealed before it was recorded, which said nothing of it.
       */
      qualified?: boolean;
      statement: string;
      /** « horodatage »: what the token certifies, checked when the seal was made. */
      timestamp?: { genTime: string; serialNumber: string; policy: string; tsaCertificate: string; tsaCertificateSha256: string };
    };

/**
 * What the evidence, the history and the verifications call a seal's time-stamp: « Horodatage
 * qualifié (règlement eIDAS, art. 42) » only when the operator declared its TSA a qualified trust
 * service (SEAL_TSA_QUALIFIED), whose time stamps enjoy the presumption of eIDAS art. 41(2);
 * « Horodatage » otherwise (the product cannot know it, and does not claim it).
 */
export function timestampLabel(qualified: boolean | null | undefined, initial: 'upper' | 'lower' = 'upper'): string {
  return `${initial === 'upper' ? 'H' : 'h'}orodatage${qualified ? ' qualifié (règlement eIDAS, art. 42)' : ''}`;
}

/** What the evidence says of the seal's time, before the seal is made; `qualified`: SEAL_TSA_QUALIFIED. */
export function sealTimeOf(authority: string | null, qualified = false): SealTime {
  return authority
    ? {
        source: 'tsa',
        authority,
        qualified,
        // eIDAS art. 41(2): only a qualified time stamp enjoys the presumption of the accuracy of the date
        // and time it indicates and of the integrity of the data they relate to; a time stamp not declared
        // qualified « indique » the time, it does not certify it; art. 41(1) only forbids refusing it as evidence « au seul motif » that it is
        // electronic or not qualified (the sector lawyer's review of session 20: not « reste recevable »).
        statement: `le cachet porte un jeton d’horodatage (RFC 3161) de l’autorité d’horodatage ${authority}, demandé au scellement ; l’heure qu’il ${qualified ? 'certifie' : 'indique'} est dans la signature du PDF et dans le dossier de preuve (JSON). ${
          qualified
            ? 'L’établissement déclare cette autorité prestataire de services de confiance qualifié délivrant des horodatages électroniques qualifiés (règlement eIDAS, art. 42) : la date et l’heure indiquées bénéficient de la présomption d’exactitude, et les données auxquelles elles se rapportent de la présomption d’intégrité, de l’article 41, paragraphe 2, du règlement eIDAS.'
            : 'L’établissement ne déclare pas cette autorité prestataire qualifié au sens du règlement eIDAS (art. 42) : horodatage non qualifié, sans la présomption d’exactitude de la date et de l’heure de l’article 41, paragraphe 2, du règlement eIDAS ; sa recevabilité comme preuve en justice ne peut être refusée au seul motif qu’il n’est pas qualifié (article 41, paragraphe 1).'
        }`,
      }
    : {
        source: 'server_clock',
        statement: 'aucun. Le cachet ne porte pas d’horodatage qualifié : l’heure du scellement est celle de l’horloge du serveur de l’établissement.',
      };
}

/** The evidence file (DOMAIN.md, "Electronic signature and proof"): stored as JSON and printed as the last pages. */
export interface Evidence {
  transactionId: string;
  organisationId: string;
  establishment: string;
  initiatorUserId: string | null;
  created: string;
  deadline: string;
  sealedAt: string;
  document: { id: string; type: string; versionId: string; versionNumber: number; templateId: string; templateVersion: string; templateSha256: string; inputSha256: string; signedPdfSha256: string };
  companions: { format: string; variant: string; sha256: string }[];
  signers: {
    id: string;
    key: string;
    name: string;
    capacity: string;
    legalBasis: string;
    measure: MeasureReference | null;
    contact: string | null;
    delivery: string;
    authentication: string | null;
    status: string;
    at: string | null;
    ip: string | null;
    userAgent: string | null;
    /** What the signer typed as their name; null for a countersignature from the staff console (nothing was typed). */
    typedName: string | null;
    drawnSignature: boolean;
    witness: WitnessStatement | null;
    /** How they signed; absent from evidence sealed before it existed (read it with `signedHowOf`). */
    signedHow?: SignedHow | null;
    /**
     * An optional signer of the person's side who had not signed when her death was recorded: the date
     * of death (`lapsed_at_death`), her row closed « non signé — décès de la personne le … » (C. civ.
     * 443 al. 1). Absent otherwise.
     */
    lapsedAtDeath?: string;
  }[];
  views: {
    key: string;
    person: string;
    expression: string;
    comment: string | null;
    recordedBySignerId: string | null;
    at: string;
    /** The later signers' own accounts of the view (recorded_views.accounts); absent when none, as in evidence built before them. */
    accounts?: { signerId: string; byName: string; comment: string; at: string }[];
  }[];
  events: EvidenceEvent[];
  certificate: string;
  /**
   * Where the seal's time comes from (absent from evidence sealed before it was written: the
   * server's clock). `tsa`: the seal carries an RFC 3161 signature-time-stamp token (PAdES B-T);
   * `timestamp`, what the token certifies, is added to the JSON once the seal is made (the pages
   * inside the sealed PDF are written before the token exists and name the authority only).
   */
  sealTime?: SealTime;
  /**
   * What kind of electronic signature this is, as built (eIDAS art. 3 and 25, C. civ. 1367): a simple
   * one, whose reliability this file is there to prove. Absent for a paper signature and from
   * evidence sealed before it was written.
   */
  signatureLevel?: SignatureLevel;
  /**
   * How the request was signed: `paper` when the sealed PDF is the scan of a signed paper (the
   * paper is the original; see `paper`), `electronic` otherwise. Absent from evidence sealed before
   * paper signatures existed (electronic).
   */
  signingMethod?: SigningMethod;
  /** The scan of the signed paper (issue 11 §6): absent for an electronic signature. */
  paper?: PaperEvidence;
  /**
   * The person's date of death (`residents.deceased_on`) when it was recorded before the seal: the
   * document was completed after her death (a request kept for the countersignature, C. civ. 1121; a
   * paper signed before it). Absent otherwise, and from evidence sealed before it was written.
   */
  personDeceasedOn?: string;
  /**
   * The documents handed over with the contract (CASF L.311-4) as the version recorded them when it
   * was created, each with the SHA-256 of its file (DOMAIN.md, evidence file contents). Absent for
   * a document that hands nothing over and from evidence sealed before annexes were files.
   */
  annexes?: EvidenceAnnexes;
}

export interface EvidenceAnnexes {
  /** The day the document's data say they were handed over (`annexesHandedOverOn`), null when they do not say. */
  handedOverOn: string | null;
  /**
   * The day whose files in force the version recorded (YYYY-MM-DD, Paris): `handedOverOn`, or the
   * version's creation day when the data do not say. Null for a record made before it was written
   * (it recorded the files of its creation day).
   */
  filesInForceOn: string | null;
  /** The version's creation day (Paris): the files are those published by then. */
  versionCreatedOn: string;
  files: EvidenceAnnex[];
  /**
   * The « Annexe tarifaire » the document lists among them: no uploaded file but the establishment's
   * tariffs of the version's input, with the SHA-256 of their canonical JSON and the section of the
   * signed document that prints them. Absent when the document lists none, and from evidence sealed
   * before it was written.
   */
  tariffs?: EvidenceTariffAnnex;
}

export interface EvidenceTariffAnnex {
  label: string;
  effectiveFrom: string | null;
  /** What it is made from: the version's input snapshot, `establishment.tariffs`. */
  source: 'establishment.tariffs';
  /** SHA-256 of canonicalJson(establishment.tariffs) of the version's input. */
  sha256: string;
  /** The signed document's section that prints the tariffs, null when it lists the annex without printing them. */
  reproducedIn: string | null;
}

export interface EvidenceAnnex {
  key: string;
  /** Its name in the version's template. */
  label: string;
  /** The file current when the version was created; all null when none was published (« aucun fichier déposé »). */
  fileId: string | null;
  versionLabel: string | null;
  effectiveOn: string | null;
  /**
   * When the file was published (ISO instant): a file may say it took effect before it was
   * published (the first file of an annex, dated back). Null without a file, or from a record made
   * before it was written.
   */
  publishedAt: string | null;
  sha256: string | null;
  byteSize: number | null;
}

/** The evidence's annex section from what the version recorded (document_versions.annexes), its data and its creation. */
export function evidenceAnnexesOf(
  recorded:
    | { key: string; label: string; inForceOn?: string; file: { id: string; versionLabel: string; effectiveOn: string; sha256: string; byteSize: number; publishedAt?: string } | null }[]
    | null,
  input: Record<string, unknown>,
  versionCreatedAt: Date,
  tariffs: { label: string; effectiveFrom: string | null; sha256: string; reproducedIn: string | null } | null = null,
): EvidenceAnnexes | undefined {
  if (!recorded) return undefined;
  const on = (input.document as { annexesHandedOverOn?: unknown } | undefined)?.annexesHandedOverOn;
  return {
    handedOverOn: typeof on === 'string' && on ? on : null,
    filesInForceOn: recorded.find((a) => a.inForceOn)?.inForceOn ?? null,
    versionCreatedOn: calendarDayIn(versionCreatedAt),
    files: recorded.map((a) => ({
      key: a.key,
      label: a.label,
      fileId: a.file?.id ?? null,
      versionLabel: a.file?.versionLabel ?? null,
      effectiveOn: a.file?.effectiveOn ?? null,
      publishedAt: a.file?.publishedAt ?? null,
      sha256: a.file?.sha256 ?? null,
      byteSize: a.file?.byteSize ?? null,
    })),
    ...(tariffs ? { tariffs: { label: tariffs.label, effectiveFrom: tariffs.effectiveFrom, source: 'establishment.tariffs' as const, sha256: tariffs.sha256, reproducedIn: tariffs.reproducedIn } } : {}),
  };
}

/**
 * The tariff annex in a clause: « établie à partir des tarifs de l’établissement, reproduite dans le
 * document signé (partie « Participation financière et facturation ») ; SHA-256 des tarifs … ».
 */
export function tariffAnnexFr(a: EvidenceTariffAnnex): string {
  const where = a.reproducedIn
    ? `établie à partir des tarifs de l’établissement (ce n’est pas un fichier déposé), reproduite dans le document signé (partie « ${a.reproducedIn} »)`
    : 'établie à partir des tarifs de l’établissement (ce n’est pas un fichier déposé) ; le document signé la cite sans reproduire ces tarifs (aucune participation financière demandée)';
  return `${where} ; empreinte SHA-256 des tarifs enregistrés avec la version (JSON canonique) : ${a.sha256}`;
}

/**
 * One annex's file: « version « Édition 2026 », en vigueur depuis le 1er janvier 2026, publiée le
 * 2 décembre 2026, 1234 octets, SHA-256 … », or « aucun fichier déposé ». The publication day (Paris)
 * stands beside the effective day: a reader sees a file dated back.
 */
export function annexFileFr(a: EvidenceAnnex): string {
  if (!a.sha256) return 'aucun fichier déposé';
  const published = a.publishedAt ? `, publiée le ${formatDateFr(new Date(a.publishedAt))}` : '';
  return `version « ${a.versionLabel ?? '—'} », en vigueur depuis le ${a.effectiveOn ? formatDateLong(a.effectiveOn) : '—'}${published}${a.byteSize !== null ? `, ${a.byteSize} octets` : ''}, SHA-256 ${a.sha256}`;
}

/** One annex in a sentence: its label, then its file. */
export function annexFr(a: EvidenceAnnex): string {
  return `${a.label} : ${annexFileFr(a)}`;
}

/**
 * When the annexes were handed over, as the document's data say (CASF L.311-4), and which day's
 * files the version recorded: the evidence page's paragraph under its heading.
 */
function annexesWhenFr(x: EvidenceAnnexes): string {
  const when = x.handedOverOn ? `Remis le ${formatDateLong(x.handedOverOn)} (date indiquée dans le document ; CASF L.311-4)` : 'Date de remise non indiquée dans le document (CASF L.311-4)';
  const created = formatDateLong(x.versionCreatedOn);
  const which = !x.filesInForceOn
    ? 'Fichiers en vigueur à la création de la version signée'
    : x.handedOverOn === x.filesInForceOn
      ? x.filesInForceOn > x.versionCreatedOn
        ? `Fichiers en vigueur à cette date, tels que publiés à la création de la version signée, le ${created}`
        : 'Fichiers en vigueur à cette date'
      : `Fichiers en vigueur le ${formatDateLong(x.filesInForceOn)}, jour de la création de la version signée`;
  return `${when}. ${which}, avec leur date de publication et leur empreinte SHA-256 :`;
}

/** The same as one line of the paper evidence page, which has no headings. */
function annexesIntroFr(x: EvidenceAnnexes): string {
  const when = annexesWhenFr(x);
  return `Documents remis avec le contrat : ${when.charAt(0).toLowerCase()}${when.slice(1)}`;
}

/** One step of the request, as the evidence keeps it. */
export interface EvidenceEvent {
  at: string;
  kind: string;
  signerId: string | null;
  ip: string | null;
  userAgent: string | null;
  /**
   * What the step recorded that proves something (EVENT_DETAILS: the consent sentence ticked, the
   * version read and its SHA-256, the staff member who acted…); never a token, a code or free text.
   * Absent when there is nothing to say, and from evidence sealed before details were kept.
   */
  details?: EvidenceEventDetails;
}
export type EvidenceEventDetails = Record<string, string | number | boolean | null | string[]>;

/** The signature level stated in the evidence: only « simple » is built (no qualified certificate, no signer-held key). */
export interface SignatureLevel {
  level: 'simple';
  /** How each signer was identified (AUTH_FR keys), in the signers' order, each once. */
  means: string[];
  /** The French statement printed in the evidence pages. */
  statement: string;
}

export type SigningMethod = 'electronic' | 'paper';
export const SIGNING_METHOD_FR: Record<SigningMethod, string> = { electronic: 'signature électronique', paper: 'signé sur papier' };

export interface PaperEvidence {
  /** SHA-256 of the scan exactly as uploaded (kept, downloadable by staff). */
  originalSha256: string;
  byteSize: number;
  pageCount: number;
  /** The version the paper signs. */
  versionId: string;
  uploadedAt: string;
  uploadedBy: { userId: string; name: string; account: string };
  /** The signers whose handwritten signature is on the paper, as staff declared them. */
  signerIds: string[];
  /**
   * The day the paper was signed, as staff declared it (YYYY-MM-DD): asked once the person is recorded
   * as deceased (it counts only signed on or before the day of death). Absent otherwise.
   */
  signedOn?: string;
}

/**
 * How a party actually signed: a person types their name (in the portal, alone or in person with a
 * witness); the director countersigns from their own authenticated console session and types nothing.
 */
export type SignedHow =
  | { method: 'typed_name'; typedName: string; witnessed: boolean }
  | { method: 'staff_session'; account: string | null; userId: string | null; staffName: string | null }
  | { method: 'paper'; uploadedBy: string; uploadedAt: string; originalSha256: string };

type EvidenceSigner = Evidence['signers'][number];

/**
 * The signer's `signedHow`, also for evidence sealed before the field existed: there the director's
 * `typedName` held the staff member's name, which they never typed.
 */
export function signedHowOf(s: EvidenceSigner): SignedHow | null {
  if (s.signedHow !== undefined) return s.signedHow;
  if (s.status !== 'signed') return null;
  if (s.authentication === 'staff_session') return { method: 'staff_session', account: null, userId: null, staffName: s.typedName };
  if (s.authentication === 'paper') return null; // written with signedHow since it exists
  return s.typedName ? { method: 'typed_name', typedName: s.typedName, witnessed: s.authentication === 'in_person_witnessed' } : null;
}

/** One French line: "a écrit son nom : …" or "signature depuis sa session personnelle de la console (compte …)". */
export function signedHowText(how: SignedHow, drawnSignature = false): string {
  if (how.method === 'paper')
    return `signature manuscrite sur le document papier ; scan déposé par ${how.uploadedBy} le ${dateTime(how.uploadedAt)} (SHA-256 ${how.originalSha256})`;
  if (how.method === 'staff_session') {
    const account = how.account ? `compte ${how.account}` : how.staffName ? `compte ${ofName(how.staffName)}` : 'compte non enregistré';
    return `signature depuis sa session personnelle de la console (${account})`;
  }
  return `a écrit son nom : ${how.typedName}${how.witnessed ? ', en présence d’un témoin' : ''}${drawnSignature ? ', et a tracé sa signature' : ''}`;
}

function signedHowFromRows(s: SignerEntity, events: SignatureEventEntity[], paper: PaperEvidence | undefined): SignedHow | null {
  if (s.status !== 'signed') return null;
  if (s.authMethod === 'paper' && paper) return { method: 'paper', uploadedBy: `${paper.uploadedBy.name} (${paper.uploadedBy.account})`, uploadedAt: paper.uploadedAt, originalSha256: paper.originalSha256 };
  if (s.authMethod === 'staff_session') {
    // The account is recorded on the countersignature's event; rows written before that kept the
    // staff member's name in typed_name.
    const d = events.find((e) => e.kind === 'countersigned' && e.signerId === s.id)?.details ?? {};
    const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    return { method: 'staff_session', account: str(d.byAccount), userId: str(d.byUserId), staffName: str(d.byName) ?? s.typedName };
  }
  return s.typedName ? { method: 'typed_name', typedName: s.typedName, witnessed: s.authMethod === 'in_person_witnessed' } : null;
}

const KIND_FR: Record<string, string> = {
  created: 'Demande créée',
  email_sent: 'E-mail envoyé',
  email_failed: 'E-mail non distribué',
  link_opened: 'Lien ouvert',
  code_issued: 'Code remis par l’établissement',
  code_ok: 'Code vérifié',
  code_failed: 'Code erroné',
  code_locked: 'Code bloqué après trop d’essais',
  viewed: 'Document consulté',
  downloaded: 'Document téléchargé',
  annex_downloaded: 'Document remis avec le contrat téléchargé',
  view_recorded: 'Avis de la personne enregistré',
  view_corrected: 'Avis de la personne corrigé',
  view_account_added: 'Compte rendu de l’avis de la personne ajouté',
  signed: 'Signé',
  refused: 'Refusé',
  question: 'Question posée',
  question_answered: 'Réponse donnée',
  countersigned: 'Contresigné',
  countersign_notified: 'Direction prévenue : contresignature attendue',
  reminder: 'Relance envoyée',
  revoked: 'Lien révoqué',
  resent: 'Lien renvoyé',
  in_person_opened: 'Session en présence ouverte',
  witness_recorded: 'Déclaration du témoin',
  expired: 'Demande expirée',
  cancelled: 'Demande annulée',
  paper_uploaded: 'Scan du document signé sur papier déposé',
  signed_on_paper: 'Signé sur papier',
  seal_failed: 'Scellement échoué',
  seal_retried: 'Scellement relancé par l’établissement',
  handed_over: 'Document remis en main propre (CASF D.311 III)',
  countersign_window_closed: 'Délai de contresignature clos',
  reminder_skipped: 'Relance non envoyée : dossier en archive intermédiaire',
  email_skipped: 'E-mail non envoyé : dossier en archive intermédiaire',
  // The person died after her side had signed (C. civ. 1121: the agreement was formed; 443 al. 1 ends the representative's power, not the signatures given).
  kept_at_death: 'Décès de la personne : demande maintenue, la personne ou ceux qui signaient pour elle ayant signé avant le décès ; reste la contresignature de l’établissement (C. civ. art. 1121 et 443)',
  // An optional signature of her side not given before the death: it can no longer come (C. civ. 443 al. 1), the request goes on without it.
  lapsed_at_death: 'Décès de la personne : signature facultative non donnée, close « non signé » (C. civ. art. 443)',
  // A paper signed before the death, uploaded after the death had cancelled the request (C. civ. 1121).
  reopened_for_paper: 'Demande annulée au décès reprise pour le papier signé avant le décès (C. civ. art. 1121 et 443)',
  // A later sealed edition (a DIPC countersigned after it was established, CASF D.311 II) lists the earlier seal and its sending.
  sealed: 'Document scellé',
  completion_sent: 'Document scellé envoyé par e-mail',
};

export const AUTH_FR: Record<string, string> = {
  email_link: 'lien personnel reçu par e-mail',
  'email_link+access_code': 'lien personnel reçu par e-mail et code remis par l’établissement',
  in_person: 'en présence, sur une session ouverte par l’établissement, sans déclaration de témoin',
  in_person_witnessed: 'en présence, sur une session ouverte par l’établissement, avec témoin',
  staff_session: 'session authentifiée du personnel (console)',
  paper: 'signature manuscrite sur papier, scan déposé par l’établissement',
};

/** Who acted among staff: EvidenceLog writes it on every staff member's step (their account, their name then). */
const BY_STAFF = ['byUserId', 'byName', 'byAccount'] as const;

/**
 * The details each kind of step keeps in the evidence, beside BY_STAFF: what was shown, what was
 * agreed to, with which hashes. Anything else an event's details hold stays in the database and
 * the audit chain (a session id, a link id, the late-sending reason typed by staff); tokens and
 * codes are never in the details in the first place (SECURITY-RELIABILITY.md).
 */
const EVENT_DETAILS: Readonly<Record<string, readonly string[]>> = {
  created: ['versionId', 'versionHash', 'pdfSha256', 'legalDeadline', 'sentLate'],
  link_opened: ['purpose', 'readOnly'],
  viewed: ['variant', 'format', 'sha256'],
  downloaded: ['variant', 'format', 'sha256'],
  annex_downloaded: ['annexKey', 'annexLabel', 'annexFileId', 'format', 'sha256'],
  code_failed: ['failures', 'reason'],
  code_locked: ['failures'],
  view_recorded: ['viewKey', 'expression'],
  view_corrected: ['viewKey', 'expression', 'previousExpression'],
  view_account_added: ['viewKey', 'corrected'],
  signed: ['consent', 'versionHash', 'pdfSha256', 'authMethod', 'drawn'],
  countersigned: ['versionHash'],
  refused: ['withReason', 'optional', 'assistanceRefused'],
  question: ['questionId'],
  question_answered: ['questionId', 'followUp', 'answerSha256'],
  revoked: ['links'],
  reminder: ['day'],
  email_sent: ['kind'],
  email_failed: ['kind', 'permanent', 'final'],
  countersign_notified: ['recipients'],
  paper_uploaded: ['originalSha256', 'byteSize', 'pageCount', 'versionId', 'versionHash', 'signerIds', 'signedOn'],
  signed_on_paper: ['originalSha256', 'versionHash', 'signedOn'],
  seal_failed: ['code', 'retriesExhausted'],
  seal_retried: [],
  handed_over: ['recipientKey', 'recipientName', 'handedOn', 'how', 'edition'],
  sealed: ['edition', 'sealedSha256', 'countersignUntil'],
  countersign_window_closed: ['reason', 'edition', 'notCountersigned'],
  reminder_skipped: ['day', 'reason'],
  email_skipped: ['kind', 'reason'],
  kept_at_death: ['deceasedOn', 'keptBecause', 'sameDayAsDeath'],
  lapsed_at_death: ['deceasedOn'],
  reopened_for_paper: ['deceasedOn', 'signedOn'],
};

const isDetailValue = (v: unknown): v is EvidenceEventDetails[string] =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** The details of one step that the evidence keeps (EVENT_DETAILS), or undefined when none. */
export function evidenceDetails(kind: string, details: Record<string, unknown> | null | undefined): EvidenceEventDetails | undefined {
  if (!details) return undefined;
  const out: EvidenceEventDetails = {};
  for (const key of [...(EVENT_DETAILS[kind] ?? []), ...BY_STAFF]) {
    const v = details[key];
    if (v !== undefined && isDetailValue(v)) out[key] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The renditions a person may open, as the evidence names them. */
const VARIANT_FR: Record<string, string> = {
  standard: 'version complète',
  falc: 'version facile à lire',
  'large-print': 'version en gros caractères',
  signed: 'document signé et scellé',
  evidence: 'dossier de preuve',
  'paper-original': 'scan original du papier signé',
};
const variantFr = (v: unknown): string => (typeof v === 'string' ? (VARIANT_FR[v] ?? `version ${v}`) : 'version non enregistrée');
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** « Nadia Haddad (compte admissions@…) », or what is known of the staff member who acted. */
function staffFr(d: EvidenceEventDetails | undefined, withAccount = true): string {
  const name = str(d?.byName);
  const account = str(d?.byAccount);
  if (name && account && withAccount) return `${name} (compte ${account})`;
  if (name || account) return (name ?? account)!;
  return str(d?.byUserId) ? `le compte ${str(d?.byUserId)}` : 'un membre du personnel (non enregistré)';
}

/** The file opened: its format and SHA-256, or that the hash was not recorded. */
function fileFr(d: EvidenceEventDetails | undefined, onScreen: boolean): string {
  const sha = str(d?.sha256);
  const format = str(d?.format);
  if (onScreen) return sha ? `contenu du fichier ${(format ?? 'html').toUpperCase()} de cette version, SHA-256 ${sha}` : 'empreinte de ce qui a été affiché non enregistrée';
  return `${format ? format.toUpperCase() : 'format non enregistré'}${sha ? `, SHA-256 ${sha}` : ''}`;
}

/**
 * One step in a sentence, hashes included: what the person was shown, what they agreed to, who
 * acted for the establishment. `measureType`: the measure the signer acted under (a refused
 * assistance cites its article by measure).
 */
export function eventFr(ev: EvidenceEvent, measureType?: string | null): string {
  const d = ev.details;
  switch (ev.kind) {
    case 'link_opened':
      return d?.readOnly ? 'a ouvert le lien de signature (lecture seule)' : 'a ouvert le lien de signature';
    case 'viewed':
      return `a lu à l’écran la ${variantFr(d?.variant)} (${fileFr(d, true)})`;
    case 'downloaded':
      return `a téléchargé : ${variantFr(d?.variant)} (${fileFr(d, false)})`;
    case 'annex_downloaded':
      return `a téléchargé un document remis avec le contrat : ${str(d?.annexLabel) ?? str(d?.annexKey) ?? 'document non enregistré'} (${fileFr(d, false)})`;
    case 'code_ok':
      return 'a saisi le code d’accès remis par l’établissement (code vérifié)';
    case 'code_failed':
      return typeof d?.failures === 'number' ? `code erroné (essai n° ${d.failures})` : 'code refusé';
    case 'view_recorded':
      return `a indiqué l’avis de la personne : ${VIEW_EXPRESSION_LABELS[String(d?.expression)] ?? '—'}`;
    case 'view_corrected':
      return `a corrigé l’avis de la personne : ${VIEW_EXPRESSION_LABELS[String(d?.previousExpression)] ?? '—'}, devenu ${VIEW_EXPRESSION_LABELS[String(d?.expression)] ?? '—'}`;
    case 'view_account_added':
      return d?.corrected === true ? 'a corrigé son propre compte rendu de l’avis de la personne' : 'a ajouté son propre compte rendu de l’avis de la personne';
    case 'signed': {
      const consent = str(d?.consent);
      const what = str(d?.versionHash) || str(d?.pdfSha256) ? ` ; version signée : données SHA-256 ${str(d?.versionHash) ?? '—'}, PDF de la version complète SHA-256 ${str(d?.pdfSha256) ?? '—'}` : '';
      return `${consent ? `a coché « ${consent} » et signé` : 'a signé (phrase cochée non enregistrée)'}${what}`;
    }
    case 'countersigned':
      return `a contresigné depuis sa session personnelle de la console (${str(d?.byAccount) ? `compte ${str(d?.byAccount)}` : staffFr(d)})${str(d?.versionHash) ? ` ; version signée : données SHA-256 ${str(d?.versionHash)}` : ''}`;
    case 'refused':
      // A curateur who refuses refuses his assistance, not the act in the person's name (C. civ. 469);
      // so does a personne habilitée in assistance (C. civ. 494-1 al. 1; the judge settles it, 494-10).
      return d?.assistanceRefused === true ? `a refusé son assistance (${soleSignatureLaw(measureType).cite})` : 'a refusé de signer';
    case 'in_person_opened':
      return `session de signature en présence ouverte par ${staffFr(d)}`;
    case 'code_issued':
      return `code d’accès remis par ${staffFr(d)}`;
    case 'witness_recorded':
      return `déclaration du témoin enregistrée par ${staffFr(d)}`;
    case 'resent':
      return `nouveau lien envoyé par ${staffFr(d)}`;
    case 'question_answered':
      return `réponse de l’établissement, par ${staffFr(d)}`;
    default:
      return (KIND_FR[ev.kind] ?? ev.kind).toLowerCase();
  }
}

/**
 * Why an e-mail was not sent (`email_skipped`'s reason, signing-jobs.service.ts), for the evidence page,
 * the console and the document history: the intermediate archive, or after her recorded death the
 * signed document going to the establishment only — not to her, nor to her former representative,
 * whose mission ended (C. civ. 418, 443; CSP L.1110-4 V; C. civ. 724).
 */
export const EMAIL_SKIPPED_BY_REASON: Readonly<Record<string, string>> = {
  resident_archived: 'E-mail non envoyé : dossier en archive intermédiaire',
  resident_deceased: 'E-mail non envoyé : la personne est décédée',
  representative_after_death: 'E-mail non envoyé : après le décès, le document signé n’est plus adressé à l’ancien représentant',
};

/** `email_skipped`'s label by its reason; an unknown or missing one reads as the archive's (the first reason there was). */
export function emailSkippedLabel(reason: unknown): string {
  return (typeof reason === 'string' && EMAIL_SKIPPED_BY_REASON[reason]) || EMAIL_SKIPPED_BY_REASON.resident_archived;
}

/** The chronology table's short label: the kind of step, the version read, the staff member (no hash: the table stays narrow). */
function eventLabel(ev: EvidenceEvent): string {
  const d = ev.details;
  if (ev.kind === 'email_skipped') return emailSkippedLabel(d?.reason);
  const kind = KIND_FR[ev.kind] ?? ev.kind;
  if ((ev.kind === 'viewed' || ev.kind === 'downloaded') && d?.variant !== undefined) return `${kind} : ${variantFr(d.variant)}${ev.kind === 'viewed' ? ', à l’écran' : d.format ? `, ${String(d.format).toUpperCase()}` : ''}`;
  if (d && (str(d.byName) || str(d.byAccount))) return `${kind}, par ${staffFr(d, false)}`;
  return kind;
}

/** The steps that say what a signer was shown and what they agreed to, and the establishment's steps for them. */
const SIGNER_STEPS = new Set([
  'link_opened',
  'in_person_opened',
  'code_issued',
  'code_ok',
  'code_failed',
  'code_locked',
  'viewed',
  'downloaded',
  'annex_downloaded',
  'view_recorded',
  'view_corrected',
  'view_account_added',
  'witness_recorded',
  'signed',
  'countersigned',
  'refused',
]);

/**
 * The level of this electronic signature, as built: a personal link (and, if staff asked, a code)
 * or a session opened in person, a ticked sentence and a typed name, the director's console
 * session, then the establishment's PAdES seal. Nothing here makes it advanced or qualified (the
 * signer holds no key of their own): simple, and the evidence is there to prove its reliability.
 */
export function signatureLevelOf(signers: { authentication: string | null; status: string }[]): SignatureLevel {
  const means = [...new Set(signers.filter((s) => s.status === 'signed' && s.authentication).map((s) => s.authentication!))];
  const portal = means.some((m) => m !== 'staff_session');
  const director = means.includes('staff_session');
  const consent = [portal && 'dans le portail, chaque personne a coché la phrase de consentement affichée et écrit son nom', director && 'la direction a contresigné depuis sa session personnelle de la console'].filter(Boolean);
  const statement = [
    'Signature électronique simple, au sens du règlement eIDAS (n° 910/2014, art. 3, 10°, et art. 25) et de l’article 1367 du Code civil.',
    means.length ? `Identification : ${means.map((m) => AUTH_FR[m] ?? m).join(' ; ')}.` : '',
    consent.length ? `Consentement : ${consent.join(' ; ')}.` : '',
    'Intégrité : l’établissement a ensuite scellé ce PDF, ces pages comprises, avec son cachet électronique (signature PAdES).',
    'Ce n’est ni une signature électronique avancée ni une signature qualifiée : sa fiabilité n’est pas présumée, et ce dossier de preuve sert à l’établir.',
  ]
    .filter(Boolean)
    .join(' ');
  return { level: 'simple', means, statement };
}

const MEASURE_FR: Record<string, string> = MEASURE_TYPE_LABELS;
const MODE_FR: Record<string, string> = MEASURE_MODE_LABELS;

/** The person's view as recorded (recorded_views.expression), in French. */
export const VIEW_EXPRESSION_LABELS: Readonly<Record<string, string>> = {
  accord: 'accord',
  accord_partiel: 'accord partiel',
  desaccord: 'désaccord',
  ne_se_prononce_pas: 'ne se prononce pas',
  ne_peut_pas_s_exprimer: 'ne peut pas s’exprimer',
};

/** « 23 novembre 2026 à 14:02:05 », Europe/Paris. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' }).format(d);
  return `${formatDateLong(iso.slice(0, 10))} à ${time}`;
}

export function buildEvidence(
  r: SignatureRequestEntity,
  ctx: {
    establishment: string;
    versionNumber: number;
    templateId: string;
    templateVersion: string;
    templateSha256: string;
    documentType: string;
    companions: { format: string; variant: string; sha256: string }[];
    certificate: string;
    sealedAt: Date;
    paper?: PaperEvidence;
    annexes?: EvidenceAnnexes;
    sealTime?: SealTime;
    /** `residents.deceased_on` when recorded at the seal (Evidence.personDeceasedOn). */
    personDeceasedOn?: string | null;
  },
  signers: SignerEntity[],
  views: RecordedViewEntity[],
  events: SignatureEventEntity[],
): Evidence {
  // Her optional signers closed at her death (SignatureRequestsService.lapseAtDeath), with the date it recorded.
  const lapsed = new Map(events.filter((e) => e.kind === 'lapsed_at_death' && e.signerId).map((e) => [e.signerId!, String(e.details?.deceasedOn ?? '')]));
  return {
    transactionId: r.id,
    organisationId: r.organisationId,
    establishment: ctx.establishment,
    initiatorUserId: r.createdBy,
    created: r.createdAt.toISOString(),
    deadline: r.deadline.toISOString(),
    sealedAt: ctx.sealedAt.toISOString(),
    document: {
      id: r.documentId,
      type: ctx.documentType,
      versionId: r.versionId,
      versionNumber: ctx.versionNumber,
      templateId: ctx.templateId,
      templateVersion: ctx.templateVersion,
      templateSha256: ctx.templateSha256,
      inputSha256: r.versionHash,
      signedPdfSha256: r.pdfSha256,
    },
    companions: ctx.companions,
    signers: signers.map((s) => ({
      id: s.id,
      key: s.key,
      name: `${s.firstName} ${s.lastName}`,
      capacity: s.capacity,
      legalBasis: s.legalBasis,
      measure: s.measure,
      contact: s.email,
      delivery: s.delivery,
      authentication: s.authMethod,
      status: s.status,
      at: s.actedAt?.toISOString() ?? null,
      ip: s.ip,
      userAgent: s.userAgent,
      typedName: s.authMethod === 'staff_session' ? null : s.typedName,
      drawnSignature: Boolean(s.drawnSignature),
      witness: s.witness,
      signedHow: signedHowFromRows(s, events, ctx.paper),
      ...(s.status === 'pending' && lapsed.has(s.id) ? { lapsedAtDeath: lapsed.get(s.id)! } : {}),
    })),
    views: views.map((v) => ({
      key: v.viewKey,
      person: v.personName,
      expression: v.expression,
      comment: v.comment,
      recordedBySignerId: v.recordedBySignerId,
      at: v.recordedAt.toISOString(),
      // Only when a later signer added one: the evidence of a view without accounts is as it was.
      ...(v.accounts?.length ? { accounts: v.accounts.map((a) => ({ signerId: a.signerId, byName: a.byName, comment: a.comment, at: a.at })) } : {}),
    })),
    events: events.map((e) => {
      const details = evidenceDetails(e.kind, e.details);
      return { at: e.at.toISOString(), kind: e.kind, signerId: e.signerId, ip: e.ip, userAgent: e.userAgent, ...(details ? { details } : {}) };
    }),
    certificate: ctx.certificate,
    ...(ctx.sealTime ? { sealTime: ctx.sealTime } : {}),
    signingMethod: ctx.paper ? 'paper' : 'electronic',
    ...(ctx.paper ? { paper: ctx.paper } : { signatureLevel: signatureLevelOf(signers.map((s) => ({ authentication: s.authMethod, status: s.status }))) }),
    ...(ctx.annexes ? { annexes: ctx.annexes } : {}),
    ...(ctx.personDeceasedOn ? { personDeceasedOn: ctx.personDeceasedOn } : {}),
  };
}

/** « non signé — décès de la personne le 30 novembre 2026 » (lapsed), or « n’a pas signé (signature facultative) ». */
function notSignedFr(s: EvidenceSigner): string {
  return s.lapsedAtDeath ? `non signé — décès de la personne le ${formatDateFr(s.lapsedAtDeath)}` : 'n’a pas signé (signature facultative)';
}

/**
 * When the person died before the seal (Evidence.personDeceasedOn): « Personne décédée le … ; » then
 * what that changes — the document completed after her death, on signatures of her side given on or
 * before that day (C. civ. 1121: the agreement was formed; 443 al. 1 ends the representative's power,
 * not the signatures given), and the optional signatures that can no longer come. Null otherwise.
 */
export function deceasedFr(e: Pick<Evidence, 'personDeceasedOn' | 'signers' | 'sealedAt' | 'paper'>): string | null {
  const died = e.personDeceasedOn;
  if (!died) return null;
  const side = e.signers.filter((s) => s.key !== 'director' && s.status === 'signed');
  const before = side.length > 0 && side.every((s) => s.at && calendarDayIn(new Date(s.at)) <= died);
  const paperBefore = side.length > 0 && side.every((s) => s.authentication === 'paper');
  const parts = [`Personne décédée le ${formatDateLong(died)} ; document scellé après son décès, le ${formatDateLong(calendarDayIn(new Date(e.sealedAt)))}`];
  if (paperBefore && e.paper?.signedOn && e.paper.signedOn <= died)
    parts.push(
      `les signatures de son côté sont sur le papier signé le ${formatDateLong(e.paper.signedOn)}, au plus tard le jour du décès, date déclarée par l’établissement au dépôt du scan (C. civ. art. 1121 : l’accord était formé de son vivant)`,
    );
  else if (before) parts.push('les signatures de son côté ont été données au plus tard le jour du décès (C. civ. art. 1121 : l’accord était formé de son vivant ; art. 443 : la fin de sa mesure de protection n’efface pas les signatures données)');
  const lapsed = e.signers.filter((s) => s.lapsedAtDeath);
  if (lapsed.length)
    parts.push(
      `${lapsed.map((s) => s.name).join(', ')} : signature facultative non donnée avant le décès, close « non signé » — nul ne peut plus la donner (C. civ. art. 443) ; le document est complet sans elle`,
    );
  return `${parts.join(' ; ')}.`;
}

/** The document a sealed paper scan names on its stamp and in its PDF title: « Contrat de séjour de Marcel Dupont », « … d’Ahmed Benali ». */
export function paperDocumentName(documentLabel: string, personName: string): string {
  return `${documentLabel.charAt(0).toUpperCase()}${documentLabel.slice(1)} ${ofName(personName)}`;
}

/**
 * The evidence page printed after the scan of a signed paper: the same facts as the JSON, as lines
 * of text (the scan itself is an image; this page is real text).
 */
export function paperEvidenceLines(e: Evidence, facts: { documentLabel: string; personName: string }): string[] {
  const p = e.paper!;
  const lines = [
    `Cette page fait partie du document scellé. Le document signé est le papier dont les pages précédentes sont le scan ; l’établissement a déposé ce scan et l’a scellé. Toute modification après le scellement est détectable.`,
    `Méthode de signature : ${SIGNING_METHOD_FR.paper}.`,
    `Établissement : ${e.establishment}.`,
    `Document : ${facts.documentLabel} ${ofName(facts.personName)} (${e.document.id}).`,
    `Version signée : n° ${e.document.versionNumber} (${p.versionId}) ; empreinte SHA-256 des données de la version : ${e.document.inputSha256}.`,
    `Empreinte SHA-256 du PDF présenté pour signature : ${e.document.signedPdfSha256}.`,
    `Scan original : ${p.pageCount} page(s), ${p.byteSize} octets, empreinte SHA-256 ${p.originalSha256} (conservé tel qu’il a été déposé).`,
    `Déposé par ${p.uploadedBy.name} (compte ${p.uploadedBy.account}) le ${dateTime(p.uploadedAt)}.`,
    ...(p.signedOn ? [`Date de signature du papier déclarée par l’établissement : ${formatDateLong(p.signedOn)}.`] : []),
    ...(deceasedFr(e) ? [deceasedFr(e)!] : []),
  ];
  if (e.annexes) {
    lines.push(annexesIntroFr(e.annexes), ...e.annexes.files.map((a) => `${annexFr(a)}.`));
    if (e.annexes.tariffs) lines.push(`${e.annexes.tariffs.label} : ${tariffAnnexFr(e.annexes.tariffs)}.`);
    const late = publishedAfterHandoverFr(e.annexes);
    if (late) lines.push(late);
  }
  for (const s of e.signers) {
    const how = signedHowOf(s);
    const status = s.status === 'signed' ? (s.authentication === 'paper' ? 'a signé sur le papier' : `a signé : ${how ? signedHowText(how, s.drawnSignature) : (AUTH_FR[s.authentication ?? ''] ?? '')}`) : notSignedFr(s);
    lines.push(`Signataire : ${s.name}, ${s.capacity} (${s.legalBasis}) — ${status}${s.at ? `, enregistré le ${dateTime(s.at)}` : ''}.`);
  }
  lines.push(`Scellé le ${dateTime(e.sealedAt)} avec le certificat de l’établissement : ${e.certificate}.`);
  if (e.sealTime) lines.push(`${timestampLabel(e.sealTime.source === 'tsa' && e.sealTime.qualified)} : ${e.sealTime.statement}`);
  lines.push(`Transaction : ${e.transactionId}.`);
  return lines;
}

const t = (text: string): Inline => [{ text }];
const b = (label: string, value: string): Inline => [{ text: `${label} : `, strong: true }, { text: value }];

/** « Documents remis avec le contrat »: each annex with its version, effective day, publication day and SHA-256, or « aucun fichier déposé ». */
function annexBlocks(x: EvidenceAnnexes | undefined): Block[] {
  if (!x) return [];
  return [
    { kind: 'heading', level: 3, text: t('Documents remis avec le contrat') },
    { kind: 'paragraph', text: t(annexesWhenFr(x)) },
    x.files.length || x.tariffs
      ? { kind: 'list', ordered: false, items: [...x.files.map((a) => b(a.label, annexFileFr(a))), ...(x.tariffs ? [b(x.tariffs.label, tariffAnnexFr(x.tariffs))] : [])] }
      : { kind: 'paragraph', text: t('Aucun document n’est indiqué pour cet établissement.') },
    ...(publishedAfterHandoverFr(x) ? [{ kind: 'paragraph', text: t(publishedAfterHandoverFr(x)!) } as Block] : []),
  ];
}

/**
 * A file published in the software after the day the document says it was handed over (a first
 * file dated back: an establishment that adopts the software uploads the editions it had already
 * handed over). « Remis le 2 novembre » beside « publiée le 3 décembre » read as a contradiction (a
 * newcomer's finding): the evidence says it in words — the establishment states this is the edition
 * handed over; the software, which received it later, cannot attest it. Null when every file was
 * published by the handover day (Paris), or the day is not given.
 */
export function publishedAfterHandoverFr(x: EvidenceAnnexes): string | null {
  const on = x.handedOverOn;
  if (!on) return null;
  const late = x.files.filter((a) => a.sha256 && a.publishedAt && calendarDayIn(new Date(a.publishedAt)) > on);
  if (!late.length) return null;
  const names = late.map((a) => `${a.label} (le ${formatDateFr(new Date(a.publishedAt!))})`).join(', ');
  return late.length > 1
    ? `Publiés dans le logiciel après la remise : ${names}. L’établissement indique que ce sont les éditions remises le ${formatDateLong(on)} ; le logiciel, qui les a reçues ensuite, ne peut pas l’attester.`
    : `Publié dans le logiciel après la remise : ${names}. L’établissement indique que c’est l’édition remise le ${formatDateLong(on)} ; le logiciel, qui l’a reçue ensuite, ne peut pas l’attester.`;
}

/** deceasedFr as a paragraph of the evidence page, « Personne décédée le … » in bold; none when she was alive at the seal. */
function deceasedBlocks(e: Evidence): Block[] {
  const text = deceasedFr(e);
  if (!text) return [];
  const cut = text.indexOf(' ; ');
  return [{ kind: 'paragraph', text: [{ text: text.slice(0, cut), strong: true }, { text: text.slice(cut) }] }];
}

/** The evidence page(s) appended to the sealed PDF: who signed, in which capacity, how, and when. */
export function evidenceBlocks(e: Evidence): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: t('Dossier de preuve de la signature') },
    {
      kind: 'paragraph',
      text: t(
        'Cette page fait partie du document scellé. Elle indique qui a signé, en quelle qualité, comment la personne a été identifiée, et quand. Toute modification du document après le scellement est détectable.',
      ),
    },
    {
      kind: 'list',
      ordered: false,
      items: [
        b('Transaction', e.transactionId),
        b('Document', `${e.document.id}, version ${e.document.versionNumber} (${e.document.versionId})`),
        b('Modèle', `${e.document.templateId} ${e.document.templateVersion}, empreinte SHA-256 ${e.document.templateSha256}`),
        b('Empreinte SHA-256 des données de la version', e.document.inputSha256),
        b('Document signé', `la version complète ; empreinte SHA-256 de son PDF : ${e.document.signedPdfSha256}`),
        b('Demande créée le', dateTime(e.created)),
        b('Échéance', dateTime(e.deadline)),
        b('Scellé le', dateTime(e.sealedAt)),
        b('Certificat de l’établissement', e.certificate),
        ...(e.sealTime ? [b(timestampLabel(e.sealTime.source === 'tsa' && e.sealTime.qualified), e.sealTime.statement)] : []),
      ],
    },
    // The person died before the seal: said first, in words, before who signed how.
    ...deceasedBlocks(e),
    {
      kind: 'paragraph',
      text: t(
        'Chaque personne signe la version complète. Les versions facile à lire et en gros caractères l’accompagnent pour aider à la lire ; elles ne sont pas signées. Ce que chaque personne a ouvert (quelle version, sous quelle forme, avec l’empreinte du fichier) est indiqué plus bas, consultation par consultation. Le présent PDF reprend la version complète, avec les cadres de signature remplis et ces pages.',
      ),
    },
    ...(e.signatureLevel ? [{ kind: 'heading', level: 3, text: t('Type de signature') } as Block, { kind: 'paragraph', text: t(e.signatureLevel.statement) } as Block] : []),
    ...annexBlocks(e.annexes),
    { kind: 'heading', level: 3, text: t('Signataires') },
    {
      kind: 'table',
      caption: 'Signataires, qualité, mesure de protection et mode d’identification',
      header: ['Signataire', 'Qualité', 'Mesure de protection', 'Identification', 'Date', 'Adresse IP et navigateur'],
      rowHeaders: true,
      rows: e.signers.map((s) => [
        t(s.name),
        t(`${s.capacity} (${s.legalBasis})`),
        t(
          s.measure
            ? `${MEASURE_FR[String(s.measure.type)] ?? String(s.measure.type)} (${MODE_FR[String(s.measure.mode)] ?? String(s.measure.mode)}), jugement ${String(s.measure.judgmentReference)} du ${formatDateLong(String(s.measure.judgmentDate))}, ${String(s.measure.court)}${s.measure.authorisationReference ? `, autorisation du juge ${String(s.measure.authorisationReference)}` : ''}`
            : 'aucune',
        ),
        t(s.authentication ? (AUTH_FR[s.authentication] ?? s.authentication) : s.status === 'pending' ? notSignedFr(s) : s.status),
        t(s.at ? dateTime(s.at) : '—'),
        t(s.ip ? `${s.ip} — ${s.userAgent ?? ''}` : '—'),
      ]),
    },
  ];
  const how = e.signers.map((s) => [s, signedHowOf(s)] as const).filter(([, h]) => h !== null);
  if (how.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Comment chaque personne a signé') });
    blocks.push({
      kind: 'list',
      ordered: false,
      items: how.map(([s, h]) => [{ text: `${s.name} : `, strong: true }, { text: signedHowText(h!, s.drawnSignature) }]),
    });
  }
  const witnesses = e.signers.filter((s) => s.witness);
  if (witnesses.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Signatures en présence : déclaration du témoin') });
    for (const s of witnesses) {
      const w = s.witness!;
      blocks.push({
        kind: 'paragraph',
        text: [
          { text: `${s.name} : `, strong: true },
          { text: `document expliqué ainsi : ${w.explainedHow ?? '—'}. Personnes présentes : ${(w.present ?? []).join(', ') || '—'}. Déclaration faite par ${w.recordedBy ?? '—'}.` },
        ],
      });
    }
  }
  const shown = e.signers.map((s) => [s, e.events.filter((ev) => ev.signerId === s.id && SIGNER_STEPS.has(ev.kind))] as const).filter(([, evs]) => evs.length);
  if (shown.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Ce que chaque personne a vu et accepté') });
    for (const [s, evs] of shown) {
      // A heading: kept with its first line on the page, and found in the PDF's outline.
      blocks.push({ kind: 'heading', level: 4, text: t(`${s.name} (${s.capacity})`) });
      blocks.push({ kind: 'list', ordered: false, items: evs.map((ev) => t(`${dateTime(ev.at)} : ${eventFr(ev, s.measure?.type)}.`)) });
    }
  }
  if (e.views.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Avis de la personne') });
    blocks.push({
      kind: 'list',
      ordered: false,
      items: e.views.flatMap((v) => [
        [{ text: `${v.person} : `, strong: true }, { text: `${VIEW_EXPRESSION_LABELS[v.expression] ?? v.expression}${v.comment ? ` — « ${v.comment} »` : ''} (${dateTime(v.at)})` }],
        // Each later signer's own account, as hers (C. civ. 371-1 al. 4).
        ...(v.accounts ?? []).map((a) => [{ text: `${v.person}, compte rendu de ${a.byName} : `, strong: true }, { text: `« ${a.comment} » (${dateTime(a.at)})` }]),
      ]),
    });
  }
  blocks.push({ kind: 'heading', level: 3, text: t('Chronologie') });
  blocks.push({
    kind: 'table',
    caption: 'Événements de la demande de signature, dans l’ordre',
    header: ['Date et heure', 'Événement', 'Personne', 'Adresse IP'],
    rowHeaders: false,
    rows: e.events.map((ev) => [t(dateTime(ev.at)), t(eventLabel(ev)), t(e.signers.find((s) => s.id === ev.signerId)?.name ?? (ev.signerId ? '—' : 'établissement')), t(ev.ip ?? '—')]),
  });
  blocks.push({ kind: 'heading', level: 3, text: t('Autres formats remis') });
  blocks.push({
    kind: 'list',
    ordered: false,
    // The complete version's PDF is the document signed (said above with its SHA-256), not another format.
    items: e.companions.filter((c) => !(c.format === 'pdf' && c.variant === 'standard')).map((c) => t(`${companionLabel(c.format, c.variant)} : SHA-256 ${c.sha256}`)),
  });
  return blocks;
}

/** The words of the document page and its history for a rendition (libs/archive renditionLabel): « Word (DOCX), facile à lire ». */
const COMPANION_FORMATS: Record<string, string> = { pdf: 'PDF', docx: 'Word (DOCX)', html: 'page web (HTML)' };
const COMPANION_VARIANTS: Record<string, string> = { standard: 'version complète', falc: 'facile à lire', 'large-print': 'gros caractères' };
function companionLabel(format: string, variant: string): string {
  const f = COMPANION_FORMATS[format] ?? format.toUpperCase();
  return `${f.charAt(0).toUpperCase()}${f.slice(1)}, ${COMPANION_VARIANTS[variant] ?? variant}`;
}

/** The signed document: the version's tree with filled signature blocks, then the evidence pages. */
export function sealedTree(tree: DocumentTree, signers: SignerEntity[], evidence: Evidence): DocumentTree {
  const blocks = tree.blocks.map((block) => {
    if (block.kind !== 'signatures') return block;
    return {
      ...block,
      slots: block.slots.map((slot) => {
        const s = signers.find((x) => `${x.firstName} ${x.lastName}` === slot.name && x.status === 'signed') ?? signers.find((x) => x.capacity === slot.capacity && x.status === 'signed');
        if (!s) return slot;
        const es = evidence.signers.find((x) => x.id === s.id);
        const how = es ? signedHowOf(es) : null;
        const method =
          how?.method === 'staff_session'
            ? `signature électronique, ${signedHowText(how)}`
            : `signature électronique, ${AUTH_FR[s.authMethod ?? ''] ?? s.authMethod ?? ''}${how ? ` ; ${signedHowText(how, es!.drawnSignature)}` : ''}`;
        return { ...slot, signedOn: dateTime(s.actedAt!.toISOString()), method };
      }),
    };
  });
  return { ...tree, blocks: [...blocks, ...evidenceBlocks(evidence)] };
}
