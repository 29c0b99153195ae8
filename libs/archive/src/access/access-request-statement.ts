import { FieldError, ValidationError, startOfDayIn, textProblem } from '@carepact/common';

/**
 * The request an access export answers. The person's right to a copy of her data (RGPD art. 15)
 * does not depend on the intermediate archive, but staff who export an archived person's documents
 * record the request they answer, as an opening of the archive records its reason (CNIL délib.
 * n° 2021-028 and n° 2023-095: the intermediate archive is read for a specific need): who asked —
 * the person, her representative (tuteur, mandataire…, who exercises her rights for her), or, once
 * she has died, an ayant droit —, the day it was received, and the request as received. Required
 * for a person in the intermediate archive; optional, and checked the same way when given, otherwise.
 *
 * A deceased person's data are outside the RGPD (recital 27) and a protection measure ends at her
 * death (C. civ. 443): her representative no longer acts for her. Her ayants droit, concubin or
 * partenaire de PACS may receive her health information « dans la mesure où elles leur sont
 * nécessaires pour leur permettre de connaître les causes de la mort, de défendre la mémoire du
 * défunt ou de faire valoir leurs droits, sauf volonté contraire exprimée par la personne avant son
 * décès » (CSP L.1110-4 V, wording of loi n° 2016-41 art. 96; L.1111-7 sends their access there):
 * their request states its purpose, the day of the death, and whether the person objected —
 * recorded, the request is refused (HEIR_ACCESS_OBJECTED_BY_DECEASED). It is answered under the
 * CSP, not RGPD art. 15: within eight days, two months for information more than five years old
 * (CSP L.1111-7 al. 2; R.1111-1: the five years count from when the information was constituted).
 */
export type AccessRequestFrom = 'person' | 'representative' | 'ayant_droit' | 'parental_authority';
export const ACCESS_REQUEST_FROM: readonly AccessRequestFrom[] = ['person', 'representative', 'ayant_droit', 'parental_authority'];

/**
 * The requests answered under the CSP after the person's death (L.1110-4 V, L.1111-7), not RGPD
 * art. 15: an ayant droit's, concubin's or partenaire de PACS's, and — a deceased minor — her
 * parents' (« les titulaires de l'autorité parentale conservent leur droit d'accès à la totalité
 * des informations médicales la concernant », L.1110-4 V al. 2 since loi n° 2016-41).
 */
export const CSP_ACCESS_FROM: readonly AccessRequestFrom[] = ['ayant_droit', 'parental_authority'];
export const isCspAccessRequest = (r: { from: string } | null | undefined): boolean => !!r && (CSP_ACCESS_FROM as readonly string[]).includes(r.from);

/**
 * A living person's request, hers or her representative's, that concerns her health information
 * (`healthInformation`, stated with the request): for that information, CSP L.1111-7 al. 2 — « au
 * plus tard dans les huit jours suivant sa demande et au plus tôt après qu'un délai de quarante-huit
 * heures aura été observé », two months when it is more than five years old (R.1111-1) —, not RGPD
 * art. 12(3)'s month, which still holds for her other data (answerDueOtherData). The answer itself
 * stays the person's own (no sorting, no reasoned-refusal workflow: isCspAccessRequest stays the
 * requests after the death).
 */
export const isHealthAccessRequest = (r: { from: string; healthInformation?: boolean } | null | undefined): boolean =>
  !!r && r.healthInformation === true && (r.from === 'person' || r.from === 'representative');

/** Whether CSP L.1111-7 al. 2's deadlines and 48 hours apply: a request after the death, or a living person's about her health information. */
export const hasCspDeadlines = (r: { from: string; healthInformation?: boolean } | null | undefined): boolean => isCspAccessRequest(r) || isHealthAccessRequest(r);

/** The French labels of who asked (console form, job list). */
export const ACCESS_REQUEST_FROM_LABELS: Record<AccessRequestFrom, string> = {
  person: 'La personne elle-même',
  // A minor's request is made by her parents (autorité parentale, C. civ. 371-1) or the tuteur of a minor (C. civ. 390).
  representative: 'Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)',
  ayant_droit: 'Ayant droit, concubin ou partenaire de PACS d’une personne décédée',
  parental_authority: 'Titulaire de l’autorité parentale d’un mineur décédé',
};

/**
 * The proof of the requester's standing an ayant droit, concubin, partenaire de PACS or parent
 * produces (the establishment checks the capacity in which she asks before communicating, CSP
 * L.1110-4 V, L.1111-7; arrêté du 3 janvier 2007 modifying the recommendations of 5 March 2004 on
 * access to health information): its type, its reference and its date, recorded with the request.
 */
