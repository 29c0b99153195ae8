import { FieldError, ValidationError, documentTypeLabel, formatDateFr, formatDateTimeFr, formatTimeFr, textProblem } from '@carepact/common';
import type { EstablishmentLegalStatus, StaffRole } from '@carepact/identity';
import { EntityManager } from 'typeorm';
import { AccessRequestFrom, AccessRequestStatement, HEIR_PURPOSE_LABELS } from './access-request-statement';

/**
 * The answer to a request after the death (CSP L.1110-4 V, L.1111-7), recorded on its job
 * (`data_jobs.answer`). The zip the worker prepares first holds everything the establishment keeps
 * on the person: a working copy for staff. An ayant droit, concubin or partenaire de PACS receives
 * only « les informations … nécessaires » to the stated purpose (L.1110-4 V): staff record what they
 * keep and why (`selection`), the zip is then prepared again with those items only — the one handed
 * over; a deceased minor's parents have the whole (L.1110-4 V al. 2) but not what the minor kept
 * secret from them (L.1111-5, L.1111-5-1): a selection is required for them too, if only to withhold
 * that — the working copy is never handed over. Then the
 * delivery (`delivered`), never before the 48 hours of L.1111-7 al. 2; or a reasoned refusal
 * (`refused`) with its letter. Each step is audited with the SHA-256 of what it records.
 *
 * States (stable codes): `selection_recorded`, `delivered`, `refused`; no answer yet: null.
 */
export type AccessAnswerState = 'selection_recorded' | 'delivered' | 'refused';
export const ACCESS_ANSWER_STATE_LABELS: Record<AccessAnswerState, string> = {
  selection_recorded: 'Tri enregistré, paquet à transmettre',
  delivered: 'Transmis au demandeur',
  refused: 'Refusée (refus motivé)',
};

/** An item of the zip staff may keep: the file (personne.json), one document with everything about it, the journal. */
export type AccessItemKey = 'dossier' | 'journal' | `document:${string}`;

export interface AccessSelection {
  /** The items kept (AccessItemKey), in the zip's order. */
  items: AccessItemKey[];
  /** Why these, for the purpose stated (staff's words; the audit chain keeps its SHA-256). */
  justification: string;
  recordedAt: string;
  recordedBy: string;
  /** SHA-256 of the canonical selection ({ items, justification }): what the audit event records. */
  sha256: string;
}

export type AccessRefusalReason = 'deceased_objected' | 'purpose_not_established' | 'standing_not_proven' | 'minor_secret' | 'other';
export const ACCESS_REFUSAL_REASONS: readonly AccessRefusalReason[] = ['deceased_objected', 'purpose_not_established', 'standing_not_proven', 'minor_secret', 'other'];
export const ACCESS_REFUSAL_REASON_LABELS: Record<AccessRefusalReason, string> = {
  deceased_objected: 'La personne s’est opposée, de son vivant, à la communication de ses informations après son décès',
  purpose_not_established: 'Le motif de la demande n’est pas établi, ou les informations demandées ne sont pas nécessaires à ce motif',
  standing_not_proven: 'La qualité du demandeur n’est pas établie par les pièces produites',
  // CSP L.1110-4 V al. 2, in its words (the sector lawyer's review of session 20: « gardées secrètes » was broader).
  minor_secret:
    'Les informations demandées sont des éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention du consentement des titulaires de l’autorité parentale (articles L.1111-5 et L.1111-5-1 du Code de la santé publique)',
  other: 'Autre motif (précisé ci-dessous)',
};
/**
 * The reasons a refusal may give to this requester. A deceased minor's parents « conservent leur droit
 * d'accès à la totalité des informations médicales la concernant » (CSP L.1110-4 V al. 2): no purpose
 * to state, and the « volonté contraire » of al. 1 is not theirs to be opposed — only what the minor
 * kept secret from them (L.1111-5, L.1111-5-1), their standing, or another reason staff explain (the
 * sector lawyer's review of session 19). An ayant droit, concubin or partenaire: every reason.
 */
export function refusalReasonsFor(from: AccessRequestFrom): readonly AccessRefusalReason[] {
  return from === 'parental_authority' ? ['standing_not_proven', 'minor_secret', 'other'] : ACCESS_REFUSAL_REASONS;
}
export const ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS_MESSAGE =
  'Les titulaires de l’autorité parentale d’un mineur décédé ont accès à la totalité des informations le concernant, sans motif à indiquer ; la « volonté contraire » du défunt ne leur est pas opposable (Code de la santé publique, art. L.1110-4 V, deuxième alinéa). Seuls les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention de leur consentement (art. L.1111-5 et L.1111-5-1), une qualité non établie ou un autre motif expliqué peuvent fonder le refus.';

