import type { DocumentType } from '@carepact/documents';
import type { VNode } from 'preact';
import { Data, FormSchema, RenderContext, memberKeys, renderMembers } from './schema-form';

/**
 * The projet personnalisé (and its avenants: the same type, a new version) and the compte rendu
 * de réunion de synthèse are written during or right after a meeting: their editors follow the
 * meeting's order instead of the schema's (issue 10, item 5). They post the same fields as the
 * generated form (the data paths), so the template input, the validation by DocumentsService and
 * the API's French errors beside each field stay those of the API; only the arrangement, the
 * explanations and the words of the buttons differ. A member of the schema that no step names
 * (a later template version) is still drawn, under « Autres informations », so nothing is lost.
 */

interface Step {
  id: string;
  title: string;
  /** Why this step, with its source in the law or the recommendations. */
  intro: string;
  members: string[];
}

export interface MeetingEditor {
  /** The heading above the steps. */
  lead: string;
  steps: Step[];
  addLabels: Record<string, string>;
}

/** CASF L.311-3 7° (the person's participation in the design and implementation of the projet); its review at least yearly and at each change of situation: ANESM recommendations of December 2008 (not CASF D.311 nor D.311-38). */
const PROJET: MeetingEditor = {
  lead: 'Le projet se construit avec la personne : notez ses attentes dans ses mots, puis ce qui a été décidé ensemble.',
  steps: [
    {
      id: 'etape-projet',
      title: 'Le projet',
      intro: 'Le référent suit le projet avec la personne ; le projet est revu au moins une fois par an et à chaque changement de situation (recommandations de l’ANESM, décembre 2008) ; la personne participe à sa conception et à sa mise en œuvre (CASF L.311-3 7°).',
      members: ['issuedOn', 'referent', 'nextReview'],
    },
    {
      id: 'etape-attentes',
      title: 'Les attentes de la personne, dans ses mots',
      intro:
        'Écrivez ses mots tels qu’elle les a dits (ou la transcription d’une réponse non verbale), sans les reformuler ; dites qui les a recueillis, comment et quand. Les avis du représentant et des proches restent à part (recommandation ANESM/HAS, décembre 2008).',
      members: ['expectations', 'representativeView', 'relativesView'],
    },
    {
      id: 'etape-evaluation',
      title: 'L’évaluation de la situation',
      intro: 'Par domaine de vie, seulement ce qui est utile au projet.',
      members: ['assessment'],
    },
    {
      id: 'etape-objectifs',
      title: 'Objectifs et actions',
      intro: 'Pour chaque objectif : les actions, qui s’en charge, pour quand, et comment on saura qu’il est atteint.',
      members: ['objectives'],
    },
    {
      id: 'etape-accord',
      title: 'L’accord de la personne',
      intro:
        'Son expression sur le projet (accord, accord partiel, désaccord, ne se prononce pas, ne peut pas s’exprimer), les points d’accord, et pour chaque désaccord la réponse motivée de l’établissement (CASF L.311-3 3° et 7°).',
      // personSigns: projet up to 1.6.0 only (dropped in 1.7.0; a member the template lacks is not shown).
      members: ['expression', 'expressionComment', 'agreements', 'disagreements', 'partialAgreementAnswer', 'personComments', 'personSigns'],
    },
    {
      id: 'etape-participants',
      title: 'Qui a participé',
      intro: 'Chaque personne qui a pris part à l’élaboration du projet, à quel titre, et si elle était présente : la personne elle-même d’abord (CASF L.311-3 7°).',
      members: ['participants'],
    },
  ],
  addLabels: {
    expectations: 'Ajouter une attente',
    assessment: 'Ajouter un domaine',
    objectives: 'Ajouter un objectif',
    'objectives.actions': 'Ajouter une action',
    agreements: 'Ajouter un point d’accord',
    agreementsFalc: 'Ajouter un point d’accord en facile à lire',
    disagreements: 'Ajouter un désaccord',
    participants: 'Ajouter un participant',
  },
};

