import { FieldError, ValidationError, textProblem } from '@carepact/common';

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
export type AccessRequestFrom = 'person' | 'representative' | 'ayant_droit';
export const ACCESS_REQUEST_FROM: readonly AccessRequestFrom[] = ['person', 'representative', 'ayant_droit'];

/** The French labels of who asked (console form, job list). */
export const ACCESS_REQUEST_FROM_LABELS: Record<AccessRequestFrom, string> = {
  person: 'La personne elle-même',
  // A minor's request is made by her parents (autorité parentale, C. civ. 371-1) or the tuteur of a minor (C. civ. 390).
  representative: 'Son représentant (ses parents ou le tuteur d’un mineur, tuteur, curateur, mandataire…)',
  ayant_droit: 'Ayant droit, concubin ou partenaire de PACS d’une personne décédée',
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

/** The part of an ayant droit's request the CSP asks for (absent for the person's or her representative's request). */
export interface HeirRequest {
  purpose: HeirPurpose;
  /** The day of the death (from the death certificate the requester gives; YYYY-MM-DD, not after the request). */
  deceasedOn: string;
  /** Always « none » on a recorded request: one with a recorded objection is refused. */
  deceasedObjection: 'none';
}

export interface AccessRequestStatement {
  from: AccessRequestFrom;
  /** The day the establishment received the request (YYYY-MM-DD, not after today). */
  receivedOn: string;
  /**
   * When the answer is due: RGPD art. 12(3), one month after receipt (extendable by two months, the
   * person told why); for an ayant droit, CSP L.1111-7 al. 2, eight days, or two months when all the
   * information is more than five years old (withHeirDeadlines).
   */
  answerDue: string;
  /** An ayant droit's request on a file holding both recent information and information more than five years old: the two months of the latter (CSP L.1111-7 al. 2). */
  answerDueOlderInformation?: string;
  /** The request as received: how it came and what it asks (staff's words; only its SHA-256 in the audit chain). */
  statement: string;
  heir?: HeirRequest;
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
 * An ayant droit's deadlines (CSP L.1111-7 al. 2): « au plus tard dans les huit jours suivant sa
 * demande », « porté à deux mois lorsque les informations médicales datent de plus de cinq ans »;
 * both run from the day the request is received, and the five years from the day the information was
 * constituted (R.1111-1). `oldest` and `newest`: the days the person's oldest and newest information
 * was constituted (her documents' creation), null when she has none. Eight days while some of it is
 * under five years old, and then two months more for the older part; two months when all is older.
 */
export function withHeirDeadlines(r: AccessRequestStatement, oldest: string | null, newest: string | null): AccessRequestStatement {
  if (r.from !== 'ayant_droit') return r;
  const fiveYearsBefore = monthsAfter(r.receivedOn, -60);
  const eightDays = daysAfter(r.receivedOn, 8);
  const twoMonths = monthsAfter(r.receivedOn, 2);
  const older = oldest !== null && oldest < fiveYearsBefore;
  const recent = newest === null || newest >= fiveYearsBefore;
  const { answerDueOlderInformation: _ignored, ...rest } = r;
  if (!recent) return { ...rest, answerDue: twoMonths };
  return older ? { ...rest, answerDue: eightDays, answerDueOlderInformation: twoMonths } : { ...rest, answerDue: eightDays };
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
 * HEIR_REQUEST_DEATH_DATE_INVALID, HEIR_REQUEST_DEATH_AFTER_REQUEST, HEIR_REQUEST_OBJECTION_REQUIRED).
 * An ayant droit's request whose deceased objected: 400 HEIR_ACCESS_OBJECTED_BY_DECEASED.
 * The deadline is RGPD art. 12(3)'s; an ayant droit's is set by withHeirDeadlines (CSP L.1111-7).
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
  const heir = from === 'ayant_droit' ? heirRequestOf(o, receivedOn, today, errors) : undefined;
  if (errors.length === 1 && errors[0].code === 'HEIR_ACCESS_OBJECTED_BY_DECEASED') throw new ValidationError(errors, HEIR_ACCESS_OBJECTED_MESSAGE, 'HEIR_ACCESS_OBJECTED_BY_DECEASED');
  if (errors.length) throw new ValidationError(errors);
  return { from: from as AccessRequestFrom, receivedOn, answerDue: answerDueOf(receivedOn), statement, ...(heir ? { heir } : {}) };
}

/** An ayant droit's purpose, the day of the death and the deceased's objection (CSP L.1110-4 V); their errors pushed onto `errors`. */
function heirRequestOf(o: Record<string, unknown>, receivedOn: string, today: string, errors: FieldError[]): HeirRequest | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const [purpose, deceasedOn, objection] = [str(o.purpose), str(o.deceasedOn), str(o.deceasedObjection)];
  const before = errors.length;
  if (!(HEIR_PURPOSES as readonly string[]).includes(purpose))
    errors.push({
      field: 'request.purpose',
      code: 'HEIR_REQUEST_PURPOSE_INVALID',
      message: 'Indiquez pourquoi le demandeur en a besoin : connaître les causes de la mort, défendre la mémoire du défunt, ou faire valoir ses droits (Code de la santé publique, art. L.1110-4 V).',
    });
  if (!realDay(deceasedOn))
    errors.push({ field: 'request.deceasedOn', code: 'HEIR_REQUEST_DEATH_DATE_INVALID', message: 'Indiquez la date du décès (acte de décès), au format AAAA-MM-JJ.' });
  else if (deceasedOn > today || (realDay(receivedOn) && deceasedOn > receivedOn))
    errors.push({ field: 'request.deceasedOn', code: 'HEIR_REQUEST_DEATH_AFTER_REQUEST', message: 'La date du décès ne peut pas être après le jour où la demande a été reçue.' });
  if (objection !== 'none' && objection !== 'recorded')
    errors.push({
      field: 'request.deceasedObjection',
      code: 'HEIR_REQUEST_OBJECTION_REQUIRED',
      message: 'Indiquez si la personne s’est opposée, de son vivant, à la communication de ses informations après son décès.',
    });
  else if (objection === 'recorded') errors.push({ field: 'request.deceasedObjection', code: 'HEIR_ACCESS_OBJECTED_BY_DECEASED', message: HEIR_ACCESS_OBJECTED_MESSAGE });
  return errors.length === before ? { purpose: purpose as HeirPurpose, deceasedOn, deceasedObjection: 'none' } : undefined;
}

export function accessRequestStatementRequired(): ValidationError {
  return new ValidationError(
    [{ field: 'request', code: 'ACCESS_REQUEST_STATEMENT_REQUIRED', message: ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE }],
    ACCESS_REQUEST_STATEMENT_REQUIRED_MESSAGE,
    'ACCESS_REQUEST_STATEMENT_REQUIRED',
  );
}
