import { DomainError } from '@carepact/common';
import { addMonthsIso, type ResidentView } from '@carepact/residents';
import type { DocumentType } from './documents.entities';

/** Services without accommodation, for which the DIPC is the document (CASF D.311 II). */
const SERVICES_WITHOUT_STAY = ['SAAD', 'SSIAD', 'SPASAD', 'SESSAD', 'SAVS', 'SAMSAH', 'SAAD/SSIAD'];

export interface DocumentSituation {
  resident: Pick<ResidentView, 'stayType' | 'admissionDate' | 'plannedEndDate' | 'parentalAuthority' | 'minor'>;
  establishmentCategory: string;
  /** A contrat de séjour of this resident was refused (then the DIPC is required). */
  contractRefused: boolean;
}

/** Why a contrat de séjour does not apply, or null when it does. */
export function contractNotApplicableReason(s: DocumentSituation): { code: string; message: string } | null {
  const r = s.resident;
  if (SERVICES_WITHOUT_STAY.includes(s.establishmentCategory.toUpperCase()) || r.stayType === 'at_home')
    return { code: 'CONTRACT_NOT_APPLICABLE_NO_STAY', message: 'Pour un accompagnement sans hébergement ou à domicile, le document à établir est le DIPC (CASF D.311).' };
  // CASF D.311: the contract is required for a planned stay of more than two months.
  if (r.stayType === 'temporary' && r.plannedEndDate && r.plannedEndDate <= addMonthsIso(r.admissionDate, 2))
    return {
      code: 'CONTRACT_NOT_APPLICABLE_SHORT_STAY',
      message: 'Le séjour prévu dure deux mois ou moins : le document à établir est le DIPC, pas un contrat de séjour (CASF D.311).',
    };
  if (r.minor && r.parentalAuthority === 'court_measure')
    return {
      code: 'CONTRACT_NOT_APPLICABLE_COURT_MEASURE',
      message: 'Pour un mineur accueilli au titre d’une mesure éducative judiciaire, le document à établir est le DIPC (CASF D.311).',
    };
  if (s.contractRefused)
    return {
      code: 'CONTRACT_REFUSED_USE_DIPC',
      message: 'Le contrat de séjour a été refusé : la loi prévoit alors un DIPC (CASF D.311). Créez le DIPC de ce résident.',
    };
  return null;
}

/** Checks the document type against the resident's situation; throws a DomainError with a clear message. */
export function assertDocumentTypeApplies(type: DocumentType, s: DocumentSituation): void {
  const notApplicable = contractNotApplicableReason(s);
  if (type === 'contrat-sejour' && notApplicable) throw new DomainError('conflict', notApplicable.code, notApplicable.message);
  if (type === 'dipc' && !notApplicable)
    throw new DomainError(
      'conflict',
      'DIPC_NOT_APPLICABLE',
      'Pour un séjour de plus de deux mois, le document à établir est le contrat de séjour ; le DIPC le remplace seulement si le contrat est refusé (CASF L.311-4, D.311).',
    );
}
