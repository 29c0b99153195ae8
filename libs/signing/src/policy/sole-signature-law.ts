/**
 * The law the judge's authorisation answers, by the measure under which the assistant refused:
 * - curatelle, curatelle renforcée: C. civ. 469 al. 3 (« Si le curateur refuse son assistance à un
 *   acte pour lequel son concours est requis, la personne protégée peut demander au juge
 *   l'autorisation de l'accomplir seule »);
 * - habilitation familiale in assistance: 469 is written for the curatelle; the judge authorises the
 *   relative « à l'assister dans les conditions prévues à l'article 467 » (C. civ. 494-1 al. 1), and
 *   a refusal to assist is a difficulty the judge settles (C. civ. 494-10).
 */
export interface SoleSignatureLaw {
  /** As a legal basis cites it: « C. civ. 469 al. 3 », « C. civ. 494-1 al. 1, 494-10 ». */
  basis: string;
  /** Short, in a capacity or a sentence: « C. civ. 469 », « C. civ. 494-1, 494-10 ». */
  cite: string;
  /** Spelled out for the people who read the portal and the e-mails. */
  spelled: string;
  /** « le curateur », « la personne habilitée »; « du curateur »…; « son curateur », « la personne habilitée ». */
  assistant: string;
  ofAssistant: string;
  herAssistant: string;
  /** Agreement with the assistant: « appelé » / « appelée », « il » / « elle ». */
  called: string;
  pronoun: string;
}

const CURATELLE_LAW: SoleSignatureLaw = {
  basis: 'C. civ. 469 al. 3',
  cite: 'C. civ. 469',
  spelled: 'article 469 du code civil',
  assistant: 'le curateur',
  ofAssistant: 'du curateur',
  herAssistant: 'son curateur',
  called: 'appelé',
  pronoun: 'il',
};
const HABILITATION_LAW: SoleSignatureLaw = {
  basis: 'C. civ. 494-1 al. 1, 494-10',
  cite: 'C. civ. 494-1, 494-10',
  spelled: 'articles 494-1 et 494-10 du code civil',
  assistant: 'la personne habilitée',
  ofAssistant: 'de la personne habilitée',
  herAssistant: 'la personne habilitée',
  called: 'appelée',
  pronoun: 'elle',
};

/** The article by measure type (`habilitation_familiale` → 494-1, 494-10; otherwise the curatelle's 469 al. 3). */
export function soleSignatureLaw(measureType: string | null | undefined): SoleSignatureLaw {
  return measureType === 'habilitation_familiale' ? HABILITATION_LAW : CURATELLE_LAW;
}
