/**
 * French labels of the document data each template declares in its input schema
 * (`inputSchema.properties.document`): the console's document form and its version differences
 * name every field with these words. The schema itself carries a `description` on some fields
 * (shown as the field's hint); these labels are the short names. Keyed by the field's path in the
 * data without array indexes (`participation.others.name`); a path known to one document type
 * only with another meaning is overridden per type. input-labels.spec.ts checks that every field
 * and every enum value of every stored template version has its label.
 */

const LABELS: Record<string, string> = {
  resident: 'Clé du jeu de démonstration',
  issuedOn: 'Date d’établissement du document',
  objectives: 'Objectifs',
  'objectives.title': 'Objectif',
  'objectives.actions': 'Actions',
  'objectives.actions.action': 'Action',
  'objectives.actions.responsible': 'Qui s’en charge',
  'objectives.actions.deadline': 'Pour quand',
  'objectives.evaluation': 'Comment il sera évalué',
  services: 'Prestations',
  duration: 'Durée du contrat',
  priorDecisions: 'Décisions antérieures (jugements, orientations)',
  minorView: 'Avis de la personne mineure',
  minorViewFalc: 'Avis de la personne mineure, en facile à lire',
  annexesHandedOverOn: 'Date de remise du livret d’accueil, de la charte et du règlement de fonctionnement',
  participation: 'Participation à l’élaboration',
  'participation.person': 'La personne accompagnée',
  'participation.person.presence': 'Sa participation',
  // « obligatoire si… »: the console's form says when, from the schema's requiredIf (schema-form.tsx).
  'participation.person.note': 'Précision',
  'participation.others': 'Autres participants',
  'participation.others.name': 'Nom',
  'participation.others.capacity': 'À quel titre',
  'participation.others.role': 'Fonction ou lien',
  'participation.others.presence': 'Présence',
  // Agrees « présente », « représentée » in the participation table (contrat de séjour 1.11.0, avenant 1.11.0, DIPC 1.9.0).
  'participation.others.civility': 'Civilité',
  residenceChoice: 'Choix du lieu de vie (C. civ. 459-2)',
  'residenceChoice.agrees': 'La personne est d’accord pour vivre dans l’établissement',
  'residenceChoice.recordedOn': 'Date à laquelle son avis a été recueilli',
  'residenceChoice.judgeDecision': 'Décision du juge ou du conseil de famille (en cas de désaccord)',
  'residenceChoice.judgeDecision.authority': 'Autorité (juge, conseil de famille)',
  'residenceChoice.judgeDecision.reference': 'Référence de la décision',
  'residenceChoice.judgeDecision.date': 'Date de la décision',
  consentInterview: 'Entretien de recherche du consentement',
  'consentInterview.on': 'Date de l’entretien',
  'consentInterview.outcome': 'Résultat de l’entretien',
  'consentInterview.noticeGivenOn': 'Date de remise de la notice sur la personne de confiance',
  'consentInterview.attestationSigned': 'Attestation de délivrance de l’information signée',
  'consentInterview.attestationSignedOn': 'Date de l’attestation de délivrance de l’information (signée)',
  // Template 1.6.0: the information already delivered elsewhere (CASF D.311-0-4, 2° and 3°).
  'consentInterview.priorInformation': 'Information sur la personne de confiance déjà délivrée ailleurs',
  'consentInterview.priorInformation.by': 'Délivrée par',
  'consentInterview.priorInformation.name': 'Nom de l’établissement ou du service',
  'consentInterview.priorInformation.on': 'Date de délivrance de l’information',
  consentInterviewOn: 'Date de l’entretien de recherche du consentement',
  entryInventoryOn: 'Date de l’état des lieux d’entrée',
  financialContribution: 'Participation financière',
  pricing: 'Prix payé par la personne',
  'pricing.gir': 'GIR',
  'pricing.dependancePerDay': 'Tarif dépendance restant à sa charge (€ par jour)',
  'pricing.totalPerDay': 'Total par jour (€)',
  termination: 'Conditions de résiliation',
  'termination.byPerson': 'Résiliation par la personne',
  'termination.byPersonFalc': 'Résiliation par la personne, en facile à lire',
  'termination.byEstablishment': 'Résiliation par l’établissement',
  'termination.byEstablishmentFalc': 'Résiliation par l’établissement, en facile à lire',
  signing: 'Signature',
  'signing.place': 'Lieu de signature',
  'signing.mode': 'Mode de signature',
  'signing.originals': 'Nombre d’exemplaires originaux',
  reason: 'Pourquoi un DIPC',
  contractRefused: 'Contrat de séjour refusé',
  'contractRefused.refusedOn': 'Date du refus',
  'contractRefused.refusedBy': 'Refusé par',
  'contractRefused.reasonGiven': 'Raison donnée',
  startDate: 'Date de début',
  endDate: 'Date de fin',
  kind: 'Nature de l’avenant',
  appliesTo: 'Document complété',
  contractSignedOn: 'Date de signature du contrat (ou d’établissement du DIPC)',
  nextReview: 'Prochaine révision',
  personComments: 'Commentaires de la personne',
  personCommentsFalc: 'Commentaires de la personne, en facile à lire',
  referent: 'Référent du projet',
  expectations: 'Attentes de la personne',
  'expectations.verbatim': 'Ses mots',
  'expectations.gatheredBy': 'Recueillies par',
  'expectations.method': 'Comment',
  'expectations.date': 'Quand',
  representativeView: 'Avis du représentant légal',
  relativesView: 'Avis des proches',
  assessment: 'Évaluation de la situation',
  'assessment.domain': 'Domaine',
  'assessment.summary': 'Constat',
  agreements: 'Points d’accord',
  disagreements: 'Désaccords',
  'disagreements.point': 'Point de désaccord',
  'disagreements.pointFalc': 'Point de désaccord, en facile à lire',
  'disagreements.answer': 'Réponse de l’établissement',
  'disagreements.answerFalc': 'Réponse de l’établissement, en facile à lire',
  'disagreements.reason': 'Motif de la réponse',
  expression: 'Expression de la personne sur son projet',
  expressionComment: 'Précision sur son expression',
  participants: 'Participants',
  partialAgreementAnswer: 'Réponse motivée à un accord partiel ou à un désaccord',
  'partialAgreementAnswer.answer': 'Réponse',
  'partialAgreementAnswer.answerFalc': 'Réponse, en facile à lire',
  'partialAgreementAnswer.reason': 'Motif',
  // Projet personnalisé up to 1.6.0 only (without effect since 1.4.0; dropped in 1.7.0).
  personSigns: 'La personne signe elle-même, à côté de son représentant',
  date: 'Date de la réunion',
  place: 'Lieu de la réunion',
  'participants.name': 'Nom',
  'participants.role': 'Fonction ou lien',
  'participants.presence': 'Présence',
  'participants.civility': 'Civilité',
  'participants.note': 'Précision',
  personExpression: 'Expression de la personne',
  expressionMeans: 'Moyens utilisés pour l’expression',
  situationSummary: 'Synthèse de la situation',
  decisions: 'Décisions',
  'decisions.decision': 'Décision',
  'decisions.decisionFalc': 'Décision, en facile à lire',
  'decisions.toldBy': 'Annoncée à la personne par',
  'decisions.how': 'Comment',
  requests: 'Demandes',
  'requests.from': 'Demandée par',
  'requests.request': 'Demande',
  'requests.answer': 'Décision',
  'requests.deadline': 'Échéance',
  'requests.responsible': 'Responsable',
  'requests.reason': 'Motif',
  'requests.reviewOn': 'Réexaminée le',
  appeal: 'Voies de recours',
  distribution: 'Diffusion du compte rendu',
  // Compte rendu 1.4.0: the recipients and the footing of the sharing (CSP L.1110-4 III and IV, L.1110-12; R.1110-3: the person
  // informed beforehand of the sharing within the équipe de soins).
  sharing: 'Information avant le partage',
  'sharing.informedOn': 'Date de l’information',
  'sharing.informedHow': 'Comment l’information a été donnée',
  'sharing.objected': 'Opposition au partage',
  'sharing.objectionDetails': 'Sur quoi porte l’opposition',
  recipients: 'Destinataires du compte rendu',
  'recipients.name': 'Nom',
  'recipients.function': 'Fonction ou lien',
  'recipients.organisation': 'Organisme',
  'recipients.circle': 'Cadre du partage',
  'recipients.consentOn': 'Date du consentement préalable',
  'recipients.consentHow': 'Comment le consentement a été recueilli',
  // Compte rendu 1.6.0: what the person (or her legal representative) was told before consenting (CSP D.1110-3-1).
  'recipients.consentInformed': 'Informations données avant le consentement (CSP D.1110-3-1)',
  'recipients.consentInformed.informationCategories': 'Les catégories d’informations partagées',
  'recipients.consentInformed.professionalCategories': 'Les catégories de professionnels qui les reçoivent',
  'recipients.consentInformed.media': 'La nature des supports utilisés',
  'recipients.consentInformed.security': 'Les mesures de sécurité',
  'recipients.objection': 'Une opposition porte sur ce destinataire',
  purpose: 'Objet de l’avenant',
  tariffChange: 'Changement de tarifs',
  'tariffChange.effectiveOn': 'Date d’effet des nouveaux prix',
  'tariffChange.basis': 'Fondement du prix de l’hébergement',
  'tariffChange.basisReference': 'Référence de l’arrêté',
  'tariffChange.percentage': 'Taux annuel de revalorisation (%)',
  'tariffChange.cvsConsultedOn': 'Date de consultation du conseil de la vie sociale',
  'tariffChange.prices': 'Nouveaux prix par jour',
  'tariffChange.prices.hebergementPerDay': 'Hébergement (€ par jour)',
  'tariffChange.prices.dependanceGir56PerDay': 'Dépendance GIR 5-6, ticket modérateur, arrêté par le département (€ par jour)',
  'tariffChange.prices.totalPerDay': 'Total à la charge de la personne (€ par jour)',
  'tariffChange.previousPrices': 'Prix par jour avant le changement',
  'tariffChange.previousPrices.hebergementPerDay': 'Hébergement avant (€ par jour)',
  'tariffChange.previousPrices.dependanceGir56PerDay': 'Dépendance GIR 5-6 avant (€ par jour)',
  'tariffChange.previousPrices.totalPerDay': 'Total avant (€ par jour)',
  // Avenant 1.9.0: the base of the yearly percentage (CASF L.342-3), computed from the contract and the signed avenants.
  'tariffChange.yearBase': 'Base du taux annuel (prix au 31 décembre précédent, ou à la signature)',
  'tariffChange.yearBase.on': 'Date du prix de base',
  'tariffChange.yearBase.from': 'Origine du prix de base',
  'tariffChange.yearBase.hebergementPerDay': 'Hébergement, prix de base (€ par jour)',
  // The annex on the freedom to come and go (avenant 1.4.0, purpose « liberte-aller-venir », CASF L.311-4-1 I).
  libertyAnnex: 'Annexe sur la sécurité et la liberté d’aller et venir',
  'libertyAnnex.examination': 'Examen de la personne',
  'libertyAnnex.examination.on': 'Date de l’examen',
  'libertyAnnex.examination.by': 'Examen réalisé par (nom du médecin)',
  'libertyAnnex.examination.byCapacity': 'Qualité du médecin qui l’a examinée',
  'libertyAnnex.collegialProcedure': 'Procédure collégiale',
  'libertyAnnex.collegialProcedure.on': 'Date de la procédure collégiale',
  'libertyAnnex.collegialProcedure.initiatedBy': 'Engagée à l’initiative du',
  'libertyAnnex.collegialProcedure.initiatorName': 'Nom du médecin qui l’a engagée',
  'libertyAnnex.collegialProcedure.coordinatorPrevented': 'Empêchement du médecin coordonnateur',
  'libertyAnnex.collegialProcedure.team': 'Équipe médico-sociale associée à l’évaluation',
  'libertyAnnex.collegialProcedure.team.capacity': 'Qualité',
  'libertyAnnex.collegialProcedure.team.name': 'Nom',
  'libertyAnnex.collegialProcedure.team.role': 'Fonction (autre professionnel)',
  'libertyAnnex.residentOpinion': 'Avis de la personne',
  'libertyAnnex.residentOpinion.expression': 'Son avis sur les mesures',
  'libertyAnnex.residentOpinion.recordedOn': 'Date à laquelle son avis a été recueilli',
  'libertyAnnex.residentOpinion.words': 'Ses mots',
  'libertyAnnex.representativeOpinion': 'Avis du représentant légal',
  'libertyAnnex.representativeOpinion.name': 'Nom du représentant légal',
  'libertyAnnex.representativeOpinion.expression': 'Son avis sur les mesures',
  'libertyAnnex.representativeOpinion.words': 'Ses mots',
  'libertyAnnex.measures': 'Mesures particulières',
  'libertyAnnex.measures.measure': 'Mesure prévue',
  'libertyAnnex.measures.risk': 'Risque auquel elle répond',
  'libertyAnnex.measures.necessity': 'Pourquoi elle est strictement nécessaire',
  'libertyAnnex.measures.proportionality': 'Pourquoi elle n’est pas disproportionnée',
  'libertyAnnex.measures.alternatives': 'Autres solutions envisagées',
  'libertyAnnex.measures.duration': 'Durée',
  'libertyAnnex.revision': 'Révision d’une annexe précédente',
  'libertyAnnex.revision.initiative': 'À l’initiative de',
  'libertyAnnex.revision.previousAnnexOn': 'Date de l’annexe révisée',
  'libertyAnnex.revision.reason': 'Motif de la révision',
};

