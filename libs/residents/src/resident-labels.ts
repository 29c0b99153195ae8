import { agreeWithCivility, formatDateFr, type Civility } from '@carepact/common';
import type { MeasureScope, ParentalAuthority, StayType } from './residents.entities';

/**
 * The resident file's values in French, shared by the console (apps/api console/residents
 * resident-labels.ts re-exports them) and the person's own file in an access request's zip
 * (@carepact/archive person-file.tsx, RGPD art. 12.1 and 15.3: « sous une forme compréhensible »).
 */
export const STAY_TYPE_LABELS: Readonly<Record<StayType, string>> = {
  permanent: 'hébergement permanent',
  temporary: 'hébergement temporaire',
  day_care: 'accueil de jour',
  at_home: 'accompagnement à domicile',
};

/** C. civ. 372 s.: who exercises parental authority over a minor. */
export const PARENTAL_AUTHORITY_LABELS: Readonly<Record<ParentalAuthority, string>> = {
  shared: 'conjointe (les deux parents)',
  sole: 'exclusive (un seul parent)',
  court_measure: 'enfant confié par le juge des enfants (placement, C. civ. 375-3, 375-7)',
  delegation: 'délégation de l’autorité parentale par jugement (C. civ. 377, 377-1)',
  // A pupille de l'État is a case of tutelle (CASF L.224-1), shown from the decision, not in this label.
  tutelle: 'tutelle du mineur (C. civ. 390 s.)',
};

export const MEASURE_SCOPE_LABELS: Readonly<Record<MeasureScope, string>> = {
  personne: 'la personne',
  biens: 'les biens',
};

/**
 * The end of the stay in a few words, agreed with the person's civility (@carepact/common
 * agreeWithCivility; unknown civility: the masculine generic, as every title of the file):
 * « Décédée le 3 mars 2026 » when the accompaniment ended by her death (`deceasedOn`), « Partie le
 * 30 novembre 2026 » for a departure; null while she is accompanied.
 */
export function endOfStayText(r: { departedOn: string | null; deceasedOn?: string | null; civility?: Civility | null }): string | null {
  if (r.deceasedOn) return agreeWithCivility(`Décédé le ${formatDateFr(r.deceasedOn)}`, r.civility);
  if (r.departedOn) return agreeWithCivility(`Parti le ${formatDateFr(r.departedOn)}`, r.civility);
  return null;
}

/**
 * After a death, the end of the accompaniment when it is another day (migration 1764290000000): she
 * had left before (hospital, another establishment), or the room was vacated later — the exit date of
 * an EHPAD is the date of the contradictory état des lieux (CASF R.314-149 I). « Sortie le … »; null
 * when there is no death or both are the same day.
 */
export function exitAfterDeathText(r: { departedOn: string | null; deceasedOn?: string | null }): string | null {
  return r.deceasedOn && r.departedOn && r.departedOn !== r.deceasedOn ? `Sortie le ${formatDateFr(r.departedOn)}` : null;
}
