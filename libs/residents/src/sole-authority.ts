/**
 * Why one parent alone exercises parental authority over a minor, and what proves it.
 *
 * The rule is joint exercise (C. civ. 372 al. 1). One parent exercises it alone only:
 * - when the judge entrusted it to them (C. civ. 373-2-1);
 * - when the other parent has died or been deprived of its exercise (C. civ. 373-1), which includes
 *   a withdrawal of parental authority by judgment (C. civ. 378, 378-1, 380);
 * - when the other parent cannot express their will (C. civ. 373);
 * - when the filiation is established towards that parent alone, or towards the other more than a
 *   year after the birth, or by judgment (C. civ. 372 al. 2).
 * Staff must then hold the proof (the judgment, the death certificate, the birth certificate…): the
 * resident file records the ground, the proof's reference and its date, and the signature policy
 * refuses a one-parent signature without them (libs/signing, `planForMinor`).
 */
export const SOLE_AUTHORITY_GROUNDS = ['judgment', 'other_parent_deceased', 'other_parent_deprived', 'other_parent_unable', 'filiation'] as const;
export type SoleAuthorityGround = (typeof SOLE_AUTHORITY_GROUNDS)[number];

export interface SoleAuthorityGroundInfo {
  /** What the console and the signature's sentences say (French, lower case). */
  label: string;
  /** The article(s) the ground rests on. */
  basis: string;
  /** What the proof usually is, for the form's hint. */
  proof: string;
}

export const SOLE_AUTHORITY_GROUND_INFO: Readonly<Record<SoleAuthorityGround, SoleAuthorityGroundInfo>> = {
  judgment: { label: 'décision du juge confiant l’exercice à ce seul parent', basis: 'C. civ. 373-2-1', proof: 'le jugement du juge aux affaires familiales' },
  other_parent_deceased: { label: 'décès de l’autre parent', basis: 'C. civ. 373-1', proof: 'l’acte de décès' },
  other_parent_deprived: {
    label: 'autre parent privé de l’exercice ou retrait de son autorité parentale',
    basis: 'C. civ. 373-1, 378 s.',
    proof: 'le jugement',
  },
  other_parent_unable: { label: 'autre parent hors d’état de manifester sa volonté', basis: 'C. civ. 373, 373-1', proof: 'la décision ou le certificat qui l’établit' },
  filiation: {
    label: 'filiation établie à l’égard de ce seul parent, ou à l’égard de l’autre plus d’un an après la naissance ou par jugement',
    basis: 'C. civ. 372 al. 2',
    proof: 'l’acte de naissance intégral',
  },
};

/** As the resident file keeps it; all three or none. */
export interface SoleAuthorityProof {
  ground: SoleAuthorityGround;
  /** The proof's reference (« Jugement JAF TJ Lyon, RG 24/01234 », « Acte de décès n° 312 »). */
  proofReference: string;
  /** The proof's date (the judgment's, the certificate's), `YYYY-MM-DD`. */
  proofDate: string;
}

/** The resident row's three columns (sole_authority_*), from the file's proof or null. */
export interface SoleAuthorityColumns {
  soleAuthorityGround: SoleAuthorityGround | null;
  soleAuthorityProofReference: string | null;
  soleAuthorityProofDate: string | null;
}

export function soleAuthorityColumns(p: SoleAuthorityProof | null): SoleAuthorityColumns {
  return p
    ? { soleAuthorityGround: p.ground, soleAuthorityProofReference: p.proofReference.trim(), soleAuthorityProofDate: p.proofDate }
    : { soleAuthorityGround: null, soleAuthorityProofReference: null, soleAuthorityProofDate: null };
}

export function soleAuthorityOf(row: SoleAuthorityColumns): SoleAuthorityProof | null {
  return row.soleAuthorityGround && row.soleAuthorityProofReference && row.soleAuthorityProofDate
    ? { ground: row.soleAuthorityGround, proofReference: row.soleAuthorityProofReference, proofDate: row.soleAuthorityProofDate }
    : null;
}
