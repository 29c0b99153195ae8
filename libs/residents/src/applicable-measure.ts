import { measureStatus } from './resident-rules';
import type { MeasureType } from './residents.entities';

/**
 * How protective each measure is, from the lightest to the heaviest. C. civ. 440 grades the judicial
 * measures: curatelle only when a sauvegarde de justice is not enough (al. 2), tutelle only when
 * neither a sauvegarde nor a curatelle is (al. 4); the curatelle renforcée (C. civ. 472) adds the
 * management of income. The habilitation familiale and the mandat de protection future, which
 * represent the person for what they cover (C. civ. 494-1, 477), sit below the tutelle.
 */
export const MEASURE_PROTECTION_RANK: Readonly<Record<MeasureType, number>> = {
  sauvegarde_justice: 0,
  curatelle: 2,
  curatelle_renforcee: 3,
  habilitation_familiale: 4,
  mandat_protection_future: 5,
  tutelle: 6,
};

type DatedMeasure = Parameters<typeof measureStatus>[0] & { judgmentDate: string };

/**
 * The protection measure that applies on `on` (`YYYY-MM-DD`), for everything that acts on it: the
 * document's description of the person's situation (template input) and who signs (signature
 * policy). The rule:
 * - only a measure in force on that date counts (started — for a mandat de protection future, once
 *   given effect, C. civ. 481 — and not ended, C. civ. 441); none in force → null;
 * - when several are in force at once (a sauvegarde pending a tutelle, a renewal recorded before the
 *   old judgment's end), the most protective wins (MEASURE_PROTECTION_RANK, C. civ. 440): an act
 *   done under the lighter one would ignore the incapacity the heavier one organises, and the
 *   measure must cover the person and their interests as the judge set it (C. civ. 425);
 * - between two of the same rank, the most recent judgment.
 */
export function applicableMeasure<M extends DatedMeasure>(measures: readonly M[], on: string): M | null {
  let best: M | null = null;
  for (const m of measures) {
    if (measureStatus(m, on) !== 'active') continue;
    if (
      !best ||
      MEASURE_PROTECTION_RANK[m.type] > MEASURE_PROTECTION_RANK[best.type] ||
      (MEASURE_PROTECTION_RANK[m.type] === MEASURE_PROTECTION_RANK[best.type] && m.judgmentDate > best.judgmentDate)
    )
      best = m;
  }
  return best;
}
