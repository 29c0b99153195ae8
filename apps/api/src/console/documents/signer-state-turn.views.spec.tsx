import type { SignerView } from '@carepact/signing';
import { signerState } from './document-page.views';

/**
 * A signer not sent anything yet, on the console's request page. Sequential mode (« Chacun à son
 * tour »): the link goes out at the signer's turn, once every required signer before has signed — the
 * state says which it is, « En attente de son tour (après Thomas Petit) » or « En attente de l’envoi ».
 */
const signer = (over: Partial<SignerView>): SignerView =>
  ({
    id: 's',
    key: 'k',
    role: 'parent',
    name: 'Julie Petit',
    capacity: 'en qualité de parent titulaire de l’autorité parentale d’Enzo Petit',
    legalBasis: 'C. civ. 371-1, 372',
    order: 1,
    optional: false,
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
const thomas = signer({ id: 't', key: 'parent:thomas', name: 'Thomas Petit', order: 1 });
const julie = signer({ id: 'j', key: 'parent:julie', name: 'Julie Petit', order: 2 });
const director = signer({ id: 'd', key: 'director', role: 'director', name: 'Claire Morel', delivery: 'staff', order: 3 });
const state = (s: SignerView, signers: SignerView[], mode: 'sequential' | 'parallel') => signerState(s, [], { type: 'contrat-sejour', signers, mode });

describe('a signer waiting, in sequential mode: for their turn, or for the sending', () => {
  it('a later signer: « En attente de son tour (après Thomas Petit) »', () => {
    expect(state(julie, [thomas, julie, director], 'sequential')).toBe('En attente de son tour (après Thomas Petit)');
  });

  it('two before, in the signing order: « (après Thomas Petit, Hugo Petit) »', () => {
    const hugo = signer({ id: 'h', key: 'parent:hugo', name: 'Hugo Petit', order: 2 });
    const last = signer({ id: 'l', key: 'tuteur:lea', role: 'tuteur', name: 'Léa Roux', order: 3 });
    expect(state(last, [last, hugo, thomas, director], 'sequential')).toBe('En attente de son tour (après Thomas Petit, Hugo Petit)');
  });

  it('the first, or once the one before has signed: « En attente de l’envoi »', () => {
    expect(state(thomas, [thomas, julie, director], 'sequential')).toBe('En attente de l’envoi');
    expect(state(julie, [{ ...thomas, status: 'signed', actedAt: at }, julie, director], 'sequential')).toBe('En attente de l’envoi');
  });

  it('parallel mode: nobody waits for a turn, « En attente de l’envoi »', () => {
    expect(state(julie, [thomas, julie, director], 'parallel')).toBe('En attente de l’envoi');
  });

  it('never the old « de son tour ou de l’envoi » once the mode is known', () => {
    for (const mode of ['sequential', 'parallel'] as const) for (const s of [thomas, julie]) expect(state(s, [thomas, julie, director], mode)).not.toContain(' ou de l’envoi');
  });
});
