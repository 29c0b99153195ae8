import { Injectable } from '@nestjs/common';
import { MEASURE_TYPE_LABELS, calendarDayIn, documentTypeLabel, formatDateFr, formatDateTimeFr, ofName } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { EntityManager } from 'typeorm';
import { archivedResidents, contractNotApplicableReason, deceasedDraftsIn, generationErrorOf, GENERATION_RETRIES_EXHAUSTED } from '@carepact/documents';
import { IdentityRepository, Permission, StaffActor, establishmentsWith } from '@carepact/identity';
import { ResidentsService, addMonthsIso, applicableMeasure, isMinor, todayIso } from '@carepact/residents';
import { LEGAL_DELAYS, addDaysIso, contractHandoverDay, contractSignatureDay, firstAvenantDay } from '../requests/legal-deadlines';
import { handoverRecipients, lastSignatureAt } from '../requests/request-views.service';
import { ActiveRequestRow, SigningRepository } from '../requests/signing.repository';
import { countersignatureDue, isOptionalCountersigner, isTurnOf } from '../requests/whose-turn';
import { failedSealOf, sealFailureReason } from '../requests/seal-failure';
import { HandoverRow, InboxRow, OpenAccessRequestRow, ResidentDeadlineRow, ResidentWindow, ReviewRow, WorklistRepository } from './worklist.repository';
import { DocumentVisaService } from '../visa/document-visa.service';
import { judgeDecided, residenceDisagreement } from '../policy/residence-dispute';
import { declinedCountersignature } from '../policy/consent-sentence';
import { soleSignatureLaw } from '../policy/sole-signature-law';
import { SOLE_SIGNATURE_MEASURE_CHANGED, SOLE_SIGNATURE_OTHER_VERSION } from '../policy/sole-signature';
import { soleSignatureForDecision } from '../sole-signature/sole-signature.service';

/** The kinds of things to do, in the order the page shows them (those with overdue items first). */
export const WORKLIST_CATEGORIES = [
  'seal_failed',
  'countersign_due',
  'visa_due',
  'residence_dispute',
  'refusal',
  'question',
  'access_request',
  'missing_contract',
  'contract_late',
  'awaiting_signer',
  'handover_due',
  'measure_expiring',
  'avenant_due',
  'liberty_review',
  'avenant_review',
  'review_due',
  'generation_failed',
  'deceased_draft',
] as const;
export type WorklistCategory = (typeof WORKLIST_CATEGORIES)[number];

/**
 * How far ahead things due are listed (days). The law sets the deadlines (legal-deadlines.ts); how
 * early staff want to see them coming is the establishment's habit: these are defaults.
 */
export const WORKLIST_HORIZONS = {
  /** A contract's next deadline (handover at 15 days, signature at one month). */
  contractDays: 15,
  /** The first avenant (six months after admission). */
  avenantDays: 60,
  /** The projet personnalisé's first formalisation and its yearly review; the accompaniment avenant's yearly « réactualisation ». */
  reviewDays: 60,
  /** The re-evaluation of the annex on the freedom to come and go (every six months at most). */
  libertyReviewDays: 30,
  /** A protection measure's end (issue 10: within 90 days, or already past). */
  measureDays: 90,
} as const;

/** Items shown per section (the count says how many there are in all). */
export const WORKLIST_ITEMS_SHOWN = 50;

/** A date of an item: a calendar day (`YYYY-MM-DD`) or an instant (ISO 8601 with time). */
export interface WorklistDate {
  label: string;
  value: string;
}

export interface WorklistItem {
  category: WorklistCategory;
  /** Unique within the worklist (category and record id). */
  key: string;
  residentId: string;
  residentName: string;
  /** What is to be done, in French. */
  title: string;
  /** More about it (who, why), in French; no care details beyond what the file's readers see. */
  detail: string | null;
  /** The day that orders the list (the deadline, or when it started); null when there is none. */
  dueDay: string | null;
  overdue: boolean;
  dates: WorklistDate[];
  /** Where to do it in the console. */
  href: string;
  documentId: string | null;
  requestId: string | null;
  /** A refusal: what was refused, which says what follows (REFUSAL_NOTES). */
  refused?: RefusalKind;
}

export interface WorklistSection {
  category: WorklistCategory;
  title: string;
  /** The rule behind it (article), shown under the heading. */
  basis: string;
  /** When the rule depends on the kind of item and the section holds several kinds: one rule each, listed under `basis`. */
  notes: string[];
  total: number;
  overdue: number;
  items: WorklistItem[];
}

export interface EstablishmentWorklist {
  establishmentId: string;
  name: string;
  total: number;
  overdue: number;
  sections: WorklistSection[];
}

export interface Worklist {
  today: string;
  establishments: EstablishmentWorklist[];
}