const BY_TYPE: Record<string, Record<string, string>> = {
  'compte-rendu-synthese': { kind: 'Type de réunion', disagreements: 'Désaccords exprimés' },
  avenant: { objectives: 'Objectifs actualisés' },
};

/** One item of a list, numbered in the form (« Objectif 2 »). */
const ITEM_LABELS: Record<string, string> = {
  objectives: 'Objectif',
  'objectives.actions': 'Action',
  services: 'Prestation',
  priorDecisions: 'Décision',
  'participation.others': 'Participant',
  expectations: 'Attente',
  assessment: 'Domaine évalué',
  agreements: 'Point d’accord',
  disagreements: 'Désaccord',
  participants: 'Participant',
  expressionMeans: 'Moyen',
  decisions: 'Décision',
  requests: 'Demande',
  distribution: 'Destinataire',
  recipients: 'Destinataire',
  'libertyAnnex.collegialProcedure.team': 'Professionnel',
  'libertyAnnex.measures': 'Mesure',
};

/** @carepact/common CIVILITY_LABELS. */
const CIVILITY = { madame: 'Madame', monsieur: 'Monsieur' };
const PRESENCE = { present: 'présent ou présente', represente: 'représenté ou représentée', excuse: 'excusé ou excusée' };
/** The doctor who starts the collegial procedure: the coordonnateur, or the médecin traitant when he is prevented (CASF L.311-4-1 I). */
const LIBERTY_DOCTOR = { medecin_coordonnateur: 'médecin coordonnateur', medecin_traitant: 'médecin traitant (le médecin coordonnateur étant empêché)' };
const LIBERTY_OPINION = { accord: 'accord', accord_partiel: 'accord partiel', desaccord: 'désaccord', ne_se_prononce_pas: 'ne se prononce pas', ne_peut_pas_s_exprimer: 'ne peut pas s’exprimer' };

