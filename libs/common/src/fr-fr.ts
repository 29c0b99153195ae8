/**
 * French wording shared by every place that names a document, a protection measure or a date to
 * people (signing portal, e-mails, signature policy, evidence, template input): one table per
 * concern, so a resident never reads two names for the same thing. This lib is the lowest layer:
 * the keys repeat the unions of @carepact/documents (DocumentType) and @carepact/residents
 * (MeasureType, HolderRole, MeasureMode); those libs check at compile time that they still match.
 */

export type FrDocumentType = 'contrat-sejour' | 'dipc' | 'avenant' | 'projet-personnalise' | 'compte-rendu-synthese';

export interface DocumentTypeLabel {
  /** With its definite article, for « signer le contrat de séjour ». */
  the: string;
  /** Without article, after « votre ». */
  noun: string;
  /** Headings and subject lines. */
  short: string;
}

export const DOCUMENT_TYPE_LABELS: Readonly<Record<FrDocumentType, DocumentTypeLabel>> = {
  'contrat-sejour': { the: 'le contrat de séjour', noun: 'contrat de séjour', short: 'contrat de séjour' },
  dipc: {
    the: 'le document individuel de prise en charge (DIPC)',
    noun: 'document individuel de prise en charge (DIPC)',
    short: 'document individuel de prise en charge (DIPC)',
  },
  avenant: { the: 'l’avenant au contrat de séjour', noun: 'avenant au contrat de séjour', short: 'avenant au contrat de séjour' },
  'projet-personnalise': { the: 'le projet personnalisé', noun: 'projet personnalisé', short: 'projet personnalisé' },
  // The template's own title (templates/documents/compte-rendu-synthese).
  'compte-rendu-synthese': {
    the: 'le compte rendu de réunion de synthèse',
    noun: 'compte rendu de réunion de synthèse',
    short: 'compte rendu de réunion de synthèse',
  },
};

/**
 * What an avenant amends, when it is not the contrat de séjour: the name people read depends on it,
 * not on the type alone. Recorded on the document (`documents.subtype`, migration 1764110000000)
 * from the data of its current version, so that a list names it without reading the version's data
 * (which the intermediate archive refuses, libs/documents intermediate-archive.ts):
 * - `avenant-dipc`: an avenant to a DIPC (data `document.appliesTo == 'dipc'`, avenant 1.1.0 on),
 *   « élaboré dans les mêmes conditions » as the DIPC (CASF D.311 VII);
 * - `annexe-liberte-aller-venir`: the annex to the contrat de séjour on the measures for the safety
 *   and the freedom to come and go (data `document.purpose == 'liberte-aller-venir'`, avenant 1.4.0
 *   on; CASF L.311-4-1 I). It comes first, as in the template's title;
 * - `avenant-tarifaire`, `avenant-tarifaire-dipc`: a tariff avenant (data `document.purpose ==
 *   'tarifs'`, avenant 1.3.0 on) to the contrat de séjour, or to a DIPC (`appliesTo == 'dipc'`): the
 *   new prices per day, the yearly revalorisation (CASF L.342-3) or the departmental tariff (CASF
 *   L.314-1), not the accompaniment's objectives and services (CASF L.311-4, D.311). Named apart so
 *   that a person's two avenants of one year are not two « avenant au contrat de séjour ».
 * Null: the type's own name (an avenant to the contrat de séjour on the accompaniment, every other type).
 */
export const DOCUMENT_SUBTYPES = ['avenant-dipc', 'annexe-liberte-aller-venir', 'avenant-tarifaire', 'avenant-tarifaire-dipc'] as const;
export type DocumentSubtype = (typeof DOCUMENT_SUBTYPES)[number];

