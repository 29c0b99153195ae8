import { DELEGATION_EXTENTS, minorDecisionColumns, minorDecisionOf } from './minor-representation';
import { otherParentReminder } from './sole-authority';
import { validateResident } from './resident-rules';
import type { ResidentInput } from './residents.types';

/**
 * A delegation of parental authority is total, partial (C. civ. 377 al. 1-2 « tout ou partie »,
 * 377-1 al. 1 « totale ou partielle »: the parents keep what is not delegated) or shared (C. civ.
 * 377-1 al. 2: the parents « partageront tout ou partie de l'exercice de l'autorité parentale avec le
 * tiers délégataire »). The file told only « total » from « partielle ou partagée »; a partial one
 * records whether it covers the admission and accompaniment in the establishment (who signs).
 */
const today = '2026-11-23';
const codes = (errors: { field: string; code: string }[]) => errors.map((e) => `${e.field}:${e.code}`);
const judgment = { authority: 'JAF, TJ de Valville', reference: 'RG 25/00077', date: '2025-04-01' };
const delegataire = { firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' as const };
const minor = (over: Partial<ResidentInput> = {}): ResidentInput => ({
  establishmentId: 'e',
  firstName: 'Enzo',
  lastName: 'Petit',
  birthDate: '2014-05-30',
  admissionDate: '2026-10-30',
  stayType: 'permanent',
  parentalAuthority: 'delegation',
  contacts: [delegataire],
  ...over,
});

describe('the three forms of a delegation (C. civ. 377, 377-1)', () => {
  it('the file knows total, partial and shared', () => {
    expect([...DELEGATION_EXTENTS]).toEqual(['total', 'partial', 'shared']);
  });

  it('a partial delegation says whether it covers the admission and accompaniment in the establishment (DELEGATION_SCOPE_REQUIRED)', () => {
    const errors = validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'partial' } }), today);
    expect(codes(errors)).toEqual(['minorDecision.delegationCoversStay:DELEGATION_SCOPE_REQUIRED']);
    expect(errors[0].message).toContain('C. civ. 377, 377-1 al. 1');
    expect(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'partial', delegationCoversStay: true } }), today)).toEqual([]);
    expect(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'partial', delegationCoversStay: false } }), today)).toEqual([]);
    expect(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'shared' } }), today)).toEqual([]);
  });

  it('what it covers is said for a partial delegation only (NOT_PARTIAL_DELEGATION)', () => {
    expect(codes(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'total', delegationCoversStay: true } }), today))).toEqual([
      'minorDecision.delegationCoversStay:NOT_PARTIAL_DELEGATION',
    ]);
    expect(codes(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'shared', delegationCoversStay: false } }), today))).toEqual([
      'minorDecision.delegationCoversStay:NOT_PARTIAL_DELEGATION',
    ]);
  });

  it('the row keeps it for a partial delegation only, and reads it back', () => {
    const cols = minorDecisionColumns({ ...judgment, delegationExtent: 'partial', delegationCoversStay: false });
    expect(cols).toMatchObject({ delegationExtent: 'partial', delegationCoversStay: false });
    expect(minorDecisionOf(cols)).toMatchObject({ delegationExtent: 'partial', delegationCoversStay: false });
    expect(minorDecisionColumns({ ...judgment, delegationExtent: 'shared', delegationCoversStay: true }).delegationCoversStay).toBeNull();
  });
});

/**
 * C. civ. 372, 377 al. 1, 377-1 al. 1: under a partial delegation not covering the stay the parents
 * keep the rest as they held it — jointly, or one alone on a ground whose proof the file records.
 * The file refused that proof outside `parentalAuthority: 'sole'` (NOT_SOLE), so a parent alone
 * could not be proved.
 */
describe('the proof of sole exercise under a partial delegation not covering the stay', () => {
  const proof = { ground: 'judgment' as const, proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' };
  const partial = (covers: boolean) => ({ ...judgment, delegationExtent: 'partial' as const, delegationCoversStay: covers });

  it('is recorded, and checked like any proof', () => {
    expect(validateResident(minor({ minorDecision: partial(false), soleAuthority: proof }), today)).toEqual([]);
    expect(codes(validateResident(minor({ minorDecision: partial(false), soleAuthority: { ...proof, proofDate: '2027-01-01' } }), today))).toEqual(['soleAuthority.proofDate:DATE_IN_FUTURE']);
  });

  it('is not asked for (both parents may be on file), and refused where the délégataire signs', () => {
    expect(validateResident(minor({ minorDecision: partial(false) }), today)).toEqual([]);
    expect(codes(validateResident(minor({ minorDecision: partial(true), soleAuthority: proof }), today))).toEqual(['soleAuthority:NOT_SOLE']);
    expect(codes(validateResident(minor({ minorDecision: { ...judgment, delegationExtent: 'total' }, soleAuthority: proof }), today))).toEqual(['soleAuthority:NOT_SOLE']);
  });
});

/** C. civ. 373-2-1 al. 5: the other parent is to be informed when the judge entrusted the exercise to one parent; not when he died, lost his authority, or cannot express his will. */
describe('the other parent’s right to be informed, per ground', () => {
  it('judgment: yes; filiation: if established towards him; the others: no', () => {
    expect(otherParentReminder('judgment')).toContain('C. civ. 373-2-1 al. 5');
    expect(otherParentReminder('filiation')).toMatch(/^Si la filiation de l’enfant est établie aussi à l’égard de l’autre parent : /);
    expect([otherParentReminder('other_parent_deceased'), otherParentReminder('other_parent_unable')]).toEqual([null, null]);
  });

  it('deprived of the exercise only (C. civ. 373-1), he keeps the right to be informed; a withdrawal of the authority or of its exercise (378 s., loi n° 2024-233) or the suspension of 378-2 takes it: the reminder says which (sector lawyer’s reviews of sessions 19 and 20)', () => {
    expect(otherParentReminder('other_parent_deprived')).toBe(
      'Si l’autre parent est seulement privé de l’exercice de l’autorité parentale (C. civ. 373-1), et non par un retrait de l’autorité parentale ou de son exercice prononcé par un juge (C. civ. 378 s.), ni par la suspension de plein droit de l’exercice de l’autorité parentale (C. civ. 378-2 : notamment le parent poursuivi par le ministère public ou mis en examen pour un crime sur l’autre parent, ou pour une agression sexuelle incestueuse ou un crime sur l’enfant, jusqu’à la décision du juge ; condamné, le juge pénal se prononce sur le retrait, C. civ. 378) : l’autre parent n’exerce pas l’autorité parentale et ne signe pas ; il garde le droit et le devoir de surveiller l’entretien et l’éducation de l’enfant et doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5).',
    );
  });
});
