import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const ACTS_WITH_ESTABLISHMENT: PolicyDocumentType[] = ['contrat-sejour', 'avenant', 'dipc'];

/** A mandataire judiciaire who is the establishment's préposé (C. civ. 451 al. 2). */
const prepose = aContact('prepose', { firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD Les Tilleuls', email: 'h.lenoir@les-tilleuls.example' });
const subroge = aContact('subroge', { firstName: 'Nadia', lastName: 'Roux', relation: 'nièce', email: 'nadia.roux@example.org' });
const adHoc = aContact('adhoc', { firstName: 'Luc', lastName: 'Garnier', organisationName: 'UDAF du Val', email: 'l.garnier@udaf-val.example' });

const ref = (c: ContactView) => ({ ...c, contactId: c.id });

function resident(type: MeasureType, over: Partial<Omit<MeasureView, 'holders'>> = {}): ResidentView {
  return aResident({ contacts: [prepose, subroge, adHoc], protectionMeasures: [aMeasure(type, [prepose], { holderEstablishmentEmployee: true, ...over }, ON)] });
}

function decide(r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour', over: Partial<PolicyInput> = {}): PolicyDecision {
  return decideSigners({ documentType, resident: r, establishment, on: ON, ...over });
}

function refusal(r: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour'): SignaturePolicyError {
  try {
    decide(r, documentType);
  } catch (e) {
    if (e instanceof SignaturePolicyError) return e;
    throw e;
  }
  throw new Error('expected a refusal, got a decision');
}

const shape = (d: PolicyDecision) => d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`);

describe('signature policy — the holder is the establishment’s préposé (C. civ. 451 al. 2, 454 al. 5, 455)', () => {
  it('tutelle, no subrogé nor ad hoc: the contract, avenants and DIPC are refused with HOLDER_CONFLICT_OF_INTEREST, citing 454 al. 5 and 455', () => {
    for (const t of ACTS_WITH_ESTABLISHMENT) {
      const e = refusal(resident('tutelle'), t);
      expect(e.code).toBe('HOLDER_CONFLICT_OF_INTEREST');
      expect(e.message).toContain('C. civ. 454 al. 5');
      expect(e.message).toContain('C. civ. 455');
      expect(e.message).toContain('451 al. 2');
      expect(e.message).toMatch(/Enregistrez dans la mesure le subrogé/);
      // The message never names the people concerned (errors may be logged).
      expect(e.message).not.toContain('Lenoir');
      expect(e.details).toEqual([expect.objectContaining({ field: 'protectionMeasures.measure-tutelle.subrogeContactId', code: 'HOLDER_CONFLICT_OF_INTEREST' })]);
    }
  });

  it('tutelle with a subrogé tuteur: the subrogé represents her and signs instead of the tuteur; the director countersigns', () => {
    const d = decide(resident('tutelle', { subroge: ref(subroge) }));
    expect(shape(d)).toEqual(['tuteur:subroge:1', 'director:2']);
    expect(d.signers[0].person).toEqual({ contactId: 'subroge', firstName: 'Nadia', lastName: 'Roux', email: 'nadia.roux@example.org' });
    expect(d.signers[0].capacity).toContain('en qualité de subrogé tuteur, qui représente');
    expect(d.signers[0].legalBasis).toContain('C. civ. 454 al. 5');
    expect(d.signers.some((s) => s.person.contactId === 'prepose')).toBe(false);
    expect(d.explanation).toContain('le subrogé tuteur la représente et signe à sa place (C. civ. 454 al. 5)');
    // Her view is still captured (C. civ. 457-1), recorded by the subrogé.
    expect(d.views.map((v) => v.recordedBy)).toEqual([['tuteur:subroge']]);
  });

  it('DIPC with a subrogé: the subrogé may countersign (optional), the director signs', () => {
    expect(shape(decide(resident('tutelle', { subroge: ref(subroge) }), 'dipc'))).toEqual(['tuteur:subroge:1?', 'director:2']);
  });

  it('curatelle with a subrogé curateur: the person signs, assisted by the subrogé curateur, not the préposé', () => {
    const d = decide(resident('curatelle', { subroge: ref(subroge) }), 'avenant');
    expect(shape(d)).toEqual(['resident:1', 'curateur:subroge:1', 'director:2']);
    expect(d.signers[0].capacity).toBe('en son nom propre, avec l’assistance de son subrogé curateur');
    expect(d.explanation).toContain('le subrogé curateur l’assiste');
  });

  it('curatelle renforcée: the judge’s authorisation given to the curateur (C. civ. 472) does not pass to the subrogé: both sign', () => {
    const d = decide(resident('curatelle_renforcee', { subroge: ref(subroge), judgeAuthorisesHolderAlone: true, authorisationReference: 'ORD 26/12' }));
    expect(shape(d)).toEqual(['resident:1', 'curateur:subroge:1', 'director:2']);
  });

  it('an ad hoc tuteur recorded (C. civ. 455): he signs, with the decision cited; he comes before a subrogé', () => {
    const d = decide(resident('tutelle', { subroge: ref(subroge), adHoc: { ...ref(adHoc), judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } }));
    expect(shape(d)).toEqual(['tuteur:adhoc:1', 'director:2']);
    expect(d.signers[0].capacity).toContain('en qualité de tuteur ad hoc');
    expect(d.signers[0].legalBasis).toContain('C. civ. 455 (décision RG 26/00981 du 14 septembre 2026)');
    expect(d.explanation).toContain('C. civ. 455');
  });

  it('habilitation familiale (no subrogé in law): only the ad hoc appointment is asked for', () => {
    const e = refusal(resident('habilitation_familiale'));
    expect(e.code).toBe('HOLDER_CONFLICT_OF_INTEREST');
    expect(e.message).not.toContain('Enregistrez dans la mesure le subrogé');
    expect(e.details[0].field).toBe('protectionMeasures.measure-habilitation_familiale.adHocContactId');
  });

  it('personal documents (projet personnalisé, compte rendu) are not acts with opposed interests: the préposé signs them as usual', () => {
    for (const t of ['projet-personnalise', 'compte-rendu-synthese'] as const) {
      const d = decide(resident('tutelle'), t);
      expect(d.signers.some((s) => s.key === 'tuteur:prepose')).toBe(true);
    }
  });

  it('a holder who is not the establishment’s préposé signs the contract himself, subrogé or not', () => {
    const d = decide(resident('tutelle', { holderEstablishmentEmployee: false, subroge: ref(subroge) }));
    expect(shape(d)).toEqual(['tuteur:prepose:1', 'director:2']);
  });
});