export type StandingProofType = 'acte_notoriete' | 'attestation_heredite' | 'livret_famille' | 'acte_pacs' | 'attestation_concubinage' | 'jugement' | 'autre';
export const STANDING_PROOF_TYPES: readonly StandingProofType[] = ['acte_notoriete', 'attestation_heredite', 'livret_famille', 'acte_pacs', 'attestation_concubinage', 'jugement', 'autre'];
export const STANDING_PROOF_LABELS: Record<StandingProofType, string> = {
  acte_notoriete: 'Acte de notoriété (notaire)',
  attestation_heredite: 'Attestation ou certificat d’hérédité',
  livret_famille: 'Livret de famille',
  acte_pacs: 'Acte ou attestation de PACS',
  attestation_concubinage: 'Attestation ou certificat de concubinage',
  jugement: 'Jugement (délégation ou attribution de l’autorité parentale, tutelle…)',
  autre: 'Autre pièce (précisez-la dans la référence)',
};
export interface StandingProof {
  type: StandingProofType;
  /** Its reference as staff read it (notary's reference, acte's number…), or what it is for « autre ». */
  reference: string;
  /** The day it was issued (YYYY-MM-DD, not after today). */
  issuedOn: string;
}

/** How the requester wants the information: directly, or through a doctor she names (CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin), « par l'intermédiaire d'un médecin qu'elle désigne »). */
export type CommunicationMode = 'direct' | 'physician';
export const COMMUNICATION_MODE_LABELS: Record<CommunicationMode, string> = {
  direct: 'Directement au demandeur',
  physician: 'Par l’intermédiaire d’un médecin qu’il désigne',
};

/** CSP L.1110-4 V: the three purposes for which an ayant droit may receive a deceased person's information. */
export type HeirPurpose = 'causes_of_death' | 'defend_memory' | 'assert_rights';
export const HEIR_PURPOSES: readonly HeirPurpose[] = ['causes_of_death', 'defend_memory', 'assert_rights'];
export const HEIR_PURPOSE_LABELS: Record<HeirPurpose, string> = {
  causes_of_death: 'Connaître les causes de la mort',
  defend_memory: 'Défendre la mémoire du défunt',
  assert_rights: 'Faire valoir ses droits',
};

/** Whether the deceased objected, during her life, to her information being given (CSP L.1110-4 V, « sauf volonté contraire »). */
export type DeceasedObjection = 'none' | 'recorded';

/**
 * The part of a request after the death the CSP asks for (absent for the person's or her
 * representative's request). An ayant droit: purpose and the deceased's objection. A deceased
 * minor's parent (L.1110-4 V al. 2): neither — her right is to the whole, with no purpose, the
 * minor's secret excepted (L.1111-5, L.1111-5-1). Both: the day of the death and the proof of
 * standing (requests recorded before it have none).
 */
export interface HeirRequest {
  /** An ayant droit's only. */
  purpose?: HeirPurpose;
  /** The day of the death (from the death certificate the requester gives; YYYY-MM-DD, not after the request). */
  deceasedOn: string;
  /** An ayant droit's only; always « none » on a recorded request: one with a recorded objection is refused. */
  deceasedObjection?: 'none';
  standingProof?: StandingProof;
  /**
   * Who asks (« Nom Prénom »), optional: each ayant droit has her own right (L.1110-4 V, L.1111-7), and
   * one acte de notoriété names the whole succession — two heirs who produce it are told apart by
   * their names (requesterKeyOf). Only its SHA-256 in the audit chain; « masqué » to other staff.
   */
  requesterName?: string;
  /** CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin): directly or through a doctor (absent: not stated, direct). */
  communication?: CommunicationMode;
  /** The doctor's name when through a doctor. */
  physician?: string;
  /**
   * A deceased minor's parents' only: staff checked she was not emancipated (the sector lawyer's
   * review of session 19). The parents' right of L.1110-4 V al. 2 is about a minor in their
   * authority; an emancipated minor « cesse d'être sous l'autorité de ses père et mère » (C. civ.
   * 413-7) and is capable as an adult (413-6): her parents ask as ayants droit. The file records no
   * emancipation, so staff confirm it: required when she was 16 or over at the death (C. civ. 413-2:
   * no emancipation before; heirRequestChecked), absent otherwise and on older requests.
   */
  notEmancipated?: true;
}

/**
 * What staff are told about a request without its being refused, kept with it (params.request.warnings)
 * and shown on its page. `HEIR_REQUEST_DEATH_BEFORE_DEPARTURE`: the death stated precedes the end of
 * the stay recorded — lawful (the exit recorded may be the day the room was vacated), worth checking.
 * `HEIR_REQUEST_DEATH_DATE_DIFFERS`: the file records another death date (`residents.deceased_on`).
 * `HEIR_REQUEST_NO_DEATH_RECORDED`: the file records a departure but no death (`deceased_on` null).
 * `HEALTH_ACCESS_REPRESENTATION_UNVERIFIED`: a representative asks for an adult's health information
 * and her file records no measure in force (CSP L.1111-7, alinéa relatif à la personne chargée d’une
 * mesure de protection avec représentation relative à la personne (ordonnance n° 2020-232): such a
 * measure, or the person's express mandate) — staff check the piece she produces.
 */
