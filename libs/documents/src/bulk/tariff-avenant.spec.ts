import { DomainError } from '@carepact/common';
import {
  SignedContract,
  TariffAvenantPendingError,
  TariffLaterAvenantError,
  checkTypedTariffChange,
  parseTariffCommonData,
  priceInForce,
  tariffAvenantData,
  tariffAvenantDepartureError,
  tariffAvenantPendingSummary,
  yearBase,
} from './tariff-avenant';

const contract: SignedContract = {
  type: 'contrat-sejour',
  signedOn: '2024-02-01',
  input: { establishment: { tariffs: { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5 } }, document: { pricing: { gir: 4, dependancePerDay: 6.5, totalPerDay: 79 } } },
};
const common = (over: Record<string, unknown> = {}) => {
  const { data, errors } = parseTariffCommonData({ effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: '2,5', ...over });
  if (!data) throw new Error(JSON.stringify(errors));
  return data;
};

describe('tariff avenant data (CASF L.342-3, L.314-1)', () => {
  it('checks the common data with French field errors', () => {
    expect(parseTariffCommonData({}).errors.map((e) => e.field)).toEqual(['commonData.effectiveOn', 'commonData.basis', 'commonData.basisReference']);
    const r = parseTariffCommonData({ effectiveOn: '2027-02-30', basis: 'revalorisation_annuelle', basisReference: 'arrêté', hebergementPerDay: '-3' });
    expect(r.errors.map((e) => e.field)).toEqual(['commonData.effectiveOn', 'commonData.percentage', 'commonData.hebergementPerDay']);
    expect(r.errors.find((e) => e.field === 'commonData.percentage')!.message).toContain('L.342-3');
    expect(parseTariffCommonData({ effectiveOn: '2027-01-01', basis: 'arrete_departemental', basisReference: 'arrêté du président' }).errors.map((e) => e.code)).toEqual(['REQUIRED']);
    expect(common().percentage).toBe(2.5);
  });

  it('a revalorisation raises each contract’s hébergement price by the percentage, rounded to the cent; the GIR 5-6 price is kept', () => {
    const d = tariffAvenantData(common(), contract) as { tariffChange: { prices: Record<string, number>; previousPrices: Record<string, number> }; appliesTo: string; kind: string };
    expect(d.tariffChange.prices).toEqual({ hebergementPerDay: 74.31, dependanceGir56PerDay: 6.5, totalPerDay: 80.81 });
    expect(d.tariffChange.previousPrices).toEqual({ hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 });
    expect(d.appliesTo).toBe('contrat-sejour');
    expect(d.kind).toBe('avenant tarifaire au 1er janvier 2027');
  });

  it('a departmental tariff applies as fixed; a price above the percentage is refused', () => {
    const fixed = tariffAvenantData(common({ basis: 'arrete_departemental', percentage: null, hebergementPerDay: '70,20', dependanceGir56PerDay: 7 }), contract) as {
      tariffChange: { prices: Record<string, number> };
    };
    expect(fixed.tariffChange.prices).toEqual({ hebergementPerDay: 70.2, dependanceGir56PerDay: 7, totalPerDay: 77.2 });
    expect(() => tariffAvenantData(common({ percentage: 1, hebergementPerDay: 80 }), contract)).toThrow(expect.objectContaining({ code: 'TARIFF_ABOVE_PERCENTAGE' }));
    let e: unknown;
    try {
      tariffAvenantData(common(), { ...contract, input: {} });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('TARIFF_NO_PREVIOUS_PRICE');
  });

  describe('the base of the variation is the price in force: the last signed tariff avenant, else the contract (CASF L.342-3)', () => {
    const year1 = { documentId: 'a2026', effectiveOn: '2026-01-01', prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.5, totalPerDay: 80.81 } };
    const afterYear1: SignedContract = { ...contract, lastTariffAvenant: year1, pendingTariffAvenant: null };
    type Tc = { tariffChange: { prices: Record<string, number>; previousPrices: Record<string, number> } };

    it('priceInForce: the signed avenant’s new prices, else the contract’s', () => {
      expect(priceInForce(afterYear1)).toEqual({ prices: year1.prices, avenant: year1 });
      expect(priceInForce(contract)).toEqual({ prices: { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 }, avenant: null });
    });

    it('year 2 = year 1’s price × the percentage; « Pour mémoire » recalls year 1’s total; the limit is computed on it', () => {
      const d = tariffAvenantData(common({ percentage: 2 }), afterYear1) as Tc;
      // 74,31 × 1,02 = 75,7962 → 75,80 € (not 72,50 × 1,02 = 73,95 €).
      expect(d.tariffChange.prices).toEqual({ hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 });
      expect(d.tariffChange.previousPrices).toEqual(year1.prices);
      expect((tariffAvenantData(common({ percentage: 2, hebergementPerDay: 75.8 }), afterYear1) as Tc).tariffChange.prices.hebergementPerDay).toBe(75.8);
      let e: unknown;
      try {
        tariffAvenantData(common({ percentage: 2, hebergementPerDay: 75.81 }), afterYear1);
      } catch (x) {
        e = x;
      }
      expect(e).toMatchObject({ code: 'TARIFF_ABOVE_PERCENTAGE' });
      expect((e as DomainError).messageFr).toContain('avenant tarifaire signé au 1er janvier 2026 (74,31 € par jour)');
    });

    it('an earlier avenant awaiting signature: TARIFF_AVENANT_PENDING, naming it', () => {
      const pending = { documentId: 'a2026-07', effectiveOn: '2026-07-01', createdAt: new Date('2026-06-10T10:00:00Z'), status: 'in_signature' };
      let e: unknown;
      try {
        tariffAvenantData(common(), { ...afterYear1, pendingTariffAvenant: pending });
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(TariffAvenantPendingError);
      expect(e).toMatchObject({ code: 'TARIFF_AVENANT_PENDING', kind: 'conflict', facts: { pending: { id: 'a2026-07', href: '/console/documents/a2026-07' } } });
      expect((e as DomainError).messageFr).toContain('L’avenant tarifaire au 1er juillet 2026 de ce résident (créé le 10 juin 2026) n’est pas encore signé');
    });

    it('typed one by one: the « before » filled when empty, refused when not the price in force; the limit on the price in force', () => {
      const typed = (prices: Record<string, number>, previousPrices?: unknown) => ({
        purpose: 'tarifs',
        tariffChange: { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté', percentage: 2, prices, ...(previousPrices !== undefined ? { previousPrices } : {}) },
      });
      const ok = { hebergementPerDay: 75.8, dependanceGir56PerDay: 6.5, totalPerDay: 82.3 };
      expect(checkTypedTariffChange(typed(ok), afterYear1).previousPrices).toEqual(year1.prices);
      expect(checkTypedTariffChange(typed(ok, null), afterYear1).previousPrices).toEqual(year1.prices);
      expect(checkTypedTariffChange(typed(ok, { hebergementPerDay: 74.31, totalPerDay: 80.81 }), afterYear1).previousPrices).toEqual({ hebergementPerDay: 74.31, totalPerDay: 80.81 });
      expect(() => checkTypedTariffChange(typed(ok, { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 }), afterYear1)).toThrow(
        expect.objectContaining({ code: 'TARIFF_PREVIOUS_PRICE_MISMATCH' }),
      );
      expect(() => checkTypedTariffChange(typed({ ...ok, hebergementPerDay: 75.81 }), afterYear1)).toThrow(expect.objectContaining({ code: 'TARIFF_ABOVE_PERCENTAGE' }));
      // A departmental tariff applies as fixed (CASF L.314-1): no limit; the « before » is still the price in force.
      const fixed = { ...typed({ ...ok, hebergementPerDay: 90, totalPerDay: 96.5 }), tariffChange: { ...typed(ok).tariffChange, basis: 'arrete_departemental', percentage: null, prices: { hebergementPerDay: 90, totalPerDay: 96.5 } } };
      expect(checkTypedTariffChange(fixed, afterYear1).previousPrices).toEqual(year1.prices);
    });
  });
});

describe('the percentage is yearly: measured from the price in force on 31 December of the previous year (CASF L.342-3)', () => {
  type Tc = { tariffChange: { prices: Record<string, number>; previousPrices: Record<string, number> } };
  // Contract 72,50 € (signed 2024). January 2027: +1 % → 73,23 €, signed. The yearly cap (2 %) is on 72,50 €: at most 73,95 € in 2027.
  const january = { documentId: 'a2027-01', effectiveOn: '2027-01-01', prices: { hebergementPerDay: 73.23, dependanceGir56PerDay: 6.5, totalPerDay: 79.73 } };
  const afterJanuary: SignedContract = { ...contract, lastTariffAvenant: january, yearBaseTariffAvenant: null, pendingTariffAvenant: null };
  const july = (over: Record<string, unknown> = {}) => common({ effectiveOn: '2027-07-01', percentage: 2, ...over });

  it('a second revalorisation in the year may not compound: 73,23 × 1,02 = 74,69 € is refused, naming the base, its source and the yearly cap', () => {
    let e: unknown;
    try {
      tariffAvenantData(july({ hebergementPerDay: 74.69 }), afterJanuary);
    } catch (x) {
      e = x;
    }
    expect(e).toMatchObject({ code: 'TARIFF_ABOVE_PERCENTAGE', kind: 'conflict' });
    const m = (e as DomainError).messageFr;
    expect(m).toContain('hausse autorisée pour l’année 2027');
    expect(m).toContain('au plus 2 % sur l’année par rapport au prix en vigueur au 31 décembre 2026, celui du contrat de séjour (72,50 € par jour)');
    expect(m).toContain('soit au plus 73,95 € par jour');
    expect(m).toContain('Un avenant tarifaire a déjà pris effet le 1er janvier 2027 (73,23 € par jour) : plusieurs hausses la même année ne dépassent pas, ensemble, ce pourcentage.');
    expect(m).not.toContain('s’additionnent');
    expect(m).toContain('L.342-3');
  });

  it('the year’s prices add up within the cap: 73,95 € accepted (the computed default too), « Pour mémoire » still the price just before', () => {
    const d = tariffAvenantData(july(), afterJanuary) as Tc;
    expect(d.tariffChange.prices.hebergementPerDay).toBe(73.95);
    expect(d.tariffChange.previousPrices).toEqual(january.prices);
    expect(() => tariffAvenantData(july({ hebergementPerDay: 73.96 }), afterJanuary)).toThrow(expect.objectContaining({ code: 'TARIFF_ABOVE_PERCENTAGE' }));
  });

  it('the base is the avenant in force on 31 December (yearBaseTariffAvenant), not the one of this year', () => {
    const dec2026 = { documentId: 'a2026', effectiveOn: '2026-01-01', prices: { hebergementPerDay: 74.31, dependanceGir56PerDay: 6.5, totalPerDay: 80.81 } };
    const c: SignedContract = { ...afterJanuary, lastTariffAvenant: { ...january, prices: { hebergementPerDay: 75, dependanceGir56PerDay: 6.5, totalPerDay: 81.5 } }, yearBaseTariffAvenant: dec2026 };
    expect(yearBase(c, '2027-07-01')).toMatchObject({ year: 2027, avenant: dec2026, prices: dec2026.prices, signedThisYear: false });
    // 74,31 × 1,02 = 75,80 €.
    expect((tariffAvenantData(july({ hebergementPerDay: 75.8 }), c) as Tc).tariffChange.prices.hebergementPerDay).toBe(75.8);
    expect(() => tariffAvenantData(july({ hebergementPerDay: 75.81 }), c)).toThrow(expect.objectContaining({ messageFr: expect.stringContaining('avenant tarifaire signé au 1er janvier 2026 (74,31 € par jour)') }));
  });

  it('a contract signed during the year: the base is the price set at its signature', () => {
    const signed2027: SignedContract = { ...contract, signedOn: '2027-03-15' };
    expect(yearBase(signed2027, '2027-07-01')).toMatchObject({ signedThisYear: true, avenant: null });
    expect(() => tariffAvenantData(july({ hebergementPerDay: 73.96 }), signed2027)).toThrow(
      expect.objectContaining({ messageFr: expect.stringContaining('fixé à la signature du contrat de séjour, le 15 mars 2027') }),
    );
  });

  it('typed one by one: the same yearly limit, with the field error naming it; a departmental tariff applies as fixed', () => {
    const typed = (hebergementPerDay: number, basis = 'revalorisation_annuelle') => ({
      purpose: 'tarifs',
      tariffChange: { effectiveOn: '2027-07-01', basis, basisReference: 'arrêté', percentage: basis === 'revalorisation_annuelle' ? 2 : null, prices: { hebergementPerDay, dependanceGir56PerDay: 6.5, totalPerDay: hebergementPerDay + 6.5 } },
    });
    let e: unknown;
    try {
      checkTypedTariffChange(typed(74.69), afterJanuary);
    } catch (x) {
      e = x;
    }
    expect(e).toMatchObject({ code: 'TARIFF_ABOVE_PERCENTAGE' });
    expect((e as DomainError).details[0].message).toBe('Au plus 73,95 € par jour : 2 % sur l’année 2027 par rapport au prix en vigueur au 31 décembre 2026 (72,50 €).');
    expect(checkTypedTariffChange(typed(73.95), afterJanuary).previousPrices).toEqual(january.prices);
    expect(checkTypedTariffChange(typed(90, 'arrete_departemental'), afterJanuary).previousPrices).toEqual(january.prices);
  });

  it('the data carry the base the document prints (avenant 1.9.0 `yearBase`): 31 December of the previous year, or the signature; computed, a typed one replaced', () => {
    const d = tariffAvenantData(july(), afterJanuary) as { tariffChange: Record<string, unknown> };
    expect(d.tariffChange.yearBase).toEqual({ on: '2026-12-31', from: 'fin_annee', hebergementPerDay: 72.5 });
    expect((tariffAvenantData(july(), { ...contract, signedOn: '2027-03-15' }) as typeof d).tariffChange.yearBase).toEqual({ on: '2027-03-15', from: 'signature', hebergementPerDay: 72.5 });
    const departmental = tariffAvenantData(common({ basis: 'arrete_departemental', percentage: null, hebergementPerDay: 70 }), afterJanuary) as typeof d;
    expect(departmental.tariffChange.yearBase).toBeNull();
    const typed = { purpose: 'tarifs', tariffChange: { effectiveOn: '2027-07-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté', percentage: 2, prices: { hebergementPerDay: 73.95, totalPerDay: 80.45 }, yearBase: { on: '2027-06-30', from: 'fin_annee', hebergementPerDay: 73.23 } } };
    expect(checkTypedTariffChange(typed, afterJanuary).yearBase).toEqual({ on: '2026-12-31', from: 'fin_annee', hebergementPerDay: 72.5 });
  });
});

describe('tariffAvenantDepartureError (a price change applies to the contracts in force: CASF L.342-3 or L.314-1 for the hébergement price, L.314-2 for the dependency price)', () => {
  const code = (o: Parameters<typeof tariffAvenantDepartureError>[0]) => tariffAvenantDepartureError(o)?.code ?? null;
  it('accompanied: no refusal; departed: the new prices may apply up to the departure day, not after it', () => {
    expect(code({ departedOn: null, archivedSince: null, effectiveOn: '2027-01-01' })).toBeNull();
    expect(code({ departedOn: '2027-01-01', archivedSince: null, effectiveOn: '2027-01-01' })).toBeNull();
    expect(code({ departedOn: '2026-12-31', archivedSince: null, effectiveOn: '2027-01-01' })).toBe('TARIFF_AVENANT_RESIDENT_DEPARTED');
    expect(tariffAvenantDepartureError({ departedOn: '2026-12-31', archivedSince: null, effectiveOn: '2027-01-01' })!.messageFr).toBe(
      'Ce résident a quitté l’établissement le 31 décembre 2026, avant le 1er janvier 2027 : son contrat a pris fin, les nouveaux prix ne s’appliquent à aucun jour de son séjour (prix de l’hébergement : CASF L.342-3 ou L.314-1 ; tarif dépendance : CASF L.314-2 et R.314-172 et suivants).',
    );
  });
  it('without a date yet (the bulk candidates), a departure recorded is enough; in the intermediate archive, whatever the date', () => {
    expect(code({ departedOn: '2026-11-02', archivedSince: null })).toBe('TARIFF_AVENANT_RESIDENT_DEPARTED');
    expect(code({ departedOn: null, archivedSince: null })).toBeNull();
    const archived = tariffAvenantDepartureError({ departedOn: '2020-01-01', archivedSince: '2022-01-02', effectiveOn: '2019-06-01' })!;
    expect([archived.kind, archived.code, archived.details.map((d) => d.field)]).toEqual(['conflict', 'TARIFF_AVENANT_RESIDENT_DEPARTED', ['data.tariffChange.effectiveOn']]);
    expect(archived.messageFr).toMatch(/en archive intermédiaire depuis le 2 janvier 2022/);
  });
});

/**
 * Avenant 1.12.0 (its `tariffBasis` labels and sources): L.342-3 is the yearly revision of the
 * hébergement price of places not habilitated for aide sociale; habilitated places' hébergement
 * price is fixed by the président du conseil départemental (L.314-1); the dependency price, for
 * every place, by his arrêté (L.314-2, R.314-172). The messages no longer cite L.342-3 for every new price.
 */
describe('the messages cite, for each new price, the law that sets it (avenant 1.12.0)', () => {
  it('the basis asked for is the hébergement price’s: L.342-3 for places not habilitated, L.314-1 for habilitated places', () => {
    const m = parseTariffCommonData({ effectiveOn: '2027-01-01', basis: 'autre', basisReference: 'arrêté du 18 décembre 2026' }).errors.find((e) => e.field === 'commonData.basis')!.message;
    expect(m).toBe(
      'Choisissez le fondement du prix de l’hébergement : revalorisation annuelle des places non habilitées à l’aide sociale (CASF L.342-3) ou prix arrêté par le président du conseil départemental pour les places habilitées (CASF L.314-1).',
    );
  });
  it('a departed resident: the new prices are the hébergement price (L.342-3 or L.314-1) and the dependency price (L.314-2, R.314-172), not all L.342-3', () => {
    for (const effectiveOn of [undefined, '2027-01-01']) {
      const m = tariffAvenantDepartureError({ departedOn: '2026-12-31', archivedSince: null, effectiveOn })!.messageFr;
      expect(m).toContain('(prix de l’hébergement : CASF L.342-3 ou L.314-1 ; tarif dépendance : CASF L.314-2 et R.314-172 et suivants).');
      expect(m).not.toMatch(/prix[^(]*\(CASF L\.342-3\)/);
    }
  });
  it('« before » prices not those in force: the hébergement price’s basis is the avenant’s — L.342-3 for a revalorisation (places not habilitated), L.314-1 for a departmental tariff (habilitated places)', () => {
    const refused = (basis: string): DomainError => {
      const tariffChange = {
        effectiveOn: '2027-01-01',
        basis,
        basisReference: 'arrêté du 18 décembre 2026',
        percentage: basis === 'revalorisation_annuelle' ? 2 : null,
        prices: { hebergementPerDay: 73, totalPerDay: 79.5 },
        previousPrices: { hebergementPerDay: 70, totalPerDay: 76.5 },
      };
      try {
        checkTypedTariffChange({ purpose: 'tarifs', tariffChange }, contract);
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('not refused');
    };
    const annual = refused('revalorisation_annuelle');
    expect(annual.code).toBe('TARIFF_PREVIOUS_PRICE_MISMATCH');
    expect(annual.messageFr).toContain(
      'le prix en vigueur est celui du contrat de séjour, 79,00 € par jour au total, dont 72,50 € pour l’hébergement, d’où part la revalorisation annuelle des places non habilitées à l’aide sociale (CASF L.342-3).',
    );
    const departmental = refused('arrete_departemental');
    expect(departmental.code).toBe('TARIFF_PREVIOUS_PRICE_MISMATCH');
    expect(departmental.messageFr).toContain(
      'le prix en vigueur est celui du contrat de séjour, 79,00 € par jour au total, dont 72,50 € pour l’hébergement, que remplace le prix arrêté par le président du conseil départemental pour les places habilitées à l’aide sociale (CASF L.314-1).',
    );
    expect(departmental.messageFr).not.toContain('L.342-3');
  });
  it('an earlier avenant awaiting signature, a later one: the hébergement price varies from the prices in force (L.342-3), not « les prix »', () => {
    const pending = tariffAvenantPendingSummary('2027-01-01', { effectiveOn: '2026-07-01', createdAt: new Date('2026-06-10T09:00:00.000Z') });
    expect(pending).toContain('les prix au 1er janvier 2027 partent des prix en vigueur, ceux du dernier avenant signé, d’où varie le prix de l’hébergement (CASF L.342-3).');
    const later = new TariffLaterAvenantError('2026-07-01', { documentId: '00000000-0000-4000-8000-000000000009', effectiveOn: '2027-01-01', status: 'signed', createdAt: new Date('2026-12-01T09:00:00.000Z') });
    expect(later.messageFr).toContain('il rappelle les prix en vigueur avant lui, d’où varie le prix de l’hébergement (CASF L.342-3), et qu’un avenant antérieur changerait après coup.');
  });
});
