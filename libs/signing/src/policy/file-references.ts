/**
 * What a reader without `resident.read` (the auditor) may see of the policy's sentences, and of
 * what signers and staff wrote on a request without `document.content`. The console's document
 * page and the API's request views apply the same rules.
 */

/**
 * The signature policy's wording (libs/signing signature-policy.ts) cites the person's file: the
 * judgment of her protection measure (« Curatelle renforcée (jugement RG 25/00412 du 3 mars 2025,
 * jusqu’au …) », « avec autorisation du juge (RG 26/00077) », « C. civ. 472 (autorisation RG …) », « le juge a
 * statué (décision RG … du …) »), and the proof of a parent's sole exercise of parental authority
 * (« ; pièce : Acte de décès n° 312 du 4 janvier 2022 »), and the reference of the judge's ordonnance
 * authorising the person to sign alone (« (ordonnance : Tribunal judiciaire de Valville, 3 mars 2026,
 * réf. RG 26/00123) », C. civ. 469: the court and the date stay, the reference goes).
 * A reader without `resident.read` (the auditor) sees the same sentences without those references.
 * Should the wording change so that a reference is left, the whole text gives way to a plain
 * sentence rather than show it (apps/api document-page.views.spec.tsx runs the real policy against this).
 */
export function withoutFileReferences(text: string): string {
  const DATE = String.raw`(?:1er|\d{1,2}) \p{L}+ \d{4}`;
  const redacted = text
    .replace(new RegExp(String.raw` \(jugement .*? du ${DATE}(?:, jusqu’au ${DATE})?\)`, 'gu'), '')
    .replace(/ avec autorisation du juge \(.*?\)(?= :)/g, ' avec autorisation du juge')
    .replace(/\(autorisation (?!du juge\)).*?\)(?= ;|$)/g, '(autorisation du juge)')
    .replace(new RegExp(String.raw`le juge a statué \(décision .*? du ${DATE}\)`, 'gu'), 'le juge a statué')
    .replace(new RegExp(String.raw` ; pièce : .*? du ${DATE}(?=\))`, 'gu'), '')
    .replace(new RegExp(String.raw`(\(ordonnance : .*?, ${DATE}), réf\. .*?\)(?= ;| :|\.|,|$)`, 'gu'), '$1)');
  return /\bjugement (?!de |du |ou )|\bautorisation (?!du juge)|\(décision |\bRG\b|\bpièce :|\bréf\./i.test(redacted) ? FILE_DETAILS_WITHHELD : redacted;
}

const FILE_DETAILS_WITHHELD = 'texte non affiché : il cite le dossier de la personne (mesure de protection, jugement), que votre rôle ne permet pas de consulter';
