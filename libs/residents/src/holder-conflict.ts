import { HOLDER_ROLE_OF } from './resident-rules';
import type { MeasureScope } from './residents.entities';
import type { MeasureView } from './residents.types';

type Holder = MeasureView['holders'][number];
type Subroge = NonNullable<MeasureView['subroge']>;
type AdHoc = NonNullable<MeasureView['adHoc']>;

/**
 * The documents that are acts between the person and the establishment: the contrat de séjour, its
 * avenants (the annex on the freedom to come and go included) and the DIPC (CASF L.311-4, D.311). For
 * them a holder who is the establishment's préposé (C. civ. 451 al. 2) has interests opposed to the
 * person's (C. civ. 454 al. 5, 455). The projet personnalisé and the minutes concern her support
 * (CASF L.311-3 7°): the holder signs them as usual. The signature policy's rules flag the same
 * documents (accommodationAgreement or actWithEstablishment; holder-conflict-agreement.spec.ts).
 */
export const ACTS_WITH_ESTABLISHMENT = ['contrat-sejour', 'avenant', 'dipc'] as const;

export function isActWithEstablishment(documentType: string | null | undefined): boolean {
  return (ACTS_WITH_ESTABLISHMENT as readonly (string | null | undefined)[]).includes(documentType);
}

/**
 * The domains a document touches, for a measure the judge divided between a holder in charge of the
 * person and one in charge of the property (C. civ. 447 al. 3): whose mission it concerns, so who signs.
 * - The contrat de séjour, its avenants and the DIPC decide where she lives — a decision relating to
 *   her person (C. civ. 459-2: the choice of residence; 459) — and commit her money (the price and
 *   its conditions, CASF L.311-4, L.342-1 s., D.311): both.
 * - The tariff avenant (`purpose: 'tarifs'`) only changes the price in force (CASF L.342-2 s.,
 *   L.314-1): the property only.
 * - The annex on the freedom to come and go (`liberte-aller-venir`, CASF L.311-4-1) restricts her
 *   freedom for her safety, a decision relating to her person (C. civ. 457-1, 459): the person only.
 * - The projet personnalisé and the minutes concern her support (CASF L.311-3 3° and 7°): the person only.
 * Under a measure that is not divided this changes nothing: every holder's mission is the whole measure.
 */
export function actDomains(documentType: string | null | undefined, purpose?: string | null): readonly MeasureScope[] {
  if (documentType === 'avenant' && purpose === 'tarifs') return ['biens'];
  if (documentType === 'avenant' && purpose === 'liberte-aller-venir') return ['personne'];
  if (documentType === 'contrat-sejour' || documentType === 'avenant' || documentType === 'dipc') return ['personne', 'biens'];
  return ['personne'];
}

/** A holder's mission (C. civ. 447 al. 3) within the measure's scope; none recorded: the measure's scope (447 al. 2). */
export function holderMission(m: Pick<MeasureView, 'scope'>, h: { mission?: readonly MeasureScope[] | null }): MeasureScope[] {
  return h.mission?.length ? m.scope.filter((s) => h.mission!.includes(s)) : [...m.scope];
}

/** The judge divided the measure (C. civ. 447 al. 3): a holder of its role is in charge of part of its scope only. */
export function isDividedMeasure(m: Pick<MeasureView, 'type' | 'scope' | 'holders'>): boolean {
  const role = HOLDER_ROLE_OF[m.type];
  return m.holders.some((h) => h.role === role && holderMission(m, h).length < m.scope.length);
}

/**
 * The holders of the measure's role who act for a document: under a divided measure, those whose
 * mission the act concerns (C. civ. 447 al. 3-4: each acts within his own, independent of the
 * other); otherwise all of them. `domains`: actDomains of the document.
 */
export function holdersForAct<H extends MeasureView['holders'][number]>(m: Pick<MeasureView, 'type' | 'scope'> & { holders: H[] }, domains: readonly MeasureScope[]): H[] {
  const role = HOLDER_ROLE_OF[m.type];
  const divided = isDividedMeasure(m);
  const acting = m.holders.filter((h) => h.role === role && (!divided || holderMission(m, h).some((s) => domains.includes(s))));
  // One order for the policy's signers and the template's slots: the holder in charge of the person
  // first (he is the one the documents name as her representative for her person, C. civ. 459).
  return divided ? [...acting.filter((h) => holderMission(m, h).includes('personne')), ...acting.filter((h) => !holderMission(m, h).includes('personne'))] : acting;
}

