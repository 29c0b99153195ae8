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
  /**
   * Whether the other parent, who does not exercise parental authority, keeps the right and duty to
   * oversee the child's maintenance and education and must be informed of the important choices about
   * his life (C. civ. 373-2-1 al. 5, « le parent qui n'a pas l'exercice de l'autorité parentale »):
   * - `yes`: the judge entrusted the exercise to one parent (373-2-1 al. 1);
   * - `if_other_filiation`: filiation (372 al. 2) — if it is established towards the other parent too
   *   (late, or by judgment), he is a parent without the exercise; towards one parent only, there is none;
   * - `if_deprived_only`: « privé de l'exercice » (373-1) — a parent deprived of the exercise only is
   *   still « le parent qui n'a pas l'exercice » of 373-2-1 al. 5 and keeps the right to be informed;
   *   not one whose parental authority or its exercise was withdrawn by a court (C. civ. 378 s.: a
   *   criminal court may withdraw either, 378) nor one whose exercise is suspended de plein droit
   *   (378-2 as loi n° 2024-233 wrote it, in force 20 March 2024, al. 1: a parent « poursuivi par le
   *   ministère public ou mis en examen par le juge d'instruction » for a crime on the other parent, an
   *   incestuous sexual assault or a crime on the child, until the JAF's, the juge d'instruction's or the
   *   criminal court's decision — no « condamné » there: after a conviction the criminal court rules on a
   *   withdrawal, 378; the sector lawyer's review of session 22, text read from a Légifrance export;
   *   « notamment » in the reminder because a further alinéa on a conviction for violence the child
   *   witnessed was debated and is not verified here): the decision says which;
   * - `no`: the other parent died; his parental authority was withdrawn (C. civ. 378 s.: a withdrawal
   *   takes the attributes of the authority, this right with them, 379, 379-1 — the judgment says what
   *   a partial one leaves him, staff follow it); he cannot express his will (373: he is then « privé
   *   de l'exercice » too, but cannot receive the information the right is for — staff inform him if he
   *   recovers, the ground then changes).
   * The signature policy's explanation and the document page remind staff of it.
   */
  informsOtherParent: 'yes' | 'if_other_filiation' | 'if_deprived_only' | 'no';
  /** A check for staff, for the form's hint, when the proof alone may not settle the ground. */
  check?: string;
}

/** C. civ. 373-2-1 al. 5, for staff: what the other parent keeps when the judge entrusted the exercise to one parent. */
export const OTHER_PARENT_INFORMED =
  'L’autre parent n’exerce pas l’autorité parentale et ne signe pas ; il garde le droit et le devoir de surveiller l’entretien et l’éducation de l’enfant et doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5).';

/**
 * The limit staff must check before telling him where the child lives: any judicial decision may
 * forbid or organise it — a criminal court's (a ban on contact; the suspension of C. civ. 378-2), the
 * juge aux affaires familiales' (an ordonnance de protection lets the other parent hide her address,
 * C. civ. 515-11 6° ; contacts in a meeting place, 373-2-1 al. 3 and 4), the juge des enfants' (the
 * anonymity of the place where the child is accommodated, C. civ. 375-7). The reading of a sector
 * lawyer (reviews of sessions 18 and 20: 515-11 alone protects the victim's address, not the child's).
 */
export const OTHER_PARENT_INFORMED_LIMIT =
  'Sauf décision judiciaire contraire — juge pénal, juge aux affaires familiales (ordonnance de protection, C. civ. 515-11), juge des enfants (anonymat du lieu d’accueil, C. civ. 375-7) : lisez la décision et suivez-la.';

/** The reminder for staff under a ground, or null (C. civ. 373-2-1 al. 5; `informsOtherParent`). */
export function otherParentReminder(ground: SoleAuthorityGround): string | null {
  const when = SOLE_AUTHORITY_GROUND_INFO[ground].informsOtherParent;
  if (when === 'no') return null;
  const lower = `${OTHER_PARENT_INFORMED.charAt(0).toLowerCase()}${OTHER_PARENT_INFORMED.slice(1)}`;
  return when === 'yes'
      ? OTHER_PARENT_INFORMED
      : when === 'if_other_filiation'
        ? `Si la filiation de l’enfant est établie aussi à l’égard de l’autre parent : ${lower}`
        : `Si l’autre parent est seulement privé de l’exercice de l’autorité parentale (C. civ. 373-1), et non par un retrait de l’autorité parentale ou de son exercice prononcé par un juge (C. civ. 378 s.), ni par la suspension de plein droit de l’exercice de l’autorité parentale (C. civ. 378-2 : notamment le parent poursuivi par le ministère public ou mis en examen pour un crime sur l’autre parent, ou pour une agression sexuelle incestueuse ou un crime sur l’enfant, jusqu’à la décision du juge ; condamné, le juge pénal se prononce sur le retrait, C. civ. 378) : ${lower}`;
}

export const SOLE_AUTHORITY_GROUND_INFO: Readonly<Record<SoleAuthorityGround, SoleAuthorityGroundInfo>> = {
  judgment: { label: 'décision du juge confiant l’exercice à ce seul parent', basis: 'C. civ. 373-2-1', proof: 'le jugement du juge aux affaires familiales', informsOtherParent: 'yes' },
  other_parent_deceased: { label: 'décès de l’autre parent', basis: 'C. civ. 373-1', proof: 'l’acte de décès', informsOtherParent: 'no' },
  other_parent_deprived: {
    label: 'autre parent privé de l’exercice ou retrait de son autorité parentale',
    basis: 'C. civ. 373-1, 378 s.',
    proof: 'le jugement',
    informsOtherParent: 'if_deprived_only',
  },
  other_parent_unable: { label: 'autre parent hors d’état de manifester sa volonté', basis: 'C. civ. 373, 373-1', proof: 'la décision ou le certificat qui l’établit', informsOtherParent: 'no' },
  filiation: {
    label: 'filiation établie à l’égard de ce seul parent, ou à l’égard de l’autre plus d’un an après la naissance ou par jugement',
    basis: 'C. civ. 372 al. 2',
    proof: 'l’acte de naissance intégral',
    informsOtherParent: 'if_other_filiation',
    // C. civ. 372 al. 2 in fine: the parents may since have declared jointly before the court clerk (or the judge decided) that they exercise it together; the birth certificate does not show it.
    check:
      'Filiation : l’acte de naissance ne montre pas une déclaration conjointe des parents devant le greffier du tribunal judiciaire (ou une décision du juge) qui rend l’exercice commun (C. civ. 372 al. 2) ; demandez un acte intégral récent et interrogez le parent.',
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
