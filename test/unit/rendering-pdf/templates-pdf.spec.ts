/**
 * The PDF/UA-1 machine checks run on the REAL templates (templates/documents/<type>/1.0.0.json)
 * and the demo fixture, through the real pipeline: TemplateLoader → templateInputFromFixture →
 * resolve → renderPdf. Named after the veraPDF rules they stand in for
 * (docs/reference/verapdf-pdfua1-rules.tsv). Also: the mandatory clauses of DOMAIN.md per
 * document type, the fixture's values byte-exact, type sizes per variant, reproducibility, a name
 * with accents and an apostrophe, and an injection fixture, in PDF, DOCX and HTML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  contentVariantOf,
  type DocumentTree,
  readZip,
  renderDocx,
  renderHtml,
  renderPdf,
  resolve,
  templateInputFromFixture,
  templates,
  type TableBlock,
  type TemplateInput,
  VARIANTS,
  type Variant,
} from '@carepact/rendering';
import {
  allNames,
  dictOf,
  flattenStruct,
  pdfjs,
  type PdfJsView,
  pdftotext,
  folded,
  qpdfObjects,
  type QpdfObject,
  type QpdfValue,
  type RawStruct,
  rawStructTree,
  refNumber,
  run,
  writeTemp,
} from './pdf-tools';
import { contentText, type TextLine, textLines, wordBoxes } from './pdf-text-layer';

const FIXTURE_FILE = join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json');
type Fixture = {
  residents: ({ key: string } & Record<string, unknown>)[];
  documents: Record<string, { resident: string } & Record<string, unknown>>;
} & Record<string, unknown>;
const fixture = (): Fixture => JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as Fixture;
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'] as const;
type DocType = (typeof TYPES)[number];
const STANDARD_14 = /^(Courier|Helvetica|Times|Symbol|ZapfDingbats)/;
const NBSP = '\u00A0';

function treeOf(type: string, variant: Variant, data: unknown = fixture(), residentKey?: string): DocumentTree {
  const input: TemplateInput = templateInputFromFixture(data, type, residentKey);
  return resolve(templates().load(type), input, contentVariantOf(variant));
}

/**
 * What a legal reviewer checks in each document (DOMAIN.md), as the template words it. Large
 * print carries the standard text.
 */
/**
 * The cases checked: each type with the demo's document, and the avenant's annex on the freedom to
 * come and go (avenant 1.4.0, CASF L.311-4-1 I) with Lucie Bernard's own data (under tutelle).
 */
const LIBERTY_ANNEX = 'avenant, annexe liberté d’aller et venir';
type Case = DocType | typeof LIBERTY_ANNEX;
const CASES: Case[] = [...TYPES, LIBERTY_ANNEX];
const typeOf = (c: Case): DocType => (c === LIBERTY_ANNEX ? 'avenant' : c);
const residentOf = (c: Case): string | undefined => (c === LIBERTY_ANNEX ? 'lucie-bernard' : undefined);
/** The case's document data: the demo's, or the resident's own (`residents[].documents`). */
function documentOf(c: Case): unknown {
  const key = residentOf(c);
  return key ? (fixture().residents.find((r) => r.key === key)!.documents as Record<string, unknown>)[typeOf(c)] : fixture().documents[c];
}
/** What the easy-to-read annex leaves to the standard text (the reasoning of each measure, the representative's own words). */
function printedInFalc(c: Case, data: unknown): unknown {
  // The easy-to-read minutes say when an outside recipient's consent was given, not how it was collected (compte rendu 1.4.0).
  if (c === 'compte-rendu-synthese') {
    const d = structuredClone(data) as { recipients?: Record<string, unknown>[] };
    for (const r of d.recipients ?? []) delete r.consentHow;
    return d;
  }
  if (c !== LIBERTY_ANNEX) return data;
  const d = structuredClone(data) as { libertyAnnex: { collegialProcedure: Record<string, unknown>; representativeOpinion: Record<string, unknown>; measures: Record<string, unknown>[] } };
  delete d.libertyAnnex.collegialProcedure.initiatorName;
  delete d.libertyAnnex.representativeOpinion.words;
  for (const m of d.libertyAnnex.measures) for (const k of ['necessity', 'proportionality', 'alternatives']) delete m[k];
  return d;
}

