/**
 * A person's civility (« Madame », « Monsieur »), as French sector software records it: optional.
 * The file held no gender, so the documents and the console named every holder, parent or
 * participant with the masculine generic (« tuteur », « présent »); with a civility recorded, the
 * titles agree with the person (« tutrice », « curatrice », « subrogée tutrice », « présente »).
 * Unknown (null): the masculine generic, as before — the output for a file without civilities does
 * not change. Migration 1764160000000 (residents.civility, contacts.civility).
 */
export const CIVILITIES = ['madame', 'monsieur'] as const;
export type Civility = (typeof CIVILITIES)[number];

export const CIVILITY_LABELS: Readonly<Record<Civility, string>> = { madame: 'Madame', monsieur: 'Monsieur' };

export function isCivility(v: unknown): v is Civility {
  return typeof v === 'string' && (CIVILITIES as readonly string[]).includes(v);
}

/**
 * The feminine of the words the titles are made of. Épicène words have none: « mandataire »,
 * « délégataire », « ad hoc »; « personne habilitée » is a feminine noun whoever it is.
 */
const FEMININE: Readonly<Record<string, string>> = {
  tuteur: 'tutrice',
  curateur: 'curatrice',
  subrogé: 'subrogée',
  chargé: 'chargée',
  spécial: 'spéciale',
  désigné: 'désignée',
  délégué: 'déléguée',
  habilité: 'habilitée',
  préposé: 'préposée',
  lié: 'liée',
  présent: 'présente',
  représenté: 'représentée',
  excusé: 'excusée',
  seul: 'seule',
  // The end of the stay on the resident file (« Décédée le … », « Partie le … »: @carepact/residents endOfStayText).
  décédé: 'décédée',
  parti: 'partie',
};

/** Where the title's complement begins (« tuteur du mineur », « chargé de la protection de la personne »): its words are not the person's. */
const COMPLEMENT = new Set(['de', 'du', 'des', 'à', 'au', 'aux', 'par', 'pour', 'qui']);

/**
 * A masculine-generic title or word agreed with the person's civility: « tuteur » → « tutrice »,
 * « subrogé curateur » → « subrogée curatrice », « tuteur chargé de la protection de la personne »
 * → « tutrice chargée de la protection de la personne », « mandataire spécial » → « mandataire
 * spéciale », « tuteur du mineur » → « tutrice du mineur ». A title whose head is « personne »
 * (« personne habilitée ») already agrees with its noun. Unknown civility or « monsieur »: unchanged.
 */
export function agreeWithCivility(title: string, civility: Civility | null | undefined): string {
  if (civility !== 'madame' || title.startsWith('personne')) return title;
  const words = title.split(' ');
  let complement = false;
  return words
    .map((w, i) => {
      // « chargé » after the head is still the person's (« tuteur chargé de… »); the words after the complement's preposition are not.
      if (i > 0 && COMPLEMENT.has(w)) complement = true;
      if (complement) return w;
      const lower = w.toLowerCase();
      const f = FEMININE[lower];
      if (!f) return w;
      return w[0] !== lower[0] ? f[0].toUpperCase() + f.slice(1) : f;
    })
    .join(' ');
}

/** « Madame Jeanne Durand », « Monsieur Paul Roux »; without a civility, the name alone. */
export function nameWithCivility(p: { firstName: string; lastName: string; civility?: Civility | null }): string {
  const name = `${p.firstName} ${p.lastName}`;
  return p.civility ? `${CIVILITY_LABELS[p.civility]} ${name}` : name;
}
