import { assertDocumentTypeApplies, DocumentSituation } from './document-type-rules';

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