export interface AccessRequestWarning {
  code: 'HEIR_REQUEST_DEATH_BEFORE_DEPARTURE' | 'HEIR_REQUEST_DEATH_DATE_DIFFERS' | 'HEIR_REQUEST_NO_DEATH_RECORDED' | 'HEALTH_ACCESS_REPRESENTATION_UNVERIFIED';
  message: string;
}

/**
 * What a parents' request for a living minor's health information states (CSP L.1111-7, alinéa
 * relatif aux mineurs; R.1111-6): whether the minor opposed their being told of some care (L.1111-5,
 * L.1111-5-1: « recorded » — an opposition written down in her file by the physician, the sage-femme
 * or the infirmier; accepted: the professional who receives the request seeks her consent, and if she
 * maintains it the information it covers is not communicated « tant que l'opposition est maintenue »,
 * that professional sorting, R.1111-6), and whether she asked that their access go through a physician
 * (« À la demande du mineur, cet accès a lieu par l'intermédiaire d'un médecin »): then `physician`,
 * the physician the parents designate, to whom the information is sent or in whose presence they
 * consult it on the spot, at their choice (R.1111-6 last alinéa) — required, as the heirs' (HeirRequest.physician).
 * `notEmancipated`: staff confirmed it, from 16 (C. civ. 413-2, 413-7), as for a deceased minor's
 * parents (HeirRequest.notEmancipated). `emancipated`: the minor's own request, she being emancipated
 * (C. civ. 413-6: capable as an adult).
 */
export interface LivingMinorHealthRequest {
  opposition?: MinorOpposition;
  throughPhysician?: boolean;
  /** With throughPhysician: the physician the parents designate (« Nom Prénom », 3 to 200 characters); its SHA-256 in the audit chain, « masqué » to other staff. Older requests have none. */
  physician?: string;
  notEmancipated?: true;
  emancipated?: true;
}
export type MinorOpposition = 'none' | 'recorded';
export const MINOR_OPPOSITION_LABELS: Record<MinorOpposition, string> = {
  none: 'Non, le mineur ne s’y est pas opposé',
  // CSP R.1111-6: written down by a professional, who seeks her consent; withheld only while she maintains it (the sector lawyer's review).
  recorded:
    'Oui : une opposition du mineur figure au dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue',
};

export interface AccessRequestStatement {
  from: AccessRequestFrom;
  /** The day the establishment received the request (YYYY-MM-DD, not after today). */
  receivedOn: string;
  /**
   * When the answer is due: RGPD art. 12(3), one month after receipt (extendable by two months, the
   * person told why); for an ayant droit, and for a living person's health information
   * (healthInformation), CSP L.1111-7 al. 2, eight days, or two months when all the information is
   * more than five years old (withCspDeadlines).
   */
  answerDue: string;
  /** A request under the CSP on a file holding both recent information and information more than five years old: the two months of the latter (CSP L.1111-7 al. 2). */
  answerDueOlderInformation?: string;
  /**
   * The living person's request concerns her health information (CSP L.1111-7): its deadlines are the
   * CSP's (answerDue, answerDueOlderInformation) and the 48 hours (notBefore). Absent: it does not.
   */
  healthInformation?: true;
  /** With healthInformation: when her other data are due, RGPD art. 12(3)'s month (answerDueOf). */
  answerDueOtherData?: string;
  /**
   * A living minor's health information (healthInformation; heirRequestChecked decides she is a minor
   * from her birth date at receivedOn): the holders of parental authority exercise the right (CSP
   * L.1111-7, alinéa relatif aux mineurs; `representative`), her own request is refused (400
   * MINOR_HEALTH_ACCESS_BY_PARENTS) unless she is emancipated (`emancipated`, from 16, C. civ. 413-2,
   * 413-6). Absent for an adult and on older requests.
   */
  minor?: LivingMinorHealthRequest;
  /** The request as received: how it came and what it asks (staff's words; only its SHA-256 in the audit chain). */
  statement: string;
  heir?: HeirRequest;
  /**
   * A request under the CSP (L.1111-7 al. 2, « au plus tôt après qu'un délai de quarante-huit
   * heures aura été observé »; R.1111-1): the instant before which nothing may be communicated.
   * The day of receipt is recorded, not its hour: 48 hours after the earlier of the end of that day
   * (Paris) and the moment staff recorded it (notBeforeOf). Older requests have none.
   */
  notBefore?: string;
  /** What staff were told when it was recorded (heirRequestChecked), shown on its page. */
  warnings?: AccessRequestWarning[];
}