const MANDATORY: Record<Case, { standard: string[]; falc: string[] }> = {
  'contrat-sejour': {
    standard: [
      // parties and who took part (on pain of nullity)
      'Les parties',
      'représenté par Claire Morel, pour la direction',
      'Participation à l’élaboration',
      'Ont participé à l’élaboration du présent contrat de séjour',
      // prior decisions
      'Décisions préalables',
      'Le présent contrat tient compte des décisions suivantes',
      // objectives defined with the person; 6-month avenant, yearly
      'Objectifs de l’accompagnement',
      'Les objectifs suivants ont été définis avec Marcel Dupont',
      'Dans les six mois qui suivent l’admission, un avenant précise ces objectifs et les prestations adaptées à la personne',
      // D.311 V: it is the definition of the objectives and services that is updated each year (contrat 1.14.0)
      'La définition de ces objectifs et prestations est réactualisée chaque année.',
      // services from signature
      'Prestations',
      'À compter de la signature du présent contrat, l’établissement délivre les prestations suivantes',
      // conditions of stay and reception
      'Conditions de séjour et d’accueil',
      'Type d’accueil : hébergement permanent.',
      // duration
      'Durée du contrat',
      'Le présent contrat est conclu pour une durée indéterminée, à compter du 15 octobre 2026.',
      // financial contribution, invoicing, absence and hospitalisation, tariff annex
      'Participation financière et facturation',
      'Tarifs journaliers applicables au 1er janvier 2026',
      'La facture est établie chaque mois.',
      'annexe tarifaire, mise à jour à chaque changement de tarif et au moins une fois par an',
      // the person's GIR and own price, the APA deducted only if granted (GIR 1 to 4, CASF L.232-2, L.232-8)
      'Le GIR de Marcel Dupont est le GIR 4.',
      'Le cas échéant, après déduction de l’APA accordée par le département',
      'Absences et hospitalisation',
      // two rules (R.314-204)
      'Absence pour convenances personnelles :',
      'Hospitalisation :',
      // état des lieux, death, deposit
      'Un état des lieux contradictoire et écrit a été dressé à l’entrée le 15 octobre 2026',
      'Facturation après un décès',
      'Aucun dépôt de garantie n’est demandé.',
      // revision, termination, end
      'Révision du contrat',
      'Toute modification du présent contrat fait l’objet d’un avenant',
      'Résiliation et fin du contrat',
      'peut résilier le contrat par écrit à tout moment',
      'Le délai de préavis applicable à la résiliation par la personne est fixé par le présent contrat à un mois.',
      'L’établissement ne peut résilier le contrat que dans les cas suivants',
      'sauf lorsqu’un avis médical constate',
      // 15-day withdrawal right (EHPAD)
      'Droit de rétractation',
      'droit de rétractation dans les quinze jours qui suivent la signature du contrat, ou l’admission si celle-ci est postérieure',
      // personne de confiance: notice 8 days before the consent interview, its attestation dated and signed (CASF D.311-0-4, templates 1.5.0 and 1.6.0)
      'Personne de confiance',
      // contract 1.8.0: to the person first, and to the holder of her measure (her curateur here, D.311-0-4)
      'La notice d’information sur la personne de confiance a été remise à Marcel Dupont et à la personne chargée de sa mesure de protection (curateur) le 9 octobre 2026, au moins huit jours avant l’entretien',
      'l’attestation de sa délivrance, datée du 9 octobre 2026 et signée par le directeur ou son représentant, par Marcel Dupont et par la personne chargée de sa mesure de protection (curateur), est jointe au contrat.',
      'Lors de l’entretien du 20 octobre 2026',
      'Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
      'Il est proposé à Marcel Dupont de désigner une personne de confiance.',
      // annexes handed over, with their date and version
      'Documents remis avec le contrat',
      'Les documents suivants ont été remis à la personne accueillie le 15 octobre 2026',
      'Livret d’accueil, édition 2026',
      'Règlement de fonctionnement, version 2025',
      'Charte des droits et libertés de la personne accueillie',
      'Notice d’information sur la personne de confiance',
      'Annexe tarifaire en vigueur au 1er janvier 2026',
      // deadlines; refusal → DIPC
      'remis à la personne accueillie ou à son représentant légal dans les quinze jours qui suivent l’admission et signé au plus tard un mois après l’admission',
      'un document individuel de prise en charge est établi à sa place',
      'Fait à Valville, signé électroniquement',
      // signers and capacities (assistance: person + curateur; director countersigns)
      'Signatures',
      'en son nom propre, avec l’assistance de son curateur',
      'en qualité de curateur, qui assiste Marcel Dupont',
      'pour la direction de l’établissement EHPAD Les Tilleuls',
    ],
    falc: [
      'Les personnes concernées',
      'Vous signez ce contrat avec votre curateur.',
      'Qui a préparé ce document',
      'Ces personnes ont préparé ce document avec vous',
      'Les décisions prises avant votre arrivée',
      'Vos objectifs',
      'Vous avez choisi ces objectifs avec nous',
      'Dans 6 mois au plus, nous écrivons un avenant avec vous.',
      'Nous revoyons l’avenant chaque année.',
      'Ce que l’établissement fait pour vous',
      'Dès la signature, l’établissement vous propose',
      'Votre logement',
      'Votre chambre est la chambre 112.',
      'La durée du contrat',
      'Ce contrat n’a pas de date de fin.',
      'Combien coûte votre séjour',
      'Les prix par jour depuis le 1er janvier 2026',
      'Vous recevez une facture chaque mois.',
      'Si vous êtes absent ou à l’hôpital',
      'Si vous partez quelques jours :',
      'Si vous allez à l’hôpital :',
      'Changer le contrat',
      'Pour changer le contrat, nous écrivons un avenant.',
      'Vous pouvez changer d’avis',
      'Après la signature, vous avez 15 jours pour changer d’avis.',
      'La fin du contrat',
      'Vous pouvez arrêter le contrat quand vous voulez.',
      'Vous partez 1 mois au plus après votre lettre.',
      'Votre personne de confiance',
      'Une feuille explique ce qu’est la personne de confiance.',
      'Vous avez reçu cette feuille le 9 octobre 2026.',
      'Vous avez eu 8 jours ou plus pour la lire.',
      'Le 9 octobre 2026, vous avez signé un papier avec la direction.',
      'Vous avez dit oui pour vivre ici.',
      'Les documents donnés avec ce contrat',
      'Le 15 octobre 2026, nous vous avons donné ces documents',
      'La feuille des prix',
      'Si vous ne voulez pas signer, nous écrivons un autre document : le DIPC.',
      'Les signatures',
      'en qualité de curateur, qui assiste Marcel Dupont',
      'Les mots difficiles',
      'Un mot ou une phrase n’est pas clair ? Demandez à l’établissement de vous l’expliquer. Une personne de votre choix peut aussi vous aider.',
    ],
  },
  dipc: {
    standard: [
      'Document individuel de prise en charge',
      'Motif',
      'est établi plutôt qu’un contrat de séjour pour le motif suivant : séjour temporaire de moins de deux mois.',
      'Participation à l’élaboration',
      'Ont participé à l’élaboration du présent document',
      'Durée de la prise en charge',
      'La prise en charge commence le 16 novembre 2026 et se termine le 10 décembre 2026.',
      'Objectifs de la prise en charge',
      'Les objectifs suivants ont été définis avec Ahmed Benali',
      'Prestations',
      'L’établissement délivre les prestations suivantes',
      'Participation financière',
      'établi par la direction de l’établissement (CASF D.311)',
      'Tarifs journaliers applicables au 1er janvier 2026',
      'Absence pour convenances personnelles :',
      'Hospitalisation :',
      'Il est proposé à Ahmed Benali de désigner une personne de confiance.',
      'Les documents suivants ont été remis à la personne accueillie le 16 novembre 2026',
      'Révision',
      'un avenant précise les objectifs et les prestations dans les six mois qui suivent l’admission',
      'leur définition est réactualisée chaque année',
      'Le présent document est établi et signé par la direction de l’établissement. La personne accueillie ou son représentant légal peut le contresigner.',
      'Signatures',
      'pour la direction de l’établissement EHPAD Les Tilleuls',
      'contresignature facultative, en son nom propre',
    ],
    falc: [
      'Votre document de prise en charge',
      'Pourquoi ce document',
      'Vous avez ce document à la place d’un contrat.',
      'Votre séjour dure moins de 2 mois.',
      'Qui a préparé ce document',
      'Les dates de votre séjour',
      'Votre séjour commence le 16 novembre 2026.',
      'Votre séjour se termine le 10 décembre 2026.',
      'Vos objectifs',
      'Ce que l’établissement fait pour vous',
      'Combien coûte votre séjour',
      'Les prix par jour depuis le 1er janvier 2026',
      'Si vous allez à l’hôpital :',
      'Changer le document',
      'Si vous restez plus de 6 mois, nous écrivons un avenant.',
      'La direction signe ce document.',
      'Vous pouvez aussi signer ce document si vous voulez.',
      'Les signatures',
      'Les mots difficiles',
    ],
  },
  avenant: {
    standard: [
      'Avenant au contrat de séjour',
      'Le présent avenant, établi dans les six mois suivant l’admission, complète le contrat de séjour signé le 29 octobre 2026',
      'issus de son projet personnalisé',
      'Participation à l’élaboration',
      'Ont participé à l’élaboration du présent avenant',
      'Objectifs et actions',
      'Objectif 1 : Garder la promenade quotidienne en sécurité',
      'Actions prévues pour l’objectif 1',
      'Action',
      'Responsable',
      'Échéance',
      'Critère d’évaluation : Nombre de promenades par semaine',
      'Prestations adaptées',
      'À compter de la signature du présent avenant, les prestations suivantes s’ajoutent à celles du contrat',
      'Réactualisation',
      'Le présent avenant est réactualisé au moins une fois par an.',
      'Les autres clauses du contrat de séjour restent inchangées.',
      // same signatories as the contract
      'en son nom propre, avec l’assistance de son curateur',
      'en qualité de curateur, qui assiste Marcel Dupont',
      'pour la direction de l’établissement EHPAD Les Tilleuls',
    ],
    falc: [
      'Avenant à votre contrat de séjour',
      'Ce document date du 29 octobre 2026.',
      'Qui a préparé ce document',
      'Vos objectifs',
      'Ce que nous faisons pour l’objectif 1',
      'Qui s’en occupe',
      'Pour quand',
      'Comment nous vérifions : Nous comptons vos promenades chaque semaine.',
      'Ce que l’établissement fait en plus pour vous',
      'Nous revoyons cet avenant avec vous au moins 1 fois par an.',
      'Les signatures',
      'en qualité de curateur, qui assiste Marcel Dupont',
    ],
  },
  'projet-personnalise': {
    standard: [
      'Projet personnalisé',
      'révisé au moins une fois par an et à chaque changement de situation',
      // identification: person, representative and measure, personne de confiance, référent
      'Lucie Bernard bénéficie d’une mesure de tutelle, en représentation.',
      'Tuteur : Alain Bernard, père.',
      'Professionnel référent du projet : Paul Girard.',
      'personne de confiance',
      // expectations in the person's own words, who gathered them and how
      'Attentes de la personne, dans ses propres mots',
      'Recueilli le 20 octobre 2026 par Paul Girard, moyen utilisé : entretien avec pictogrammes.',
      // representative's view kept apart
      'Avis du représentant légal et des proches',
      'Avis du représentant légal',
      // objectives → actions → responsible → deadline → evaluation
      'Objectifs, actions et évaluation',
      'Objectif 1 : Pratiquer la natation une fois par semaine',
      'Action',
      'Responsable',
      'Échéance',
      'Critère d’évaluation : Nombre de séances réalisées par mois',
      // the person's expression, apart from signatures
      'Expression de la personne sur son projet',
      'Position de Lucie Bernard : accord partiel.',
      // next review
      'Prochaine révision',
      'Le projet sera révisé au plus tard le 20 octobre 2027',
      // Projet 1.9.0: the pronoun agrees with her civility (« madame » in the demo); none when it is not recorded.
      'Lucie Bernard s’exprime elle-même sur son projet, ci-dessus, à part de son représentant.',
      'Elle signe son projet lorsqu’elle le peut',
      'Réponse de l’établissement : Une deuxième séance par semaine',
      'en qualité de tuteur, qui représente Lucie Bernard',
    ],
    falc: [
      'Votre projet personnalisé',
      'Votre tuteur est Alain Bernard.',
      'Votre référent est Paul Girard.',
      'personne de confiance',
      'Ce que vous voulez, avec vos mots',
      'Vous avez dit : « Je veux aller à la piscine avec mon amie Léa. »',
      'Paul Girard a écrit vos mots le 20 octobre 2026.',
      'Comment : nous avons parlé avec des images.',
      'L’avis de votre représentant',
      'Vos objectifs',
      'Qui s’en occupe',
      'Pour quand',
      'Comment nous vérifions : Nous comptons vos séances de piscine chaque mois.',
      'Votre avis sur ce projet',
      'Vous êtes d’accord avec une partie de ce projet.',
      'Nous revoyons ce projet avec vous au plus tard le 20 octobre 2027.',
      'Les signatures',
    ],
  },
  'compte-rendu-synthese': {
    standard: [
      'Compte rendu de réunion de synthèse',
      // date, place, kind
      'Réunion du 18 novembre 2026, Salle de réunion, bâtiment B. Nature : réunion d’admission.',
      // participants, role, presence
      'Participants',
      'Personnes invitées et présence',
      'partielle, présent pendant la première demi-heure',
      'excusé',
      // the person's expression (and the means used)
      'Expression de la personne',
      'Décisions',
      // each request with the answer; refusal reason; deadline and responsible when accepted
      'Demandes et réponses',
      'Demande 1 : Recevoir une photo des activités chaque semaine',
      'Réponse de l’établissement : acceptée',
      'Échéance : 1er décembre 2026',
      'Responsable : Éducateur référent',
      'Demande 2 : Ne pas aller à la piscine',
      'Réponse de l’établissement : refusée',
      'Motif du refus : La piscine fait partie du projet de soins de rééducation prescrit',
      'Demande 3 : Changer de groupe de vie',
      'Réponse de l’établissement : reportée',
      'Réexamen prévu le 18 mars 2027',
      'Décisions et information de la personne',
      // disagreements and how to appeal
      'Désaccords et recours',
      'Points de désaccord exprimés',
      'personne qualifiée',
      'médiation',
      // next review, distribution: the recipients, the information on sharing, the consent of an outside one (CSP L.1110-4 III and IV)
      'Prochaine réunion',
      'Prochaine révision du projet : 18 mars 2027.',
      'Diffusion et partage des informations',
      'l’information préalable sur le partage des informations au sein de l’équipe de soins a été délivrée aux titulaires de l’autorité parentale',
      'Aucune opposition au partage n’a été exprimée.',
      // compte rendu 1.6.0: what the person or her legal representative was told before consenting (CSP D.1110-3-1)
      'le cas échéant, de son représentant légal, après les avoir informés des catégories d’informations partagées',
      'des mesures prises pour en préserver la sécurité (CSP L.1110-4 III, D.1110-3-1)',
      'après information sur les catégories d’informations partagées',
      'Destinataires du compte rendu',
      'Cadre du partage',
      'Dr Claire Martin',
      'consentement préalable du 18 novembre 2026',
      'La personne reçoit une version facile à lire ou en gros caractères',
      'Validation du compte rendu',
    ],
    falc: [
      'Compte rendu de la réunion sur votre projet',
      'La réunion a eu lieu le 18 novembre 2026.',
      'Lieu : la salle de réunion du bâtiment B.',
      'Qui était à la réunion',
      'Ce que vous avez dit',
      'Ce que nous avons décidé',
      'Vos demandes et nos réponses',
      'Notre réponse : acceptée',
      'Pour quand : 1er décembre 2026',
      'Qui s’en occupe : Éducateur référent',
      'Notre réponse : refusée',
      'Pourquoi : La piscine fait partie de vos soins.',
      'Notre réponse : reportée',
      'Si vous n’êtes pas d’accord',
      'personne qualifiée',
      'médiation',
      'Le prochain rendez-vous',
      'Nous nous revoyons le 18 mars 2027.',
      'Qui reçoit ce compte rendu',
      'nous avons parlé avec vos parents des informations sur vous.',
      'Personne n’a dit non.',
      'Avant votre accord, nous vous disons quelles informations sont partagées et avec qui.',
      'accord donné le 18 novembre 2026, après nos explications',
      'Les personnes qui reçoivent ce compte rendu',
      'Vous recevez une version facile à lire ou écrite en gros.',
    ],
  },
  [LIBERTY_ANNEX]: {
    standard: [
      'Annexe au contrat de séjour — mesures particulières pour la sécurité et la liberté d’aller et venir',
      'complète le contrat de séjour signé le 3 septembre 2026 et en fait partie',
      'pour assurer l’intégrité physique et la sécurité de Lucie Bernard et pour soutenir l’exercice de sa liberté d’aller et venir',
      'ne sont prévues que dans l’intérêt de la personne accueillie, parce qu’elles s’avèrent strictement nécessaires, et ne sont pas disproportionnées',
      'La présente annexe est conclue entre',
      'Examen et procédure collégiale',
      'L’examen de Lucie Bernard a eu lieu le 16 novembre 2026',
      'La procédure collégiale a été mise en œuvre le 20 novembre 2026 à l’initiative de Dr Sophie Lemaire, médecin coordonnateur de l’établissement.',
      'Ont participé à l’élaboration de la présente annexe',
      'Avis de la personne accueillie',
      'Avis d’Alain Bernard, représentant légal, consigné à part : accord.',
      'Mesures particulières',
      'Risque auquel elle répond',
      'Pourquoi elle est strictement nécessaire',
      'Pourquoi elle n’est pas disproportionnée',
      'Autres solutions envisagées',
      'Les mesures sont réévaluées selon la même procédure collégiale, au plus tard le 20 mai 2027.',
      'peut être révisé à tout moment, selon la même procédure',
      'sur proposition de la personne de confiance',
      'en qualité de tuteur, qui représente Lucie Bernard',
      'pour la direction de l’établissement EHPAD Les Tilleuls',
    ],
    falc: [
      'Aller et venir en sécurité',
      'Ce document complète votre contrat de séjour.',
      'Vous êtes libre d’aller et venir.',
      'Votre tuteur signe ce document pour vous.',
      'L’examen et la réunion de l’équipe',
      'Votre avis',
      'Ce que nous faisons pour votre sécurité',
      'Pour combien de temps',
      'Nous avons cherché d’autres solutions avant.',
      'Nous revoyons ces mesures avec vous avant le 20 mai 2027.',
      'Vous pouvez demander un changement quand vous voulez.',
      'Les signatures',
    ],
  },
};

