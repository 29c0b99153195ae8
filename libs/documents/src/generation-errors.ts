import type { FieldError } from '@carepact/common';
import { inputFieldLabel, inputItemName } from '@carepact/templates';

/**
 * Why a document's generation failed, as staff read it. The code is stored on the version
 * (`document_versions.error_code`); the French message is derived from it when the document is shown.
 */
export const GENERATION_RETRIES_EXHAUSTED = 'GENERATION_RETRIES_EXHAUSTED';

export interface GenerationError {
  code: string;
  message: string;
  /** True when `POST /api/documents/:id/retry-generation` may start it again (the version's data are fine). */
  retryable: boolean;
  /**
   * Data that no longer pass the templates' input check (a version failed for good, e.g. a name stored
   * before a character rule, CHARACTER_NOT_PRINTABLE): each field's path in the version's data, its
   * stable code, its French name and the check's own French message. Computed when the document is
   * shown (dataFailureOf), never stored, logged nor audited: the message may name the characters refused.
   */
  fields?: GenerationFieldError[];
}

export interface GenerationFieldError {
  /** Path in the version's data: `resident.lastName`, `document.participation.others[0].name`. */
  field: string;
  code: string;
  /** « Dossier de la personne › Nom », « Participation à l’élaboration › Participant 1 › Nom ». */
  label: string;
  message: string;
}

const MESSAGES: Record<string, string> = {
  [GENERATION_RETRIES_EXHAUSTED]:
    'La génération du document a échoué malgré plusieurs tentatives (incident technique). Relancez la génération ; si l’échec persiste, contactez le support.',
  ORGANISATION_MISMATCH: 'La demande de génération ne correspond pas à votre organisation : elle a été refusée.',
};

/** The error of a version that could not be generated; null for a version without one. */
export function generationErrorOf(version: { status: string; errorCode: string | null }): GenerationError | null {
  if (!version.errorCode) return null;
  const retryable = version.status === 'pending';
  const message =
    MESSAGES[version.errorCode] ??
    (retryable
      ? MESSAGES[GENERATION_RETRIES_EXHAUSTED]
      : `Le document ne peut pas être généré avec ces données (code ${version.errorCode}). Corrigez-les en créant une nouvelle version.`);
  return { code: version.errorCode, message, retryable };
}

/** French names of the members of the data outside `document` (the resident's file, the establishment's, as template-input.ts copies them). */
const SNAPSHOT_LABELS: Readonly<Record<string, string>> = {
  resident: 'Dossier de la personne',
  establishment: 'Fiche de l’établissement',
  civility: 'Civilité',
  firstName: 'Prénom',
  lastName: 'Nom',
  birthDate: 'Date de naissance',
  admissionDate: 'Date d’admission',
  stay: 'Type de séjour',
  plannedEndDate: 'Fin prévue du séjour',
  room: 'Chambre',
  email: 'Adresse e-mail',
  phone: 'Téléphone',
  relation: 'Lien avec la personne',
  organisation: 'Organisme',
  role: 'Rôle',
  preferences: 'Préférences de lecture',
  personneDeConfiance: 'Personne de confiance',
  designatedOn: 'Date de désignation',
  protectionMeasure: 'Mesure de protection',
  holders: 'Personnes qui exercent la mesure',
  mission: 'Mission',
  judgment: 'Jugement',
  court: 'Tribunal',
  reference: 'Référence',
  date: 'Date',
  endDate: 'Date de fin',
  holderConflict: 'Conflit d’intérêts du titulaire',
  substitute: 'Remplaçant',
  minor: 'Autorité parentale',
  parents: 'Parents',
  soleAuthority: 'Exercice par un seul parent',
  proofReference: 'Pièce qui l’établit',
  proofDate: 'Date de la pièce',
  minorRepresentation: 'Représentation du mineur',
  name: 'Nom',
  finess: 'N° FINESS',
  address: 'Adresse',
  director: 'Direction',
};
const SNAPSHOT_ITEMS: Readonly<Record<string, string>> = { holders: 'Titulaire', parents: 'Parent' };

