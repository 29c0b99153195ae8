import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { assertHolderConflictResolved, decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDecision, PolicyDocumentType, PolicyInput } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const ACTS_WITH_ESTABLISHMENT: PolicyDocumentType[] = ['contrat-sejour', 'avenant', 'dipc'];

/** A mandataire judiciaire who is the establishment's préposé (C. civ. 451 al. 2). */
const prepose = aContact('prepose', { firstName: 'Hervé', lastName: 'Lenoir', organisationName: 'EHPAD Les Tilleuls', email: 'h.lenoir@les-tilleuls.example' });
const subroge = aContact('subroge', { firstName: 'Nadia', lastName: 'Roux', relation: 'nièce', email: 'nadia.roux@example.org' });
/** A relative the judge appointed beside him (C. civ. 447 al. 2: co-tuteur, co-curateur; 494-1: several habilitated relatives). */
const coHolder = aContact('cohold', { firstName: 'Marie', lastName: 'Lenoir', relation: 'fille', email: 'marie.lenoir@example.org' });
const adHoc = aContact('adhoc', { firstName: 'Luc', lastName: 'Garnier', organisationName: 'UDAF du Val', email: 'l.garnier@udaf-val.example' });

const ref = (c: ContactView) => ({ ...c, contactId: c.id });

