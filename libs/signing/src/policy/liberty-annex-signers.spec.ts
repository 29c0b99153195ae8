import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyInput } from './policy.types';
import { residenceDisagreement } from './residence-dispute';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * Who signs the annex to the contrat de séjour on the freedom to come and go (avenant purpose
 * `liberte-aller-venir`, CASF L.311-4-1 I). It restricts the person's freedom of movement: a decision
 * relating to her person (C. civ. 459 as in force since loi n° 2019-222 — al. 1 she decides alone as
 * far as her state allows; al. 2 assistance or representation only where the judge provided for it;
 * 457-1 she is informed), not a choice of residence (459-2) nor a commitment of her money. So a measure
 * of the property only leaves her to sign alone, a tutelle « à la personne » lets the tuteur sign, a
 * recorded disagreement on her residence does not stop it, and a mission for the contract is not one
 * for the annex. The other avenants keep the contract's rule.
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const tuteur = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
const curateur = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
const subroge = aContact('odile', { firstName: 'Odile', lastName: 'Bernard' });

function withMeasure(type: MeasureType, holders: (ContactView & { establishmentEmployee?: boolean })[], over: Partial<Omit<MeasureView, 'holders'>> = {}, others: ContactView[] = []): ResidentView {
  return aResident({ firstName: 'Lucie', lastName: 'Bernard', contacts: [...holders, ...others], protectionMeasures: [aMeasure(type, holders, over, ON)] }, ON);
}
const annex = (resident: ResidentView, over: Partial<PolicyInput> = {}): PolicyDecision =>
  decideSigners({ documentType: 'avenant', appliesTo: 'contrat-sejour', avenantPurpose: 'liberte-aller-venir', resident, establishment, on: ON, ...over });
const accompaniment = (resident: ResidentView, over: Partial<PolicyInput> = {}): PolicyDecision =>
  decideSigners({ documentType: 'avenant', appliesTo: 'contrat-sejour', avenantPurpose: 'accompagnement', resident, establishment, on: ON, ...over });