/** Values that are not printed as they are stored (enums turned into words, ISO dates, keys). */
const NOT_VERBATIM = new Set(['resident', 'kind', 'answer', 'expression', 'presence', 'capacity', 'outcome', 'mode', 'appliesTo', 'financialContribution', 'purpose', 'byCapacity', 'initiatedBy', 'initiative', 'circle']);

/** Every text value of the document's data, as stored (ISO dates are checked in full below). */
function verbatimValues(data: unknown, falc: boolean, key = ''): string[] {
  if (typeof data === 'string') return NOT_VERBATIM.has(key) || /^\d{4}-\d{2}-\d{2}$/.test(data) ? [] : [data];
  if (Array.isArray(data)) return data.flatMap((d) => verbatimValues(d, falc, key));
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    // An easy-to-read counterpart (`xFalc`) is what the FALC rendition prints in place of `x`; the others print `x`.
    return Object.entries(o)
      .filter(([k]) => (falc ? o[`${k}Falc`] === undefined || o[`${k}Falc`] === null : !k.endsWith('Falc')))
      .flatMap(([k, v]) => verbatimValues(v, falc, k));
  }
  return [];
}

/** Values of the resident, the establishment and the dates, written in full (fr-FR). */
const VALUES: Record<Case, string[]> = {
  'contrat-sejour': [
    'EHPAD Les Tilleuls',
    '12 rue des Tilleuls, 00100 Valville',
    'Claire Morel',
    'Marcel Dupont',
    '2 juillet 1947',
    '15 octobre 2026',
    'Karim Benaïssa',
    '20 mai 2025',
    '1er janvier 2026',
    `72,50${NBSP}€`,
    `24,10${NBSP}€`,
    `15,30${NBSP}€`,
    `6,50${NBSP}€`,
  ],
  dipc: ['EHPAD Les Tilleuls', 'Claire Morel', 'Ahmed Benali', '18 septembre 1956', '16 novembre 2026', '10 décembre 2026', `72,50${NBSP}€`],
  avenant: ['EHPAD Les Tilleuls', 'Claire Morel', 'Marcel Dupont', 'Karim Benaïssa', '29 octobre 2026', '31 janvier 2027'],
  'projet-personnalise': ['Lucie Bernard', 'Alain Bernard', '23 janvier 1992', '1er septembre 2026', '20 octobre 2026', '15 janvier 2027', '1er décembre 2026', '20 octobre 2027'],
  'compte-rendu-synthese': ['Enzo Petit', 'Claire Morel', '18 novembre 2026', '1er décembre 2026', '18 mars 2027'],
  [LIBERTY_ANNEX]: ['EHPAD Les Tilleuls', 'Claire Morel', 'Lucie Bernard', 'Alain Bernard', '3 septembre 2026', '16 novembre 2026', '20 novembre 2026', '20 mai 2027'],
};

