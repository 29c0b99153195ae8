import { validateResident } from './resident-rules';
import type { ResidentInput } from './residents.types';

/** The resident file's rules for a minor under tutelle, delegation or placement (minor-representation.ts). */
const today = '2026-11-23';
const codes = (errors: { field: string; code: string }[]) => errors.map((e) => `${e.field}:${e.code}`);
const decision = { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
const minor = (over: Partial<ResidentInput> = {}): ResidentInput => ({
  establishmentId: 'e',
  firstName: 'Enzo',
  lastName: 'Petit',
  birthDate: '2014-05-30',
  admissionDate: '2026-10-30',
  stayType: 'permanent',
  ...over,
});
const tuteur = { firstName: 'Hélène', lastName: 'Roux', minorRole: 'tuteur' as const };
const delegataire = { firstName: 'Hélène', lastName: 'Roux', minorRole: 'delegataire' as const };
const ase = { firstName: 'Sophie', lastName: 'Garnier', organisationName: 'ASE du Val', minorRole: 'service_gardien' as const };

describe('tutelle of a minor (C. civ. 390, 408)', () => {
  it('is accepted with its decision and a tuteur among the contacts (a pupille de l’État too)', () => {
    expect(validateResident(minor({ parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur] }), today)).toEqual([]);
    expect(validateResident(minor({ parentalAuthority: 'tutelle', minorDecision: { ...decision, wardOfState: true }, contacts: [tuteur] }), today)).toEqual([]);
  });

  it('needs a tuteur on file and the decision, and no parent holding parental authority', () => {
    const errors = validateResident(minor({ parentalAuthority: 'tutelle', parents: [{ firstName: 'Julie', lastName: 'Petit' }] }), today);
    expect(codes(errors)).toEqual(['parentalAuthority:MINOR_TUTEUR_REQUIRED', 'minorDecision:MINOR_DECISION_REQUIRED', 'parents:TUTELLE_WITH_PARENTS']);
    expect(errors.find((e) => e.code === 'MINOR_TUTEUR_REQUIRED')!.message).toContain('C. civ. 408');
  });

  it('an update that does not touch the authority does not look for the tuteur (roles not checked)', () => {
    expect(validateResident(minor({ parentalAuthority: 'tutelle', minorDecision: decision }), today, { minorRoles: null })).toEqual([]);
    expect(codes(validateResident(minor({ parentalAuthority: 'tutelle', minorDecision: decision }), today, { minorRoles: ['delegataire'] }))).toEqual(['parentalAuthority:MINOR_TUTEUR_REQUIRED']);
  });
});

describe('delegation of parental authority (C. civ. 377, 377-1)', () => {
  it('is accepted with its judgment, its extent and the délégataire', () => {
    expect(validateResident(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'shared' }, contacts: [delegataire] }), today)).toEqual([]);
  });

  it('without the judgment, or without its extent, or without the délégataire: refused with stable codes', () => {
    expect(codes(validateResident(minor({ parentalAuthority: 'delegation' }), today))).toEqual(['parentalAuthority:DELEGATAIRE_REQUIRED', 'minorDecision:DELEGATION_JUDGMENT_REQUIRED']);
    expect(codes(validateResident(minor({ parentalAuthority: 'delegation', minorDecision: decision, contacts: [delegataire] }), today))).toEqual([
      'minorDecision.delegationExtent:DELEGATION_EXTENT_REQUIRED',
    ]);
  });

  it('checks the decision’s fields: authority, reference, a real date not in the future', () => {
    const errors = validateResident(minor({ parentalAuthority: 'delegation', minorDecision: { authority: ' ', reference: '', date: '2027-01-01', delegationExtent: 'total' }, contacts: [delegataire] }), today);
    expect(codes(errors)).toEqual(['minorDecision.authority:REQUIRED', 'minorDecision.reference:REQUIRED', 'minorDecision.date:DATE_IN_FUTURE']);
  });
});

describe('placement (C. civ. 375-7) and fields of another kind', () => {
  it('a placement needs no decision; the judge’s authorisation needs the service gardien on file', () => {
    expect(validateResident(minor({ parentalAuthority: 'court_measure' }), today)).toEqual([]);
    const authorised = { ...decision, authority: 'Juge des enfants', actAuthorisation: { reference: 'Ordonnance JE 26/0012', date: '2026-10-02' } };
    expect(validateResident(minor({ parentalAuthority: 'court_measure', minorDecision: authorised, contacts: [ase] }), today)).toEqual([]);
    expect(codes(validateResident(minor({ parentalAuthority: 'court_measure', minorDecision: authorised }), today))).toEqual(['parentalAuthority:SERVICE_GARDIEN_REQUIRED']);
  });

  it('refuses a decision for parents, an extent outside a delegation, a pupille outside a tutelle, an authorisation outside a placement, and any of it for an adult', () => {
    expect(codes(validateResident(minor({ parentalAuthority: 'shared', minorDecision: decision }), today))).toEqual(['minorDecision:NOT_APPLICABLE']);
    expect(
      codes(
        validateResident(
          minor({ parentalAuthority: 'tutelle', minorDecision: { ...decision, delegationExtent: 'total', actAuthorisation: { reference: 'x', date: '2026-01-01' } }, contacts: [tuteur] }),
          today,
        ),
      ),
    ).toEqual(['minorDecision.delegationExtent:NOT_DELEGATION', 'minorDecision.actAuthorisation:NOT_PLACEMENT']);
    expect(codes(validateResident(minor({ parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total', wardOfState: true }, contacts: [delegataire] }), today))).toEqual([
      'minorDecision.wardOfState:NOT_TUTELLE',
    ]);
    expect(codes(validateResident(minor({ birthDate: '1950-01-01', minorDecision: decision }), today))).toEqual(['minorDecision:ADULT']);
  });
});