/** The names of the subtypes, written as the avenant template's title (templates/documents/avenant, 1.4.0 on). */
export const DOCUMENT_SUBTYPE_LABELS: Readonly<Record<DocumentSubtype, DocumentTypeLabel>> = {
  'avenant-dipc': {
    the: 'l’avenant au document individuel de prise en charge (DIPC)',
    noun: 'avenant au document individuel de prise en charge (DIPC)',
    short: 'avenant au document individuel de prise en charge (DIPC)',
  },
  'annexe-liberte-aller-venir': {
    the: 'l’annexe au contrat de séjour sur la liberté d’aller et venir',
    noun: 'annexe au contrat de séjour sur la liberté d’aller et venir',
    short: 'annexe au contrat de séjour sur la liberté d’aller et venir',
  },
  // The template's words (« Le présent avenant tarifaire complète le contrat de séjour… », avenant 1.3.0 on).
  'avenant-tarifaire': {
    the: 'l’avenant tarifaire au contrat de séjour',
    noun: 'avenant tarifaire au contrat de séjour',
    short: 'avenant tarifaire au contrat de séjour',
  },
  'avenant-tarifaire-dipc': {
    the: 'l’avenant tarifaire au document individuel de prise en charge (DIPC)',
    noun: 'avenant tarifaire au document individuel de prise en charge (DIPC)',
    short: 'avenant tarifaire au document individuel de prise en charge (DIPC)',
  },
};

/**
 * The subtype of a document from the data of a version (`input.document`, or the document data
 * themselves): the one rule, read where a version is created (DocumentsService: API, console, bulk)
 * and in the migrations that recorded it for the documents created before (1764110000000,
 * 1764150000000 for the tariff avenants: the same rule in SQL). Liberty first (it only amends a
 * contract, template check LIBERTY_ANNEX_CONTRACT_ONLY), then the tariff avenant, then what it amends.
 */
export function documentSubtypeOf(type: unknown, data: unknown): DocumentSubtype | null {
  if (type !== 'avenant' || !data || typeof data !== 'object') return null;
  const d = data as { purpose?: unknown; appliesTo?: unknown };
  if (d.purpose === 'liberte-aller-venir') return 'annexe-liberte-aller-venir';
  if (d.purpose === 'tarifs') return d.appliesTo === 'dipc' ? 'avenant-tarifaire-dipc' : 'avenant-tarifaire';
  return d.appliesTo === 'dipc' ? 'avenant-dipc' : null;
}

/**
 * The labels of a document, by its type and its subtype (`documents.subtype`: what an avenant
 * amends), or undefined for a type this table does not know. The subtype is required, null when the
 * caller knows there is none: a place that names an avenant without it would call an avenant to a
 * DIPC « avenant au contrat de séjour ».
 */
export function documentTypeLabel(type: unknown, subtype: unknown): DocumentTypeLabel | undefined {
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(DOCUMENT_TYPE_LABELS, type)) return undefined;
  if (type === 'avenant' && typeof subtype === 'string' && Object.prototype.hasOwnProperty.call(DOCUMENT_SUBTYPE_LABELS, subtype))
    return DOCUMENT_SUBTYPE_LABELS[subtype as DocumentSubtype];
  return DOCUMENT_TYPE_LABELS[type as FrDocumentType];
}

/**
 * « de » before a name, with French elision: « d’Émile », « d’Ahmed Benali », « d’EHPAD Les Tilleuls »,
 * « de Marcel ». The one helper for every « … de <person or establishment> » the views, e-mails and
 * documents build. Elides before any vowel, accented or not, in either case (a, â, é, è, ê, ë, î, ï,
 * ô, œ, u, ù, û, y…). Never before h: « d’Hélène » (h muet) would be right but « d’Hugues » (h aspiré)
 * would not, a name does not say which, and « de Hélène » reads as acceptable where a wrong elision
 * reads as a mistake.
 */
export function ofName(name: string): string {
  // A name wrapped in FIRST STRONG ISOLATE (bidi-safe e-mail text) elides on its first letter.
  const first = name.replace(/^\u2068/, '').charAt(0);
  return /^[aeiouyàâäéèêëîïôöùûüÿæœ]/i.test(first) ? `d’${name}` : `de ${name}`;
}

/** « le contrat de séjour de Marcel Dupont », « l’avenant au contrat de séjour d’Émile Durand », or « votre contrat de séjour » (residentName null). */
export function documentPhrase(label: DocumentTypeLabel, residentName: string | null): string {
  return residentName === null ? `votre ${label.noun}` : `${label.the} ${ofName(residentName)}`;
}

