import { FieldError, ValidationError } from '@carepact/common';

/** What the check needs of a signer: planned at sending, or as stored when a link is resent. */
export interface MailboxSigner {
  key: string;
  firstName: string;
  lastName: string;
  email: string | null;
  delivery: string;
  accessCodeRequired: boolean;
}

export const SIGNER_EMAIL_SHARED = 'SIGNER_EMAIL_SHARED';

/**
 * Two signers invited by e-mail at one address: whoever opens that mailbox could sign for both (the
 * person and her curateur, C. civ. 467; two parents, C. civ. 372). An electronic signature must be
 * linked to its signer alone (C. civ. 1367; eIDAS art. 26), so each of them then needs the access
 * code staff give by telephone or in person, or signs in person. Refuses (400, one error per
 * signer without a code, at `field(signer)`) unless every e-mailed signer has a mailbox of their
 * own or a code.
 */
export function assertOwnMailboxes(signers: readonly MailboxSigner[], field: (s: MailboxSigner) => string): void {
  const byAddress = new Map<string, MailboxSigner[]>();
  for (const s of signers) {
    if (s.delivery !== 'email' || !s.email) continue;
    const address = s.email.trim().toLowerCase();
    byAddress.set(address, [...(byAddress.get(address) ?? []), s]);
  }
  const errors: FieldError[] = [];
  for (const group of byAddress.values()) {
    if (group.length < 2) continue;
    for (const s of group.filter((x) => !x.accessCodeRequired)) {
      const others = group.filter((x) => x !== s).map((x) => `${x.firstName} ${x.lastName}`);
      errors.push({
        field: field(s),
        code: SIGNER_EMAIL_SHARED,
        message:
          `${s.firstName} ${s.lastName} a la même adresse e-mail que ${others.join(' et ')} : l’un pourrait signer à la place de l’autre. ` +
          'Exigez un code d’accès (donné par téléphone ou en personne), ou choisissez la signature en présence.',
      });
    }
  }
  if (errors.length)
    throw new ValidationError(
      errors,
      'Plusieurs signataires recevraient le lien à la même adresse e-mail : chacun doit signer lui-même (C. civ. 1367). Exigez un code d’accès pour chacun, ou faites signer en présence.',
    );
}
