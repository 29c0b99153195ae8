import { MEASURE_TYPE_LABELS } from '@carepact/common';
import { applicableMeasure, isMinor, type MeasureMode, type MeasureView, type ResidentView } from '@carepact/residents';
import type { MeasureReference, PolicyDocumentType } from './policy.types';
import { DOCUMENT_RULES } from './signature-policy';
import { soleSignatureLaw, type SoleSignatureLaw } from './sole-signature-law';

/** The judge's authorisation to sign alone does not fit the person's measure or the document (409). */
export const SOLE_SIGNATURE_NOT_APPLICABLE = 'SOLE_SIGNATURE_NOT_APPLICABLE';
/** The authorisation was given under another protection measure than the one in effect (a new judgment since). */
export const SOLE_SIGNATURE_MEASURE_CHANGED = 'SOLE_SIGNATURE_MEASURE_CHANGED';
/** The authorisation answers the refusal of one version of the document; the version to send is another one. */
export const SOLE_SIGNATURE_OTHER_VERSION = 'SOLE_SIGNATURE_OTHER_VERSION';

/** The mode a measure gives its holder: fixed by law for the curatelles, chosen by the judgment for an habilitation familiale. */
function modeOf(m: MeasureView): MeasureMode | null {
  if (m.type === 'curatelle' || m.type === 'curatelle_renforcee') return 'assistance';
  if (m.type === 'habilitation_familiale') return m.mode;
  return null;
}

/**
 * Why the judge's authorisation for the person to sign this document alone (C. civ. 469 al. 3;
 * 494-1 al. 1 and 494-10 for an habilitation familiale) does not apply to her on `on`, in French;
 * null when it does. It answers an assistant's refusal to assist her in one act, so it needs a
 * measure of assistance on that day — a curatelle, a curatelle renforcée whose curateur is not
 * himself authorised to sign the accommodation agreement alone (C. civ. 472), an habilitation
 * familiale in assistance (C. civ. 494-1 al. 1, which refers to 467) — and an act the assistant is
 * called to: the contract, its avenants, the DIPC.
 */
export function soleSignatureNotApplicable(resident: ResidentView, documentType: PolicyDocumentType, on: string): string | null {
  const rule = DOCUMENT_RULES[documentType];
  const m = applicableMeasure(resident.protectionMeasures, on);
  const law = soleSignatureLaw(m?.type);
  if (!rule.accommodationAgreement)
    return `L’autorisation du juge de signer seule (${law.cite}) s’enregistre sur le contrat de séjour, un avenant ou le DIPC, pas sur ${rule.label}.`;
  if (isMinor(resident.birthDate, on)) return 'La personne est mineure : ses parents ou son représentant signent pour elle ; l’autorisation du juge de signer seule (C. civ. 469) ne la concerne pas.';
  if (!m) return 'Aucune mesure de protection n’est en vigueur au dossier : la personne signe seule, sans autorisation du juge.';
  const label = MEASURE_TYPE_LABELS[m.type];
  if (modeOf(m) !== 'assistance')
    return `La mesure de protection en vigueur (${label}) n’est pas une mesure d’assistance : l’autorisation du juge de signer seule après un refus d’assistance (${law.cite}) ne s’y applique pas.`;
  if (m.type === 'curatelle_renforcee' && m.judgeAuthorisesHolderAlone && m.authorisationReference)
    return 'Le juge a autorisé le curateur à signer seul ce document (C. civ. 472) : l’autorisation du juge pour la personne de signer seule (C. civ. 469) ne s’y ajoute pas. Si la situation a changé, saisissez le juge, puis mettez la mesure à jour au dossier.';
  return null;
}

/**
 * What defines the judgment a measure rests on, as the refused request recorded it (its decision's
 * MeasureReference): the kind of measure, the court, the judgment's reference and date.
 */
export type MeasureJudgment = Pick<MeasureReference, 'type' | 'court' | 'judgmentReference' | 'judgmentDate'>;

/** What of a recorded authorisation decides whether it still applies: the measure and the version it was given for. */
export interface SoleSignatureScope {
  /** The measure the refusal was made under. */
  measureId: string;
  /**
   * That measure's judgment as it stood at the refusal (the refused request's decision, written
   * once). The file edits a measure in place (same row id, PATCH): a judgment whose reference, date,
   * court or kind has changed since is another judgment as far as the file can tell. Null when the
   * refused request did not record it (the measure id alone is then compared).
   */
  judgment?: MeasureJudgment | null;
  /** The version whose assistance was refused (the act the judge authorised), and its number. */
  versionId: string;
  versionNumber: number;
}

/** Where the document stands now: its person, its type, the day, and the version that would be sent. */
export interface SoleSignatureNow {
  resident: ResidentView;
  documentType: PolicyDocumentType;
  on: string;
  version: { id: string; number: number } | null;
}

/**
 * Why a judge's authorisation for the person to sign alone is not to be relied on now (stable code,
 * French message), null when it is. Run when it is recorded (`when: 'record'`: the refusal's measure
 * and version) and every time the signers are decided (`'send'`: the recorded ones), because the
 * ordonnance authorises one act under one measure:
 * - it must still fit her measure and the document (soleSignatureNotApplicable: a measure of
 *   representation since, the curateur authorised alone under C. civ. 472, the measure ended…);
 * - the measure in effect must be the one it was given under: a new judgment (another measure, a new
 *   curateur) calls the assistant it names, who has refused nothing;
 * - the version sent must be the one whose assistance was refused: the judge authorised that
 *   content, not a later version (another price…), which goes to the assistant again.
 */