/** French names of enum values, by field path (the values are the data; these are what people read). */
const ENUM_LABELS: Record<string, Record<string, string>> = {
  'participation.person.presence': { present: 'a participé en personne', represente: 'était représentée', excuse: 'était excusée' },
  'participation.others.presence': PRESENCE,
  'participation.others.civility': CIVILITY,
  'participants.civility': CIVILITY,
  'participation.others.capacity': {
    representant_legal: 'représentant légal',
    parent: 'parent',
    proche: 'proche',
    personne_de_confiance: 'personne de confiance',
    professionnel: 'professionnel',
    autre: 'autre',
  },
  'consentInterview.outcome': { consent: 'consentement exprimé', refusal: 'refus exprimé', unable: 'n’a pas pu exprimer son consentement' },
  'consentInterview.priorInformation.by': { etablissement: 'un autre établissement ou service social ou médico-social', ofii: 'l’OFII (personne qui demande l’asile)' },
  financialContribution: { tarifs: 'les tarifs de l’établissement s’appliquent', aucune: 'aucune participation n’est demandée' },
  'signing.mode': { electronic: 'électronique', paper: 'sur papier' },
  appliesTo: { 'contrat-sejour': 'le contrat de séjour', dipc: 'le DIPC' },
  expression: {
    accord: 'accord',
    accord_partiel: 'accord partiel',
    desaccord: 'désaccord',
    ne_se_prononce_pas: 'ne se prononce pas',
    ne_peut_pas_s_exprimer: 'ne peut pas s’exprimer',
  },
  kind: { admission: 'réunion d’admission', six_mois: 'bilan à six mois', annuelle: 'réunion annuelle', exceptionnelle: 'réunion exceptionnelle' },
  'requests.answer': { accepted: 'acceptée', refused: 'refusée', postponed: 'reportée' },
  'recipients.circle': {
    personne: 'la personne elle-même',
    representant: 'son représentant légal',
    equipe: 'équipe de soins (partage sauf opposition)',
    hors_equipe: 'hors de l’équipe de soins (consentement préalable)',
  },
  purpose: {
    accompagnement: 'accompagnement (objectifs et prestations, CASF D.311)',
    tarifs: 'tarifs (nouveaux prix de journée)',
    'liberte-aller-venir': 'annexe au contrat de séjour : sécurité et liberté d’aller et venir (CASF L.311-4-1)',
  },
  'libertyAnnex.examination.byCapacity': { medecin_coordonnateur: 'médecin coordonnateur', medecin_traitant: 'médecin traitant' },
  'libertyAnnex.collegialProcedure.initiatedBy': LIBERTY_DOCTOR,
  'libertyAnnex.collegialProcedure.team.capacity': {
    medecin_coordonnateur: 'médecin coordonnateur',
    medecin_traitant: 'médecin traitant',
    infirmier_coordonnateur: 'infirmier coordonnateur',
    infirmier: 'infirmier',
    aide_soignant: 'aide-soignant',
    psychologue: 'psychologue',
    ergotherapeute: 'ergothérapeute',
    psychomotricien: 'psychomotricien',
    kinesitherapeute: 'masseur-kinésithérapeute',
    animateur: 'animateur',
    accompagnant_educatif: 'accompagnant éducatif et social',
    cadre_de_sante: 'cadre de santé',
    direction: 'direction de l’établissement',
    autre: 'autre professionnel (précisez la fonction)',
  },
  'libertyAnnex.residentOpinion.expression': LIBERTY_OPINION,
  'libertyAnnex.representativeOpinion.expression': LIBERTY_OPINION,
  'libertyAnnex.revision.initiative': {
    resident: 'la personne accueillie',
    directeur: 'le directeur de l’établissement',
    medecin_coordonnateur: 'le médecin coordonnateur',
    medecin_traitant: 'le médecin traitant, à défaut de médecin coordonnateur',
    personne_de_confiance: 'la personne de confiance (sur sa proposition)',
  },
  'tariffChange.basis': {
    // The basis of the hébergement price; the dependency price is the département's arrêté whatever the basis (CASF L.314-2, R.314-172 et suivants).
    revalorisation_annuelle: 'revalorisation annuelle du prix de l’hébergement, places non habilitées à l’aide sociale (CASF L.342-3)',
    arrete_departemental: 'prix de l’hébergement arrêté par le président du conseil départemental, places habilitées (CASF L.314-1)',
  },
  'tariffChange.yearBase.from': {
    fin_annee: 'prix en vigueur au 31 décembre de l’année précédente',
    signature: 'prix fixé à la signature du contrat, signé dans l’année',
  },
};

