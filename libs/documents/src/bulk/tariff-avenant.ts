import { DomainError, FieldError, formatDateFr } from '@carepact/common';

/**
 * The tariff avenant of a bulk run (avenant template ≥ 1.3.0, `purpose: 'tarifs'`): the data typed
 * once for the whole establishment, and each resident's document data built from it and from the
 * resident's signed contract (or DIPC).
 *
 * Legal basis, cited in the rendition:
 * - places not habilitated for aide sociale: prices vary each 1 January within the percentage fixed
 *   by ministerial arrêté (CASF L.342-3), the conseil de la vie sociale being consulted at least once
 *   a year on the prices. The percentage is YEARLY (« varient ensuite dans la limite d'un
 *   pourcentage fixé au 1er janvier de chaque année par arrêté »; the arrêté: the price « ne peut
 *   augmenter de plus de … % au cours de l'année … par rapport à l'année précédente »): a
 *   revalorisation taking effect in year Y may not bring the hébergement price more than its
 *   percentage above the price in force on 31 December of Y-1 — the resident's last signed tariff
 *   avenant taking effect before 1 January Y, else the contract's — or, for a contract signed
 *   during Y, above the price set at its signature (« librement fixés lors de la signature du
 *   contrat ») (`yearBase`, TARIFF_ABOVE_PERCENTAGE). Two revalorisations in one year thus add up
 *   within the one yearly percentage, never compound. The « Pour mémoire » price stays the price
 *   in force just before the avenant (`priceInForce`);
 * - places habilitated: the tariff is fixed by the président du conseil départemental (CASF L.314-1,
 *   R.314-35), and applies as fixed.
 * Both bases are the hébergement price's (avenant 1.12.0, `tariffBasis`): the dependency price is
 * fixed by arrêté of the président du conseil départemental for every place, habilitated or not
 * (CASF L.314-2, R.314-172 et suivants); L.342-3 does not govern it. The messages cite it so.
 * Any change of the contract's prices is an avenant concluded like the contract (CASF L.311-4, L.342-2).
 */
export const TARIFF_BASES = ['revalorisation_annuelle', 'arrete_departemental'] as const;
export type TariffBasis = (typeof TARIFF_BASES)[number];