/** The préposé is flagged on his own holder row (C. civ. 451 al. 2; migration 1764100000000). */
function resident(type: MeasureType, over: Partial<Omit<MeasureView, 'holders'>> = {}, holders: (ContactView & { establishmentEmployee?: boolean })[] = [{ ...prepose, establishmentEmployee: true }]): ResidentView {
  return aResident({ contacts: [prepose, subroge, adHoc, coHolder], protectionMeasures: [aMeasure(type, holders, over, ON)] });
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
      expect(e.message).toContain('Si le juge a nommé un subrogé tuteur, enregistrez-le dans la mesure');
      expect(e.message).toContain('demandez au juge des contentieux de la protection de désigner un tuteur ad hoc pour cet acte (C. civ. 455)');
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
    expect(e.message).not.toContain('subrogé');
    expect(e.message).toContain('Demandez au juge des contentieux de la protection de désigner une personne ad hoc pour cet acte (C. civ. 455)');
    expect(e.details[0].field).toBe('protectionMeasures.measure-habilitation_familiale.adHocContactId');
  });

  it('personal documents (projet personnalisé, compte rendu) are not acts with opposed interests: the préposé signs them as usual', () => {
    for (const t of ['projet-personnalise', 'compte-rendu-synthese'] as const) {
      const d = decide(resident('tutelle'), t);
      expect(d.signers.some((s) => s.key === 'tuteur:prepose')).toBe(true);
    }
  });

  it('a holder who is not the establishment’s préposé signs the contract himself, subrogé or not', () => {
    const d = decide(resident('tutelle', { subroge: ref(subroge) }, [prepose]));
    expect(shape(d)).toEqual(['tuteur:prepose:1', 'director:2']);
  });

  describe('co-holders: the tie to the establishment is each holder’s own (C. civ. 447 al. 2-3)', () => {
    it('co-tuteurs, one préposé: the other tuteur represents her alone for the contract, avenants and DIPC; the préposé does not sign', () => {
      const r = resident('tutelle', {}, [{ ...prepose, establishmentEmployee: true }, coHolder]);
      expect(shape(decide(r))).toEqual(['tuteur:cohold:1', 'director:2']);
      expect(shape(decide(r, 'avenant'))).toEqual(['tuteur:cohold:1', 'director:2']);
      expect(shape(decide(r, 'dipc'))).toEqual(['tuteur:cohold:1?', 'director:2']);
      const d = decide(r);
      expect(d.signers[0].capacity).toContain('en qualité de tuteur, qui représente');
      expect(d.explanation).toContain('Un des titulaires de la mesure (tuteur) est préposé de l’établissement');
      expect(d.explanation).toContain('L’autre titulaire, qui exerce la mesure avec lui, signe (C. civ. 447 al. 2 et 3).');
    });

    it('the flag follows the holder, not his place in the list: the second co-curateur préposé is the one left out, the subrogé is not called in', () => {
      const d = decide(resident('curatelle', { subroge: ref(subroge) }, [coHolder, { ...prepose, establishmentEmployee: true }]), 'avenant');
      expect(shape(d)).toEqual(['resident:1', 'curateur:cohold:1', 'director:2']);
      expect(d.signers[0].capacity).toBe('en son nom propre, avec l’assistance de son curateur');
    });

    it('two habilitated relatives, one employed by the establishment: the other signs', () => {
      expect(shape(decide(resident('habilitation_familiale', {}, [{ ...prepose, establishmentEmployee: true }, coHolder])))).toEqual(['habilite:cohold:1', 'director:2']);
    });

    it('co-tuteurs, neither préposé: both sign as before', () => {
      expect(shape(decide(resident('tutelle', {}, [prepose, coHolder])))).toEqual(['tuteur:prepose:1', 'tuteur:cohold:1', 'director:2']);
    });

    it('both co-tuteurs préposés: the subrogé signs; without him nor an ad hoc holder, refused', () => {
      const both = [{ ...prepose, establishmentEmployee: true }, { ...coHolder, establishmentEmployee: true }];
      expect(shape(decide(resident('tutelle', { subroge: ref(subroge) }, both)))).toEqual(['tuteur:subroge:1', 'director:2']);
      expect(refusal(resident('tutelle', {}, both)).code).toBe('HOLDER_CONFLICT_OF_INTEREST');
    });

    it('every co-holder préposé, no subrogé nor ad hoc: the refusal says that none of them can sign and what staff do — record the subrogé, or ask the judge for an ad hoc holder (C. civ. 454 al. 5, 455)', () => {
      const both = [{ ...prepose, establishmentEmployee: true }, { ...coHolder, establishmentEmployee: true }];
      for (const t of ACTS_WITH_ESTABLISHMENT) {
        const e = refusal(resident('tutelle', {}, both), t);
        expect(e.code).toBe('HOLDER_CONFLICT_OF_INTEREST');
        expect(e.message).toContain('Tous les titulaires de la mesure (les deux tuteurs) sont préposés de l’établissement ou liés à lui (C. civ. 451 al. 2)');
        expect(e.message).toContain('aucun d’eux ne peut signer');
        expect(e.message).toContain('Si le juge a nommé un subrogé tuteur, enregistrez-le dans la mesure : il représente la personne pour cet acte (C. civ. 454 al. 5)');
        expect(e.message).toContain('demandez au juge des contentieux de la protection de désigner un tuteur ad hoc pour cet acte (C. civ. 455)');
        expect(e.message).not.toContain('Lenoir');
        expect(e.details).toEqual([expect.objectContaining({ field: 'protectionMeasures.measure-tutelle.subrogeContactId', code: 'HOLDER_CONFLICT_OF_INTEREST' })]);
      }
      // A curatelle: the subrogé curateur assists her.
      expect(refusal(resident('curatelle', {}, both)).message).toContain('Si le juge a nommé un subrogé curateur, enregistrez-le dans la mesure : il assiste la personne pour cet acte (C. civ. 454 al. 5)');
      // No subrogé in law (C. civ. 454): only the ad hoc appointment is asked for, in the plural.
      const h = refusal(resident('habilitation_familiale', {}, both));
      expect(h.message).toContain('Tous les titulaires de la mesure (les deux personnes habilitées) sont préposés');
      expect(h.message).toContain('Demandez au juge des contentieux de la protection de désigner une personne ad hoc pour cet acte (C. civ. 455)');
      expect(h.message).not.toContain('subrogé');
      expect(h.details[0].field).toBe('protectionMeasures.measure-habilitation_familiale.adHocContactId');
    });

    it('an ad hoc tuteur the judge appointed for the act signs even beside a co-tuteur free of the conflict (the decision is followed)', () => {
      const d = decide(resident('tutelle', { adHoc: { ...ref(adHoc), judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } }, [{ ...prepose, establishmentEmployee: true }, coHolder]));
      expect(shape(d)).toEqual(['tuteur:adhoc:1', 'director:2']);
    });

    it('personal documents: both co-tuteurs sign as usual, the préposé included', () => {
      const d = decide(resident('tutelle', {}, [{ ...prepose, establishmentEmployee: true }, coHolder]), 'projet-personnalise');
      expect(d.signers.filter((s) => s.role === 'tuteur').map((s) => s.person.contactId)).toEqual(['prepose', 'cohold']);
    });
  });

  describe('at generation (assertHolderConflictResolved): the same refusal before a document exists', () => {
    const check = (r: ResidentView, documentType: PolicyDocumentType) => () => assertHolderConflictResolved({ documentType, resident: r, on: ON });
    it('the préposé alone, nobody recorded: contract, avenant, DIPC refused with the signature request’s code and message', () => {
      for (const t of ACTS_WITH_ESTABLISHMENT) {
        expect(check(resident('tutelle'), t)).toThrow(SignaturePolicyError);
        let message = '';
        try {
          check(resident('tutelle'), t)();
        } catch (e) {
          expect((e as SignaturePolicyError).code).toBe('HOLDER_CONFLICT_OF_INTEREST');
          message = (e as Error).message;
        }
        expect(message).toBe(refusal(resident('tutelle'), t).message);
      }
    });

    it('nothing refused with a subrogé, an ad hoc holder, a co-holder free of the conflict, or for a personal document', () => {
      expect(check(resident('tutelle', { subroge: ref(subroge) }), 'contrat-sejour')).not.toThrow();
      expect(check(resident('tutelle', { adHoc: { ...ref(adHoc), judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } }), 'dipc')).not.toThrow();
      expect(check(resident('tutelle', {}, [{ ...prepose, establishmentEmployee: true }, coHolder]), 'avenant')).not.toThrow();
      expect(check(resident('tutelle'), 'projet-personnalise')).not.toThrow();
    });
  });
});