/** `participation.others[2].name` → `participation.others.name`. */
export function labelPath(path: string): string {
  return path.replace(/\[\d+\]/g, '').replace(/^document\./, '');
}

/** The French label of a document data field (any index stripped); the path itself when none is known. */
export function inputFieldLabel(documentType: string, path: string): string {
  const p = labelPath(path);
  const own = BY_TYPE[documentType]?.[p] ?? LABELS[p];
  if (own) return own;
  // The easy-to-read counterpart of a text (`objectivesFalc`): the text's label, « en facile à lire ».
  if (p.endsWith('Falc')) {
    const twin = BY_TYPE[documentType]?.[p.slice(0, -4)] ?? LABELS[p.slice(0, -4)];
    if (twin) return `${twin}, en facile à lire`;
  }
  return p;
}

export function hasInputFieldLabel(documentType: string, path: string): boolean {
  const p = labelPath(path);
  return !!(BY_TYPE[documentType]?.[p] ?? LABELS[p]);
}

/** The label of one item of a list field (« Objectif »), for « Objectif 2 ». */
export function inputItemLabel(documentType: string, path: string): string {
  const p = labelPath(path);
  return ITEM_LABELS[p] ?? 'Élément';
}

/**
 * One numbered item of a list field, as a person reads it: « Objectif 2 »; an item of the
 * easy-to-read counterpart of a list is named after the item it rewrites, « Objectif 2, en facile
 * à lire » (was « Élément 2 »).
 */