interface Rendered {
  tree: DocumentTree;
  pdf: Buffer;
  file: string;
  view: PdfJsView;
  objects: Record<string, QpdfObject>;
  catalog: Record<string, QpdfValue>;
  top: RawStruct[];
  structs: RawStruct[];
  lines: TextLine[];
}

async function renderAndRead(tree: DocumentTree, variant: Variant, name: string): Promise<Rendered> {
  const pdf = await renderPdf(tree, variant);
  const file = writeTemp(pdf, name);
  const objects = qpdfObjects(file);
  const catalog = Object.values(objects)
    .map(dictOf)
    .find((d) => d?.['/Type'] === '/Catalog') as Record<string, QpdfValue>;
  const top = rawStructTree(objects).top;
  return { tree, pdf, file, view: pdfjs(file), objects, catalog, top, structs: flattenStruct(top), lines: textLines(file, objects) };
}

const attr = (s: RawStruct): Record<string, QpdfValue> => (s.dict['/A'] ?? {}) as Record<string, QpdfValue>;

/** Font size of real text items (pdf.js transform: [size, 0, 0, size, x, y]) by structure tag. */
function sizesByTag(view: PdfJsView): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const page of view.pages) {
    for (const item of page.items) {
      if (!item.str.trim()) continue;
      const tag = item.marked[0]?.tag ?? '?';
      map.set(tag, [...(map.get(tag) ?? []), Math.hypot(item.transform[0], item.transform[1])]);
    }
  }
  return map;
}

