import { ConflictError, formatDateFr } from '@carepact/common';

export const RESIDENT_DECEASED = 'RESIDENT_DECEASED';

/**
 * Nothing new is established nor sent for signature for a person recorded as deceased
 * (`residents.deceased_on`, the end of the stay by death): her protection measure ended with her
 * (C. civ. 443 al. 1), so no representative signs for her any more, and her stay is over. Recording
 * the death cancels her open requests (RetentionService.recordDeparture); this refuses the next ones —
 * a new document, a new version (a correction), a preview, a new signature request (409
 * RESIDENT_DECEASED; the code review of session 20 found them still possible). What was signed before
 * stays: a paper signed before the death may still be uploaded, the seal and the archive go on.
 */
export function assertNotDeceased(resident: { deceasedOn?: string | null }, act: 'document' | 'signature'): void {
  if (!resident.deceasedOn) return;
  throw new ConflictError(
    RESIDENT_DECEASED,
    `La personne est décédée le ${formatDateFr(resident.deceasedOn)} : ${
      act === 'document' ? 'aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle' : 'aucune nouvelle demande de signature ne peut être envoyée pour elle'
    } (sa mesure de protection a pris fin avec elle, C. civ. art. 443).`,
  );
}
