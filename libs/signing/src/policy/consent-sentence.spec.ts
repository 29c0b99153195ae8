import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { capacityWords, consentSentence } from './consent-sentence';
import { decideSigners } from './signature-policy';
import type { PolicyDocumentType, RequiredSigner } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * Issue 13, item 2: each capacity the policy decides has its own first-person consent sentence.
 * The signers come from decideSigners itself, so a new capacity wording cannot slip past.
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const curateur = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
const holder = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
const mother = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const father = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });

function signers(resident: ResidentView, documentType: PolicyDocumentType = 'contrat-sejour'): RequiredSigner[] {
  return decideSigners({ documentType, resident, establishment, on: ON }).signers;
}
function withMeasure(type: MeasureType, over: Partial<Omit<MeasureView, 'holders'>> = {}): ResidentView {
  const holders: ContactView[] = [type.startsWith('curatelle') ? curateur : holder];
  return aResident({ contacts: holders, protectionMeasures: [aMeasure(type, holders, over, ON)] });
}
const sentence = (s: RequiredSigner, name = 'Marcel Dupont') => consentSentence(s, name);
const byKey = (list: RequiredSigner[], key: string) => list.find((s) => s.key.startsWith(key))!;

describe('consent sentence by capacity (first person, issue 13 item 2)', () => {
  it('the resident alone', () => {
    expect(sentence(byKey(signers(aResident()), 'resident'))).toBe('J’ai lu le document et je le signe en mon nom.');
  });

  it('the resident under curatelle, assisted, and the curateur who assists (C. civ. 467)', () => {
    for (const type of ['curatelle', 'curatelle_renforcee'] as const) {
      const list = signers(withMeasure(type));
      expect(sentence(byKey(list, 'resident'))).toBe('J’ai lu le document et je le signe en mon nom, avec l’assistance de mon curateur.');
      expect(sentence(byKey(list, 'curateur'))).toBe('J’ai lu le document et je le signe en qualité de curateur : j’assiste Marcel Dupont.');
    }
  });

  it('the curateur signing alone on the judge’s authorisation (C. civ. 472)', () => {
    const list = signers(withMeasure('curatelle_renforcee', { judgeAuthorisesHolderAlone: true, authorisationReference: 'AUT 26/1' }));
    expect(list.map((s) => s.key)).toEqual(['curateur:karim', 'director']);
    expect(sentence(list[0])).toBe('J’ai lu le document et je le signe en qualité de curateur, avec l’autorisation du juge, pour Marcel Dupont.');
  });

  it('representatives: tuteur, personne habilitée, mandataire, mandataire spécial (je représente)', () => {
    const cases: [MeasureType, Partial<Omit<MeasureView, 'holders'>>, string][] = [
      ['tutelle', {}, 'tuteur'],
      ['habilitation_familiale', { mode: 'representation' }, 'personne habilitée'],
      ['mandat_protection_future', {}, 'mandataire de protection future'],
      ['sauvegarde_justice', { mode: 'representation', general: false, acts: ['contrat-sejour'] }, 'mandataire spécial'],
    ];
    for (const [type, over, title] of cases) {
      const list = signers(withMeasure(type, over));
      // Under a sauvegarde she keeps her rights and chooses where she lives: she signs too (C. civ. 435, 459-2 al. 1).
      const holderAt = type === 'sauvegarde_justice' ? 1 : 0;
      expect({ type, keys: list.map((s) => s.role) }).toEqual({ type, keys: [...(holderAt ? ['resident'] : []), list[holderAt].role, 'director'] });
      expect(sentence(list[holderAt])).toBe(`J’ai lu le document et je le signe en qualité de ${title} : je représente Marcel Dupont.`);
      if (holderAt) expect(sentence(list[0])).toBe('J’ai lu le document et je le signe en mon nom.');
    }
  });

  it('habilitation familiale in assistance: the person « avec l’assistance de la personne habilitée », the holder « j’assiste »', () => {
    const list = signers(withMeasure('habilitation_familiale', { mode: 'assistance' }));
    expect(sentence(byKey(list, 'resident'))).toBe('J’ai lu le document et je le signe en mon nom, avec l’assistance de la personne habilitée.');
    expect(sentence(byKey(list, 'habilite'))).toBe('J’ai lu le document et je le signe en qualité de personne habilitée : j’assiste Marcel Dupont.');
  });

  it('parents of a minor: shared and sole authority', () => {
    const shared = signers(aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'shared', contacts: [mother, father] }, ON));
    expect(shared.filter((s) => s.role === 'parent').map((s) => sentence(s, 'Enzo Petit'))).toEqual([
      'J’ai lu le document et je le signe en qualité de parent titulaire de l’autorité parentale d’Enzo Petit.',
      'J’ai lu le document et je le signe en qualité de parent titulaire de l’autorité parentale d’Enzo Petit.',
    ]);
    const sole = signers(aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'sole', soleAuthority: { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' }, contacts: [mother] }, ON));
    expect(sentence(byKey(sole, 'parent'), 'Enzo Petit')).toBe('J’ai lu le document et je le signe en qualité de parent exerçant l’autorité parentale exclusive d’Enzo Petit.');
  });

  it('no sentence mixes persons (« son », « sa », « ses » about the signer) and none names another capacity', () => {
    const all = [
      ...signers(aResident()),
      ...signers(withMeasure('curatelle')),
      ...signers(withMeasure('tutelle')),
      ...signers(withMeasure('habilitation_familiale', { mode: 'assistance' })),
    ].filter((s) => s.role !== 'director');
    for (const s of all) {
      const text = sentence(s);
      expect({ key: s.key, text }).toEqual({ key: s.key, text: expect.not.stringMatching(/\b(son|sa|ses) /) as unknown as string });
      expect(text.startsWith('J’ai lu le document et je le signe')).toBe(true);
    }
  });

  it('the pages say the same capacity in the second person (« en votre nom », « vous assistez »)', () => {
    const list = signers(withMeasure('curatelle'));
    expect(capacityWords(byKey(list, 'resident'), 'Marcel Dupont', 'second')).toBe('en votre nom, avec l’assistance de votre curateur');
    expect(capacityWords(byKey(list, 'curateur'), 'Marcel Dupont', 'second')).toBe('en qualité de curateur : vous assistez Marcel Dupont');
    expect(capacityWords(byKey(signers(withMeasure('tutelle')), 'tuteur'), 'Marcel Dupont', 'second')).toBe('en qualité de tuteur : vous représentez Marcel Dupont');
    expect(capacityWords(byKey(signers(aResident()), 'resident'), 'Marcel Dupont', 'second')).toBe('en votre nom');
  });
});
