import type { ResidentView } from '@carepact/residents';
import { consentSentence } from './consent-sentence';
import { withoutFileReferences } from './file-references';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aResident } from './testing/resident-view.builder';

/**
 * A minor's representatives other than the parents: the tuteur (C. civ. 390, 408; a pupille de
 * l'État's, CASF L.224-1), the délégataire of parental authority (C. civ. 377, 377-1), the service
 * the juge des enfants entrusted the child to and authorised to perform the act (C. civ. 375-7).
 */
const ON = '2026-11-20';
const establishment = { name: 'IME Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const enzo = { firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30' };
const decision = { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
const tuteur = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', email: 'h.roux@example.org', minorRole: 'tuteur' });
const prefet = aContact('claire', { firstName: 'Claire', lastName: 'Moreau', organisationName: 'Préfecture du Val', minorRole: 'tuteur' });
const delegataire = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' });
const ase = aContact('sophie', { firstName: 'Sophie', lastName: 'Garnier', organisationName: 'ASE du Val', minorRole: 'service_gardien' });
const mother = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const father = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });

const minor = (over: Partial<ResidentView>) => aResident({ ...enzo, ...over }, ON);
const decide = (r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour', over: Partial<PolicyInput> = {}): PolicyDecision =>
  decideSigners({ documentType, resident: r, establishment, on: ON, ...over });
const shape = (d: PolicyDecision) => d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`);
function refusal(r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour'): SignaturePolicyError {
  try {
    decide(r, documentType);
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e;
    throw e;
  }
  throw new Error('expected a refusal, got a decision');
}

describe('tutelle of a minor (C. civ. 390 s., 408)', () => {
  const underTutelle = minor({ parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur] });

  it('the tuteur signs the contract for the minor, the establishment last; the minor’s view is recorded', () => {
    const d = decide(underTutelle);
    expect(shape(d)).toEqual(['tuteur:helene:1', 'director:2']);
    const t = d.signers[0];
    expect(t.role).toBe('tuteur');
    expect(t.capacity).toBe('en qualité de tuteur, au nom d’Enzo Petit');
    expect(t.legalBasis).toContain('C. civ. 390, 408');
    expect(t.legalBasis).toContain('RG 25/00042');
    expect(d.views).toEqual([expect.objectContaining({ key: 'resident', reason: 'minor', recordedBy: ['tuteur:helene'], legalBasis: expect.stringContaining('388-1') })]);
    expect(d.explanation).toContain('Mineur sous tutelle');
    expect(d.explanation).toContain('C. civ. 408');
  });

  it('for a DIPC the tuteur may countersign (CASF D.311 II); for the projet the child may sign too', () => {
    expect(shape(decide(underTutelle, 'dipc'))).toEqual(['tuteur:helene:1?', 'director:2']);
    expect(shape(decide(underTutelle, 'projet-personnalise'))).toEqual(['resident:1?', 'tuteur:helene:1', 'director:2']);
  });

  it('a pupille de l’État: the préfet’s representative signs as tuteur (CASF L.224-1)', () => {
    const d = decide(minor({ parentalAuthority: 'tutelle', minorDecision: { ...decision, authority: 'Préfet du Val', wardOfState: true }, contacts: [prefet] }));
    expect(shape(d)).toEqual(['tuteur:claire:1', 'director:2']);
    expect(d.signers[0].capacity).toContain('pupille de l’État');
    expect(d.signers[0].legalBasis).toContain('CASF L.224-1');
    expect(consentSentence(d.signers[0], 'Enzo Petit')).toBe('J’ai lu le document et je le signe en qualité de tuteur : je représente Enzo Petit, pupille de l’État.');
  });

  it('refuses without a tuteur, without the decision, or with a parent still holding parental authority', () => {
    expect(refusal(minor({ parentalAuthority: 'tutelle', minorDecision: decision, contacts: [] })).code).toBe('MINOR_REPRESENTATIVE_MISSING');
    expect(refusal(minor({ parentalAuthority: 'tutelle', minorDecision: null, contacts: [tuteur] })).code).toBe('MINOR_DECISION_MISSING');
    expect(refusal(minor({ parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur, mother] })).code).toBe('PARENTAL_AUTHORITY_UNKNOWN');
  });

  it('the auditor’s copy of the explanation drops the decision’s reference', () => {
    const text = withoutFileReferences(decide(underTutelle).explanation);
    expect(text).toContain('Mineur sous tutelle (Conseil de famille, TJ de Valville)');
    expect(text).not.toContain('RG 25/00042');
  });

  it('the tuteur may be proposed as signer', () => {
    expect(() => decide(underTutelle, 'contrat-sejour', { proposedContactIds: ['helene'] })).not.toThrow();
  });
});

describe('delegation of parental authority (C. civ. 377, 377-1)', () => {
  it('total: the délégataire signs alone, the parents do not', () => {
    const d = decide(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [delegataire, mother, father] }));
    expect(shape(d)).toEqual(['delegataire:helene:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en qualité de délégataire de l’autorité parentale d’Enzo Petit');
    expect(d.signers[0].legalBasis).toContain('C. civ. 377, 377-1');
    expect(d.explanation).toContain('délégation totale');
    expect(consentSentence(d.signers[0], 'Enzo Petit')).toBe('J’ai lu le document et je le signe en qualité de délégataire de l’autorité parentale d’Enzo Petit.');
  });

  it('shared: the délégataire and the parent both sign (C. civ. 377-1 al. 2)', () => {
    const d = decide(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'shared' }, contacts: [delegataire, mother] }));
    expect(shape(d)).toEqual(['delegataire:helene:1', 'parent:julie:1', 'director:2']);
    expect(d.signers[0].legalBasis).toContain('377-1 al. 2');
    expect(d.views[0].recordedBy).toEqual(['delegataire:helene', 'parent:julie']);
  });

  it('a parent proposed under a total delegation has no standing, and is told why (C. civ. 377)', () => {
    const r = minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [delegataire, mother] });
    let e: unknown;
    try {
      decide(r, 'contrat-sejour', { proposedContactIds: ['julie'] });
    } catch (err) {
      e = err;
    }
    expect(e).toMatchObject({ code: 'SIGNER_WITHOUT_STANDING', message: expect.stringContaining('C. civ. 377, 377-1') });
  });

  it('refuses without the délégataire, without the judgment or its extent, and a shared delegation without a parent', () => {
    expect(refusal(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [mother] })).code).toBe('MINOR_REPRESENTATIVE_MISSING');
    expect(refusal(minor({ parentalAuthority: 'delegation', minorDecision: null, contacts: [delegataire] })).code).toBe('MINOR_DECISION_MISSING');
    expect(refusal(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: null }, contacts: [delegataire] })).code).toBe('MINOR_DECISION_MISSING');
    expect(refusal(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'shared' }, contacts: [delegataire] })).code).toBe('PARENT_MISSING');
  });
});

describe('placement by the juge des enfants (C. civ. 375-7)', () => {
  const placed = (over: Partial<ResidentView> = {}) => minor({ parentalAuthority: 'court_measure', contacts: [ase, mother, father], ...over });
  const authorised = { ...decision, authority: 'Juge des enfants, TJ de Valville', actAuthorisation: { reference: 'Ordonnance JE 26/0012', date: '2026-10-02' } };

  it('without the judge’s authorisation the service gardien is no signer: the director signs the DIPC, the parents may countersign', () => {
    const d = decide(placed({ minorDecision: { ...decision, authority: 'Juge des enfants, TJ de Valville' } }), 'dipc');
    expect(shape(d)).toEqual(['parent:julie:1?', 'parent:thomas:1?', 'director:2']);
    expect(d.explanation).toContain('sans autorisation du juge des enfants, il ne signe pas ce document (C. civ. 373-4, 375-7)');
  });

  it('with the judge’s authorisation to perform the act the service may countersign too', () => {
    const d = decide(placed({ minorDecision: authorised }), 'dipc');
    expect(shape(d)).toEqual(['service_gardien:sophie:1?', 'parent:julie:1?', 'parent:thomas:1?', 'director:2']);
    const s = d.signers[0];
    expect(s.role).toBe('service_gardien');
    expect(s.capacity).toBe('en qualité de représentant du service à qui l’enfant Enzo Petit est confié (ASE du Val), sur autorisation du juge des enfants');
    expect(s.legalBasis).toContain('C. civ. 375-7');
    expect(s.legalBasis).toContain('Ordonnance JE 26/0012');
    expect(withoutFileReferences(d.explanation)).not.toContain('26/0012');
    expect(consentSentence(s, 'Enzo Petit', 'dipc')).toContain('en qualité de représentant du service à qui l’enfant Enzo Petit est confié (ASE du Val), avec l’autorisation du juge des enfants');
  });

  it('the service proposed without the judge’s authorisation has no standing, and is told why (C. civ. 375-7)', () => {
    let e: unknown;
    try {
      decide(placed(), 'dipc', { proposedContactIds: ['sophie'] });
    } catch (err) {
      e = err;
    }
    expect(e).toMatchObject({ code: 'SIGNER_WITHOUT_STANDING', message: expect.stringContaining('375-7') });
  });

  it('an authorisation without the service on file is refused; a contrat de séjour is still not the document (CASF D.311)', () => {
    expect(refusal(placed({ minorDecision: authorised, contacts: [mother, father] }), 'dipc').code).toBe('MINOR_REPRESENTATIVE_MISSING');
    expect(refusal(placed({ minorDecision: authorised }), 'contrat-sejour').code).toBe('DOCUMENT_TYPE_NOT_APPLICABLE');
  });
});
