import { decideSigners } from './signature-policy';
import { aContact, aResident } from './testing/resident-view.builder';

/**
 * A minor's name in a representative's capacity goes through `ofName` (@carepact/common), like every
 * other « de <name> »: elided before a vowel, never before h (« d’Hugo » would be wrong for an h aspiré,
 * and a name does not say which).
 */
const ON = '2026-11-20';
const establishment = { name: 'IME Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const decision = { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
const tuteur = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', email: 'h.roux@example.org', minorRole: 'tuteur' });
const delegataire = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' });
const capacity = (firstName: string, over: Record<string, unknown>) =>
  decideSigners({ documentType: 'contrat-sejour', resident: aResident({ firstName, lastName: 'Leroy', birthDate: '2014-05-30', ...over }, ON), establishment, on: ON }).signers[0].capacity;

describe('a minor’s name in the capacity of whoever signs for them', () => {
  it('no elision before h: « au nom de Hugo Leroy », « de l’autorité parentale de Hugo Leroy »', () => {
    expect(capacity('Hugo', { parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur] })).toBe('en qualité de tuteur, au nom de Hugo Leroy');
    expect(capacity('Hugo', { parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [delegataire] })).toBe('en qualité de délégataire de l’autorité parentale de Hugo Leroy');
  });

  it('elision before a vowel, accented or not: « au nom d’Élise Leroy », « d’Inès Leroy »', () => {
    expect(capacity('Élise', { parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur] })).toBe('en qualité de tuteur, au nom d’Élise Leroy');
    expect(capacity('Inès', { parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [delegataire] })).toBe('en qualité de délégataire de l’autorité parentale d’Inès Leroy');
  });
});
