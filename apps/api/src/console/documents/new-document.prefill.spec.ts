import type { ResidentView } from '@carepact/residents';
import { prefillFromFile } from './new-document.controller';

const resident = { firstName: 'Ahmed', lastName: 'Benali', admissionDate: '2026-11-16', plannedEndDate: null, minor: false, protectionMeasures: [], contacts: [], personneDeConfiance: null } as unknown as ResidentView;

/** An avenant amends the signed contract or DIPC (CASF L.311-4): the form names which one and when it was signed. */
describe('new avenant: prefilled with the contract it amends', () => {
  it('the signed contract’s type and day', () => {
    expect(prefillFromFile('avenant', resident, { type: 'dipc', signedOn: '2026-11-20' })).toMatchObject({ purpose: 'accompagnement', appliesTo: 'dipc', contractSignedOn: '2026-11-20' });
  });
  it('nothing invented without one (the page does not offer the avenant then)', () => {
    const data = prefillFromFile('avenant', resident, null);
    expect(data).not.toHaveProperty('contractSignedOn');
    expect(data).not.toHaveProperty('appliesTo');
  });
});

describe('new contract: the judgment prefilled in good French', () => {
  it('« Jugement d’habilitation familiale », « Jugement de tutelle »', () => {
    const measure = (type: string) => ({ type, status: 'active', judgmentDate: '2025-03-03', judgmentReference: 'RG 25/1', holders: [] });
    const hab = { ...resident, protectionMeasures: [measure('habilitation_familiale')] } as unknown as ResidentView;
    const tut = { ...resident, protectionMeasures: [measure('tutelle')] } as unknown as ResidentView;
    expect(prefillFromFile('contrat-sejour', hab).priorDecisions).toEqual(['Jugement d’habilitation familiale du 3 mars 2025 (RG 25/1)']);
    expect(prefillFromFile('contrat-sejour', tut).priorDecisions).toEqual(['Jugement de tutelle du 3 mars 2025 (RG 25/1)']);
  });
});