/** The article each reason rests on, in the letter, with its determiner (« Ce refus se fonde sur l’article … / sur les articles … »). */
const REFUSAL_BASIS: Record<AccessRefusalReason, string> = {
  deceased_objected: 'l’article L.1110-4 V du Code de la santé publique (« sauf volonté contraire exprimée par la personne avant son décès »)',
  purpose_not_established:
    'l’article L.1110-4 V du Code de la santé publique (les informations ne sont communiquées que dans la mesure où elles sont nécessaires pour connaître les causes de la mort, défendre la mémoire du défunt ou faire valoir ses droits)',
  standing_not_proven: 'les articles L.1110-4 V et L.1111-7 du Code de la santé publique (seuls les ayants droit, le concubin, le partenaire de PACS et, pour un mineur, les titulaires de l’autorité parentale y ont accès)',
  minor_secret: 'les articles L.1110-4 V, L.1111-5 et L.1111-5-1 du Code de la santé publique',
  other: 'les articles L.1110-4 V et L.1111-7 du Code de la santé publique',
};

export interface AccessRefusal {
  reason: AccessRefusalReason;
  /** The reasons in staff's words (required: a refusal is reasoned). */
  explanation: string;
  /** The letter to the requester (French), as recorded; its SHA-256 in the audit event. */
  letter: string;
  recordedAt: string;
  recordedBy: string;
}

export interface AccessDelivery {
  deliveredAt: string;
  deliveredBy: string;
  /** The SHA-256 of the zip handed over. */
  resultSha256: string | null;
}

export interface AccessAnswer {
  state: AccessAnswerState;
  selection?: AccessSelection;
  refusal?: AccessRefusal;
  delivery?: AccessDelivery;
}

/** Whether the answer is closed: the package handed over or the request refused — nothing left to sort, send or refuse. */
export const answerClosed = (answer: Pick<AccessAnswer, 'state'> | null | undefined): boolean => answer?.state === 'delivered' || answer?.state === 'refused';

/**
 * Whether the job's zip is the one made of the recorded selection (the worker records the
 * selection's SHA-256 in its report, DataJobsService): the package that may be handed over, not the
 * working one. No selection: false.
 */
export const selectionApplied = (job: { report: unknown; answer?: Pick<AccessAnswer, 'selection'> | null }): boolean => {
  const selection = job.answer?.selection;
  return !!selection && (job.report as { selectionSha256?: string } | null)?.selectionSha256 === selection.sha256;
};

export interface AccessItem {
  key: AccessItemKey;
  label: string;
}

/**
 * The items of a person's zip staff choose among: her file (identity, contacts, measures), each of
 * her documents with its versions, renditions, signatures and proofs, and the journal of the actions
 * about what is kept.
 */
export async function accessItemsOf(em: EntityManager, organisationId: string, residentId: string): Promise<AccessItem[]> {
  const docs = (await em.query(
    `SELECT d.id, d.type, d.subtype, (d.created_at AT TIME ZONE 'Europe/Paris')::date::text AS created, (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id) AS versions
       FROM documents d WHERE d.resident_id = $1 AND d.organisation_id = $2 ORDER BY d.created_at, d.id`,
    [residentId, organisationId],
  )) as { id: string; type: string; subtype: string | null; created: string; versions: string }[];
  return [
    { key: 'dossier', label: 'Le dossier de la personne (identité, séjour, contacts, mesures de protection) — personne.html et personne.json' },
    ...docs.map((d): AccessItem => {
      const noun = documentTypeLabel(d.type, d.subtype)?.short ?? 'document';
      const n = Number(d.versions);
      return {
        key: `document:${d.id}`,
        label: `${noun.charAt(0).toUpperCase()}${noun.slice(1)} créé le ${formatDateFr(d.created)} (${n} version${n > 1 ? 's' : ''}, ses rendus, signatures et preuves) — documents/${d.id}/`,
      };
    }),
    { key: 'journal', label: 'Le journal des actions sur ce qui est transmis — journal/evenements.jsonl' },
  ];
}

export const ACCESS_SELECTION_JUSTIFICATION_MIN = 10;
export const ACCESS_SELECTION_JUSTIFICATION_MAX = 2000;
export const ACCESS_REFUSAL_EXPLANATION_MIN = 10;
export const ACCESS_REFUSAL_EXPLANATION_MAX = 2000;

