/**
 * A minor's representatives other than the parents, and the decision their power rests on.
 *
 * - Tutelle d'un mineur (`parentalAuthority: 'tutelle'`): it opens when both parents have died or
 *   are deprived of the exercise of parental authority (C. civ. 390); the tuteur, designated by the
 *   conseil de famille or the judge (C. civ. 403, 404, 411 — the tutelle may be deferred to the
 *   aide sociale à l'enfance), represents the minor in every civil act (C. civ. 408). A pupille de
 *   l'État (CASF L.224-1 s.) is a case of it: the préfet (représentant de l'État dans le département)
 *   is the tuteur, with the conseil de famille des pupilles; the decision is then the arrêté
 *   d'admission (CASF L.224-8).
 * - Délégation de l'autorité parentale (`parentalAuthority: 'delegation'`) by judgment of the juge
 *   aux affaires familiales (C. civ. 377, 377-1), three forms the file tells apart (`delegationExtent`):
 *   - `total`: the délégataire (a relative, a trusted third party, an establishment, the ASE)
 *     exercises the whole of the parental authority in the parents' place (C. civ. 377 al. 1-2
 *     « tout ou partie », 377-1 al. 1 « totale ou partielle »);
 *   - `partial`: only part of its exercise is transferred (same texts); the parents keep the rest.
 *     So who signs depends on what was delegated: `delegationCoversStay` records whether the
 *     judgment delegates the child's admission and accompaniment in the establishment — yes, the
 *     délégataire signs alone; no, the parents sign as without a délégation, jointly or one alone on
 *     the proof of sole exercise (the délégataire has no power for it);
 *   - `shared` (« délégation-partage », C. civ. 377-1 al. 2: « les père et mère, ou l'un d'eux,
 *     partageront tout ou partie de l'exercice de l'autorité parentale avec le tiers délégataire »):
 *     the parents keep the exercise and share it; for an act that is not usual (C. civ. 372-2 a
 *     contrario, which 377-1 al. 2 applies between délégants and délégataire) they act together:
 *     the délégataire and the parent(s) sign. Before migration 1764140000000 the file only knew
 *     « partielle ou partagée » and treated it this way: those rows became `shared`.
 * - Placement by the juge des enfants (`parentalAuthority: 'court_measure'`, C. civ. 375-3, 375-7):
 *   the parents keep every attribute of their authority not inconsistent with the measure (375-7
 *   al. 1); the service or establishment the child is entrusted to (the « service gardien », e.g.
 *   the ASE du département) performs the usual acts (373-4); the judge may exceptionally authorise it
 *   to perform one or more determined non-usual acts (C. civ. 375-7 al. 2: refusal without ground or
 *   negligence of the parents; limited in time, Cass. 1re civ., 4 janv. 2017, n° 15-28.935): that
 *   authorisation is recorded, and the service then signs.
 *
 * The representative is a contact of the resident whose `minorRole` says what they are; the decision
 * is recorded on the resident (migration 1764080000000).
 */
export const MINOR_ROLES = ['tuteur', 'delegataire', 'service_gardien'] as const;
export type MinorRole = (typeof MINOR_ROLES)[number];

export const DELEGATION_EXTENTS = ['total', 'partial', 'shared'] as const;
export type DelegationExtent = (typeof DELEGATION_EXTENTS)[number];

export const MINOR_ROLE_LABELS: Readonly<Record<MinorRole, string>> = {
  tuteur: 'tuteur du mineur',
  delegataire: 'délégataire de l’autorité parentale',
  service_gardien: 'service ou établissement à qui l’enfant est confié',
};

export const DELEGATION_EXTENT_LABELS: Readonly<Record<DelegationExtent, string>> = {
  total: 'totale',
  partial: 'partielle (les parents gardent le reste)',
  shared: 'partagée avec les parents',
};

/** What the file records of a partial delegation's reach, in French (C. civ. 377, 377-1 al. 1). */
export const DELEGATION_COVERS_STAY_LABELS: Readonly<Record<'true' | 'false', string>> = {
  true: 'la délégation porte sur l’accueil et l’accompagnement dans l’établissement',
  false: 'la délégation ne porte pas sur l’accueil et l’accompagnement dans l’établissement',
};

