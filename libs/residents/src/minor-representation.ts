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
 *   aux affaires familiales (C. civ. 377, 377-1): total, the délégataire (a relative, a trusted third
 *   party, an establishment, the ASE) exercises the rights delegated; partial or shared (C. civ.
 *   377-1 al. 2), the parents keep what is not delegated and share the rest with the délégataire:
 *   both sign.
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

export const DELEGATION_EXTENTS = ['total', 'partial'] as const;
export type DelegationExtent = (typeof DELEGATION_EXTENTS)[number];

export const MINOR_ROLE_LABELS: Readonly<Record<MinorRole, string>> = {
  tuteur: 'tuteur du mineur',
  delegataire: 'délégataire de l’autorité parentale',
  service_gardien: 'service ou établissement à qui l’enfant est confié',
};

export const DELEGATION_EXTENT_LABELS: Readonly<Record<DelegationExtent, string>> = {
  total: 'totale',
  partial: 'partielle ou partagée avec les parents (C. civ. 377-1 al. 2)',
};

/** The decision behind the representative's power, as the file records it. */
export interface MinorDecision {
  /** Who took it: « Conseil de famille, TJ de Valville », « JAF, TJ de Valville », « Juge des enfants, TJ de Valville », « Préfet du Val ». */
  authority: string;
  /** Its reference (n° RG, minute, arrêté…). */
  reference: string;
  /** Its date, `YYYY-MM-DD`. */
  date: string;
  /** Délégation only: total, or partial / shared (C. civ. 377, 377-1). */
  delegationExtent?: DelegationExtent | null;
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
        wardOfState: d.wardOfState ?? false,
        actAuthorisationReference: d.actAuthorisation ? d.actAuthorisation.reference.trim() : null,
        actAuthorisationDate: d.actAuthorisation ? d.actAuthorisation.date : null,
      }
    : {
        minorDecisionAuthority: null,
        minorDecisionReference: null,
        minorDecisionDate: null,
        delegationExtent: null,
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
    wardOfState: row.wardOfState ?? false,
    actAuthorisation: row.actAuthorisationReference && row.actAuthorisationDate ? { reference: row.actAuthorisationReference, date: row.actAuthorisationDate } : null,
  };
}
