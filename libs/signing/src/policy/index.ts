export * from './policy.types';
export { decideSigners, assertHolderConflictResolved, listsAct, documentRuleFor, DOCUMENT_RULES, AVENANT_TO_DIPC_RULE, ACTS_COVERING, type DocumentRule } from './signature-policy';
export { SignaturePolicyError, isSignaturePolicyError } from './signature-policy.errors';
export { capacityWords, consentSentence, countersignWords, countersigns, declinedCountersignature, type ConsentSigner } from './consent-sentence';
export { assistsThePerson } from './assistance-refusal';
export {
  soleSignatureNotApplicable,
  soleSignatureSetAside,
  SOLE_SIGNATURE_NOT_APPLICABLE,
  SOLE_SIGNATURE_MEASURE_CHANGED,
  SOLE_SIGNATURE_OTHER_VERSION,
  type SoleSignatureScope,
  type SoleSignatureNow,
} from './sole-signature';
export { soleSignatureLaw, type SoleSignatureLaw } from './sole-signature-law';
export { SAME_DAY_AS_DEATH_WARNING, isEstablishmentSigner, isPersonSideSigner, keptAtDeath, optionalLapsedAtDeath, signedOnDayOfDeath } from './person-side';
