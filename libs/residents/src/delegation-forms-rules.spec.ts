import { DELEGATION_EXTENTS, minorDecisionColumns, minorDecisionOf } from './minor-representation';
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
