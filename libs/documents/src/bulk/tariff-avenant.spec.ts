import { DomainError } from '@carepact/common';
import { SignedContract, parseTariffCommonData, tariffAvenantData } from './tariff-avenant';

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
});
