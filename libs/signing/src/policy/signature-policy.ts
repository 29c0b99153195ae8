/**
 * The signature policy (issue 4 §1; DOMAIN.md "Protection measures and who signs"): a pure function
 * from the document type × the resident's protection measure × age (on the request date) to who signs,
 * in what capacity and order, whose view is recorded, and the establishment's
 * countersignature. No I/O, no clock: the request date comes in, so a decision can be replayed.
 *
 * The law lives in three tables below (documents, measures, acts); the functions only walk them.
 */
import { DOCUMENT_SUBTYPE_LABELS, DOCUMENT_TYPE_LABELS, MEASURE_TYPE_LABELS, agreeWithCivility, documentSubtypeOf, documentTypeLabel, formatDateFr, isPlausibleEmail, ofName } from '@carepact/common';
import type { FieldError } from '@carepact/common';
import {
  HOLDER_ROLE_OF,
  MINOR_ROLE_LABELS,
  actDomains,
  delegationLeavesStayToParents,
  holderMission,
  holderMissionTitle,
  holdersForAct,
  isDividedMeasure,
  resolveHolderConflict,
  otherParentReminder,
  OTHER_PARENT_INFORMED_LIMIT,
  SOLE_AUTHORITY_GROUND_INFO,
  applicableMeasure,
  isMinor,
  measureStatus,
  type ContactView,
  type MeasureMode,
  type MeasureScope,
  type MeasureType,
  type MeasureView,
  type MinorDecision,
  type ResidentView,
  type SoleAuthorityGround,
} from '@carepact/residents';
import type {
  MeasureReference,
  PolicyDecision,
  PolicyDocumentType,
  PolicyInput,
  PolicyPerson,
  RequiredSigner,
  SignerRole,
  SoleSignatureAuthorisation,
  ViewToRecord,
} from './policy.types';
import { SignaturePolicyError } from './signature-policy.errors';
import { soleSignatureLaw } from './sole-signature-law';

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

export interface DocumentRule {
  /** French, with its article, for explanations: « le contrat de séjour ». */
  label: string;
  /**
   * Domains a measure must cover for its holder to act on this document. The contrat de séjour (and
   * its avenants, and the DIPC that replaces it) decides where the person lives — a personal decision
   * (C. civ. 459-2) — and commits their money (financial contribution, invoicing: CASF L.311-4, D.311),
   * so it needs `personne` and `biens`. The projet personnalisé and the minutes concern the support
   * of the person only (CASF L.311-3 7°).
   */
  requiredScopes: readonly MeasureScope[];
  /**
   * The person's side (the person and/or their representative): required signatures, or an optional
   * countersignature / acknowledgement (DIPC: D.311; minutes: DOMAIN "simple signature or
   * acknowledgement").
   */
  personSide: 'required' | 'optional';
  /** Whether views (person under representation, minor) are captured at signing time. */
  recordsViews: boolean;
  /**
   * The "accommodation agreement" a curateur (curatelle renforcée) may sign alone with the judge's
   * authorisation (C. civ. 472 as DOMAIN.md reads it): the contract, its avenants (concluded under the
   * same conditions, L.311-4) and the DIPC that stands in for it (D.311).
   */
  accommodationAgreement: boolean;
  /** A contrat de séjour is not the document for a minor under a court measure: a DIPC is (D.311). */
  allowedForCourtMeasureMinor: boolean;
  /** Article behind the person's side. */
  basis: string;
  /** Article behind the establishment's signature. */
  directorBasis: string;
  /** One French sentence about the establishment's signature, for the explanation. */
  directorSentence: string;
  /**
   * Not an accommodation agreement, but an act concluded with the establishment all the same (the
   * liberty annex): a holder employed by it has interests opposed to the person's (C. civ. 454 al. 5, 455).
   */
  actWithEstablishment?: boolean;
  /** The act codes a limited measure must name to cover this document, when they are not its type's (ACTS_COVERING). */
  acts?: readonly string[];
  /**
   * For a minor whose parents exercise parental authority together (C. civ. 372): why both take part
   * in this document, in French, after « Mineur, autorité parentale conjointe : ». Each document its
   * own reason — the admission's (not an usual act, C. civ. 372-2 a contrario) is the contract's only.
   */
  minorJoint: string;
  /** The article behind a minor's representatives' side when `basis` cites the rules for protected adults (C. civ. 457-1, 459). */
  minorBasis?: string;
  /**
   * A tariff avenant (purpose `tarifs`): it changes the price (CASF L.342-3, L.314-1; the dependency price L.314-2), not where she
   * lives — the explanation says nothing of the residence choice (C. civ. 459-2), and names it « l’avenant tarifaire ».
   */
  tariff?: boolean;
}

export const DOCUMENT_RULES: Readonly<Record<PolicyDocumentType, DocumentRule>> = {
  'contrat-sejour': {
    label: DOCUMENT_TYPE_LABELS['contrat-sejour'].the,
    requiredScopes: ['personne', 'biens'],
    personSide: 'required',
    recordsViews: true,
    accommodationAgreement: true,
    allowedForCourtMeasureMinor: false,
    basis: 'CASF L.311-4, D.311',
    directorBasis: 'CASF L.311-4, D.311',
    directorSentence: 'La direction de l’établissement contresigne en dernier (CASF L.311-4, D.311).',
    minorJoint:
      'l’admission dans l’établissement n’est pas un acte usuel de l’autorité parentale : la présomption d’accord de l’article 372-2 ne joue pas, les deux parents signent (C. civ. 372, 372-2 a contrario)',
  },
  avenant: {
    label: DOCUMENT_TYPE_LABELS['avenant'].the,
    requiredScopes: ['personne', 'biens'],
    personSide: 'required',
    recordsViews: true,
    accommodationAgreement: true,
    // An avenant to a minor's DIPC follows the DIPC's regime (director signs, parents may countersign).
    allowedForCourtMeasureMinor: true,
    basis: 'CASF L.311-4 (avenant conclu dans les mêmes conditions que le contrat), D.311',
    directorBasis: 'CASF L.311-4, D.311',
    directorSentence: 'La direction de l’établissement contresigne en dernier (CASF L.311-4, D.311).',
    minorJoint:
      'l’avenant modifie le contrat de séjour et se conclut dans les mêmes conditions (CASF L.311-4) ; comme l’admission, ce n’est pas un acte usuel : les deux parents signent (C. civ. 372, 372-2 a contrario)',
  },
  dipc: {
    label: DOCUMENT_TYPE_LABELS['dipc'].the,
    requiredScopes: ['personne', 'biens'],
    personSide: 'optional',
    recordsViews: true,
    accommodationAgreement: true,
    allowedForCourtMeasureMinor: true,
    basis: 'CASF D.311 (contresignature facultative)',
    directorBasis: 'CASF D.311 (DIPC établi et signé par la direction)',
    // CASF D.311 II « établi et signé par le directeur … Il peut être contresigné », III « remis … au
    // plus tard dans les quinze jours »: the director's signature puts it in force (sealed, handed
    // over at once); the countersignature comes after, optional, until the request's deadline.
    directorSentence:
      'Le DIPC est établi et signé par la direction : sa signature le met en vigueur, il est scellé et remis aussitôt (CASF D.311 II et III). La personne ou son représentant peut le contresigner ensuite, s’il le souhaite, jusqu’à l’échéance de la demande ; cela ne bloque rien (CASF D.311 II).',
    minorJoint: 'le DIPC est établi et signé par la direction ; les deux parents, qui exercent l’autorité parentale en commun, peuvent le contresigner (C. civ. 372 ; CASF D.311 II)',
  },
  'projet-personnalise': {
    label: DOCUMENT_TYPE_LABELS['projet-personnalise'].the,
    requiredScopes: ['personne'],
    personSide: 'required',
    recordsViews: true,
    accommodationAgreement: false,
    allowedForCourtMeasureMinor: true,
    basis: 'CASF L.311-3 7° (projet co-construit) ; recommandation ANESM, décembre 2008',
    directorBasis: 'CASF L.311-3 7° (engagement de l’établissement sur les actions du projet)',
    directorSentence:
      'La direction signe en dernier : elle engage l’établissement sur les actions du projet. L’expression de la personne (accord, désaccord…) figure à part dans le projet et ne vaut pas signature.',
    minorJoint: 'le projet personnalisé porte sur l’accompagnement de l’enfant ; les deux parents, qui exercent l’autorité parentale en commun, le signent (C. civ. 371-1, 372 ; CASF L.311-3 7°)',
  },
  'compte-rendu-synthese': {
    label: DOCUMENT_TYPE_LABELS['compte-rendu-synthese'].the,
    requiredScopes: ['personne'],
    personSide: 'optional',
    // The person's expression is part of the minutes themselves (DOMAIN.md): no separate view here.
    recordsViews: false,
    accommodationAgreement: false,
    allowedForCourtMeasureMinor: true,
    // No text requires the minutes to be signed: the person's side is an acknowledgement she may give, as
    // the person associated with the projet she takes part in (CASF L.311-3 3° and 7°).
    basis: 'Prise de connaissance facultative : aucun texte n’impose de signer le compte rendu ; la personne participe à son projet (CASF L.311-3 3° et 7°)',
    directorBasis: 'Compte rendu établi par l’établissement (réponses aux demandes, décisions)',
    directorSentence:
      'La direction signe le compte rendu, qui porte les réponses de l’établissement ; la personne ou son représentant peut en prendre connaissance par une signature simple, facultative.',
    minorJoint:
      'aucun texte n’impose de signer le compte rendu ; les deux parents, qui exercent l’autorité parentale en commun, peuvent en prendre connaissance par une signature simple, facultative (C. civ. 372 ; CASF L.311-3 7°)',
  },
};

/**
 * An avenant to a DIPC follows the DIPC's rule, not the contract's: CASF D.311 VII « Les changements
 * des termes initiaux du contrat ou du document font l'objet d'avenants ou de modifications conclus ou
 * élaborés dans les mêmes conditions », and D.311 II: the DIPC is « établi et signé par le directeur
 * … Il peut être contresigné par la personne accueillie ou son représentant légal ». The person's
 * side is an optional countersignature; the director's signature is the one required.
 */
export const AVENANT_TO_DIPC_RULE: DocumentRule = {
  ...DOCUMENT_RULES.avenant,
  label: DOCUMENT_SUBTYPE_LABELS['avenant-dipc'].the,
  personSide: 'optional',
  basis: 'CASF D.311 VII (avenant élaboré dans les mêmes conditions que le DIPC), D.311 II (contresignature facultative)',
  directorBasis: 'CASF D.311 II et VII (avenant au DIPC établi et signé par la direction)',
  directorSentence:
    'Avenant au DIPC : comme le DIPC, il est établi et signé par la direction : sa signature le met en vigueur, il est scellé et remis aussitôt (CASF D.311 II, III et VII). La personne ou son représentant peut le contresigner ensuite, s’il le souhaite, jusqu’à l’échéance de la demande ; cela ne bloque rien (CASF D.311 II).',
  minorJoint: 'comme le DIPC, l’avenant est établi et signé par la direction ; les deux parents, qui exercent l’autorité parentale en commun, peuvent le contresigner (C. civ. 372 ; CASF D.311 II et VII)',
};

/**
 * The annex to the contrat de séjour on the freedom to come and go (avenant purpose
 * `liberte-aller-venir`, CASF L.311-4-1 I; R.311-0-5 s. and annexe 3-9-1, décret n° 2016-1743): it is
 * attached to the contract and signed with it, but what it decides is not where she lives nor what she
 * pays: it restricts her freedom to come and go for her physical integrity and safety — a decision
 * relating to her person. C. civ. 459 al. 1 (version of loi n° 2019-222, in force since 25 March 2019):
 * « la personne protégée prend seule les décisions relatives à sa personne dans la mesure où son état le
 * permet »; al. 2: assistance, or representation, only where the judge (or the family council) provided
 * for it, for all personal acts or those listed; in case of disagreement between the person and her
 * protector « le juge autorise l'un ou l'autre à prendre la décision »; al. 3: « sans l'autorisation du
 * juge », no decision « ayant pour effet de porter gravement atteinte à l'intimité de la vie privée »;
 * C. civ. 457-1: she is informed of it. So the annex needs a measure reaching the person (scope
 * `personne`, C. civ. 425 al. 2) and, when the measure is limited to named acts, naming the annex (a
 * mission to conclude the contract is not one, C. civ. 437 al. 2, 459 al. 2 « ceux d'entre eux qu'il
 * énumère »); a measure of the property only leaves her to sign alone. It is no accommodation agreement
 * (no residence choice under C. civ. 459-2, no authorisation of C. civ. 472 for the curateur to sign
 * alone), but an act with the establishment whose measures it records: a holder employed by it is
 * replaced by the subrogé or ad hoc holder (C. civ. 451 al. 2, 454 al. 5, 455), as for the contract.
 */
