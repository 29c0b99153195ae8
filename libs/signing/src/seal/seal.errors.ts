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

export type TimestampErrorCode = 'TSA_UNAVAILABLE' | 'TSA_RESPONSE_INVALID';

/**
 * The time-stamping authority gave no valid token (PAdES B-T, timestamp.ts): unreachable, an HTTP
 * error, a refusal, or a token that does not check out. Never a B-B seal instead: the job fails
 * and is retried with the queue's backoff (kind `unavailable`, not permanent); when every attempt
 * failed, the request shows « Scellement échoué » with this code.
 */
export class TimestampError extends DomainError {
  constructor(
    override readonly code: TimestampErrorCode,
    messageFr: string,
  ) {
    super('unavailable', code, messageFr);
    this.name = 'TimestampError';
  }
}
