import { isDomainError } from '@carepact/common';
import { DOCUMENT_TRANSITIONS, DocumentTransition, nextDocumentStatus } from './document-lifecycle';
import { DOCUMENT_STATUSES, DocumentStatus } from './documents.entities';

const code = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return isDomainError(e) ? e.code : String(e);
  }
};

describe('document state machine (only libs/documents writes documents.status)', () => {
  /** The whole table, written out: every (from, transition) pair not listed here is refused. */
  const allowed: Record<DocumentTransition, Partial<Record<DocumentStatus, DocumentStatus>>> = {
    newVersion: { generating: 'generating', ready: 'generating', generation_failed: 'generating' },
    generated: { generating: 'ready' },
    generationFailed: { generating: 'generation_failed' },
    generationRetried: { generation_failed: 'generating' },
    sentForSignature: { ready: 'in_signature' },
    signatureWithdrawn: { in_signature: 'ready' },
    signed: { in_signature: 'signed' },
    refused: { in_signature: 'refused' },
    discarded: { ready: 'cancelled', generation_failed: 'cancelled' },
  };

  it('lists exactly the transitions the table declares', () => {
    expect(Object.keys(DOCUMENT_TRANSITIONS).sort()).toEqual(Object.keys(allowed).sort());
  });

  for (const t of Object.keys(allowed) as DocumentTransition[])
    for (const from of DOCUMENT_STATUSES) {
      const to = allowed[t][from];
      it(`${t} from ${from}: ${to ? `→ ${to}` : 'refused'}`, () => {
        if (to) expect(nextDocumentStatus(from, t)).toBe(to);
        else expect(code(() => nextDocumentStatus(from, t))).toBe('DOCUMENT_TRANSITION_INVALID');
      });
    }

  it('a signed document never goes back to signature, generation or refusal (CASF L.311-4: a change is an avenant)', () => {
    for (const t of Object.keys(DOCUMENT_TRANSITIONS) as DocumentTransition[]) expect(code(() => nextDocumentStatus('signed', t))).toBe('DOCUMENT_TRANSITION_INVALID');
  });

  it('a cancelled document is closed for good: no transition leaves it', () => {
    for (const t of Object.keys(DOCUMENT_TRANSITIONS) as DocumentTransition[]) expect(code(() => nextDocumentStatus('cancelled', t))).toBe('DOCUMENT_TRANSITION_INVALID');
  });

  it('the refusal names both states in French', () => {
    try {
      nextDocumentStatus('refused', 'sentForSignature');
      throw new Error('not refused');
    } catch (e) {
      expect(isDomainError(e) && e.kind).toBe('conflict');
      expect(isDomainError(e) && e.messageFr).toBe('Ce document ne peut pas passer de l’état « refusé » à l’état « en signature ».');
    }
  });
});
