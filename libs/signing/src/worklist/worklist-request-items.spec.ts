import type { ActiveRequestRow, ActiveSignerRow } from '../requests/signing.repository';
import { requestItems } from './worklist.service';

/**
 * « À faire », a request in progress: the DIPC's countersignature by the person is optional and has
 * no period (CASF D.311 II) — never « en retard », no « Délai légal »; names take « d’ » before a vowel.
 */
const signer = (over: Partial<ActiveSignerRow>): ActiveSignerRow => ({
  id: 'signer-1',
  key: 'resident',
  role: 'resident',
  firstName: 'Ahmed',
  lastName: 'Benali',
  capacity: 'la personne accueillie',
  orderNo: 1,
  optional: false,
  status: 'pending',
  delivery: 'email',
  actedAt: null,
  lastEmailStatus: 'sent',
  ...over,
});
const request = (signers: ActiveSignerRow[], type = 'dipc'): ActiveRequestRow => ({
  id: 'request-1',
  documentId: 'document-1',
  documentType: type,
  documentSubtype: null,
  residentId: 'resident-1',
  residentName: 'Ahmed Benali',
  establishmentId: 'establishment-1',
  mode: 'parallel',
  createdAt: new Date('2026-11-10T09:00:00Z'),
  deadline: new Date('2026-12-20T22:59:59Z'),
  legalDeadline: new Date('2026-12-01T22:59:59Z'),
  signers,
  sealFailure: null,
});

describe('« À faire »: a signature awaited', () => {
  it('a DIPC established by the director: the person’s optional countersignature is neither late nor under the legal period', () => {
    const items = requestItems(
      request([
        signer({ optional: true }),
        signer({ id: 'signer-2', key: 'director', role: 'director', firstName: 'Claire', lastName: 'Morel', capacity: 'directrice', orderNo: 2, status: 'signed', actedAt: new Date('2026-11-12T10:00:00Z') }),
      ]),
      '2026-12-03',
    );
    expect(items).toHaveLength(1);
    expect(items[0].overdue).toBe(false);
    expect(items[0].dates.map((d) => d.label)).not.toContain('Délai légal');
    expect(items[0].title).toContain('contresignature facultative d’Ahmed Benali');
    expect(items[0].detail).toContain('facultative et sans délai (CASF D.311 II)');
  });

  it('a required signature past its legal period stays late, and its name is elided', () => {
    const [item] = requestItems(request([signer({})], 'contrat-sejour'), '2026-12-03');
    expect(item.overdue).toBe(true);
    expect(item.dates.map((d) => d.label)).toContain('Délai légal');
    expect(item.title).toMatch(/ : signature d’Ahmed Benali$/);
    const [marcel] = requestItems(request([signer({ firstName: 'Marcel', lastName: 'Dupont' })], 'contrat-sejour'), '2026-12-03');
    expect(marcel.title).toMatch(/ : signature de Marcel Dupont$/);
  });
});
