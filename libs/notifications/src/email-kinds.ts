import { documentPhrase, documentTypeLabel, ofName, type DocumentSubtype, type DocumentTypeLabel } from '@carepact/common';
import type { DocumentType } from '@carepact/documents';
import { checkDate, checkLink, checkTimeZone, formatDate, formatDateTime, invalid, optionalText, requiredText } from './email-values';

/**
 * The emails CarePact sends, the data each one needs, and how that data becomes the values of
 * its template. Emails carry no care details (DOMAIN.md, "Retention and personal data"): never
 * the document's content, a diagnosis, the protection measure, a refusal reason or a question's
 * text — staff read those in the console. The resident is named only where the reader needs it
 * to know which document is meant.
 */

export interface EstablishmentRef {
  name: string;
  /** Shown to signers as the number to call with a question (free text, e.g. "01 23 45 67 89"). */
  phone?: string | null;
  /** IANA zone for dates; default Europe/Paris (overseas establishments differ). */
  timeZone?: string | null;
}

interface SignerEmailBase {
  establishment: EstablishmentRef;
  /** The person the email is addressed to ("Bonjour Jeanne Martin,"); null for "Bonjour,". */
  recipientName: string | null;
  documentType: DocumentType;
  /** What an avenant amends (documents.subtype): « avenant au document individuel de prise en charge (DIPC) », not « … au contrat de séjour »; null for the type's name. */
  documentSubtype: DocumentSubtype | null;
  /**
   * The resident the document is about, when the reader is someone else (a tuteur, a parent):
   * "le contrat de séjour de Marcel Dupont". Null when the reader is the resident: "votre
   * contrat de séjour".
   */
  residentName: string | null;
}

export interface SignatureInvitationData extends SignerEmailBase {
  /** End of the request: the link works until then. */
  deadline: Date;
  /** The personal signing link (PUBLIC_URL + token). */
  signUrl: string;
  /** The portal will ask for a code the establishment gives in person or by phone. */
  accessCodeRequired?: boolean;
  /**
   * This signer's signature is optional: a countersignature of the person's side (a DIPC, CASF D.311
   * II « Il peut être contresigné par la personne accueillie ou son représentant légal »; an avenant
   * to it, D.311 VII). `established`: the director has signed, the document is in force and was
   * handed over (D.311 III). The e-mail then never reads as a required signature (« attendue avant le … »).
   */
  countersign?: { established: boolean } | null;
}

export type SignatureReminderData = SignatureInvitationData;

/**
 * Staff answered the signer's question (issue 10, item 3): a fresh link to read the answer in the
 * portal. The e-mail carries neither the question nor the answer (care details stay in the portal).
 */
export interface QuestionAnsweredData extends SignatureInvitationData {
  /**
   * Sequential mode (« Chacun à son tour »): this signer's turn has not come — she may read the
   * answer now, and is invited to sign at her turn, by its own e-mail (the portal refuses her
   * signature before it: NOT_YOUR_TURN). The e-mail then never says she may sign next.
   */
  notYourTurn?: boolean;
}

export interface SignatureCompletedData extends SignerEmailBase {
  signedAt: Date;
  /** Where the sealed PDF is downloaded; the document is never attached. */
  downloadUrl: string;
  /** When the download link stops working, if it does. */
  downloadAvailableUntil?: Date | null;
  /**
   * The document is established (a DIPC signed by the director, CASF D.311 II) and handed over before
   * every optional countersignature is in (D.311 III): not « signé par toutes les personnes concernées ».
   * `countersignUntil`: this recipient may still countersign it until then (optional).
   */
  established?: { countersignUntil: Date | null } | null;
  /**
   * The recipient signed for the establishment (the director): a staff wording — the document is
   * handed over to the person, not to her; no « que vous l’ayez signé ou non », no paper copy to ask for.
   */
  establishmentSigner?: boolean;
}

/**
 * Staff cancelled a request this signer had been invited to (console « Annuler la demande », the
 * API, or with the person's departure): the link received no longer opens anything, a signature
 * given no longer counts, and the establishment will get in touch if a new document is to be
 * signed (not after her death: nothing new is signed for her). No link (there is nothing left to open). Staff's own reason is never passed (it may be
 * private): only whether the cancel came with the person's departure.
 */
