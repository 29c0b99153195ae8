import { endOfDayIn } from '@carepact/common';
import { addMonthsIso } from '@carepact/residents';

/**
 * The deadlines the law sets from the admission date (DOMAIN.md, "Deadlines the product tracks"):
 * the one place they are computed, for the worklist, the signature requests, the portal and the
 * e-mails alike (issue 13: every place shows the same date).
 *
 * - CASF D.311 III: « Le contrat de séjour ou le document individuel de prise en charge est établi
 *   lors de l'admission et remis à chaque personne et, le cas échéant, à son représentant légal, au
 *   plus tard dans les quinze jours qui suivent l'admission. Le contrat est signé dans le mois qui
 *   suit l'admission. » Both are **handed over within 15 days**; only the contract is **signed
 *   within one month**. The DIPC is « établi et signé par le directeur » (D.311 II) before it is
 *   handed over: its deadline is the 15 days; the person's countersignature, optional (« Il peut être
 *   contresigné »), has none;
 * - CASF D.311: an **avenant within six months** sets the objectives and adapted services, and
 *   they are **re-actualised every year**;
 * - CASF L.311-3 7° and the ANESM recommendation (December 2008): the projet personnalisé is first
 *   formalised within six months and reviewed **at least yearly** (and when the situation changes).
 */
export const LEGAL_DELAYS = {
  contractHandoverDays: 15,
  contractSignatureMonths: 1,
  firstAvenantMonths: 6,
  projetFirstMonths: 6,
  projetReviewMonths: 12,
} as const;

/** `YYYY-MM-DD` + n days. */
export function addDaysIso(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day the contract (or DIPC) must be handed over by (CASF D.311: 15 days after admission). */
export function contractHandoverDay(admissionDate: string): string {
  return addDaysIso(admissionDate, LEGAL_DELAYS.contractHandoverDays);
}

/** The day the contrat de séjour must be signed by (CASF D.311 III: one month after admission; not the DIPC, see dipcDay). */
export function contractSignatureDay(admissionDate: string): string {
  return addMonthsIso(admissionDate, LEGAL_DELAYS.contractSignatureMonths);
}

/**
 * The day the DIPC must be drawn up, signed by the director and handed over by (CASF D.311 II and
 * III: 15 days after admission). The person's countersignature is optional and has no deadline.
 */
export function dipcDay(admissionDate: string): string {
  return contractHandoverDay(admissionDate);
}

/** The day the first avenant is due (CASF D.311: six months after admission). */
export function firstAvenantDay(admissionDate: string): string {
  return addMonthsIso(admissionDate, LEGAL_DELAYS.firstAvenantMonths);
}

/** The calendar day of a signature request's legal deadline, or null for a type without one. */
export function legalDeadlineDay(type: string, admissionDate: string): string | null {
  if (type === 'contrat-sejour') return contractSignatureDay(admissionDate);
  if (type === 'dipc') return dipcDay(admissionDate);
  if (type === 'avenant') return firstAvenantDay(admissionDate);
  return null;
}

/**
 * A request's legal deadline as an instant: the end of that day in the establishment's zone
 * (Europe/Paris), so that the console, the portal and the e-mails all write the same day. Fixed
 * once, when the request is sent (`signature_requests.legal_deadline`), and read from there since.
 */
export function legalDeadline(type: string, admissionDate: string): Date | null {
  const day = legalDeadlineDay(type, admissionDate);
  return day ? endOfDayIn(day) : null;
}

/**
 * What a request's legal deadline is, in French, for the pages, the API and the errors: the same
 * words wherever the date is shown (« délai légal : … »).
 */
export function legalDeadlineRule(type: string): string | null {
  if (type === 'contrat-sejour') return 'contrat signé dans le mois qui suit l’admission, CASF D.311 III';
  if (type === 'dipc')
    return 'DIPC établi, signé par la direction et remis dans les quinze jours qui suivent l’admission, CASF D.311 II et III ; la contresignature de la personne ou de son représentant est facultative et sans délai';
  if (type === 'avenant') return 'premier avenant dans les six mois de l’admission, CASF D.311, V';
  return null;
}

/**
 * Whether a request's own deadline (reminders, expiry) is kept within the legal deadline. Not for the
 * DIPC: its legal deadline binds the director's signature (CASF D.311 II and III), while the
 * person's countersignature, optional, has none — the request stays open for it after that day.
 */
export function legalDeadlineCapsRequest(type: string): boolean {
  return type !== 'dipc';
}