/**
 * A document named on its own, as a link or a list item: « Contrat de séjour de Marcel Dupont »,
 * « Avenant au document individuel de prise en charge (DIPC) d’Émile Durand »; « Document de … » for a
 * type the table does not know. `subtype`: as documentTypeLabel.
 */
export function documentTitle(type: unknown, subtype: unknown, residentName: string): string {
  const noun = documentTypeLabel(type, subtype)?.short ?? 'document';
  return `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${ofName(residentName)}`;
}

/** Protection measures (C. civ. 433 s., 440 s., 477 s., 494-1 s.). */
export const MEASURE_TYPE_LABELS: Readonly<Record<
  'sauvegarde_justice' | 'curatelle' | 'curatelle_renforcee' | 'tutelle' | 'habilitation_familiale' | 'mandat_protection_future',
  string
>> = {
  sauvegarde_justice: 'sauvegarde de justice',
  curatelle: 'curatelle simple',
  curatelle_renforcee: 'curatelle renforcée',
  tutelle: 'tutelle',
  habilitation_familiale: 'habilitation familiale',
  mandat_protection_future: 'mandat de protection future',
};

export const MEASURE_MODE_LABELS: Readonly<Record<'assistance' | 'representation', string>> = {
  assistance: 'assistance',
  representation: 'représentation',
};

/** The person who exercises a measure, as the fixture and the documents spell it. */
export const HOLDER_ROLE_LABELS: Readonly<Record<'mandataire_special' | 'curateur' | 'tuteur' | 'personne_habilitee' | 'mandataire', string>> = {
  curateur: 'curateur',
  tuteur: 'tuteur',
  personne_habilitee: 'personne habilitée',
  mandataire: 'mandataire',
  mandataire_special: 'mandataire spécial',
};

/** Staff roles as the console names them. */
export const STAFF_ROLE_LABELS: Readonly<Record<'admissions' | 'coordinator' | 'director' | 'auditor' | 'administrator', string>> = {
  admissions: 'admissions',
  coordinator: 'coordination',
  director: 'direction',
  auditor: 'audit',
  administrator: 'administration',
};

// ---------------------------------------------------------------------------------------------
// Dates for people: written in full (« 14 mars 2026 », « 1er mars 2026 »), never 14/03/2026 — the
// FALC rules (libs/templates falc-lint « numeric-date ») and the documents write them so.
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Creating an Intl.DateTimeFormat costs far more than formatting with one: one per zone.
const TIME_FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function timeFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = TIME_FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    TIME_FORMATTERS.set(timeZone, f);
  }
  return f;
}

export interface FrenchDateOptions {
  /** For an instant: the zone whose calendar day is shown (default Europe/Paris). A `YYYY-MM-DD` date has no zone. */
  timeZone?: string;
  /** « samedi 12 décembre 2026 » rather than « 12 décembre 2026 ». */
  weekday?: boolean;
}

/**
 * A date as French writes it for people: « 14 mars 2026 », the first of the month « 1er mars 2026 ».
 * A `YYYY-MM-DD` string is a calendar date (birth, judgment: no time zone can shift it); a Date is an
 * instant shown in `timeZone`.
 * @throws RangeError for a string that is not a real `YYYY-MM-DD` date, or an unknown time zone.
 */
export function formatDateFr(value: string | Date, options: FrenchDateOptions = {}): string {
  // An instant is shown as its calendar day in the zone; a calendar day is written from the tables
  // below (the same text as Intl's fr-FR long date — fr-fr.spec.ts compares them day by day — at a
  // fraction of formatToParts' cost: pages list hundreds of dates).
  const day = typeof value === 'string' ? value : calendarDayIn(value, options.timeZone ?? 'Europe/Paris');
  const m = ISO_DATE.exec(day);
  if (!m) throw new RangeError(`date AAAA-MM-JJ attendue : ${JSON.stringify(value)}`);
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, date));
  if (utc.getUTCDate() !== date || utc.getUTCMonth() !== month - 1) throw new RangeError(`date inexistante : ${day}`);
  // French typography writes the first of the month as an ordinal: « 1er ».
  const text = `${date === 1 ? '1er' : date} ${MONTHS_FR[month - 1]} ${year}`;
  return options.weekday ? `${WEEKDAYS_FR[utc.getUTCDay()]} ${text}` : text;
}

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const WEEKDAYS_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

