import { assertDocumentTypeApplies, DocumentSituation, participationError } from './document-type-rules';

const situation = (over: Partial<DocumentSituation['resident']> = {}, extra: Partial<DocumentSituation> = {}): DocumentSituation => ({
  resident: { stayType: 'permanent', admissionDate: '2026-11-16', plannedEndDate: null, parentalAuthority: null, minor: false, ...over },
  establishmentCategory: 'EHPAD',
  contractRefused: false,
  ...extra,
});
const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('document type against the resident’s situation (CASF L.311-4, D.311)', () => {
  it('a permanent stay: contract yes, DIPC no', () => {
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation()))).toBeNull();
    expect(code(() => assertDocumentTypeApplies('dipc', situation()))).toBe('DIPC_NOT_APPLICABLE');
  });
  it('Ahmed Benali’s temporary stay of under two months: DIPC, not a contract', () => {
    const s = situation({ stayType: 'temporary', plannedEndDate: '2026-12-10' });
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', s))).toBe('CONTRACT_NOT_APPLICABLE_SHORT_STAY');
    expect(code(() => assertDocumentTypeApplies('dipc', s))).toBeNull();
  });
  it('exactly two months is still a DIPC; a day more needs a contract', () => {
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation({ stayType: 'temporary', plannedEndDate: '2027-01-16' })))).toBe(
      'CONTRACT_NOT_APPLICABLE_SHORT_STAY',
    );
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation({ stayType: 'temporary', plannedEndDate: '2027-01-17' })))).toBeNull();
  });
  it('a refused contract: the DIPC is required', () => {
    const s = situation({}, { contractRefused: true });
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', s))).toBe('CONTRACT_REFUSED_USE_DIPC');
    expect(code(() => assertDocumentTypeApplies('dipc', s))).toBeNull();
  });
  it('support at home, services without stay, minors under a court measure: DIPC', () => {
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation({ stayType: 'at_home' })))).toBe('CONTRACT_NOT_APPLICABLE_NO_STAY');
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation({}, { establishmentCategory: 'SSIAD' })))).toBe('CONTRACT_NOT_APPLICABLE_NO_STAY');
    expect(code(() => assertDocumentTypeApplies('contrat-sejour', situation({ minor: true, parentalAuthority: 'court_measure' })))).toBe(
      'CONTRACT_NOT_APPLICABLE_COURT_MEASURE',
    );
  });
  it('projet personnalisé, avenant and minutes apply whatever the stay', () => {
    for (const t of ['projet-personnalise', 'avenant', 'compte-rendu-synthese'] as const)
      expect(code(() => assertDocumentTypeApplies(t, situation({ stayType: 'temporary', plannedEndDate: '2026-12-01' })))).toBeNull();
  });
});

/** CASF D.311: the person takes part, or her family or legal representative does, « à peine de nullité ». */
describe('participation in drawing up the contract, DIPC or avenant (CASF D.311)', () => {
  const staff = { name: 'Nadia Haddad', capacity: 'professionnel', role: 'admissions', presence: 'present' };
  const withPerson = (presence: string, others: object[]) => ({ participation: { person: { presence, note: 'hospitalisée' }, others } });
  const capable = { minor: false, underMeasure: false };
  const protectedAdult = { minor: false, underMeasure: true };
  const child = { minor: true, underMeasure: false };
  it('the person present: fine, whoever else came', () => {
    for (const standing of [capable, protectedAdult, child]) expect(participationError('contrat-sejour', withPerson('present', []), standing)).toBeNull();
  });
  it('the person absent, only professionals: refused, at data.participation.others once mapped', () => {
    for (const t of ['contrat-sejour', 'dipc', 'avenant'] as const)
      expect(participationError(t, withPerson('excuse', [staff]), protectedAdult)).toMatchObject({ field: 'document.participation.others', code: 'PARTICIPATION_REQUIRED' });
    // Named but excused, a representative does not take part either.
    expect(participationError('contrat-sejour', withPerson('excuse', [staff, { name: 'Alain Bernard', capacity: 'representant_legal', presence: 'excuse' }]), protectedAdult)).not.toBeNull();
    expect(participationError('dipc', withPerson('represente', [staff, { name: 'Amie', capacity: 'personne_de_confiance', presence: 'present' }]), protectedAdult)).not.toBeNull();
  });
  it('the person absent or represented: her legal representative present is fine; for a minor, a parent too', () => {
    expect(participationError('contrat-sejour', withPerson('represente', [staff, { name: 'X', capacity: 'representant_legal', presence: 'present' }]), protectedAdult)).toBeNull();
    for (const capacity of ['representant_legal', 'parent'])
      expect(participationError('dipc', withPerson('represente', [staff, { name: 'X', capacity, presence: 'present' }]), child)).toBeNull();
  });
  it('a relative who is not her legal representative never stands in for her (CASF D.311, L.311-4)', () => {
    const relative = { name: 'Sylvie Martin', capacity: 'proche', role: 'fille', presence: 'present' };
    for (const t of ['contrat-sejour', 'dipc', 'avenant'] as const) {
      // A capable adult « représentée » by her daughter: nobody can stand in for her (C. civ. 414).
      const e = participationError(t, withPerson('represente', [staff, relative]), capable);
      expect(e).toMatchObject({ field: 'document.participation.person.presence', code: 'PARTICIPATION_REQUIRED' });
      expect(e!.message).toContain('Un proche peut l’accompagner, il ne peut pas la remplacer');
      expect(e!.message).toContain('CASF D.311');
      // …not even her « representative » or « parent » as staff may have ticked: she has none.
      expect(participationError(t, withPerson('excuse', [{ ...relative, capacity: 'representant_legal' }]), capable)).not.toBeNull();
      // Under a measure, or for a minor, a relative is not the representative either.
      expect(participationError(t, withPerson('represente', [staff, relative]), protectedAdult)).toMatchObject({ code: 'PARTICIPATION_REQUIRED' });
      expect(participationError(t, withPerson('represente', [staff, relative]), child)).toMatchObject({ code: 'PARTICIPATION_REQUIRED' });
      // A parent of an adult is not her legal representative unless he holds the measure (then: representant_legal).
      expect(participationError(t, withPerson('represente', [{ ...relative, capacity: 'parent' }]), protectedAdult)).not.toBeNull();
    }
  });
  it('a tariff avenant without participation, and the other documents, are not concerned', () => {
    expect(participationError('avenant', { purpose: 'tarifs' } as never, capable)).toBeNull();
    expect(participationError('projet-personnalise', withPerson('excuse', [staff]), capable)).toBeNull();
  });
});

describe('an avenant amends a signed contract or DIPC (CASF L.311-4)', () => {
  it('none signed: refused with its code; signed, or checked by the caller (bulk): fine', () => {
    expect(code(() => assertDocumentTypeApplies('avenant', situation({}, { contractSigned: false })))).toBe('AVENANT_WITHOUT_SIGNED_CONTRACT');
    expect(code(() => assertDocumentTypeApplies('avenant', situation({}, { contractSigned: true })))).toBeNull();
    expect(code(() => assertDocumentTypeApplies('avenant', situation()))).toBeNull();
    // The other types do not depend on it.
    expect(code(() => assertDocumentTypeApplies('projet-personnalise', situation({}, { contractSigned: false })))).toBeNull();
  });
});