export interface SignatureCancelledData extends SignerEmailBase {
  /** Cancelled with the departure of the person the document is about. */
  departure?: boolean;
  /** With `departure`: the accompaniment ended by the person's death — « à la suite du décès de … ». */
  death?: boolean;
  /** A contract's request cancelled because another contrat de séjour of the stay was signed (CASF L.311-4, D.311: one per stay). */
  otherContractSigned?: boolean;
  /** This signer had signed: the e-mail says that signature no longer counts. */
  signed?: boolean;
}

interface StaffEmailBase {
  establishment: EstablishmentRef;
  recipientName: string | null;
  documentType: DocumentType;
  /** What an avenant amends (documents.subtype): « avenant au document individuel de prise en charge (DIPC) », not « … au contrat de séjour »; null for the type's name. */
  documentSubtype: DocumentSubtype | null;
  /** Staff need to know which resident's document is meant. */
  residentName: string;
  /** The page of the request in the staff console. */
  consoleUrl: string;
}

export interface StaffRefusalData extends StaffEmailBase {
  signerName: string;
  refusedAt: Date;
  /** A curateur (or a personne habilitée in assistance) refused to assist the person: not a refusal of the document by her, no DIPC. */
  assistanceRefused?: boolean;
  /** The signer's signature was optional: declining it refuses nothing, the request goes on; no DIPC (CASF D.311 I). */
  optionalSignature?: boolean;
  /**
   * Who refused to assist: `curateur` (her recourse: C. civ. 469 al. 3) or `habilite`, a personne
   * habilitée in assistance (C. civ. 494-1 al. 1; the judge settles the difficulty, 494-10).
   * Absent: a curateur.
   */
  assistantRole?: 'curateur' | 'habilite';
}

export interface StaffQuestionData extends StaffEmailBase {
  signerName: string;
  askedAt: Date;
}

export interface RequestExpiredData extends StaffEmailBase {
  deadline: Date;
  /** Who had not signed yet. */
  pendingSigners: string[];
}

/** Every required signer has signed: the establishment's countersignature is what remains (CASF D.311). */
export interface CountersignDueData extends StaffEmailBase {
  /** When the last required signer signed. */
  lastSignedAt: Date;
  /** The end of the request. */
  deadline: Date;
  /** The legal deadline fixed when the request was sent (one month after admission for a contract), if any. */
  legalDeadline: Date | null;
  /**
   * The director's signature establishes the document: a DIPC or an avenant to it (CASF D.311 II « établi
   * et signé par le directeur … Il peut être contresigné par la personne accueillie ou son représentant
   * légal », VII), whose person's side may countersign after. The e-mail then asks the director to sign
   * and establish it — not to « contresigner » what « toutes les personnes concernées » would have signed.
   */
  establishes?: boolean;
}

/**
 * Every signature is in but the signed PDF could not be sealed, for good (an expired certificate, a
 * broken configuration, every attempt failing): staff fix the cause and start the seal again from
 * the console. The signatures are kept.
 */
export interface SealFailedData extends StaffEmailBase {
  failedAt: Date;
  /** Why, in French, with what to do (libs/signing seal-failure.ts): technical, no care detail, no path, no secret. */
  cause: string;
}

export type FailedEmailKind = 'signature-invitation' | 'signature-reminder' | 'signature-completed';

export interface DeliveryFailedData extends StaffEmailBase {
  failedEmail: FailedEmailKind;
  /** Who should have received it (name as entered, address as entered; null or empty when there was none). */
  intendedRecipient: { name: string; address: string | null };
  /** `permanent`: the address was refused; `transient`: the server stayed unreachable after every retry. */
  failure: 'permanent' | 'transient';
  failedAt: Date;
}

/**
 * Account e-mails (issue 11 item 7): the staff member's own account, no resident at all. The
 * "establishment" shown at the top is the organisation that holds the account.
 */
interface AccountEmailBase {
  establishment: EstablishmentRef;
  recipientName: string;
  /** The single-use link that sets the password (PUBLIC_URL + token). */
  actionUrl: string;
  /** When the link stops working. */
  expiresAt: Date;
}

export interface StaffInvitationData extends AccountEmailBase {
  /** Who invited them (the administrator's name). */
  invitedBy: string;
  /** Each role with its establishment, as read: "Coordination — EHPAD Les Tilleuls". */
  roles: string[];
}

export type PasswordResetData = AccountEmailBase;