/**
 * Who asked, as the request records her, for telling the same request entered twice from another
 * requester's (DataJobsService.assertNotDuplicate). After a death each ayant droit, concubin,
 * partenaire or parent has her own right of access (CSP L.1110-4 V, L.1111-7): two children of the
 * deceased asking the same day are two requests. What tells them apart is the proof of standing each
 * produces (its type and reference, HeirRequest.standingProof): the reference compared without case,
 * accents, punctuation or spacing (« Me Durand, réf. 2026/1187 » and « me durand ref 2026-1187 » are
 * the same piece). The person's own request and her representative's record no one else: ''. A
 * request after a death recorded before the proof was asked for has none: ''.
 */
export function requesterKeyOf(r: { from: string; heir?: { standingProof?: { type: string; reference: string }; requesterName?: string } } | null | undefined): string {
  const proof = r && isCspAccessRequest(r) ? r.heir?.standingProof : undefined;
  if (!proof) return '';
  const folded = (t: string) =>
    t
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  // One acte de notoriété for the whole succession: the requester's name, when recorded, tells its heirs apart (compared folded too).
  const name = r?.heir?.requesterName;
  return `${proof.type}:${folded(proof.reference)}${name ? `:${folded(name)}` : ''}`;
}

export const ACCESS_REQUEST_STATEMENT_MIN = 3;
export const ACCESS_REQUEST_STATEMENT_MAX = 500;

export const ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE =
  'Cette personne est en archive intermédiaire : indiquez la demande d’accès à laquelle vous répondez (qui l’a faite, le jour où elle a été reçue, et la demande elle-même).';

/** `months` months after `day`, the same day or the month's last when it has none (Reg. (EEC, Euratom) n° 1182/71 art. 3.2.c). */
export function monthsAfter(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * One month after `day` (RGPD art. 12(3)), by the rule of periods in months of Regulation (EEC,
 * Euratom) n° 1182/71 art. 3.2.c: the same day of the next month, or its last day when it has none
 * (31 January → 28 or 29 February).
 */
export function answerDueOf(day: string): string {
  return monthsAfter(day, 1);
}

const daysAfter = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);

/**
 * The deadlines of a request under the CSP (hasCspDeadlines: an ayant droit's or a deceased minor's
 * parents', or a living person's about her health information), CSP L.1111-7 al. 2: « au plus tard
 * dans les huit jours suivant sa demande », « porté à deux mois lorsque les informations médicales
 * datent de plus de cinq ans »; both run from the day the request is received, and the five years
 * from the day the information was constituted (R.1111-1). `oldest` and `newest`: the days the
 * person's oldest and newest information was constituted (her documents' creation), null when she
 * has none. Eight days while some of it is under five years old, and then two months more for the
 * older part; two months when all is older. A living person's request keeps RGPD art. 12(3)'s month
 * for her other data (answerDueOtherData). Any other request: as given.
 */
export function withCspDeadlines(r: AccessRequestStatement, oldest: string | null, newest: string | null): AccessRequestStatement {
  if (!hasCspDeadlines(r)) return r;
  const otherData = isHealthAccessRequest(r) ? { answerDueOtherData: answerDueOf(r.receivedOn) } : {};
  return { ...cspDeadlines(r, oldest, newest), ...otherData };
}

function cspDeadlines(r: AccessRequestStatement, oldest: string | null, newest: string | null): AccessRequestStatement {
  const fiveYearsBefore = monthsAfter(r.receivedOn, -60);
  const eightDays = daysAfter(r.receivedOn, 8);
  const twoMonths = monthsAfter(r.receivedOn, 2);
  const older = oldest !== null && oldest < fiveYearsBefore;
  const recent = newest === null || newest >= fiveYearsBefore;
  const { answerDueOlderInformation: _ignored, ...rest } = r;
  if (!recent) return { ...rest, answerDue: twoMonths };
  return older ? { ...rest, answerDue: eightDays, answerDueOlderInformation: twoMonths } : { ...rest, answerDue: eightDays };
}

/** The 48 hours of CSP L.1111-7 al. 2 (R.1111-1). */
export const CSP_WAIT_HOURS = 48;

/**
 * The instant before which a request under the CSP may not be answered (L.1111-7 al. 2: « au plus
 * tôt après qu'un délai de quarante-huit heures aura été observé »). The request was received on
 * `receivedOn` at an hour not recorded, but not after the end of that day in Paris nor after `now`,
 * when staff record it: 48 hours after the earlier of the two — never early, whatever the hour of
 * receipt was.
 */
