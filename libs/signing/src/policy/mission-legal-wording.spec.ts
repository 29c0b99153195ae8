import type { MeasureScope, MeasureType, ResidentView } from '@carepact/residents';
import { holderMissionTitle, validateHolderMissions } from '@carepact/residents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * C. civ. 447 al. 3: when the judge divides a curatelle or a tutelle, one holder is « chargé de la
 * protection de la personne », the other « chargé de la gestion patrimoniale ». The policy's labels,
 * the holder's title and the form's checks use the article's words (a sector lawyer's review found
 * « gestion des biens », which is not the law's wording).
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const aPerson = aContact('a-la-personne', { firstName: 'Paul', lastName: 'Girard', email: 'p.girard@example.org' });
const ofGoods = aContact('aux-biens', { firstName: 'Sophie', lastName: 'Texier', organisationName: 'ATMP du Val', email: 's.texier@atmp.example' });
type Holder = Parameters<typeof aMeasure>[1][number];
const holder = (c: typeof aPerson, mission: MeasureScope[]): Holder => ({ ...c, mission });

function resident(type: MeasureType, holders: Holder[]): ResidentView {
  return aResident({ contacts: [aPerson, ofGoods], protectionMeasures: [aMeasure(type, holders, {}, ON)] }, ON);
}

describe('a divided measure’s second mission in the words of C. civ. 447 al. 3: « gestion patrimoniale »', () => {
  it('the holder’s title: « tuteur chargé de la gestion patrimoniale », « personne habilitée chargée de la gestion patrimoniale »', () => {
    const m = { scope: ['personne', 'biens'] as MeasureScope[] };
    expect(holderMissionTitle('tuteur', m, { mission: ['biens'] })).toBe('tuteur chargé de la gestion patrimoniale');
    expect(holderMissionTitle('curateur', m, { mission: ['personne'] })).toBe('curateur chargé de la protection de la personne');
    expect(holderMissionTitle('personne habilitée', m, { mission: ['biens'] })).toBe('personne habilitée chargée de la gestion patrimoniale');
  });

  it('the policy’s signers of a tariff avenant under a divided tutelle: « en qualité de tuteur chargé de la gestion patrimoniale »', () => {
    const d = decideSigners({ documentType: 'avenant', avenantPurpose: 'tarifs', resident: resident('tutelle', [holder(aPerson, ['personne']), holder(ofGoods, ['biens'])]), establishment, on: ON });
    const capacities = d.signers.filter((s) => s.role !== 'resident' && s.role !== 'director').map((s) => s.capacity);
    expect(capacities).toEqual(['en qualité de tuteur chargé de la gestion patrimoniale, qui représente Marcel Dupont']);
    expect(JSON.stringify(d)).not.toContain('gestion des biens');
  });

  it('the policy’s refusal when nobody holds the patrimonial mission names it as the article does', () => {
    try {
      decideSigners({ documentType: 'avenant', avenantPurpose: 'tarifs', resident: resident('tutelle', [holder(aPerson, ['personne'])]), establishment, on: ON });
      throw new Error('routed');
    } catch (e) {
      if (!(e instanceof SignaturePolicyError)) throw e;
      expect(e.code).toBe('MEASURE_HOLDER_MISSING');
      expect(e.message).toContain('aucun tuteur chargé de la gestion patrimoniale n’est indiqué au dossier');
    }
  });

  it('the form’s check of the missions says « gestion patrimoniale » too', () => {
    const errors = validateHolderMissions({ type: 'tutelle', scope: ['personne', 'biens'], holders: [{ role: 'tuteur', mission: ['personne'] }] }, 'holders');
    expect(JSON.stringify(errors)).not.toContain('gestion des biens');
    expect(JSON.stringify(errors)).toContain('gestion patrimoniale');
  });
});
