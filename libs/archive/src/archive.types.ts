/** What one package holds, and what `archive:verify` checks (README, "Archive packages"). */
export const ARCHIVE_FORMAT = 'carepact.archive.v1';
export const MANIFEST_FILE = 'manifest.json';
/** CMS/PKCS#7 detached signature (DER) of manifest.json by the establishment's seal certificate. */
export const MANIFEST_SIGNATURE_FILE = 'manifest.json.p7s';
export const AUDIT_EVENTS_FILE = 'audit/events.jsonl';
/**
 * The time-stamping authorities' certificates (PEM), written when a sealed PDF of the package carries
 * an RFC 3161 token (PAdES B-T): each token's TSA certificate with the chain the installation checked
 * it against at sealing (SEAL_TSA_CA). Intermediates for a later verifier, never trust anchors: the
 * roots come from the verifier's own trust list (`archive:verify --tsa-trust`).
 */
export const TSA_CERTIFICATES_FILE = 'certificates/horodatage.pem';

export type ArchiveScope =
  | { kind: 'document'; id: string }
  | { kind: 'resident'; id: string }
  /** Documents created in [from, to) and the audit chain over the period. */
  | { kind: 'establishment'; id: string; from: Date; to: Date };

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface ManifestSealed {
  requestId: string;
  documentId: string;
  /**
   * Which sealed edition of the request (1, 2…): a DIPC is sealed when the director signs it
   * (edition 1, handed over to the person) and again at each later countersignature (CASF D.311
   * II–III); every edition is in the package. Absent from packages written before editions: 1.
   */
  edition?: number;
  /** When this edition was sealed (ISO 8601); absent from packages written before editions. */
  sealedAt?: string;
  /** The sealed PDF: its PAdES signature is checked offline. */
  path: string;
  evidencePath: string;
  /** SHA-256 recorded when the request was sealed: the evidence file must still be that one. */
  evidenceSha256: string;
}

/** The scan of a paper signature, kept as uploaded (issue 11 §6): its hash is also in the request's sealed evidence. */
export interface ManifestPaper {
  requestId: string;
  documentId: string;
  path: string;
  /** SHA-256 recorded at upload (paper_signatures.original_sha256, and the evidence's `originalSha256`). */
  originalSha256: string;
}

/**
 * A document handed over with a contract version (CASF L.311-4: livret d'accueil, règlement de
 * fonctionnement, charte…) as the version recorded it (document_versions.annexes): one entry per
 * version and annex key with a file. The PDF is in the package once, whatever the number of
 * versions handed over with it: its path is its SHA-256 (content-addressed).
 */
export interface ManifestAnnex {
  documentId: string;
  versionId: string;
  versionNumber: number;
  /** The establishment's annex key (e.g. « livret-accueil-2026 »). */
  key: string;
  /** Its name in the version's template. */
  label: string;
  /** establishment_annex_files.id */
  fileId: string;
  /** What the establishment calls that edition (« Édition 2026 »). */
  versionLabel: string;
  /** The day it took effect (YYYY-MM-DD). */
  effectiveOn: string;
  /** SHA-256 recorded by the version (also in its `document_version.requested` event and in the sealed evidence). */
  sha256: string;
  size: number;
  path: string;
}

/** One signed head of the organisation's chain, as the server's checkpoint row holds it. */
export interface ManifestCheckpoint {
  seq: number;
  hash: string;
  createdAt: string;
  /** The platform checkpoint that signed it (null before issue 7). */
  checkpointSeq: number | null;
  /** HMAC-SHA-256 with the server's secret: checkable by the server only, kept for an online re-check. */
  hmac: string;
}

export interface ManifestAudit {
  chainId: string;
  file: string;
  fromSeq: number;
  toSeq: number;
  events: number;
  /** prev_hash of the first event: the link to the part of the chain not exported. */
  firstPrevHash: string;
  /** Hash of the last event: the head a checkpoint signed. */
  headHash: string;
  checkpoints: ManifestCheckpoint[];
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  createdAt: string;
  organisationId: string;
  scope: { kind: ArchiveScope['kind']; id: string; from?: string; to?: string };
  documents: number;
  files: ManifestFile[];
  sealed: ManifestSealed[];
  /** Paper originals (absent from packages written before they were included). */
  paper?: ManifestPaper[];
  /** Documents handed over with each version (absent from packages written before they were included). */
  annexes?: ManifestAnnex[];
  audit: ManifestAudit;
}

export type ArchiveProblemCode =
  | 'ZIP_UNREADABLE'
  | 'FILE_MISSING'
  | 'FILE_UNEXPECTED'
  | 'HASH_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_SIGNATURE_INVALID'
  | 'CERTIFICATE_UNTRUSTED'
  | 'EVIDENCE_MISMATCH'
  | 'CHAIN_LINK_BROKEN'
  | 'EVENT_HASH_MISMATCH'
  | 'CHECKPOINT_MISMATCH'
  | 'SEGMENT_NOT_COVERED'
  | 'PADES_INVALID'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_UNTRUSTED'
  | 'PAPER_SCAN_MISMATCH'
  | 'ANNEX_MISMATCH';

export interface ArchiveProblem {
  code: ArchiveProblemCode;
  /** The file of the package concerned. */
  file: string;
  message: string;
}

export interface ArchiveProgress {
  phase: 'documents' | 'audit' | 'manifest' | 'done';
  done: number;
  total: number;
}
