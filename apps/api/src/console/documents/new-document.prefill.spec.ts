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
