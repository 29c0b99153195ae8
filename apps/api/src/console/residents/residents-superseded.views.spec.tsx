import type { DocumentView } from '@carepact/documents';
import type { ResidentView } from '@carepact/residents';
import { residentFileBody } from './residents.views';

const resident: ResidentView = {
  id: '00000000-0000-4000-8000-000000000002',
  establishmentId: 'e',
  firstName: 'Jeanne',
  lastName: 'Martin',
  birthName: null,
  birthDate: '1938-04-12',
  admissionDate: '2026-10-01',
  stayType: 'permanent',
  plannedEndDate: null,
  departedOn: null,
  room: '12',
  preferences: { largePrint: false, easyToRead: false, language: 'fr' },
  email: null,
  phone: null,
  minor: false,
  parentalAuthority: null,
  soleAuthority: null,
  minorDecision: null,
  personneDeConfiance: null,
  contacts: [],
  protectionMeasures: [],
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};
const contract = (id: string, status: DocumentView['status']) =>
  ({ id, residentId: resident.id, establishmentId: 'e', type: 'contrat-sejour', subtype: null, status, currentVersionId: null, generationError: null, createdAt: '2026-10-02T09:00:00.000Z', updatedAt: '2026-10-02T09:00:00.000Z', versions: [] }) as unknown as DocumentView;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');

/**
 * Jeanne Martin's file: contract A signed, draft B of the same stay never to be sent (one contract per
 * stay, CASF L.311-4, D.311; the API refuses its correction and its sending), C abandoned. The list of
 * her documents does not call B « prêt ».
 */
describe('resident file: a draft contract superseded by the stay’s signed contract', () => {
  const documents = [contract('a', 'signed'), contract('b', 'ready'), contract('c', 'cancelled')];
  const file = (superseded?: ReadonlySet<string>) =>
    text(residentFileBody({ resident, establishment: 'EHPAD Les Tilleuls', documents, supersededContracts: superseded, rights: { write: true, newDocument: true } }));

  it('names B and C for what they are, not « prêt » nor « annulé »', () => {
    const t = file(new Set(['b', 'c']));
    expect(t).toContain('Contrat de séjour — signé');
    expect(t).toContain('Contrat de séjour — projet non envoyé : un autre contrat de séjour est signé pour ce séjour');
    expect(t).toContain('Contrat de séjour — projet abandonné : un autre contrat de séjour est signé pour ce séjour');
    expect(t).not.toContain('Contrat de séjour — prêt');
  });

  it('none superseded: the states as before', () => {
    const t = file(new Set());
    expect(t).toContain('Contrat de séjour — prêt');
    expect(t).not.toContain('un autre contrat de séjour');
  });
});