/** The decision behind the representative's power, as the file records it. */
export interface MinorDecision {
  /** Who took it: « Conseil de famille, TJ de Valville », « JAF, TJ de Valville », « Juge des enfants, TJ de Valville », « Préfet du Val ». */
  authority: string;
  /** Its reference (n° RG, minute, arrêté…). */
  reference: string;
  /** Its date, `YYYY-MM-DD`. */
  date: string;
  /** Délégation only: total, partial (C. civ. 377, 377-1 al. 1) or shared with the parents (377-1 al. 2). */
  delegationExtent?: DelegationExtent | null;
  /**
   * Partial delegation only (C. civ. 377, 377-1 al. 1): whether the judgment delegates the child's
   * admission and accompaniment in the establishment (then the délégataire signs its documents
   * alone; otherwise the parents, who kept it, do). Null for the other forms.
   */
  delegationCoversStay?: boolean | null;
  /** Tutelle only: the minor is a pupille de l'État (CASF L.224-1, L.224-4). */
  wardOfState?: boolean;
  /**
   * Placement only (C. civ. 375-7): the juge des enfants' authorisation for the service gardien to
   * perform the act (admission, DIPC…) in the parents' place; reference and date.
   */
  actAuthorisation?: { reference: string; date: string } | null;
}

/** The resident row's columns (migration 1764080000000). */
export interface MinorDecisionColumns {
  minorDecisionAuthority: string | null;
  minorDecisionReference: string | null;
  minorDecisionDate: string | null;
  delegationExtent: DelegationExtent | null;
  /** Migration 1764140000000: a partial delegation's reach. */
  delegationCoversStay: boolean | null;
  wardOfState: boolean;
  actAuthorisationReference: string | null;
  actAuthorisationDate: string | null;
}

export function minorDecisionColumns(d: MinorDecision | null | undefined): MinorDecisionColumns {
  return d
    ? {
        minorDecisionAuthority: d.authority.trim(),
        minorDecisionReference: d.reference.trim(),
        minorDecisionDate: d.date,
        delegationExtent: d.delegationExtent ?? null,
        delegationCoversStay: d.delegationExtent === 'partial' ? (d.delegationCoversStay ?? null) : null,
        wardOfState: d.wardOfState ?? false,
        actAuthorisationReference: d.actAuthorisation ? d.actAuthorisation.reference.trim() : null,
        actAuthorisationDate: d.actAuthorisation ? d.actAuthorisation.date : null,
      }
    : {
        minorDecisionAuthority: null,
        minorDecisionReference: null,
        minorDecisionDate: null,
        delegationExtent: null,
        delegationCoversStay: null,
        wardOfState: false,
        actAuthorisationReference: null,
        actAuthorisationDate: null,
      };
}

export function minorDecisionOf(row: MinorDecisionColumns): MinorDecision | null {
  if (!row.minorDecisionAuthority || !row.minorDecisionReference || !row.minorDecisionDate) return null;
  return {
    authority: row.minorDecisionAuthority,
    reference: row.minorDecisionReference,
    date: row.minorDecisionDate,
    delegationExtent: row.delegationExtent ?? null,
    delegationCoversStay: row.delegationExtent === 'partial' ? (row.delegationCoversStay ?? null) : null,
    wardOfState: row.wardOfState ?? false,
    actAuthorisation: row.actAuthorisationReference && row.actAuthorisationDate ? { reference: row.actAuthorisationReference, date: row.actAuthorisationDate } : null,
  };
}

/**
 * C. civ. 377 al. 1, 377-1 al. 1: a partial délégation transfers only what the judgment names, the
 * parents keep the rest. When it does not delegate the child's admission and accompaniment in the
 * establishment, the parents kept that exercise: they sign the documents of the stay as they would
 * without the délégation — jointly (C. civ. 372 al. 1), or one alone only on the recorded ground and
 * proof of sole exercise (372 al. 2, 373, 373-1, 373-2-1; one parent on file proves nothing: the
 * policy refuses, PARENT_MISSING) —, and the délégataire, who holds no power for it, does not. The one rule the signature policy (libs/signing) and the template input
 * (libs/documents) both read, so that who signs and who the document names cannot disagree.
 * False for every other case (total or shared délégation, partial covering the stay, its reach not
 * recorded — the policy then refuses, DELEGATION_SCOPE_MISSING —, no délégation).
 */
export function delegationLeavesStayToParents(r: { parentalAuthority?: string | null; minorDecision?: MinorDecision | null }): boolean {
  return r.parentalAuthority === 'delegation' && r.minorDecision?.delegationExtent === 'partial' && r.minorDecision.delegationCoversStay === false;
}