export function notBeforeOf(receivedOn: string, now: Date): string {
  const latestReceipt = Math.min(startOfDayIn(daysAfter(receivedOn, 1)).getTime(), now.getTime());
  return new Date(latestReceipt + CSP_WAIT_HOURS * 3600_000).toISOString();
}

const realDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/** A request refused because the deceased objected during her life (CSP L.1110-4 V, « sauf volonté contraire exprimée par la personne avant son décès »). */
export const HEIR_ACCESS_OBJECTED_MESSAGE =
  'La personne s’est opposée, de son vivant, à la communication de ses informations après son décès : le secret médical s’impose alors aussi à ses ayants droit, à son concubin et à son partenaire de PACS (Code de la santé publique, art. L.1110-4 V). Rien n’est exporté ; répondez par écrit au demandeur en lui indiquant ce motif.';

/**
 * The statement of an access request from the API's `request` object (or the console's fields), or
 * null when none is given (every field absent or blank). `today` is the Paris day. Bad input: 400
 * with every field's error (ACCESS_REQUEST_FROM_INVALID, ACCESS_REQUEST_DATE_INVALID,
 * ACCESS_REQUEST_DATE_IN_FUTURE, ACCESS_REQUEST_STATEMENT_INVALID, or the shared text rule's code;
 * for an ayant droit, `purpose`, `deceasedOn` and `deceasedObjection` too: HEIR_REQUEST_PURPOSE_INVALID,
 * HEIR_REQUEST_DEATH_DATE_INVALID, HEIR_REQUEST_DEATH_AFTER_REQUEST, HEIR_REQUEST_OBJECTION_REQUIRED;
 * for an ayant droit and a deceased minor's parent, `standingProof: { type, reference, issuedOn }`:
 * HEIR_STANDING_PROOF_REQUIRED, HEIR_STANDING_PROOF_REFERENCE_INVALID, HEIR_STANDING_PROOF_DATE_INVALID,
 * HEIR_STANDING_PROOF_DATE_IN_FUTURE; `requesterName`, optional, 2 to 200 characters: HEIR_REQUESTER_NAME_INVALID; and `communication` (« direct » | « physician », with
 * `physician`): ACCESS_REQUEST_COMMUNICATION_INVALID, ACCESS_REQUEST_PHYSICIAN_REQUIRED); a deceased
 * minor's parent, `notEmancipated: true` (C. civ. 413-7) kept when given — required from 16 at the
 * death (C. civ. 413-2), by heirRequestChecked: PARENT_REQUEST_EMANCIPATION_UNCONFIRMED.
 * An ayant droit's request whose deceased objected: 400 HEIR_ACCESS_OBJECTED_BY_DECEASED. The
 * person's or her representative's, `healthInformation` (true | false, absent: false; CSP
 * L.1111-7): ACCESS_REQUEST_HEALTH_INFORMATION_INVALID; a living minor's, `minorThroughPhysician` with
 * `minorPhysician`: MINOR_HEALTH_PHYSICIAN_REQUIRED (livingMinorOf).
 * The deadline is RGPD art. 12(3)'s; a request under the CSP's is set by withCspDeadlines (L.1111-7).
 */
