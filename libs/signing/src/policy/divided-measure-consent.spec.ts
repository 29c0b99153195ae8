import type { MeasureScope, MeasureType, ResidentView } from '@carepact/residents';
import { capacityWords, consentSentence } from './consent-sentence';
import { decideSigners } from './signature-policy';
import type { PolicyDocumentType, RequiredSigner } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * C. civ. 447 al. 3–4: under a divided measure each holder acts within his own mission, which the
 * document and the evidence name (« tuteur chargé de la gestion patrimoniale »). The portal's landing
 * (« Vous signez : … », second person), the consent sentence ticked and the recap (first person)
 * name it too — they said « en qualité de tuteur : vous représentez Marcel Dupont ».
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const aPerson = aContact('a-la-personne', { firstName: 'Paul', lastName: 'Girard', email: 'p.girard@example.org' });
const ofGoods = aContact('aux-biens', { firstName: 'Sophie', lastName: 'Texier', email: 's.texier@example.org' });
type Holder = Parameters<typeof aMeasure>[1][number];
const toPerson: Holder = { ...aPerson, mission: ['personne'] as MeasureScope[] };
const toGoods: Holder = { ...ofGoods, mission: ['biens'] as MeasureScope[] };

function holders(type: MeasureType, list: Holder[], documentType: PolicyDocumentType = 'contrat-sejour'): RequiredSigner[] {
  const r: ResidentView = aResident({ contacts: [aPerson, ofGoods], protectionMeasures: [aMeasure(type, list, {}, ON)] }, ON);
  return decideSigners({ documentType, resident: r, establishment, on: ON }).signers.filter((s) => s.role !== 'resident' && s.role !== 'director');
}

describe('divided measure (C. civ. 447 al. 3–4): the portal names each holder’s mission', () => {
  it('divided tutelle: landing and consent sentence say « tuteur chargé de … de Marcel Dupont », as the capacity does', () => {
    const [person, goods] = holders('tutelle', [toPerson, toGoods]);
    expect(goods.capacity).toContain('tuteur chargé de la gestion patrimoniale');
    expect(capacityWords(goods, 'Marcel Dupont', 'second')).toBe('en qualité de tuteur chargé de la gestion patrimoniale de Marcel Dupont');
    expect(consentSentence(goods, 'Marcel Dupont', 'contrat-sejour')).toBe('J’ai lu le document et je le signe en qualité de tuteur chargé de la gestion patrimoniale de Marcel Dupont.');
    expect(consentSentence(person, 'Marcel Dupont', 'contrat-sejour')).toBe(
      'J’ai lu le document et je le signe en qualité de tuteur chargé de la protection de la personne de Marcel Dupont.',
    );
  });

  it('divided curatelle: the mission, and that the curateur assists her (C. civ. 467)', () => {
    const list = holders('curatelle', [toPerson, toGoods]);
    const goods = list.find((s) => s.capacity.includes('gestion patrimoniale'))!;
    expect(capacityWords(goods, 'Marcel Dupont', 'second')).toBe('en qualité de curateur chargé de la gestion patrimoniale de Marcel Dupont, que vous assistez');
    expect(consentSentence(goods, 'Marcel Dupont', 'contrat-sejour')).toBe('J’ai lu le document et je le signe en qualité de curateur chargé de la gestion patrimoniale de Marcel Dupont, que j’assiste.');
  });

  it('a tutrice in charge of the property: the mission agreed as the capacity writes it', () => {
    const tutrice = { role: 'tuteur' as const, capacity: 'en qualité de tutrice chargée de la gestion patrimoniale, qui représente Germaine Faure', measure: { type: 'tutelle' as const, mode: 'representation' as const } };
    expect(capacityWords(tutrice, 'Germaine Faure', 'second')).toBe('en qualité de tutrice chargée de la gestion patrimoniale de Germaine Faure');
  });

  it('an undivided tutelle keeps its wording', () => {
    const [tuteur] = holders('tutelle', [{ ...aPerson }]);
    expect(capacityWords(tuteur, 'Marcel Dupont', 'second')).toBe('en qualité de tuteur : vous représentez Marcel Dupont');
    expect(consentSentence(tuteur, 'Marcel Dupont', 'contrat-sejour')).toBe('J’ai lu le document et je le signe en qualité de tuteur : je représente Marcel Dupont.');
  });
});
