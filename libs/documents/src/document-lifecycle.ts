import { DomainError } from '@carepact/common';
import type { DocumentStatus } from './documents.entities';

/**
 * The document's state machine, in one table. Only libs/documents writes `documents.status`, and
 * only through these named transitions (DocumentLifecycle): a move the table does not list is
 * refused with DOCUMENT_TRANSITION_INVALID instead of silently corrupting the document's state.
 * `cancelled` is reached by one move only: a draft contract abandoned because another contract of its
 * stay is signed (`discarded`, superseded-contract.ts).
 */
export const DOCUMENT_TRANSITIONS = {
  /** A (new) version was requested: generation starts again. A signed, in-signature or closed document is never regenerated. */
  newVersion: { from: ['generating', 'ready', 'generation_failed'], to: 'generating' },
  /** The current version's renditions are stored. */
  generated: { from: ['generating'], to: 'ready' },
  /** The current version failed for good (bad data, a template bug, or every attempt failed). */
  generationFailed: { from: ['generating'], to: 'generation_failed' },
  /** Staff start the failed generation of the current version again (its data are fine). */
  generationRetried: { from: ['generation_failed'], to: 'generating' },
  /** A signature request was created on the current version. */
  sentForSignature: { from: ['ready'], to: 'in_signature' },
  /** The request was cancelled, expired, or refused where no other document is required: the document can be sent again. */
  signatureWithdrawn: { from: ['in_signature'], to: 'ready' },
  /** Every required signature is there and the PDF is sealed. */
  signed: { from: ['in_signature'], to: 'signed' },
  /** A contrat de séjour was refused: the DIPC is then required (CASF D.311). */
  refused: { from: ['in_signature'], to: 'refused' },
  /**
   * A draft never sent (ready, or its generation failed) abandoned by staff: a contrat de séjour of a
   * stay whose other contract is signed (one per stay, CASF L.311-4, D.311). Closed for good.
   */
  discarded: { from: ['ready', 'generation_failed'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly DocumentStatus[]; to: DocumentStatus }>;

export type DocumentTransition = keyof typeof DOCUMENT_TRANSITIONS;

export class DocumentTransitionError extends DomainError {
  constructor(
    readonly transition: DocumentTransition,
    readonly from: DocumentStatus | null,
  ) {
    super('conflict', 'DOCUMENT_TRANSITION_INVALID', `Ce document ne peut pas passer de l’état « ${STATUS_FR[from ?? 'unknown']} » à l’état « ${STATUS_FR[DOCUMENT_TRANSITIONS[transition].to]} ».`);
  }
}

/** The status after `transition`, or a DocumentTransitionError when the table does not allow it from `from`. */
export function nextDocumentStatus(from: DocumentStatus, transition: DocumentTransition): DocumentStatus {
  const t = DOCUMENT_TRANSITIONS[transition];
  if (!(t.from as readonly DocumentStatus[]).includes(from)) throw new DocumentTransitionError(transition, from);
  return t.to;
}

const STATUS_FR: Record<DocumentStatus | 'unknown', string> = {
  generating: 'en génération',
  ready: 'prêt',
  generation_failed: 'génération échouée',
  in_signature: 'en signature',
  signed: 'signé',
  refused: 'refusé',
  cancelled: 'annulé',
  unknown: 'inconnu',
};
