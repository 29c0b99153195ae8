import { ANNEX_HANDOVER_IN_FUTURE, annexHandoverDay, annexHandoverInFuture } from './annex-handover';

const TODAY = '2026-12-03';

describe('which day’s documents handed over a version records (CASF L.311-4)', () => {
  it('a contract or a DIPC: the day its data say, its creation day otherwise', () => {
    for (const type of ['contrat-sejour', 'dipc'] as const) {
      expect(annexHandoverDay(type, { annexesHandedOverOn: '2026-11-02' }, TODAY)).toBe('2026-11-02');
      expect(annexHandoverDay(type, {}, TODAY)).toBe(TODAY);
      expect(annexHandoverDay(type, { annexesHandedOverOn: '2 novembre' }, TODAY)).toBe(TODAY);
    }
  });

  it('an avenant: only when its data say the documents were handed over again with it; none otherwise', () => {
    expect(annexHandoverDay('avenant', { purpose: 'tarifs' }, TODAY)).toBeNull();
    expect(annexHandoverDay('avenant', undefined, TODAY)).toBeNull();
    expect(annexHandoverDay('avenant', { annexesHandedOverOn: '2026-12-01' }, TODAY)).toBe('2026-12-01');
  });

  it('the other documents hand nothing over', () => {
    expect(annexHandoverDay('projet-personnalise', { annexesHandedOverOn: '2026-12-01' }, TODAY)).toBeNull();
    expect(annexHandoverDay('compte-rendu-synthese', {}, TODAY)).toBeNull();
  });
});

describe('a day of handing over still to come is refused', () => {
  it('after today: the error beside the field, in French, with its day', () => {
    expect(annexHandoverInFuture({ annexesHandedOverOn: '2026-12-04' }, TODAY)).toEqual({
      field: 'document.annexesHandedOverOn',
      code: ANNEX_HANDOVER_IN_FUTURE,
      message: expect.stringMatching(/^La date de remise du livret d’accueil, de la charte et du règlement de fonctionnement ne peut pas être dans le futur \(ici le 4 décembre 2026\)/),
    });
  });

  it('today, a past day, no day, a malformed one (the schema’s to say): nothing', () => {
    expect(annexHandoverInFuture({ annexesHandedOverOn: TODAY }, TODAY)).toBeNull();
    expect(annexHandoverInFuture({ annexesHandedOverOn: '2026-10-15' }, TODAY)).toBeNull();
    expect(annexHandoverInFuture({}, TODAY)).toBeNull();
    expect(annexHandoverInFuture({ annexesHandedOverOn: 'demain' }, TODAY)).toBeNull();
  });
});
