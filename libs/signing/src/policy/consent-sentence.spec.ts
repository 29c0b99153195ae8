import type { ContactView, MeasureType, MeasureView, ResidentView } from '@carepact/residents';
import { capacityWords, consentSentence, countersignWords } from './consent-sentence';
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

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal ». Its person's side signs optionally (decideSigners):
 * what they tick and read says « contresigner », and a holder countersigns « pour » the person — never
 * « je représente … » as if the act waited for that signature. Who signs is the policy's, unchanged.
 */
describe('an optional countersigner of a DIPC (CASF D.311 II)', () => {
  const dipc = (resident: ResidentView) => signers(resident, 'dipc');
  const sentence = (s: RequiredSigner, name = 'Marcel Dupont') => consentSentence(s, name, 'dipc');

  it('the policy makes the person’s side optional on a DIPC (the case these sentences are for)', () => {
    expect(dipc(withMeasure('tutelle')).map((s) => [s.role, s.optional])).toEqual([
      ['tuteur', true],
      ['director', false],
    ]);
  });

  it('a tuteur (representation): « je le contresigne …, pour Marcel Dupont, que je représente »', () => {
    const tuteur = byKey(dipc(withMeasure('tutelle')), 'tuteur');
    expect(sentence(tuteur)).toBe('J’ai lu le document et je le contresigne en qualité de tuteur, pour Marcel Dupont, que je représente.');
    expect(countersignWords(tuteur, 'Marcel Dupont', 'second')).toBe('en qualité de tuteur, pour Marcel Dupont, que vous représentez');
  });

  it('under curatelle: the person countersigns in her name, the curateur « pour assister » her (C. civ. 467)', () => {
    const list = dipc(withMeasure('curatelle'));
    expect(sentence(byKey(list, 'resident'))).toBe('J’ai lu le document et je le contresigne en mon nom, avec l’assistance de mon curateur.');
    expect(sentence(byKey(list, 'curateur'))).toBe('J’ai lu le document et je le contresigne en qualité de curateur, pour assister Marcel Dupont.');
    expect(countersignWords(byKey(list, 'curateur'), 'Marcel Dupont', 'second')).toBe('en qualité de curateur, pour assister Marcel Dupont');
  });

  it('the person alone and the other representatives', () => {
    expect(sentence(byKey(dipc(aResident()), 'resident'))).toBe('J’ai lu le document et je le contresigne en mon nom.');
    expect(sentence(byKey(dipc(withMeasure('mandat_protection_future')), 'mandataire'))).toBe(
      'J’ai lu le document et je le contresigne en qualité de mandataire de protection future, pour Marcel Dupont, que je représente.',
    );
  });

  it('no optional countersigner ticks « je le signe »; the contract’s signers still do', () => {
    for (const resident of [aResident(), withMeasure('curatelle'), withMeasure('tutelle'), withMeasure('habilitation_familiale', { mode: 'representation' })]) {
      for (const s of dipc(resident).filter((x) => x.role !== 'director')) expect({ key: s.key, text: sentence(s) }).toEqual({ key: s.key, text: expect.stringMatching(/^J’ai lu le document et je le contresigne /) as unknown as string });
      for (const s of signers(resident).filter((x) => x.role !== 'director')) expect(consentSentence(s, 'Marcel Dupont', 'contrat-sejour').startsWith('J’ai lu le document et je le signe ')).toBe(true);
    }
  });

  it('an optional signature that is no countersignature keeps « je le signe » (a compte rendu read « pour prise de connaissance »)', () => {
    const reader = byKey(signers(aResident(), 'compte-rendu-synthese'), 'resident');
    expect(reader.optional).toBe(true);
    expect(consentSentence(reader, 'Marcel Dupont', 'compte-rendu-synthese')).toBe('J’ai lu le document et je le signe en mon nom.');
  });
});