/** No statutory model: the minimum of DOMAIN.md (date, place, kind, participants, expression, decisions, requests, appeal, next review, distribution). */
const COMPTE_RENDU: MeetingEditor = {
  lead: 'Le compte rendu suit la réunion : qui était là, ce que la personne a dit, ce qui a été décidé, la réponse à chaque demande.',
  steps: [
    {
      id: 'etape-reunion',
      title: 'La réunion',
      intro: 'Quand, où, et de quelle réunion il s’agit (admission, bilan à six mois, réunion annuelle ou exceptionnelle).',
      members: ['date', 'place', 'kind', 'issuedOn'],
    },
    {
      id: 'etape-participants',
      title: 'Participants',
      intro: 'Chaque personne avec sa fonction ou son lien et sa présence ; pour la personne absente ou présente en partie, dites pourquoi.',
      members: ['participants'],
    },
    {
      id: 'etape-parole',
      title: 'La parole de la personne',
      intro: 'Ce qu’elle a exprimé et les moyens utilisés (facile à lire, pictogrammes, interprète) ; une synthèse courte de la situation, limitée au nécessaire (RGPD art. 5.1 c).',
      members: ['personExpression', 'expressionMeans', 'situationSummary'],
    },
    {
      id: 'etape-decisions',
      title: 'Décisions',
      intro: 'Chaque décision, qui l’a annoncée à la personne et comment.',
      members: ['decisions'],
    },
    {
      id: 'etape-demandes',
      title: 'Demandes de la personne ou de sa famille',
      intro: 'Pour chaque demande, la réponse de l’établissement : acceptée (responsable et échéance), refusée (motif) ou reportée (motif et date de réexamen).',
      members: ['requests'],
    },
    {
      id: 'etape-desaccords',
      title: 'Désaccords et recours',
      intro: 'Les points de désaccord et comment les contester : personne qualifiée, médiation (CASF L.311-5).',
      members: ['disagreements', 'appeal'],
    },
    {
      id: 'etape-suite',
      title: 'La suite',
      intro:
        'La prochaine révision, dans les douze mois : le projet est révisé au moins une fois par an (recommandations de l’ANESM, décembre 2008), comme la définition des objectifs et des prestations du contrat ou du DIPC, réactualisée chaque année (CASF D.311, V). Puis qui reçoit le compte rendu : l’information donnée avant le partage au sein de l’équipe de soins et toute opposition (CSP L.1110-4 III et IV, R.1110-3) ; pour chaque destinataire hors de l’équipe, le consentement préalable et ce qui a été dit avant lui (CSP L.1110-4 III, D.1110-3-1). La personne en reçoit une version accessible.',
      members: ['nextReview', 'distribution', 'sharing', 'recipients'],
    },
  ],
  addLabels: {
    participants: 'Ajouter un participant',
    expressionMeans: 'Ajouter un moyen',
    expressionMeansFalc: 'Ajouter un moyen en facile à lire',
    decisions: 'Ajouter une décision',
    requests: 'Ajouter une demande',
    disagreements: 'Ajouter un désaccord',
    disagreementsFalc: 'Ajouter un désaccord en facile à lire',
    distribution: 'Ajouter un destinataire',
    distributionFalc: 'Ajouter un destinataire en facile à lire',
    recipients: 'Ajouter un destinataire',
  },
};

/** The avenant that formalises the projet personnalisé within the contract (CASF D.311, V: within six months at most; the objectives and prestations réactualisés each year). */
const AVENANT: MeetingEditor = {
  lead: 'L’avenant reprend les objectifs du projet personnalisé et les prestations qui en découlent ; la personne, ou son représentant, y est associée (CASF L.311-4).',
  steps: [
    {
      id: 'etape-avenant',
      title: 'L’avenant',
      intro:
        'Son objet (accompagnement, tarifs, ou annexe sur la liberté d’aller et venir), sa nature (avenant à six mois, réactualisation annuelle : CASF D.311, V ; annexe initiale…), le document qu’il complète et la prochaine révision.',
      members: ['purpose', 'kind', 'appliesTo', 'contractSignedOn', 'issuedOn', 'nextReview'],
    },
    {
      id: 'etape-tarifs',
      title: 'Nouveaux tarifs (avenant tarifaire seulement)',
      intro:
        // Avenant 1.12.0: the basis is the hébergement price's (L.342-3, or L.314-1); the dependency price is the département's arrêté (L.314-2, R.314-172 et suivants).
        'Pour un avenant dont l’objet est « tarifs » : la date d’effet, le fondement du prix de l’hébergement (revalorisation annuelle des places non habilitées à l’aide sociale, CASF L.342-3, ou prix arrêté par le président du conseil départemental pour les places habilitées, CASF L.314-1) et les nouveaux prix par jour. Le tarif dépendance est arrêté par le président du conseil départemental pour toutes les places (CASF L.314-2 et R.314-172 et suivants). Pour tous les résidents à la fois, utilisez « Générations groupées ».',
      members: ['tariffChange'],
    },
    {
      id: 'etape-liberte',
      title: 'Sécurité et liberté d’aller et venir (annexe au contrat de séjour seulement)',
      intro:
        'Dans un établissement pour personnes âgées, pour l’annexe au contrat de séjour : l’examen de la personne, la procédure collégiale engagée par le médecin coordonnateur (ou, s’il est empêché, le médecin traitant) avec l’équipe médico-sociale, l’avis de la personne et, à part, celui de son représentant, puis chaque mesure : le risque, pourquoi elle est strictement nécessaire et non disproportionnée, les autres solutions envisagées et sa durée (CASF L.311-4-1 I). La prochaine révision est la réévaluation des mesures, six mois au plus après la procédure collégiale (règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment).',
      members: ['libertyAnnex'],
    },
    {
      id: 'etape-objectifs',
      title: 'Objectifs et actions',
      intro: 'Pour chaque objectif : les actions, qui s’en charge, pour quand, et comment on saura qu’il est atteint.',
      members: ['objectives'],
    },
    { id: 'etape-prestations', title: 'Prestations', intro: 'Les prestations adaptées à ces objectifs.', members: ['services'] },
    {
      id: 'etape-participants',
      title: 'Qui a participé',
      intro: 'La personne, ou son représentant, est associée à l’élaboration (CASF L.311-4) ; sous représentation, son accord pour vivre dans l’établissement (C. civ. 459-2).',
      members: ['participation', 'residenceChoice'],
    },
    { id: 'etape-parole', title: 'Les mots de la personne', intro: 'Ses commentaires sur l’avenant, dans ses mots.', members: ['personComments'] },
  ],
  addLabels: {
    objectives: 'Ajouter un objectif',
    'objectives.actions': 'Ajouter une action',
    services: 'Ajouter une prestation',
    servicesFalc: 'Ajouter une prestation en facile à lire',
    'participation.others': 'Ajouter un participant',
    'libertyAnnex.collegialProcedure.team': 'Ajouter un professionnel',
    'libertyAnnex.measures': 'Ajouter une mesure',
  },
};

