/**
 * A request may be sealed more than once: a DIPC is sealed when the director signs it (edition 1,
 * « établi » and handed over to the person, CASF D.311 II and III), and again for each optional
 * countersignature given after (edition 2, 3…). Every edition is kept in the archive package and
 * in the access zip, the first under the names used before editions existed (older readers of the
 * packages still find the document handed over), the next ones with « -exemplaire-<n> ».
 */
export function sealedEditionFiles(edition: number): { pdf: string; evidence: string } {
  return edition <= 1 ? { pdf: 'document-scelle.pdf', evidence: 'preuve.json' } : { pdf: `document-scelle-exemplaire-${edition}.pdf`, evidence: `preuve-exemplaire-${edition}.json` };
}
