import { DomainError } from '@carepact/common';
import { AVENANT_TO_DIPC_RULE, DOCUMENT_RULES, LIBERTY_ANNEX_RULE, decideSigners } from './signature-policy';
import type { PolicyDocumentType } from './policy.types';
import { aResident } from './testing/resident-view.builder';

/**
 * The policy's bases and sentences are shown to staff and signers (document page, portal, evidence):
 * they cite the law, never the project's own files (a newcomer read « DOMAIN.md « Minutes » » on a
 * compte rendu's page).
 */
const INTERNAL = /\.md\b|\.ts\b|DOMAIN|ARCHITECTURE|template-|policy\b/i;

describe('signature policy wording shown to people', () => {
  const rules = { ...DOCUMENT_RULES, 'avenant (DIPC)': AVENANT_TO_DIPC_RULE, 'annexe liberté': LIBERTY_ANNEX_RULE };

  it.each(Object.entries(rules))('%s: basis and sentences name no internal file', (_name, rule) => {
    for (const text of [rule.basis, rule.directorBasis, rule.directorSentence]) {
      expect(text ?? '').not.toMatch(INTERNAL);
    }
  });

  it.each(Object.keys(DOCUMENT_RULES) as PolicyDocumentType[])('%s decided for a capable adult: every signer basis names no internal file', (documentType) => {
    let decision;
    try {
      decision = decideSigners({
        documentType,
        resident: aResident(),
        establishment: { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' },
        on: '2026-11-20',
      });
    } catch (e) {
      // A type the capable adult cannot have here is covered by the rule test above.
      if (e instanceof DomainError) return;
      throw e;
    }
    expect(decision.signers.length).toBeGreaterThan(0);
    for (const s of decision.signers) expect(`${s.legalBasis} ${s.capacity}`).not.toMatch(INTERNAL);
    expect(decision.explanation).not.toMatch(INTERNAL);
  });
});