const SECTIONS: Record<WorklistCategory, { title: string; basis: string; permission: Permission }> = {
  seal_failed: {
    title: 'Scellements échoués',
    basis: 'Toutes les signatures sont recueillies mais le document signé n’a pas pu être scellé : corrigez la cause, puis relancez le scellement.',
    permission: 'signature.manage',
  },
  countersign_due: {
    // Not « Contresignatures »: the DIPC (and an avenant to it) is « établi et signé par le directeur »
    // (CASF D.311 II, VII), its signature is no countersignature; the contract's, the establishment's last one, is.
    title: 'Signatures de l’établissement attendues',
    basis:
      'Contrat, avenant : toutes les personnes ont signé, il reste la signature de l’établissement. DIPC : la signature de la direction l’établit ; la personne ou son représentant peuvent le contresigner ensuite, sans obligation (CASF D.311 II).',
    permission: 'signature.manage',
  },
  visa_due: {
    title: 'Visas internes à donner',
    basis: 'L’établissement demande votre visa avant l’envoi en signature de ces documents.',
    permission: 'document.read',
  },
  residence_dispute: {
    title: 'Désaccords sur le lieu de vie : le juge doit statuer',
    basis:
      'La personne n’est pas d’accord pour vivre dans l’établissement : le choix lui appartient, le juge (ou le conseil de famille) statue en cas de désaccord, et personne ne signe avant (C. civ. 459-2).',
    permission: 'signature.manage',
  },
  refusal: {
    title: 'Refus de signer à traiter',
    // The section's items say each what follows (REFUSAL_NOTES): this is the heading's when they differ.
    basis: 'La suite d’un refus dépend de ce qui est refusé :',
    permission: 'signature.manage',
  },
  access_request: {
    title: 'Demandes d’accès aux informations à satisfaire',
    basis:
      'La personne ou son représentant : réponse dans le mois de la réception (RGPD, art. 12.3 et 15) ; pour ses informations de santé, dans les huit jours (deux mois pour celles de plus de cinq ans), et pas avant 48 heures : son paquet ne se télécharge qu’après (Code de la santé publique, art. L.1111-7). Après un décès, un ayant droit ou les parents d’un mineur : dans les huit jours, deux mois pour les informations de plus de cinq ans, et pas avant 48 heures (Code de la santé publique, art. L.1111-7). Seule la personne qui a enregistré la demande peut en télécharger le paquet.',
    permission: 'records.manage',
  },
  question: { title: 'Questions des signataires', basis: 'Une personne attend une réponse avant de signer.', permission: 'signature.manage' },
  missing_contract: {
    title: 'Contrats de séjour ou DIPC à établir',
    basis: 'Contrat remis dans les 15 jours et signé dans le mois qui suivent l’admission ; DIPC établi, signé par la direction et remis dans les 15 jours, sa contresignature étant facultative (CASF L.311-4, D.311).',
    permission: 'resident.read',
  },
  contract_late: {
    title: 'Contrats à remettre ou à faire signer',
    basis: 'Contrat : remise dans les 15 jours, signature dans le mois qui suivent l’admission. DIPC : établi, signé par la direction et remis dans les 15 jours (CASF L.311-4, D.311).',
    permission: 'resident.read',
  },
  awaiting_signer: { title: 'Signatures attendues', basis: 'Demandes de signature en cours, par signataire dont c’est le tour.', permission: 'signature.manage' },
  measure_expiring: {
    title: 'Mesures de protection à échéance',
    basis: 'Échues ou finissant dans les 90 jours : sans renouvellement, la mesure prend fin (C. civ. 441 à 443).',
    permission: 'resident.read',
  },
  handover_due: {
    title: 'Documents à remettre en main propre',
    basis:
      'Le document établi est remis à la personne et, le cas échéant, à son représentant légal (CASF D.311 III) : à qui n’a pas d’adresse e-mail, ou dont l’e-mail n’a pas pu être remis, remettez-le en main propre, puis enregistrez la remise sur la page du document.',
    permission: 'signature.manage',
  },
  liberty_review: {
    title: 'Annexes liberté d’aller et venir à réévaluer',
    basis:
      'Les mesures particulières de l’annexe au contrat de séjour sont réévaluées selon la même procédure collégiale, au plus tard à la date fixée par l’annexe : l’établissement réévalue cette annexe au plus tard six mois après la procédure (règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment). La nouvelle annexe signée remplace la précédente.',
    permission: 'resident.read',
  },
  avenant_review: {
    title: 'Avenants à réactualiser',
    basis: 'Chaque année, les objectifs et les prestations de l’avenant sont réactualisés, au plus tard à la date qu’il fixe (CASF D.311).',
    permission: 'resident.read',
  },
  avenant_due: {
    title: 'Premiers avenants à conclure',
    basis: 'Un avenant fixe les objectifs et les prestations dans les six mois de l’admission (CASF D.311).',
    permission: 'resident.read',
  },
  review_due: {
    title: 'Projets personnalisés à formaliser ou à réviser',
    basis: 'Formalisé dans les six mois, révisé au moins chaque année (CASF L.311-3 7°, D.311 ; recommandation ANESM 2008).',
    permission: 'resident.read',
  },
  generation_failed: { title: 'Générations échouées', basis: 'Le document n’a pas pu être produit : relancez ou corrigez-le.', permission: 'document.write' },
  deceased_draft: {
    title: 'Projets d’une personne décédée, à abandonner',
    basis:
      'La personne est décédée : ces projets, jamais envoyés en signature, ne peuvent plus l’être, ni être corrigés ou générés à nouveau (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur). Abandonnez-les depuis leur page : ils restent consultables dans le dossier.',
    permission: 'document.write',
  },
};

/**
 * What was refused: the contract by the person or her legal representative, another document, or
 * the assistance of the person who assists her (a curateur, a personne habilitée in assistance:
 * assistance-refusal.ts); or nothing at all: a signer whose signature was optional declined to give
 * it (`optional`: the request goes on without it).
 */
