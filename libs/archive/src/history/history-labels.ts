import { formatDateFr } from '@carepact/common';
import { EMAIL_SKIPPED_BY_REASON } from '@carepact/signing';

/**
 * What each audited action means, in the words of a document's history page (issue 11, item 1).
 * An action without a label shows as its code: the history never hides an event.
 * history-labels.spec.ts fails when an action the code records for a document, a version or a
 * signature request (every signature event kind included) has no label here.
 */
const LABELS: Record<string, string> = {
  'document.created': 'Document créé',
  'document.other_parent_informed': 'Autre parent informé du document (C. civ. 373-2-1 al. 5) : date et moyen enregistrés',
  'bulk_run.started': 'Génération groupée lancée',
  'bulk_run.item_skipped': 'Résident écarté d’une génération groupée',
  'bulk_run.item_failed': 'Échec pour un résident d’une génération groupée',
  'bulk_run.finished': 'Génération groupée terminée',
  'bulk_run.cancelled': 'Génération groupée annulée',
  'bulk_run.retried': 'Génération groupée relancée pour les résidents en échec',
  'document.generation_retried': 'Génération relancée',
  // Why (the stay's contract signed, or the person's death) is the event's `reason`, shown with it.
  'document.discarded': 'Projet abandonné sans avoir été envoyé en signature',
  'document.verified': 'Vérification des empreintes et du sceau',
  'document.visa_approved': 'Visa donné avant l’envoi en signature',
  'document.visa_rejected': 'Visa refusé',
  'document.sole_signature_authorised': 'Autorisation du juge enregistrée : la personne signe seule (C. civ. 469 ; 494-10 en habilitation familiale)',
  'document_version.requested': 'Nouvelle version demandée',
  'document_version.generated': 'Version générée',
  'document_version.failed': 'Échec de la génération',
  'rendition.downloaded': 'Fichier téléchargé par le personnel',
  'legal_hold.placed': 'Gel posé (rien ne peut être supprimé)',
  'legal_hold.lifted': 'Gel levé',
  'retention.document_purged': 'Document supprimé au terme de sa durée de conservation',
  'retention.resident_purged': 'Dossier supprimé au terme de sa durée de conservation',
  'archive.exported': 'Archive exportée',
  'archive.opened': 'Archive intermédiaire ouverte par un administrateur (motif enregistré)',
  'archive.opened_for_access_request': 'Contenu de l’archive intermédiaire exporté pour une demande d’accès de la personne (RGPD art. 15, demande enregistrée)',
  'archive.opened_for_heir_request': 'Contenu de l’archive intermédiaire exporté pour la demande d’un ayant droit, concubin ou partenaire de PACS d’une personne décédée (Code de la santé publique, art. L.1110-4 V et L.1111-7, demande enregistrée)',
  'retention.archives_regime_changed': 'Régime des archives changé (archives publiques, 1° ou 2° de l’article L.211-4 du Code du patrimoine ; durée en base active)',
  'data_job.requested': 'Export demandé (archive, demande d’accès ou purge)',
  'access_request.selection_recorded': 'Tri enregistré pour une demande après un décès : éléments transmis et justification (Code de la santé publique, art. L.1110-4 V ; empreintes seulement)',
  'access_request.delivered': 'Paquet transmis au demandeur après un décès (Code de la santé publique, art. L.1110-4 V et L.1111-7)',
  'access_request.refused': 'Demande après un décès refusée, refus motivé et lettre enregistrés (Code de la santé publique, art. L.1110-4 V et L.1111-7)',
  'data_job.refused': 'Export refusé à son exécution : l’archive intermédiaire n’était plus ouverte',
  'data_job.request_redacted': 'Demande d’accès réduite à son empreinte : la personne a été supprimée au terme de sa conservation',
  'signature.created': 'Demande de signature créée',
  'signature.cancelled': 'Demande de signature annulée',
  'signature.expired': 'Demande de signature expirée',
  'signature.sealed': 'Document signé scellé par l’établissement',
  'signature.link_opened': 'Lien de signature ouvert',
  'signature.annex_downloaded': 'Document remis avec le contrat téléchargé par un signataire',
  'signature.revoked': 'Lien de signature révoqué',
  'signature.resent': 'Lien renvoyé',
  'signature.in_person_opened': 'Signature sur place ouverte',
  'signature.witness_recorded': 'Témoignage de la signature sur place enregistré',
  'signature.email_sent': 'E-mail envoyé',
  'signature.email_failed': 'E-mail non distribué',
  'signature.reminder': 'Relance envoyée',
  'signature.completion_sent': 'Document signé envoyé au signataire',
  'signature.countersign_notified': 'Direction avertie : il ne reste que la contresignature',
  'signature.code_issued': 'Code d’accès remis',
  'signature.code_ok': 'Code d’accès saisi',
  'signature.code_failed': 'Code d’accès erroné',
  'signature.code_locked': 'Code d’accès bloqué après trop d’essais',
  'signature.viewed': 'Document lu',
  'signature.downloaded': 'Document téléchargé',
  'signature.view_recorded': 'Avis de la personne enregistré',
  'signature.view_corrected': 'Avis de la personne corrigé',
  'signature.view_account_added': 'Compte rendu de l’avis de la personne ajouté par un autre signataire',
  'signature.signed': 'Signé',
  'signature.countersigned': 'Contresigné par l’établissement',
  'signature.refused': 'Signature refusée',
  'signature.refusal_acknowledged': 'Refus pris en compte par le personnel',
  'signature.question': 'Question posée',
  'signature.question_answered': 'Réponse à la question',
  'signature.paper_uploaded': 'Scan de la signature sur papier déposé',
  'signature.signed_on_paper': 'Signé sur papier',
  'signature.seal_failed': 'Échec du scellement du document signé',
  'signature.seal_retried': 'Scellement relancé',
  'signature.handed_over': 'Document remis en main propre',
  'signature.countersign_window_closed': 'Délai de contresignature clos',
  'signature.reminder_skipped': 'Relance non envoyée : personne en archive intermédiaire',
  'signature.email_skipped': 'E-mail non envoyé : personne en archive intermédiaire',
  'signature.lapsed_at_death': 'Signature facultative close « non signé » : la personne est décédée avant de la donner',
  'signature.reopened_for_paper': 'Demande annulée au décès reprise : papier signé avant le décès déposé',
  'signature.kept_at_death': 'Demande maintenue après le décès : signée par la personne ou pour elle avant, reste la contresignature de l’établissement',
};