export const LIBERTY_ANNEX_RULE: DocumentRule = {
  ...DOCUMENT_RULES.avenant,
  label: DOCUMENT_SUBTYPE_LABELS['annexe-liberte-aller-venir'].the,
  requiredScopes: ['personne'],
  accommodationAgreement: false,
  actWithEstablishment: true,
  acts: ['liberte-aller-venir', 'annexe-liberte-aller-venir', 'annexe-liberte-d-aller-et-venir'],
  basis: 'CASF L.311-4-1 I (annexe au contrat de séjour) ; C. civ. 457-1, 459',
  // For a minor the annex is no protected adult's personal decision (C. civ. 457-1, 459 are the rules of
  // the measures for adults): it concerns the child's person, which parental authority protects « dans
  // sa sécurité, sa santé et sa moralité » (C. civ. 371-1 al. 2); restricting his freedom to come and go
  // is no usual act, so under joint exercise both parents sign (C. civ. 372, 372-2 a contrario).
  minorBasis: 'CASF L.311-4-1 I (annexe au contrat de séjour) ; C. civ. 371-1 al. 2 (décision relative à la personne de l’enfant)',
  minorJoint:
    'l’annexe restreint la liberté d’aller et venir de l’enfant pour sa sécurité, une décision relative à sa personne que l’autorité parentale prend pour le protéger (C. civ. 371-1 al. 2) ; ce n’est pas un acte usuel : la présomption d’accord de l’article 372-2 ne joue pas, les deux parents signent (C. civ. 372, 372-2 a contrario)',
};

/** The article behind a minor's representatives' side: the document's own, without the rules for protected adults. */
function minorBasis(rule: DocumentRule): string {
  return rule.minorBasis ?? rule.basis;
}

/** The avenant purpose of the annex on the freedom to come and go (avenant 1.4.0 on, `document.purpose`). */
export const LIBERTY_ANNEX_PURPOSE = 'liberte-aller-venir';

/**
 * The rule a document follows: an avenant to a DIPC follows the DIPC's (CASF D.311 VII); the annex on
 * the freedom to come and go its own (LIBERTY_ANNEX_RULE: a decision relating to the person).
 */
export function documentRuleFor(documentType: PolicyDocumentType, appliesTo?: PolicyInput['appliesTo'], purpose?: string | null): DocumentRule {
  if (documentType === 'avenant' && purpose === LIBERTY_ANNEX_PURPOSE) return LIBERTY_ANNEX_RULE;
  const rule = documentType === 'avenant' && appliesTo === 'dipc' ? AVENANT_TO_DIPC_RULE : DOCUMENT_RULES[documentType];
  // The tariff avenant: the same signers as the avenant it is (CASF L.311-4, D.311 VII), its own name (@carepact/common documentTypeLabel).
  if (documentType === 'avenant' && purpose === TARIFF_PURPOSE)
    return { ...rule, tariff: true, label: documentTypeLabel('avenant', documentSubtypeOf('avenant', { purpose, appliesTo }))!.the };
  return rule;
}

/** The avenant purpose of a tariff avenant (avenant 1.3.0 on, `document.purpose`; @carepact/common documentSubtypeOf). */
const TARIFF_PURPOSE = 'tarifs';

/**
 * Act codes a limited measure's `acts` (or a sauvegarde's mission) may list, and which documents each
 * covers. A mission covers the acts it names, no more (C. civ. 437 al. 2: « un ou plusieurs actes
 * déterminés »; 494-6 and 494-8 al. 1 for a special habilitation): a mission to conclude the contrat
 * de séjour covers that contract, its avenants (concluded in the same conditions, CASF L.311-4, D.311
 * VII) and the DIPC that stands in for it (D.311), but not the projet personnalisé nor the minutes,
 * which concern the person (C. civ. 459 al. 1) and must be named. `admission` is accepted as the
 * judgment's usual wording for the contract. The residents API stores free text: acts are compared
 * after normalisation (case, accents, spaces).
 */
export const ACTS_COVERING: Readonly<Record<PolicyDocumentType, readonly string[]>> = {
  'contrat-sejour': ['contrat-sejour', 'contrat-de-sejour', 'admission'],
  avenant: ['avenant', 'contrat-sejour', 'contrat-de-sejour', 'admission'],
  dipc: ['dipc', 'contrat-sejour', 'contrat-de-sejour', 'admission'],
  'projet-personnalise': ['projet-personnalise'],
  'compte-rendu-synthese': ['compte-rendu-synthese', 'compte-rendu-de-synthese'],
};

interface MeasureRule {
  label: string;
  /** Fixed by law, or null when the judgment chooses (sauvegarde's mission, habilitation familiale). */
  mode: MeasureMode | null;
  signerRole: SignerRole;
  /** Title in the capacity wording. */
  holderTitle: string;
  /** « de son curateur »: how the assisted person's capacity names the assistant. */
  assistedBy: string;
  /** « le curateur »: the holder in explanations. */
  holderNoun: string;
  article: string;
}

const MEASURE_RULES: Readonly<Record<MeasureType, MeasureRule>> = {
  // C. civ. 433, 435: the person keeps the exercise of their rights; 437: a mandataire spécial for
  // determined acts only (the mission).
  sauvegarde_justice: {
    label: MEASURE_TYPE_LABELS.sauvegarde_justice,
    mode: null,
    signerRole: 'mandataire_special',
    holderTitle: 'mandataire spécial',
    assistedBy: 'du mandataire spécial',
    holderNoun: 'le mandataire spécial',
    article: 'C. civ. 433, 435, 437',
  },
  // C. civ. 440 al. 1, 467: assistance — the person acts, the curateur co-signs.
  curatelle: {
    label: MEASURE_TYPE_LABELS.curatelle,
    mode: 'assistance',
    signerRole: 'curateur',
    holderTitle: 'curateur',
    assistedBy: 'de son curateur',
    holderNoun: 'le curateur',
    article: 'C. civ. 440, 467',
  },
  // C. civ. 472: the curateur also manages income; may sign the accommodation agreement alone only
  // with the judge's authorisation.
  curatelle_renforcee: {
    label: MEASURE_TYPE_LABELS.curatelle_renforcee,
    mode: 'assistance',
    signerRole: 'curateur',
    holderTitle: 'curateur',
    assistedBy: 'de son curateur',
    holderNoun: 'le curateur',
    article: 'C. civ. 440, 467, 472',
  },
  // C. civ. 440 al. 3, 473: representation; 457-1, 459-2: the person is informed, takes part and
  // chooses their residence.
  tutelle: {
    label: MEASURE_TYPE_LABELS.tutelle,
    mode: 'representation',
    signerRole: 'tuteur',
    holderTitle: 'tuteur',
    assistedBy: 'de son tuteur',
    holderNoun: 'le tuteur',
    article: 'C. civ. 440, 473, 459-2',
  },
  // C. civ. 494-1, 494-6: assistance or representation, general or for listed acts.
  habilitation_familiale: {
    label: MEASURE_TYPE_LABELS.habilitation_familiale,
    mode: null,
    signerRole: 'habilite',
    holderTitle: 'personne habilitée',
    assistedBy: 'de la personne habilitée',
    holderNoun: 'la personne habilitée',
    article: 'C. civ. 494-1, 494-6',
  },
  // C. civ. 477, 481: representation within the mandate, once the court clerk has given it effect.
  mandat_protection_future: {
    label: MEASURE_TYPE_LABELS.mandat_protection_future,
    mode: 'representation',
    signerRole: 'mandataire',
    holderTitle: 'mandataire de protection future',
    assistedBy: 'du mandataire de protection future',
    holderNoun: 'le mandataire',
    article: 'C. civ. 477, 481',
  },
};

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/** The person's side of a decision, before orders and the countersignature are added. */
interface Principal {
  key: string;
  role: SignerRole;
  person: PolicyPerson;
  capacity: string;
  measure: MeasureReference | null;
  legalBasis: string;
  /** A signature she may give without anyone waiting for it (the person's own on her projet). */
  optional?: boolean;
}

interface Plan {
  principals: Principal[];
  views: ViewToRecord[];
  /** Court-measure minors: the DIPC regime applies to every document (parents may countersign). */
  principalsOptional: boolean;
  sentences: string[];
  /** The judge's authorisation the person signs alone on (C. civ. 469 al. 3; 494-10), when the plan relies on it. */
  soleSignature?: SoleSignatureAuthorisation;
  /** C. civ. 373-2-1 al. 5: the other parent is to be informed (otherParentInformed). */
  otherParentReminder?: string;
}

/**
 * Who signs `input.documentType` for `input.resident` on `input.on`.
 * @throws SignaturePolicyError when the file does not allow routing the document (see PolicyRefusalCode).
 */
