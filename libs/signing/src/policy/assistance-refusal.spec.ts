import { aContact, aMeasure, aResident } from './testing/resident-view.builder';
import { assistsThePerson } from './assistance-refusal';
import { decideSigners } from './signature-policy';

const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const ON = '2026-11-20';
const karim = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
const decide = (type: Parameters<typeof aMeasure>[0], over: Parameters<typeof aMeasure>[2] = {}) =>
  decideSigners({ documentType: 'contrat-sejour', resident: aResident({ contacts: [karim], protectionMeasures: [aMeasure(type, [karim], over, ON)] }), establishment, on: ON });

describe('assistsThePerson (CASF D.311, C. civ. 469)', () => {
  it('the curateur assists: his refusal is not the contract’s refusal; the person and a tuteur are not assistants', () => {
    const curatelle = decide('curatelle_renforcee');
    expect(curatelle.signers.map((s) => [s.key, assistsThePerson(curatelle, s.key)])).toEqual([
      ['resident', false],
      ['curateur:karim', true],
      ['director', false],
    ]);
    // Authorised by the judge to sign the accommodation agreement alone (C. civ. 472), he still assists.
    const alone = decide('curatelle_renforcee', { judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' });
    expect(assistsThePerson(alone, 'curateur:karim')).toBe(true);
    const tutelle = decide('tutelle');
    expect(tutelle.signers.map((s) => assistsThePerson(tutelle, s.key))).toEqual([false, false]);
    expect(assistsThePerson(curatelle, 'nobody')).toBe(false);
  });
});
