import { DomainError, FieldError, formatDateFr, MEASURE_TYPE_LABELS } from '@carepact/common';
import { addMonthsIso, measureStatus, type MeasureType, type ResidentView } from '@carepact/residents';
import { SERVICES_WITHOUT_STAY } from '@carepact/identity';
import type { DocumentType } from './documents.entities';

export interface DocumentSituation {
  resident: Pick<ResidentView, 'stayType' | 'admissionDate' | 'plannedEndDate' | 'parentalAuthority' | 'minor'>;
  establishmentCategory: string;
  /** A contrat de séjour of this resident was refused (then the DIPC is required). */
  contractRefused: boolean;
  /**
   * A contrat de séjour or DIPC of this resident is signed (an avenant needs one). Left out by a
   * caller that checks it itself (the bulk run, with its own code).
   */
  contractSigned?: boolean;
  /**
   * A contrat de séjour of this admission not refused nor cancelled: `signed` (in force: a second one
   * is refused, CONTRACT_ALREADY_IN_FORCE) or `in_progress` (being generated, ready, in signature:
   * not refused — it may be abandoned for a new draft). Left out by a caller that does not create
   * a contract (the bulk run's avenants).
   */
  contractInForce?: 'signed' | 'in_progress' | null;
}

/**
 * CASF L.311-4 and D.311: the contract is concluded once for a stay; it is then amended by
 * avenant, never replaced by a second contract. A new admission (a new admission date on the file,
 * or a new file after a departure) has its own contract.
 */
export const CONTRACT_ALREADY_IN_FORCE = 'CONTRACT_ALREADY_IN_FORCE';
export const CONTRACT_ALREADY_IN_FORCE_MESSAGE = 'Un contrat de séjour est déjà signé : toute modification se fait par avenant (CASF L.311-4, D.311).';

/** CASF L.311-4: an avenant modifies a concluded contract (or DIPC); without one there is nothing to amend. */
export const AVENANT_WITHOUT_CONTRACT_MESSAGE = 'Aucun contrat de séjour ni DIPC signé : un avenant modifie un contrat conclu (CASF L.311-4). Faites d’abord signer le contrat.';
/** The same for a person whose document is the DIPC (CASF D.311 VII: its avenant is made as the DIPC was, established by the director). */
export const AVENANT_WITHOUT_DIPC_MESSAGE = 'Aucun DIPC établi : un avenant modifie un DIPC en vigueur (CASF D.311 VII). Faites d’abord établir le DIPC (signature de la direction).';

/** The avenant this person would get: to the DIPC when the DIPC is her document (CASF D.311), else to the contrat de séjour. */
export function avenantSubtypeFor(s: DocumentSituation): 'avenant-dipc' | null {
  return contractNotApplicableReason(s) ? 'avenant-dipc' : null;
}

/** Why a contrat de séjour does not apply, or null when it does. */
export function contractNotApplicableReason(s: DocumentSituation): { code: string; message: string } | null {
  const r = s.resident;
  if ((SERVICES_WITHOUT_STAY as readonly string[]).includes(s.establishmentCategory) || r.stayType === 'at_home')
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
  if (type === 'contrat-sejour' && s.contractInForce === 'signed') throw new DomainError('conflict', CONTRACT_ALREADY_IN_FORCE, CONTRACT_ALREADY_IN_FORCE_MESSAGE);
  if (type === 'avenant' && s.contractSigned === false)
    throw new DomainError('conflict', 'AVENANT_WITHOUT_SIGNED_CONTRACT', notApplicable ? AVENANT_WITHOUT_DIPC_MESSAGE : AVENANT_WITHOUT_CONTRACT_MESSAGE);
  if (type === 'dipc' && !notApplicable)
    throw new DomainError(
      'conflict',
      'DIPC_NOT_APPLICABLE',
      'Pour un séjour de plus de deux mois, le document à établir est le contrat de séjour ; le DIPC le remplace seulement si le contrat est refusé (CASF L.311-4, D.311).',
    );
}

/** What measureStatus needs of a measure (the resident file's view, or the demo fixture's). */
export interface DatedMeasureLike {
  type: MeasureType;
  startDate: string | null;
  endDate: string | null;
  judgmentDate: string;
  mandateEffectiveDate: string | null;
}

