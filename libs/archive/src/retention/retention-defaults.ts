/**
 * Retention defaults (issue 11 item 4), per document type and for the resident's file, in whole
 * years counted from the END OF THE ACCOMPANIMENT (`residents.departed_on`). While a person is
 * accompanied nothing of theirs is ever purged, whatever the duration.
 *
 * Source: CNIL, délibération n° 2021-028 du 11 mars 2021 portant adoption d'un « référentiel
 * relatif aux traitements de données à caractère personnel mis en œuvre dans le cadre de l'accueil,
 * l'hébergement et l'accompagnement social et médico-social des personnes âgées, des personnes en
 * situation de handicap et de celles en difficulté » (JORF, JORFTEXT000043274920), section
 * « Durées de conservation ». The référentiel keeps the data in the active base for the duration of
 * the accompaniment, then allows an intermediate archive only as long as a legal obligation or the
 * need to prove a right requires, after which the data are deleted or anonymised (RGPD art. 5.1.e).
 *
 * The référentiel names no figure for our five document types (the tables of the stored copies we
 * could consult did not give one per type), so the rule chosen is the one its intermediate archive
 * points to: the prescription of the actions the documents may be needed for —
 * - contrat de séjour, DIPC, avenant (CASF L.311-4, D.311): a contract: Code civil art. 2224,
 *   personal actions prescribed five years from when the holder knew the facts, i.e. at the latest
 *   from the end of the stay → 5 years;
 * - projet personnalisé (CASF L.311-3 7°, D.311 V: annexed to the contract as an avenant) → the
 *   contract's 5 years, so that an avenant never outlives or predeceases its contract;
 * - compte rendu de réunion de synthèse: part of the person's file (CASF L.311-3), no specific
 *   text → 5 years, the file's duration, the same reasoning;
 * - the resident's file (identity, contacts, protection measures): needed to read the documents
 *   above and to answer the person (RGPD art. 15) while they are kept → 5 years.
 * Each organisation may change any duration (RGPD art. 5.2: the controller decides and documents
 * it), between 1 and 100 years; the change is audited.
 */
export const RETENTION_SUBJECTS = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese', 'dossier-resident'] as const;
export type RetentionSubject = (typeof RETENTION_SUBJECTS)[number];

export interface RetentionDefault {
  years: number;
  /** The rule, in French, shown beside the duration (API, CLI). */
  basis: string;
}

const CONTRACT = 'Fin de l’accompagnement + 5 ans : prescription des actions personnelles (C. civ. art. 2224), archivage intermédiaire du référentiel CNIL (délib. n° 2021-028).';

export const RETENTION_DEFAULTS: Record<RetentionSubject, RetentionDefault> = {
  'contrat-sejour': { years: 5, basis: CONTRACT },
  dipc: { years: 5, basis: CONTRACT },
  avenant: { years: 5, basis: CONTRACT },
  'projet-personnalise': { years: 5, basis: 'Annexé au contrat comme avenant (CASF D.311) : même durée que le contrat. ' + CONTRACT },
  'compte-rendu-synthese': { years: 5, basis: 'Pièce du dossier de la personne (CASF L.311-3), sans texte propre : durée du dossier. ' + CONTRACT },
  'dossier-resident': { years: 5, basis: 'Nécessaire pour lire les documents conservés et répondre à la personne (RGPD art. 15). ' + CONTRACT },
};

export const RETENTION_LABELS: Record<RetentionSubject, string> = {
  'contrat-sejour': 'Contrat de séjour',
  dipc: 'Document individuel de prise en charge',
  avenant: 'Avenant',
  'projet-personnalise': 'Projet personnalisé',
  'compte-rendu-synthese': 'Compte rendu de réunion de synthèse',
  'dossier-resident': 'Dossier de la personne (identité, contacts, mesures de protection)',
};

export function isRetentionSubject(s: string): s is RetentionSubject {
  return (RETENTION_SUBJECTS as readonly string[]).includes(s);
}

/** The last day of retention: departure + years (29 February → 28 February). Purgeable the day after. */
export function retentionEnds(departedOn: string, years: number): string {
  const [y, m, d] = departedOn.split('-').map(Number);
  const end = new Date(Date.UTC(y + years, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0);
  return end.toISOString().slice(0, 10);
}