export const REFUSAL_KINDS = ['contract', 'document', 'assistance', 'optional'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/**
 * What each kind of refusal calls for, the note of « Refus de signer à traiter » (only the kinds it
 * holds): the DIPC replaces a refused contract (CASF D.311), never a refused assistance, after which
 * the person may ask the judge for the authorisation to sign alone (C. civ. 469 al. 3; under an
 * habilitation familiale the judge settles the difficulty, C. civ. 494-1 al. 1 and 494-10).
 */
export const REFUSAL_NOTES: Record<RefusalKind, string> = {
  contract: 'Contrat de séjour refusé par la personne ou son représentant légal : un DIPC est établi à sa place (CASF D.311).',
  document: 'Autre document refusé : voyez avec la personne ce qui doit changer ; il se corrige par une nouvelle version, envoyée à nouveau à la signature.',
  assistance:
    'Assistance refusée par le curateur (ou la personne habilitée) : ce n’est pas un refus du document et aucun DIPC n’est à établir ; la personne peut demander au juge l’autorisation de signer seule (C. civ. 469 al. 3 ; sous habilitation familiale, le juge statue sur la difficulté, C. civ. 494-1 al. 1 et 494-10).',
  optional: 'Signature facultative refusée : la demande se poursuit sans elle ; ce n’est pas un refus du document, et aucun DIPC n’est à établir (CASF D.311).',
};

/** The document's name (@carepact/common documentTypeLabel): an avenant by what it amends (`subtype`, documents.subtype). */
const label = (type: string, subtype: string | null): string => documentTypeLabel(type, subtype)?.short ?? type;
/** « du contrat de séjour », « de l’avenant au document individuel de prise en charge (DIPC) ». */
const ofThe = (type: string, subtype: string | null): string => {
  const the = documentTypeLabel(type, subtype)?.the ?? `le ${type}`;
  return the.startsWith('le ') ? `du ${the.slice(3)}` : `de ${the}`;
};
/** « sur le contrat de séjour », « sur l’avenant … ». */
const theOf = (type: string, subtype: string | null): string => documentTypeLabel(type, subtype)?.the ?? `le ${type}`;
/** « refusé », « refusée » for the annex. */
const refusedWord = (subtype: string | null): string => (subtype === 'annexe-liberte-aller-venir' ? 'refusée' : 'refusé');
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const residentHref = (id: string): string => `/console/residents/${id}`;
const documentHref = (id: string): string => `/console/documents/${id}`;

/**
 * « À faire »: what staff have to do, per establishment, overdue first, each with its dates and
 * where to do it. Every part is scoped to the establishments where the actor holds the permission
 * it needs, and always to `resident.read` (each item names a resident): an auditor, who reads the
 * audit log and never the care details (PERMISSIONS), gets an empty worklist.
 */
@Injectable()
export class WorklistService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: WorklistRepository,
    private readonly signing: SigningRepository,
    private readonly identity: IdentityRepository,
    private readonly visas: DocumentVisaService,
    private readonly residents: ResidentsService,
  ) {}

  /** Whether the actor has a worklist at all (roles that work on residents' files). */
  static hasWorklist(actor: StaffActor): boolean {
    return establishmentsWith(actor, 'resident.read').length > 0;
  }

  async forActor(actor: StaffActor, now = new Date()): Promise<Worklist> {
    const today = todayIso(now);
    const residentReaders = new Set(establishmentsWith(actor, 'resident.read'));
    const scope = (p: Permission) => establishmentsWith(actor, p).filter((id) => residentReaders.has(id));
    const em = this.tx.manager;
    const org = actor.organisationId;
    const reviewUntil = addDaysIso(today, Math.max(WORKLIST_HORIZONS.libertyReviewDays, WORKLIST_HORIZONS.reviewDays));
    // The SQL's bound for the yearly « réactualisation » (three days of slack for the months' lengths).
    const yearlyFrom = addDaysIso(addMonthsIso(addDaysIso(today, WORKLIST_HORIZONS.reviewDays), -LEGAL_DELAYS.projetReviewMonths), 3);
    const [establishments, residents, measures, requests, refusals, questions, failed, visas, disagreements, reviews, handovers, accessRequests] = await Promise.all([
      this.identity.establishmentsByIds(em, org, [...residentReaders]),
      this.repo.residentDeadlines(em, org, scope(SECTIONS.missing_contract.permission), today, residentWindow(today)),
      this.repo.measuresEnding(em, org, scope(SECTIONS.measure_expiring.permission), today, addDaysIso(today, WORKLIST_HORIZONS.measureDays)),
      this.signing.activeRequests(em, org, scope(SECTIONS.awaiting_signer.permission)),
      this.repo.refusals(em, org, scope(SECTIONS.refusal.permission)),
      this.repo.questions(em, org, scope(SECTIONS.question.permission)),
      this.repo.failedGenerations(em, org, scope(SECTIONS.generation_failed.permission)),
      // Only the visas the actor may give (the role named by the establishment's rule, or director).
      this.visas.pending(em, actor, scope(SECTIONS.visa_due.permission)),
      this.repo.disagreements(em, org, scope(SECTIONS.residence_dispute.permission)),
      this.repo.reviews(em, org, scope(SECTIONS.liberty_review.permission), today, reviewUntil, yearlyFrom),
      this.repo.pendingHandovers(em, org, scope(SECTIONS.handover_due.permission)),
      this.repo.openAccessRequests(em, org, scope(SECTIONS.access_request.permission)),
    ]);
    // A deceased person's drafts that are no longer sent nor generated again (C. civ. 443 al. 1,
    // resident-deceased.ts, the minutes of a meeting before the death excepted): never a visa to give
    // nor a generation to retry, only a draft to abandon (deceased_draft below).
    const deceasedDrafts = await deceasedDraftsIn(em, org, scope(SECTIONS.deceased_draft.permission));
    const abandoned = new Set(deceasedDrafts.map((x) => x.documentId));
    // The judge's authorisations recorded in answer to a refusal of assistance: still relied on, or set
    // aside (the measure changed since, SOLE_SIGNATURE_MEASURE_CHANGED…)? As the next sending would
    // decide (soleSignatureForDecision). One read each: few refusals carry one.
    const standing = new Map<string, Standing>();
    for (const x of refusals) if (x.soleSignature) standing.set(x.id, await this.standingOf(em, org, x, today));
    const categories = new Map(establishments.map((e) => [e.id, e.category]));
    const items: (WorklistItem & { establishmentId: string })[] = [];
    for (const r of residents) items.push(...residentItems(r, categories.get(r.establishmentId) ?? '', today));
    for (const m of measures) {
      const overdue = m.endDate < today;
      items.push({
        category: 'measure_expiring',
        key: `measure_expiring:${m.id}`,
        establishmentId: m.establishmentId,
        residentId: m.residentId,
        residentName: m.residentName,
        title: `${capital(MEASURE_TYPE_LABELS[m.type as keyof typeof MEASURE_TYPE_LABELS] ?? m.type)} : ${overdue ? 'échue' : 'arrive à échéance'}`,
        detail: 'Demandez le jugement de renouvellement ou de mainlevée et mettez le dossier à jour.',
        dueDay: m.endDate,
        overdue,
        dates: [{ label: overdue ? 'Échue le' : 'Prend fin le', value: m.endDate }],
        href: residentHref(m.residentId),
        documentId: null,
        requestId: null,
      });
    }
    // C. civ. 459-2: a disagreement on a residence act not yet decided by the judge blocks every
    // signature of the request (residence-dispute.ts): its signers are not « awaited ».
    const blocked = new Set<string>();
    for (const x of disagreements) {
      if (blocked.has(x.requestId) || residenceDisagreement(x.policy, [{ key: x.viewKey, expression: 'desaccord' }]) === null || judgeDecided(x.versionInput)) continue;
      blocked.add(x.requestId);
      items.push({
        category: 'residence_dispute',
        key: `residence_dispute:${x.requestId}`,
        establishmentId: x.establishmentId,
        residentId: x.residentId,
        residentName: x.residentName,
        title: `${capital(label(x.documentType, x.documentSubtype))} : désaccord sur le lieu de vie`,
        detail: `Avis consigné${x.recordedBy ? ` par ${x.recordedBy}` : ''}. Le juge des contentieux de la protection (ou le conseil de famille) doit statuer ; sa décision sera citée dans une nouvelle version du document.`,
        dueDay: calendarDayIn(x.recordedAt),
        overdue: false,
        dates: [{ label: 'Avis consigné le', value: x.recordedAt.toISOString() }],
        href: `${documentHref(x.documentId)}#demande-${x.requestId}`,
        documentId: x.documentId,
        requestId: x.requestId,
      });
    }
    for (const r of requests) if (!blocked.has(r.id)) items.push(...requestItems(r, today));
    for (const x of refusals) {
      // A DIPC's countersignature declined (CASF D.311 II): information on the document page, nothing to handle.
      if (declinedCountersignature({ role: x.signerRole ?? '', optional: x.optional === true, status: 'refused' }, x.documentType)) continue;
      items.push({
        ...(x.optional
          ? // A signature that may be given, not required: declining it refuses nothing (portal-actions refuse: the request goes on).
            // The DIPC is due only when the person or her legal representative refuses the contract (CASF D.311 I; L.311-4).
            inboxItem(
              'refusal',
              x,
              `${capital(label(x.documentType, x.documentSubtype))} : signature facultative refusée`,
              `a refusé de signer ; sa signature était facultative : la demande se poursuit sans elle. Ce n’est pas un refus ${ofThe(x.documentType, x.documentSubtype)}${x.documentType === 'contrat-sejour' ? ', et aucun DIPC n’est à établir (CASF D.311)' : ''}.`,
              'Refusé le',
            )
          : x.assistance
          ? x.soleSignature && setAsideNow(standing.get(x.id))
            ? // The authorisation no longer applies (the measure changed, or no longer allows it): the next sending calls the
              // assistant the measure in effect names (C. civ. 469 al. 3: one act refused under one measure; sole-signature.ts).
              inboxItem('refusal', x, `${capital(label(x.documentType, x.documentSubtype))} : assistance refusée, autorisation du juge non retenue`, setAsideDetail(x, standing.get(x.id)!), 'Refusé le')
            : x.soleSignature
            ? // C. civ. 469 al. 3 (494-10 under an habilitation familiale): the judge authorised her to sign alone the version refused.
              inboxItem(
                'refusal',
                x,
                `${capital(label(x.documentType, x.documentSubtype))} : assistance refusée, autorisation du juge enregistrée`,
                x.soleSignature.documentReady
                  ? `a refusé son assistance ; le juge a autorisé la personne à signer seule (${soleSignatureLaw(x.assistantMeasure).cite}). Prochaine étape : Envoyer à la signature (la personne signe seule).`
                  : x.soleSignature.otherVersion
                    ? `a refusé son assistance ; le juge a autorisé la personne à signer seule la version refusée (${soleSignatureLaw(x.assistantMeasure).cite}). Le document a une nouvelle version depuis : elle va de nouveau à la personne et à ${soleSignatureLaw(x.assistantMeasure).herAssistant}. Marquez le refus comme traité.`
                    : `a refusé son assistance ; le juge a autorisé la personne à signer seule (${soleSignatureLaw(x.assistantMeasure).cite}), et le document lui est envoyé. Marquez le refus comme traité.`,
                'Refusé le',
              )
            : inboxItem(
                'refusal',
                x,
                `${capital(label(x.documentType, x.documentSubtype))} : assistance refusée`,
                x.assistantMeasure === 'habilitation_familiale'
                  ? `a refusé son assistance. La personne peut saisir le juge, qui statue sur cette difficulté (${soleSignatureLaw(x.assistantMeasure).basis}) ; ce n’est pas un refus du document.`
                  : 'a refusé son assistance. La personne peut demander au juge l’autorisation de signer seule (C. civ. 469) ; ce n’est pas un refus du document.',
                'Refusé le',
              )
          : // A required signer refused: the person, or her legal representative deciding for her. A contract so refused gives way
            // to the DIPC (CASF D.311 I: « lorsque la personne accueillie ou son représentant légal refuse la signature dudit contrat »).
            inboxItem('refusal', x, `${capital(label(x.documentType, x.documentSubtype))} ${refusedWord(x.documentSubtype)}`, `a refusé de signer.${x.documentType === 'contrat-sejour' ? ' Un DIPC est à établir (CASF D.311).' : ''}`, 'Refusé le')),
        refused: x.optional ? 'optional' : x.assistance ? 'assistance' : x.documentType === 'contrat-sejour' ? 'contract' : 'document',
      });
    }
    for (const r of reviews) {
      const item = reviewItem(r, today);
      if (item) items.push(item);
    }
    for (const h of handovers) items.push(...handoverItems(h, today));
    for (const x of accessRequests) items.push(accessRequestItem(x, today));
    for (const x of questions) items.push(inboxItem('question', x, `Question sur ${theOf(x.documentType, x.documentSubtype)}`, 'attend une réponse.', 'Posée le'));
    for (const v of visas.filter((x) => !abandoned.has(x.documentId)))
      items.push({
        category: 'visa_due',
        key: `visa_due:${v.documentId}`,
        establishmentId: v.establishmentId,
        residentId: v.residentId,
        residentName: v.residentName,
        title: `${capital(label(v.type, v.subtype))} : visa demandé`,
        detail: `Relisez la version générée, puis accordez le visa ou refusez-le en disant ce qui est à corriger.`,
        dueDay: calendarDayIn(v.since),
        overdue: false,
        dates: [{ label: 'Généré le', value: v.since.toISOString() }],
        href: documentHref(v.documentId),
        documentId: v.documentId,
        requestId: null,
      });
    for (const f of failed.filter((x) => !abandoned.has(x.documentId))) {
      const error = generationErrorOf({ status: f.versionStatus ?? 'pending', errorCode: f.errorCode ?? GENERATION_RETRIES_EXHAUSTED });
      items.push({
        category: 'generation_failed',
        key: `generation_failed:${f.documentId}`,
        establishmentId: f.establishmentId,
        residentId: f.residentId,
        residentName: f.residentName,
        title: `${capital(label(f.documentType, f.documentSubtype))} : génération échouée`,
        detail: error?.message ?? null,
        dueDay: calendarDayIn(f.since),
        overdue: false,
        dates: [{ label: 'Depuis le', value: f.since.toISOString() }],
        href: documentHref(f.documentId),
        documentId: f.documentId,
        requestId: null,
      });
    }
    for (const x of deceasedDrafts)
      items.push({
        category: 'deceased_draft',
        key: `deceased_draft:${x.documentId}`,
        establishmentId: x.establishmentId,
        residentId: x.residentId,
        residentName: x.residentName,
        title: `${capital(label(x.type, x.subtype))} : projet à abandonner`,
        detail: `${x.status === 'ready' ? 'Prêt, jamais envoyé en signature : il ne le sera plus.' : 'Sa génération a échoué : elle ne sera pas relancée.'} Ouvrez-le et choisissez « Abandonner ce projet ».`,
        dueDay: x.deceasedOn,
        overdue: false,
        dates: [{ label: 'Décès le', value: x.deceasedOn }],
        href: documentHref(x.documentId),
        documentId: x.documentId,
        requestId: null,
      });
    // A person in the intermediate archive (her departure plus the active-base delay: intermediate-archive.ts)
    // has nothing « à faire » any more, in any section: no new act is made for her (RESIDENT_ARCHIVED) and
    // her file answers only a specific need (CNIL délibérations n° 2021-028 and 2023-095, RGPD art. 5.1.e).
    // A departed person still in the active base keeps what is left to regularise (a refusal, a question, a handover).
    const archived = await archivedResidents(em, org, items.map((i) => i.residentId), now);
    // Except an access request: the person's right (RGPD art. 15) or her heirs' (CSP L.1110-4 V) is the specific need her archive is kept for.
    const current = archived.size ? items.filter((i) => i.category === 'access_request' || !archived.has(i.residentId)) : items;
    return { today, establishments: establishments.map((e) => byEstablishment(e.id, e.name, current.filter((i) => i.establishmentId === e.id))) };
  }

  /** Whether the authorisation recorded on a refused document still applies to the version that would be sent now. */
  private async standingOf(em: EntityManager, organisationId: string, x: InboxRow, today: string): Promise<Standing> {
    const resident = await this.residents.getForOrganisation(em, organisationId, x.residentId);
    if (!resident) return { code: null, message: null, measureType: null };
    const [doc] = (await em.query(
      `SELECT d.type, v.id AS version_id, v.number FROM documents d LEFT JOIN document_versions v ON v.id = d.current_version_id WHERE d.id = $1`,
      [x.documentId],
    )) as { type: string; version_id: string | null; number: number | null }[];
    const version = doc?.version_id ? { id: doc.version_id, number: doc.number ?? 0 } : null;
    const d = await soleSignatureForDecision(em, { id: x.documentId, type: (doc?.type ?? x.documentType) as never }, resident, version, today);
    return { code: d.setAsideCode ?? null, message: d.setAside, measureType: applicableMeasure(resident.protectionMeasures, today)?.type ?? null };
  }
}