/**
 * A holder's title: the role's (« tuteur », « personne habilitée »), followed by his mission when it
 * is part of the measure only — « tuteur chargé de la protection de la personne », « tuteur chargé
 * de la gestion patrimoniale »: the words of C. civ. 447 al. 3 (« curateur ou tuteur chargé de la
 * protection de la personne », « chargé de la gestion patrimoniale »).
 */
export function holderMissionTitle(title: string, m: Pick<MeasureView, 'scope'>, h: { mission?: readonly MeasureScope[] | null }): string {
  const mission = holderMission(m, h);
  if (mission.length !== 1 || mission.length === m.scope.length) return title;
  const charged = title.startsWith('personne') ? 'chargée' : 'chargé';
  return `${title} ${charged} ${mission[0] === 'personne' ? 'de la protection de la personne' : 'de la gestion patrimoniale'}`;
}

/**
 * How a holder's conflict of interest with the establishment is resolved, the one rule the signature
 * policy (who signs) and the template input (what the document says and which slots it prints) both
 * follow. `conflicted`: the holders of the measure's role flagged as the establishment's préposé or
 * employed by it (C. civ. 451 al. 2; the flag is each holder's own, migration 1764100000000) — under
 * a divided measure (C. civ. 447 al. 3), only those whose mission the act concerns (holdersForAct).
 * - `ad_hoc`: the tuteur or curateur ad hoc the judge appointed for the act signs in their place
 *   (C. civ. 455); the judge's decision for that act is followed, before a co-holder or the subrogé.
 * - `co_holders`: co-holders free of the tie (C. civ. 447 al. 2; 494-1 several habilitated relatives;
 *   477 several mandataires) exercise the measure and act for her: they sign, the one in conflict
 *   does not; no subrogé is called in. Only if their missions cover what the one in conflict did for
 *   this act (C. civ. 447 al. 3-4: a holder in charge of the property has no power over her person,
 *   nor the reverse). `acting`: the measure's holders who still sign.
 * - `subroge`: no co-holder free of the tie covers it; the subrogé curateur or tuteur assists or
 *   represents her in the conflicted holder's place (C. civ. 454 al. 5). `acting`: the co-holders free
 *   of the tie whose own mission the act concerns and who still sign beside him (a divided measure;
 *   empty otherwise).
 * - `unresolved`: nobody recorded to act in their place: the document is refused
 *   (HOLDER_CONFLICT_OF_INTEREST) until the subrogé or the ad hoc appointment is recorded.
 *   `subrogeExists`: the measure has a subrogé in law (curatelle, tutelle: C. civ. 454).
 */
export type HolderConflictResolution =
  | { by: 'ad_hoc'; conflicted: Holder[]; adHoc: AdHoc }
  | { by: 'co_holders'; conflicted: Holder[]; free: Holder[]; acting: Holder[] }
  | { by: 'subroge'; conflicted: Holder[]; subroge: Subroge; acting: Holder[] }
  | { by: 'unresolved'; conflicted: Holder[]; subrogeExists: boolean };

/**
 * The resolution for a measure (see HolderConflictResolution); null when no holder of the measure's
 * role who acts for the document is tied to the establishment. Whether the document at hand is
 * concerned (an act with the establishment that the measure reaches) is the caller's question:
 * isActWithEstablishment, and the signature policy's own reach of the measure (C. civ. 437, 459).
 * `domains`: the document's (actDomains); they matter only under a divided measure (C. civ. 447 al. 3).
 */
export function resolveHolderConflict(
  m: Pick<MeasureView, 'type' | 'scope' | 'holders' | 'subroge' | 'adHoc'>,
  domains: readonly MeasureScope[] = ['personne', 'biens'],
): HolderConflictResolution | null {
  const acts = holdersForAct(m, domains);
  const conflicted = acts.filter((h) => h.establishmentEmployee);
  if (!conflicted.length) return null;
  if (m.adHoc) return { by: 'ad_hoc', conflicted, adHoc: m.adHoc };
  const free = acts.filter((h) => !h.establishmentEmployee);
  // What the holders in conflict did for this act, that a co-holder must be in charge of to act alone.
  const needed = new Set(conflicted.flatMap((h) => holderMission(m, h).filter((s) => domains.includes(s))));
  const covered = new Set(free.flatMap((h) => holderMission(m, h)));
  if (free.length && [...needed].every((s) => covered.has(s))) return { by: 'co_holders', conflicted, free, acting: m.holders.filter((h) => !conflicted.includes(h)) };
  if (m.subroge) return { by: 'subroge', conflicted, subroge: m.subroge, acting: free };
  return { by: 'unresolved', conflicted, subrogeExists: m.type === 'curatelle' || m.type === 'curatelle_renforcee' || m.type === 'tutelle' };
}
