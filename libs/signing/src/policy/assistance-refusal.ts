import type { PolicyDecision, RequiredSigner } from './policy.types';

/**
 * Whether a signer of the request assists the person (a curateur, C. civ. 440 al. 1, 467; a
 * personne habilitée in assistance, authorised « à l'assister dans les conditions prévues à
 * l'article 467 », C. civ. 494-1 al. 1) rather than represents her. Her refusal to sign is hers; the
 * assistant's refusal to assist her is not a refusal of the contract « par la personne accueillie ou
 * son représentant légal » (CASF D.311): it does not make the contract refused nor call for the DIPC
 * that replaces a refused contract. The person may ask the judge for the authorisation to sign alone
 * (C. civ. 469 al. 3 under a curatelle; under an habilitation familiale the judge settles the
 * difficulty, C. civ. 494-10: sole-signature-law.ts). A refusal by a curateur
 * the judge authorised to sign the accommodation agreement alone (C. civ. 472) is the same: the
 * measure stays one of assistance.
 */
export function assistsThePerson(decision: Pick<PolicyDecision, 'signers'> | null | undefined, signerKey: string): boolean {
  // A stored decision always lists its signers; a partial one (a test double, an old row) assists nobody.
  const s: RequiredSigner | undefined = decision?.signers?.find((x) => x.key === signerKey);
  return Boolean(s && (s.role === 'curateur' || s.role === 'habilite') && s.measure?.mode === 'assistance');
}