export interface TariffCommonData {
  effectiveOn: string;
  basis: TariffBasis;
  basisReference: string;
  /** Revalorisation: the year's percentage (at most the arrêté's), over the price in force on 31 December of the previous year (`yearBase`). */
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
    f('basis', 'NOT_ALLOWED_VALUE', 'Choisissez le fondement du prix de l’hébergement : revalorisation annuelle des places non habilitées à l’aide sociale (CASF L.342-3) ou prix arrêté par le président du conseil départemental pour les places habilitées (CASF L.314-1).');
  const reference = typeof o.basisReference === 'string' ? o.basisReference.trim() : '';
  if (reference.length < 3 || reference.length > 300) f('basisReference', 'REQUIRED', 'Indiquez la référence de l’arrêté (par exemple « arrêté du 18 décembre 2026 »), 300 caractères au plus.');
  let percentage: number | null = null;
  if (o.percentage !== undefined && o.percentage !== null && o.percentage !== '') {
    const p = typeof o.percentage === 'number' ? o.percentage : Number(String(o.percentage).replace(',', '.').trim());
    if (!Number.isFinite(p) || p < -100 || p > 100) f('percentage', 'INVALID', 'Le taux est un pourcentage entre -100 et 100 (par exemple 2,5).');
    else percentage = Math.round(p * 1000) / 1000;
  } else if (basis === 'revalorisation_annuelle') f('percentage', 'REQUIRED', 'Pour une revalorisation annuelle, indiquez le taux de l’année, par rapport au prix en vigueur au 31 décembre précédent (au plus celui de l’arrêté ministériel, CASF L.342-3).');
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

/** Prices per day, in euros (a tariff avenant's `prices` or `previousPrices`). */
export interface TariffPrices {
  hebergementPerDay: number | null;
  dependanceGir56PerDay: number | null;
  totalPerDay: number | null;
}

/** A resident's signed tariff avenant: its effective date and the new prices it set. */
export interface SignedTariffAvenant {
  documentId: string;
  effectiveOn: string;
  prices: TariffPrices;
}

/** A resident's tariff avenant neither signed nor closed (generating, ready, in signature…). */
export interface PendingTariffAvenant extends ExistingTariffAvenant {
  effectiveOn: string;
  status: string;
}

/** What a resident's signed contract (or DIPC) says, read from its current version's input. */
export interface SignedContract {
  type: 'contrat-sejour' | 'dipc';
  signedOn: string;
  /** The contract's input snapshot (establishment tariffs then, the document's pricing). */
  input: Record<string, unknown>;
  /**
   * Read for an effective date (DocumentsRepository.signedContracts' `tariffOn`): the resident's
   * latest SIGNED tariff avenant taking effect before that date (by effective date, not creation),
   * whose prices are those in force (CASF L.342-3); null when none (the contract's prices are).
   * A refused or cancelled avenant never took effect: the resident stays at the price before it.
   */
  lastTariffAvenant?: SignedTariffAvenant | null;
  /**
   * Read for an effective date too: the latest tariff avenant taking effect before that date (and
   * after `lastTariffAvenant`'s) still awaiting its signature. While it is, the price in force on
   * the date is unknown (signed, it is its price; refused, the one before): TARIFF_AVENANT_PENDING.
   */
  pendingTariffAvenant?: PendingTariffAvenant | null;
  /**
   * Read for an effective date too: the resident's earliest tariff avenant, signed or awaiting its
   * signature (not refused or cancelled), taking effect AFTER that date. A new avenant before it
   * would change the price in force that it recalls (« Pour mémoire ») and varies from (CASF
   * L.342-3): TARIFF_LATER_AVENANT_EXISTS.
   */
  laterTariffAvenant?: PendingTariffAvenant | null;
  /**
   * Read for an effective date in year Y too: the resident's latest SIGNED tariff avenant taking
   * effect before 1 January Y, whose prices were in force on 31 December Y-1: the base of the
   * year's percentage (CASF L.342-3, `yearBase`); null when none (the contract's prices are).
   * Not needed when `lastTariffAvenant` itself takes effect before 1 January Y (it is that one).
   */
  yearBaseTariffAvenant?: SignedTariffAvenant | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round2 = (n: number): number => Math.round(n * 100) / 100;
const euros = (n: number): string => `${n.toFixed(2).replace('.', ',')} €`;

/** The prices in force before a tariff avenant, and where they come from (for the messages). */
export interface PriceInForce {
  prices: TariffPrices;
  /** The signed tariff avenant that set them, or null: the contract's (or DIPC's). */
  avenant: SignedTariffAvenant | null;
}

/**
 * The prices in force on a new tariff avenant's effective date, the base of its variation (CASF
 * L.342-3: the prices « varient ensuite dans la limite d'un pourcentage fixé chaque année par
 * arrêté »): the new prices of the latest signed tariff avenant taking effect before it, else the
 * contract's pricing and the establishment tariffs as the contract printed them. For habilitated
 * places the new tariff is the one the président du conseil départemental fixed (CASF L.314-1) and
 * applies as fixed; the price in force is still what the « Pour mémoire » line recalls.
 */
export function priceInForce(contract: SignedContract): PriceInForce {
  const last = contract.lastTariffAvenant;
  if (last) return { prices: pricesOf(num(last.prices.hebergementPerDay), num(last.prices.dependanceGir56PerDay), num(last.prices.totalPerDay)), avenant: last };
  const doc = (contract.input.document ?? {}) as Record<string, unknown>;
  const tariffs = ((contract.input.establishment as Record<string, unknown> | undefined)?.tariffs ?? {}) as Record<string, unknown>;
  const pricing = (doc.pricing ?? {}) as Record<string, unknown>;
  return {
    prices: pricesOf(num(tariffs.hebergementPerDay), num(pricing.dependancePerDay) ?? num(tariffs.dependanceGir56PerDay), num(pricing.totalPerDay)),
    avenant: null,
  };
}

/** Prices per day; the total, when not stated, is hébergement + dépendance. */
function pricesOf(heb: number | null, dep: number | null, total: number | null): TariffPrices {
  return { hebergementPerDay: heb, dependanceGir56PerDay: dep, totalPerDay: total ?? (heb !== null ? round2(heb + (dep ?? 0)) : null) };
}

/** The base of a year's revalorisation, and where it comes from (for the messages). */
export interface YearBase {
  /** The year Y of the new avenant's effective date. */
  year: number;
  prices: TariffPrices;
  /** The signed tariff avenant in force on 31 December Y-1, or null: the contract's (or DIPC's) prices. */
  avenant: SignedTariffAvenant | null;
  /** The contract was signed during Y: its prices were set freely at its signature. */
  signedThisYear: boolean;
}

/**
 * The base of the yearly percentage for a revalorisation taking effect on `effectiveOn` (year Y),
 * CASF L.342-3 (« varient ensuite dans la limite d'un pourcentage fixé au 1er janvier de chaque
 * année par arrêté »; the yearly arrêté caps the rise « au cours de l'année … par rapport à l'année
 * précédente »): the price in force on 31 December Y-1 — the last signed tariff avenant taking
 * effect before 1 January Y, else the contract's prices — or, for a contract signed during Y, the
 * prices set at its signature (« librement fixés lors de la signature du contrat »). Each
 * revalorisation of Y is measured from it, so that two in the same year add up within the
 * percentage instead of compounding.
 */
export function yearBase(contract: SignedContract, effectiveOn: string): YearBase {
  const year = Number(effectiveOn.slice(0, 4));
  const newYear = `${year}-01-01`;
  const contractPrices = priceInForce({ ...contract, lastTariffAvenant: null });
  if (contract.signedOn >= newYear) return { year, prices: contractPrices.prices, avenant: null, signedThisYear: true };
  const last = contract.lastTariffAvenant;
  // ISO dates compare as text.
  const before = last && last.effectiveOn < newYear ? last : (contract.yearBaseTariffAvenant ?? null);
  if (before) return { year, prices: priceInForce({ ...contract, lastTariffAvenant: before }).prices, avenant: before, signedThisYear: false };
  return { year, prices: contractPrices.prices, avenant: null, signedThisYear: false };
}

/**
 * A revalorisation (CASF L.342-3) bringing the hébergement price more than its yearly percentage
 * above the year's base (`yearBase`: the price in force on 31 December of the previous year, or at
 * the signature of a contract signed this year); a departmental tariff (L.314-1) applies as fixed.
 */
function exceedsRevaluation(basis: unknown, baseHebergement: number | null, percentage: number | null, hebergement: number | null): boolean {
  return basis === 'revalorisation_annuelle' && baseHebergement !== null && percentage !== null && hebergement !== null && hebergement > maxRevaluedPrice(baseHebergement, percentage) + 0.001;
}

/** « celui du contrat de séjour » / « celui de l’avenant tarifaire signé au 1er janvier 2026 » / « celui fixé à la signature du contrat de séjour, le … »: where the year's base comes from. */
function yearBaseSource(contract: SignedContract, base: YearBase): string {
  const doc = contract.type === 'dipc' ? 'du document individuel de prise en charge' : 'du contrat de séjour';
  if (base.signedThisYear) return `fixé à la signature ${doc}, le ${formatDateFr(contract.signedOn)} (signé en ${base.year})`;
  if (base.avenant) return `en vigueur au 31 décembre ${base.year - 1}, celui de l’avenant tarifaire signé au ${formatDateFr(base.avenant.effectiveOn)}`;
  return `en vigueur au 31 décembre ${base.year - 1}, celui ${doc}`;
}

/** « du contrat de séjour » / « de l’avenant tarifaire signé au 1er janvier 2026 »: where the price in force comes from. */
/**
 * What the hébergement price in force is to the avenant, by its basis (avenant 1.12.0 `tariffBasis`, as
 * the bulk form asks it): places not habilitated for aide sociale, the base the yearly revalorisation
 * varies from (CASF L.342-3); habilitated places, the price the président du conseil départemental's
 * new tariff replaces (CASF L.314-1) — L.342-3 does not govern them. No basis known: both.
 */
function inForceBasisText(basis: unknown): string {
  if (basis === 'revalorisation_annuelle') return ', d’où part la revalorisation annuelle des places non habilitées à l’aide sociale (CASF L.342-3)';
  if (basis === 'arrete_departemental') return ', que remplace le prix arrêté par le président du conseil départemental pour les places habilitées à l’aide sociale (CASF L.314-1)';
  return ' (CASF L.342-3 ou L.314-1)';
}

function inForceSource(contract: SignedContract, base: PriceInForce): string {
  if (base.avenant) return `de l’avenant tarifaire signé au ${formatDateFr(base.avenant.effectiveOn)}`;
  return contract.type === 'dipc' ? 'du document individuel de prise en charge' : 'du contrat de séjour';
}

/** The highest hébergement price a revalorisation of `percentage` % allows over the year's base (`yearBase`, CASF L.342-3). */
export function maxRevaluedPrice(baseHebergement: number, percentage: number): number {
  return round2(baseHebergement * (1 + percentage / 100));
}

const pct = (p: number): string => `${String(p).replace('.', ',')} %`;

/**
 * What a tariff avenant (template ≥ 1.9.0, `tariffChange.yearBase`) prints as the base of its yearly
 * percentage (CASF L.342-3): the hébergement price in force on 31 December of the previous year
 * (`from: 'fin_annee'`, `on` that day), or set at the signature of a contract signed during the
 * year (`from: 'signature'`, `on` the signature day); null when not a revalorisation or when the
 * contract names no hébergement price. Computed, never typed: a typed one is replaced.
 * Only the latest template receives it (DocumentsService validates new data against the latest
 * version, whose schema declares it; a stored version keeps its own input and template).
 */
export function yearBaseData(basis: unknown, contract: SignedContract, base: YearBase): { on: string; from: 'fin_annee' | 'signature'; hebergementPerDay: number } | null {
  const heb = base.prices.hebergementPerDay;
  if (basis !== 'revalorisation_annuelle' || heb === null) return null;
  return base.signedThisYear ? { on: contract.signedOn, from: 'signature', hebergementPerDay: heb } : { on: `${base.year - 1}-12-31`, from: 'fin_annee', hebergementPerDay: heb };
}

/**
 * 409 TARIFF_ABOVE_PERCENTAGE: the new hébergement price rises more than the yearly percentage over
 * the year's base; names the base price, its source, the yearly cap and the highest lawful price,
 * and, when an avenant already took effect this year, that the year's rises together stay within it.
 */
function aboveMessage(contract: SignedContract, base: YearBase, inForce: PriceInForce, percentage: number, hebergement: number): string {
  const baseHeb = base.prices.hebergementPerDay!;
  const thisYear = inForce.avenant && inForce.avenant.effectiveOn >= `${base.year}-01-01` ? inForce.avenant : null;
  return (
    `Le nouveau tarif hébergement (${euros(hebergement)} par jour) dépasse la hausse autorisée pour l’année ${base.year} : ` +
    `au plus ${pct(percentage)} sur l’année par rapport au prix ${yearBaseSource(contract, base)} (${euros(baseHeb)} par jour), ` +
    `soit au plus ${euros(maxRevaluedPrice(baseHeb, percentage))} par jour (CASF L.342-3, pourcentage annuel fixé par arrêté).` +
    (thisYear
      ? ` Un avenant tarifaire a déjà pris effet le ${formatDateFr(thisYear.effectiveOn)} (${euros(thisYear.prices.hebergementPerDay ?? 0)} par jour) : plusieurs hausses la même année ne dépassent pas, ensemble, ce pourcentage.`
      : '')
  );
}

/** A resident's tariff avenant taking effect before the new one, not yet signed (TARIFF_AVENANT_PENDING). */
export const TARIFF_AVENANT_PENDING = 'TARIFF_AVENANT_PENDING';

/** « L’avenant tarifaire au … de ce résident (créé le …) n’est pas encore signé : … » — the message without where to open it. */
export function tariffAvenantPendingSummary(effectiveOn: string, pending: Pick<PendingTariffAvenant, 'effectiveOn' | 'createdAt'>): string {
  return (
    `L’avenant tarifaire au ${formatDateFr(pending.effectiveOn)} de ce résident (créé le ${formatDateFr(pending.createdAt)}) n’est pas encore signé : ` +
    `les prix au ${formatDateFr(effectiveOn)} partent des prix en vigueur, ceux du dernier avenant signé, d’où varie le prix de l’hébergement (CASF L.342-3). ` +
    `Faites-le signer, ou annulez-le s’il ne doit pas s’appliquer, avant de préparer le suivant.`
  );
}

/**
 * 409 TARIFF_AVENANT_PENDING: the resident has an earlier tariff avenant still awaiting signature
 * (generating, ready, in signature), taking effect after their last signed one. The new avenant's
 * base is unknown until it is settled: signed, its prices are in force; refused or cancelled, the
 * previous ones stay. Building year 2 on an unsigned year 1 (or on the contract, as if year 1 had
 * never been) would print a wrong « Pour mémoire » price and a wrong limit (CASF L.342-3), so the
 * new avenant waits. Names it, like AvenantAlreadyExistsError: `pending: { id, href }` for programs.
 */
export class TariffAvenantPendingError extends DomainError {
  constructor(
    readonly effectiveOn: string,
    readonly pending: PendingTariffAvenant,
  ) {
    const href = documentConsolePath(pending.documentId);
    super(
      'conflict',
      TARIFF_AVENANT_PENDING,
      `${tariffAvenantPendingSummary(effectiveOn, pending)} Ouvrez-le : ${href}.`,
      [{ field: 'data.tariffChange.effectiveOn', code: TARIFF_AVENANT_PENDING, message: `L’avenant tarifaire au ${formatDateFr(pending.effectiveOn)} de ce résident attend encore sa signature.` }],
      undefined,
      { pending: { id: pending.documentId, href } },
    );
  }
}

/** A resident's tariff avenant taking effect after the new one's date (TARIFF_LATER_AVENANT_EXISTS). */
export const TARIFF_LATER_AVENANT_EXISTS = 'TARIFF_LATER_AVENANT_EXISTS';

/**
 * 409 TARIFF_LATER_AVENANT_EXISTS: the resident already has a tariff avenant (signed, or awaiting
 * its signature) taking effect after the new one's date. Each tariff avenant varies from the price
 * in force before it and recalls it (CASF L.342-3): one slipped in before a later one would make
 * that later one's « Pour mémoire » price and limit wrong after the fact. Names it, with where to
 * open it (`later: { id, href }` for programs).
 */
export class TariffLaterAvenantError extends DomainError {
  constructor(
    readonly effectiveOn: string,
    readonly later: PendingTariffAvenant,
  ) {
    const href = documentConsolePath(later.documentId);
    const state = later.status === 'signed' ? 'signé' : 'en cours';
    super(
      'conflict',
      TARIFF_LATER_AVENANT_EXISTS,
      `Ce résident a déjà un avenant tarifaire au ${formatDateFr(later.effectiveOn)} (${state}), postérieur au ${formatDateFr(effectiveOn)} : ` +
        `il rappelle les prix en vigueur avant lui, d’où varie le prix de l’hébergement (CASF L.342-3), et qu’un avenant antérieur changerait après coup. ` +
        `Un changement de prix ne s’applique qu’à partir de sa date : s’il faut corriger, annulez d’abord l’avenant au ${formatDateFr(later.effectiveOn)} s’il n’est pas signé. Ouvrez-le : ${href}.`,
      [{ field: 'data.tariffChange.effectiveOn', code: TARIFF_LATER_AVENANT_EXISTS, message: `Un avenant tarifaire au ${formatDateFr(later.effectiveOn)} existe déjà pour ce résident.` }],
      undefined,
      { later: { id: later.documentId, href } },
    );
  }
}

/**
 * One resident's tariff avenant data, or a DomainError (the item fails with its code and message).
 * Previous prices: those in force on the effective date (`priceInForce`, CASF L.342-3), read with
 * the contract for that date (`signedContracts`' `tariffOn`); a contract read without a date has
 * neither avenant, and its own prices are taken. New prices, when not typed: the year's base
 * (`yearBase`) raised by the yearly percentage; typed, at most that (TARIFF_ABOVE_PERCENTAGE).
 */
export function tariffAvenantData(common: TariffCommonData, contract: SignedContract): Record<string, unknown> {
  if (contract.laterTariffAvenant) throw new TariffLaterAvenantError(common.effectiveOn, contract.laterTariffAvenant);
  if (contract.pendingTariffAvenant) throw new TariffAvenantPendingError(common.effectiveOn, contract.pendingTariffAvenant);
  const base = priceInForce(contract);
  const { hebergementPerDay: prevHeb, dependanceGir56PerDay: prevDep, totalPerDay: prevTotal } = base.prices;
  // The yearly percentage is measured from the price at the end of the previous year (CASF L.342-3).
  const year = yearBase(contract, common.effectiveOn);
  const yearHeb = year.prices.hebergementPerDay;
  let heb = common.hebergementPerDay;
  if (heb === null) {
    if (prevHeb === null || yearHeb === null || common.percentage === null)
      throw new DomainError(
        'conflict',
        'TARIFF_NO_PREVIOUS_PRICE',
        'Le contrat signé n’indique pas de tarif hébergement : saisissez le nouveau tarif hébergement pour tout l’établissement.',
      );
    heb = maxRevaluedPrice(yearHeb, common.percentage);
  }
  if (exceedsRevaluation(common.basis, yearHeb, common.percentage, heb))
    throw new DomainError('conflict', 'TARIFF_ABOVE_PERCENTAGE', aboveMessage(contract, year, base, common.percentage!, heb));
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
      yearBase: yearBaseData(common.basis, contract, year),
    },
  };
}

