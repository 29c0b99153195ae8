import type { DocumentStatus, DocumentType, VersionStatus } from './documents.entities';
import type { DocumentSubtype } from '@carepact/common';
import type { GenerationError } from './generation-errors';

export interface RenditionView {
  format: 'pdf' | 'docx' | 'html';
  variant: 'standard' | 'falc' | 'large-print';
  sha256: string;
  byteSize: number;
  mediaType: string;
  /** Download path (authenticated). */
  href: string;
}

export interface VersionView {
  id: string;
  number: number;
  reason: string;
  status: VersionStatus;
  template: { id: string; version: string; sha256: string };
  inputSha256: string;
  rendererVersion: string;
  errorCode: string | null;
  /** Why this version could not be generated (code, French message, whether a retry may help). */
  error: GenerationError | null;
  createdAt: string;
  generatedAt: string | null;
  renditions: RenditionView[];
}

export interface DocumentView {
  id: string;
  residentId: string;
  establishmentId: string;
  type: DocumentType;
  /** What an avenant amends, for its name (`avenant-dipc`, `annexe-liberte-aller-venir`), or null: @carepact/common documentTypeLabel. */
  subtype: DocumentSubtype | null;
  status: DocumentStatus;
  currentVersionId: string | null;
  /** Status `generation_failed`: why, in French, and whether `retry-generation` may help. */
  generationError: GenerationError | null;
  /**
   * A contrat de séjour not sent for signature (being generated, ready, failed) or abandoned whose
   * stay has another contract, signed: that contract (`id`, `href` its console page), else null. One
   * contract per stay, amended by avenant (CASF L.311-4, D.311): such a draft is neither corrected
   * nor sent (409 CONTRACT_ALREADY_IN_FORCE); it may be abandoned (POST /api/documents/:id/discard).
   */
  supersededBy: { id: string; href: string } | null;
  createdAt: string;
  updatedAt: string;
  versions: VersionView[];
}

export interface CreateDocumentInput {
  residentId: string;
  type: DocumentType;
  data: Record<string, unknown>;
}

export interface Download {
  bytes: Buffer;
  mediaType: string;
  fileName: string;
}