export interface EmailDataByKind {
  'staff-invitation': StaffInvitationData;
  'password-reset': PasswordResetData;
  'signature-invitation': SignatureInvitationData;
  'signature-reminder': SignatureReminderData;
  'question-answered': QuestionAnsweredData;
  'signature-completed': SignatureCompletedData;
  'signature-cancelled': SignatureCancelledData;
  'staff-refusal': StaffRefusalData;
  'staff-question': StaffQuestionData;
  'request-expired': RequestExpiredData;
  'delivery-failed': DeliveryFailedData;
  'countersign-due': CountersignDueData;
  'seal-failed': SealFailedData;
}

export type EmailKind = keyof EmailDataByKind;

export const EMAIL_KINDS: readonly EmailKind[] = [
  'signature-invitation',
  'signature-reminder',
  'question-answered',
  'signature-completed',
  'signature-cancelled',
  'staff-refusal',
  'staff-question',
  'request-expired',
  'delivery-failed',
  'countersign-due',
  'seal-failed',
  'staff-invitation',
  'password-reset',
];

/** What a template is filled with: its subject, the sections kept, and the values (plain text). */
export interface EmailFill {
  subject: string;
  flags: Record<string, boolean>;
  values: Record<string, string>;
}

/** Every flag a kind's template may test; the template cache holds one compilation per combination. */
export const EMAIL_FLAGS: { readonly [K in EmailKind]: readonly string[] } = {
  'signature-invitation': ['phone', 'accessCode', 'countersign', 'established'],
  'signature-reminder': ['phone', 'accessCode', 'countersign', 'established'],
  'question-answered': ['phone', 'accessCode', 'notYourTurn'],
  'signature-completed': ['phone', 'downloadUntil', 'established', 'mayCountersign', 'staff'],
  'signature-cancelled': ['phone', 'departure', 'signed', 'mayFollow'],
  'staff-refusal': ['contratSejour', 'assistance'],
  'staff-question': [],
  'request-expired': ['pendingSigners'],
  'delivery-failed': ['permanent'],
  'countersign-due': ['legalDeadline', 'establishes'],
  'seal-failed': [],
  'staff-invitation': [],
  'password-reset': [],
};

