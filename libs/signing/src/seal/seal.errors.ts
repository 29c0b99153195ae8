import { DomainError } from '@carepact/common';

export type SealErrorCode =
  | 'SEAL_P12_UNREADABLE'
  | 'SEAL_P12_BAD_PASSPHRASE'
  | 'SEAL_P12_NO_KEY'
  | 'SEAL_P12_NO_CERTIFICATE'
  | 'SEAL_KEY_UNSUPPORTED'
  | 'SEAL_CERTIFICATE_NOT_VALID'
  | 'SEAL_DEV_IDENTITY_DIR'
  | 'SEAL_PDF_NO_SIGNATURE_FIELD'
  | 'SEAL_SIGNATURE_TOO_LARGE';

/**
 * Sealing failures. All are permanent (kind `invalid`): a retry cannot fix a wrong passphrase, an
 * expired certificate or a PDF prepared without a field; the job surfaces them to staff instead.
 */
export class SealError extends DomainError {
  constructor(
    override readonly code: SealErrorCode,
    messageFr: string,
  ) {
    super('invalid', code, messageFr);
    this.name = 'SealError';
  }
}