const shape = (d: PolicyDecision) => d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`);
function refusedWith(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e.code;
    throw e;
  }
  return 'routed';
}

describe('the liberty annex is a decision relating to the person (C. civ. 457-1, 459), not a residence one', () => {
  it('tutelle limited to the person: the tuteur represents her, her view is recorded (459 al. 2) — the accompaniment avenant stays refused (it commits her money)', () => {
    const r = withMeasure('tutelle', [tuteur], { scope: ['personne'] });
    const d = annex(r);
    expect(shape(d)).toEqual(['tuteur:alain:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en qualité de tuteur, qui représente Lucie Bernard');
    expect(d.signers[0].legalBasis).toContain('CASF L.311-4-1 I');
    expect(d.views).toEqual([expect.objectContaining({ key: 'resident', legalBasis: 'C. civ. 457-1, 459 al. 2 ; CASF L.311-4-1 I' })]);
    expect(d.explanation).toContain('C. civ. 459 al. 2');
    expect(d.explanation).toContain('intimité de sa vie privée demande l’autorisation du juge (C. civ. 459 al. 3)');
    expect(refusedWith(() => accompaniment(r))).toBe('MEASURE_SCOPE_EXCLUDES_ACT');
  });

  it('her recorded disagreement about living in the establishment does not stop the annex (C. civ. 459-2 is not its subject), nor her opinion recorded on it at signing', () => {
    const r = withMeasure('tutelle', [tuteur], { scope: ['personne', 'biens'] });
    const residence = { agrees: false, judgeDecision: null };
    expect(shape(annex(r, { residence }))).toEqual(['tuteur:alain:1', 'director:2']);
    expect(residenceDisagreement(annex(r, { residence }), [{ key: 'resident', expression: 'desaccord' }])).toBeNull();
    expect(refusedWith(() => annex(r, { admissionConsent: 'refusal' }))).toBe('routed');
    // The accompaniment avenant under the same measure still needs the judge (C. civ. 459-2).
    expect(refusedWith(() => accompaniment(r, { residence }))).toBe('RESIDENCE_DISAGREEMENT_NEEDS_JUDGE');
  });

  it('a measure of the property only does not reach her person: she signs alone, the tuteur or curateur does not (C. civ. 425 al. 2, 459 al. 1)', () => {
    for (const [type, holder] of [
      ['tutelle', tuteur],
      ['curatelle', curateur],
      ['habilitation_familiale', tuteur],
    ] as const) {
      const d = annex(withMeasure(type, [holder], { scope: ['biens'] }));
      expect({ type, signers: shape(d) }).toEqual({ type, signers: ['resident:1', 'director:2'] });
      expect(d.signers[0].capacity).toBe('en son nom propre');
      expect(d.signers[0].legalBasis).toContain('C. civ. 459 al. 1');
    }
    // The contract's avenant of accompaniment: the tuteur signs for the money, she for her residence.
    expect(shape(accompaniment(withMeasure('tutelle', [tuteur], { scope: ['biens'] })))).toEqual(['resident:1', 'tuteur:alain:1', 'director:2']);
  });

  it('a curatelle reaching the person: she signs with her curateur (459 al. 2, 467); the judge’s authorisation for the curateur alone (472) is the accommodation agreement’s, not relied on', () => {
    expect(shape(annex(withMeasure('curatelle', [curateur], { scope: ['personne', 'biens'] })))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
    const reinforced = withMeasure('curatelle_renforcee', [curateur], { scope: ['personne', 'biens'], judgeAuthorisesHolderAlone: true, authorisationReference: 'RG 26/00012' });
    expect(shape(annex(reinforced))).toEqual(['resident:1', 'curateur:karim:1', 'director:2']);
  });

  it('a measure limited to named acts covers the annex only when it names it: a mission for the contract does not (C. civ. 437 al. 2, 459 al. 2 « ceux d’entre eux qu’il énumère »)', () => {
    const forContract = withMeasure('habilitation_familiale', [tuteur], { scope: ['personne', 'biens'], general: false, acts: ['contrat-sejour'] });
    expect(shape(annex(forContract))).toEqual(['resident:1', 'director:2']);
    expect(shape(accompaniment(forContract))).toEqual(['habilite:alain:1', 'director:2']);
    const forAnnex = withMeasure('habilitation_familiale', [tuteur], { scope: ['personne'], general: false, acts: ['Annexe liberté d’aller et venir'] });
    expect(shape(annex(forAnnex))).toEqual(['habilite:alain:1', 'director:2']);
    const mission = withMeasure('sauvegarde_justice', [curateur], { scope: ['biens'], general: false, acts: ['contrat-sejour'], mission: 'Conclure le contrat de séjour' });
    expect(shape(annex(mission))).toEqual(['resident:1', 'director:2']);
  });

  it('a tuteur employed by the establishment whose measures the annex records: the subrogé tuteur signs (C. civ. 451 al. 2, 454 al. 5)', () => {
    const r = withMeasure('tutelle', [{ ...tuteur, establishmentEmployee: true }], { scope: ['personne'], subroge: { ...subroge, contactId: subroge.id } }, [subroge]);
    expect(shape(annex(r))).toEqual(['tuteur:odile:1', 'director:2']);
  });

  it('without a measure: she signs, then the director', () => {
    expect(shape(annex(aResident({}, ON)))).toEqual(['resident:1', 'director:2']);
  });

  it('a holder employed by the establishment under a measure of her property only: he signs nothing, so the annex is not refused for his tie (code review, session 15)', () => {
    const r = withMeasure('curatelle', [{ ...curateur, establishmentEmployee: true }], { scope: ['biens'] });
    expect(shape(annex(r))).toEqual(['resident:1', 'director:2']);
    // The contract's avenant (her money): his tie still stops it.
    expect(refusedWith(() => accompaniment(r))).toBe('HOLDER_CONFLICT_OF_INTEREST');
  });
});