/** Where a recorded authorisation stands now: set aside (its code and French message) or not (nulls), and the measure in effect. */
interface Standing {
  code: string | null;
  message: string | null;
  measureType: string | null;
}

/**
 * Set aside for another reason than a new version: a new version is the refusal item's own case (it
 * goes to the assistant again, `otherVersion`); a measure changed or no longer of assistance is this one.
 */
function setAsideNow(s: Standing | undefined): s is Standing & { code: string; message: string } {
  return !!s?.code && !!s.message && s.code !== SOLE_SIGNATURE_OTHER_VERSION;
}

/**
 * What is due once the judge's authorisation is set aside: the person signs with the assistant the
 * measure in effect names (a new judgment: SOLE_SIGNATURE_MEASURE_CHANGED), who may refuse again, and
 * the judge's new ordonnance is then recorded (C. civ. 469 al. 3; 494-10); or, under a measure that is
 * no longer one of assistance (SOLE_SIGNATURE_NOT_APPLICABLE), the signers that measure calls for.
 */
function setAsideDetail(x: InboxRow, s: Standing): string {
  const law = soleSignatureLaw(s.measureType);
  const next =
    s.code === SOLE_SIGNATURE_MEASURE_CHANGED
      ? `Prochaine étape : Envoyer à la signature (la personne signe avec ${law.herAssistant}) ; ${law.pronoun === 'il' ? 's’il' : 'si elle'} refuse de nouveau son assistance, enregistrez alors la nouvelle ordonnance du juge (${law.basis}).`
      : 'Prochaine étape : Envoyer à la signature, aux signataires que prévoit la mesure en vigueur.';
  return x.soleSignature?.documentReady ? `a refusé son assistance. ${s.message} ${next}` : `a refusé son assistance. ${s.message} Marquez le refus comme traité.`;
}

