/**
 * What each audited action means, in the words of a document's history page (issue 11, item 1).
 * An action without a label shows as its code: the history never hides an event.
 */
const LABELS: Record<string, string> = {
  'document.created': 'Document créé',
  'bulk_run.started': 'Génération groupée lancée',
  'bulk_run.item_skipped': 'Résident écarté d’une génération groupée',
  'bulk_run.item_failed': 'Échec pour un résident d’une génération groupée',
  'bulk_run.finished': 'Génération groupée terminée',
  'bulk_run.cancelled': 'Génération groupée annulée',
  'bulk_run.retried': 'Génération groupée relancée pour les résidents en échec',
  'document.generation_retried': 'Génération relancée',
  'document.verified': 'Vérification des empreintes et du sceau',
  'document_version.requested': 'Nouvelle version demandée',
  'document_version.generated': 'Version générée',
  'document_version.failed': 'Échec de la génération',
  'rendition.downloaded': 'Fichier téléchargé par le personnel',
  'signature.created': 'Demande de signature créée',
  'signature.cancelled': 'Demande de signature annulée',
  'signature.expired': 'Demande de signature expirée',
  'signature.sealed': 'Document signé scellé par l’établissement',
  'signature.link_opened': 'Lien de signature ouvert',
  'signature.revoked': 'Lien de signature révoqué',
  'signature.resent': 'Lien renvoyé',
  'signature.in_person_opened': 'Signature sur place ouverte',
  'signature.witness_recorded': 'Témoignage de la signature sur place enregistré',
  'signature.email_sent': 'E-mail envoyé',
  'signature.email_failed': 'E-mail non distribué',
  'signature.reminder': 'Relance envoyée',
  'signature.completion_sent': 'Document signé envoyé aux signataires',
  'signature.code_issued': 'Code d’accès remis',
  'signature.code_ok': 'Code d’accès saisi',
  'signature.code_failed': 'Code d’accès erroné',
  'signature.code_locked': 'Code d’accès bloqué après trop d’essais',
  'signature.viewed': 'Document lu',
  'signature.downloaded': 'Document téléchargé par un signataire',
  'signature.view_recorded': 'Avis de la personne enregistré',
  'signature.view_corrected': 'Avis de la personne corrigé',
  'signature.signed': 'Signé',
  'signature.countersigned': 'Contresigné par l’établissement',
  'signature.refused': 'Signature refusée',
  'signature.refusal_acknowledged': 'Refus pris en compte par le personnel',
  'signature.question': 'Question posée',
  'signature.question_answered': 'Réponse à la question',
};

export function historyLabel(action: string): string {
  return LABELS[action] ?? action;
}
