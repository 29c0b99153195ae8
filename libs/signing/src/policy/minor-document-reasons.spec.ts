import type { ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import type { PolicyDecision, PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aResident } from './testing/resident-view.builder';

/**
 * « Qui signera et pourquoi » for a minor gives each document its own reason. The annex on the freedom
 * to come and go (CASF L.311-4-1 I) said « l'admission n'étant pas un acte usuel » and cited C. civ.
 * 457-1 and 459 — the rules for protected adults — as the parents' basis. For a minor it concerns the
 * child's person, which parental authority protects (C. civ. 371-1 al. 2), and is no usual act, so
 * under joint exercise both parents sign (C. civ. 372, 372-2 a contrario). The admission's reason is
 * the contract's only; the DIPC and the minutes are an optional countersignature or acknowledgement.
 */
const ON = '2026-11-20';
const establishment = { name: 'IME Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const mother = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const father = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });
const tuteur = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', minorRole: 'tuteur' });
const enzo = (over: Partial<ResidentView> = {}) =>
  aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'shared', contacts: [mother, father], ...over }, ON);
const decide = (documentType: PolicyDocumentType, over: Partial<PolicyInput> = {}, r: ResidentView = enzo()): PolicyDecision =>
  decideSigners({ documentType, resident: r, establishment, on: ON, ...over });
const annex = (r: ResidentView = enzo()) => decide('avenant', { appliesTo: 'contrat-sejour', avenantPurpose: 'liberte-aller-venir' }, r);
const ADULT_ARTICLES = /457-1|\b459\b|459-2/;
const everything = (d: PolicyDecision) => [d.explanation, ...d.signers.map((s) => s.legalBasis), ...d.views.map((v) => v.legalBasis)].join(' | ');

describe('the freedom-of-movement annex for a minor (CASF L.311-4-1 I; C. civ. 371-1, 372)', () => {
  it('gives the annex’s reason — a decision about the child’s person, not an usual act — not the admission’s', () => {
    const d = annex();
    expect(d.signers.map((s) => s.key)).toEqual(['parent:julie', 'parent:thomas', 'director']);
    expect(d.explanation).toContain('l’annexe restreint la liberté d’aller et venir de l’enfant');
    expect(d.explanation).toContain('C. civ. 371-1 al. 2');
    expect(d.explanation).toContain('372-2 a contrario');
    expect(d.explanation).not.toContain('admission');
    expect(d.signers[0].legalBasis).toBe('C. civ. 371-1, 372 ; CASF L.311-4-1 I (annexe au contrat de séjour) ; C. civ. 371-1 al. 2 (décision relative à la personne de l’enfant)');
  });

  it('cites no article of the protected adults’ regime, whoever exercises parental authority', () => {
    expect(everything(annex())).not.toMatch(ADULT_ARTICLES);
    const underTutelle = enzo({ parentalAuthority: 'tutelle', contacts: [tuteur], minorDecision: { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' } });
    expect(everything(annex(underTutelle))).not.toMatch(ADULT_ARTICLES);
  });

  it('an adult’s annex keeps its basis (C. civ. 457-1, 459)', () => {
    const adult = aResident({ firstName: 'Lucie', lastName: 'Bernard' }, ON);
    expect(annex(adult).signers[0].legalBasis).toContain('C. civ. 457-1, 459');
  });
});

describe('the other documents for a minor under joint parental authority: each its own reason', () => {
  it('the contract: the admission is not an usual act (C. civ. 372-2 a contrario)', () => {
    expect(decide('contrat-sejour').explanation).toContain('l’admission dans l’établissement n’est pas un acte usuel');
  });

  it('an avenant: it modifies the contract, concluded in the same conditions (CASF L.311-4)', () => {
    const d = decide('avenant', { appliesTo: 'contrat-sejour' });
    expect(d.explanation).toContain('l’avenant modifie le contrat de séjour');
    expect(d.explanation).not.toContain('l’admission n’étant');
  });

  it('the DIPC and an avenant to it: the parents may countersign, they are not told they must sign', () => {
    const dipc = decide('dipc');
    expect(dipc.explanation).toContain('peuvent le contresigner (C. civ. 372 ; CASF D.311 II)');
    expect(dipc.explanation).not.toContain('les deux parents signent');
    const avenantDipc = decide('avenant', { appliesTo: 'dipc' });
    expect(avenantDipc.explanation).toContain('peuvent le contresigner (C. civ. 372 ; CASF D.311 II et VII)');
  });

  it('the projet personnalisé: the child’s accompaniment, not the admission', () => {
    const d = decide('projet-personnalise');
    expect(d.explanation).toContain('le projet personnalisé porte sur l’accompagnement de l’enfant');
    expect(d.explanation).not.toContain('admission');
  });

  it('the minutes: an optional acknowledgement, not a signature the admission requires', () => {
    const d = decide('compte-rendu-synthese');
    expect(d.explanation).toContain('peuvent en prendre connaissance par une signature simple, facultative');
    expect(d.explanation).not.toContain('admission');
    expect(d.explanation).not.toContain('les deux parents signent');
  });

  it('no document cites the protected adults’ articles for a minor', () => {
    for (const [t, over] of [
      ['contrat-sejour', {}],
      ['avenant', { appliesTo: 'contrat-sejour' }],
      ['avenant', { appliesTo: 'dipc' }],
      ['dipc', {}],
      ['projet-personnalise', {}],
      ['compte-rendu-synthese', {}],
    ] as [PolicyDocumentType, Partial<PolicyInput>][])
      expect(everything(decide(t, over))).not.toMatch(ADULT_ARTICLES);
  });
});