/** Staff's multi-line text: no control character but line breaks, no bidirectional override. */
function freeTextProblem(v: string): { code: string; message: string } | null {
  return textProblem(v, 'text') ?? textProblem(v.replace(/\r?\n/g, ' '), 'name');
}

/**
 * The selection from the API's `{ items: string[], justification }` (or the console's checkboxes):
 * at least one item, each among `available`; a justification of 10 to 2000 characters. 400 with
 * ACCESS_SELECTION_ITEMS_REQUIRED, ACCESS_SELECTION_ITEM_UNKNOWN, ACCESS_SELECTION_JUSTIFICATION_INVALID.
 */
export function accessSelectionOf(input: unknown, available: AccessItem[]): { items: AccessItemKey[]; justification: string } {
  const o = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const asked = Array.isArray(o.items) ? o.items.filter((v): v is string => typeof v === 'string').map((v) => v.trim()) : [];
  const justification = typeof o.justification === 'string' ? o.justification.trim() : '';
  const errors: FieldError[] = [];
  const known = new Set(available.map((i) => i.key as string));
  const unknown = asked.filter((k) => !known.has(k));
  if (unknown.length)
    errors.push({ field: 'items', code: 'ACCESS_SELECTION_ITEM_UNKNOWN', message: `Ces éléments ne font pas partie du dossier de la personne : ${unknown.slice(0, 5).join(', ')}.` });
  else if (!asked.length)
    errors.push({
      field: 'items',
      code: 'ACCESS_SELECTION_ITEMS_REQUIRED',
      message: 'Cochez au moins un élément à transmettre. Si rien ne peut l’être, enregistrez plutôt un refus motivé.',
    });
  const problem = justification ? freeTextProblem(justification) : null;
  if (problem) errors.push({ field: 'justification', code: problem.code, message: problem.message });
  else if (justification.length < ACCESS_SELECTION_JUSTIFICATION_MIN || justification.length > ACCESS_SELECTION_JUSTIFICATION_MAX)
    errors.push({
      field: 'justification',
      code: 'ACCESS_SELECTION_JUSTIFICATION_INVALID',
      message: `Expliquez pourquoi ces éléments, et eux seuls, répondent au motif de la demande (Code de la santé publique, art. L.1110-4 V) : de ${ACCESS_SELECTION_JUSTIFICATION_MIN} à ${ACCESS_SELECTION_JUSTIFICATION_MAX} caractères.`,
    });
  if (errors.length) throw new ValidationError(errors);
  const chosen = new Set(asked);
  return { items: available.map((i) => i.key).filter((k) => chosen.has(k)), justification };
}

/**
 * The refusal from `{ reason, explanation }` for a request from `from`: 400 ACCESS_REFUSAL_REASON_INVALID,
 * ACCESS_REFUSAL_EXPLANATION_INVALID; a reason this requester cannot be given (refusalReasonsFor: a
 * deceased minor's parents, L.1110-4 V al. 2) 400 ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS.
 */
export function accessRefusalOf(input: unknown, from: AccessRequestFrom): { reason: AccessRefusalReason; explanation: string } {
  const o = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const reason = typeof o.reason === 'string' ? o.reason.trim() : '';
  const explanation = typeof o.explanation === 'string' ? o.explanation.trim() : '';
  const errors: FieldError[] = [];
  if (!(ACCESS_REFUSAL_REASONS as readonly string[]).includes(reason))
    errors.push({ field: 'reason', code: 'ACCESS_REFUSAL_REASON_INVALID', message: 'Choisissez le motif du refus.' });
  else if (!refusalReasonsFor(from).includes(reason as AccessRefusalReason))
    errors.push({ field: 'reason', code: 'ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS', message: ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS_MESSAGE });
  const problem = explanation ? freeTextProblem(explanation) : null;
  if (problem) errors.push({ field: 'explanation', code: problem.code, message: problem.message });
  else if (explanation.length < ACCESS_REFUSAL_EXPLANATION_MIN || explanation.length > ACCESS_REFUSAL_EXPLANATION_MAX)
    errors.push({
      field: 'explanation',
      code: 'ACCESS_REFUSAL_EXPLANATION_INVALID',
      message: `Un refus de communication est motivé : expliquez au demandeur pourquoi, de ${ACCESS_REFUSAL_EXPLANATION_MIN} à ${ACCESS_REFUSAL_EXPLANATION_MAX} caractères (ce texte figure dans la lettre).`,
    });
  if (errors.length) throw new ValidationError(errors);
  return { reason: reason as AccessRefusalReason, explanation };
}

