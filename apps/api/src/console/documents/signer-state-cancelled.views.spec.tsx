import type { RequestView, SignerView } from '@carepact/signing';
import { signerState } from './document-page.views';

/**
 * The signers of a cancelled request, on the console's request page (the outside review of session
 * 20): what happened, not what was awaited — « Non signé — demande annulée » with how far she had
 * gone, never « A ouvert le lien, pas encore lu », « En attente de son tour » nor « Contresignature
 * attendue »; those who signed or refused keep « Signé le … », « A refusé de signer le … ».
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
const at = '2026-12-03T13:05:00.000Z';
const ev = (kind: string, signerId: string): RequestView['events'][number] => ({ kind, at, signerId });
const person = signer({ id: 'p', key: 'resident', role: 'resident', name: 'Marcel Dupont', order: 1 });
const curateur = signer({ id: 'c', key: 'curateur', order: 2 });
const later = signer({ id: 'l', key: 'tuteur:lea', role: 'tuteur', name: 'Léa Roux', order: 3 });
const director = signer({ id: 'd', key: 'director', role: 'director', name: 'Claire Morel', delivery: 'staff', order: 4 });
const signers = [person, curateur, later, director];
const cancelled = (s: SignerView, events: RequestView['events'], type = 'contrat-sejour', all: SignerView[] = signers) =>
  signerState(s, events, { type, signers: all, mode: 'sequential', status: 'cancelled' });

describe('a cancelled request’s signers: what happened', () => {
  it('opened, read, sent: « Non signé — demande annulée » and how far she had gone', () => {
    expect(cancelled(curateur, [ev('email_sent', 'c'), ev('link_opened', 'c')])).toBe('Non signé — demande annulée : avait ouvert le lien, sans lire le document');
    expect(cancelled(curateur, [ev('email_sent', 'c'), ev('link_opened', 'c'), ev('viewed', 'c')])).toBe('Non signé — demande annulée : avait lu le document');
    expect(cancelled(curateur, [ev('email_sent', 'c')])).toBe('Non signé — demande annulée : avait reçu le lien, sans l’ouvrir');
  });

  it('never reached (her turn had not come): no « En attente de son tour »', () => {
    const s = cancelled(later, [ev('email_sent', 'p')]);
    expect(s).toBe('Non signé — demande annulée : aucun lien ne lui avait été envoyé');
    expect(s).not.toContain('En attente');
  });

  it('the establishment’s countersigner: « Non contresigné — demande annulée », not « Contresignature attendue »', () => {
    expect(cancelled(director, [])).toBe('Non contresigné — demande annulée');
  });

  it('a DIPC: the director established nothing (« N’a pas signé »), the person’s optional countersignature « N’a pas contresigné »', () => {
    const optPerson = { ...person, optional: true };
    const dipc = [optPerson, director];
    expect(cancelled(director, [], 'dipc', dipc)).toBe('Non signé — demande annulée');
    expect(cancelled(optPerson, [ev('email_sent', 'p')], 'dipc', dipc)).toBe('Non contresigné — demande annulée : avait reçu le lien, sans l’ouvrir');
  });

  it('who signed or refused keeps it', () => {
    expect(cancelled({ ...person, status: 'signed', actedAt: at }, [])).toMatch(/^Signé le 3 décembre 2026 à 14 h 05$/);
    expect(cancelled({ ...curateur, status: 'refused', actedAt: at }, [])).toMatch(/^A refusé de signer le /);
  });

  it('an active request is unchanged', () => {
    expect(signerState(curateur, [ev('email_sent', 'c'), ev('link_opened', 'c')], { type: 'contrat-sejour', signers, mode: 'sequential', status: 'active' })).toBe('A ouvert le lien, pas encore lu');
  });
});