export function accessRequestStatementOf(input: unknown, today: string): AccessRequestStatement | null {
  if (input === undefined || input === null) return null;
  const o = typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const [from, receivedOn, statement] = [str(o.from), str(o.receivedOn), str(o.statement)];
  if (typeof input === 'object' && !Array.isArray(input) && !from && !receivedOn && !statement) return null;
  const errors: FieldError[] = [];
  if (!(ACCESS_REQUEST_FROM as readonly string[]).includes(from))
    errors.push({
      field: 'request.from',
      code: 'ACCESS_REQUEST_FROM_INVALID',
      message: 'Indiquez qui a fait la demande : la personne elle-même, son représentant, ou, si elle est décédée, un ayant droit, son concubin ou son partenaire de PACS.',
    });
  if (!realDay(receivedOn))
    errors.push({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_INVALID', message: 'Indiquez le jour où la demande a été reçue, au format AAAA-MM-JJ.' });
  else if (receivedOn > today)
    errors.push({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_IN_FUTURE', message: 'Le jour de réception ne peut pas être après aujourd’hui.' });
  // One line, as the reason of an archive's opening: the shared rule for text that must show as it is (no bidirectional control).
  const problem = statement ? textProblem(statement, 'name') : null;
  if (problem) errors.push({ field: 'request.statement', code: problem.code, message: problem.message });
  else if (statement.length < ACCESS_REQUEST_STATEMENT_MIN || statement.length > ACCESS_REQUEST_STATEMENT_MAX)
    errors.push({
      field: 'request.statement',
      code: 'ACCESS_REQUEST_STATEMENT_INVALID',
      message: `Décrivez la demande reçue (courrier, e-mail, en main propre ; ce qu’elle demande) : de ${ACCESS_REQUEST_STATEMENT_MIN} à ${ACCESS_REQUEST_STATEMENT_MAX} caractères.`,
    });
  const heir = (CSP_ACCESS_FROM as readonly string[]).includes(from) ? heirRequestOf(from as AccessRequestFrom, o, receivedOn, today, errors) : undefined;
  // CSP L.1111-7: whether a living person's request concerns her health information (after the death, all of it does: the field is not read).
  const health = from === 'person' || from === 'representative' ? healthInformationOf(o.healthInformation, errors) : false;
  // CSP L.1111-7, L.1111-5, R.1111-6: a living minor's health information — what the request states of her (required, for a minor, by heirRequestChecked).
  const minor = health ? livingMinorOf(o, errors) : undefined;
  // The deceased objected: refused, whatever else is missing (nothing else could open the access).
  const objected = errors.find((e) => e.code === 'HEIR_ACCESS_OBJECTED_BY_DECEASED');
  if (objected) throw new ValidationError([objected], HEIR_ACCESS_OBJECTED_MESSAGE, 'HEIR_ACCESS_OBJECTED_BY_DECEASED');
  if (errors.length) throw new ValidationError(errors);
  return { from: from as AccessRequestFrom, receivedOn, answerDue: answerDueOf(receivedOn), statement, ...(heir ? { heir } : {}), ...(health ? { healthInformation: true as const } : {}), ...(minor ? { minor } : {}) };
}

export const MINOR_HEALTH_OPPOSITION_MESSAGE =
  'La personne est mineure : indiquez si elle s’est opposée à ce que les titulaires de l’autorité parentale soient informés de certains soins (Code de la santé publique, art. L.1111-5 et L.1111-5-1). Si une opposition figure à son dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier), la demande est enregistrée : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue (art. R.1111-6).';

/** CSP R.1111-6 last alinéa: the physician the parents designate receives the information, or is present when they consult it. */
export const MINOR_HEALTH_PHYSICIAN_MESSAGE =
  'Le mineur demande que l’accès de ses parents ait lieu par l’intermédiaire d’un médecin : indiquez le nom du médecin que les titulaires de l’autorité parentale désignent, de 3 à 200 caractères. Les informations lui sont adressées, ou consultées sur place en sa présence, au choix des parents (Code de la santé publique, art. R.1111-6).';

/**
 * What a health request states of a living minor (LivingMinorHealthRequest): `minorOpposition`
 * (« none » | « recorded », blank: not stated — MINOR_HEALTH_OPPOSITION_REQUIRED for a minor's
 * parents, heirRequestChecked), `minorThroughPhysician` with `minorPhysician` (the physician the
 * parents designate, R.1111-6 last alinéa: required with it, as the heirs' `physician` — the shared
 * text rule's code, else MINOR_HEALTH_PHYSICIAN_REQUIRED) and, as for a deceased minor's parents,
 * `notEmancipated`; `emancipated` for her own request. Another value: MINOR_HEALTH_OPPOSITION_REQUIRED
 * onto `errors`. Undefined when nothing is stated (an adult's request).
 */
function livingMinorOf(o: Record<string, unknown>, errors: FieldError[]): LivingMinorHealthRequest | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');
  const yes = (v: unknown) => v === true || str(v) === 'oui' || str(v) === 'true';
  const opposition = str(o.minorOpposition);
  if (opposition && opposition !== 'none' && opposition !== 'recorded') {
    errors.push({ field: 'request.minorOpposition', code: 'MINOR_HEALTH_OPPOSITION_REQUIRED', message: MINOR_HEALTH_OPPOSITION_MESSAGE });
    return undefined;
  }
  const through = yes(o.minorThroughPhysician);
  const physician = typeof o.minorPhysician === 'string' ? o.minorPhysician.trim() : '';
  // R.1111-6 last alinéa: the information goes to the physician the parents designate, or is consulted in his presence — named, as on the heirs' path (heirRequestOf).
  // The text rule first, with its own code (BIDI_CONTROL, CONTROL_CHARACTER…).
  const physicianProblem = through && physician ? textProblem(physician, 'name') : null;
  if (physicianProblem) errors.push({ field: 'request.minorPhysician', code: physicianProblem.code, message: physicianProblem.message });
  else if (through && (physician.length < 3 || physician.length > 200))
    errors.push({ field: 'request.minorPhysician', code: 'MINOR_HEALTH_PHYSICIAN_REQUIRED', message: MINOR_HEALTH_PHYSICIAN_MESSAGE });
  const minor: LivingMinorHealthRequest = {
    ...(opposition ? { opposition: opposition as MinorOpposition } : {}),
    ...(through ? { throughPhysician: true, physician } : {}),
    ...(yes(o.notEmancipated) ? { notEmancipated: true as const } : {}),
    ...(yes(o.emancipated) ? { emancipated: true as const } : {}),
  };
  return Object.keys(minor).length ? minor : undefined;
}

export const ACCESS_REQUEST_HEALTH_INFORMATION_MESSAGE =
  'Indiquez si la demande porte sur des informations de santé de la personne (oui ou non) : elles sont communiquées dans les huit jours, deux mois pour celles de plus de cinq ans, et pas avant 48 heures (Code de la santé publique, art. L.1111-7).';

/** `healthInformation`: true or false (the console's checkbox sends « oui »); absent or blank: false. Otherwise ACCESS_REQUEST_HEALTH_INFORMATION_INVALID onto `errors`. */
function healthInformationOf(v: unknown, errors: FieldError[]): boolean {
  if (v === undefined || v === null || v === true || v === false) return v === true;
  const t = typeof v === 'string' ? v.trim().toLowerCase() : null;
  if (t === '' || t === 'false' || t === 'non') return false;
  if (t === 'true' || t === 'oui') return true;
  errors.push({ field: 'request.healthInformation', code: 'ACCESS_REQUEST_HEALTH_INFORMATION_INVALID', message: ACCESS_REQUEST_HEALTH_INFORMATION_MESSAGE });
  return false;
}

export const PARENT_REQUEST_EMANCIPATION_MESSAGE =
  'La personne avait seize ans ou plus au décès : vérifiez qu’elle n’était pas émancipée (Code civil, art. 413-2) et cochez « La personne n’était pas émancipée » : le mineur émancipé cesse d’être sous l’autorité de ses parents (Code civil, art. 413-6 et 413-7), dont le droit d’accès propre ne vaut que pour un mineur (Code de la santé publique, art. L.1110-4 V). Si elle l’était, enregistrez la demande comme celle d’un ayant droit, avec son motif.';

/**
 * A request after the death (CSP L.1110-4 V): the day of the death and the proof of standing; an
 * ayant droit's purpose and the deceased's objection (a parent of a deceased minor has neither,
 * L.1110-4 V al. 2); how the information is to be communicated (CSP L.1111-7 (accès direct ou par
 * l’intermédiaire d’un médecin), optional). Their
 * errors pushed onto `errors`.
 */
function heirRequestOf(from: AccessRequestFrom, o: Record<string, unknown>, receivedOn: string, today: string, errors: FieldError[]): HeirRequest | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const heirOnly = from === 'ayant_droit';
  const [purpose, deceasedOn, objection] = [str(o.purpose), str(o.deceasedOn), str(o.deceasedObjection)];
  const before = errors.length;
  if (heirOnly && !(HEIR_PURPOSES as readonly string[]).includes(purpose))
    errors.push({
      field: 'request.purpose',
      code: 'HEIR_REQUEST_PURPOSE_INVALID',
      message: 'Indiquez pourquoi le demandeur en a besoin : connaître les causes de la mort, défendre la mémoire du défunt, ou faire valoir ses droits (Code de la santé publique, art. L.1110-4 V).',
    });
  if (!realDay(deceasedOn))
    errors.push({ field: 'request.deceasedOn', code: 'HEIR_REQUEST_DEATH_DATE_INVALID', message: 'Indiquez la date du décès (acte de décès), au format AAAA-MM-JJ.' });
  else if (deceasedOn > today || (realDay(receivedOn) && deceasedOn > receivedOn))
    errors.push({ field: 'request.deceasedOn', code: 'HEIR_REQUEST_DEATH_AFTER_REQUEST', message: 'La date du décès ne peut pas être après le jour où la demande a été reçue.' });
  if (heirOnly && objection !== 'none' && objection !== 'recorded')
    errors.push({
      field: 'request.deceasedObjection',
      code: 'HEIR_REQUEST_OBJECTION_REQUIRED',
      message: 'Indiquez si la personne s’est opposée, de son vivant, à la communication de ses informations après son décès.',
    });
  else if (heirOnly && objection === 'recorded') errors.push({ field: 'request.deceasedObjection', code: 'HEIR_ACCESS_OBJECTED_BY_DECEASED', message: HEIR_ACCESS_OBJECTED_MESSAGE });
  const standingProof = standingProofOf(o.standingProof, today, errors);
  // Who asks (optional): two heirs producing the same acte de notoriété are two requesters (requesterKeyOf).
  const requesterName = str(o.requesterName);
  const nameProblem = requesterName ? textProblem(requesterName, 'name') : null;
  if (nameProblem) errors.push({ field: 'request.requesterName', code: nameProblem.code, message: nameProblem.message });
  else if (requesterName && (requesterName.length < 2 || requesterName.length > 200))
    errors.push({ field: 'request.requesterName', code: 'HEIR_REQUESTER_NAME_INVALID', message: 'Indiquez le nom et le prénom du demandeur, de 2 à 200 caractères (ou laissez vide).' });
  const communication = str(o.communication) || 'direct';
  const physician = str(o.physician);
  // The text rule first, with its own code (BIDI_CONTROL, CONTROL_CHARACTER…), as for the requester's name.
  const physicianProblem = communication === 'physician' && physician ? textProblem(physician, 'name') : null;
  if (communication !== 'direct' && communication !== 'physician')
    errors.push({ field: 'request.communication', code: 'ACCESS_REQUEST_COMMUNICATION_INVALID', message: 'Indiquez si les informations sont communiquées directement au demandeur ou par l’intermédiaire d’un médecin qu’il désigne.' });
  else if (physicianProblem) errors.push({ field: 'request.physician', code: physicianProblem.code, message: physicianProblem.message });
  else if (communication === 'physician' && (physician.length < 3 || physician.length > 200))
    errors.push({
      field: 'request.physician',
      code: 'ACCESS_REQUEST_PHYSICIAN_REQUIRED',
      message: 'Indiquez le nom du médecin que le demandeur désigne pour recevoir les informations (Code de la santé publique, art. L.1111-7), de 3 à 200 caractères.',
    });
  // C. civ. 413-6, 413-7: an emancipated minor's parents have no right of their own under L.1110-4 V al. 2.
  // Kept when confirmed; required only when the minor was 16 or over at the death (C. civ. 413-2), which
  // needs her birth date: heirRequestChecked (heir-request.ts) refuses PARENT_REQUEST_EMANCIPATION_UNCONFIRMED.
  const notEmancipated = o.notEmancipated === true || str(o.notEmancipated) === 'oui' || str(o.notEmancipated) === 'true';
  if (errors.length !== before) return undefined;
  return {
    ...(from === 'parental_authority' && notEmancipated ? { notEmancipated: true as const } : {}),
    ...(heirOnly ? { purpose: purpose as HeirPurpose } : {}),
    deceasedOn,
    ...(heirOnly ? { deceasedObjection: 'none' as const } : {}),
    standingProof: standingProof!,
    ...(requesterName ? { requesterName } : {}),
    communication: communication as CommunicationMode,
    ...(communication === 'physician' ? { physician } : {}),
  };
}

/** The proof of standing (type, reference, date): required for a request after the death; its errors pushed onto `errors`. */
function standingProofOf(input: unknown, today: string, errors: FieldError[]): StandingProof | undefined {
  const o = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const [type, reference, issuedOn] = [str(o.type), str(o.reference), str(o.issuedOn)];
  const before = errors.length;
  if (!(STANDING_PROOF_TYPES as readonly string[]).includes(type))
    errors.push({
      field: 'request.standingProof.type',
      code: 'HEIR_STANDING_PROOF_REQUIRED',
      message:
        'Indiquez la pièce qui établit la qualité du demandeur (acte de notoriété, attestation ou certificat d’hérédité, livret de famille, acte de PACS, attestation de concubinage, jugement ou autre) : elle est vérifiée avant toute communication.',
    });
  const problem = reference ? textProblem(reference, 'name') : null;
  if (problem) errors.push({ field: 'request.standingProof.reference', code: problem.code, message: problem.message });
  else if (reference.length < 2 || reference.length > 200)
    errors.push({
      field: 'request.standingProof.reference',
      code: 'HEIR_STANDING_PROOF_REFERENCE_INVALID',
      message: 'Indiquez la référence de la pièce (numéro, notaire ou autorité qui l’a délivrée ; pour « autre », ce qu’elle est), de 2 à 200 caractères.',
    });
  if (!realDay(issuedOn))
    errors.push({ field: 'request.standingProof.issuedOn', code: 'HEIR_STANDING_PROOF_DATE_INVALID', message: 'Indiquez la date de la pièce, au format AAAA-MM-JJ.' });
  else if (issuedOn > today)
    errors.push({ field: 'request.standingProof.issuedOn', code: 'HEIR_STANDING_PROOF_DATE_IN_FUTURE', message: 'La date de la pièce ne peut pas être après aujourd’hui.' });
  return errors.length === before ? { type: type as StandingProofType, reference, issuedOn } : undefined;
}

export function accessRequestStatementRequired(): ValidationError {
  return new ValidationError(
    [{ field: 'request', code: 'ACCESS_REQUEST_STATEMENT_REQUIRED', message: ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE }],
    ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE,
    'ACCESS_REQUEST_STATEMENT_REQUIRED',
  );
}