function forbiddenActions(objects: Record<string, QpdfObject>, catalog: Record<string, QpdfValue>): string[] {
  const names = allNames(objects);
  const found = ['/JavaScript', '/JS', '/OpenAction', '/Launch', '/AA', '/URI', '/SubmitForm'].filter((n) => names.has(n));
  if (catalog['/Names'] && dictOf(objects[`obj:${String(catalog['/Names'])}`])?.['/JavaScript']) found.push('Names/JavaScript');
  return found;
}

describe.each(CASES)('real template %s', (c: Case) => {
  const type = typeOf(c);
  describe.each([...VARIANTS])('%s', (variant: Variant) => {
    let r: Rendered;
    const content = contentVariantOf(variant);

    beforeAll(async () => {
      r = await renderAndRead(treeOf(type, variant, fixture(), residentOf(c)), variant, `${c}-${variant}`);
    });

    it('qpdf --check finds no syntax or stream error', () => {
      const out = run('qpdf', ['--check', r.file]);
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
    });

    it('7.2-29/7.2-34 catalog /Lang is fr-FR', () => {
      expect(r.catalog['/Lang']).toBe('u:fr-FR');
      expect(r.view.info.Language).toBe('fr-FR');
    });

    it('6.2-1 MarkInfo has Marked true (7.1-4: no Suspects); pdfinfo says Tagged', () => {
      expect(r.view.markInfo?.Marked).toBe(true);
      expect(r.view.markInfo?.Suspects).toBe(false);
      expect(run('pdfinfo', [r.file]).stdout).toMatch(/^Tagged:\s+yes$/m);
    });

    it('7.1-10 ViewerPreferences DisplayDocTitle is true and the info Title is the document title', () => {
      expect(r.view.viewerPreferences?.DisplayDocTitle).toBe(true);
      expect(r.view.info.Title).toBe(r.tree.title);
    });

    it('5-1/5-2/5-3/7.1-8/7.1-9 XMP: dc:title is the title, pdfuaid:part = 1', () => {
      expect(r.view.xmp?.['dc:title']).toBe(r.tree.title);
      expect(r.view.xmp?.['pdfuaid:part']).toBe('1');
      expect(r.view.xmpRaw).toContain('xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"');
      const meta = r.objects[`obj:${String(r.catalog['/Metadata'])}`];
      expect(meta?.stream?.dict['/Subtype']).toBe('/XML');
    });

    it('7.1-11/7.1-12 a structure tree: one Document element holding the content, every element with a parent', () => {
      expect(r.top.map((n) => n.S)).toEqual(['Document']);
      expect(r.top[0].kids.length).toBeGreaterThan(10);
      for (const s of r.structs) expect(s.dict['/P']).toMatch(/^\d+ 0 R$/);
      for (const page of r.view.pages) expect(page.structTree?.children?.[0]?.role).toBe('Document');
    });

    it('7.1-3 every text item is tagged real content or an Artifact (7.1-1/7.1-2: never nested)', () => {
      let tagged = 0;
      for (const page of r.view.pages) {
        for (const item of page.items) {
          if (item.str.trim() === '') continue;
          expect({ str: item.str, depth: item.marked.length }).toEqual({ str: item.str, depth: 1 });
          if (item.marked[0].tag !== 'Artifact') {
            expect({ str: item.str, id: item.marked[0].id }).toEqual({ str: item.str, id: expect.stringMatching(/_mc\d+$/) });
            tagged++;
          }
        }
      }
      expect(tagged).toBeGreaterThan(20);
    });

    it('7.1-3 running header (the person, the title) and footer ("Page n sur N", no version offline) are artifacts on every page', () => {
      const resident = templateInputFromFixture(fixture(), type, residentOf(c)).resident as { firstName: string; lastName: string };
      const person = `${resident.firstName} ${resident.lastName}`;
      for (const page of r.view.pages) {
        const number = page.items.find((i) => i.str === `Page ${page.number} sur ${r.view.numPages}`);
        expect({ page: page.number, tag: number?.marked[0].tag }).toEqual({ page: page.number, tag: 'Artifact' });
        const artifacts = page.items.filter((i) => i.marked[0]?.tag === 'Artifact').map((i) => i.str);
        expect({ page: page.number, header: artifacts.join('').includes(`${person} — `) }).toEqual({ page: page.number, header: true });
        expect({ page: page.number, version: artifacts.includes('Aperçu, non versionné') }).toEqual({ page: page.number, version: true });
      }
    });

    it('7.4.2-1 headings: H1 first, no level skipped, the tree’s headings all tagged', () => {
      const headings = r.structs.filter((s) => /^H[1-6]$/.test(s.S));
      const levels = headings.map((s) => Number(s.S[1]));
      expect(levels[0]).toBe(1);
      levels.forEach((l, i) => {
        if (i > 0) expect({ i, l }).toEqual({ i, l: Math.min(l, levels[i - 1] + 1) });
      });
      expect(r.structs.filter((s) => s.S === 'H1')).toHaveLength(1);
      expect(r.structs.some((s) => s.S === 'H')).toBe(false);
      const expected = r.tree.blocks.filter((b) => b.kind === 'heading' || b.kind === 'signatures').length;
      expect(headings).toHaveLength(expected);
    });

    it('7.2-3…7.2-16 tables: Caption, THead, TBody of TR, TR of TH/TD, same number of cells; 7.5-1 every TH has a Scope', () => {
      const blocks = r.tree.blocks.filter((b): b is TableBlock => b.kind === 'table');
      const tables = r.structs.filter((s) => s.S === 'Table');
      expect(tables).toHaveLength(blocks.length);
      tables.forEach((table, t) => {
        const block = blocks[t];
        expect(table.kids.map((k) => k.S)).toEqual(['Caption', 'THead', 'TBody']);
        const [head] = table.kids[1].kids;
        expect(head.kids.map((k) => [k.S, attr(k)['/Scope']])).toEqual(block.header.map(() => ['TH', '/Column']));
        const rows = table.kids[2].kids;
        expect(rows).toHaveLength(block.rows.length);
        for (const tr of rows) {
          expect(tr.S).toBe('TR');
          expect(tr.kids).toHaveLength(block.header.length);
          tr.kids.forEach((cell, c) => {
            if (block.rowHeaders && c === 0) expect([cell.S, attr(cell)['/Scope'], attr(cell)['/O']]).toEqual(['TH', '/Row', '/Table']);
            else expect(cell.S).toBe('TD');
          });
        }
      });
      for (const th of r.structs.filter((s) => s.S === 'TH')) expect(['/Column', '/Row']).toContain(attr(th)['/Scope']);
    });

    it('7.2-17…7.2-20 lists: L of LI, LI of Lbl + LBody', () => {
      const lists = r.structs.filter((s) => s.S === 'L');
      expect(lists).toHaveLength(r.tree.blocks.filter((b) => b.kind === 'list').length);
      for (const l of lists) {
        for (const li of l.kids) expect([li.S, ...li.kids.map((k) => k.S)]).toEqual(['LI', 'Lbl', 'LBody']);
      }
    });

    it('7.3-1 every Figure has Alt text (pdf.js reads it) and a BBox; FALC has a pictogram per main idea', () => {
      const figures = r.tree.blocks.filter((b) => b.kind === 'figure').map((b) => (b as { alt: string }).alt);
      const elems = r.structs.filter((s) => s.S === 'Figure');
      expect(elems).toHaveLength(figures.length);
      for (const f of elems) {
        expect(String(f.dict['/Alt'])).toMatch(/^u:\S/);
        expect(attr(f)['/BBox']).toHaveLength(4);
        expect(f.hasContent).toBe(true);
      }
      const alts: string[] = [];
      const walk = (n: { role?: string; alt?: string; children?: unknown[] } | null): void => {
        if (!n) return;
        if (n.role === 'Figure') alts.push(n.alt ?? '');
        (n.children as { role?: string; alt?: string; children?: unknown[] }[] | undefined)?.forEach(walk);
      };
      r.view.pages.forEach((p) => walk(p.structTree));
      expect(alts).toEqual(figures);
      if (variant === 'falc') expect(figures.length).toBeGreaterThanOrEqual(r.tree.blocks.filter((b) => b.kind === 'heading' && b.level === 2).length);
    });

    it('signatures: a Sect with a heading and one Div per signer naming the signer and the capacity', () => {
      const slots = r.tree.blocks.flatMap((b) => (b.kind === 'signatures' ? b.slots : []));
      const sect = r.structs.filter((s) => s.S === 'Sect');
      expect(sect).toHaveLength(1);
      expect(sect[0].kids[0].S).toMatch(/^H[12]$/);
      expect(sect[0].kids.filter((k) => k.S === 'Div')).toHaveLength(slots.length);
      const text = contentText(r.lines);
      for (const slot of slots) expect(text).toContain(`${slot.name} ${slot.capacity}`);
    });

    it('7.21.4.1-1/7.21.7-1 pdffonts: every font embedded, subset, with a Unicode map; none of the standard 14', () => {
      const out = run('pdffonts', [r.file]);
      expect(out.status).toBe(0);
      const rows = out.stdout.trim().split('\n').slice(2);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        const [name] = row.split(/\s+/);
        expect(name).toMatch(/^[A-Z]{6}\+/);
        expect(name.slice(7)).not.toMatch(STANDARD_14);
        expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
      }
    });

    it('7.21.8-1 every shown glyph decodes to Unicode (no .notdef, no unmapped glyph)', () => {
      for (const line of r.lines) expect({ line: line.text, bad: /[\u0000\uFFFD]/.test(line.text) }).toEqual({ line: line.text, bad: false });
    });

    it('no JavaScript, OpenAction, Launch or other action anywhere', () => {
      expect(forbiddenActions(r.objects, r.catalog)).toEqual([]);
      for (const o of r.view.outline ?? []) expect(o.action ?? null).toBeNull();
    });

    it(`DOMAIN.md: the mandatory clauses of the ${type} are in the text`, () => {
      const text = contentText(r.lines);
      const missing = MANDATORY[c][content].filter((phrase) => !text.includes(phrase));
      expect(missing).toEqual([]);
    });

    it('the fixture’s values are in the text layer byte-exact (names, dates in full, euros with U+00A0)', () => {
      const text = contentText(r.lines);
      const data = content === 'falc' ? printedInFalc(c, documentOf(c)) : documentOf(c);
      const missing = [...VALUES[c], ...verbatimValues(data, content === 'falc')].filter((v) => !text.includes(v));
      expect(missing).toEqual([]);
      // poppler's extraction agrees (it folds no-break spaces into spaces).
      const poppler = folded(pdftotext(r.file));
      for (const v of VALUES[c]) expect(poppler).toContain(v.replace(/[\u00A0\u202F]/g, ' '));
    });

    it(variant === 'large-print' ? 'large print: body text ≥ 16 pt, headings larger' : variant === 'falc' ? 'FALC: body text ≥ 14 pt, headings larger' : 'standard: body text ≥ 11 pt, headings larger', () => {
      const sizes = sizesByTag(r.view);
      const body = [...sizes.entries()].filter(([tag]) => !/^(H\d|Artifact)$/.test(tag)).flatMap(([, s]) => s);
      expect(body.length).toBeGreaterThan(10);
      const min = Math.min(...body);
      expect(min).toBeGreaterThanOrEqual(variant === 'large-print' ? 16 : variant === 'falc' ? 14 : 11);
      const maxBody = Math.max(...body);
      for (const h of ['H1', 'H2']) if (sizes.has(h)) expect(Math.min(...(sizes.get(h) as number[]))).toBeGreaterThan(maxBody);
      if (variant !== 'standard') expect(Math.min(...(sizes.get('Artifact') ?? [0]))).toBeGreaterThanOrEqual(variant === 'large-print' ? 16 : 12);
    });

    it('layout: every word inside the page, no two words overlap, no word over a pictogram', () => {
      const { pages, words } = wordBoxes(r.file);
      const figures = r.structs
        .filter((s) => s.S === 'Figure')
        .map((s) => attr(s)['/BBox'] as number[])
        .map(([x0, y0, x1, y1]) => ({ x0, x1, top: 841.89 - y1, bottom: 841.89 - y0 }));
      expect(words.length).toBeGreaterThan(50);
      const problems: string[] = [];
      for (const w of words) {
        const p = pages[w.page - 1];
        if (w.xMin < 0 || w.yMin < 0 || w.xMax > p.width || w.yMax > p.height) problems.push(`p${w.page} "${w.text}" outside the page`);
      }
      for (let i = 0; i < words.length; i++) {
        for (let j = i + 1; j < words.length && words[j].page === words[i].page; j++) {
          const a = words[i];
          const b = words[j];
          const dx = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
          const dy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
          if (dx > 1 && dy > 2) problems.push(`p${a.page} "${a.text}" overlaps "${b.text}"`);
        }
      }
      // Pictograms: the figures' BBox are in page space; only the page they are on matters, and a
      // word overlapping a figure box on its own page is a collision.
      const figurePages = r.view.pages.map((p) => {
        const out: number[] = [];
        const walk = (n: { role?: string; children?: unknown[] } | null): void => {
          if (!n) return;
          if (n.role === 'Figure') out.push(1);
          (n.children as { role?: string; children?: unknown[] }[] | undefined)?.forEach(walk);
        };
        walk(p.structTree);
        return out.length;
      });
      let f = 0;
      figurePages.forEach((count, pageIndex) => {
        for (let k = 0; k < count; k++, f++) {
          const box = figures[f];
          for (const w of words.filter((x) => x.page === pageIndex + 1)) {
            if (Math.min(w.xMax, box.x1) - Math.max(w.xMin, box.x0) > 1 && Math.min(w.yMax, box.bottom) - Math.max(w.yMin, box.top) > 1)
              problems.push(`p${pageIndex + 1} "${w.text}" over a pictogram`);
          }
        }
      });
      expect(problems).toEqual([]);
    });

    it('layout: French punctuation is never cut from its word (no line starts with : ; ! ? » nor ends with «)', () => {
      const bad = r.lines
        .filter((l) => l.tag !== 'Artifact')
        .map((l) => l.text.replace(/ +$/, ''))
        .filter((t) => /^[:;!?»]/.test(t) || /«$/.test(t));
      expect(bad).toEqual([]);
    });

    it('layout: no heading or pictogram is left alone at the foot of a page', () => {
      const problems: string[] = [];
      r.view.pages.forEach((page, i) => {
        if (i === r.view.pages.length - 1) return;
        const real = page.items.filter((it) => it.str.trim() && it.marked[0]?.tag !== 'Artifact');
        const last = real[real.length - 1];
        if (last && /^H\d$/.test(last.marked[0].tag)) problems.push(`page ${page.number} ends with heading "${last.str}"`);
      });
      // A pictogram is drawn before its block: the last structure element of a page that is a
      // Figure has no text after it on that page.
      r.view.pages.forEach((page, i) => {
        if (i === r.view.pages.length - 1) return;
        const kids = (page.structTree?.children?.[0]?.children ?? []) as { role?: string }[];
        if (kids.length && kids[kids.length - 1].role === 'Figure') problems.push(`page ${page.number} ends with a pictogram`);
      });
      expect(problems).toEqual([]);
    });

    it('layout: no widow or orphan (a paragraph or list item split across pages keeps 2 lines or more on each; one of 2–3 lines is never split)', () => {
      // Lines of each marked-content sequence, as pdf.js reads them: distinct baselines.
      const baselines = new Map<string, Set<number>>();
      for (const page of r.view.pages) {
        for (const item of page.items) {
          const id = item.marked[0]?.id;
          if (!id || !item.str.trim()) continue;
          const ys = baselines.get(id) ?? new Set<number>();
          ys.add(Math.round(item.transform[5]));
          baselines.set(id, ys);
        }
      }
      const problems: string[] = [];
      for (const s of r.structs.filter((x) => x.S === 'P' || x.S === 'LBody')) {
        const k = s.dict['/K'];
        const kids = (Array.isArray(k) ? k : [k]) as QpdfValue[];
        if (kids.length < 2) continue;
        const parts = kids.map((kid) => {
          const mcr = typeof kid === 'number' ? { pg: s.dict['/Pg'], mcid: kid } : { pg: (kid as Record<string, QpdfValue>)['/Pg'], mcid: (kid as Record<string, QpdfValue>)['/MCID'] };
          return baselines.get(`p${refNumber(mcr.pg)}R_mc${String(mcr.mcid)}`)?.size ?? 0;
        });
        const total = parts.reduce((a, b) => a + b, 0);
        if (total <= 3 || parts.some((n) => n < 2)) problems.push(`${s.S} ${s.ref} split ${parts.join(' + ')}`);
      }
      expect(problems).toEqual([]);
    });

    it('reproducible: resolving and rendering again gives identical bytes', async () => {
      const again = await renderPdf(treeOf(type, variant, fixture(), residentOf(c)), variant);
      expect(again.equals(r.pdf)).toBe(true);
    });
  });
});

