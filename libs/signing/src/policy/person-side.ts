import { calendarDayIn } from '@carepact/common';

/**
 * Who a signer signs for: the person's side (the person herself, her representative or assistant —
 * tuteur, curateur, habilité, mandataire —, her parents, a délégataire, the service a minor is
 * entrusted to) or the establishment (role `director`: the countersignature, always last, CASF
 * L.311-4, D.311). The person's side gives her consent; the establishment's signature answers it.
 */
export const isEstablishmentSigner = (role: string): boolean => role === 'director';
export const isPersonSideSigner = (role: string): boolean => !isEstablishmentSigner(role);

/**
 * After the person's death, whether a request open at that time stays open for the establishment to
 * countersign: every required signer on her side has signed — the person's consent was given, by her or
 * in her name, while she lived — and only the establishment's signature is still pending. The death ends
 * the representative's power (C. civ. 443 al. 1), not the signatures already given: the contract is
 * formed when the acceptance reaches the one who made the offer (C. civ. 1121), so cancelling it would
 * undo an agreement concluded before the death. An optional signer of her side who has not signed (the
 * person invited to sign her projet beside her tuteur, CASF L.311-3 7°) never held the request back
 * (whose-turn.ts): her signature can no longer come, it lapses (`optionalLapsedAtDeath`) and the request
 * is kept all the same. A request where a required signer of her side has not signed is cancelled: no
 * one may sign in her name any more; so is one where a signature on her side is dated after the death
 * (`deceasedOn`: recorded later than it happened), and one where nobody of her side signed at all (a
 * DIPC whose optional countersigners had not answered: nothing was agreed on her side).
 */
export function keptAtDeath(signers: readonly { role: string; status: string; optional?: boolean; actedAt?: Date | null }[], deceasedOn?: string): boolean {
  const side = signers.filter((s) => isPersonSideSigner(s.role));
  // With the date of death: each signature given on or before that day (Europe/Paris; the hour of death is not
  // recorded, so a signature of the same day counts, with a warning: signedOnDayOfDeath, C. civ. 79). One given
  // after it was given without power (C. civ. 443 al. 1).
  const beforeDeath = (s: { actedAt?: Date | null }) => !deceasedOn || (!!s.actedAt && calendarDayIn(s.actedAt) <= deceasedOn);
  const given = side.filter((s) => s.status === 'signed');
  return (
    given.length > 0 &&
    given.every(beforeDeath) &&
    side.every((s) => s.status === 'signed' || (s.optional === true && s.status !== 'signed')) &&
    signers.some((s) => isEstablishmentSigner(s.role) && s.status === 'pending')
  );
}

/**
 * Whether a signature of her side kept at her death (keptAtDeath) was given on the very day of the death
 * (Europe/Paris). The acte de décès states the day and the hour of death (C. civ. art. 79), but only the
 * day is recorded here (`residents.deceased_on`): such a signature counts, with a warning for staff to
 * check the hour on the acte — given after it, it was given without power (C. civ. art. 418 and 443).
 */
export function signedOnDayOfDeath(signers: readonly { role: string; status: string; actedAt?: Date | null }[], deceasedOn: string): boolean {
  return signers.some((s) => isPersonSideSigner(s.role) && s.status === 'signed' && !!s.actedAt && calendarDayIn(s.actedAt) === deceasedOn);
}

/** The warning that goes with a signature kept at death given on the day of the death (signedOnDayOfDeath). */
export const SAME_DAY_AS_DEATH_WARNING =
  'Signature donnée le jour du décès : vérifiez l’heure sur l’acte de décès ; donnée après, elle l’a été sans pouvoir (C. civ. art. 418 et 443).';

/**
 * The optional signers of her side whose signature lapses at her death (C. civ. 443 al. 1): not signed
 * when the death is recorded, they can no longer sign — pending ones are closed « non signé — décès de
 * la personne le … », the request goes on without them (keptAtDeath, or sealed without them).
 */
export function optionalLapsedAtDeath<S extends { role: string; status: string; optional?: boolean }>(signers: readonly S[]): S[] {
  return signers.filter((s) => isPersonSideSigner(s.role) && s.optional === true && s.status === 'pending');
}
