import { agreeWithCivility, ofName } from '@carepact/common';
import type { MeasureReference, SignerRole } from './policy.types';

/**
 * The sentence a signer ticks before signing, in the first person and in their own capacity
 * (issue 13, item 2): the resident « en mon nom », assisted « avec l’assistance de mon curateur »;
 * the curateur « j’assiste Marcel Dupont »; a representative « je représente … »; a parent
 * « parent titulaire de l’autorité parentale de … ». The stored `capacity` (third person, as the
 * document and the evidence word it) stays the legal wording; this one is what the person reads.
 */
export interface ConsentSigner {
  role: SignerRole;
  /** The policy's capacity wording, e.g. « en qualité de curateur, qui assiste Marcel Dupont ». */
  capacity: string;
  measure: Pick<MeasureReference, 'type' | 'mode'> | null;
  /**
   * The signature is an optional countersignature of the person's side (a DIPC or an avenant to it:
   * CASF D.311 II « Il peut être contresigné par la personne accueillie ou son représentant légal »;
   * D.311 VII). The sentences then say « contresigner », never a signature that is required.
   */
  optional?: boolean;
}

/**
 * The person or her representative countersigning a DIPC or an avenant to it (CASF D.311 II, VII),
 * as the e-mails decide it (signing-jobs.service invite): an optional signer of the person's side on
 * those documents. Elsewhere an optional signature is not a countersignature (the person's own on
 * her projet personnalisé, a compte rendu read and signed « pour prise de connaissance »).
 */
export function countersigns(signer: { role: string; optional?: boolean }, documentType: string | undefined): boolean {
  return signer.optional === true && signer.role !== 'director' && (documentType === 'dipc' || documentType === 'avenant');
}

/**
 * A countersignature the person's side chose not to give (CASF D.311 II: the DIPC « est établi et
 * signé par le directeur … Il peut être contresigné »; D.311 VII for an avenant to it): not a refusal
 * that calls for anything — the director's signature establishes the document, with or without it.
 * « À faire » leaves it out of « Refus de signer à traiter », the signature inbox out of its refusals,
 * and the document page shows it as information, with nothing to mark as handled. The same rule as
 * `countersigns` (the portal's and the e-mails' « contresigner »); `isOptionalCountersigner`
 * (whose-turn.ts) does not look at the type: an optional signature elsewhere (the person's own beside
 * her tuteur on a contract) is not a countersignature, and its refusal stays one to handle.
 */
export function declinedCountersignature(signer: { role: string; optional?: boolean; status: string }, documentType: string | undefined): boolean {
  return signer.status === 'refused' && countersigns(signer, documentType);
}

/** « de mon curateur »: the assistant as the assisted person names them (C. civ. 467, 494-6, 437). */
const MY_ASSISTANT: Readonly<Record<string, string>> = {
  curatelle: 'de son curateur',
  curatelle_renforcee: 'de son curateur',
  habilitation_familiale: 'de la personne habilitée',
  sauvegarde_justice: 'du mandataire spécial',
  mandat_protection_future: 'du mandataire de protection future',
};

/**
 * The title as the capacity agreed it with the signer's civility (signature-policy titleOf: « en
 * qualité de tutrice, … »): its feminine when the capacity says so, else the masculine generic.
 */
function agreedAs(title: string, capacity: string): string {
  const feminine = agreeWithCivility(title, 'madame');
  // The capacity's title, before its first comma: « tutrice », « tutrice chargée de… », « subrogée tutrice ».
  const head = /^en qualité de ([^,]+)/.exec(capacity)?.[1] ?? '';
  return feminine !== title && head.split(' ').includes(feminine) ? feminine : title;
}

/**
 * The mission of a holder of a divided measure (C. civ. 447 al. 3: the judge divides it between the
 * holder in charge of the person and the one in charge of the property; al. 4: each acts within his
 * own) as the policy's capacity words it after the title — « chargé de la gestion patrimoniale »,
 * « chargée de la protection de la personne » —; null for an undivided measure.
 */
function missionOf(title: string, capacity: string): string | null {
  const lead = `en qualité de ${title} `;
  return capacity.startsWith(lead) ? (/^(chargée? de [^,:]+)/.exec(capacity.slice(lead.length))?.[1]?.trim() ?? null) : null;
}

/** The holder's title as the capacity writes it (signature-policy MEASURE_RULES.holderTitle). */
const HOLDER_TITLE: Readonly<Record<string, string>> = {
  curatelle: 'curateur',
  curatelle_renforcee: 'curateur',
  tutelle: 'tuteur',
  habilitation_familiale: 'personne habilitée',
  sauvegarde_justice: 'mandataire spécial',
  mandat_protection_future: 'mandataire de protection future',
};

const READ = 'J’ai lu le document et je le signe';
/** CASF D.311 II: the DIPC is established by the director; the person's side « peut » countersign it. */
const READ_COUNTERSIGN = 'J’ai lu le document et je le contresigne';
/**
 * The same, in easy-to-read French (FALC): « contresigner » is jargon there (libs/templates falc-lint
 * JARGON); what happens, in plain words: she signs too, after the establishment, if she wants to.
 */
const READ_COUNTERSIGN_EASY = 'J’ai lu le document et je le signe aussi';

type Person = 'first' | 'second';
const W: Record<Person, { own: string; my: (assistant: string) => string; assist: string; represent: string }> = {
  first: { own: 'en mon nom', my: (a) => a.replace(/^de son /, 'de mon '), assist: 'j’assiste', represent: 'je représente' },
  second: { own: 'en votre nom', my: (a) => a.replace(/^de (mon|son) /, 'de votre '), assist: 'vous assistez', represent: 'vous représentez' },
};