/**
 * The French name of a field of a version's data: the document's own data by the input schema's
 * labels (input-labels.ts, « Participation à l’élaboration › Participant 2 › Nom »), the resident's
 * and the establishment's files by SNAPSHOT_LABELS (« Dossier de la personne › Nom »); a member
 * without a label keeps its key.
 */
export function dataFieldLabel(documentType: string, path: string): string {
  const parts: string[] = [];
  const inDocument = path === 'document' || path.startsWith('document.');
  let sofar = '';
  for (const seg of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return path;
    sofar = sofar ? `${sofar}.${m[1]}` : m[1];
    const index = /\[(\d+)\]/.exec(m[2]);
    if (inDocument) {
      if (sofar === 'document') parts.push('Données du document');
      else parts.push(index ? inputItemName(documentType, sofar, Number(index[1])) : inputFieldLabel(documentType, sofar));
    } else parts.push(index && SNAPSHOT_ITEMS[m[1]] ? `${SNAPSHOT_ITEMS[m[1]]} ${Number(index[1]) + 1}` : (SNAPSHOT_LABELS[m[1]] ?? m[1]));
    sofar += m[2];
  }
  // « Données du document › Objectifs » says no more than « Objectifs ».
  return (parts.length > 1 && parts[0] === 'Données du document' ? parts.slice(1) : parts).join(' › ');
}

/** At most this many fields are spelled out in the message (the API's `fields` lists them all). */
const FIELDS_IN_MESSAGE = 5;

/** The parts of a data failure's reason: what happened, what to do (the console shows the fields between them, as a list). */
export function dataFailureParts(fields: readonly Pick<GenerationFieldError, 'field'>[]): { intro: string; action: string } {
  const where = (root: string) => fields.some((f) => f.field === root || f.field.startsWith(`${root}.`));
  const files = [where('resident') ? 'le dossier de la personne' : null, where('establishment') ? 'la fiche de l’établissement' : null].filter((x): x is string => !!x);
  const intro = `Le document ne peut pas être généré : ${
    fields.length > 1 ? 'des données de cette version ne passent pas' : 'une donnée de cette version ne passe pas'
  } le contrôle des modèles de documents (une règle a pu changer depuis ${fields.length > 1 ? 'leur' : 'sa'} saisie).`;
  // A new version takes the files as they are then (templateInputOf) and the document's data from its form.
  const action = files.length
    ? `Corrigez d’abord ${files.join(' et ')}${where('document') ? ', puis cliquez sur « Corriger » et corrigez-y les données du document' : ', puis cliquez sur « Corriger »'} : la nouvelle version reprend les données corrigées.`
    : 'Cliquez sur « Corriger » et corrigez ces données : une nouvelle version est créée et générée.';
  return { intro, action };
}

/**
 * The error of a version failed for good whose data the templates' input check refuses now
 * (`errors`, validateTemplateInput on the version's data): which field, why, what to do. Null when the
 * check finds nothing (the failure had another cause): generationErrorOf's message stays.
 */
export function dataFailureOf(base: GenerationError, documentType: string, errors: readonly FieldError[]): GenerationError | null {
  if (!errors.length || base.retryable) return null;
  const fields = errors.map((e) => ({ field: e.field, code: e.code, label: dataFieldLabel(documentType, e.field), message: e.message }));
  const { intro, action } = dataFailureParts(fields);
  const listed = fields.slice(0, FIELDS_IN_MESSAGE).map((f) => `${f.label} : ${f.message}`);
  const more = fields.length > FIELDS_IN_MESSAGE ? [`Et ${fields.length - FIELDS_IN_MESSAGE} autre${fields.length - FIELDS_IN_MESSAGE > 1 ? 's' : ''}.`] : [];
  return { ...base, message: [intro, ...listed, ...more, action].join(' '), fields };
}
