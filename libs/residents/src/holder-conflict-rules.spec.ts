import { validateMeasure } from './resident-rules';
import type { MeasureInput } from './residents.types';

const today = '2026-11-23';
const tutelle = (over: Partial<MeasureInput> = {}): MeasureInput => ({
  type: 'tutelle',
  mode: 'representation',
  scope: ['personne', 'biens'],
  court: 'Tribunal judiciaire de Valville',
  judgmentReference: 'RG 24/00981',
  judgmentDate: '2024-03-14',
  endDate: '2029-03-14',
  holders: [{ role: 'tuteur', contactId: 'prepose', establishmentEmployee: true }],
  ...over,
});
const codes = (m: MeasureInput) => validateMeasure(m, 'm', today).map((e) => `${e.field}:${e.code}`);

/** The préposé holder, the subrogé (C. civ. 454) and the ad hoc appointment (C. civ. 455) as the resident file records them. */
describe('protection measures: the holder tied to the establishment, the subrogé, the ad hoc holder', () => {
  it('a préposé tuteur with a subrogé, or with a complete ad hoc appointment, is accepted', () => {
    expect(codes(tutelle({ subrogeContactId: 'nadia' }))).toEqual([]);
    expect(codes(tutelle({ adHocContactId: 'luc', adHocJudgmentReference: 'RG 26/00981', adHocJudgmentDate: '2026-09-14' }))).toEqual([]);
  });

  it('a subrogé exists only beside a curateur or a tuteur (C. civ. 454)', () => {
    expect(codes(tutelle({ type: 'habilitation_familiale', holders: [{ role: 'personne_habilitee', contactId: 'prepose' }], subrogeContactId: 'nadia' }))).toEqual([
      'm.subrogeContactId:NOT_APPLICABLE',
    ]);
  });

  it('an ad hoc appointment needs the person, the decision’s reference and a real past date', () => {
    expect(codes(tutelle({ adHocJudgmentReference: 'RG 26/00981' }))).toEqual(['m.adHocContactId:REQUIRED', 'm.adHocJudgmentDate:REQUIRED']);
    expect(codes(tutelle({ adHocContactId: 'luc', adHocJudgmentReference: ' ', adHocJudgmentDate: '2026-02-30' }))).toEqual([
      'm.adHocJudgmentReference:REQUIRED',
      'm.adHocJudgmentDate:INVALID_DATE',
    ]);
    expect(codes(tutelle({ adHocContactId: 'luc', adHocJudgmentReference: 'RG', adHocJudgmentDate: '2027-01-01' }))).toEqual(['m.adHocJudgmentDate:DATE_IN_FUTURE']);
  });

  it('neither the subrogé nor the ad hoc holder can be the holder himself', () => {
    expect(codes(tutelle({ subrogeContactId: 'prepose', adHocContactId: 'prepose', adHocJudgmentReference: 'RG', adHocJudgmentDate: '2026-09-14' }))).toEqual([
      'm.subrogeContactId:SAME_AS_HOLDER',
      'm.adHocContactId:SAME_AS_HOLDER',
    ]);
  });
});
