import { DomainError, FieldError, formatDateFr } from '@carepact/common';

/**
 * The tariff avenant of a bulk run (avenant template ≥ 1.3.0, `purpose: 'tarifs'`): the data typed
 * once for the whole establishment, and each resident's document data built from it and from the
 * resident's signed contract (or DIPC).
 *
 * Legal basis, cited in the rendition:
 * - places not habilitated for aide sociale: prices vary each 1 January within the percentage fixed
 *   by ministerial arrêté (CASF L.342-3), the conseil de la vie sociale being consulted at least once
 *   a year on the prices; a resident's new hébergement price may not rise by more than that
 *   percentage over the price of their contract (checked here, TARIFF_ABOVE_PERCENTAGE);
 * - places habilitated: the tariff is fixed by the président du conseil départemental (CASF L.314-1,
 *   R.314-35), and applies as fixed.
 * Any change of the contract's prices is an avenant concluded like the contract (CASF L.311-4, L.342-2).
 */
export const TARIFF_BASES = ['revalorisation_annuelle', 'arrete_departemental'] as const;
export type TariffBasis = (typeof TARIFF_BASES)[number];

export interface TariffCommonData {
  effectiveOn: string;
  basis: TariffBasis;
  basisReference: string;
  /** Revalorisation: the percentage applied (at most the arrêté's). */
  percentage: number | null;
  cvsConsultedOn: string | null;
  /** The new establishment prices per day, when fixed for everyone (departmental tariff, or a price list). */
  hebergementPerDay: number | null;
  dependanceGir56PerDay: number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: unknown): v is string => typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** A real calendar day written AAAA-MM-JJ, as an effective date must be. */
export function isTariffDate(v: unknown): v is string {
  return validDate(v);
}

function amount(v: unknown): number | null | 'invalid' {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(',', '.').trim()) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10000) return 'invalid';
  return Math.round(n * 100) / 100;
}

/** Checks the common data (French field errors under `commonData.`); returns it normalised. */
export function parseTariffCommonData(raw: unknown): { data: TariffCommonData | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const o = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const f = (name: string, code: string, message: string) => errors.push({ field: `commonData.${name}`, code, message });
  if (!validDate(o.effectiveOn)) f('effectiveOn', 'REQUIRED', 'Indiquez la date d’effet des nouveaux prix (AAAA-MM-JJ), en général le 1er janvier.');
  const basis = o.basis as TariffBasis;
  if (!TARIFF_BASES.includes(basis))
    f('basis', 'NOT_ALLOWED_VALUE', 'Choisissez le fondement : revalorisation annuelle (CASF L.342-3) ou tarif arrêté par le département (CASF L.314-1).');
  const reference = typeof o.basisReference === 'string' ? o.basisReference.trim() : '';
  if (reference.length < 3 || reference.length > 300) f('basisReference', 'REQUIRED', 'Indiquez la référence de l’arrêté (par exemple « arrêté du 18 décembre 2026 »), 300 caractères au plus.');
  let percentage: number | null = null;
  if (o.percentage !== undefined && o.percentage !== null && o.percentage !== '') {
    const p = typeof o.percentage === 'number' ? o.percentage : Number(String(o.percentage).replace(',', '.').trim());
    if (!Number.isFinite(p) || p < -100 || p > 100) f('percentage', 'INVALID', 'Le taux est un pourcentage entre -100 et 100 (par exemple 2,5).');
    else percentage = Math.round(p * 1000) / 1000;
  } else if (basis === 'revalorisation_annuelle') f('percentage', 'REQUIRED', 'Pour une revalorisation annuelle, indiquez le taux appliqué (au plus celui de l’arrêté ministériel, CASF L.342-3).');
  let cvsConsultedOn: string | null = null;
  if (o.cvsConsultedOn !== undefined && o.cvsConsultedOn !== null && o.cvsConsultedOn !== '') {
    if (!validDate(o.cvsConsultedOn)) f('cvsConsultedOn', 'INVALID_DATE', 'Date de consultation du conseil de la vie sociale invalide (AAAA-MM-JJ).');
    else cvsConsultedOn = o.cvsConsultedOn;
  }
  const heb = amount(o.hebergementPerDay);
  if (heb === 'invalid') f('hebergementPerDay', 'INVALID', 'Le tarif hébergement est un montant en euros entre 0 et 10 000.');
  const dep = amount(o.dependanceGir56PerDay);
  if (dep === 'invalid') f('dependanceGir56PerDay', 'INVALID', 'Le tarif dépendance GIR 5-6 est un montant en euros entre 0 et 10 000.');
  if (basis === 'arrete_departemental' && heb === null)
    f('hebergementPerDay', 'REQUIRED', 'Pour un tarif arrêté par le président du conseil départemental, indiquez le nouveau tarif hébergement (CASF L.314-1).');
  if (errors.length) return { data: null, errors };
  return {
    data: {
      effectiveOn: o.effectiveOn as string,
      basis,
      basisReference: reference,
      percentage,
      cvsConsultedOn,
      hebergementPerDay: heb as number | null,
      dependanceGir56PerDay: dep as number | null,
    },
    errors,
  };
}