const EDITORS: Partial<Record<DocumentType, MeetingEditor>> = {
  'projet-personnalise': PROJET,
  'compte-rendu-synthese': COMPTE_RENDU,
  avenant: AVENANT,
};

/**
 * The data of an earlier version, in the shape of the template in force: projet personnalisé 1.3.0
 * names each participant with their capacity and presence (CASF L.311-3 7°) where 1.2.0 had one
 * line each; a line becomes the participant's name, and staff complete the rest (the validation
 * says what is missing). Anything else is carried over as it is.
 */
export function carriedOver(type: DocumentType, data: Data): Data {
  // Compte rendu 1.4.0 names each recipient with the footing of the sharing (CSP L.1110-4 III) where
  // 1.3.0 had a list of names: each name becomes a recipient, the rest (function, team or not,
  // consent) to complete; the information on sharing is asked again, for these minutes.
  if (type === 'compte-rendu-synthese' && Array.isArray(data.distribution) && data.recipients === undefined) {
    const { distribution, distributionFalc: _falc, ...rest } = data;
    return { ...rest, recipients: distribution.filter((d): d is string => typeof d === 'string').map((name) => ({ name })) };
  }
  if (type !== 'projet-personnalise') return data;
  // Projet 1.7.0 drops « La personne signe elle-même » (without effect since 1.4.0: the signature policy always draws the
  // person's optional place under representation or for a minor, C. civ. 371-1 al. 4, 457-1, 459): not carried over.
  const { personSigns: _personSigns, ...kept } = data;
  if (!Array.isArray(kept.participants)) return kept;
  return { ...kept, participants: kept.participants.map((p) => (typeof p === 'string' ? { name: p } : p)) };
}

export function meetingEditorOf(type: DocumentType): MeetingEditor | undefined {
  return EDITORS[type];
}

/** The editor's steps, each a section with its heading (h2), its explanation and its fields. */
export function renderMeetingEditor(editor: MeetingEditor, fs: FormSchema, data: Data, ctx: RenderContext): VNode[] {
  const inner: RenderContext = { ...ctx, addLabel: (p) => editor.addLabels[p] };
  const placed = new Set(editor.steps.flatMap((s) => s.members.flatMap((m) => [m, `${m}Falc`])));
  const others = memberKeys(fs).filter((k) => !placed.has(k));
  const steps = [...editor.steps, ...(others.length ? [{ id: 'etape-autres', title: 'Autres informations', intro: 'Les autres données du modèle de document.', members: others }] : [])];
  return steps
    .map((step) => ({ step, fields: renderMembers(fs, step.members, data, inner) }))
    .filter((x) => x.fields.length)
    .map(({ step, fields }, i) => (
      <section class="meeting-step" aria-labelledby={`${step.id}-titre`} key={step.id}>
        <h3 id={`${step.id}-titre`}>
          {i + 1}. {step.title}
        </h3>
        <p class="hint">{step.intro}</p>
        {fields}
      </section>
    ));
}
