import { endOfDayIn } from '@carepact/common';
import { addMonthsIso } from '@carepact/residents';

/**
 * The deadlines the law sets from the admission date (DOMAIN.md, "Deadlines the product tracks"):
 * the one place they are computed, for the worklist, the signature requests, the portal and the
 * e-mails alike (issue 13: every place shows the same date).
 *
 * - CASF D.311: the contrat de séjour (or the DIPC that replaces it) is drawn up at admission,
 *   **handed over within 15 days** and **signed within one month** of admission;
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

/** The day the contract (or DIPC) must be signed by (CASF D.311: one month after admission). */
export function contractSignatureDay(admissionDate: string): string {
  return addMonthsIso(admissionDate, LEGAL_DELAYS.contractSignatureMonths);
}

/** The day the first avenant is due (CASF D.311: six months after admission). */
export function firstAvenantDay(admissionDate: string): string {
  return addMonthsIso(admissionDate, LEGAL_DELAYS.firstAvenantMonths);
}

/** The calendar day of a signature request's legal deadline, or null for a type without one. */
export function legalDeadlineDay(type: string, admissionDate: string): string | null {
  if (type === 'contrat-sejour' || type === 'dipc') return contractSignatureDay(admissionDate);
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
