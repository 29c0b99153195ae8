import { ageOn, isCalendarDate, isMinor, measureStatus, todayIso, validateHolderMissions, validateMeasure, validateResident } from './resident-rules';
import type { MeasureInput, ResidentInput } from './residents.types';

const today = '2026-11-23';
const measure = (over: Partial<MeasureInput> = {}): MeasureInput => ({
  type: 'curatelle_renforcee',
  mode: 'assistance',
  scope: ['personne', 'biens'],
  court: 'Tribunal judiciaire de Valville',
  judgmentReference: 'RG 25/00412',
  judgmentDate: '2025-05-20',
  endDate: '2030-05-20',
  holders: [{ role: 'curateur', firstName: 'Karim', lastName: 'Benaïssa' }],
  ...over,
});
const resident = (over: Partial<ResidentInput> = {}): ResidentInput => ({
  establishmentId: 'e',
  firstName: 'Seán',
  lastName: "O'Brien-Nuñez",
  birthDate: '1944-02-29',
  admissionDate: '2026-10-30',
  stayType: 'permanent',
  ...over,
});
const codes = (errors: { field: string; code: string }[]) => errors.map((e) => `${e.field}:${e.code}`);

describe('dates and ages', () => {
  it('today is the day in Paris: at 00:30 on 1 April (22:30 UTC the day before) a measure ended 31 March has ended, a child born 1 April 2009 is of age', () => {
    const at = new Date('2027-03-31T22:30:00Z'); // 00:30 in Paris (summer time)
    expect(todayIso(at)).toBe('2027-04-01');
    expect(todayIso(new Date('2027-01-01T23:30:00Z'))).toBe('2027-01-02'); // winter time, 00:30
    expect(todayIso(new Date('2027-04-01T21:59:00Z'))).toBe('2027-04-01'); // 23:59 in Paris
    const today = todayIso(at);
    expect(measureStatus({ type: 'tutelle', startDate: null, endDate: '2027-03-31', judgmentDate: '2022-03-31', mandateEffectiveDate: null }, today)).toBe('expired');
    expect(isMinor('2009-04-01', today)).toBe(false);
  });

  it('accepts 29 February only in leap years', () => {
    expect(isCalendarDate('1944-02-29')).toBe(true);
    expect(isCalendarDate('1947-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });
  it('counts full years; a 29 February birthday is reached on 1 March in common years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('protection measures (DOMAIN.md)', () => {
  it('the demo curatelle renforcée is valid', () => {
    expect(validateMeasure(measure(), 'm', today)).toEqual([]);
  });
  it('curatelle is assistance, tutelle representation (C. civ. 440)', () => {
    expect(codes(validateMeasure(measure({ mode: 'representation' }), 'm', today))).toContain('m.mode:MODE_INCOMPATIBLE');
    expect(codes(validateMeasure(measure({ type: 'tutelle', mode: 'assistance', holders: [{ role: 'tuteur', firstName: 'A', lastName: 'B' }] }), 'm', today))).toContain(
      'm.mode:MODE_INCOMPATIBLE',
    );
  });
  it('the holder role follows the measure', () => {
    expect(codes(validateMeasure(measure({ type: 'tutelle', mode: 'representation' }), 'm', today))).toContain('m.holders.0.role:ROLE_INCOMPATIBLE');
  });
  it('a mandat de protection future needs its date of effect (C. civ. 481)', () => {
    const m = measure({ type: 'mandat_protection_future', mode: 'representation', endDate: null, holders: [{ role: 'mandataire', firstName: 'A', lastName: 'B' }] });
    expect(codes(validateMeasure(m, 'm', today))).toEqual(['m.mandateEffectiveDate:REQUIRED']);
  });
  it('the judge’s authorisation to sign alone concerns curatelle renforcée and needs its reference (C. civ. 472)', () => {
    expect(codes(validateMeasure(measure({ judgeAuthorisesHolderAlone: true }), 'm', today))).toEqual(['m.authorisationReference:REQUIRED']);
    expect(codes(validateMeasure(measure({ type: 'curatelle', judgeAuthorisesHolderAlone: true, authorisationReference: 'x' }), 'm', today))).toEqual([
      'm.judgeAuthorisesHolderAlone:NOT_APPLICABLE',
    ]);
  });
  it('a limited measure lists its acts; dates are coherent', () => {
    expect(codes(validateMeasure(measure({ general: false }), 'm', today))).toEqual(['m.acts:REQUIRED']);
    expect(codes(validateMeasure(measure({ endDate: '2020-01-01' }), 'm', today))).toEqual(['m.endDate:END_BEFORE_START']);
    expect(codes(validateMeasure(measure({ judgmentDate: '2027-01-01', endDate: '2032-01-01' }), 'm', today))).toEqual(['m.judgmentDate:DATE_IN_FUTURE']);
  });
  it('status: active, expired (the demo curatelle of 2016–2021), not started', () => {
    expect(measureStatus({ ...measure(), startDate: null, endDate: '2030-05-20', mandateEffectiveDate: null }, today)).toBe('active');
    expect(measureStatus({ ...measure(), judgmentDate: '2016-06-01', startDate: null, endDate: '2021-06-01', mandateEffectiveDate: null }, today)).toBe('expired');
    expect(measureStatus({ ...measure(), type: 'mandat_protection_future', startDate: null, endDate: null, mandateEffectiveDate: null }, today)).toBe('not_started');
  });
});

describe('resident file', () => {
  it('Seán O’Brien-Nuñez, born on 29 February 1944, is valid', () => {
    expect(validateResident(resident(), today)).toEqual([]);
  });
  it('a temporary stay needs a planned end after admission', () => {
    expect(codes(validateResident(resident({ stayType: 'temporary' }), today))).toEqual(['plannedEndDate:REQUIRED']);
    expect(codes(validateResident(resident({ stayType: 'temporary', plannedEndDate: '2026-10-01' }), today))).toEqual(['plannedEndDate:END_BEFORE_START']);
  });
  it('a minor needs parental authority; shared authority means two parents; no adult measure, no personne de confiance', () => {
    const minor = resident({ birthDate: '2014-05-30', admissionDate: '2026-09-07' });
    expect(codes(validateResident(minor, today))).toEqual(['parentalAuthority:REQUIRED']);
    expect(
      codes(
        validateResident(
          { ...minor, parentalAuthority: 'shared', parents: [{ firstName: 'Julie', lastName: 'Petit' }], protectionMeasure: measure(), personneDeConfiance: { firstName: 'A', lastName: 'B' } },
          today,
        ),
      ),
    ).toEqual(['parents:PARENTS_COUNT', 'protectionMeasure:MINOR_NO_MEASURE', 'personneDeConfiance:ADULT_ONLY']);
  });
  it('an adult has no parental authority', () => {
    expect(codes(validateResident(resident({ parentalAuthority: 'shared' }), today))).toEqual(['parentalAuthority:ADULT']);
    expect(codes(validateResident(resident({ soleAuthority: { ground: 'judgment', proofReference: 'RG 24/01234', proofDate: '2024-03-12' } }), today))).toEqual([
      'soleAuthority:ADULT',
    ]);
  });
  it('sole exercise of parental authority takes its ground and proof (C. civ. 372 al. 2, 373, 373-1, 373-2-1); only with sole exercise', () => {
    const minor = resident({ birthDate: '2014-05-30', admissionDate: '2026-09-07', parents: [{ firstName: 'Julie', lastName: 'Petit' }] });
    const proof = { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312', proofDate: '2022-01-04' } as const;
    expect(codes(validateResident({ ...minor, parentalAuthority: 'sole' }, today))).toEqual(['soleAuthority:SOLE_AUTHORITY_PROOF_REQUIRED']);
    expect(codes(validateResident({ ...minor, parentalAuthority: 'sole', soleAuthority: proof }, today))).toEqual([]);
    expect(
      codes(validateResident({ ...minor, parentalAuthority: 'sole', soleAuthority: { ground: 'because' as never, proofReference: '  ', proofDate: '2027-01-01' } }, today)),
    ).toEqual(['soleAuthority.ground:REQUIRED', 'soleAuthority.proofReference:REQUIRED', 'soleAuthority.proofDate:DATE_IN_FUTURE']);
    expect(codes(validateResident({ ...minor, parentalAuthority: 'sole', soleAuthority: { ...proof, proofDate: '2022-02-30' } }, today))).toEqual([
      'soleAuthority.proofDate:INVALID_DATE',
    ]);
    const both = { ...minor, parents: [...minor.parents!, { firstName: 'Thomas', lastName: 'Petit' }] };
    expect(codes(validateResident({ ...both, parentalAuthority: 'shared', soleAuthority: proof }, today))).toEqual(['soleAuthority:NOT_SOLE']);
    // An update that touches neither the authority nor its proof may leave a file recorded before the proof was asked for.
    expect(codes(validateResident({ ...minor, parentalAuthority: 'sole' }, today, { soleProofRequired: false }))).toEqual([]);
  });
});

describe('a holder’s mission (C. civ. 447 al. 3)', () => {
  it('an empty mission is asked in the words of the judgment’s division: « la protection de la personne, la gestion patrimoniale, ou les deux »', () => {
    const errors = validateHolderMissions(
      { type: 'tutelle', scope: ['personne', 'biens'], holders: [{ role: 'tuteur', mission: [] }, { role: 'tuteur', mission: ['personne', 'biens'] }] },
      'measure.holders',
    );
    expect(errors).toEqual([
      { field: 'measure.holders.0.mission', code: 'HOLDER_MISSION_REQUIRED', message: 'Indiquez la mission de ce titulaire : la protection de la personne, la gestion patrimoniale, ou les deux.' },
    ]);
    // The same words as the other messages about missions: never « les biens ».
    expect(errors[0].message).not.toMatch(/les biens/);
  });
});