/** « en cours de génération », « prête à envoyer », « en signature »: a later avenant not signed yet. */
const UNDER_WAY: Record<string, string> = {
  generating: 'en cours de génération',
  ready: 'prête, à envoyer en signature',
  generation_failed: 'génération échouée',
  in_signature: 'en signature',
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The review of the latest signed avenant of a purpose, when due within the horizon:
 * - the annex on the freedom to come and go (CASF L.311-4-1 I): its measures are re-evaluated by the
 *   same collegial procedure at the latest on its `document.nextReview` (the template caps it at six
 *   months after the procedure, `reviewMaxMonths`: the establishment's own rule — L.311-4-1 I sets no
 *   period, the annex « peut être révisé à tout moment »; six months after the annex when it is missing);
 * - the accompaniment avenant (CASF D.311): « Chaque année, la définition des objectifs et des
 *   prestations est réactualisée » — a year after it, or its own `nextReview` when earlier.
 * The review is done when a later avenant of the same purpose is SIGNED: the annex or avenant in force
 * is the signed one (an annex to the contract binds once signed, L.311-4), so until then the item stays
 * — « en cours » with a link to the one under way — and is overdue past its day.
 */
function reviewItem(r: ReviewRow, today: string): (WorklistItem & { establishmentId: string }) | null {
  const liberty = r.purpose === 'liberte-aller-venir';
  const written = r.nextReview && ISO_DAY.test(r.nextReview) ? r.nextReview : null;
  const due = liberty
    ? (written ?? addMonthsIso(r.day, 6))
    : ((y) => (written && written < y ? written : y))(addMonthsIso(r.day, LEGAL_DELAYS.projetReviewMonths));
  const horizon = liberty ? WORKLIST_HORIZONS.libertyReviewDays : WORKLIST_HORIZONS.reviewDays;
  if (due > addDaysIso(today, horizon) || (r.plannedEndDate && r.plannedEndDate < due)) return null;
  const underWay = r.next ? ` Nouvelle version en cours (${UNDER_WAY[r.next.status] ?? r.next.status}) : elle remplace la précédente une fois signée.` : '';
  return {
    category: liberty ? 'liberty_review' : 'avenant_review',
    key: `${liberty ? 'liberty_review' : 'avenant_review'}:${r.documentId}`,
    establishmentId: r.establishmentId,
    residentId: r.residentId,
    residentName: r.residentName,
    title: liberty ? `Réévaluer l’annexe liberté d’aller et venir avant le ${formatDateFr(due)}` : `Réactualiser l’avenant (objectifs et prestations) avant le ${formatDateFr(due)}`,
    detail:
      (liberty
        ? 'Procédure collégiale (examen de la personne, équipe médico-sociale, avis de la personne), puis nouvelle annexe à signer.'
        : 'Objectifs et prestations revus avec la personne, puis nouvel avenant à signer.') + underWay,
    dueDay: due,
    overdue: today > due,
    dates: [
      { label: liberty ? 'Annexe du' : 'Avenant du', value: r.createdAt.toISOString() },
      { label: liberty ? 'À réévaluer avant le' : 'À réactualiser avant le', value: due },
    ],
    // The revision: the one under way, else the new-document form (an avenant, its purpose chosen
    // there). The annex's re-evaluation starts from the annex in force — the latest signed one
    // (CASF L.311-4-1 I) —, not from whichever avenant came last (a tariff, an accompaniment one);
    // the accompaniment avenant's réactualisation (CASF D.311) from the latest signed accompaniment one.
    href: r.next ? documentHref(r.next.id) : `/console/residents/${r.residentId}/documents/nouveau?type=avenant&objet=${liberty ? 'liberte-aller-venir' : 'accompagnement'}`,
    documentId: r.next?.id ?? r.documentId,
    requestId: null,
  };
}

/**
 * CASF D.311 III: the established document is « remis à chaque personne et, le cas échéant, à son
 * représentant légal ». Whoever the document page shows « À remettre en main propre »
 * (handoverRecipients: no e-mail address, or the e-mail failed; the person when she does not sign),
 * until the handover is recorded there. A DIPC is « remis … au plus tard dans les quinze jours qui
 * suivent l’admission » (D.311 III): due then, overdue after. Other documents have no deadline of
 * their own: due from the day they were established.
 */
function handoverItems(h: HandoverRow, today: string): (WorklistItem & { establishmentId: string })[] {
  const legal = h.documentType === 'dipc' ? contractHandoverDay(h.admissionDate) : null;
  return handoverRecipients(h as never, h.signers, h.events)
    .filter((x) => x.channel === 'in_hand' && !x.handedOver)
    .map((x) => ({
      category: 'handover_due' as const,
      key: `handover_due:${h.requestId}:${x.key}`,
      establishmentId: h.establishmentId,
      residentId: h.residentId,
      residentName: h.residentName,
      title: `${capital(label(h.documentType, h.documentSubtype))} : à remettre en main propre à ${x.name}`,
      detail: `${capital(x.capacity)}. ${x.emailFailed ? 'L’e-mail avec le document n’a pas pu être remis. ' : ''}Remettez le document établi, puis enregistrez la remise (date, comment) sur sa page.`,
      dueDay: legal ?? calendarDayIn(h.establishedAt),
      overdue: legal !== null && today > legal,
      dates: [{ label: 'Établi le', value: h.establishedAt.toISOString() }, ...(legal ? [{ label: 'À remettre avant le', value: legal }] : [])],
      href: `${documentHref(h.documentId)}#remise-${h.requestId}`,
      documentId: h.documentId,
      requestId: h.requestId,
    }));
}

/** Who asked, in the title of an access request's item (data_jobs params.request.from; none recorded: the person's right). */
const ACCESS_REQUEST_TITLES: Record<string, string> = {
  person: 'Demande d’accès de la personne à ses informations (RGPD, art. 15)',
  representative: 'Demande d’accès de son représentant (RGPD, art. 15)',
  ayant_droit: 'Demande d’accès d’un ayant droit après le décès (CSP, art. L.1110-4 V)',
  parental_authority: 'Demande d’accès des parents d’un mineur décédé (CSP, art. L.1110-4 V)',
};

/**
 * An access request not yet answered (WorklistRepository.openAccessRequests): due on the day recorded
 * with it (RGPD art. 12.3: a month; CSP L.1111-7 al. 2: eight days, two months for information more
 * than five years old), late after it; « pas avant le … » for a request after the death (48 hours).
 * Answered — and gone from here — once delivered or refused (after the death: DataJobsService
 * recordDelivery, recordRefusal) or, for the person's own request, once its zip is downloaded by
 * whoever recorded it (the zip is the answer: the product has no other way to hand it over).
 */
export function accessRequestItem(x: OpenAccessRequestRow, today: string): WorklistItem & { establishmentId: string } {
  const csp = x.from === 'ayant_droit' || x.from === 'parental_authority';
  const due = x.answerDue ?? addMonthsIso(x.receivedOn, 1);
  const state =
    x.status === 'failed'
      ? 'La préparation du fichier trié a échoué : enregistrez de nouveau le tri pour la relancer.'
      : x.status !== 'done'
        ? 'Paquet en préparation.'
        : x.answerState === 'selection_recorded'
          ? 'Tri enregistré : transmettez le paquet réduit, puis enregistrez la transmission.'
          : csp
            ? x.from === 'ayant_droit'
              ? 'Paquet de travail prêt : enregistrez le tri (ou un refus motivé), puis la transmission.'
              : 'Paquet de travail prêt : enregistrez le tri (sans ce que le mineur a gardé secret) ou un refus motivé, puis la transmission.'
            : `Paquet prêt : ${x.requestedByName} le télécharge et le remet à la personne.`;
  return {
    category: 'access_request',
    key: `access_request:${x.jobId}`,
    establishmentId: x.establishmentId,
    residentId: x.residentId,
    residentName: x.residentName,
    title: ACCESS_REQUEST_TITLES[x.from ?? 'person'] ?? ACCESS_REQUEST_TITLES.person,
    detail: [
      `Enregistrée par ${x.requestedByName}.`,
      state,
      // Said while it still holds (the page is the same all day: to the day).
      x.notBefore && calendarDayIn(new Date(x.notBefore)) >= today ? `Pas avant le ${formatDateTimeFr(x.notBefore)} (48 heures après la demande, CSP, art. L.1111-7).` : null,
    ]
      .filter(Boolean)
      .join(' '),
    dueDay: due,
    overdue: today > due,
    // A living person's request about her health information: the CSP's date for it (L.1111-7 al. 2), RGPD art. 12(3)'s month for her other data — both, each named.
    dates: x.answerDueOtherData
      ? [
          { label: 'Reçue le', value: x.receivedOn },
          { label: 'Informations de santé (CSP, art. L.1111-7) : réponse due au plus tard le', value: due },
          ...(x.answerDueOlderInformation ? [{ label: 'Informations de santé de plus de cinq ans : au plus tard le', value: x.answerDueOlderInformation }] : []),
          { label: 'Autres données (RGPD, art. 12) : au plus tard le', value: x.answerDueOtherData },
        ]
      : [
          { label: 'Reçue le', value: x.receivedOn },
          { label: 'Réponse due au plus tard le', value: due },
          ...(x.answerDueOlderInformation ? [{ label: 'Informations de plus de cinq ans : au plus tard le', value: x.answerDueOlderInformation }] : []),
        ],
    href: csp ? `/console/archives/${x.jobId}/reponse` : `/console/archives#demande-${x.jobId}`,
    documentId: null,
    requestId: null,
  };
}

/** A refusal or a question of the signature inbox: what the signer did, when, on which document. */
function inboxItem(category: 'refusal' | 'question', x: InboxRow, title: string, did: string, dateLabel: string): WorklistItem & { establishmentId: string } {
  return {
    category,
    key: `${category}:${x.id}`,
    establishmentId: x.establishmentId,
    residentId: x.residentId,
    residentName: x.residentName,
    title,
    detail: `${x.signerName}${x.capacity ? ` (${x.capacity})` : ''} ${did}`,
    dueDay: calendarDayIn(x.at),
    overdue: false,
    dates: [{ label: dateLabel, value: x.at.toISOString() }],
    href: documentHref(x.documentId),
    documentId: x.documentId,
    requestId: x.requestId,
  };
}

/** The SQL's pre-selection (a superset: three days of slack for the months' lengths); the rules are below. */
function residentWindow(today: string): ResidentWindow {
  const slack = (d: string) => addDaysIso(d, 3);
  return {
    avenantAdmittedBy: slack(addMonthsIso(addDaysIso(today, WORKLIST_HORIZONS.avenantDays), -LEGAL_DELAYS.firstAvenantMonths)),
    projetAdmittedBy: slack(addMonthsIso(addDaysIso(today, WORKLIST_HORIZONS.reviewDays), -LEGAL_DELAYS.projetFirstMonths)),
    projetDatedBy: slack(addMonthsIso(addDaysIso(today, WORKLIST_HORIZONS.reviewDays), -LEGAL_DELAYS.projetReviewMonths)),
    reviewBy: addDaysIso(today, WORKLIST_HORIZONS.reviewDays),
  };
}

/** The DIPC's one deadline (CASF D.311 II and III); its countersignature has none. */
const DIPC_DUE_LABEL = 'À établir, signer par la direction et remettre avant le';

/** The contract, avenant and projet personnalisé deadlines of one resident. */
function residentItems(r: ResidentDeadlineRow, establishmentCategory: string, today: string): (WorklistItem & { establishmentId: string })[] {
  const out: (WorklistItem & { establishmentId: string })[] = [];
  const name = `${r.firstName} ${r.lastName}`;
  const base = { establishmentId: r.establishmentId, residentId: r.id, residentName: name, requestId: null };
  const arrival: WorklistDate = { label: 'Arrivée le', value: r.admissionDate };
  const handover = contractHandoverDay(r.admissionDate);
  const signature = contractSignatureDay(r.admissionDate);
  const staysUntil = (day: string) => !r.plannedEndDate || r.plannedEndDate >= day;
  const c = r.contract;

  if (!c || c.status === 'refused') {
    // Which document the law asks for: the contract, or the DIPC (short stay, no accommodation,
    // court measure for a minor, refused contract: CASF D.311).
    const notContract = contractNotApplicableReason({
      resident: { stayType: r.stayType as never, admissionDate: r.admissionDate, plannedEndDate: r.plannedEndDate, parentalAuthority: r.parentalAuthority as never, minor: isMinor(r.birthDate, today) },
      establishmentCategory,
      contractRefused: c?.status === 'refused',
    });
    out.push({
      ...base,
      category: 'missing_contract',
      key: `missing_contract:${r.id}`,
      title: notContract ? (c ? 'DIPC à établir (contrat de séjour refusé)' : 'DIPC à établir') : 'Contrat de séjour à établir',
      detail: notContract?.message ?? null,
      dueDay: handover,
      overdue: today > handover,
      // CASF D.311 II and III: the DIPC is drawn up, signed by the director and handed over within 15
      // days; the person's countersignature is optional and has no deadline. Only the contract is
      // « signé dans le mois qui suit l'admission ».
      dates: notContract
        ? [arrival, { label: DIPC_DUE_LABEL, value: handover }]
        : [arrival, { label: 'À remettre avant le', value: handover }, { label: 'À signer avant le', value: signature }],
      href: residentHref(r.id),
      documentId: null,
    });
  } else if (c.status !== 'signed' && c.type === 'dipc') {
    // CASF D.311 II and III: the DIPC is due, signed by the director and handed over, within 15 days
    // of admission; the person's countersignature, optional, has no deadline (it never makes it late).
    const handedOver = c.handedOverDay;
    const late = handedOver ? handedOver > handover : today > handover;
    if (late || (!handedOver && handover <= addDaysIso(today, WORKLIST_HORIZONS.contractDays)))
      out.push({
        ...base,
        category: 'contract_late',
        key: `contract_late:${c.id}`,
        title: !handedOver ? 'DIPC à signer par la direction et à remettre' : 'DIPC à signer par la direction',
        detail: late ? `Non établi, signé par la direction et remis dans les ${LEGAL_DELAYS.contractHandoverDays} jours qui suivent l’admission (CASF D.311).` : null,
        dueDay: handover,
        overdue: late,
        dates: [arrival, handedOver ? { label: 'Remis le', value: c.handedOverAt!.toISOString() } : { label: DIPC_DUE_LABEL, value: handover }],
        href: documentHref(c.id),
        documentId: c.id,
      });
  } else if (c.status !== 'signed') {
    const handedOver = c.handedOverDay;
    const lateHandover = handedOver ? handedOver > handover : today > handover;
    const lateSignature = today > signature;
    const next = handedOver ? signature : handover;
    if (lateHandover || lateSignature || next <= addDaysIso(today, WORKLIST_HORIZONS.contractDays))
      out.push({
        ...base,
        category: 'contract_late',
        key: `contract_late:${c.id}`,
        title: `${capital(label(c.type, null))} ${!handedOver ? 'à remettre' : 'à faire signer'}`,
        detail: [
          !handedOver && today > handover ? `Non remis dans les ${LEGAL_DELAYS.contractHandoverDays} jours.` : handedOver && lateHandover ? `Remis après ${LEGAL_DELAYS.contractHandoverDays} jours.` : null,
          lateSignature ? 'Non signé dans le mois qui suit l’admission.' : null,
        ]
          .filter(Boolean)
          .join(' ') || null,
        dueDay: lateSignature || handedOver ? signature : handover,
        overdue: (!handedOver && today > handover) || lateSignature,
        dates: [arrival, handedOver ? { label: 'Remis le', value: c.handedOverAt!.toISOString() } : { label: 'À remettre avant le', value: handover }, { label: 'À signer avant le', value: signature }],
        href: documentHref(c.id),
        documentId: c.id,
      });
  }

  const avenantDay = firstAvenantDay(r.admissionDate);
  if (r.avenant?.status !== 'signed' && avenantDay <= addDaysIso(today, WORKLIST_HORIZONS.avenantDays) && staysUntil(avenantDay))
    out.push({
      ...base,
      category: 'avenant_due',
      key: `avenant_due:${r.id}`,
      title: r.avenant ? 'Premier avenant en cours' : 'Premier avenant à conclure',
      detail: 'Objectifs et prestations adaptés à la personne, avec les mêmes signataires que le contrat.',
      dueDay: avenantDay,
      overdue: today > avenantDay,
      dates: [arrival, { label: 'À conclure avant le', value: avenantDay }],
      href: r.avenant ? documentHref(r.avenant.id) : residentHref(r.id),
      documentId: r.avenant?.id ?? null,
    });

  const p = r.projet;
  const firstDay = addMonthsIso(r.admissionDate, LEGAL_DELAYS.projetFirstMonths);
  let reviewDay: string;
  if (p) {
    const yearly = addMonthsIso(p.day, LEGAL_DELAYS.projetReviewMonths);
    reviewDay = p.nextReview && /^\d{4}-\d{2}-\d{2}$/.test(p.nextReview) && p.nextReview < yearly ? p.nextReview : yearly;
  } else reviewDay = firstDay;
  if (reviewDay <= addDaysIso(today, WORKLIST_HORIZONS.reviewDays) && staysUntil(reviewDay))
    out.push({
      ...base,
      category: 'review_due',
      key: `review_due:${r.id}`,
      title: p ? 'Révision du projet personnalisé' : 'Projet personnalisé à formaliser',
      detail: p ? 'Co-évaluation avec la personne, puis nouveau projet.' : null,
      dueDay: reviewDay,
      overdue: today > reviewDay,
      dates: p ? [{ label: 'Projet du', value: p.createdAt.toISOString() }, { label: 'À revoir avant le', value: reviewDay }] : [arrival, { label: 'À formaliser avant le', value: reviewDay }],
      href: p ? documentHref(p.id) : residentHref(r.id),
      documentId: p?.id ?? null,
    });
  return out;
}

/**
 * One request in progress: its seal when it failed for good, the countersignature when it is all
 * that remains, else each signer whose turn it is.
 */
export function requestItems(r: ActiveRequestRow, today: string): (WorklistItem & { establishmentId: string })[] {
  const base = { establishmentId: r.establishmentId, residentId: r.residentId, residentName: r.residentName, documentId: r.documentId, requestId: r.id, href: documentHref(r.documentId) };
  const sealFailure = failedSealOf(r);
  if (sealFailure)
    return [
      {
        ...base,
        category: 'seal_failed',
        key: `seal_failed:${r.id}`,
        title: `${capital(label(r.documentType, r.documentSubtype))} : scellement échoué`,
        detail: sealFailureReason(sealFailure.code),
        dueDay: calendarDayIn(sealFailure.at),
        overdue: false,
        dates: [{ label: 'Échec le', value: sealFailure.at.toISOString() }],
        href: `${documentHref(r.documentId)}#demande-${r.id}`,
      },
    ];
  const deadlineDay = calendarDayIn(r.deadline);
  const legalDay = r.legalDeadline ? calendarDayIn(r.legalDeadline) : null;
  const due = legalDay && legalDay < deadlineDay ? legalDay : deadlineDay;
  const overdue = today > due;
  const deadlines: WorklistDate[] = [
    { label: 'Échéance de la demande', value: r.deadline.toISOString() },
    ...(r.legalDeadline ? [{ label: 'Délai légal', value: r.legalDeadline.toISOString() }] : []),
  ];
  const director = countersignatureDue(r.signers);
  // A DIPC (or an avenant to it): the director's signature establishes it, the person's side may
  // countersign after (CASF D.311 II) — it is not « the countersignature » of the others' signatures.
  const establishes = r.signers.some(isOptionalCountersigner);
  if (director)
    return [
      {
        ...base,
        category: 'countersign_due',
        key: `countersign_due:${r.id}`,
        title: establishes ? `${capital(label(r.documentType, r.documentSubtype))} à signer par la direction pour l’établir` : `${capital(label(r.documentType, r.documentSubtype))} à contresigner`,
        detail: establishes
          ? `${director.firstName} ${director.lastName} (${director.capacity}) : sa signature établit le document, qui s’applique alors et est remis ; la personne ou son représentant peuvent le contresigner ensuite, sans obligation (CASF D.311 II).`
          : `${director.firstName} ${director.lastName} (${director.capacity}) : toutes les autres signatures sont là.`,
        dueDay: due,
        overdue,
        dates: [{ label: 'Prêt depuis le', value: lastSignatureAt(r).toISOString() }, ...deadlines],
        href: base.href,
      },
    ];
  const out: (WorklistItem & { establishmentId: string })[] = [];
  for (const s of r.signers) {
    if (s.status !== 'pending' || s.role === 'director' || !isTurnOf(r.mode, r.signers, s.orderNo)) continue;
    // Since when it is their turn: the request, or the last signature of a lower order (sequential).
    const before = r.signers.filter((o) => o.orderNo < s.orderNo && o.status === 'signed' && o.actedAt);
    const since = r.mode === 'sequential' && before.length ? lastSignatureAt({ createdAt: r.createdAt, signers: before }) : r.createdAt;
    const how = s.delivery === 'in_person' ? 'Signature en présence à organiser.' : s.lastEmailStatus === 'failed' ? 'E-mail non distribué : corrigez l’adresse ou faites signer en présence.' : 'Invitation envoyée par e-mail.';
    // CASF D.311 II: the DIPC « peut être contresigné » by the person or her representative — an
    // optional countersignature with no legal period: never late, no « Délai légal » (the request's
    // own date, the one her invitation gave, is when her link ends).
    const optional = isOptionalCountersigner(s);
    out.push({
      ...base,
      category: 'awaiting_signer',
      key: `awaiting_signer:${s.id}`,
      title: `${capital(label(r.documentType, r.documentSubtype))} : ${optional ? 'contresignature facultative' : 'signature'} ${ofName(`${s.firstName} ${s.lastName}`)}`,
      detail: optional ? `${capital(s.capacity)}. Contresignature facultative et sans délai (CASF D.311 II). ${how}` : `${capital(s.capacity)}. ${how}`,
      dueDay: optional ? deadlineDay : due,
      overdue: optional ? false : overdue,
      dates: [{ label: 'Attendue depuis le', value: since.toISOString() }, ...(optional ? deadlines.slice(0, 1) : deadlines)],
    });
  }
  return out;
}

/** One collator for every comparison (`localeCompare(…, 'fr')` builds one per call). */
const FRENCH = new Intl.Collator('fr');

function compareDays(a: string | null, b: string | null): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/**
 * A section whose items are refusals: the note of each kind it holds — as its basis when there is
 * one kind, else listed under the section's. Nothing for the other sections (their basis stands).
 */
function notesOf(items: WorklistItem[]): { basis?: string; notes: string[] } {
  const notes = REFUSAL_KINDS.filter((k) => items.some((i) => i.refused === k)).map((k) => REFUSAL_NOTES[k]);
  return notes.length === 1 ? { basis: notes[0], notes: [] } : { notes };
}

function byEstablishment(establishmentId: string, name: string, items: WorklistItem[]): EstablishmentWorklist {
  const sections: WorklistSection[] = [];
  for (const category of WORKLIST_CATEGORIES) {
    const mine = items
      .filter((i) => i.category === category)
      // Overdue first, then by the day that orders them, the oldest first.
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || compareDays(a.dueDay, b.dueDay) || FRENCH.compare(a.residentName, b.residentName));
    if (!mine.length) continue;
    const { title, basis, notes } = { ...SECTIONS[category], ...notesOf(mine) };
    sections.push({ category, title, basis, notes, total: mine.length, overdue: mine.filter((i) => i.overdue).length, items: mine.slice(0, WORKLIST_ITEMS_SHOWN) });
  }
  // Sections with overdue items come first (in the order above among themselves).
  sections.sort((a, b) => Number(b.overdue > 0) - Number(a.overdue > 0));
  return { establishmentId, name, total: sections.reduce((n, s) => n + s.total, 0), overdue: sections.reduce((n, s) => n + s.overdue, 0), sections };
}

/** The permission each category needs (besides `resident.read`), for documentation and tests. */
export function worklistPermission(category: WorklistCategory): Permission {
  return SECTIONS[category].permission;
}
