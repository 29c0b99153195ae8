import { minorUnderTutelleResident } from '@carepact/testing';
import { validateBody } from '../http/validation';
import { CreateResidentDto, UpdateResidentDto } from './residents.dto';

/**
 * The authority of a minor's decision (tutelle, délégation, placement: C. civ. 390 s., 377 s.,
 * 375-7) and the proof of one parent's exclusive exercise of parental authority (C. civ. 372 al. 2,
 * 373, 373-1, 373-2-1) are printed in the documents and in the signature's sentences and evidence,
 * as the decision's reference is: the same rule for text that identifies (libs/common `textProblem`
 * 'name'), so a bidirectional control (U+202A–U+202E, U+2066–U+2069) that would make them display
 * otherwise than they are is refused with BIDI_CONTROL. They were checked as one line only
 * (no CR/LF), which let those controls through.
 */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const EST = '00000000-0000-4000-8000-000000000001';

describe('a minor’s decision authority and the sole parental authority’s proof: no bidi control (BIDI_CONTROL)', () => {
  it.each(BIDI.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))('minorDecision.authority with %s is refused, on creation and on edit', async (_, c) => {
    const m = minorUnderTutelleResident(EST);
    const created = await validateBody(CreateResidentDto, { ...m, minorDecision: { ...m.minorDecision, authority: `Conseil de famille${c}, TJ de Valville` } });
    expect(created.errors).toEqual([expect.objectContaining({ field: 'minorDecision.authority', code: 'BIDI_CONTROL' })]);
    const edited = await validateBody(UpdateResidentDto, { minorDecision: { ...m.minorDecision, authority: `Juge des enfants ${c}TJ de Valville` } });
    expect(edited.errors).toEqual([expect.objectContaining({ field: 'minorDecision.authority', code: 'BIDI_CONTROL' })]);
  });

  it.each(BIDI.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))('soleAuthority.proofReference with %s is refused, on creation and on edit', async (_, c) => {
    const soleAuthority = { ground: 'judgment', proofReference: `Jugement JAF ${c}RG 24/01234`, proofDate: '2024-03-12' };
    const created = await validateBody(CreateResidentDto, {
      establishmentId: EST,
      firstName: 'Léa',
      lastName: 'Martin',
      birthDate: '2014-04-02',
      admissionDate: '2026-09-01',
      stayType: 'permanent',
      parentalAuthority: 'sole',
      soleAuthority,
      contacts: [{ firstName: 'Claire', lastName: 'Martin', relation: 'mère', holdsParentalAuthority: true }],
    });
    expect(created.errors).toEqual([expect.objectContaining({ field: 'soleAuthority.proofReference', code: 'BIDI_CONTROL' })]);
    const edited = await validateBody(UpdateResidentDto, { parentalAuthority: 'sole', soleAuthority });
    expect(edited.errors).toEqual([expect.objectContaining({ field: 'soleAuthority.proofReference', code: 'BIDI_CONTROL' })]);
  });

  it('the same texts without them pass; the implicit marks U+200E / U+200F are refused too (one rule with the e-mails, BIDI_CONTROLS); a line break is still refused', async () => {
    const m = minorUnderTutelleResident(EST);
    expect((await validateBody(CreateResidentDto, { ...m, minorDecision: { ...m.minorDecision, authority: 'Conseil de famille, TJ de Valville' } })).errors).toBeUndefined();
    expect((await validateBody(CreateResidentDto, { ...m, minorDecision: { ...m.minorDecision, authority: 'Conseil de famille, TJ de Valville\u200e' } })).errors).toEqual([
      expect.objectContaining({ field: 'minorDecision.authority', code: 'BIDI_CONTROL' }),
    ]);
    expect((await validateBody(UpdateResidentDto, { parentalAuthority: 'sole', soleAuthority: { ground: 'judgment', proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' } })).errors).toBeUndefined();
    expect((await validateBody(UpdateResidentDto, { minorDecision: { ...m.minorDecision, authority: 'Conseil\nde famille' } })).errors).toEqual([
      expect.objectContaining({ field: 'minorDecision.authority', code: 'CONTROL_CHARACTER' }),
    ]);
  });
});
