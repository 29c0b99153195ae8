import { templateInputOf } from '@carepact/documents';
import type { EstablishmentEntity } from '@carepact/identity';
import { decideSigners } from './signature-policy';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * The document describes the measure the policy routes it by (@carepact/residents applicableMeasure).
 * Before, the template input took the first active measure and the policy the most protective one:
 * a resident under a recent curatelle and an older tutelle got a document describing the curatelle,
 * signed by the tuteur.
 */
describe('template input and signature policy agree on the measure', () => {
  const ON = '2026-11-20';
  const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
  const est = { ...establishment, category: 'EHPAD', finess: '123456789', address: '1 rue des Tilleuls', phone: null, tariffs: null, annexes: null } as unknown as EstablishmentEntity;
  const curateur = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
  const tuteur = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });

  it('two overlapping measures: both take the tutelle, the most protective', () => {
    // Newest judgment first, as the repository lists them.
    const curatelle = aMeasure('curatelle', [curateur], { id: 'c', judgmentDate: '2025-06-01', endDate: '2030-06-01' }, ON);
    const tutelle = aMeasure('tutelle', [tuteur], { id: 't', judgmentDate: '2024-01-10', endDate: '2029-01-10' }, ON);
    const resident = aResident({ contacts: [curateur, tuteur], protectionMeasures: [curatelle, tutelle] }, ON);

    const described = (templateInputOf(est, resident, {}, ON).resident as { protectionMeasure: { type: string; holders: { lastName: string }[] } }).protectionMeasure;
    const decision = decideSigners({ documentType: 'contrat-sejour', resident, establishment, on: ON });
    const routedBy = decision.signers.find((s) => s.measure)?.measure;

    expect(described.type).toBe('tutelle');
    expect(routedBy?.type).toBe(described.type);
    expect(described.holders.map((h) => h.lastName)).toEqual(['Bernard']);
  });

  it('a measure not in force on the date is not described (the policy refuses to route on it)', () => {
    const ended = aMeasure('curatelle', [curateur], { judgmentDate: '2016-06-01', endDate: '2021-06-01' }, ON);
    const resident = aResident({ contacts: [curateur], protectionMeasures: [ended] }, ON);
    expect((templateInputOf(est, resident, {}, ON).resident as { protectionMeasure: unknown }).protectionMeasure).toBeNull();
    expect(() => decideSigners({ documentType: 'contrat-sejour', resident, establishment, on: ON })).toThrow(/a pris fin/);
  });
});
