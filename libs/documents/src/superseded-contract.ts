/**
 * A draft contrat de séjour superseded: another contract of the same stay (the same admission, as
 * DocumentsRepository.otherContractsOfAdmission reads it) is signed. There is one contract per stay,
 * amended by avenant (CASF L.311-4, D.311): the draft can no longer be corrected (a new version is
 * refused, 409 CONTRACT_ALREADY_IN_FORCE) nor sent for signature (the same 409,
 * libs/signing contract-in-force.ts). Nothing about it is « à faire »: staff may only abandon it
 * (DocumentsService.discardSupersededContract, DOCUMENT_TRANSITIONS.discarded).
 */

/** Refused: the document is not a draft (in signature, signed, refused, cancelled or being generated). */
export const DOCUMENT_NOT_A_DRAFT = 'DOCUMENT_NOT_A_DRAFT';
/**
 * Refused: no other contract of the stay is signed and the person is alive — a draft that may still be
 * corrected and sent (any type: only a superseded contract, or a deceased person's draft, is abandoned).
 */
export const CONTRACT_NOT_SUPERSEDED = 'CONTRACT_NOT_SUPERSEDED';

/** The audit action of a draft abandoned (history-labels.ts names it). */
export const DOCUMENT_DISCARDED_ACTION = 'document.discarded';
/** Why a draft contract was abandoned, recorded with the audit event. */
export const SUPERSEDED_CONTRACT_REASON = 'Un autre contrat de séjour est signé pour ce séjour (CASF L.311-4, D.311 : un contrat par séjour, modifié par avenant).';
/**
 * Why a deceased person's draft (any type, never sent) was abandoned, recorded with the audit event:
 * after the death nothing new is established nor sent for her, her measure having ended with her
 * (C. civ. 443 al. 1, resident-deceased.ts), so the draft would otherwise stay « prêt » for ever.
 */
export const deceasedDraftReason = (deceasedFr: string) => `La personne est décédée le ${deceasedFr} : ce projet, jamais envoyé en signature, est abandonné (C. civ. art. 443).`;

/** SQL: the admission a contract's version `v` names (`resident.admissionDate`), else its resident `r`'s file's — how one stay's contracts are matched. */
export const contractAdmissionSql = (v: string, r: string) => `COALESCE(${v}.input #>> '{resident,admissionDate}', ${r}.admission_date::text)`;

/** The statuses of a contract not sent for signature (being generated, ready, failed) or abandoned: those a signed contract of the stay supersedes. */
export const SUPERSEDABLE_CONTRACT_STATUSES = ['generating', 'ready', 'generation_failed', 'cancelled'] as const;

/** SQL: the signed contrats de séjour of the stay of the document aliased `d`, other than it (aliased `sc_o`), selecting `select`. */
function signedContractsOfStaySql(d: string, select: string): string {
  return `SELECT ${select} FROM documents sc_o JOIN residents sc_r ON sc_r.id = sc_o.resident_id
              LEFT JOIN document_versions sc_ov ON sc_ov.id = sc_o.current_version_id
              LEFT JOIN document_versions sc_dv ON sc_dv.id = ${d}.current_version_id
             WHERE sc_o.resident_id = ${d}.resident_id AND sc_o.id <> ${d}.id AND sc_o.type = 'contrat-sejour' AND sc_o.status = 'signed'
               AND ${contractAdmissionSql('sc_ov', 'sc_r')} = ${contractAdmissionSql('sc_dv', 'sc_r')}`;
}

/**
 * SQL, true when the document aliased `d` is a contrat de séjour another contract of whose stay is
 * signed: the admission being the date its current version names (`resident.admissionDate`), else the
 * resident's file's — as otherContractsOfAdmission compares them.
 */
export function supersededContractSql(d: string): string {
  return `(${d}.type = 'contrat-sejour' AND EXISTS (
            ${signedContractsOfStaySql(d, '1')}))`;
}

/**
 * SQL, the id of the signed contrat de séjour of the stay of the document aliased `d` (the earliest
 * signed, should there be more than one), NULL when `d` is not a contract so superseded — the same
 * matching as supersededContractSql. GET /api/documents' `supersededBy`, one statement for the list.
 */
export function supersedingContractIdSql(d: string): string {
  return `(CASE WHEN ${d}.type = 'contrat-sejour' THEN (
            ${signedContractsOfStaySql(d, 'sc_o.id')}
             ORDER BY sc_o.created_at, sc_o.id LIMIT 1) END)`;
}
