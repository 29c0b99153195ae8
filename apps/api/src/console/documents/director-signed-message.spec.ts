import { decideSigners, type RequestView } from '@carepact/signing';
import { VIEW_ESTABLISHMENT } from '@carepact/testing';
import type { ResidentView } from '@carepact/residents';
import { directorSignedMessage } from './document-page.views';

/**
 * The console's confirmation after the director signs (POST …/contresigner). CASF D.311 II: the DIPC
 * « est établi et signé par le directeur … Il peut être contresigné par la personne accueillie ou son
 * représentant légal »; D.311 VII: an avenant to it in the same conditions. The director's signature
 * establishes the document (sealed and handed over at once, D.311 III): not « Contresignature
 * enregistrée ». A contract's director countersigns last (L.311-4): that wording stays.
 */
const resident = {
  id: 'r-ahmed',
  establishmentId: VIEW_ESTABLISHMENT,
  firstName: 'Ahmed',
  lastName: 'Benali',
  birthName: null,
  birthDate: '1944-02-11',
  admissionDate: '2026-11-20',
  stayType: 'permanent',
  plannedEndDate: null,
  departedOn: null,
  room: '214',
  preferences: { largePrint: false, easyToRead: false, language: 'fr' },
  email: 'ahmed.benali@example.org',
  phone: null,
  minor: false,
  parentalAuthority: null,
  soleAuthority: null,
  personneDeConfiance: null,
  contacts: [],
  protectionMeasures: [],
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
} as unknown as ResidentView;
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };

/** The request as the director's signature leaves it: the director signed, the person as given. */
function after(documentType: 'dipc' | 'avenant' | 'contrat-sejour', person: 'pending' | 'signed'): Pick<RequestView, 'signers' | 'deadline'> {
  const d = decideSigners({ documentType, appliesTo: documentType === 'avenant' ? 'dipc' : undefined, resident, establishment, on: '2026-11-25' });
  return {
    deadline: '2026-12-12T22:59:00.000Z',
    signers: d.signers.map((s) => ({ name: `${s.person.firstName} ${s.person.lastName}`, role: s.role, optional: s.optional, status: s.role === 'director' ? 'signed' : person })) as RequestView['signers'],
  };
}

describe('the confirmation after the director signs (CASF D.311 II, VII)', () => {
  it.each(['dipc', 'avenant'] as const)('%s (to a DIPC), the person not countersigned: established, handed over, she may countersign until the deadline', (type) => {
    const message = directorSignedMessage(type, after(type, 'pending'));
    expect(message).not.toContain('Contresignature enregistrée');
    expect(message).toBe(
      'Document signé et établi (CASF D.311) : il s’applique dès maintenant. Il est scellé dans quelques instants et remis à Ahmed Benali, qui pourra encore le contresigner, sans obligation, jusqu’au 12 décembre 2026 à 23 h 59.',
    );
  });

  it('a DIPC she countersigned already: established, every signature in', () => {
    expect(directorSignedMessage('dipc', after('dipc', 'signed'))).toBe('Document signé et établi (CASF D.311) : toutes les signatures sont réunies, le PDF scellé sera prêt dans quelques instants.');
  });

  it('a contrat de séjour: the director countersigns last (CASF L.311-4)', () => {
    expect(directorSignedMessage('contrat-sejour', after('contrat-sejour', 'signed'))).toBe('Contresignature enregistrée. Le PDF scellé sera prêt dans quelques instants.');
  });
});
