/**
 * The category of an establishment or service (CASF L.312-1 I), a closed set: it decides which
 * document the person gets (a contrat de séjour, or a DIPC for a service without accommodation,
 * D.311) and how the stay is financed, which the financing section of the contract and the DIPC
 * prints (templates/documents/<type>/1.2.0.json, labels `financing` / `financingFalc`, keyed by
 * these same values). The database holds the same list in a CHECK constraint
 * (ck_establishments_category, migration 1763940000000).
 */
export const ESTABLISHMENT_CATEGORIES = [
  // Older people (L.312-1 I 6°).
  'EHPAD',
  'PUV',
  'EHPA',
  'residence_autonomie',
  // Health establishment, listed for the homes it runs (CSP L.6111-2; CASF L.313-12 for the tariffs).
  'USLD',
  // Adults with disabilities (L.312-1 I 7°).
  'MAS',
  'FAM',
  'foyer_de_vie',
  'foyer_hebergement',
  // Children with disabilities (L.312-1 I 2°).
  'IME',
  // Social housing and reintegration (L.312-1 I 8°).
  'CHRS',
  // Services at home (L.312-1 I 2°, 6°, 7°): no accommodation, the DIPC is the document (D.311).
  'SAAD',
  'SSIAD',
  'SPASAD',
  'SESSAD',
  'SAVS',
  'SAMSAH',
] as const;
export type EstablishmentCategory = (typeof ESTABLISHMENT_CATEGORIES)[number];

/**
 * How each category is financed, with the article behind it: what the contract's and the DIPC's
 * financing section says (the templates' `financing` labels word the same rules for the person).
 */
export const CATEGORY_FINANCING: Readonly<Record<EstablishmentCategory, { label: string; rule: string }>> = {
  // CASF L.314-2: three tariffs — hébergement (the person, or aide sociale), dépendance by GIR
  // (APA in part, L.232-8), soins (assurance maladie); R.314-172 et suivants for the GIR groups.
  EHPAD: { label: 'établissement d’hébergement pour personnes âgées dépendantes', rule: 'CASF L.314-2, R.314-172 et suivants ; L.232-8 (APA)' },
  // L.313-12 II: a petite unité de vie may keep a dependence tariff or the APA at home.
  PUV: { label: 'petite unité de vie', rule: 'CASF L.313-12 II, L.314-2' },
  // L.342-1 s.: the price is free at entry, then indexed; housing benefit may apply.
  EHPA: { label: 'établissement d’hébergement pour personnes âgées', rule: 'CASF L.342-1 à L.342-3' },
  // L.313-12 III, D.312-159-2: a redevance covering the housing and the minimal services.
  residence_autonomie: { label: 'résidence autonomie', rule: 'CASF L.313-12 III, D.312-159-2, L.342-1' },
  // L.313-12 IV (ex-I bis) and L.314-2: hébergement, dépendance by GIR, soins by the assurance maladie.
  USLD: { label: 'unité de soins de longue durée', rule: 'CASF L.314-2 ; CSP L.6111-2' },
  // L.314-8 (financed by the assurance maladie); CSS L.174-4: the forfait journalier stays due.
  MAS: { label: 'maison d’accueil spécialisée', rule: 'CASF L.314-8 ; CSS L.174-4 (forfait journalier)' },
  // L.314-8 (soins: assurance maladie), L.344-5 and R.344-29 (hébergement: aide sociale, contribution by resources).
  FAM: { label: 'foyer d’accueil médicalisé', rule: 'CASF L.314-8, L.344-5, R.344-29' },
  // L.344-5, R.344-29: hébergement by the département's aide sociale, the person contributes by resources.
  foyer_de_vie: { label: 'foyer de vie', rule: 'CASF L.344-5, R.344-29' },
  foyer_hebergement: { label: 'foyer d’hébergement', rule: 'CASF L.344-5, R.344-29 à R.344-33' },
  // L.242-10: the support of a child with disabilities is financed by the assurance maladie, no family contribution.
  IME: { label: 'institut médico-éducatif', rule: 'CASF L.242-10, L.314-8' },
  // L.345-1, R.345-7: participation fixed according to the person's resources.
  CHRS: { label: 'centre d’hébergement et de réinsertion sociale', rule: 'CASF L.345-1, R.345-7' },
  // L.347-1 (price of services at home), L.232-6 (APA at home), L.245-1 (PCH).
  SAAD: { label: 'service d’aide et d’accompagnement à domicile', rule: 'CASF L.347-1, L.232-6, L.245-1' },
  // L.314-8: care financed by the assurance maladie, nothing asked of the person.
  SSIAD: { label: 'service de soins infirmiers à domicile', rule: 'CASF L.314-8' },
  SPASAD: { label: 'service polyvalent d’aide et de soins à domicile', rule: 'CASF L.313-1-3, L.347-1, L.314-8' },
  SESSAD: { label: 'service d’éducation spéciale et de soins à domicile', rule: 'CASF L.242-10, L.314-8' },
  SAVS: { label: 'service d’accompagnement à la vie sociale', rule: 'CASF L.312-1 I 7°, L.314-8 ; règlement départemental d’aide sociale' },
  SAMSAH: { label: 'service d’accompagnement médico-social pour adultes handicapés', rule: 'CASF L.314-8, D.312-166' },
};

export function isEstablishmentCategory(v: unknown): v is EstablishmentCategory {
  return typeof v === 'string' && (ESTABLISHMENT_CATEGORIES as readonly string[]).includes(v);
}

/** Services without accommodation: the DIPC is the document (CASF D.311 II), never a contrat de séjour. */
export const SERVICES_WITHOUT_STAY: readonly EstablishmentCategory[] = ['SAAD', 'SSIAD', 'SPASAD', 'SESSAD', 'SAVS', 'SAMSAH'];

/** The French validation message (API, CLI, seed): the category must be one of the list. */
export const CATEGORY_MESSAGE = `Catégorie d’établissement inconnue. Catégories possibles : ${ESTABLISHMENT_CATEGORIES.join(', ')} (CASF L.312-1).`;

/**
 * The establishment's legal status, which decides where a refusal of access is contested (the sector
 * lawyer's review of session 19): a public establishment's records are administrative documents — the
 * requester first asks the CADA, within two months, before any action before the administrative court
 * (CRPA L.342-1, R.343-1); a private one's refusal goes to the judicial court — unless the
 * organisation's archives are public (`publicLaw`, a private body with a public-service mission: its
 * documents are administrative, CRPA L.300-2), then the CADA too. The personne qualifiée (CASF
 * L.311-5) is the person's, not her heirs' (review of session 20): no letter offers it. Optional
 * (`legal_status`, migration 1764230000000): not recorded, the letter gives both and the console asks
 * staff to record it.
 */
export const ESTABLISHMENT_LEGAL_STATUSES = ['public', 'private'] as const;
export type EstablishmentLegalStatus = (typeof ESTABLISHMENT_LEGAL_STATUSES)[number];
export const ESTABLISHMENT_LEGAL_STATUS_LABELS: Record<EstablishmentLegalStatus, string> = {
  public: 'Public (établissement public, CCAS, hôpital…)',
  private: 'Privé (association, fondation, société commerciale…)',
};
export const isEstablishmentLegalStatus = (v: unknown): v is EstablishmentLegalStatus => typeof v === 'string' && (ESTABLISHMENT_LEGAL_STATUSES as readonly string[]).includes(v);
export const LEGAL_STATUS_MESSAGE = 'Le statut juridique est « public » ou « private » (établissement public, ou privé : association, fondation, société).';
