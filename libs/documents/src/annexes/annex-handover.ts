import { type FieldError, formatDateFr } from '@carepact/common';
import type { DocumentType } from '../documents.entities';

/** The data say the documents were handed over on a day still to come (400, beside `data.annexesHandedOverOn`). */
export const ANNEX_HANDOVER_IN_FUTURE = 'ANNEX_HANDOVER_IN_FUTURE';

/**
 * CASF L.311-4: the livret d'accueil (with the charte des droits et libertés) and the règlement de
 * fonctionnement are handed over « lors de son accueil » and the contrat de séjour is concluded, or
 * the DIPC drawn up (D.311), with them: those two record the files handed over, always.
 */
const HANDED_OVER_WITH: readonly DocumentType[] = ['contrat-sejour', 'dipc'];

/** `document.annexesHandedOverOn` when the data give it as a day (`YYYY-MM-DD`), null otherwise. */
export function annexesHandedOverOnOf(document: unknown): string | null {
  const on = (document as { annexesHandedOverOn?: unknown } | null | undefined)?.annexesHandedOverOn;
  return typeof on === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : null;
}

/**
 * The day whose files in force a version records as handed over with it (document_versions.annexes),
 * or null when it records none:
 * - a contrat de séjour or a DIPC: the day its data say (`annexesHandedOverOn`), its creation day
 *   (`today`) when they do not say;
 * - an avenant: nothing is handed over with an avenant (CASF L.311-4 hands them over with the
 *   contract, at the admission), so only the day its data give explicitly, when the documents were
 *   handed over again with it; none otherwise — its evidence and the portal then say nothing of
 *   documents handed over (no « aucun fichier déposé » either);
 * - the other types hand nothing over.
 */
export function annexHandoverDay(type: DocumentType, document: unknown, today: string): string | null {
  const on = annexesHandedOverOnOf(document);
  if (HANDED_OVER_WITH.includes(type)) return on ?? today;
  if (type === 'avenant') return on;
  return null;
}

/**
 * A day of handing over still to come (after `today`, Europe/Paris) is refused: the version would
 * record as handed over files that are only planned, in force on a day that has not come (CASF
 * L.311-4: what was handed over, on the day it was). The error for the template path
 * `document.annexesHandedOverOn` (the request's `data.annexesHandedOverOn`), null when the day is fine.
 */
export function annexHandoverInFuture(document: unknown, today: string): FieldError | null {
  const on = annexesHandedOverOnOf(document);
  if (!on || on <= today) return null;
  return {
    field: 'document.annexesHandedOverOn',
    code: ANNEX_HANDOVER_IN_FUTURE,
    message:
      `La date de remise du livret d’accueil, de la charte et du règlement de fonctionnement ne peut pas être dans le futur (ici le ${formatDateFr(on)}) : ` +
      'indiquez le jour où ils ont été remis à la personne (CASF L.311-4). Si la remise est à venir, établissez le document ce jour-là.',
  };
}