export function soleSignatureSetAside(scope: SoleSignatureScope, now: SoleSignatureNow, when: 'record' | 'send' = 'send'): { code: string; message: string } | null {
  const notApplicable = soleSignatureNotApplicable(now.resident, now.documentType, now.on);
  const intro = when === 'send' ? 'L’autorisation du juge enregistrée n’est pas retenue : ' : '';
  if (notApplicable) return { code: SOLE_SIGNATURE_NOT_APPLICABLE, message: intro + (when === 'send' ? lowerFirst(notApplicable) : notApplicable) };
  const m = applicableMeasure(now.resident.protectionMeasures, now.on)!;
  const law = soleSignatureLaw(m.type);
  if (m.id !== scope.measureId)
    return {
      code: SOLE_SIGNATURE_MEASURE_CHANGED,
      message:
        when === 'send'
          ? `L’autorisation du juge a été enregistrée sous une autre mesure de protection que celle en vigueur (${MEASURE_TYPE_LABELS[m.type]}) : elle n’est plus retenue. ` +
            `${capitalise(law.assistant)} que désigne la mesure en vigueur est ${law.called} à assister la personne ; ${ifRefuses(law)}, la personne peut saisir de nouveau le juge (${law.basis}).`
          : `Le refus d’assistance a été fait sous une autre mesure de protection que celle en vigueur (${MEASURE_TYPE_LABELS[m.type]}) : envoyez de nouveau le document en signature ; ` +
            `si ${law.assistant} que désigne la mesure en vigueur refuse son assistance, enregistrez alors l’ordonnance du juge (${law.basis}).`,
    };
  // The same row, its judgment edited since the refusal: another judgment (a renewal, a new curateur
  // typed over the old one) or a correction, the file cannot tell which; the safer reading is that
  // the ordonnance was given under the judgment as it was, and the assistant the measure now names is
  // called again (C. civ. 469 al. 3: the judge authorises one act refused under one measure).
  if (scope.judgment && judgmentChanged(scope.judgment, m))
    return {
      code: SOLE_SIGNATURE_MEASURE_CHANGED,
      message:
        when === 'send'
          ? `L’autorisation du juge n’est plus retenue : le jugement de la mesure de protection en vigueur (${MEASURE_TYPE_LABELS[m.type]}) a été modifié au dossier depuis le refus d’assistance ` +
            `(sa référence, sa date, sa juridiction ou la nature de la mesure). ${capitalise(law.assistant)} que désigne la mesure en vigueur est ${law.called} à assister la personne ; ${ifRefuses(law)}, la personne peut saisir de nouveau le juge (${law.basis}).`
          : `Le jugement de la mesure de protection a été modifié au dossier depuis le refus d’assistance (sa référence, sa date, sa juridiction ou la nature de la mesure) : ` +
            `envoyez de nouveau le document en signature ; si ${law.assistant} que désigne la mesure en vigueur refuse son assistance, enregistrez alors l’ordonnance du juge (${law.basis}).`,
    };
  if (!now.version || now.version.id !== scope.versionId) {
    const doc = ofDocument(DOCUMENT_RULES[now.documentType].label);
    const current = now.version ? `la version ${now.version.number}` : 'une autre version';
    return {
      code: SOLE_SIGNATURE_OTHER_VERSION,
      message:
        when === 'send'
          ? `L’autorisation du juge porte sur la version ${scope.versionNumber} ${doc}, celle dont ${law.assistant} a refusé l’assistance ; pour une nouvelle version (ici ${current}), ` +
            `${law.assistant} est de nouveau ${law.called} à assister la personne et signe avec elle ; ${ifRefuses(law)}, la personne peut saisir de nouveau le juge (${law.basis}).`
          : `${capitalise(law.assistant)} a refusé son assistance sur la version ${scope.versionNumber} ${doc} ; le document en est à ${current} : l’autorisation du juge ne la couvrirait pas. ` +
            `Envoyez cette version en signature ; si ${law.assistant} refuse son assistance, enregistrez alors l’ordonnance du juge (${law.basis}).`,
    };
  }
  return null;
}

/** Whether the measure's judgment is no longer the one recorded at the refusal (its kind, court, reference or date). */
function judgmentChanged(at: MeasureJudgment, m: MeasureView): boolean {
  return at.type !== m.type || at.court !== m.court || at.judgmentReference !== m.judgmentReference || String(at.judgmentDate).slice(0, 10) !== String(m.judgmentDate).slice(0, 10);
}

/** « le contrat de séjour » → « du contrat de séjour »; « l’avenant … » → « de l’avenant … ». */
function ofDocument(the: string): string {
  return the.startsWith('le ') ? `du ${the.slice(3)}` : `de ${the}`;
}

/** « s’il refuse », « si elle refuse ». */
function ifRefuses(law: SoleSignatureLaw): string {
  return law.pronoun === 'il' ? 's’il refuse' : 'si elle refuse';
}

function lowerFirst(s: string): string {
  // « La mesure… », « Aucune mesure… »: a sentence continued after a colon.
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
