import { curatelleResident } from '@carepact/testing';
import { validateBody } from '../http/validation';
import { CreateResidentDto, MeasureDto, UpdateMeasureDto } from './residents.dto';

/**
 * The measure's court and judgment reference, and the decision appointing an ad hoc holder (C. civ.
 * 455), are printed in the documents, the signature's sentences (« décision RG … du … ») and its
 * evidence, as the other identifying texts of the file are: the same rule (libs/common `textProblem`
 * 'name'), so a bidirectional control (U+202A–U+202E, U+2066–U+2069, the implicit marks U+200E,
 * U+200F, U+061C) that would make them display otherwise than they are is refused with BIDI_CONTROL.
 * They were checked as one line only (NoControlChars), which let those controls through.
 */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const EST = '00000000-0000-4000-8000-000000000001';
const CONTACT = '00000000-0000-4000-8000-0000000000c1';
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const measure = () => curatelleResident(EST).protectionMeasure;

describe('a measure’s court, judgment reference and ad hoc decision: no bidi control (BIDI_CONTROL)', () => {
  it.each(BIDI.map((c) => [hex(c), c]))('court and judgmentReference with %s are refused: with the resident, on a new measure, on its edit', async (_, c) => {
    const resident = curatelleResident(EST);
    const created = await validateBody(CreateResidentDto, { ...resident, protectionMeasure: { ...resident.protectionMeasure, court: `Tribunal judiciaire${c} de Valville` } });
    expect(created.errors).toEqual([expect.objectContaining({ field: 'protectionMeasure.court', code: 'BIDI_CONTROL' })]);
    const added = await validateBody(MeasureDto, { ...measure(), judgmentReference: `RG ${c}25/00412` });
    expect(added.errors).toEqual([expect.objectContaining({ field: 'judgmentReference', code: 'BIDI_CONTROL' })]);
    const edited = await validateBody(UpdateMeasureDto, { court: `${c}TJ de Valville`, judgmentReference: `RG 25/00412${c}` });
    expect(edited.errors).toEqual([
      expect.objectContaining({ field: 'court', code: 'BIDI_CONTROL' }),
      expect.objectContaining({ field: 'judgmentReference', code: 'BIDI_CONTROL' }),
    ]);
  });

  it.each(BIDI.map((c) => [hex(c), c]))('adHocJudgmentReference with %s is refused, on a new measure and on its edit', async (_, c) => {
    const adHoc = { adHocContactId: CONTACT, adHocJudgmentReference: `RG 26/${c}00981`, adHocJudgmentDate: '2026-09-14' };
    expect((await validateBody(MeasureDto, { ...measure(), ...adHoc })).errors).toEqual([expect.objectContaining({ field: 'adHocJudgmentReference', code: 'BIDI_CONTROL' })]);
    expect((await validateBody(UpdateMeasureDto, adHoc)).errors).toEqual([expect.objectContaining({ field: 'adHocJudgmentReference', code: 'BIDI_CONTROL' })]);
  });

  it.each(BIDI.map((c) => [hex(c), c]))('the judge’s authorisation reference (C. civ. 472) and the proof’s reference with %s are refused', async (_, c) => {
    const both = { authorisationReference: `Ordonnance${c} 26/0042`, proofDocumentRef: `Copie${c} du jugement` };
    expect((await validateBody(MeasureDto, { ...measure(), ...both })).errors).toEqual([
      expect.objectContaining({ field: 'authorisationReference', code: 'BIDI_CONTROL' }),
      expect.objectContaining({ field: 'proofDocumentRef', code: 'BIDI_CONTROL' }),
    ]);
    expect((await validateBody(UpdateMeasureDto, both)).errors).toEqual([
      expect.objectContaining({ field: 'authorisationReference', code: 'BIDI_CONTROL' }),
      expect.objectContaining({ field: 'proofDocumentRef', code: 'BIDI_CONTROL' }),
    ]);
  });

  it('the same texts without them pass; a line break is still refused', async () => {
    expect((await validateBody(MeasureDto, { ...measure(), adHocContactId: CONTACT, adHocJudgmentReference: 'RG 26/00981', adHocJudgmentDate: '2026-09-14' })).errors).toBeUndefined();
    expect((await validateBody(UpdateMeasureDto, { court: 'Tribunal judiciaire de Valville', judgmentReference: 'RG 25/00412' })).errors).toBeUndefined();
    expect((await validateBody(UpdateMeasureDto, { judgmentReference: 'RG 25/\n00412' })).errors).toEqual([expect.objectContaining({ field: 'judgmentReference', code: 'CONTROL_CHARACTER' })]);
  });
});
