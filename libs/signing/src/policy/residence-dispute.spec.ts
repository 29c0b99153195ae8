import type { ViewToRecord } from './policy.types';
import { judgeDecided, residenceDisagreement } from './residence-dispute';

const person = { contactId: null, firstName: 'Lucie', lastName: 'Bernard', email: null };
const view = (legalBasis: string): ViewToRecord => ({ key: 'resident', person, reason: 'tutelle', recordedBy: ['tuteur:alain'], legalBasis });

describe('her recorded disagreement with living in the establishment (C. civ. 459-2)', () => {
  it('is the view the policy cites 459-2 for, recorded « desaccord »', () => {
    const decision = { views: [view('C. civ. 457-1, 459-2 ; CASF L.311-4')] };
    expect(residenceDisagreement(decision, [{ key: 'resident', expression: 'desaccord' }])).toBe(decision.views[0]);
    for (const expression of ['accord', 'accord_partiel', 'ne_se_prononce_pas', 'ne_peut_pas_s_exprimer'])
      expect({ expression, stops: residenceDisagreement(decision, [{ key: 'resident', expression }]) }).toEqual({ expression, stops: null });
    expect(residenceDisagreement(decision, [])).toBeNull();
  });

  it('a view that does not decide where she lives (a minor’s, a projet personnalisé) never stops the signature', () => {
    expect(residenceDisagreement({ views: [view('C. civ. 371-1 al. 4, 388-1 ; CASF L.311-4 (avis du mineur)')] }, [{ key: 'resident', expression: 'desaccord' }])).toBeNull();
    expect(residenceDisagreement({ views: [] }, [{ key: 'resident', expression: 'desaccord' }])).toBeNull();
  });

  it('the judge’s decision is the one the version cites (`document.residenceChoice.judgeDecision.reference`)', () => {
    expect(judgeDecided({ document: { residenceChoice: { agrees: false, judgeDecision: { authority: 'JCP', reference: 'RG 26/00077', date: '2026-08-28' } } } })).toBe(true);
    for (const input of [null, {}, { document: {} }, { document: { residenceChoice: { agrees: false } } }, { document: { residenceChoice: { agrees: false, judgeDecision: null } } }, { document: { residenceChoice: { judgeDecision: { reference: '' } } } }])
      expect({ input, decided: judgeDecided(input) }).toEqual({ input, decided: false });
  });
});