/**
 * The capacity in the signer's own words: « en mon nom, avec l’assistance de mon curateur » (first
 * person, the consent sentence) or « en votre nom, … de votre curateur » (second person, the pages).
 */
export function capacityWords(signer: ConsentSigner, residentName: string, person: Person = 'first'): string {
  const w = W[person];
  const m = signer.measure;
  switch (signer.role) {
    case 'resident':
      // C. civ. 469 al. 3 (494-1 al. 1, 494-10 under an habilitation familiale): the judge authorised her to sign alone, her assistant having refused to assist her.
      if (m?.mode === 'assistance' && signer.capacity.includes('autorisation du juge'))
        return `${w.own}, avec l’autorisation du juge, sans l’assistance ${w.my(MY_ASSISTANT[m.type] ?? 'de la personne qui vous assiste')}`;
      // C. civ. 467: under assistance the person signs, the assistant co-signs.
      if (m?.mode === 'assistance') return `${w.own}, avec l’assistance ${w.my(MY_ASSISTANT[m.type] ?? 'de la personne qui vous assiste')}`;
      return w.own;
    case 'parent':
      // C. civ. 371-1, 372, 373-2-1: the policy's capacity names the parent's authority.
      return signer.capacity.includes('exclusive')
        ? `en qualité de parent exerçant l’autorité parentale exclusive ${ofName(residentName)}`
        : `en qualité de parent titulaire de l’autorité parentale ${ofName(residentName)}`;
    case 'director':
      // Countersigned in the console, not in the portal; worded for completeness.
      return signer.capacity;
    case 'delegataire':
      // C. civ. 377, 377-1: the délégataire exercises the parental authority delegated by judgment.
      return `en qualité de délégataire de l’autorité parentale ${ofName(residentName)}`;
    case 'service_gardien': {
      // C. civ. 375-7: the juge des enfants authorised the service the child is entrusted to to perform the act.
      const service = /est confié \(([^)]+)\)/.exec(signer.capacity)?.[1];
      return `en qualité de représentant du service à qui l’enfant ${residentName} est confié${service ? ` (${service})` : ''}, avec l’autorisation du juge des enfants`;
    }
    default: {
      // C. civ. 408: the tuteur of a minor (no adult measure behind him) represents the child; CASF L.224-1 for a pupille de l'État.
      if (signer.role === 'tuteur' && !m)
        return `en qualité de ${agreedAs('tuteur', signer.capacity)} : ${w.represent} ${residentName}${signer.capacity.includes('pupille de l’État') ? ', pupille de l’État' : ''}`;
      const title = m && HOLDER_TITLE[m.type] ? agreedAs(HOLDER_TITLE[m.type], signer.capacity) : signer.capacity.replace(/^en qualité de ([^,]+),.*$/, '$1');
      // C. civ. 447 al. 3–4: a divided measure's holder acts within his own mission, which the capacity names.
      const mission = missionOf(title, signer.capacity);
      // C. civ. 472: a curatelle renforcée's curateur signs the accommodation agreement alone with the judge's authorisation.
      if (signer.capacity.includes('autorisation du juge')) return `en qualité de ${title}${mission ? ` ${mission}` : ''}, avec l’autorisation du juge, pour ${residentName}`;
      // « en qualité de tuteur chargé de la gestion patrimoniale de Germaine Faure »: the mission is what he holds of her.
      if (mission) return `en qualité de ${title} ${mission} ${ofName(residentName)}${m?.mode === 'assistance' ? `, ${person === 'first' ? 'que j’assiste' : 'que vous assistez'}` : ''}`;
      if (m?.mode === 'assistance') return `en qualité de ${title} : ${w.assist} ${residentName}`;
      return `en qualité de ${title} : ${w.represent} ${residentName}`;
    }
  }
}

/**
 * The capacity of an optional countersigner (CASF D.311 II): a holder of the measure countersigns
 * « pour » the person — « en qualité de tuteur, pour Marcel Dupont, que vous représentez »; « en
 * qualité de curateur, pour assister Marcel Dupont » (C. civ. 467: he assists, he never signs in her
 * place) — rather than « vous représentez … », which reads as the signature the act needs. The person
 * and a parent keep their own words. Who signs does not change: the policy decided it.
 */
export function countersignWords(signer: ConsentSigner, residentName: string, person: Person = 'first'): string {
  const words = capacityWords(signer, residentName, person);
  if (signer.role === 'resident' || signer.role === 'parent' || signer.role === 'director') return words;
  const holder = /^en qualité de ([^:]+) : (j’assiste|vous assistez|je représente|vous représentez) (.+)$/.exec(words);
  if (!holder) return words;
  const [, title, verb, name] = holder;
  if (verb === 'j’assiste' || verb === 'vous assistez') return `en qualité de ${title}, pour assister ${name}`;
  return `en qualité de ${title}, pour ${name}, ${person === 'first' ? 'que je représente' : 'que vous représentez'}`;
}

/**
 * The sentence the signer ticks: « J’ai lu le document et je le signe en mon nom. »; an optional
 * countersigner (CASF D.311 II): « J’ai lu le document et je le contresigne en qualité de tuteur,
 * pour Marcel Dupont, que je représente. »
 */
export function consentSentence(signer: ConsentSigner, residentName: string, documentType?: string, options: { easyToRead?: boolean } = {}): string {
  if (countersigns(signer, documentType)) return `${options.easyToRead ? READ_COUNTERSIGN_EASY : READ_COUNTERSIGN} ${countersignWords(signer, residentName, 'first')}.`;
  return `${READ} ${capacityWords(signer, residentName, 'first')}.`;
}
