import { HOLDER_ROLE_OF, type ContactView, type MeasureView, type ResidentView } from '@carepact/residents';
import { decideSigners } from './signature-policy';

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal »; D.311 III: it is handed over within 15 days of
 * admission; D.311 VII: an avenant to it is drawn up in the same conditions. The director's signature
 * establishes the document (sealed and handed over at once); the person's side may countersign
 * afterwards, until the request's deadline. The explanation staff read says so, never that the
 * director « signe en dernier ».
 */
const tuteur: ContactView = { id: 'alain', firstName: 'Alain', lastName: 'Roux', relation: null, organisationName: 'UDAF du Val', email: 'alain@example.org', phone: null, address: null, holdsParentalAuthority: false };
const tutelle: MeasureView = {
  id: 'm-tutelle',
  type: 'tutelle',
  mode: 'representation',
  scope: ['personne', 'biens'],
  general: true,
  acts: [],
  mission: null,
  court: 'Tribunal judiciaire de Valville',
  judgmentReference: 'RG 25/00412',
  judgmentDate: '2025-03-03',
  startDate: null,
  endDate: '2030-03-03',
  mandateEffectiveDate: null,
  judgeAuthorisesHolderAlone: false,
  authorisationReference: null,
  proofDocumentRef: null,
  status: 'active',
  holders: [{ ...tuteur, contactId: tuteur.id, role: HOLDER_ROLE_OF.tutelle }],
};
function resident(m: MeasureView | null): ResidentView {
  return {
    id: 'r1',
    establishmentId: 'e1',
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
    contacts: m ? [tuteur] : [],
    protectionMeasures: m ? [m] : [],
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
  } as ResidentView;
}
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };

describe('the DIPC’s explanation: the director establishes it, the others may countersign after (CASF D.311 II, III, VII)', () => {
  it.each([
    ['DIPC, tutelle', 'dipc', tutelle],
    ['DIPC, no measure', 'dipc', null],
    ['avenant to a DIPC, tutelle', 'avenant', tutelle],
    ['avenant to a DIPC, no measure', 'avenant', null],
  ] as const)('%s', (_label, documentType, m) => {
    const d = decideSigners({ documentType, appliesTo: documentType === 'avenant' ? 'dipc' : undefined, resident: resident(m), establishment, on: '2026-11-25' });
    expect(d.explanation).not.toMatch(/en dernier/);
    expect(d.explanation).toContain(
      documentType === 'dipc'
        ? 'Le DIPC est établi et signé par la direction : sa signature le met en vigueur, il est scellé et remis aussitôt (CASF D.311 II et III).'
        : 'Avenant au DIPC : comme le DIPC, il est établi et signé par la direction : sa signature le met en vigueur, il est scellé et remis aussitôt (CASF D.311 II, III et VII).',
    );
    expect(d.explanation).toContain('peut le contresigner ensuite, s’il le souhaite, jusqu’à l’échéance de la demande');
  });
});

/**
 * The measure's sentence in the same explanation (the console's request page): on a DIPC the
 * representative « peut » countersign for the person (CASF D.311 II), never « le tuteur signe pour la
 * personne » as on the contract, where his signature is required. Who signs is unchanged.
 */
describe('the measure’s sentence on a DIPC says the countersignature is optional (CASF D.311 II)', () => {
  const decide = (documentType: 'dipc' | 'contrat-sejour', m: MeasureView) => decideSigners({ documentType, resident: resident(m), establishment, on: '2026-11-25' });
  const curatelle: MeasureView = { ...tutelle, id: 'm-curatelle', type: 'curatelle', mode: 'assistance', holders: [{ ...tuteur, contactId: tuteur.id, role: HOLDER_ROLE_OF.curatelle }] };
  const biens: MeasureView = { ...tutelle, id: 'm-biens', scope: ['biens'] };

  it('tutelle: « le tuteur peut contresigner, sans obligation, pour la personne »; the contract keeps « signe »', () => {
    const dipc = decide('dipc', tutelle);
    expect(dipc.explanation).toContain('mesure de représentation, le tuteur peut contresigner, sans obligation, pour la personne ;');
    expect(dipc.explanation).not.toContain('le tuteur signe pour la personne');
    expect(dipc.signers.map((s) => [s.role, s.optional])).toEqual([
      ['tuteur', true],
      ['director', false],
    ]);
    expect(decide('contrat-sejour', tutelle).explanation).toContain('mesure de représentation, le tuteur signe pour la personne ;');
  });

  it('curatelle: the person and the curateur may countersign, he assists and never countersigns in her place (C. civ. 467)', () => {
    const dipc = decide('dipc', curatelle);
    expect(dipc.explanation).toContain('la personne et le curateur peuvent contresigner la même version, sans obligation ; le curateur l’assiste et ne contresigne jamais à sa place (C. civ. 467 ; CASF D.311 II).');
    expect(dipc.explanation).not.toMatch(/signent tous deux/);
    expect(decide('contrat-sejour', curatelle).explanation).toContain('la personne et le curateur signent tous deux la même version');
  });

  it('tutelle aux biens: neither the tuteur nor the person must countersign (C. civ. 459-2 al. 1)', () => {
    const dipc = decide('dipc', biens);
    expect(dipc.explanation).toContain('le tuteur peut contresigner pour la représenter ; le choix du lieu de résidence lui appartient, elle peut contresigner aussi ; ni l’un ni l’autre n’y est obligé');
    expect(dipc.explanation).not.toMatch(/elle signe aussi/);
  });
});
