import { HOLDER_ROLE_OF } from './resident-rules';
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
 * How a holder's conflict of interest with the establishment is resolved, the one rule the signature
 * policy (who signs) and the template input (what the document says and which slots it prints) both
 * follow. `conflicted`: the holders of the measure's role flagged as the establishment's préposé or
 * employed by it (C. civ. 451 al. 2; the flag is each holder's own, migration 1764100000000).
 * - `ad_hoc`: the tuteur or curateur ad hoc the judge appointed for the act signs in their place
 *   (C. civ. 455); the judge's decision for that act is followed, before a co-holder or the subrogé.
 * - `co_holders`: co-holders free of the tie (C. civ. 447 al. 2; 494-1 several habilitated relatives;
 *   477 several mandataires) exercise the measure and act for her (C. civ. 447 al. 3): they sign, the
 *   one in conflict does not; no subrogé is called in. `acting`: the measure's holders who still sign.
 * - `subroge`: every holder is in conflict; the subrogé curateur or tuteur assists or represents her
 *   (C. civ. 454 al. 5).
 * - `unresolved`: nobody recorded to act in their place: the document is refused
 *   (HOLDER_CONFLICT_OF_INTEREST) until the subrogé or the ad hoc appointment is recorded.
 *   `subrogeExists`: the measure has a subrogé in law (curatelle, tutelle: C. civ. 454).
 */
export type HolderConflictResolution =
  | { by: 'ad_hoc'; conflicted: Holder[]; adHoc: AdHoc }
  | { by: 'co_holders'; conflicted: Holder[]; free: Holder[]; acting: Holder[] }
  | { by: 'subroge'; conflicted: Holder[]; subroge: Subroge }
  | { by: 'unresolved'; conflicted: Holder[]; subrogeExists: boolean };

/**
 * The resolution for a measure (see HolderConflictResolution); null when no holder of the measure's
 * role is tied to the establishment. Whether the document at hand is concerned (an act with the
 * establishment that the measure reaches) is the caller's question: isActWithEstablishment, and the
 * signature policy's own reach of the measure (C. civ. 437, 459).
 */
export function resolveHolderConflict(m: Pick<MeasureView, 'type' | 'holders' | 'subroge' | 'adHoc'>): HolderConflictResolution | null {
  const role = HOLDER_ROLE_OF[m.type];
  const conflicted = m.holders.filter((h) => h.role === role && h.establishmentEmployee);
  if (!conflicted.length) return null;
  if (m.adHoc) return { by: 'ad_hoc', conflicted, adHoc: m.adHoc };
  const free = m.holders.filter((h) => h.role === role && !h.establishmentEmployee);
  if (free.length) return { by: 'co_holders', conflicted, free, acting: m.holders.filter((h) => !conflicted.includes(h)) };
  if (m.subroge) return { by: 'subroge', conflicted, subroge: m.subroge };
  return { by: 'unresolved', conflicted, subrogeExists: m.type === 'curatelle' || m.type === 'curatelle_renforcee' || m.type === 'tutelle' };
}