/**
 * Where a refusal is contested (the sector lawyer's reviews of sessions 19 and 20). Public: its records
 * are administrative documents; the CADA first, within two months, before the administrative court
 * (CRPA L.342-1, R.343-1). Private: the judicial court. The personne qualifiée of CASF L.311-5 is
 * not named: she helps « toute personne prise en charge … ou son représentant légal s'il s'agit d'un
 * mineur » to assert her own rights — not heirs, partners, or a deceased minor's parents after the
 * death, the only requesters this letter answers. Not recorded: both, each said for whom it is.
 */
export const REFUSAL_RECOURSE_PUBLIC =
  'Vous pouvez saisir la Commission d’accès aux documents administratifs (CADA, 20 avenue de Ségur, TSA 50730, 75334 Paris Cedex 07, www.cada.fr) dans les deux mois suivant la réception de ce courrier ; cette saisine est obligatoire avant tout recours devant le tribunal administratif (CRPA L.342-1, R.343-1).';
export const REFUSAL_RECOURSE_PRIVATE = 'Ce refus peut être contesté devant le tribunal judiciaire.';
const lowerFirst = (t: string) => `${t.charAt(0).toLowerCase()}${t.slice(1)}`;

/** What the recourse depends on: the establishment's legal status (null: not recorded) and the organisation's archives regime (`organisations.public_law`, RetentionService.archivesRegime). */
export interface RefusalRecourseBasis {
  legalStatus: EstablishmentLegalStatus | null;
  /** Archives publiques (Code du patrimoine L.211-4 1° or 2°): the organisation is a public person or a private one charged with a public-service mission. */
  publicLaw: boolean;
}

/**
 * Which recourse the letter names. The documents a private person charged with a public-service
 * mission produces or receives in that mission are administrative documents (CRPA L.300-2), their
 * communication refused is contested before the CADA first (L.342-1): an organisation whose archives
 * are public (`publicLaw`, Code du patrimoine L.211-4 2°) gets the CADA wording even for a private
 * establishment, and when the legal status is not recorded (L.211-4 1°: a public person, the public
 * wording too). Otherwise the legal status decides; not recorded, both.
 */
export function refusalRecourseKind(basis: RefusalRecourseBasis): 'public' | 'private' | 'both' {
  if (basis.legalStatus === 'public' || basis.publicLaw) return 'public';
  return basis.legalStatus === 'private' ? 'private' : 'both';
}
function recourseOf(basis: RefusalRecourseBasis): string {
  const kind = refusalRecourseKind(basis);
  if (kind === 'public') return REFUSAL_RECOURSE_PUBLIC;
  if (kind === 'private') return REFUSAL_RECOURSE_PRIVATE;
  return [
    'Les voies de recours dépendent du statut de l’établissement :',
    `- si l’établissement est public : ${lowerFirst(REFUSAL_RECOURSE_PUBLIC)}`,
    `- si l’établissement est privé (association, fondation, société) : ${lowerFirst(REFUSAL_RECOURSE_PRIVATE)}`,
  ].join('\n');
}

/** Who records the refusal: an administrative decision bears « le prénom, le nom et la qualité de son auteur » (CRPA L.212-1). */
export interface RefusalSignatory {
  /** First name and surname, as the staff account records them. */
  name: string;
  /** Her function in the person's establishment (signatoryRoleLabel), e.g. « direction de l’établissement ». */
  role: string;
}
const SIGNATORY_ROLE_LABELS: Record<StaffRole, string> = {
  director: 'direction de l’établissement',
  administrator: 'administration de l’établissement',
  coordinator: 'coordination',
  admissions: 'service des admissions',
  auditor: 'audit',
};
const SIGNATORY_ROLE_ORDER: readonly StaffRole[] = ['director', 'administrator', 'coordinator', 'admissions', 'auditor'];
/** The function the letter gives its author: her highest role in the person's establishment (direction first), else « pour la direction de l’établissement ». */
export function signatoryRoleLabel(roles: readonly { establishmentId: string; role: StaffRole }[], establishmentId: string): string {
  const held = new Set(roles.filter((r) => r.establishmentId === establishmentId).map((r) => r.role));
  const role = SIGNATORY_ROLE_ORDER.find((r) => held.has(r));
  return role ? SIGNATORY_ROLE_LABELS[role] : 'pour la direction de l’établissement';
}

/**
 * CSP R.1111-7 al. 3 (the refusal opposed to an ayant droit is reasoned): « Ce refus ne fait pas
 * obstacle, le cas échéant, à la délivrance d'un certificat médical, dès lors que ce certificat ne
 * comporte pas d'informations couvertes par le secret médical. »
 */