export function inputItemName(documentType: string, path: string, index: number): string {
  const p = labelPath(path);
  if (!ITEM_LABELS[p] && p.endsWith('Falc') && ITEM_LABELS[p.slice(0, -4)]) return `${ITEM_LABELS[p.slice(0, -4)]} ${index + 1}, en facile à lire`;
  return `${inputItemLabel(documentType, p)} ${index + 1}`;
}

/**
 * A field of the document data named in a validation message, where the document type is not
 * known: its French label (`document.signing.mode` → « Mode de signature »); the key itself
 * outside the document data or when the table has none.
 */
export function fieldNameForMessage(path: string): string {
  const key = (path.split('.').pop() ?? path).replace(/\[\d+\]/g, '');
  if (!path.startsWith('document.')) return key;
  const label = inputFieldLabel('', path);
  return label === labelPath(path) ? key : label;
}

/** The French name of an enum value of a field; the value itself when the table has none (values already in French). */
/**
 * Hints that replace a published schema's `description` where it names raw codes people never see
 * (« liberte-aller-venir »): the form's hint, in the words of the choices (ENUM_LABELS). Keyed like
 * ENUM_LABELS; the published template is left as it is.
 */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  // Avenant 1.12.0's description names « revalorisation_annuelle », « arrete_departemental » and `yearBase`.
  'tariffChange.basis':
    'Places non habilitées à l’aide sociale : revalorisation annuelle du prix de l’hébergement, dans la limite du pourcentage fixé chaque année par arrêté ministériel (CASF L.342-3). Places habilitées : prix de l’hébergement arrêté par le président du conseil départemental (CASF L.314-1). Le tarif dépendance n’en relève pas : il est arrêté par le président du conseil départemental (CASF L.314-2 et R.314-172 et suivants).',
  'tariffChange.percentage':
    'Taux annuel de revalorisation du prix de l’hébergement (au plus le pourcentage de l’arrêté ministériel, CASF L.342-3), mesuré par rapport au prix en vigueur au 31 décembre de l’année précédente, ou au prix fixé à la signature pour un contrat signé dans l’année ; plusieurs hausses la même année ne dépassent pas, ensemble, ce taux.',
  purpose:
    'Accompagnement : les objectifs et prestations adaptés à la personne (précisés par un avenant dans le délai maximum de six mois, leur définition réactualisée chaque année, CASF D.311, V). Tarifs : les nouveaux prix de journée (hébergement : CASF L.342-3 ou L.314-1 ; dépendance : arrêté du président du conseil départemental, CASF L.314-2 et R.314-172 et suivants). Annexe sur la sécurité et la liberté d’aller et venir : les mesures particulières prises pour la personne, dans un établissement pour personnes âgées (CASF L.311-4-1 I).',
};

/** The form's hint for a field when the schema's description is not written for people; undefined to keep it. */
export function inputFieldHint(path: string): string | undefined {
  const p = labelPath(path);
  return Object.prototype.hasOwnProperty.call(FIELD_HINTS, p) ? FIELD_HINTS[p] : undefined;
}

export function inputEnumLabel(path: string, value: unknown): string {
  const table = ENUM_LABELS[labelPath(path)];
  const key = String(value);
  return table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
}

export function hasInputEnumLabel(path: string, value: unknown): boolean {
  const table = ENUM_LABELS[labelPath(path)];
  return !!table && Object.prototype.hasOwnProperty.call(table, String(value));
}