/** What a resident's signed contract (or DIPC) says, read from its current version's input. */
export interface SignedContract {
  type: 'contrat-sejour' | 'dipc';
  signedOn: string;
  /** The contract's input snapshot (establishment tariffs then, the document's pricing). */
  input: Record<string, unknown>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * One resident's tariff avenant data, or a DomainError (the item fails with its code and message).
 * Previous prices: the contract's pricing and the establishment tariffs as the contract printed them.
 */
export function tariffAvenantData(common: TariffCommonData, contract: SignedContract): Record<string, unknown> {
  const doc = (contract.input.document ?? {}) as Record<string, unknown>;
  const tariffs = ((contract.input.establishment as Record<string, unknown> | undefined)?.tariffs ?? {}) as Record<string, unknown>;
  const pricing = (doc.pricing ?? {}) as Record<string, unknown>;
  const prevHeb = num(tariffs.hebergementPerDay);
  const prevDep = num(pricing.dependancePerDay) ?? num(tariffs.dependanceGir56PerDay);
  const prevTotal = num(pricing.totalPerDay) ?? (prevHeb !== null ? round2(prevHeb + (prevDep ?? 0)) : null);
  let heb = common.hebergementPerDay;
  if (heb === null) {
    if (prevHeb === null || common.percentage === null)
      throw new DomainError(
        'conflict',
        'TARIFF_NO_PREVIOUS_PRICE',
        'Le contrat signé n’indique pas de tarif hébergement : saisissez le nouveau tarif hébergement pour tout l’établissement.',
      );
    heb = round2(prevHeb * (1 + common.percentage / 100));
  }
  if (common.basis === 'revalorisation_annuelle' && prevHeb !== null && common.percentage !== null && heb > round2(prevHeb * (1 + common.percentage / 100)) + 0.001)
    throw new DomainError(
      'conflict',
      'TARIFF_ABOVE_PERCENTAGE',
      `Le nouveau tarif hébergement dépasse la hausse autorisée de ${String(common.percentage).replace('.', ',')} % sur le prix du contrat (CASF L.342-3).`,
    );
  const dep = common.dependanceGir56PerDay ?? prevDep;
  const effective = formatDateFr(common.effectiveOn);
  return {
    purpose: 'tarifs',
    kind: `avenant tarifaire au ${effective}`,
    appliesTo: contract.type,
    contractSignedOn: contract.signedOn,
    tariffChange: {
      effectiveOn: common.effectiveOn,
      basis: common.basis,
      basisReference: common.basisReference,
      percentage: common.percentage,
      cvsConsultedOn: common.cvsConsultedOn,
      prices: { hebergementPerDay: heb, dependanceGir56PerDay: dep, totalPerDay: round2(heb + (dep ?? 0)) },
      previousPrices: prevHeb !== null && prevTotal !== null ? { hebergementPerDay: prevHeb, dependanceGir56PerDay: prevDep, totalPerDay: prevTotal } : null,
    },
  };
}

/** A resident who already has a tariff avenant for the run's effective date (listed as excluded, or skipped by the worker). */
export const BULK_AVENANT_EXISTS = 'BULK_AVENANT_EXISTS';

/** Why a resident gets no second tariff avenant for the same effective date (French, no typed value but the date). */
export function avenantExistsMessage(effectiveOn: string): string {
  return `Ce résident a déjà un avenant tarifaire au ${formatDateFr(effectiveOn)}, non annulé : un seul avenant tarifaire par date d’effet. Ouvrez son dossier pour le consulter.`;
}

/** A tariff avenant made one by one (`POST /api/documents`, the console) for a resident who already has one for its effective date. */
export const AVENANT_ALREADY_EXISTS = 'AVENANT_ALREADY_EXISTS';

/**
 * What counts as « already has one »: a tariff avenant for the resident and effective date whose
 * document is not closed — generating, ready, failed to generate, in signature or signed. A
 * cancelled or refused one never takes effect and does not block a new one; one whose signature
 * request was refused or cancelled is back to « prêt » (DocumentLifecycle) and still blocks: it is
 * corrected by a new version and sent again, not doubled (CASF L.311-4: one price change, one avenant).
 */
export const TARIFF_AVENANT_CLOSED_STATUSES = ['cancelled', 'refused'] as const;

/** A resident's tariff avenant for an effective date (DocumentsRepository.tariffAvenantsOn). */
export interface ExistingTariffAvenant {
  documentId: string;
  createdAt: Date;
}

/** The effective date of a tariff avenant's document data (`tariffAvenantOn`'s test, in TypeScript), or null for any other document. */
export function tariffEffectiveOnOf(document: unknown): string | null {
  const d = (document && typeof document === 'object' ? document : {}) as { purpose?: unknown; tariffChange?: { effectiveOn?: unknown } | null };
  const on = d.tariffChange?.effectiveOn;
  return d.purpose === 'tarifs' && typeof on === 'string' ? on : null;
}

/** The console's page of a document (a path: the console links to it, the API names it). */
export function documentConsolePath(documentId: string): string {
  return `/console/documents/${documentId}`;
}

/** « Ce résident a déjà un avenant tarifaire au … (créé le …) : un seul avenant tarifaire par date d’effet. » — the message without where to open it. */
export function avenantAlreadyExistsSummary(effectiveOn: string, existing: Pick<ExistingTariffAvenant, 'createdAt'>): string {
  return `Ce résident a déjà un avenant tarifaire au ${formatDateFr(effectiveOn)} (créé le ${formatDateFr(existing.createdAt)}) : un seul avenant tarifaire par date d’effet.`;
}

/**
 * 409 AVENANT_ALREADY_EXISTS, naming the existing avenant (its creation day and its page) and the
 * effective date: in the message for people (plain text, the page's path), and for programs as
 * `existing: { id, href }` (the console builds its link from these, never from the message).
 */
export class AvenantAlreadyExistsError extends DomainError {
  constructor(
    readonly effectiveOn: string,
    readonly existing: ExistingTariffAvenant,
  ) {
    const href = documentConsolePath(existing.documentId);
    const message = `${avenantAlreadyExistsSummary(effectiveOn, existing)} Ouvrez-le pour le consulter ou le corriger par une nouvelle version : ${href}.`;
    super(
      'conflict',
      AVENANT_ALREADY_EXISTS,
      message,
      [{ field: 'data.tariffChange.effectiveOn', code: AVENANT_ALREADY_EXISTS, message: `Un avenant tarifaire existe déjà au ${formatDateFr(effectiveOn)} pour ce résident.` }],
      undefined,
      { existing: { id: existing.documentId, href } },
    );
  }
}

/**
 * SQL: the document version aliased `v` is a tariff avenant (template ≥ 1.3.0, `purpose: 'tarifs'`)
 * whose new prices take effect on the date `param` (a text parameter, AAAA-MM-JJ) — what
 * `tariffAvenantData` writes under the version's `document`, as `accompanimentAvenant` reads it.
 */
export function tariffAvenantOn(v: string, param: string): string {
  return `${v}.input #>> '{document,purpose}' = 'tarifs' AND ${v}.input #>> '{document,tariffChange,effectiveOn}' = ${param}`;
}