/** Paragraph texts of a DOCX body, XML-unescaped. */
const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
function docxBody(docx: Buffer): string {
  const entry = readZip(docx).find((e) => e.name === 'word/document.xml');
  if (!entry) throw new Error('no word/document.xml');
  return entry.data.toString('utf8');
}
function docxText(xml: string): string {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1])).join(''))
    .join('\n');
}
/** Text of an HTML page: tags removed, entities decoded (what a browser shows, near enough). */
function htmlText(html: string): string {
  return unescapeXml(html.replace(/<[^>]*>/g, ' ')).replace(/[ \n]+/g, ' ');
}

describe('contrat de séjour for Seán O’Brien-Nuñez (born 29 February 1944), byte-exact in PDF, DOCX and HTML', () => {
  const NAME = "Seán O'Brien-Nuñez";
  const values = [NAME, '29 février 1944', '30 octobre 2026', `72,50${NBSP}€`];

  it('the fixture stores the name precomposed (NFC), as the checks expect', () => {
    const sean = fixture().residents.find((x) => x.key === 'sean-obrien');
    expect(`${String(sean?.firstName)} ${String(sean?.lastName)}`).toBe(NAME);
    expect(NAME.normalize('NFC')).toBe(NAME);
  });

  it.each([...VARIANTS])('PDF %s: text layer and pdftotext', async (variant) => {
    const r = await renderAndRead(treeOf('contrat-sejour', variant, fixture(), 'sean-obrien'), variant, `sean-${variant}`);
    const text = contentText(r.lines);
    for (const v of variant === 'falc' ? values.slice(0, 3) : values) expect(text).toContain(v);
    expect(text).not.toContain('O’Brien'); // the apostrophe is data: never "typographically" changed
    expect(folded(pdftotext(r.file))).toContain(NAME);
    expect(forbiddenActions(r.objects, r.catalog)).toEqual([]);
  });

  it.each([...VARIANTS])('DOCX and HTML %s', async (variant) => {
    const tree = treeOf('contrat-sejour', variant, fixture(), 'sean-obrien');
    const docx = docxText(docxBody(await renderDocx(tree, variant)));
    const html = htmlText(renderHtml(tree, variant));
    // The HTML glues dates with no-break spaces: a browser never splits them across lines.
    const inHtml = (v: string): string => (/^\d+ \p{L}+ \d{4}$/u.test(v) ? v.replace(/ /g, NBSP) : v);
    for (const v of variant === 'falc' ? values.slice(0, 3) : values) {
      expect(docx).toContain(v);
      expect(html).toContain(inHtml(v));
    }
  });
});

