import { templateInputOf } from '@carepact/documents';
import type { EstablishmentEntity } from '@carepact/identity';
import type { ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aResident } from './testing/resident-view.builder';

/**
 * A partial delegation (C. civ. 377 al. 1-2, 377-1 al. 1: only part of the exercise is transferred,
 * the parents keep the rest) and a shared one (C. civ. 377-1 al. 2: the parents « partageront tout ou
 * partie de l'exercice de l'autorité parentale avec le tiers délégataire ») were one « partielle ou
 * partagée » value, routed as a shared exercise: the délégataire and the parents signed together,
 * although under a partial delegation only one side holds the power for a given act — the
 * délégataire if the judgment delegates the admission and accompaniment in the establishment, the
 * parents otherwise.
 */
const ON = '2026-11-20';
const establishment = { name: 'IME Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const judgment = { authority: 'JAF, TJ de Valville', reference: 'RG 25/00077', date: '2025-04-01' };
const delegataire = aContact('helene', { firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' });
const mother = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const father = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });
const enzo = (over: Partial<ResidentView>) => aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'delegation', ...over }, ON);
const decide = (r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour', over: Partial<PolicyInput> = {}): PolicyDecision =>
  decideSigners({ documentType, resident: r, establishment, on: ON, ...over });
const shape = (d: PolicyDecision) => d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`);
function refusal(f: () => unknown): SignaturePolicyError {
  try {
    f();
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e;
    throw e;
  }
  throw new Error('expected a refusal, got a decision');
}
const partial = (covers: boolean | null) => ({ ...judgment, delegationExtent: 'partial' as const, delegationCoversStay: covers });

describe('partial delegation (C. civ. 377, 377-1 al. 1)', () => {
  it('covering the admission and accompaniment in the establishment: the délégataire signs alone, the parents do not', () => {
    const d = decide(enzo({ minorDecision: partial(true), contacts: [delegataire, mother, father] }));
    expect(shape(d)).toEqual(['delegataire:helene:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en qualité de délégataire de l’autorité parentale d’Enzo Petit (délégation partielle)');
    expect(d.signers[0].legalBasis).toContain('C. civ. 377, 377-1 al. 1 (délégation partielle, portant sur l’accueil et l’accompagnement dans l’établissement');
    expect(d.explanation).toContain('le délégataire exerce l’autorité parentale déléguée et signe seul ; les parents ne signent pas (C. civ. 377, 377-1 al. 1)');
    expect(d.explanation).not.toContain('377-1 al. 2');
  });

  it('not covering it: the parents, who kept that exercise, sign alone; the délégataire does not, and is told why when proposed', () => {
    const r = enzo({ minorDecision: partial(false), contacts: [delegataire, mother, father] });
    const d = decide(r);
    expect(shape(d)).toEqual(['parent:julie:1', 'parent:thomas:1', 'director:2']);
    expect(d.signers[0].legalBasis).toContain('C. civ. 371-1, 372, 377, 377-1 al. 1 (exercice non délégué)');
    expect(d.explanation).toContain(
      'ne portant pas sur l’accueil et l’accompagnement dans l’établissement : les parents en ont gardé l’exercice en commun et signent tous deux (C. civ. 372) ; le délégataire ne signe pas',
    );
    const e = refusal(() => decide(r, 'contrat-sejour', { proposedContactIds: ['helene'] }));
    expect(e.code).toBe('SIGNER_WITHOUT_STANDING');
    expect(e.message).toContain('ne porte pas sur l’accueil et l’accompagnement dans l’établissement');
  });

  it('a parent proposed under a partial delegation covering the stay is told why (C. civ. 377-1 al. 1)', () => {
    const e = refusal(() => decide(enzo({ minorDecision: partial(true), contacts: [delegataire, mother] }), 'contrat-sejour', { proposedContactIds: ['julie'] }));
    expect(e.code).toBe('SIGNER_WITHOUT_STANDING');
    expect(e.message).toContain('La délégation partielle de l’autorité parentale porte sur l’accueil');
  });

  it('refuses without what it covers (MINOR_DECISION_MISSING / DELEGATION_SCOPE_MISSING), without a parent when the parents sign (PARENT_MISSING)', () => {
    const unknown = refusal(() => decide(enzo({ minorDecision: partial(null), contacts: [delegataire, mother] })));
    expect(unknown.code).toBe('MINOR_DECISION_MISSING');
    expect(unknown.details).toEqual([expect.objectContaining({ code: 'DELEGATION_SCOPE_MISSING', field: 'resident.minorDecision.delegationCoversStay' })]);
    expect(unknown.message).toContain('C. civ. 377, 377-1 al. 1');
    expect(refusal(() => decide(enzo({ minorDecision: partial(false), contacts: [delegataire] }))).code).toBe('PARENT_MISSING');
    expect(refusal(() => decide(enzo({ minorDecision: partial(true), contacts: [mother] }))).code).toBe('MINOR_REPRESENTATIVE_MISSING');
  });
});

/**
 * A partial délégation not covering the stay, one parent on file (C. civ. 372, 377 al. 1, 377-1 al. 1):
 * the parents keep the rest as they held it — jointly, unless the file proves sole exercise. The
 * policy let the one parent on file sign alone (« le parent titulaire en a gardé l’exercice et signe »),
 * and the template input called it `sole` (« exercée par un seul parent »), with no proof.
 */
describe('partial delegation not covering the stay, one parent on file (C. civ. 372, 377, 377-1 al. 1)', () => {
  const proof = { ground: 'judgment' as const, proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' };

  it('without the proof of sole exercise: refused (PARENT_MISSING), naming the other parent or the proof to record', () => {
    const e = refusal(() => decide(enzo({ minorDecision: partial(false), contacts: [delegataire, mother] })));
    expect(e.code).toBe('PARENT_MISSING');
    expect(e.message).toContain('en commun comme sans délégation (C. civ. 372, 377, 377-1 al. 1)');
    expect(e.message).toContain('ajoutez l’autre parent, ou, si ce parent exerce seul l’autorité parentale, enregistrez le motif de l’exercice exclusif et la pièce qui l’établit');
    expect(e.details).toEqual([expect.objectContaining({ field: 'resident.contacts', code: 'PARENT_MISSING' })]);
  });

  it('with the proof: that parent signs alone, as under sole exercise, and the explanation cites the ground and the proof', () => {
    const d = decide(enzo({ minorDecision: partial(false), soleAuthority: proof, contacts: [delegataire, mother] }));
    expect(shape(d)).toEqual(['parent:julie:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en qualité de parent exerçant l’autorité parentale exclusive d’Enzo Petit');
    expect(d.signers[0].legalBasis).toContain('C. civ. 377, 377-1 al. 1 (exercice non délégué) ; C. civ. 373-2-1 (décision du juge confiant l’exercice à ce seul parent ; pièce : Jugement JAF, RG 24/01234 du 12 mars 2024)');
    expect(d.explanation).toContain('les parents en ont gardé l’exercice, que ce parent exerce seul (décision du juge confiant l’exercice à ce seul parent, C. civ. 373-2-1');
    // C. civ. 373-2-1 al. 5: the other parent is informed, he does not sign.
    expect(d.explanation).toContain('doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5). Informez-le de l’admission et du document, sans lui demander de signer.');
  });

  it('the template input agrees: joint exercise without the proof (never « exercée par un seul parent »), sole with it', () => {
    const est = { name: 'IME Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' } as unknown as EstablishmentEntity;
    const minorOf = (r: ResidentView) => (templateInputOf(est, r, {}, ON, 'contrat-sejour') as { resident: { minor: { parentalAuthority: string } | null; minorRepresentation: unknown } }).resident;
    const without = minorOf(enzo({ minorDecision: partial(false), contacts: [delegataire, mother] }));
    expect(without.minor?.parentalAuthority).toBe('shared');
    expect(without.minorRepresentation).toBeNull();
    expect(minorOf(enzo({ minorDecision: partial(false), soleAuthority: proof, contacts: [delegataire, mother] })).minor?.parentalAuthority).toBe('sole');
    expect(minorOf(enzo({ minorDecision: partial(false), contacts: [delegataire, mother, father] })).minor?.parentalAuthority).toBe('shared');
  });

  it('a proof of sole exercise with two parents on file is a file to correct (PARENTAL_AUTHORITY_UNKNOWN)', () => {
    expect(refusal(() => decide(enzo({ minorDecision: partial(false), soleAuthority: proof, contacts: [delegataire, mother, father] }))).code).toBe('PARENTAL_AUTHORITY_UNKNOWN');
  });
});

describe('shared delegation (C. civ. 377-1 al. 2)', () => {
  it('the délégataire and the parents sign together; the reason is the shared exercise, not a partial transfer', () => {
    const d = decide(enzo({ minorDecision: { ...judgment, delegationExtent: 'shared' }, contacts: [delegataire, mother, father] }));
    expect(shape(d)).toEqual(['delegataire:helene:1', 'parent:julie:1', 'parent:thomas:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en qualité de délégataire de l’autorité parentale d’Enzo Petit (délégation partagée)');
    expect(d.signers[0].legalBasis).toContain('C. civ. 377, 377-1 al. 2 (délégation partagée avec les parents');
    expect(d.explanation).toContain('les parents en partagent l’exercice avec le délégataire');
    expect(d.explanation).not.toContain('partielle');
  });
});