/**
 * An e-mail not sent for another reason than the intermediate archive reads as its reason says
 * (EMAIL_SKIPPED_BY_REASON, shared with the evidence page and the console): after her recorded death
 * the signed document goes to the establishment only — not to her, nor to her former representative,
 * whose mission ended (C. civ. 418, 443; CSP L.1110-4 V; C. civ. 724).
 */
export function historyLabel(action: string, payload?: Record<string, unknown>): string {
  if (action === 'signature.email_skipped' && typeof payload?.reason === 'string' && payload.reason !== 'resident_archived' && EMAIL_SKIPPED_BY_REASON[payload.reason]) return EMAIL_SKIPPED_BY_REASON[payload.reason];
  return LABELS[action] ?? action;
}

/** Has the action a label of its own (not its code)? */
export function hasHistoryLabel(action: string): boolean {
  return Object.prototype.hasOwnProperty.call(LABELS, action);
}

/**
 * System actions that are an e-mail sent (or not) by CarePact: their actor reads « CarePact (envoi
 * automatique) »; any other system action « CarePact (traitement automatique) ».
 */
const AUTOMATIC_SENDINGS = new Set(['signature.email_sent', 'signature.email_failed', 'signature.reminder', 'signature.completion_sent', 'signature.countersign_notified']);

export function systemActorLabel(action: string): string {
  return AUTOMATIC_SENDINGS.has(action) ? 'CarePact (envoi automatique)' : 'CarePact (traitement automatique)';
}

/** The words of the document page for a rendition's format and variant (« Word (DOCX), gros caractères »). */
const FORMAT_LABELS: Record<string, string> = { pdf: 'PDF', docx: 'Word (DOCX)', html: 'page web (HTML)', json: 'JSON' };
const VARIANT_LABELS: Record<string, string> = {
  standard: 'version complète',
  falc: 'facile à lire',
  'large-print': 'gros caractères',
  signed: 'document signé',
  evidence: 'preuve',
  'paper-original': 'original signé sur papier',
};

export function renditionLabel(format: string, variant: string): string {
  return `${FORMAT_LABELS[format] ?? format.toUpperCase()}, ${VARIANT_LABELS[variant] ?? variant}`;
}

/** A verification line for one rendition: « Version 1 — Word (DOCX), gros caractères ». */
export function renditionCheckName(versionNumber: number | undefined, format: string, variant: string): string {
  return `Version ${versionNumber ?? '?'} — ${renditionLabel(format, variant)}`;
}

/** A verification line for a document handed over with a version (CASF L.311-4): « Version 1 — document remis avec le contrat : Livret d’accueil (Édition 2026) ». */
export function annexCheckName(versionNumber: number, label: string, versionLabel: string): string {
  return `Version ${versionNumber} — document remis avec le contrat : ${label} (${versionLabel})`;
}

/** A verification line's subject for a sealed document: « Document scellé (demande du 2 décembre 2026) » (the day in Paris), or for one edition of it. */
export function sealCheckName(requestCreatedAt: Date, edition?: string): string {
  // A named edition (a DIPC's): « Exemplaire 1 — établi par la direction le 2 décembre 2026 (demande du 2 décembre 2026) ».
  return `${edition ?? 'Document scellé'} (demande du ${formatDateFr(requestCreatedAt)})`;
}

/**
 * One sealed edition of a request, as the history names it. A DIPC is established by the director's
 * signature and sealed then — the edition handed over to the person (CASF D.311 II and III) — and
 * sealed again when an optional countersignature follows: « Exemplaire 1 — établi par la direction
 * le 2 décembre 2026 », « Exemplaire 2 — contresigné le 4 décembre 2026 » (the day of its seal, in
 * Paris). Another document is sealed once, when everybody has signed: « Exemplaire 1 — scellé le … ».
 */
export function sealEditionLabel(edition: number, sealedAt: Date, established: boolean): string {
  const how = edition > 1 ? 'contresigné' : established ? 'établi par la direction' : 'scellé';
  return `Exemplaire ${edition} — ${how} le ${formatDateFr(sealedAt)}`;
}