describe('injection fixture: hostile data comes out literally in PDF, DOCX and HTML', () => {
  const HOSTILE = {
    template: '{{constructor}}',
    markup: '<script>alert(1)</script>',
    pdf: '(\\) /JavaScript',
    rtl: 'Dupont\u202Eelliv',
    mjml: '</mj-text><mj-raw><script>alert(2)</script></mj-raw>',
    expression: '{{ resident.constructor.constructor("return process")() }}',
  };
  const FIRST = HOSTILE.template;
  const LAST = `${HOSTILE.markup} ${HOSTILE.pdf} ${HOSTILE.rtl}`;
  const hostileFixture = (): Fixture => {
    const f = fixture();
    const marcel = f.residents.find((x) => x.key === 'marcel-dupont') as Record<string, unknown>;
    marcel.firstName = FIRST;
    marcel.lastName = LAST;
    const doc = f.documents['contrat-sejour'];
    // Names are printed as they are in every variant (a free text would print its easy-to-read wording).
    (doc.participation as { others: unknown[] }).others.push({ name: HOSTILE.mjml, capacity: 'autre', presence: 'present' }, { name: HOSTILE.expression, capacity: 'autre', presence: 'present' });
    return f;
  };
  const literal = [`${FIRST} ${LAST}`, HOSTILE.mjml, HOSTILE.expression];

  it.each([...VARIANTS])('PDF %s: the values are in the text layer; still no JavaScript or action', async (variant) => {
    const r = await renderAndRead(treeOf('contrat-sejour', variant, hostileFixture()), variant, `hostile-${variant}`);
    const text = contentText(r.lines);
    for (const v of literal) expect(text).toContain(v);
    expect(forbiddenActions(r.objects, r.catalog)).toEqual([]);
    expect(run('qpdf', ['--check', r.file]).status).toBe(0);
    // poppler reads the same characters (it wraps the override in its own embedding marks).
    const poppler = folded(pdftotext(r.file));
    expect(poppler).toContain(`${FIRST} ${HOSTILE.markup} ${HOSTILE.pdf} Dupont`);
    expect(poppler).toMatch(/Dupont[\u202A-\u202C]*\u202E[\u202A-\u202C]*elliv/);
  });

  it.each([...VARIANTS])('DOCX %s: escaped in the XML, literal in the text', async (variant) => {
    const xml = docxBody(await renderDocx(treeOf('contrat-sejour', variant, hostileFixture()), variant));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('</mj-text>');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = docxText(xml);
    for (const v of literal) expect(text).toContain(v);
  });

  it.each([...VARIANTS])('HTML %s: escaped, no script element, literal in the text', (variant) => {
    const html = renderHtml(treeOf('contrat-sejour', variant, hostileFixture()), variant);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('</mj-text>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = htmlText(html);
    for (const v of literal) expect(text).toContain(v);
  });
});

describe('the optional DOMAIN.md sections of the templates, filled (absent from the demo fixture)', () => {
  it('projet personnalisé: assessment by life domain, points of agreement and disagreement, personne de confiance, person’s comments', async () => {
    const f = fixture();
    const doc = f.documents['projet-personnalise'];
    Object.assign(doc, {
      // Each free text with its easy-to-read wording (templates 1.2.0, issue 8 C).
      assessment: [{ domain: 'Vie sociale', domainFalc: 'Vos amis', summary: 'Lucie voit son amie Léa chaque semaine.', summaryFalc: 'Vous voyez Léa chaque semaine.' }],
      agreements: ['La natation une fois par semaine'],
      agreementsFalc: ['Nager 1 fois par semaine'],
      disagreements: [
        {
          point: 'Le nombre de séances de piscine',
          pointFalc: 'Combien de fois vous allez à la piscine',
          answer: 'Une séance de plus dès qu’une place se libère.',
          answerFalc: 'Vous irez 1 fois de plus quand il y aura une place.',
          reason: 'Une seule place par semaine jusqu’en janvier.',
          reasonFalc: 'Il y a 1 seule place par semaine.',
        },
      ],
      personComments: 'Je veux aussi faire du vélo.',
      relativesView: 'Sa sœur souhaite la voir le dimanche.',
      relativesViewFalc: 'Votre sœur veut vous voir le dimanche.',
    });
    (f.residents.find((x) => x.key === 'lucie-bernard') as Record<string, unknown>).personneDeConfiance = {
      firstName: 'Léa',
      lastName: 'Roussel',
      relation: 'amie',
    };
    const r = await renderAndRead(treeOf('projet-personnalise', 'standard', f), 'standard', 'pp-full');
    const text = contentText(r.lines);
    for (const v of ['Évaluation par domaine de vie', 'Vie sociale', 'Lucie voit son amie Léa chaque semaine.', 'Points d’accord et de désaccord', 'La natation une fois par semaine', 'Le nombre de séances de piscine', 'Je veux aussi faire du vélo.', 'Sa sœur souhaite la voir le dimanche.', 'Personne de confiance : Léa Roussel, amie.'])
      expect(text).toContain(v);
  });

  it('compte rendu: the means of expression used and the situation summary', async () => {
    const f = fixture();
    Object.assign(f.documents['compte-rendu-synthese'], {
      expressionMeans: ['tableau de pictogrammes', 'FALC'],
      expressionMeansFalc: ['des images', 'des phrases faciles à lire'],
      situationSummary: 'Enzo est arrivé le 7 septembre 2026 ; il s’adapte bien.',
      situationSummaryFalc: 'Vous êtes arrivé le 7 septembre 2026. Vous vous sentez bien ici.',
    });
    const r = await renderAndRead(treeOf('compte-rendu-synthese', 'standard', f), 'standard', 'crs-full');
    const text = contentText(r.lines);
    for (const v of ['Moyens utilisés : tableau de pictogrammes', 'Situation', 'Enzo est arrivé le 7 septembre 2026 ; il s’adapte bien.']) expect(text).toContain(v);
  });
});