/**
 * A document is not generated for a person whose only measure on file has expired: the rendition
 * would either name as signer someone who no longer has standing, or describe the person as fully
 * capable, which nobody has checked (C. civ. 441 to 443: a measure ends at its term unless renewed).
 * The same code as the signature policy's refusal, so staff read one rule wherever they meet it.
 */
export function assertMeasureInForce(measures: readonly DatedMeasureLike[], on: string): void {
  const dated = measures.map((m) => ({ m, status: measureStatus(m, on) }));
  if (dated.some((d) => d.status === 'active')) return;
  const expired = dated.find((d) => d.status === 'expired');
  if (!expired) return;
  throw new DomainError(
    'conflict',
    'PROTECTION_MEASURE_EXPIRED',
    `La mesure de protection (${MEASURE_TYPE_LABELS[expired.m.type]}) a pris fin le ${formatDateFr(expired.m.endDate ?? '')} et aucun renouvellement ne figure au dossier : ` +
      'le document ne peut pas être établi. Mettez le dossier à jour (jugement de renouvellement ou de mainlevée, C. civ. 441 à 443).',
    [{ field: 'resident.protectionMeasures', code: 'PROTECTION_MEASURE_EXPIRED', message: 'Mesure arrivée à échéance.' }],
  );
}

/**
 * Who may take part in the person's stead when she did not take part herself: her legal
 * representative, and for a minor the parents holding parental authority. A relative who is not her
 * legal representative (`proche`) accompanies her; he never stands in for her.
 */
const LEGAL_REPRESENTATIVE = ['representant_legal'];
const MINOR_REPRESENTATIVE = ['representant_legal', 'parent'];

interface ParticipationInput {
  person?: { presence?: string };
  others?: { capacity?: string; presence?: string }[];
}

/** Whether someone can stand in for the person at all: a minor (her parents), or an adult under a protection measure in force. */
export interface ParticipationStanding {
  minor: boolean;
  /** An adult protection measure is in force on the day (her curateur, tuteur, mandataire… may take part). */
  underMeasure: boolean;
}

/**
 * CASF D.311: « La participation de la personne admise et, si nécessaire, de sa famille ou de son
 * représentant légal est obligatoirement requise pour l'établissement du contrat ou document, à
 * peine de nullité de celui-ci. » The person's own participation is the rule (CASF L.311-3 3°: her
 * informed consent is sought, and L.311-4); her family or representative come « si nécessaire », in
 * addition. When she did not take part herself, only her legal representative can stand in for her:
 * a capable adult has none (C. civ. 414: she exercises her rights alone), so nobody can — a relative,
 * whoever he is, may accompany her but not replace her; a minor's parents (C. civ. 371-1, 388-1) and
 * an adult's measure holder (C. civ. 440, 473, 477, 494-1) can. The contract, the DIPC and an avenant
 * (concluded in the same conditions, D.311 VII) are concerned. Returns the refusal, or null.
 */
export function participationError(
  type: DocumentType,
  document: { participation?: ParticipationInput } | undefined,
  standing: ParticipationStanding,
): FieldError | null {
  if (type !== 'contrat-sejour' && type !== 'dipc' && type !== 'avenant') return null;
  const p = document?.participation;
  // No participation block (a tariff avenant): the template says when one is required.
  if (!p || p.person?.presence === 'present') return null;
  if (!standing.minor && !standing.underMeasure)
    return {
      field: 'document.participation.person.presence',
      code: 'PARTICIPATION_REQUIRED',
      message:
        'La personne est majeure et n’a pas de mesure de protection : elle doit participer elle-même à l’établissement du document, sinon il est nul (CASF D.311, L.311-4). ' +
        'Un proche peut l’accompagner, il ne peut pas la remplacer : convenez d’un autre rendez-vous avec elle.',
    };
  const standsIn = standing.minor ? MINOR_REPRESENTATIVE : LEGAL_REPRESENTATIVE;
  if ((p.others ?? []).some((o) => o.presence === 'present' && standsIn.includes(o.capacity ?? ''))) return null;
  return {
    field: 'document.participation.others',
    code: 'PARTICIPATION_REQUIRED',
    message:
      `La personne n’a pas participé elle-même : ${standing.minor ? 'ses parents ou son représentant légal' : 'son représentant légal'} doit avoir été présent pour établir le document, ` +
      'sinon il est nul (CASF D.311). Un proche qui n’est pas son représentant légal ne peut pas la remplacer, et les professionnels seuls ne suffisent pas.',
  };
}
