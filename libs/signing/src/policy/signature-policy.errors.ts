import { DomainError, type FieldError } from '@carepact/common';
import type { PolicyRefusalCode } from './policy.types';

/**
 * The policy refuses to route a document: the file contradicts the law (expired measure, missing
 * parent, signer without standing…). It is a conflict with the state of the resident file, not bad
 * input: staff fix the file, then ask again. The French message cites the article and never names
 * the people concerned (errors may be logged; names stay in the decision shown to staff).
 */
export class SignaturePolicyError extends DomainError {
  constructor(
    override readonly code: PolicyRefusalCode,
    messageFr: string,
    details: FieldError[] = [],
  ) {
    super('conflict', code, messageFr, details);
    this.name = 'SignaturePolicyError';
  }
}

export function isSignaturePolicyError(e: unknown): e is SignaturePolicyError {
  return e instanceof SignaturePolicyError;
}
