import type { RequestView, SignerView } from '@carepact/signing';
import { signerState } from './document-page.views';

/**
 * The signers of a request that ended — expired, refused, cancelled (at the person's death too) —
 * on the console's request page: what happened and when, never « En attente de son tour », « En
 * attente de l’envoi » nor « pas encore signé » (a director read an expired request's signers as
 * still awaited). Who refused says « A refusé de signer le … ».
 */
const signer = (over: Partial<SignerView>): SignerView =>
  ({
    id: 's',
    key: 'k',
    role: 'curateur',
    name: 'Karim Benaïssa',
    capacity: 'en qualité de curateur',
    legalBasis: 'C. civ. 440, 467',
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
const sent = '2026-11-20T09:00:00.000Z';
const ended = '2026-12-03T13:05:00.000Z';
const ev = (kind: string, signerId: string | null, at = sent): RequestView['events'][number] => ({ kind, at, signerId });
const person = signer({ id: 'p', key: 'resident', role: 'resident', name: 'Marcel Dupont', order: 1 });
const curateur = signer({ id: 'c', key: 'curateur', order: 2 });
const later = signer({ id: 'l', key: 'tuteur:lea', role: 'tuteur', name: 'Léa Roux', order: 3 });
const director = signer({ id: 'd', key: 'director', role: 'director', name: 'Claire Morel', delivery: 'staff', order: 4 });
const signers = [person, curateur, later, director];
const state = (s: SignerView, events: RequestView['events'], status: RequestView['status'], o: { all?: SignerView[]; cancellation?: RequestView['cancellation'] } = {}) =>
  signerState(s, events, { type: 'contrat-sejour', signers: o.all ?? signers, mode: 'sequential', status, cancellation: o.cancellation });

describe('an ended request’s signers: what happened, never « En attente »', () => {
  it('expired: « Non signé — demande expirée le … » and how far she had gone', () => {
    const events = [ev('email_sent', 'p'), ev('email_sent', 'c'), ev('link_opened', 'c'), ev('expired', null, ended)];
    expect(state(curateur, events, 'expired')).toBe('Non signé — demande expirée le 3 décembre 2026 : avait ouvert le lien, sans lire le document');
    expect(state(later, events, 'expired')).toBe('Non signé — demande expirée le 3 décembre 2026 : aucun lien ne lui avait été envoyé');
    expect(state(director, events, 'expired')).toBe('Non contresigné — demande expirée le 3 décembre 2026');
    for (const s of signers) expect(state(s, events, 'expired')).not.toMatch(/attente|pas encore|attendue/);
  });

  it('refused: the refuser « A refusé de signer le … », the others « Non signé — demande refusée par … le … »', () => {
    const refuser = { ...person, status: 'refused' as const, actedAt: ended };
    const all = [refuser, curateur, later, director];
    const events = [ev('email_sent', 'p'), ev('viewed', 'p'), ev('refused', 'p', ended)];
    expect(state(refuser, events, 'refused', { all })).toBe('A refusé de signer le 3 décembre 2026 à 14 h 05');
    expect(state(curateur, events, 'refused', { all })).toBe('Non signé — demande refusée par Marcel Dupont le 3 décembre 2026 : aucun lien ne lui avait été envoyé');
    expect(state(director, events, 'refused', { all })).toBe('Non contresigné — demande refusée par Marcel Dupont le 3 décembre 2026');
    for (const s of all) expect(state(s, events, 'refused', { all })).not.toMatch(/attente|pas encore|attendue/);
  });

  it('cancelled: « Non signé — demande annulée le … », staff’s own reason left to the notice above', () => {
    const cancellation = { at: ended, reason: 'Erreur sur le tarif', byName: 'Claire Morel' };
    const events = [ev('email_sent', 'c'), ev('viewed', 'c'), ev('cancelled', null, ended)];
    expect(state(curateur, events, 'cancelled', { cancellation })).toBe('Non signé — demande annulée le 3 décembre 2026 : avait lu le document');
  });

  it('cancelled at the death: the death said on each row', () => {
    const cancellation = { at: ended, reason: 'Décès de la personne le 1er décembre 2026', byName: null };
    const events = [ev('email_sent', 'c'), ev('cancelled', null, ended)];
    expect(state(curateur, events, 'cancelled', { cancellation })).toBe(
      'Non signé — demande annulée le 3 décembre 2026 (décès de la personne le 1er décembre 2026) : avait reçu le lien, sans l’ouvrir',
    );
    expect(state(later, events, 'cancelled', { cancellation })).not.toContain('En attente');
  });

  it('an active request is unchanged', () => {
    expect(state(later, [ev('email_sent', 'p')], 'active')).toBe('En attente de son tour (après Marcel Dupont, Karim Benaïssa)');
  });
});
