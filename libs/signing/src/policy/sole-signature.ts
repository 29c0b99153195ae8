import { MEASURE_TYPE_LABELS } from '@carepact/common';
import { applicableMeasure, isMinor, type MeasureMode, type MeasureView, type ResidentView } from '@carepact/residents';
import type { PolicyDocumentType } from './policy.types';
import { DOCUMENT_RULES } from './signature-policy';

/** The judge's authorisation to sign alone does not fit the person's measure or the document (409). */
export const SOLE_SIGNATURE_NOT_APPLICABLE = 'SOLE_SIGNATURE_NOT_APPLICABLE';

/** The mode a measure gives its holder: fixed by law for the curatelles, chosen by the judgment for an habilitation familiale. */
function modeOf(m: MeasureView): MeasureMode | null {
  if (m.type === 'curatelle' || m.type === 'curatelle_renforcee') return 'assistance';
  if (m.type === 'habilitation_familiale') return m.mode;
  return null;
}

/**
 * Why the judge's authorisation for the person to sign this document alone (C. civ. 469 al. 3) does
 * not apply to her on `on`, in French; null when it does. It answers an assistant's refusal to
 * assist her in one act, so it needs a measure of assistance on that day — a curatelle, a curatelle
 * renforcée whose curateur is not himself authorised to sign the accommodation agreement alone
 * (C. civ. 472), an habilitation familiale in assistance (C. civ. 494-1 al. 2, which refers to 467) —
 * and an act the assistant is called to: the contract, its avenants, the DIPC.
 */
export function soleSignatureNotApplicable(resident: ResidentView, documentType: PolicyDocumentType, on: string): string | null {
  const rule = DOCUMENT_RULES[documentType];
  if (!rule.accommodationAgreement)
    return `L’autorisation du juge de signer seule (C. civ. 469) s’enregistre sur le contrat de séjour, un avenant ou le DIPC, pas sur ${rule.label}.`;
  if (isMinor(resident.birthDate, on)) return 'La personne est mineure : ses parents ou son représentant signent pour elle ; l’autorisation de signer seule (C. civ. 469) ne la concerne pas.';
  const m = applicableMeasure(resident.protectionMeasures, on);
  if (!m) return 'Aucune mesure de protection n’est en vigueur au dossier : la personne signe seule, sans autorisation du juge.';
  const label = MEASURE_TYPE_LABELS[m.type];
  if (modeOf(m) !== 'assistance')
    return `La mesure de protection en vigueur (${label}) n’est pas une mesure d’assistance : l’autorisation de signer seule après un refus d’assistance (C. civ. 469) ne s’y applique pas.`;
  if (m.type === 'curatelle_renforcee' && m.judgeAuthorisesHolderAlone && m.authorisationReference)
    return 'Le juge a autorisé le curateur à signer seul ce document (C. civ. 472) : l’autorisation de la personne à signer seule (C. civ. 469) ne s’y ajoute pas. Si la situation a changé, saisissez le juge, puis mettez la mesure à jour au dossier.';
  return null;
}
