/**
 * Why a document's generation failed, as staff read it. The code is stored on the version
 * (`document_versions.error_code`); the French message is derived from it when the document is shown.
 */
export const GENERATION_RETRIES_EXHAUSTED = 'GENERATION_RETRIES_EXHAUSTED';

export interface GenerationError {
  code: string;
  message: string;
  /** True when `POST /api/documents/:id/retry-generation` may start it again (the version's data are fine). */
  retryable: boolean;
}

const MESSAGES: Record<string, string> = {
  [GENERATION_RETRIES_EXHAUSTED]:
    'La génération du document a échoué malgré plusieurs tentatives (incident technique). Relancez la génération ; si l’échec persiste, contactez le support.',
  ORGANISATION_MISMATCH: 'La demande de génération ne correspond pas à votre organisation : elle a été refusée.',
};

/** The error of a version that could not be generated; null for a version without one. */
export function generationErrorOf(version: { status: string; errorCode: string | null }): GenerationError | null {
  if (!version.errorCode) return null;
  const retryable = version.status === 'pending';
  const message =
    MESSAGES[version.errorCode] ??
    (retryable
      ? MESSAGES[GENERATION_RETRIES_EXHAUSTED]
      : `Le document ne peut pas être généré avec ces données (code ${version.errorCode}). Corrigez-les en créant une nouvelle version.`);
  return { code: version.errorCode, message, retryable };
}