/** « 23 h 59 » in `timeZone` (default Europe/Paris). */
export function formatTimeFr(instant: Date, timeZone = 'Europe/Paris'): string {
  const [h, m] = timeFormatter(timeZone).format(instant).split(':');
  // French usage writes the hour without a leading zero: « 9 h 05 », « 0 h 30 » (not « 09 h 05 »).
  return `${Number(h)} h ${m}`;
}

/**
 * « 14 mars 2026 à 9 h 05 » (with `weekday`: « samedi 14 mars 2026 à 9 h 05 »): an instant as
 * every page, e-mail and document writes it, day and time in `timeZone` (default Europe/Paris).
 * A string must be an ISO instant (a database timestamp as the views receive it).
 */
export function formatDateTimeFr(instant: Date | string, options: FrenchDateOptions = {}): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new RangeError(`instant ISO attendu : ${JSON.stringify(instant)}`);
  const timeZone = options.timeZone ?? 'Europe/Paris';
  return `${formatDateFr(d, { timeZone, weekday: options.weekday })} à ${formatTimeFr(d, timeZone)}`;
}

/**
 * The last second of a calendar day in `timeZone` (default Europe/Paris) as an instant: a deadline
 * « le 15 novembre » ends at 23:59:59 in the establishment's zone, so that every place that shows it
 * in that zone (console, portal, e-mails) writes the same day. `T23:59:59Z` would be the 16th in Paris.
 */
export function endOfDayIn(isoDate: string, timeZone = 'Europe/Paris'): Date {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`date AAAA-MM-JJ attendue : ${JSON.stringify(isoDate)}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  // The zone's offset at that wall time (two passes settle a day when the offset changes).
  let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
  instant = wall - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/**
 * Midnight starting a calendar day in `timeZone` (default Europe/Paris, the establishments' legal
 * time) as an instant, at the offset of that very moment: 23:00 UTC the day before in winter, 22:00
 * in summer (the change itself happens at 01:00 UTC, after midnight: the last Sundays of March and
 * October start at the offset of the day before).
 */
export function startOfDayIn(isoDate: string, timeZone = 'Europe/Paris'): Date {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`date AAAA-MM-JJ attendue : ${JSON.stringify(isoDate)}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
  instant = wall - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

const OFFSET_FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds (Intl). */
function zoneOffsetOf(instant: Date, timeZone: string): number {
  let f = OFFSET_FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    OFFSET_FORMATTERS.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * Zone offsets are whole quarters of an hour and change on quarter-hour boundaries (UTC) since 1970
 * in every zone of the tz database: one Intl call per zone and quarter of an hour, remembered.
 */
const QUARTER_MS = 15 * 60 * 1000;
const OFFSETS = new Map<string, number>();

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const t = instant.getTime();
  if (!(t >= 0)) return zoneOffsetOf(instant, timeZone);
  const quarter = Math.floor(t / QUARTER_MS);
  const key = `${timeZone}|${quarter}`;
  let offset = OFFSETS.get(key);
  if (offset === undefined) {
    offset = zoneOffsetOf(new Date(quarter * QUARTER_MS), timeZone);
    if (OFFSETS.size >= 50_000) OFFSETS.clear();
    OFFSETS.set(key, offset);
  }
  return offset;
}

/** The calendar day (`YYYY-MM-DD`) of an instant in `timeZone` (default Europe/Paris). */
export function calendarDayIn(instant: Date, timeZone = 'Europe/Paris'): string {
  return new Date(instant.getTime() + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

const FRENCH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A date typed as French writes it, JJ/MM/AAAA (day and month of one or two digits), as `AAAA-MM-JJ`:
 * the console's date fields accept it, a browser without a date picker showing a text field. Any
 * other text is answered unchanged, for the validation to say what is wrong with it (nor is
 * `31/02/2026` checked here: it becomes `2026-02-31`, which the validation refuses).
 */
export function isoFromFrenchDate(typed: string): string {
  const fr = FRENCH_DATE.exec(typed);
  return fr ? `${fr[3]}-${fr[2].padStart(2, '0')}-${fr[1].padStart(2, '0')}` : typed;
}
