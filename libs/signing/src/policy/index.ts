export * from './policy.types';
export { decideSigners, listsAct, DOCUMENT_RULES, ACTS_COVERING, type DocumentRule } from './signature-policy';
export { SignaturePolicyError, isSignaturePolicyError } from './signature-policy.errors';
export { capacityWords, consentSentence, type ConsentSigner } from './consent-sentence';
export { assistsThePerson } from './assistance-refusal';
export { soleSignatureNotApplicable, SOLE_SIGNATURE_NOT_APPLICABLE } from './sole-signature';
