import type { SignerView } from '@carepact/signing';
import { signerState } from './document-page.views';

/**
 * The state on each signer's card of the console's request page. CASF D.311 II: the DIPC « est établi
 * et signé par le directeur … Il peut être contresigné par la personne accueillie ou son représentant
 * légal » — the director's signature is the one awaited, the others countersign or choose not to; on a
 * contract the director countersigns last and a refusal is a refusal.
 */
const signer = (over: Partial<SignerView>): SignerView =>
  ({
    id: 's',
    key: 'k',
    role: 'tuteur',
    name: 'Paul Martin',
    capacity: 'en qualité de tuteur, qui représente Seán O’Brien',
    legalBasis: 'C. civ. 473',
    order: 1,
    optional: true,
    delivery: 'email',
    status: 'pending',
    authMethod: null,
    actedAt: null,
    refusalReason: null,
    refusalAcknowledgedAt: null,
    accessCodeRequired: false,
    lastEmailStatus: null,
    ...over,
  }) as SignerView;
const at = '2026-12-03T13:05:00.000Z';
const director = signer({ id: 'd', key: 'director', role: 'director', name: 'Claire Morel', optional: false, delivery: 'staff', order: 2 });

describe('signer states on a DIPC’s request page (CASF D.311 II)', () => {
  const dipc = (s: SignerView) => signerState(s, [], { type: 'dipc', signers: [s, director] });

  it('the director: her signature establishes it, nothing waits before it', () => {
    expect(signerState(director, [], { type: 'dipc', signers: [signer({}), director] })).toBe('Signature attendue : c’est elle qui établit le document (CASF D.311)');
  });

  it('a countersigner: « Contresigné le … », or chose not to (optional), or may still — never « Refusé »', () => {
    expect(dipc(signer({ status: 'signed', actedAt: at }))).toBe('Contresigné le 3 décembre 2026 à 14 h 05');
    expect(dipc(signer({ status: 'refused', actedAt: at }))).toBe('A choisi de ne pas contresigner le 3 décembre 2026 à 14 h 05 (facultatif : le document s’applique sans)');
    expect(signerState(signer({}), [{ kind: 'viewed', at, signerId: 's' }], { type: 'dipc', signers: [signer({}), director] })).toBe('Contresignature facultative — a lu le document, pas encore contresigné');
  });

  it('a contract: unchanged', () => {
    const contract = (s: SignerView) => signerState(s, [], { type: 'contrat-sejour', signers: [s, director] });
    expect(contract(signer({ optional: false, status: 'refused', actedAt: at }))).toBe('A refusé de signer le 3 décembre 2026 à 14 h 05');
    expect(signerState(director, [], { type: 'contrat-sejour', signers: [signer({ optional: false }), director] })).toBe('Contresignature attendue après les autres signatures');
  });
});