export const REFUSAL_CERTIFICATE = 'Ce refus ne fait pas obstacle à la délivrance d’un certificat médical ne comportant pas d’informations couvertes par le secret (article R.1111-7 du Code de la santé publique).';
/** A new request is worth making only when what was missing can be brought: the standing or the purpose. */
const NEW_REQUEST: Partial<Record<AccessRefusalReason, string>> = {
  standing_not_proven: 'Vous pouvez nous adresser une nouvelle demande accompagnée des pièces qui établissent votre qualité.',
  purpose_not_established:
    'Vous pouvez nous adresser une nouvelle demande précisant pour lequel de ces motifs vous avez besoin de ces informations : connaître les causes de la mort, défendre la mémoire du défunt ou faire valoir vos droits.',
};

/**
 * The letter of a reasoned refusal (French, plain text, for the requester): the request, the
 * reason and its article, staff's explanation, the certificate R.1111-7 still allows, a new request
 * when what was missing can be brought (standing, purpose), the recourse (`recourse`:
 * refusalRecourseKind) and its author's name and function (`signatory`, CRPA L.212-1). No health
 * information: the explanation is staff's.
 */
export function accessRefusalLetter(
  request: AccessRequestStatement,
  reason: AccessRefusalReason,
  explanation: string,
  day: string,
  recourse: RefusalRecourseBasis,
  signatory: RefusalSignatory,
): string {
  const purpose = request.heir?.purpose ? ` (motif indiqué : ${HEIR_PURPOSE_LABELS[request.heir.purpose].toLowerCase()})` : '';
  const newRequest = NEW_REQUEST[reason];
  return [
    `Le ${formatDateFr(day)}`,
    '',
    'Objet : votre demande de communication des informations concernant une personne décédée',
    '',
    'Madame, Monsieur,',
    '',
    `Vous nous avez adressé, le ${formatDateFr(request.receivedOn)}, une demande de communication des informations concernant une personne décédée${purpose}.`,
    '',
    // « Autre motif (précisé ci-dessous) » is the form's wording: the letter says the reason is the explanation that follows.
    ...(reason === 'other' ? ['Nous ne pouvons pas y donner suite, pour le motif exposé ci-après.'] : ['Nous ne pouvons pas y donner suite, pour le motif suivant :', `${ACCESS_REFUSAL_REASON_LABELS[reason]}.`]),
    '',
    explanation,
    '',
    `Ce refus se fonde sur ${REFUSAL_BASIS[reason]}.`,
    '',
    REFUSAL_CERTIFICATE,
    '',
    ...(newRequest ? [newRequest, ''] : []),
    recourseOf(recourse),
    '',
    'Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
    '',
    // CRPA L.212-1: the author's first name, surname and function (the sector lawyer's review of session 20).
    `${signatory.name}, ${signatory.role}`,
  ].join('\n');
}

/**
 * A living person's request about her health information (isHealthAccessRequest): CSP L.1111-7 al. 2,
 * the information is communicated « au plus tôt après qu'un délai de réflexion de quarante-huit
 * heures aura été observé ». Her answer is the zip itself, handed over once downloaded by whoever
 * recorded the request (DataJobsService.download): refused before `notBefore`, 409
 * HEALTH_ACCESS_REFLECTION_PERIOD with this message (the date and hour, Paris).
 */
export const healthAccessReflectionPeriodMessage = (notBefore: string): string =>
  `Les informations de santé de la personne ne lui sont communiquées qu’après un délai de réflexion de quarante-huit heures suivant sa demande (Code de la santé publique, art. L.1111-7, deuxième alinéa) : le zip, qui les contient, peut être téléchargé et remis à partir du ${fromInstantFr(notBefore)} (heure de Paris).`;

/** An instant from which something may be done (Paris): « 3 décembre 2026 » at midnight (never « à 0 h 00 »), else « 5 décembre 2026 à 14 h 30 ». */
export const fromInstantFr = (iso: string): string => (formatTimeFr(new Date(iso)) === '0 h 00' ? formatDateFr(new Date(iso)) : formatDateTimeFr(iso));

/** « pas avant le 5 décembre 2026 à 14 h 30 » (CSP L.1111-7 al. 2). */
export const notBeforeText = (notBefore: string) => `pas avant le ${formatDateTimeFr(notBefore)}`;

/** What a zip's selection is, for its LISEZMOI: the items kept, by their labels. */
export function selectionReadmeLines(items: AccessItemKey[], labels: Map<string, string>): string[] {
  return items.map((k) => `  - ${labels.get(k) ?? k} ;`);
}
