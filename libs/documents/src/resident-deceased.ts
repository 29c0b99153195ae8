import { ConflictError, formatDateFr } from '@carepact/common';

export const RESIDENT_DECEASED = 'RESIDENT_DECEASED';

/** The one kind still established after a death, for a meeting held before it: the minutes of a réunion de synthèse. */
const MINUTES = 'compte-rendu-synthese';

/** A calendar date `AAAA-MM-JJ` that exists. */
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/**
 * Nothing new is established nor sent for signature for a person recorded as deceased
 * (`residents.deceased_on`, the end of the stay by death): her protection measure ended with her
 * (C. civ. 443 al. 1), so no representative signs for her any more, and her stay is over. Recording
 * the death cancels her open requests her side had not all signed (RetentionService.recordDeparture,
 * SignatureRequestsService.cancelForDeparture; the others stay for the director's countersignature,
 * C. civ. 1121); this refuses the next ones — a new document, a new version (a correction), a
 * preview, a new signature request (409 RESIDENT_DECEASED). What was signed before stays: a paper
 * signed before the death may still be uploaded, the seal and the archive go on.
 *
 * One exception (the sector lawyer's review of session 20): the compte rendu of a réunion de synthèse
 * held on or before the day of the death (`meetingDate`, its data `date`) records past facts; it is
 * established by the establishment, the person's side only acknowledging it, optionally
 * (signature-policy DOCUMENT_RULES). It may still be written, corrected while unsigned, previewed and
 * sent for the director's signature alone (the policy's `deceasedOn`: no one signs on her side any
 * more, C. civ. 443 al. 1). A meeting after the death — or without a valid date — stays refused.
 */
export function assertNotDeceased(resident: { deceasedOn?: string | null }, act: 'document' | 'signature', subject?: { type: string; meetingDate?: unknown }): void {
  const died = resident.deceasedOn;
  if (!died) return;
  if (subject?.type === MINUTES) {
    if (isDay(subject.meetingDate) && subject.meetingDate <= died) return;
    throw new ConflictError(
      RESIDENT_DECEASED,
      isDay(subject.meetingDate)
        ? `La personne est décédée le ${formatDateFr(died)} : la réunion du ${formatDateFr(subject.meetingDate)} a eu lieu après son décès, son compte rendu ne peut pas être établi pour elle. Seul le compte rendu d’une réunion tenue au plus tard le jour du décès peut l’être.`
        : `La personne est décédée le ${formatDateFr(died)} : seul le compte rendu d’une réunion tenue au plus tard le jour du décès peut être établi pour elle ; indiquez la date de la réunion (AAAA-MM-JJ).`,
    );
  }
  throw new ConflictError(
    RESIDENT_DECEASED,
    `La personne est décédée le ${formatDateFr(died)} : ${
      act === 'document' ? 'aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle' : 'aucune nouvelle demande de signature ne peut être envoyée pour elle'
    } (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).`,
  );
}

/**
 * What assertNotDeceased refuses `act` on `subject` with (its French message), or null when it allows
 * it — the person alive, or the minutes of a meeting held on or before her death. The one rule, for
 * the pages and lists that say beforehand what a request would get (DocumentsService.deceasedRefusals,
 * GET /api/documents' `generationError.retryable`, the worklist's drafts to abandon).
 */
export function deceasedRefusalOf(resident: { deceasedOn?: string | null }, act: 'document' | 'signature', subject?: { type: string; meetingDate?: unknown }): string | null {
  try {
    assertNotDeceased(resident, act, subject);
    return null;
  } catch (e) {
    if (e instanceof ConflictError) return e.messageFr;
    throw e;
  }
}

/** The subject a document's current version makes for assertNotDeceased: its type and, for the minutes, its data's meeting `date`. */
export const deceasedSubjectOf = (type: string, input: unknown): { type: string; meetingDate?: unknown } => ({
  type,
  meetingDate: (input as { document?: { date?: unknown } } | null | undefined)?.document?.date,
});