function label(data: { documentType: unknown; documentSubtype?: unknown }): DocumentTypeLabel {
  const l = documentTypeLabel(data.documentType, data.documentSubtype ?? null);
  if (!l) throw invalid('documentType', 'UNKNOWN_DOCUMENT_TYPE', 'Type de document inconnu.');
  return l;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface Common {
  values: Record<string, string>;
  timeZone: string;
  short: string;
}

/** Values every template may use: establishment, greeting, document phrase, contact. */
function common(data: SignerEmailBase | StaffEmailBase, residentName: string | null): Common {
  if (!data || typeof data !== 'object' || !data.establishment || typeof data.establishment !== 'object') {
    throw invalid('establishment', 'REQUIRED', 'Ce champ est obligatoire.');
  }
  const establishmentName = requiredText(data.establishment.name, 'establishment.name');
  const phone = optionalText(data.establishment.phone, 'establishment.phone');
  const recipient = optionalText(data.recipientName, 'recipientName');
  const phrase = documentPhrase(label(data), residentName);
  return {
    timeZone: checkTimeZone(data.establishment.timeZone),
    short: label(data).short,
    values: {
      establishmentName,
      phone: phone ?? '',
      greeting: recipient ? `Bonjour ${recipient},` : 'Bonjour,',
      documentPhrase: phrase,
      DocumentPhrase: capitalise(phrase),
    },
  };
}

/** Staff emails: the resident is always named, and the action is the request in the console. */
function staffCommon(data: StaffEmailBase, origin: string | undefined): Common {
  const c = common(data, requiredText(data.residentName, 'residentName'));
  c.values.actionUrl = checkLink(data.consoleUrl, 'consoleUrl', origin);
  return c;
}

/** A signer did something at a moment (refused, asked): who, and when. */
/** The staff e-mail's paragraph on a refused assistance: who refused, that it is not the document's refusal, the person's recourse and its article. */
function assistanceRefusedText(signerName: string, role: StaffRefusalData['assistantRole']): string {
  return role === 'habilite'
    ? `${signerName} est la personne habilitée qui assiste la personne : elle refuse son assistance, ce n’est pas un refus du document par la personne, et aucun DIPC n’est à établir. ` +
        'La personne peut saisir le juge des contentieux de la protection, qui statue sur cette difficulté et peut l’autoriser à signer seule (articles 494-1 et 494-10 du code civil) ; le document reste prêt à être envoyé de nouveau.'
    : `${signerName} est curateur : il refuse son assistance, ce n’est pas un refus du document par la personne, et aucun DIPC n’est à établir. ` +
        'La personne peut demander au juge des contentieux de la protection l’autorisation de signer seule (article 469 du code civil) ; le document reste prêt à être envoyé de nouveau.';
}

function signerEvent(c: Common, signerName: unknown, at: unknown, atField: string): Record<string, string> {
  return { ...c.values, signerName: requiredText(signerName, 'signerName'), at: formatDateTime(checkDate(at, atField), c.timeZone) };
}

type Builder<K extends EmailKind> = (data: EmailDataByKind[K], expectedOrigin: string | undefined) => EmailFill;

function signerRequest(reminder: boolean): (d: SignatureInvitationData, origin: string | undefined) => EmailFill {
  return (d, origin) => {
    const c = common(d, optionalText(d.residentName, 'residentName'));
    const deadline = checkDate(d.deadline, 'deadline');
    const deadlineText = formatDateTime(deadline, c.timeZone);
    // An optional countersignature (CASF D.311 II): offered, never « attendue » as if the document waited for it.
    const countersign = d.countersign ?? null;
    const established = countersign?.established === true;
    const subject = countersign
      ? reminder
        ? `Rappel : contresignature facultative, possible jusqu’au ${formatDate(deadline, c.timeZone)} — ${c.values.establishmentName}`
        : `Contresignature facultative : ${c.short} — ${c.values.establishmentName}`
      : reminder
        ? `Rappel : votre signature est attendue avant le ${formatDate(deadline, c.timeZone)} — ${c.values.establishmentName}`
        : `Votre signature est demandée : ${c.short} — ${c.values.establishmentName}`;
    return {
      subject,
      flags: { phone: c.values.phone !== '', accessCode: d.accessCodeRequired === true, countersign: countersign !== null, established },
      values: {
        ...c.values,
        deadline: deadlineText,
        actionUrl: checkLink(d.signUrl, 'signUrl', origin),
        preview: countersign
          ? established
            ? `${capitalise(c.short)} s’applique déjà ; le contresigner est facultatif, jusqu’au ${deadlineText}.`
            : `Contresigner ${c.short} est facultatif, jusqu’au ${deadlineText}.`
          : `${capitalise(c.short)} à signer jusqu’au ${deadlineText}.`,
      },
    };
  };
}

/** The account e-mails: the organisation, a greeting, the link and when it ends. */
function account(d: AccountEmailBase, origin: string | undefined): { values: Record<string, string> } {
  if (!d || typeof d !== 'object' || !d.establishment || typeof d.establishment !== 'object') throw invalid('establishment', 'REQUIRED', 'Ce champ est obligatoire.');
  const timeZone = checkTimeZone(d.establishment.timeZone);
  return {
    values: {
      establishmentName: requiredText(d.establishment.name, 'establishment.name'),
      greeting: `Bonjour ${requiredText(d.recipientName, 'recipientName')},`,
      actionUrl: checkLink(d.actionUrl, 'actionUrl', origin),
      expiresAt: formatDateTime(checkDate(d.expiresAt, 'expiresAt'), timeZone),
    },
  };
}

const BUILDERS: { [K in EmailKind]: Builder<K> } = {
  'staff-invitation': (d, origin) => {
    const c = account(d, origin);
    if (!Array.isArray(d.roles) || d.roles.length === 0) throw invalid('roles', 'NOT_LIST', 'Une liste est attendue.');
    const roles = d.roles.map((r, i) => requiredText(r, `roles.${i}`));
    return {
      subject: `Votre compte CarePact — ${c.values.establishmentName}`,
      flags: {},
      values: {
        ...c.values,
        invitedBy: requiredText(d.invitedBy, 'invitedBy'),
        roles: roles.join(' ; '),
        preview: `Choisissez votre mot de passe avant le ${c.values.expiresAt}.`,
      },
    };
  },
  'password-reset': (d, origin) => {
    const c = account(d, origin);
    return {
      subject: `Nouveau mot de passe CarePact — ${c.values.establishmentName}`,
      flags: {},
      values: { ...c.values, preview: `Le lien fonctionne jusqu’au ${c.values.expiresAt}.` },
    };
  },
  'signature-invitation': signerRequest(false),
  'signature-reminder': signerRequest(true),
  'question-answered': (d, origin) => {
    const fill = signerRequest(false)(d, origin);
    return {
      ...fill,
      subject: `Réponse à votre question : ${label(d).short} — ${fill.values.establishmentName}`,
      flags: { ...fill.flags, notYourTurn: d.notYourTurn === true },
      values: { ...fill.values, preview: `${fill.values.establishmentName} a répondu à votre question.` },
    };
  },
  'signature-completed': (d, origin) => {
    const c = common(d, optionalText(d.residentName, 'residentName'));
    const until = d.downloadAvailableUntil == null ? null : checkDate(d.downloadAvailableUntil, 'downloadAvailableUntil');
    const established = d.established ?? null;
    const countersignUntil = established?.countersignUntil == null ? null : checkDate(established.countersignUntil, 'countersignUntil');
    return {
      subject: `${established ? 'Document établi' : 'Document signé'} : ${c.short} — ${c.values.establishmentName}`,
      flags: {
        phone: c.values.phone !== '',
        downloadUntil: until !== null,
        established: established !== null,
        // The establishment's signer countersigns nothing after the seal (CASF D.311 II is the person's side).
        mayCountersign: countersignUntil !== null && d.establishmentSigner !== true,
        staff: d.establishmentSigner === true,
      },
      values: {
        ...c.values,
        signedAt: formatDateTime(checkDate(d.signedAt, 'signedAt'), c.timeZone),
        downloadUntil: until ? formatDateTime(until, c.timeZone) : '',
        countersignUntil: countersignUntil ? formatDateTime(countersignUntil, c.timeZone) : '',
        actionUrl: checkLink(d.downloadUrl, 'downloadUrl', origin),
        preview: established ? `${capitalise(c.short)} est établi : il s’applique dès maintenant.` : `${capitalise(c.short)} est signé par toutes les personnes concernées.`,
      },
    };
  },
  'signature-cancelled': (d) => {
    const residentName = optionalText(d.residentName, 'residentName');
    const c = common(d, residentName);
    const departure = d.departure === true;
    const otherContract = !departure && d.otherContractSigned === true;
    return {
      subject: `Demande de signature annulée : ${c.short} — ${c.values.establishmentName}`,
      // `departure` is the template's slot for the one reason told (templates/emails/signature-cancelled.*).
      // After a death nothing new is signed for her (C. civ. 443 al. 1; 409 RESIDENT_DECEASED): no
      // « Si un nouveau document doit être signé, l’établissement vous contactera ».
      flags: { phone: c.values.phone !== '', departure: departure || otherContract, signed: d.signed === true, mayFollow: !(departure && d.death === true) },
      values: {
        ...c.values,
        // The reasons told: the person's departure, or another contract of the stay signed (CASF
        // L.311-4, D.311: one contract per stay) — never staff's own words (they may be private).
        // A death is said as such, soberly, to the representative or relative who was to sign (never to the person herself: contract-in-force.ts).
        departureText: departure
          ? d.death === true
            ? `à la suite du décès ${residentName ? ofName(residentName) : 'de la personne accompagnée'}`
            : residentName
              ? `à la suite du départ ${ofName(residentName)} de l’établissement`
              : 'à la suite de votre départ de l’établissement'
          : otherContract
            ? 'car un autre contrat de séjour a été signé pour ce séjour'
            : '',
        preview: `La demande de signature est annulée : vous n’avez plus rien à signer (${c.short}).`,
      },
    };
  },
  'staff-refusal': (d, origin) => {
    const c = staffCommon(d, origin);
    return {
      subject: `Refus de signature : ${c.short} — ${c.values.establishmentName}`,
      // CASF D.311: a contrat de séjour refused by the person or her representative gives way to a
      // DIPC; the email says so. A curateur refusing his assistance is not that (C. civ. 469), nor a
      // personne habilitée in assistance (C. civ. 494-1 al. 1, 494-10): each with its own article.
      // Nor is a signer whose signature was optional (the request goes on without it).
      flags: { contratSejour: d.documentType === 'contrat-sejour' && d.assistanceRefused !== true && d.optionalSignature !== true, assistance: d.assistanceRefused === true },
      values: {
        ...signerEvent(c, d.signerName, d.refusedAt, 'refusedAt'),
        assistanceText: d.assistanceRefused === true ? assistanceRefusedText(requiredText(d.signerName, 'signerName'), d.assistantRole) : '',
        preview: `Un signataire a refusé de signer : ${c.short}.`,
      },
    };
  },
  'staff-question': (d, origin) => {
    const c = staffCommon(d, origin);
    return {
      subject: `Question d’un signataire : ${c.short} — ${c.values.establishmentName}`,
      flags: {},
      values: { ...signerEvent(c, d.signerName, d.askedAt, 'askedAt'), preview: `Un signataire attend votre réponse : ${c.short}.` },
    };
  },
  'request-expired': (d, origin) => {
    const c = staffCommon(d, origin);
    if (!Array.isArray(d.pendingSigners)) {
      throw invalid('pendingSigners', 'NOT_LIST', 'Une liste est attendue.');
    }
    const pending = d.pendingSigners.map((n, i) => requiredText(n, `pendingSigners.${i}`));
    return {
      subject: `Demande de signature expirée : ${c.short} — ${c.values.establishmentName}`,
      flags: { pendingSigners: pending.length > 0 },
      values: {
        ...c.values,
        deadline: formatDateTime(checkDate(d.deadline, 'deadline'), c.timeZone),
        pendingSigners: pending.join(', '),
        preview: `Le délai de signature est dépassé : ${c.short}.`,
      },
    };
  },
  'countersign-due': (d, origin) => {
    const c = staffCommon(d, origin);
    const legal = d.legalDeadline == null ? null : checkDate(d.legalDeadline, 'legalDeadline');
    // CASF D.311 II: a DIPC (an avenant to it, VII) is established by the director's signature; the person's side may countersign after.
    const establishes = d.establishes === true;
    return {
      subject: establishes
        ? `À signer pour l’établir : ${c.short} — ${c.values.establishmentName}`
        : `Contresignature attendue : ${c.short} — ${c.values.establishmentName}`,
      flags: { legalDeadline: legal !== null, establishes },
      values: {
        ...c.values,
        at: formatDateTime(checkDate(d.lastSignedAt, 'lastSignedAt'), c.timeZone),
        deadline: formatDateTime(checkDate(d.deadline, 'deadline'), c.timeZone),
        legalDeadline: legal ? formatDate(legal, c.timeZone) : '',
        preview: establishes
          ? `Votre signature établit le document : il s’appliquera et sera remis aussitôt (${c.short}).`
          : `Toutes les signatures sont là : votre contresignature est attendue (${c.short}).`,
      },
    };
  },
  'seal-failed': (d, origin) => {
    const c = staffCommon(d, origin);
    return {
      subject: `Scellement échoué : ${c.short} — ${c.values.establishmentName}`,
      flags: {},
      values: {
        ...c.values,
        at: formatDateTime(checkDate(d.failedAt, 'failedAt'), c.timeZone),
        cause: requiredText(d.cause, 'cause'),
        preview: `Toutes les signatures sont là, mais le document signé n’a pas pu être scellé : ${c.short}.`,
      },
    };
  },
  'delivery-failed': (d, origin) => {
    const c = staffCommon(d, origin);
    const r = d.intendedRecipient;
    if (!r || typeof r !== 'object') {
      throw invalid('intendedRecipient', 'REQUIRED', 'Ce champ est obligatoire.');
    }
    if (d.failure !== 'permanent' && d.failure !== 'transient') {
      throw invalid('failure', 'UNKNOWN_FAILURE', 'Type d’échec inconnu.');
    }
    const what = FAILED_EMAIL_LABELS[d.failedEmail];
    if (!what) throw invalid('failedEmail', 'UNKNOWN_EMAIL_KIND', 'Type de courriel inconnu.');
    return {
      subject: `Courriel non distribué : ${c.short} — ${c.values.establishmentName}`,
      flags: { permanent: d.failure === 'permanent' },
      values: {
        ...c.values,
        failedEmail: what,
        intendedName: requiredText(r.name, 'intendedRecipient.name'),
        // Shown as typed so that staff can spot a typo; a missing address is precisely a reason to tell them.
        intendedAddress: optionalText(r.address, 'intendedRecipient.address') ?? 'adresse non renseignée',
        at: formatDateTime(checkDate(d.failedAt, 'failedAt'), c.timeZone),
        preview: `Un courriel n’a pas pu être remis : ${c.short}.`,
      },
    };
  },
};

const FAILED_EMAIL_LABELS: Record<FailedEmailKind, string> = {
  'signature-invitation': 'invitation à signer',
  'signature-reminder': 'rappel de signature',
  'signature-completed': 'avis de document signé',
};

export function buildFill<K extends EmailKind>(kind: K, data: EmailDataByKind[K], expectedOrigin?: string): EmailFill {
  const build = BUILDERS[kind] as Builder<K> | undefined;
  if (!build) throw invalid('kind', 'UNKNOWN_EMAIL_KIND', 'Type de courriel inconnu.');
  return build(data, expectedOrigin);
}