export function decideSigners(input: PolicyInput): PolicyDecision {
  const rule = documentRuleFor(input.documentType, input.appliesTo, input.avenantPurpose);
  const r = input.resident;
  // CASF L.311-4: the director seeks the person's consent to be admitted, « sous réserve de
  // l'application du dernier alinéa de l'article 459-2 du code civil ». A document that records her
  // refusal is not sent for signature as if she had agreed: she changes her mind (a new interview,
  // a new version), or, under a measure of representation, the judge decides and the document cites it.
  if (rule.accommodationAgreement && input.admissionConsent === 'refusal' && !input.residence?.judgeDecision)
    throw new SignaturePolicyError(
      'ADMISSION_CONSENT_REFUSED',
      'Le document consigne que, lors de l’entretien de recherche du consentement, la personne a refusé son entrée dans l’établissement (CASF L.311-4) : il ne peut pas être envoyé en signature. ' +
        'Si elle a changé d’avis, consignez le nouvel entretien dans une nouvelle version ; si elle est protégée par une mesure de représentation relative à la personne, le juge (ou le conseil de famille) statue (C. civ. 459-2) et sa décision est inscrite dans le document (choix du lieu de vie).',
      [{ field: 'document.consentInterview.outcome', code: 'ADMISSION_CONSENT_REFUSED', message: 'La personne a refusé son entrée : nouvel entretien ou décision du juge requis.' }],
    );
  if (input.deceasedOn) return afterDeath(input, rule, input.deceasedOn);
  // Age on the request date, not the view's `minor` flag (computed on another day).
  const plan = isMinor(r.birthDate, input.on) ? planForMinor(input, rule) : planForAdult(input, rule);

  // Person and representatives sign in parallel (order 1): they sign the same hash, so their order
  // changes nothing, and parallel keeps the 1-month deadline (D.311 III) within reach. The establishment
  // signs last (order 2), so its signature closes the document and triggers the seal — except where the
  // person's side is optional (a DIPC, an avenant to it: CASF D.311 II, VII): optional signers never
  // hold it back, its signature establishes the document and the others may countersign after.
  const optional = plan.principalsOptional || rule.personSide === 'optional';
  const signers: RequiredSigner[] = plan.principals.map(({ optional: mayGive, ...p }) => ({ ...p, order: 1, optional: mayGive ?? optional }));
  // The projet personnalisé is the person's own (CASF L.311-3 3° and 7°): when someone else signs
  // for her, she keeps her own place to sign it when she can — optional, never blocking.
  const own = ownProjetSignature(input, plan);
  if (own) signers.unshift({ ...own, order: 1 });
  signers.push(directorSigner(input, rule, signers.length ? 2 : 1));

  checkProposedSigners(input, signers);
  checkEmails(signers);

  // A judge's authorisation to sign alone is recorded but not relied on (another version, another measure…): say why the assistant signs.
  const sentences = [...plan.sentences, ...(input.soleSignatureSetAside ? [input.soleSignatureSetAside] : []), rule.directorSentence];
  if (r.personneDeConfiance) sentences.push('La personne de confiance peut accompagner la personne ; elle ne signe jamais (CASF L.311-5-1).');
  return {
    documentType: input.documentType,
    signers,
    views: rule.recordsViews ? plan.views : [],
    sameVersionRequired: true,
    explanation: sentences.join(' '),
    ...(plan.soleSignature ? { soleSignatureAuthorisation: plan.soleSignature } : {}),
    ...(plan.otherParentReminder ? { otherParentReminder: plan.otherParentReminder } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Adults
// ---------------------------------------------------------------------------------------------

function planForAdult(input: PolicyInput, rule: DocumentRule): Plan {
  const r = input.resident;
  // Status on the request date, not the view's `status` (computed on the day the view was read).
  const dated = r.protectionMeasures.map((m) => ({ m, status: measureStatus(m, input.on) }));
  const active = dated.filter((d) => d.status === 'active').map((d) => d.m);

  if (active.length === 0) {
    // A measure on file that is not in effect leaves the file ambiguous: block until it is updated
    // (rule 3) rather than guess that the person has recovered full capacity.
    const pending = dated.find((d) => d.status === 'not_started');
    if (pending) throw notStarted(pending.m);
    const expired = dated.find((d) => d.status === 'expired');
    if (expired) throw expiredMeasure(expired.m);
    return {
      principals: [residentPrincipal(r, 'en son nom propre', null, rule.basis)],
      views: [],
      principalsOptional: false,
      sentences: ['Personne majeure sans mesure de protection : elle agit en son nom propre.'],
    };
  }

  // The same rule as the document's own description of the person (@carepact/residents applicableMeasure).
  const m = applicableMeasure(r.protectionMeasures, input.on)!;
  const plan = planForMeasure(input, rule, m);
  if (active.length > 1)
    plan.sentences.push(`Plusieurs mesures sont en cours : la plus protectrice (${MEASURE_RULES[m.type].label}) est retenue ; vérifiez le dossier.`);
  return plan;
}

function planForMeasure(input: PolicyInput, rule: DocumentRule, m: MeasureView): Plan {
  const conflict = holderConflict(input, rule, m);
  if (!conflict) return planForMeasureWith(input, rule, m, MEASURE_RULES[m.type]);
  const plan = planForMeasureWith(input, rule, conflict.measure, conflict.measureRule, conflict.titles);
  plan.sentences.push(conflict.sentence);
  return plan;
}

/**
 * The holder is the establishment's préposé (C. civ. 451 al. 2: the judge may appoint « un préposé
 * d'établissement » as mandataire judiciaire), or otherwise employed by the establishment or its
 * organisme gestionnaire. The contract, its avenants and the DIPC are acts between the person and
 * the establishment: for them his interests are opposed to hers. C. civ. 454 al. 5: the subrogé
 * curateur or tuteur « assiste ou représente … la personne protégée lorsque les intérêts de
 * celle-ci sont en opposition avec ceux du curateur ou du tuteur »; C. civ. 455: otherwise the
 * judge appoints « un curateur ou un tuteur ad hoc ». The substitute takes the holder's place with
 * the measure's own mode (assists or represents); the ad hoc holder, appointed for the opposed act,
 * comes before the subrogé. Neither recorded: refused. The projet personnalisé and the minutes are
 * not acts with the establishment whose interests oppose hers (they concern her support, CASF
 * L.311-3 7°): the holder signs them as usual. A judge's authorisation for the curateur to sign
 * alone (C. civ. 472) was given to the holder, not to his substitute: it is not relied on.
 */
/**
 * The conflict-of-interest rule below on its own, for the document's generation and preview
 * (@carepact/documents GenerationChecks): throws the same HOLDER_CONFLICT_OF_INTEREST refusal as the
 * signature request when a holder in conflict has nobody recorded to act in his place, so staff
 * learn it before a document exists. The measure is the one the policy routes by (applicableMeasure).
 */
export function assertHolderConflictResolved(input: Pick<PolicyInput, 'documentType' | 'appliesTo' | 'avenantPurpose' | 'resident' | 'on'>): void {
  const m = applicableMeasure(input.resident.protectionMeasures, input.on);
  if (m) holderConflict(input as PolicyInput, documentRuleFor(input.documentType, input.appliesTo, input.avenantPurpose), m);
}

function holderConflict(
  input: PolicyInput,
  rule: DocumentRule,
  m: MeasureView,
): { measure: MeasureView; measureRule: MeasureRule; sentence: string; titles?: ReadonlyMap<string, string> } | null {
  if (!rule.accommodationAgreement && !rule.actWithEstablishment) return null;
  // A personal document (the freedom-of-movement annex) the measure does not reach — on her property
  // only, or limited to other acts: she decides alone (C. civ. 459 al. 1) and the holder signs
  // nothing, so his tie to the establishment is no ground to refuse it.
  if (!rule.requiredScopes.includes('biens') && (!m.scope.includes('personne') || (!m.general && !listsActOf(m.acts, input, rule)))) return null;
  // The tie is each holder's own (migration 1764100000000): only the holders employed by the establishment are in conflict.
  // The resolution (ad hoc, else co-holders free of the tie, else the subrogé) is @carepact/residents'
  // resolveHolderConflict, the one the template input follows too.
  // Under a measure the judge divided (C. civ. 447 al. 3), only the holders whose mission the act
  // concerns act for it, and a co-holder replaces one in conflict only within his own mission.
  const resolution = resolveHolderConflict(m, actDomains(input.documentType, input.avenantPurpose));
  if (!resolution) return null;
  // A sauvegarde's mandataire spécial acts only within his mission (C. civ. 437): outside it he signs nothing.
  if (m.type === 'sauvegarde_justice' && !listsActOf(m.acts, input, rule)) return null;
  const role = HOLDER_ROLE_OF[m.type];
  const mr = MEASURE_RULES[m.type];
  const withSubstitute = (c: ContactView & { contactId: string }): MeasureView => ({
    ...m,
    judgeAuthorisesHolderAlone: false,
    holders: [{ ...c, role }],
  });
  const conflictWords = `${mr.holderNoun} est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ${rule.label}, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne`;
  if (resolution.by === 'ad_hoc') {
    const adHoc = resolution.adHoc;
    const decision = `décision ${adHoc.judgmentReference} du ${frDate(adHoc.judgmentDate)}`;
    return {
      measure: withSubstitute(adHoc),
      measureRule: {
        ...mr,
        holderTitle: `${mr.holderTitle} ad hoc`,
        assistedBy: `${mr.assistedBy} ad hoc`,
        holderNoun: `${mr.holderNoun} ad hoc`,
        article: `${mr.article} ; C. civ. 455 (${decision})`,
      },
      sentence: `${capitalise(conflictWords)} ; ${mr.holderNoun} ad hoc désigné par le juge (${decision}) signe à sa place (C. civ. 455).`,
    };
  }
  // Several holders exercise the measure together (C. civ. 447 al. 2 co-curateurs or co-tuteurs;
  // 494-1 several habilitated relatives; 477 several mandataires): the interests opposed to hers are
  // only those of the one employed by the establishment. The others still exercise the measure and
  // act for her (C. civ. 447 al. 3: each is deemed to hold the others' power towards third parties),
  // so she is not left without a holder whose interests are free: no subrogé is called in (C. civ.
  // 454 al. 5 and 455 provide for opposition « avec ceux du curateur ou du tuteur », the measure's
  // holder). The holder in conflict does not sign. A tuteur or curateur ad hoc the judge appointed
  // for the act comes first all the same (above): the judge's decision for that act is followed.
  if (resolution.by === 'co_holders') {
    const free = resolution.free;
    // A divided measure (C. civ. 447 al. 3): the co-holder acts because his own mission covers the act.
    const divided = isDividedMeasure(m);
    return {
      measure: { ...m, holders: resolution.acting },
      measureRule: mr,
      sentence:
        `Un des titulaires de la mesure (${mr.holderTitle}) est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ${rule.label}, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne ; il ne signe pas. ` +
        (divided
          ? `${free.length > 1 ? 'Les autres titulaires, dont la mission couvre' : 'L’autre titulaire, dont la mission couvre'} aussi ce qu’il faisait pour cet acte, ${free.length > 1 ? 'signent' : 'signe'} (C. civ. 447 al. 3).`
          : `${free.length > 1 ? 'Les autres titulaires, qui exercent' : 'L’autre titulaire, qui exerce'} la mesure avec lui, ${free.length > 1 ? 'signent' : 'signe'} (C. civ. 447 al. 2 et 3).`),
    };
  }
  // A divided measure whose other holder's mission does not cover what the one in conflict did for
  // this act (C. civ. 447 al. 3-4: independent, each within his own): the subrogé takes the place of
  // the one in conflict only (C. civ. 454 al. 5), within that holder's mission for the act; the other
  // holder, whose own mission the act concerns too, still signs.
  if (resolution.by === 'subroge' && resolution.acting.length) {
    const domains = actDomains(input.documentType, input.avenantPurpose);
    const mission = [...new Set(resolution.conflicted.flatMap((h) => holderMission(m, h).filter((x) => domains.includes(x))))];
    const subroge = { ...resolution.subroge, role, mission };
    return {
      measure: { ...m, judgeAuthorisesHolderAlone: false, holders: [...resolution.acting, subroge] },
      measureRule: { ...mr, article: `${mr.article} ; C. civ. 454 al. 5` },
      titles: new Map([[subroge.contactId, `subrogé ${mr.holderTitle}`]]),
      sentence:
        `${capitalise(conflictWords)} ; le subrogé ${mr.holderTitle} ${(mr.mode ?? m.mode) === 'assistance' ? 'l’assiste' : 'la représente'} et signe à sa place (C. civ. 454 al. 5). ` +
        `La mission ${resolution.acting.length > 1 ? 'des autres titulaires' : 'de l’autre titulaire'} ne couvre pas ce qu’il faisait pour cet acte (C. civ. 447 al. 3 et 4) ; ${resolution.acting.length > 1 ? 'ils signent' : 'il signe'} pour la sienne.`,
    };
  }
  if (resolution.by === 'subroge') {
    return {
      measure: withSubstitute(resolution.subroge),
      measureRule: {
        ...mr,
        holderTitle: `subrogé ${mr.holderTitle}`,
        assistedBy: `de son subrogé ${mr.holderTitle}`,
        holderNoun: `le subrogé ${mr.holderTitle}`,
        article: `${mr.article} ; C. civ. 454 al. 5`,
      },
      sentence: `${capitalise(conflictWords)} ; le subrogé ${mr.holderTitle} ${(mr.mode ?? m.mode) === 'assistance' ? 'l’assiste' : 'la représente'} et signe à sa place (C. civ. 454 al. 5).`,
    };
  }
  // A divided measure: the other holder's mission does not cover what the one in conflict did for the act (C. civ. 447 al. 3-4).
  const others = isDividedMeasure(m) ? holdersForAct(m, actDomains(input.documentType, input.avenantPurpose)).filter((h) => !resolution.conflicted.includes(h)) : [];
  const divided = others.length
    ? ` La mesure est divisée par le juge (C. civ. 447 al. 3) : la mission ${others.length > 1 ? 'des autres titulaires' : 'de l’autre titulaire'} ne couvre pas ce que ${mr.holderNoun} faisait pour cet acte, ${others.length > 1 ? 'ils ne peuvent' : 'il ne peut'} pas signer à sa place (C. civ. 447 al. 4).`
    : '';
  throw holderConflictUnresolved(m, mr, rule, resolution.conflicted.length, resolution.subrogeExists, divided);
}

/**
 * Nobody recorded to act in the place of the holder(s) in conflict: what staff must do, in French.
 * C. civ. 454 al. 5: the subrogé curateur or tuteur, where the judge appointed one, assists or
 * represents her; C. civ. 455: otherwise the judge appoints a curateur or tuteur ad hoc for the act
 * (for an habilitation familiale or a mandat, the judge settles the difficulty, C. civ. 494-10, 484;
 * the same appointment is recorded here). When every co-holder is tied to the establishment (C. civ.
 * 447 al. 2), none of them can sign: the words say so, in the plural. The message names nobody
 * (errors may be logged).
 */
function holderConflictUnresolved(m: MeasureView, mr: MeasureRule, rule: DocumentRule, count: number, subrogeExists: boolean, divided = ''): SignaturePolicyError {
  const title = mr.holderTitle;
  const who =
    count > 1
      ? `Tous les titulaires de la mesure (les ${count === 2 ? 'deux' : count} ${pluralTitle(title)}) sont préposés de l’établissement ou liés à lui (C. civ. 451 al. 2) : pour ${rule.label}, acte conclu avec l’établissement, leurs intérêts sont en opposition avec ceux de la personne et aucun d’eux ne peut signer.`
      : `${capitalise(mr.holderNoun)} est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ${rule.label}, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne et il ne peut pas signer.`;
  const todo = subrogeExists
    ? ` Aucun subrogé ${title} ni ${title} ad hoc n’est enregistré. Si le juge a nommé un subrogé ${title}, enregistrez-le dans la mesure : il ${(mr.mode ?? m.mode) === 'assistance' ? 'assiste' : 'représente'} la personne pour cet acte (C. civ. 454 al. 5). Sinon, demandez au juge des contentieux de la protection de désigner un ${title} ad hoc pour cet acte (C. civ. 455), puis enregistrez sa décision dans la mesure (personne désignée, référence, date). ` +
      'Le document ne peut pas être établi ni envoyé avant.'
    : ` Aucun titulaire ad hoc n’est enregistré. Demandez au juge des contentieux de la protection de désigner une personne ad hoc pour cet acte (C. civ. 455), puis enregistrez sa décision dans la mesure (personne désignée, référence, date) : le document ne peut pas être établi ni envoyé avant.`;
  return new SignaturePolicyError('HOLDER_CONFLICT_OF_INTEREST', who + divided + todo, [
    {
      field: `protectionMeasures.${m.id}.${subrogeExists ? 'subrogeContactId' : 'adHocContactId'}`,
      code: 'HOLDER_CONFLICT_OF_INTEREST',
      message: subrogeExists
        ? `Subrogé ${title} à enregistrer, ou ${title} ad hoc à faire désigner par le juge (C. civ. 454 al. 5, 455).`
        : 'Titulaire ad hoc à faire désigner par le juge (C. civ. 455).',
    },
  ]);
}

/** « curateur » → « curateurs », « personne habilitée » → « personnes habilitées », « mandataire spécial » → « mandataires spéciaux », « mandataire de protection future » → « mandataires de protection future ». */
function pluralTitle(title: string): string {
  const words = title.split(' ');
  const of = words.indexOf('de');
  const head = of < 0 ? words : words.slice(0, of);
  return [...head.map((w) => (w.endsWith('al') ? `${w.slice(0, -2)}aux` : `${w}s`)), ...(of < 0 ? [] : words.slice(of))].join(' ');
}

function planForMeasureWith(input: PolicyInput, rule: DocumentRule, m: MeasureView, mr: MeasureRule, titles?: ReadonlyMap<string, string>): Plan {
  const r = input.resident;
  const mode: MeasureMode = mr.mode ?? m.mode;
  const ref = measureReference(m, mode);
  const name = fullName(r);
  let holders = m.holders.filter((h) => h.role === HOLDER_ROLE_OF[m.type]);
  // A holder's capacity names his mission when the judge divided the measure (C. civ. 447 al. 3),
  // agreed with the holder's civility (« tutrice », « subrogée curatrice »; none recorded: the masculine generic).
  const titleOf = (h: MeasureView['holders'][number]) => agreeWithCivility(titles?.get(h.contactId) ?? holderMissionTitle(mr.holderTitle, m, h), h.civility);
  const judgment = `jugement ${m.judgmentReference} du ${frDate(m.judgmentDate)}${m.endDate ? `, jusqu’au ${frDate(m.endDate)}` : ''}`;

  if (m.type === 'sauvegarde_justice') {
    // C. civ. 435: the person keeps the exercise of their rights; 437: the mandataire spécial acts
    // only for the acts the judge listed. A "general" flag alone is no mission: the acts must be named.
    if (holders.length === 0 || !listsActOf(m.acts, input, rule)) {
      return {
        principals: [residentPrincipal(r, 'en son nom propre', null, `${rule.basis} ; C. civ. 435`)],
        views: [],
        principalsOptional: false,
        sentences: [
          `Sauvegarde de justice (${judgment}) : la personne conserve l’exercice de ses droits et signe en son nom propre (C. civ. 435)${
            holders.length ? ' ; la mission du mandataire spécial ne couvre pas ce document (C. civ. 437)' : ''
          }.`,
        ],
      };
    }
  } else if (holders.length === 0) throw holderMissing(m, mr);

  // The projet personnalisé and the minutes concern the person only. C. civ. 459 al. 1: « Hors les cas
  // prévus à l'article 458, la personne protégée prend seule les décisions relatives à sa personne dans
  // la mesure où son état le permet »; assistance or representation for them exists only where the
  // judge provided for it (459 al. 2), i.e. a measure whose scope includes the person (C. civ. 425
  // al. 2) and, when limited to named acts, names this document (C. civ. 437 al. 2, 494-6, 494-8 al.
  // 1). Otherwise the measure does not reach her personal sphere: she signs alone, the establishment
  // signs as usual.
  const personal = !rule.requiredScopes.includes('biens');
  const limitedElsewhere = !m.general && !listsActOf(m.acts, input, rule);
  if (personal && (!m.scope.includes('personne') || limitedElsewhere)) return personalDecisionAlone(input, rule, m, mr, judgment, limitedElsewhere);
  // C. civ. 494-6 (habilitation), 477 s. (mandat): a measure limited to listed acts gives no power
  // outside them (the sauvegarde's mission was checked above).
  if (m.type !== 'sauvegarde_justice' && limitedElsewhere) throw actNotListed(m, mr, rule);

  // C. civ. 447 al. 3: the judge may divide the measure between a holder in charge of the person and
  // one in charge of the property; unless he decided otherwise they are independent (al. 4), each
  // acting within his own mission. The document is signed by the holder of each mission it concerns
  // (actDomains): the contract, its avenants and the DIPC decide where she lives (C. civ. 459-2) and
  // commit her money — both; the liberty annex, the projet personnalisé and the minutes concern her
  // person (C. civ. 459, 457-1; CASF L.311-3) — the holder in charge of the person; the tariff avenant
  // only changes the price — the holder in charge of the property. A mission nobody holds: refused.
  const divided = isDividedMeasure(m);
  let dividedSentence = '';
  if (divided) {
    const domains = actDomains(input.documentType, input.avenantPurpose).filter((d) => m.scope.includes(d));
    holders = holdersForAct(m, domains);
    const orphan = domains.filter((d) => !holders.some((h) => holderMission(m, h).includes(d)));
    if (orphan.length) throw missionHolderMissing(m, mr, orphan);
    const what = (d: MeasureScope) => (d === 'personne' ? 'sa personne' : 'ses biens');
    const the = (h: MeasureView['holders'][number]) => `${titleOf(h).startsWith('personne') || h.civility === 'madame' ? 'la' : 'le'} ${titleOf(h)}`;
    // The person's side of a DIPC (and of an avenant to it) is an optional countersignature (CASF D.311
    // II « Il peut être contresigné »), that of the minutes an optional acknowledgement: no holder « signe » them.
    const many = holders.length > 1;
    const signs =
      rule.personSide === 'required'
        ? many
          ? 'signent, chacun pour sa mission'
          : 'signe'
        : rule.accommodationAgreement
          ? `${many ? 'peuvent le contresigner, chacun pour sa mission ; leur contresignature n’est pas requise' : 'peut le contresigner ; sa contresignature n’est pas requise'} (CASF D.311 II)`
          : `${many ? 'peuvent en prendre connaissance par une signature simple, chacun pour sa mission' : 'peut en prendre connaissance par une signature simple'}, qui n’est pas requise`;
    const others = m.holders.filter((h) => h.role === HOLDER_ROLE_OF[m.type] && !holders.includes(h));
    dividedSentence =
      `Mesure divisée par le juge (C. civ. 447 al. 3) : ${rule.label} concerne ${domains.map(what).join(' et ')} ; ` +
      `${listFr(holders.map(the))} ${signs}` +
      `${others.length ? ` ; ${listFr(others.map(the))}, dont la mission ne couvre pas cet acte, ${others.length > 1 ? 'ne sont pas signataires' : 'n’est pas signataire'}` : ''} (C. civ. 447 al. 4).`;
  }

  // The contract, its avenants, the DIPC, under a representation that does not reach the person: the
  // representative commits her money (the price, C. civ. 425 al. 2 — a tutelle or an habilitation
  // « aux biens »; a mandataire spécial's mission, « rendus nécessaires par la gestion du
  // patrimoine », C. civ. 437 al. 2), but where she lives is hers (C. civ. 459-2 al. 1 « La personne
  // protégée choisit le lieu de sa résidence »; 459 al. 1): she signs too. Under a sauvegarde she
  // keeps the exercise of her rights (C. civ. 435 al. 1) whatever the mission's scope, so she signs
  // beside the mandataire spécial in every case.
  if (mode === 'representation' && rule.accommodationAgreement && m.scope.includes('biens') && (m.type === 'sauvegarde_justice' || !m.scope.includes('personne')))
    return patrimonialRepresentation(input, rule, m, mr, ref, holders, judgment);

  // C. civ. 425 al. 2: a measure may be limited to the person or to property. A representative must
  // hold every domain the document touches, or they would sign beyond the judgment; an assistant is
  // needed as soon as the document touches one of theirs (the person signs the whole anyway).
  const covered = rule.requiredScopes.filter((s) => m.scope.includes(s));
  const coversAct = mode === 'representation' ? covered.length === rule.requiredScopes.length : covered.length > 0;
  if (!coversAct) throw scopeExcludes(m, mr, rule);

  const holderPrincipals = (verb: string, extraBasis = ''): Principal[] =>
    holders.map((h) => ({
      key: `${mr.signerRole}:${h.contactId}`,
      role: mr.signerRole,
      person: contactPerson(h, h.contactId),
      capacity: `en qualité de ${titleOf(h)}, ${verb} ${name}`,
      measure: ref,
      legalBasis: `${mr.article}${divided ? ', 447 al. 3' : ''}${extraBasis} ; ${rule.basis}`,
    }));

  if (mode === 'assistance') {
    // C. civ. 469 al. 3: the curateur refused to assist her in this act, and the judge authorised her
    // to do it alone (an ordonnance recorded on the document). For an habilitation familiale in
    // assistance the relative assists « dans les conditions prévues à l'article 467 » (C. civ. 494-1
    // al. 1) and the judge settles a refusal as a difficulty (C. civ. 494-10): the same outcome, its
    // own articles (sole-signature.ts soleSignatureLaw). She signs alone, the establishment
    // countersigns; the assistant is no signer. Her choice of residence is hers anyway (C. civ.
    // 459-2): she signs. The caller relies on it only for the version it authorises, under the
    // measure it was given under (soleSignatureSetAside).
    const sole = input.soleSignatureAuthorisation;
    if (sole && rule.accommodationAgreement) {
      const law = soleSignatureLaw(m.type);
      // « ; réf. <reference>) » is what withoutFileReferences takes out for the auditor; the court and the date stay.
      const ordonnance = `ordonnance : ${sole.court}, ${frDate(sole.date)}, réf. ${sole.reference}`;
      return {
        principals: [
          residentPrincipal(r, `en son nom propre, sur autorisation du juge (${law.cite}), sans l’assistance ${mr.assistedBy}`, ref, `${law.basis} (${ordonnance}) ; ${rule.basis}`),
        ],
        views: [],
        principalsOptional: false,
        soleSignature: {
          court: sole.court,
          date: sole.date,
          reference: sole.reference,
          ...(sole.authorisationId ? { authorisationId: sole.authorisationId } : {}),
          ...(sole.versionId ? { versionId: sole.versionId } : {}),
        },
        sentences: [
          `${capitalise(mr.label)} (${judgment}) : mesure d’assistance ; ${mr.holderNoun} a refusé son assistance et le juge a autorisé la personne à signer seule ${rule.label} (${ordonnance}) : ` +
            `elle signe sans ${mr.holderNoun}, qui n’est pas signataire (${law.basis}).`,
        ],
      };
    }
    // C. civ. 472 as DOMAIN.md reads it: with the judge's authorisation, the curateur of a curatelle
    // renforcée may sign the accommodation agreement alone. The reference is the proof the evidence
    // must carry; without it the authorisation is not relied on and both sign (always valid, C. civ. 467).
    if (m.type === 'curatelle_renforcee' && m.judgeAuthorisesHolderAlone && m.authorisationReference && rule.accommodationAgreement) {
      // C. civ. 472 al. 3 authorises it « sans préjudice des dispositions de l'article 459-2 »: where
      // she lives is still the person's choice, and a disagreement is the judge's to settle. A
      // recorded disagreement without that decision stops the sending, as under representation.
      if (!rule.tariff && input.residence && !input.residence.agrees && !input.residence.judgeDecision) throw residenceNeedsJudge(m);
      const principals = holders.map((h) => ({
        key: `${mr.signerRole}:${h.contactId}`,
        role: mr.signerRole,
        person: contactPerson(h, h.contactId),
        capacity: `en qualité de ${titleOf(h)}, sur autorisation du juge (C. civ. 472), pour ${name}`,
        measure: ref,
        legalBasis: `C. civ. 472 (autorisation ${m.authorisationReference}) ; ${rule.basis}`,
      }));
      return {
        principals,
        // The person still takes part (participation compulsory, L.311-4; informed, C. civ. 457-1):
        // their view is captured, and never blocks.
        views: [residentView(r, 'curatelle_renforcee_autorisation_juge', principals, rule.tariff ? 'C. civ. 457-1, 472 ; CASF L.311-4' : 'C. civ. 457-1, 459-2, 472 ; CASF L.311-4')],
        principalsOptional: false,
        sentences: [
          `Curatelle renforcée (${judgment}) avec autorisation du juge (${m.authorisationReference}) : le curateur signe seul ${rule.label} ; l’avis de la personne est recueilli (C. civ. 472, 457-1).` +
            (rule.tariff ? '' : ' Le choix du lieu de résidence reste le sien : si elle n’est pas d’accord pour vivre dans l’établissement, le juge statue avant la signature (C. civ. 459-2).'),
          ...(dividedSentence ? [dividedSentence] : []),
        ],
      };
    }
    const resident = residentPrincipal(r, `en son nom propre, avec l’assistance ${mr.assistedBy}`, ref, `${mr.article} ; ${rule.basis}`);
    // Wording only: a DIPC's person's side countersigns if it wishes (CASF D.311 II « peut être contresigné »).
    const sentences = [
      rule.personSide === 'optional'
        ? `${capitalise(mr.label)} (${judgment}) : mesure d’assistance, la personne et ${mr.holderNoun} peuvent contresigner la même version, sans obligation ; ${mr.holderNoun} l’assiste et ne contresigne jamais à sa place (C. civ. 467 ; CASF D.311 II).`
        : `${capitalise(mr.label)} (${judgment}) : mesure d’assistance, la personne et ${mr.holderNoun} signent tous deux la même version ; ${mr.holderNoun} ne signe jamais à la place de la personne (C. civ. 467).`,
    ];
    if (m.type === 'curatelle_renforcee' && m.judgeAuthorisesHolderAlone && !m.authorisationReference && rule.accommodationAgreement)
      sentences.push('L’autorisation du juge de signer seul est cochée sans référence : elle n’est pas retenue, la personne et le curateur signent.');
    if (dividedSentence) sentences.push(dividedSentence);
    return { principals: [resident, ...holderPrincipals('qui assiste')], views: [], principalsOptional: false, sentences };
  }

  // Representation (C. civ. 440 al. 3, 473; 494-1; 477; 437): the representative signs; the person
  // is informed and takes part (C. civ. 457-1). Where the act decides where she lives (the contract,
  // its avenants, the DIPC), the choice is hers (C. civ. 459-2 al. 1; CASF L.311-4 reserves it): her
  // agreement is recorded in the document, and a disagreement is settled by the judge or the family
  // council (459-2 al. 2) — without that decision the document does not go to signature.
  const principals = holderPrincipals('qui représente');
  // A tariff avenant changes the price only (CASF L.342-3, L.314-1; the dependency price L.314-2): it decides nothing about where she lives.
  const residenceAct = rule.accommodationAgreement && !rule.tariff && m.scope.includes('personne');
  // Wording only: on a DIPC the representative « peut » countersign (CASF D.311 II).
  const verb = rule.personSide === 'optional' ? 'peut contresigner, sans obligation,' : 'signe';
  const who = holders.length > 1 ? `chaque titulaire de la mesure ${verb}` : `${mr.holderNoun} ${verb}`;
  if (residenceAct && input.residence && !input.residence.agrees && !input.residence.judgeDecision) throw residenceNeedsJudge(m);
  let residenceSentence = '';
  if (residenceAct)
    residenceSentence = !input.residence
      ? ' Le choix du lieu de résidence appartient à la personne (C. civ. 459-2) : son accord pour vivre dans l’établissement est consigné dans le document.'
      : input.residence.agrees
        ? ' La personne a dit son accord pour vivre dans l’établissement, consigné dans le document (C. civ. 459-2).'
        : ` La personne n’est pas d’accord pour vivre dans l’établissement : le juge a statué (décision ${input.residence.judgeDecision!.reference} du ${frDate(input.residence.judgeDecision!.date)}), le document la cite (C. civ. 459-2).`;
  return {
    principals,
    views: [
      residentView(
        r,
        m.type === 'tutelle' ? 'tutelle' : 'representation',
        principals,
        residenceAct ? 'C. civ. 457-1, 459-2 ; CASF L.311-4' : rule.tariff ? 'C. civ. 457-1 ; CASF L.311-4' : rule === LIBERTY_ANNEX_RULE ? 'C. civ. 457-1, 459 al. 2 ; CASF L.311-4-1 I' : 'C. civ. 457-1 ; CASF L.311-3',
      ),
    ],
    principalsOptional: false,
    sentences: [
      `${capitalise(mr.label)} (${judgment}) : mesure de représentation, ${who} pour la personne ; la personne est informée et participe, son avis est recueilli (C. civ. 457-1).${residenceSentence}${
        rule === LIBERTY_ANNEX_RULE ? ' ' + LIBERTY_ANNEX_REPRESENTATION : ''
      }`,
      ...(dividedSentence ? [dividedSentence] : []),
    ],
  };
}

/**
 * C. civ. 459 al. 2 and 3 (loi n° 2019-222, in force since 25 March 2019), said to staff when the
 * representative signs the liberty annex: the person's disagreement with the measures goes to the
 * judge, save urgency; a measure seriously infringing the privacy of her private life needs his
 * authorisation. The annex records her opinion apart (`libertyAnnex.residentOpinion`).
 */
const LIBERTY_ANNEX_REPRESENTATION =
  'L’annexe restreint sa liberté d’aller et venir : c’est une décision relative à sa personne (C. civ. 459). Si elle n’est pas d’accord avec les mesures, le juge (ou le conseil de famille) autorise l’un ou l’autre à décider, sauf urgence (C. civ. 459 al. 2) ; une mesure qui porte gravement atteinte à l’intimité de sa vie privée demande l’autorisation du juge (C. civ. 459 al. 3).';

/**
 * A personal document (projet personnalisé, minutes) under a measure that does not reach the
 * person's personal sphere: she decides and signs alone (C. civ. 459 al. 1), the holder is no signer.
 */
function personalDecisionAlone(input: PolicyInput, rule: DocumentRule, m: MeasureView, mr: MeasureRule, judgment: string, limitedElsewhere: boolean): Plan {
  const why = limitedElsewhere
    ? `la mesure est limitée à des actes déterminés qui ne comprennent pas ${rule.label} (${m.type === 'sauvegarde_justice' ? 'C. civ. 437 al. 2' : m.type === 'habilitation_familiale' ? 'C. civ. 494-6, 494-8 al. 1' : mr.article})`
    : `la mesure ne porte que sur les biens (C. civ. 425 al. 2)`;
  const basis = limitedElsewhere ? 'mesure limitée à d’autres actes' : 'mesure limitée aux biens';
  return {
    principals: [residentPrincipal(input.resident, 'en son nom propre', null, `C. civ. 459 al. 1 (${mr.label}, ${basis}) ; ${rule.basis}`)],
    views: [],
    principalsOptional: false,
    sentences: [
      `${capitalise(mr.label)} (${judgment}) : ${why}. ${capitalise(rule.label)} concerne sa personne : elle décide et signe seule, ${mr.holderNoun} n’est pas signataire (C. civ. 459 al. 1).`,
    ],
  };
}

/**
 * The contract, its avenants, the DIPC under a representation of the property only (or a mandataire
 * spécial's mission): the representative signs for the money, the person signs for where she lives
 * (C. civ. 459-2 al. 1; 435 al. 1 under a sauvegarde). A disagreement recorded in the document is the
 * judge's to settle before anyone signs (459-2 al. 2).
 */
function patrimonialRepresentation(
  input: PolicyInput,
  rule: DocumentRule,
  m: MeasureView,
  mr: MeasureRule,
  ref: MeasureReference,
  holders: MeasureView['holders'],
  judgment: string,
): Plan {
  if (!rule.tariff && input.residence && !input.residence.agrees && !input.residence.judgeDecision) throw residenceNeedsJudge(m);
  const r = input.resident;
  const name = fullName(r);
  const sauvegarde = m.type === 'sauvegarde_justice';
  // A tariff avenant decides nothing about where she lives: she signs it as the contract's party, concluded in the same conditions (CASF L.311-4, D.311 VII).
  const own = rule.tariff ? (sauvegarde ? 'C. civ. 435 al. 1' : 'C. civ. 459 al. 1') : sauvegarde ? 'C. civ. 435 al. 1, 459-2 al. 1' : 'C. civ. 459 al. 1, 459-2 al. 1';
  const principals: Principal[] = [
    residentPrincipal(
      r,
      rule.tariff ? 'en son nom propre' : 'en son nom propre, pour le choix de son lieu de résidence',
      null,
      `${own} (${mr.label}, représentation limitée ${sauvegarde ? 'à la mission' : 'aux biens'}) ; ${rule.basis}`,
    ),
    ...holders.map((h) => ({
      key: `${mr.signerRole}:${h.contactId}`,
      role: mr.signerRole,
      person: contactPerson(h, h.contactId),
      capacity: `en qualité de ${agreeWithCivility(mr.holderTitle, h.civility)}, qui représente ${name}`,
      measure: ref,
      legalBasis: `${mr.article}${sauvegarde ? ' (mission : actes déterminés de gestion du patrimoine)' : ' (représentation relative aux biens, C. civ. 425 al. 2)'} ; ${rule.basis}`,
    })),
  ];
  const reach = sauvegarde
    ? `la personne conserve l’exercice de ses droits (C. civ. 435) ; la mission du ${mr.holderTitle} couvre ${rule.label}, qui engage ses biens (C. civ. 437 al. 2)`
    : `mesure de représentation relative aux biens seulement (C. civ. 425 al. 2) ; ${rule.label} engage ses biens`;
  if (rule.tariff)
    return {
      principals,
      views: [],
      principalsOptional: false,
      sentences: [
        `${capitalise(mr.label)} (${judgment}) : ${reach}, ${mr.holderNoun} ${rule.personSide === 'optional' ? 'peut contresigner' : 'signe'} pour la représenter ; ` +
          `elle ${rule.personSide === 'optional' ? 'peut contresigner' : 'signe'} aussi, ${rule.label} se concluant dans les mêmes conditions que le document qu’il modifie (CASF L.311-4, D.311 VII)${rule.personSide === 'optional' ? ' ; ni l’un ni l’autre n’y est obligé (CASF D.311 II)' : ''}.`,
      ],
    };
  return {
    principals,
    views: [],
    principalsOptional: false,
    sentences: [
      rule.personSide === 'optional'
        ? // Wording only: on a DIPC both may countersign, neither must (CASF D.311 II).
          `${capitalise(mr.label)} (${judgment}) : ${reach}, ${mr.holderNoun} peut contresigner pour la représenter ; le choix du lieu de résidence lui appartient, elle peut contresigner aussi ; ni l’un ni l’autre n’y est obligé (C. civ. 459-2 al. 1 ; CASF D.311 II).`
        : `${capitalise(mr.label)} (${judgment}) : ${reach}, ${mr.holderNoun} signe pour la représenter ; le choix du lieu de résidence lui appartient, elle signe aussi (C. civ. 459-2 al. 1).`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Minors
// ---------------------------------------------------------------------------------------------

function planForMinor(input: PolicyInput, rule: DocumentRule): Plan {
  const r = input.resident;
  const name = fullName(r);
  // C. civ. 429 al. 2: an adult measure asked for in the last year of minority only takes effect at
  // majority; until then parental authority decides.
  const parents = r.contacts.filter((c) => c.holdsParentalAuthority);
  const minorView = (recordedBy: Principal[]): ViewToRecord =>
    residentView(r, 'minor', recordedBy, 'C. civ. 371-1 al. 4, 388-1 ; CASF L.311-4 (avis du mineur)');

  switch (r.parentalAuthority) {
    case 'shared': {
      // C. civ. 372: joint exercise; the presumption of agreement of C. civ. 372-2 covers usual acts
      // only: for each document its own reason (DocumentRule.minorJoint), both parents sign.
      if (parents.length < 2)
        throw new SignaturePolicyError(
          'PARENT_MISSING',
          `L’autorité parentale est exercée en commun : ${rule.minorJoint}. ` +
            `Le dossier ne compte que ${parents.length} parent titulaire : ajoutez l’autre parent, ou enregistrez l’exercice exclusif avec sa preuve.`,
          [{ field: 'resident.contacts', code: 'PARENT_MISSING', message: 'Deux parents titulaires de l’autorité parentale sont attendus.' }],
        );
      if (parents.length > 2) throw authorityUnknown('Le dossier mentionne plus de deux titulaires de l’autorité parentale : corrigez-le.');
      const principals = parents.map((p) => parentPrincipal(p, `en qualité de parent titulaire de l’autorité parentale ${ofName(name)}`, `C. civ. 371-1, 372 ; ${minorBasis(rule)}`));
      return {
        principals,
        views: [minorView(principals)],
        principalsOptional: false,
        sentences: [`Mineur, autorité parentale conjointe : ${rule.minorJoint} ; l’avis du mineur est recueilli (C. civ. 371-1 al. 4).`],
      };
    }
    case 'sole': {
      if (parents.length === 0)
        throw new SignaturePolicyError(
          'PARENT_MISSING',
          'L’autorité parentale est exercée par un seul parent, mais aucun parent titulaire ne figure au dossier : ajoutez-le, avec la preuve de l’exercice exclusif (C. civ. 373-2-1).',
          [{ field: 'resident.contacts', code: 'PARENT_MISSING', message: 'Le parent titulaire de l’autorité parentale est attendu.' }],
        );
      if (parents.length > 1)
        throw authorityUnknown('Le dossier indique un exercice exclusif de l’autorité parentale mais mentionne plusieurs titulaires : corrigez-le.');
      // C. civ. 372 al. 1: joint exercise is the rule. One parent signs alone only on a ground the law
      // gives (372 al. 2, 373, 373-1, 373-2-1), and the establishment must be able to show it: without
      // the proof on file, the other parent's signature may be missing from a contract that needs it.
      const proof = r.soleAuthority;
      if (!proof)
        throw new SignaturePolicyError(
          'SOLE_AUTHORITY_PROOF_MISSING',
          'Le dossier indique qu’un seul parent exerce l’autorité parentale sur l’enfant, sans en donner la preuve. ' +
            'L’exercice en commun est la règle (C. civ. 372) : enregistrez dans le dossier le motif de l’exercice exclusif et la pièce qui l’établit (jugement, acte de décès, acte de naissance…) (C. civ. 372 al. 2, 373, 373-1, 373-2-1), ou ajoutez l’autre parent.',
          [{ field: 'resident.soleAuthority', code: 'SOLE_AUTHORITY_PROOF_MISSING', message: 'Motif et preuve de l’exercice exclusif de l’autorité parentale à enregistrer.' }],
        );
      const ground = SOLE_AUTHORITY_GROUND_INFO[proof.ground];
      // « ; pièce : <reference> du <date> » is what withoutFileReferences takes out for the auditor.
      const piece = ` ; pièce : ${proof.proofReference} du ${frDate(proof.proofDate)}`;
      const principals = [
        parentPrincipal(parents[0], `en qualité de parent exerçant l’autorité parentale exclusive ${ofName(name)}`, `${ground.basis} (${ground.label}${piece}) ; ${minorBasis(rule)}`),
      ];
      return {
        principals,
        views: [minorView(principals)],
        principalsOptional: false,
        sentences: [
          `Mineur, autorité parentale exercée par un seul parent (${ground.label}, ${ground.basis}${piece}) : ce parent signe seul ; l’avis du mineur est recueilli (C. civ. 371-1).${otherParentInformed(proof.ground, rule)}`,
        ],
        ...(otherParentInformed(proof.ground, rule) ? { otherParentReminder: otherParentInformed(proof.ground, rule).trim() } : {}),
      };
    }
    case 'tutelle': {
      // C. civ. 390: the tutelle opens when both parents have died or are deprived of the exercise of
      // parental authority; 408: the tuteur « représente [le mineur] dans tous les actes de la vie
      // civile ». A pupille de l'État's tuteur is the préfet (CASF L.224-1). The minor is associated
      // with the decisions about him (C. civ. 371-1 al. 4, 388-1; CASF L.311-4): his view is recorded.
      const d = r.minorDecision;
      const ward = Boolean(d?.wardOfState);
      const tuteurs = r.contacts.filter((c) => c.minorRole === 'tuteur');
      if (parents.length)
        throw authorityUnknown('Le dossier indique une tutelle du mineur mais aussi un parent titulaire de l’autorité parentale : la tutelle ne s’ouvre que si aucun parent ne l’exerce (C. civ. 390). Corrigez le dossier.');
      if (tuteurs.length === 0) throw minorRepresentativeMissing('tuteur', 'Sous tutelle, le tuteur représente le mineur (C. civ. 408) : aucun contact n’a le rôle « tuteur » au dossier. Ajoutez-le avant l’envoi.');
      if (!d) throw minorDecisionMissing('Indiquez au dossier la décision qui organise la tutelle : délibération du conseil de famille ou jugement désignant le tuteur (C. civ. 390, 404, 411), ou arrêté d’admission du pupille de l’État (CASF L.224-8).');
      const basis = ward ? 'C. civ. 390, 408 ; CASF L.224-1 (pupille de l’État)' : 'C. civ. 390, 408';
      const principals = tuteurs.map((t) =>
        // C. civ. 408: the tuteur represents the minor, i.e. acts in the minor's name; the file holds no gender of the minor, so no word agrees with it (« qui le représente » was wrong for a girl).
        // The tuteur's own title agrees with the tuteur's civility (« tutrice »; none recorded: « tuteur »).
        minorRepresentativePrincipal('tuteur', t, `en qualité de ${agreeWithCivility('tuteur', t.civility)}, au nom ${ofName(name)}${ward ? ', pupille de l’État' : ''}`, `${basis} (${decisionWords(d)}) ; ${minorBasis(rule)}`),
      );
      return {
        principals,
        views: [minorView(principals)],
        principalsOptional: false,
        sentences: [
          `Mineur sous tutelle${ward ? ' (pupille de l’État, CASF L.224-1)' : ''} (${decisionWords(d)}) : ${tuteurs.length > 1 ? 'chaque tuteur signe' : 'le tuteur signe'} pour le mineur, qu’il représente dans tous les actes de la vie civile (C. civ. 408) ; l’avis du mineur est recueilli (C. civ. 371-1 al. 4, 388-1).`,
        ],
      };
    }
    case 'delegation': {
      // C. civ. 377 al. 1-2: the judge delegates « tout ou partie de l'exercice » of parental authority
      // to a relative, a trusted third party, an establishment or the ASE; 377-1 al. 1: « La délégation,
      // totale ou partielle, … résultera du jugement ». Three forms, recorded on the file:
      // - total: the délégataire exercises it in the parents' place: he signs alone;
      // - partial: only what the judgment names is transferred, the parents keep the rest: for a
      //   document of the stay, the délégataire signs alone if the judgment delegates the child's
      //   admission and accompaniment in the establishment (`delegationCoversStay`), else the
      //   parents as without the délégation (jointly, or one alone on the proof of sole exercise) —
      //   the délégataire has no power for it;
      // - shared (377-1 al. 2): « les père et mère, ou l'un d'eux, partageront tout ou partie de
      //   l'exercice de l'autorité parentale avec le tiers délégataire », and the presumption of
      //   372-2 (usual acts only) applies between them: for an act that is not usual they act
      //   together, so the délégataire and the parent(s) sign.
      const d = r.minorDecision;
      const delegataires = r.contacts.filter((c) => c.minorRole === 'delegataire');
      if (!d || !d.delegationExtent)
        throw minorDecisionMissing('Indiquez au dossier le jugement de délégation (juridiction, référence, date) et sa forme : totale, partielle, ou partagée avec les parents (C. civ. 377, 377-1).');
      const extent = d.delegationExtent;
      if (extent === 'partial' && d.delegationCoversStay == null)
        throw new SignaturePolicyError(
          'MINOR_DECISION_MISSING',
          'La délégation de l’autorité parentale est partielle : les parents gardent ce qui n’est pas délégué (C. civ. 377, 377-1 al. 1). Indiquez au dossier si le jugement délègue l’accueil et l’accompagnement de l’enfant dans l’établissement : le délégataire signe alors seul, sinon ce sont les parents.',
          [{ field: 'resident.minorDecision.delegationCoversStay', code: 'DELEGATION_SCOPE_MISSING', message: 'Indiquez si la délégation partielle porte sur l’accueil et l’accompagnement dans l’établissement.' }],
        );
      // C. civ. 377 al. 1, 377-1 al. 1: the rule the template input reads too (@carepact/residents).
      const parentsSignAlone = delegationLeavesStayToParents(r);
      if (!parentsSignAlone && delegataires.length === 0)
        throw minorRepresentativeMissing('delegataire', 'Le délégataire de l’autorité parentale ne figure pas au dossier (aucun contact n’a le rôle « délégataire ») : ajoutez-le avant l’envoi (C. civ. 377).');
      const withParents = extent === 'shared' || parentsSignAlone;
      // C. civ. 372 al. 1, 377 al. 1, 377-1 al. 1: what a partial délégation does not transfer, the
      // parents keep as they held it — jointly, unless one of them exercises it alone on a ground the
      // law gives (372 al. 2, 373, 373-1, 373-2-1) and the file holds its proof. One parent on file is
      // no proof that the other does not exercise it: as without a délégation, both sign, or the one
      // with the recorded proof of sole exercise.
      const soleProof = parentsSignAlone ? (r.soleAuthority ?? null) : null;
      if (parentsSignAlone && parents.length === 1 && !soleProof)
        throw new SignaturePolicyError(
          'PARENT_MISSING',
          'La délégation de l’autorité parentale est partielle et ne porte pas sur l’accueil et l’accompagnement dans l’établissement : les parents en ont gardé l’exercice, en commun comme sans délégation (C. civ. 372, 377, 377-1 al. 1), et les deux signent. ' +
            'Le dossier ne compte qu’un parent titulaire : ajoutez l’autre parent, ou, si ce parent exerce seul l’autorité parentale, enregistrez le motif de l’exercice exclusif et la pièce qui l’établit (jugement, acte de décès, acte de naissance…) (C. civ. 372 al. 2, 373, 373-1, 373-2-1).',
          [{ field: 'resident.contacts', code: 'PARENT_MISSING', message: 'Deux parents titulaires de l’autorité parentale sont attendus, ou la preuve de l’exercice exclusif (délégation partielle ne portant pas sur l’accueil).' }],
        );
      if (soleProof && parents.length > 1)
        throw authorityUnknown('Le dossier enregistre l’exercice exclusif de l’autorité parentale par un seul parent mais mentionne plusieurs titulaires : corrigez-le.');
      if (withParents && parents.length === 0)
        throw new SignaturePolicyError(
          'PARENT_MISSING',
          parentsSignAlone
            ? 'La délégation de l’autorité parentale est partielle et ne porte pas sur l’accueil et l’accompagnement dans l’établissement : les parents en ont gardé l’exercice et signent (C. civ. 377, 377-1 al. 1). Aucun parent titulaire ne figure au dossier : ajoutez-le.'
            : 'La délégation de l’autorité parentale est partagée : les parents partagent son exercice avec le délégataire et signent avec lui (C. civ. 377-1 al. 2). Aucun parent titulaire ne figure au dossier : ajoutez-le.',
          [
            {
              field: 'resident.contacts',
              code: 'PARENT_MISSING',
              message: `Parent titulaire de l’autorité parentale attendu (délégation ${parentsSignAlone ? 'partielle ne portant pas sur l’accueil' : 'partagée'}).`,
            },
          ],
        );
      if (withParents && parents.length > 2) throw authorityUnknown('Le dossier mentionne plus de deux titulaires de l’autorité parentale : corrigez-le.');
      const form = extent === 'total' ? 'totale' : extent === 'shared' ? 'partagée avec les parents' : 'partielle';
      const article = extent === 'shared' ? 'C. civ. 377, 377-1 al. 2' : 'C. civ. 377, 377-1 al. 1';
      const reach = extent === 'partial' ? (d.delegationCoversStay ? ', portant sur l’accueil et l’accompagnement dans l’établissement' : ', ne portant pas sur l’accueil et l’accompagnement dans l’établissement') : '';
      const basis = `${article} (délégation ${form}${reach} ; ${decisionWords(d)})`;
      const delegataireSigns = !parentsSignAlone;
      const principals = [
        ...(delegataireSigns
          ? delegataires.map((c) =>
              minorRepresentativePrincipal(
                'delegataire',
                c,
                `en qualité de délégataire de l’autorité parentale ${ofName(name)}${extent === 'shared' ? ' (délégation partagée)' : extent === 'partial' ? ' (délégation partielle)' : ''}`,
                `${basis} ; ${minorBasis(rule)}`,
              ),
            )
          : []),
        ...(withParents
          ? parents.map((p) =>
              soleProof
                ? parentPrincipal(
                    p,
                    `en qualité de parent exerçant l’autorité parentale exclusive ${ofName(name)}`,
                    `C. civ. 377, 377-1 al. 1 (exercice non délégué) ; ${SOLE_AUTHORITY_GROUND_INFO[soleProof.ground].basis} (${SOLE_AUTHORITY_GROUND_INFO[soleProof.ground].label} ; pièce : ${soleProof.proofReference} du ${frDate(soleProof.proofDate)}) ; ${minorBasis(rule)}`,
                  )
                : parentPrincipal(
                    p,
                    `en qualité de parent titulaire de l’autorité parentale ${ofName(name)}`,
                    `C. civ. 371-1, ${extent === 'shared' ? '377-1 al. 2' : '372, 377, 377-1 al. 1 (exercice non délégué)'} ; ${minorBasis(rule)}`,
                  ),
            )
          : []),
      ];
      const view = ' ; l’avis du mineur est recueilli (C. civ. 371-1 al. 4).';
      return {
        principals,
        views: [minorView(principals)],
        principalsOptional: false,
        sentences: [
          extent === 'shared'
            ? `Mineur, délégation partagée de l’autorité parentale (${decisionWords(d)}) : ${parents.length > 1 ? 'les parents en partagent' : 'le parent en partage'} l’exercice avec le délégataire, et la présomption d’accord de l’article 372-2 ne vaut entre eux que pour les actes usuels : le délégataire et ${parents.length > 1 ? 'les parents signent' : 'le parent signe'} ensemble (C. civ. 377-1 al. 2)${view}`
            : extent === 'partial'
              ? d.delegationCoversStay
                ? `Mineur, délégation partielle de l’autorité parentale (${decisionWords(d)}) portant sur l’accueil et l’accompagnement dans l’établissement : pour ce document le délégataire exerce l’autorité parentale déléguée et signe seul ; les parents ne signent pas (C. civ. 377, 377-1 al. 1)${view}`
                : `Mineur, délégation partielle de l’autorité parentale (${decisionWords(d)}) ne portant pas sur l’accueil et l’accompagnement dans l’établissement : ${
                    soleProof
                      ? `les parents en ont gardé l’exercice, que ce parent exerce seul (${SOLE_AUTHORITY_GROUND_INFO[soleProof.ground].label}, ${SOLE_AUTHORITY_GROUND_INFO[soleProof.ground].basis} ; pièce : ${soleProof.proofReference} du ${frDate(soleProof.proofDate)}) : il signe seul`
                      : 'les parents en ont gardé l’exercice en commun et signent tous deux (C. civ. 372)'
                  } ; le délégataire ne signe pas (C. civ. 377, 377-1 al. 1)${view}${soleProof ? otherParentInformed(soleProof.ground, rule) : ''}`
              : `Mineur, délégation totale de l’autorité parentale (${decisionWords(d)}) : le délégataire exerce l’autorité parentale déléguée et signe seul ; les parents ne signent pas (C. civ. 377, 377-1 al. 1)${view}`,
        ],
        ...(soleProof && otherParentInformed(soleProof.ground, rule) ? { otherParentReminder: otherParentInformed(soleProof.ground, rule).trim() } : {}),
      };
    }
    case 'court_measure': {
      // CASF D.311: for a minor placed under a court measure the director establishes and signs a
      // DIPC; the parents keep their authority unless the judge withdrew it (C. civ. 375-7), so those
      // on file may countersign; the minor takes part and gives their view.
      if (!rule.allowedForCourtMeasureMinor)
        throw new SignaturePolicyError(
          'DOCUMENT_TYPE_NOT_APPLICABLE',
          'Pour un mineur accueilli au titre d’une mesure judiciaire, la loi prévoit un document individuel de prise en charge (DIPC) établi et signé par la direction, et non un contrat de séjour (CASF D.311).',
        );
      const placed = placedMinorSide(input.documentType, rule);
      const parentPrincipals = parents.map((p) => parentPrincipal(p, `en qualité de parent titulaire de l’autorité parentale ${ofName(name)}`, `C. civ. 375-7 ; ${placed.basis}`));
      // C. civ. 375-7: the parents keep every attribute of their authority not inconsistent with the
      // measure; the service the child is entrusted to performs the usual acts (373-4), not this one —
      // unless the juge des enfants exceptionally authorised it to perform it (375-7 al. 2: « un ou
      // plusieurs actes déterminés », refusal without ground, negligence of the parents…; limited in
      // time, Cass. 1re civ., 4 janv. 2017, n° 15-28.935). With that authorisation on file the service may sign too.
      const d = r.minorDecision;
      const services = r.contacts.filter((c) => c.minorRole === 'service_gardien');
      const authorised = d?.actAuthorisation ?? null;
      if (authorised && services.length === 0)
        throw minorRepresentativeMissing('service_gardien', 'Le juge des enfants a autorisé le service à qui l’enfant est confié à accomplir l’acte (C. civ. 375-7 al. 2), mais aucun contact n’a le rôle « service gardien » au dossier : ajoutez-le avant l’envoi.');
      const authorisationWords = authorised ? `autorisation du juge des enfants ; pièce : ${authorised.reference} du ${frDate(authorised.date)}` : '';
      const servicePrincipals = authorised
        ? services.map((c) =>
            minorRepresentativePrincipal(
              'service_gardien',
              c,
              `en qualité de représentant du service à qui l’enfant ${name} est confié${c.organisationName ? ` (${c.organisationName})` : ''}, sur autorisation du juge des enfants`,
              `C. civ. 375-7 al. 2 (${authorisationWords}) ; ${placed.basis}`,
            ),
          )
        : [];
      const principals = [...servicePrincipals, ...parentPrincipals];
      const serviceName = services.map((c) => c.organisationName ?? `${c.firstName} ${c.lastName}`).join(', ');
      return {
        principals,
        views: [minorView(principals)],
        principalsOptional: true,
        sentences: [
          `Mineur accueilli au titre d’une mesure judiciaire : ${placed.director} ; les parents titulaires de l’autorité parentale ${placed.parents} (C. civ. 375-7) et l’avis du mineur est recueilli.` +
            (authorised
              ? ` Le juge des enfants a autorisé le service à qui l’enfant est confié (${serviceName}) à accomplir l’acte (C. civ. 375-7 al. 2 ; ${authorisationWords}) : il ${placed.service}.`
              : services.length
                ? ` Le service à qui l’enfant est confié (${serviceName}) accomplit les actes usuels ; sans autorisation du juge des enfants, il ne signe pas ce document (C. civ. 373-4, 375-7).`
                : ''),
        ],
      };
    }
    default:
      throw authorityUnknown(
        'Pour un mineur, le dossier doit indiquer qui exerce l’autorité parentale : les deux parents, un seul, un placement décidé par le juge, une délégation ou une tutelle (C. civ. 371-1, 372, 375-7, 377, 390).',
      );
  }
}

/**
 * A minor placed by the juge des enfants (C. civ. 375-7): the parents' side of each document is
 * optional (the plan's `principalsOptional`), but not on the same text. The DIPC (and its avenants,
 * the tariff's among them) is « établi et signé par le directeur » and « peut être contresigné »
 * (CASF D.311 II, VII). The projet personnalisé rests on CASF L.311-3 7° (the person's and her legal
 * representative's participation in its design and implementation), not on D.311; the minutes on no
 * text requiring a signature (an acknowledgement).
 */
function placedMinorSide(documentType: PolicyDocumentType, rule: DocumentRule): { basis: string; director: string; parents: string; service: string } {
  if (rule.accommodationAgreement)
    return { basis: 'CASF D.311 (contresignature facultative)', director: 'la direction signe (CASF D.311)', parents: 'peuvent contresigner', service: 'peut contresigner' };
  if (documentType === 'compte-rendu-synthese')
    return {
      basis: 'CASF L.311-3 7° (prise de connaissance facultative)',
      director: 'la direction signe le compte rendu',
      parents: 'peuvent en prendre connaissance par une signature simple, facultative',
      service: 'peut en prendre connaissance par une signature simple, facultative',
    };
  if (documentType === 'projet-personnalise')
    return {
      basis: 'CASF L.311-3 7° (participation au projet ; signature facultative)',
      director: 'la direction signe et engage l’établissement sur les actions du projet (CASF L.311-3 7°)',
      parents: 'participent au projet et peuvent le signer, sans obligation',
      service: 'peut le signer, sans obligation',
    };
  return { basis: `${minorBasis(rule)} (signature facultative)`, director: `la direction signe ${rule.label}`, parents: 'peuvent le signer, sans obligation', service: 'peut le signer, sans obligation' };
}

/**
 * C. civ. 373-2-1 al. 5: « Le parent qui n'a pas l'exercice de l'autorité parentale conserve le droit
 * et le devoir de surveiller l'entretien et l'éducation de l'enfant. Il doit être informé des choix
 * importants relatifs à la vie de ce dernier. » Said to staff when the judge entrusted the exercise to
 * one parent (the ground `judgment`), or when a filiation established late towards the other parent
 * left him without the exercise (372 al. 2): the other does not sign, but is to be informed. Not for
 * the other grounds (sole-authority.ts `informsOtherParent`).
 */
function otherParentInformed(ground: SoleAuthorityGround, rule: DocumentRule): string {
  const reminder = otherParentReminder(ground);
  if (!reminder) return '';
  return ` ${reminder} Informez-le ${rule.accommodationAgreement ? 'de l’admission et du document' : 'du document'}, sans lui demander de signer. ${OTHER_PARENT_INFORMED_LIMIT}`;
}

/**
 * Under representation of the person (C. civ. 457-1; 459 al. 1: she takes the decisions about
 * herself as far as her state allows) and for a minor (C. civ. 371-1 al. 4: associated with the
 * decisions about her according to her age and maturity), the person is not a required signer of
 * her projet personnalisé, but it is hers (CASF L.311-3 3° consent sought, 7° direct participation
 * in her projet): she may sign it herself. Her expression (agreement, disagreement…) is recorded in
 * the projet itself; this signature adds to the representative's, it never replaces it.
 */
function ownProjetSignature(input: PolicyInput, plan: Plan): Omit<RequiredSigner, 'order'> | null {
  if (input.documentType !== 'projet-personnalise') return null;
  if (plan.principals.some((p) => p.role === 'resident')) return null;
  const r = input.resident;
  const minor = isMinor(r.birthDate, input.on);
  const represented = plan.views.some((v) => v.key === 'resident');
  if (!minor && !represented) return null;
  // Who signs for the child: his parents, or his tuteur, délégataire…; under a placement (C. civ. 375-7) their signature is optional too.
  const theirs = plan.principals.length && plan.principals.every((p) => p.role === 'parent') ? 'celle de ses parents' : 'celle de ses représentants';
  plan.sentences.push(
    minor
      ? plan.principalsOptional
        ? `Le projet personnalisé est celui de l’enfant : il s’y exprime et peut le signer lui-même s’il le souhaite ; sa signature, comme ${theirs}, est facultative et ne bloque pas la demande (C. civ. 371-1 al. 4 ; CASF L.311-3 7°).`
        : `Le projet personnalisé est celui de l’enfant : il s’y exprime et peut le signer lui-même s’il le souhaite, sans que sa signature remplace ${theirs} ni bloque la demande (C. civ. 371-1 al. 4 ; CASF L.311-3 7°).`
      : 'Le projet personnalisé est celui de la personne : elle s’y exprime elle-même et peut le signer lorsqu’elle le peut, sans que sa signature remplace celle de son représentant ni bloque la demande (C. civ. 457-1, 459 ; CASF L.311-3 3° et 7°).',
  );
  return {
    key: 'resident',
    role: 'resident',
    person: residentPerson(r),
    capacity: 'en son nom propre, pour son projet personnalisé',
    measure: null,
    optional: true,
    legalBasis: minor ? 'C. civ. 371-1 al. 4 ; CASF L.311-3 3° et 7°' : 'C. civ. 457-1, 459 al. 1 ; CASF L.311-3 3° et 7°',
  };
}

// ---------------------------------------------------------------------------------------------
// Standing and emails
// ---------------------------------------------------------------------------------------------

/**
 * Staff may propose contacts as signers; each must be one the policy chose. A personne de confiance
 * never signs (rule 4, CASF L.311-5-1); a relative without a mandate cannot sign as representative
 * (CASF L.311-4).
 */
function checkProposedSigners(input: PolicyInput, signers: RequiredSigner[]): void {
  const r = input.resident;
  const withStanding = new Set(signers.map((s) => s.person.contactId).filter((id): id is string => id !== null));
  const details: FieldError[] = [];
  (input.proposedContactIds ?? []).forEach((id, i) => {
    if (!withStanding.has(id)) details.push({ field: `proposedContactIds.${i}`, code: 'SIGNER_WITHOUT_STANDING', message: whyNoStanding(r, id, input.on) });
  });
  if (details.length)
    throw new SignaturePolicyError(
      'SIGNER_WITHOUT_STANDING',
      details.length === 1 ? details[0].message : `${details.length} personnes proposées n’ont pas qualité pour signer ce document : ${details.map((d) => d.message).join(' ')}`,
      details,
    );
}

function whyNoStanding(r: ResidentView, contactId: string, on: string): string {
  if (r.personneDeConfiance?.contactId === contactId)
    return 'La personne de confiance n’est jamais signataire : elle peut accompagner la personne lors de la signature, sans la représenter (CASF L.311-5-1).';
  const contact = r.contacts.find((c) => c.id === contactId);
  if (!contact) return 'Une personne proposée ne figure pas au dossier du résident : seuls la personne et son représentant légal peuvent signer (CASF L.311-4).';
  if (r.protectionMeasures.some((m) => m.holders.some((h) => h.contactId === contactId)))
    return 'Une personne proposée exerce une mesure de protection qui ne lui donne pas qualité pour signer ce document (mesure non retenue, ou mission ne couvrant pas cet acte).';
  if (contact.holdsParentalAuthority && !isMinor(r.birthDate, on))
    return 'L’autorité parentale prend fin à la majorité : un parent ne signe pour une personne majeure que s’il exerce une mesure de protection (C. civ. 371-1, 414).';
  // C. civ. 373-4, 375-7: the service the child is entrusted to performs the usual acts; a non-usual one only with the judge's authorisation.
  if (contact.minorRole === 'service_gardien')
    return 'Le service à qui l’enfant est confié accomplit les actes usuels ; il ne signe ce document que si le juge des enfants l’a autorisé à l’accomplir (C. civ. 373-4, 375-7) : enregistrez cette autorisation au dossier.';
  // C. civ. 377, 377-1 al. 1: under a total delegation, or a partial one covering the stay, the délégataire exercises what is delegated;
  // under a partial one not covering it, the parents kept it. C. civ. 390: a tutelle opens when no parent exercises it.
  if (contact.minorRole === 'delegataire' && delegationLeavesStayToParents(r))
    return 'La délégation de l’autorité parentale est partielle et ne porte pas sur l’accueil et l’accompagnement dans l’établissement : les parents en ont gardé l’exercice et signent, le délégataire ne signe pas (C. civ. 377, 377-1 al. 1).';
  if (contact.holdsParentalAuthority && (r.parentalAuthority === 'delegation' || r.parentalAuthority === 'tutelle'))
    return r.parentalAuthority === 'delegation'
      ? r.minorDecision?.delegationExtent === 'partial'
        ? 'La délégation partielle de l’autorité parentale porte sur l’accueil et l’accompagnement dans l’établissement : le délégataire l’exerce et signe, les parents ne signent pas (C. civ. 377, 377-1 al. 1).'
        : 'L’autorité parentale est déléguée en totalité par jugement : le délégataire l’exerce et signe, les parents ne signent pas (C. civ. 377, 377-1).'
      : 'Sous tutelle, le tuteur représente le mineur (C. civ. 390, 408) : un parent ne signe pas à sa place.';
  return 'Un proche qui n’est pas le représentant légal ne peut pas signer à la place de la personne ; il peut l’accompagner (CASF L.311-4).';
}

// Same shape as the resident file's check, plus no control characters: an address reaches SMTP headers.

function checkEmails(signers: RequiredSigner[]): void {
  const details: FieldError[] = signers
    .filter((s) => s.person.email !== null && (!isPlausibleEmail(s.person.email) || /[\u0000-\u001f\u007f]/.test(s.person.email)))
    .map((s) => ({ field: `signers.${s.key}.email`, code: 'SIGNER_EMAIL_INVALID', message: 'Adresse e-mail invalide.' }));
  if (details.length)
    throw new SignaturePolicyError(
      'SIGNER_EMAIL_INVALID',
      'L’adresse e-mail d’un signataire est invalide : corrigez-la dans le dossier, ou prévoyez une signature en présence.',
      details,
    );
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

function expiredMeasure(m: MeasureView): SignaturePolicyError {
  const mr = MEASURE_RULES[m.type];
  return new SignaturePolicyError(
    'PROTECTION_MEASURE_EXPIRED',
    `La mesure de protection (${mr.label}) a pris fin le ${frDate(m.endDate ?? '')} et aucun renouvellement ne figure au dossier : ` +
      'la personne qui l’exerçait n’a plus qualité pour signer, et la situation de la personne doit être vérifiée. ' +
      'Mettez le dossier à jour (jugement de renouvellement ou de mainlevée, C. civ. 441 à 443) avant l’envoi.',
    [{ field: `protectionMeasures.${m.id}.endDate`, code: 'PROTECTION_MEASURE_EXPIRED', message: 'Mesure arrivée à échéance.' }],
  );
}

function residenceNeedsJudge(m: MeasureView): SignaturePolicyError {
  return new SignaturePolicyError(
    'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE',
    `La personne n’est pas d’accord pour vivre dans l’établissement. Sous ${MEASURE_RULES[m.type].label}, le choix du lieu de résidence lui appartient ; ` +
      'en cas de désaccord, le juge (ou le conseil de famille) statue (C. civ. 459-2). Enregistrez sa décision (autorité, référence, date) dans le document avant l’envoi en signature.',
    [{ field: 'document.residenceChoice.judgeDecision', code: 'RESIDENCE_DISAGREEMENT_NEEDS_JUDGE', message: 'Décision du juge requise.' }],
  );
}

function notStarted(m: MeasureView): SignaturePolicyError {
  const message =
    m.type === 'mandat_protection_future'
      ? 'Le mandat de protection future n’a pas encore pris effet : il ne produit effet qu’une fois visé par le greffe (C. civ. 481). ' +
        'Indiquez sa date de prise d’effet dans le dossier ; d’ici là, le mandataire ne peut pas signer.'
      : `La mesure de protection (${MEASURE_RULES[m.type].label}) enregistrée ne prend effet que le ${frDate(m.startDate ?? m.judgmentDate)} : ` +
        'vérifiez le jugement et mettez le dossier à jour avant l’envoi.';
  return new SignaturePolicyError('PROTECTION_MEASURE_NOT_STARTED', message, [
    { field: `protectionMeasures.${m.id}.startDate`, code: 'PROTECTION_MEASURE_NOT_STARTED', message: 'Mesure pas encore en vigueur.' },
  ]);
}

function holderMissing(m: MeasureView, mr: MeasureRule): SignaturePolicyError {
  return new SignaturePolicyError(
    'MEASURE_HOLDER_MISSING',
    `La mesure de protection (${mr.label}) ne désigne aucun ${mr.holderTitle} au dossier : indiquez la personne nommée par le jugement ou le mandat avant l’envoi (${mr.article}).`,
    [{ field: `protectionMeasures.${m.id}.holders`, code: 'MEASURE_HOLDER_MISSING', message: 'Titulaire de la mesure manquant.' }],
  );
}

/**
 * A divided measure (C. civ. 447 al. 3) where nobody is recorded in charge of a mission the document
 * concerns: nobody may sign for that part of it (C. civ. 447 al. 4, each acts within his own).
 */
function missionHolderMissing(m: MeasureView, mr: MeasureRule, orphan: readonly MeasureScope[]): SignaturePolicyError {
  const words = orphan.map((d) => (d === 'personne' ? 'de la protection de la personne' : 'de la gestion patrimoniale')).join(' ni ');
  return new SignaturePolicyError(
    'MEASURE_HOLDER_MISSING',
    `La mesure de protection (${mr.label}) est divisée entre ses titulaires (C. civ. 447 al. 3), mais aucun ${mr.holderTitle} chargé ${words} n’est indiqué au dossier, alors que le document le concerne : indiquez la mission de chaque titulaire telle que le jugement la fixe avant l’envoi.`,
    [{ field: `protectionMeasures.${m.id}.holders`, code: 'MEASURE_HOLDER_MISSING', message: 'Titulaire de la mission concernée manquant (C. civ. 447 al. 3).' }],
  );
}

/** « A », « A et B », « A, B et C ». */
function listFr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

function actNotListed(m: MeasureView, mr: MeasureRule, rule: DocumentRule): SignaturePolicyError {
  return new SignaturePolicyError(
    'MEASURE_SCOPE_EXCLUDES_ACT',
    `La mesure de protection (${mr.label}) est limitée à des actes déterminés qui ne comprennent pas ${rule.label} (${mr.article}) : ` +
      `le ${mr.holderTitle} ne peut pas le signer. Complétez le dossier si le jugement ou le mandat couvre cet acte, sinon saisissez le juge.`,
    [{ field: `protectionMeasures.${m.id}.acts`, code: 'MEASURE_SCOPE_EXCLUDES_ACT', message: 'Acte non couvert par la mesure.' }],
  );
}

function scopeExcludes(m: MeasureView, mr: MeasureRule, rule: DocumentRule): SignaturePolicyError {
  const domains = (s: readonly MeasureScope[]) => s.map((x) => (x === 'personne' ? 'la personne' : 'les biens')).join(' et ');
  return new SignaturePolicyError(
    'MEASURE_SCOPE_EXCLUDES_ACT',
    `La mesure de protection (${mr.label}) ne porte que sur ${domains(m.scope) || 'aucun domaine'}, alors que ${rule.label} concerne ${domains(rule.requiredScopes)} ` +
      `(C. civ. 425 al. 2, 459-2 ; CASF L.311-4) : le ${mr.holderTitle} ne peut pas signer au-delà du jugement. Vérifiez le jugement ou saisissez le juge.`,
    [{ field: `protectionMeasures.${m.id}.scope`, code: 'MEASURE_SCOPE_EXCLUDES_ACT', message: 'Domaine non couvert par la mesure.' }],
  );
}

function minorRepresentativeMissing(role: 'tuteur' | 'delegataire' | 'service_gardien', message: string): SignaturePolicyError {
  return new SignaturePolicyError('MINOR_REPRESENTATIVE_MISSING', message, [
    { field: 'resident.contacts', code: 'MINOR_REPRESENTATIVE_MISSING', message: `Contact avec le rôle « ${MINOR_ROLE_LABELS[role]} » attendu.` },
  ]);
}

function minorDecisionMissing(message: string): SignaturePolicyError {
  return new SignaturePolicyError('MINOR_DECISION_MISSING', message, [
    { field: 'resident.minorDecision', code: 'MINOR_DECISION_MISSING', message: 'Décision (autorité, référence, date) à enregistrer.' },
  ]);
}

/** « Conseil de famille, TJ de Valville ; pièce : RG 25/00042 du 3 mars 2025 »: the reference is what withoutFileReferences takes out. */
function decisionWords(d: MinorDecision): string {
  return `${d.authority} ; pièce : ${d.reference} du ${frDate(d.date)}`;
}

function authorityUnknown(message: string): SignaturePolicyError {
  return new SignaturePolicyError('PARENTAL_AUTHORITY_UNKNOWN', message, [
    { field: 'resident.parentalAuthority', code: 'PARENTAL_AUTHORITY_UNKNOWN', message: 'Exercice de l’autorité parentale à préciser.' },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Small builders
// ---------------------------------------------------------------------------------------------

/**
 * After the person's death: her protection measure ended with her (C. civ. 443 al. 1) and she signs
 * no more, so no one signs on her side. The compte rendu of a meeting held before the death (the only
 * document still established for her, @carepact/documents assertNotDeceased) is the establishment's
 * minutes — the person's side was only an optional acknowledgement (DOCUMENT_RULES): the director
 * signs it alone. Any other type: refused.
 */
function afterDeath(input: PolicyInput, rule: DocumentRule, deceasedOn: string): PolicyDecision {
  if (input.documentType !== 'compte-rendu-synthese')
    throw new SignaturePolicyError(
      'DOCUMENT_TYPE_NOT_APPLICABLE',
      `La personne est décédée le ${frDate(deceasedOn)} : plus personne ne signe en son nom (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur) ; ${rule.label} ne peut plus être envoyé en signature.`,
    );
  if (input.proposedContactIds?.length)
    throw new SignaturePolicyError(
      'SIGNER_WITHOUT_STANDING',
      `La personne est décédée le ${frDate(deceasedOn)} : personne ne signe plus de son côté (C. civ. art. 443) ; seule la direction signe le compte rendu.`,
    );
  const signers = [directorSigner(input, rule, 1)];
  checkEmails(signers);
  return {
    documentType: input.documentType,
    signers,
    views: [],
    sameVersionRequired: true,
    explanation:
      `La personne est décédée le ${frDate(deceasedOn)} : plus personne ne signe de son côté : le pouvoir de ceux qui la représentaient a pris fin avec elle (mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur). ` +
      'La réunion a eu lieu avant son décès : la direction signe seule le compte rendu, qui porte les réponses de l’établissement.',
  };
}

function directorSigner(input: PolicyInput, rule: DocumentRule, order: number): RequiredSigner {
  const e = input.establishment;
  return {
    key: 'director',
    role: 'director',
    person: { contactId: null, firstName: e.directorFirstName, lastName: e.directorLastName, email: e.directorEmail },
    capacity: e.name ? `pour la direction de l’établissement ${e.name}` : 'pour la direction de l’établissement',
    measure: null,
    order,
    optional: false,
    legalBasis: rule.directorBasis,
  };
}

function residentPrincipal(r: ResidentView, capacity: string, measure: MeasureReference | null, legalBasis: string): Principal {
  return { key: 'resident', role: 'resident', person: residentPerson(r), capacity, measure, legalBasis };
}

function minorRepresentativePrincipal(role: 'tuteur' | 'delegataire' | 'service_gardien', c: ContactView, capacity: string, legalBasis: string): Principal {
  return { key: `${role}:${c.id}`, role, person: contactPerson(c, c.id), capacity, measure: null, legalBasis };
}

function parentPrincipal(p: ContactView, capacity: string, legalBasis: string): Principal {
  return { key: `parent:${p.id}`, role: 'parent', person: contactPerson(p, p.id), capacity, measure: null, legalBasis };
}

function residentView(r: ResidentView, reason: string, recordedBy: Principal[], legalBasis: string): ViewToRecord {
  return { key: 'resident', person: residentPerson(r), reason, recordedBy: recordedBy.map((p) => p.key), legalBasis };
}

function residentPerson(r: ResidentView): PolicyPerson {
  return { contactId: null, firstName: r.firstName, lastName: r.lastName, email: r.email };
}

function contactPerson(c: Pick<ContactView, 'firstName' | 'lastName' | 'email'>, contactId: string): PolicyPerson {
  return { contactId, firstName: c.firstName, lastName: c.lastName, email: c.email };
}

function measureReference(m: MeasureView, mode: MeasureMode): MeasureReference {
  return {
    measureId: m.id,
    type: m.type,
    mode,
    court: m.court,
    judgmentReference: m.judgmentReference,
    judgmentDate: m.judgmentDate,
    endDate: m.endDate,
    proofDocumentRef: m.proofDocumentRef,
    judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAlone,
    authorisationReference: m.authorisationReference,
  };
}

/** Whether a list of acts names one covering the document under its rule (the liberty annex names its own acts). */
function listsActOf(acts: readonly string[], input: PolicyInput, rule: DocumentRule): boolean {
  return rule.acts ? acts.some((a) => rule.acts!.includes(normaliseAct(a))) : listsAct(acts, input.documentType);
}

/** Whether a list of acts (free text in the file) names an act that covers the document. */
export function listsAct(acts: readonly string[], documentType: PolicyDocumentType): boolean {
  const covering = ACTS_COVERING[documentType];
  return acts.some((a) => covering.includes(normaliseAct(a)));
}

function normaliseAct(a: string): string {
  return a
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

/** Dates in explanations are written in full, as everywhere people read them (@carepact/common). */
function frDate(iso: string): string {
  return formatDateFr(iso);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