/**
 * A tariff avenant typed one by one (`POST /api/documents`, the console's form, a correction):
 * the same law as a bulk run's. Its previous prices are those in force (`priceInForce`): left
 * empty, they are filled with them; typed, they must be them (409 TARIFF_PREVIOUS_PRICE_MISMATCH,
 * naming the price in force and where it comes from: a « Pour mémoire » line is a statement of
 * what the person paid; the message cites the hébergement price's basis, L.342-3 or L.314-1, as
 * the avenant's `basis` says). A revalorisation may not bring the hébergement price more than its
 * yearly percentage above the year's base (`yearBase`: the price in force on 31 December of the
 * previous year; 409 TARIFF_ABOVE_PERCENTAGE, CASF L.342-3); a departmental
 * tariff applies as fixed (CASF L.314-1). An earlier avenant awaiting signature: 409
 * TARIFF_AVENANT_PENDING. Returns the tariff change to store (the document's own, filled, with its computed `yearBase`).
 */
export function checkTypedTariffChange(document: Record<string, unknown>, contract: SignedContract): Record<string, unknown> {
  const tc = (document.tariffChange ?? {}) as Record<string, unknown>;
  const effectiveOn = String(tc.effectiveOn);
  if (contract.laterTariffAvenant) throw new TariffLaterAvenantError(effectiveOn, contract.laterTariffAvenant);
  if (contract.pendingTariffAvenant) throw new TariffAvenantPendingError(effectiveOn, contract.pendingTariffAvenant);
  const base = priceInForce(contract);
  const known = base.prices.hebergementPerDay !== null && base.prices.totalPerDay !== null;
  const typed = tc.previousPrices as Record<string, unknown> | null | undefined;
  let previousPrices = typed ?? null;
  if (typed == null) {
    if (known) previousPrices = { ...base.prices };
  } else if (known) {
    const differs = (k: keyof TariffPrices) => {
      const a = num(typed[k]);
      const b = base.prices[k];
      return a === null ? b !== null && k !== 'dependanceGir56PerDay' : b === null || Math.abs(a - b) > 0.001;
    };
    if (differs('hebergementPerDay') || differs('totalPerDay') || (num(typed.dependanceGir56PerDay) !== null && differs('dependanceGir56PerDay')))
      throw new DomainError(
        'conflict',
        'TARIFF_PREVIOUS_PRICE_MISMATCH',
        `Les prix « avant le changement » ne sont pas ceux en vigueur : le prix en vigueur est celui ${inForceSource(contract, base)}, ` +
          `${euros(base.prices.totalPerDay!)} par jour au total, dont ${euros(base.prices.hebergementPerDay!)} pour l’hébergement${inForceBasisText(tc.basis)}. ` +
          'Corrigez-les, ou laissez-les vides : ils seront remplis avec ce prix.',
        [{ field: 'data.tariffChange.previousPrices.totalPerDay', code: 'TARIFF_PREVIOUS_PRICE_MISMATCH', message: `Le total par jour en vigueur avant ce changement est de ${euros(base.prices.totalPerDay!)}.` }],
      );
  }
  const percentage = num(tc.percentage);
  const heb = num((tc.prices as Record<string, unknown> | undefined)?.hebergementPerDay);
  const year = yearBase(contract, effectiveOn);
  const yearHeb = year.prices.hebergementPerDay;
  if (exceedsRevaluation(tc.basis, yearHeb, percentage, heb))
    throw new DomainError('conflict', 'TARIFF_ABOVE_PERCENTAGE', aboveMessage(contract, year, base, percentage!, heb!), [
      {
        field: 'data.tariffChange.prices.hebergementPerDay',
        code: 'TARIFF_ABOVE_PERCENTAGE',
        message: `Au plus ${euros(maxRevaluedPrice(yearHeb!, percentage!))} par jour : ${pct(percentage!)} sur l’année ${year.year} par rapport au prix ${
          year.signedThisYear ? 'fixé à la signature' : `en vigueur au 31 décembre ${year.year - 1}`
        } (${euros(yearHeb!)}).`,
      },
    ]);
  const { yearBase: _typed, ...rest } = tc;
  return { ...rest, previousPrices, yearBase: yearBaseData(tc.basis, contract, year) };
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

/**
 * Where each new price of a tariff avenant comes from (avenant 1.12.0): the hébergement price, CASF
 * L.342-3 (places not habilitated) or L.314-1 (habilitated); the dependency price, the département's
 * arrêté (L.314-2, R.314-172 et suivants).
 */
const NEW_PRICES_LAW = 'prix de l’hébergement : CASF L.342-3 ou L.314-1 ; tarif dépendance : CASF L.314-2 et R.314-172 et suivants';

/** A resident whose accompaniment has ended (`residents.departed_on`) before the new prices take effect, or whose documents are in the intermediate archive. */
export const TARIFF_AVENANT_RESIDENT_DEPARTED = 'TARIFF_AVENANT_RESIDENT_DEPARTED';

/**
 * Why a resident gets no tariff avenant (409 TARIFF_AVENANT_RESIDENT_DEPARTED), or null: a price
 * change applies to the contracts in force (CASF L.342-3), and the contract ends with the
 * accompaniment (the departure recorded, which also ends every deadline of « À faire »). So no tariff
 * avenant takes effect after the departure day (without a date yet, a recorded departure is
 * enough: the bulk candidates before the date is chosen); and none at all once the person's
 * documents are in the intermediate archive (intermediate-archive.ts): the avenant would read the
 * price in force from her signed contract, content that is no longer read to make new documents
 * (RGPD art. 5.1.e, CNIL délib. 2021-028). Checked before anything of the contract is read, so the
 * refusal names no price.
 */
export function tariffAvenantDepartureError(o: { departedOn: string | null; archivedSince: string | null; effectiveOn?: string }): DomainError | null {
  if (!o.departedOn) return null;
  const left = formatDateFr(o.departedOn);
  const field = 'data.tariffChange.effectiveOn';
  if (o.archivedSince)
    return new DomainError(
      'conflict',
      TARIFF_AVENANT_RESIDENT_DEPARTED,
      `L’accompagnement de cette personne a pris fin le ${left} et ses documents sont en archive intermédiaire depuis le ${formatDateFr(o.archivedSince)} : aucun avenant tarifaire n’est établi pour elle.`,
      [{ field, code: TARIFF_AVENANT_RESIDENT_DEPARTED, message: `L’accompagnement a pris fin le ${left} : pas d’avenant tarifaire.` }],
    );
  if (o.effectiveOn !== undefined && o.effectiveOn <= o.departedOn) return null;
  return new DomainError(
    'conflict',
    TARIFF_AVENANT_RESIDENT_DEPARTED,
    o.effectiveOn === undefined
      ? `Ce résident a quitté l’établissement le ${left} : son contrat a pris fin, un changement de prix ne s’applique plus à lui (${NEW_PRICES_LAW}).`
      : `Ce résident a quitté l’établissement le ${left}, avant le ${formatDateFr(o.effectiveOn)} : son contrat a pris fin, les nouveaux prix ne s’appliquent à aucun jour de son séjour (${NEW_PRICES_LAW}).`,
    [{ field, code: TARIFF_AVENANT_RESIDENT_DEPARTED, message: `Départ le ${left} : les nouveaux prix ne s’appliquent plus à ce résident.` }],
  );
}
