import type { ResidentView } from '@carepact/residents';
import { residentRetentionSection } from './resident-retention.views';
import { residentFileBody } from './residents.views';

const resident: ResidentView = {
  id: '00000000-0000-4000-8000-000000000001',
  establishmentId: 'e',
  firstName: 'Odette',
  lastName: 'Renaud',
  birthName: null,
  birthDate: '1931-06-02',
  admissionDate: '2019-03-01',
  stayType: 'permanent',
  plannedEndDate: null,
  departedOn: '2023-05-31',
  room: null,
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
  createdAt: '2019-03-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');

/**
 * Odette Renaud's file in the intermediate archive: « aucun document n’y est établi ni corrigé », yet
 * her identity, measures, personne de confiance and contacts keep their forms — the API takes them
 * (no archive refusal in libs/residents), rectification being her right (RGPD art. 16). The page
 * says so, instead of seeming to contradict itself.
 */
describe('resident file in the intermediate archive', () => {
  const file = (write: boolean) =>
    text(residentFileBody({ resident, establishment: 'EHPAD Les Tilleuls', documents: [], rights: { write, newDocument: true }, archivedSince: '2025-06-01' }));
  it('says why the identity, measure, trusted person and contact forms are still offered', () => {
    const html = file(true);
    expect(html).toContain('aucun document n’y est établi ni corrigé.');
    expect(html).toContain('L’identité, les mesures de protection, la personne de confiance et les contacts restent modifiables : une donnée inexacte se rectifie, même archivée (RGPD art. 16).');
    for (const action of ['Modifier l’identité et le séjour', 'Enregistrer une mesure de protection', 'Désigner une personne de confiance', 'Ajouter un contact']) expect(html).toContain(action);
    expect(html).not.toContain('Nouveau document');
  });
  it('says nothing of it to whoever cannot modify the file', () => {
    const html = file(false);
    expect(html).not.toContain('restent modifiables');
    expect(html).not.toContain('Ajouter un contact');
  });
});

/** The departure form's open signature requests: the reason written, as a sentence (departureCancelReason). */
describe('departure form: the reason of the cancelled requests', () => {
  const open = [{ id: 'r1', documentId: 'd1', document: 'contrat de séjour', sentOn: '2026-11-20', deadline: '2026-12-20T23:00:00.000Z', waitingFor: ['Sophie Texier'] }];
  const form = (departedOn: string | null, values: Record<string, string> = {}) =>
    text(
      residentRetentionSection({ residentId: resident.id, departedOn, policies: [], holds: [], names: new Map(), manage: true, csrf: 'c', openRequests: open as never, values } as never),
    );
  it('with the date typed: « Départ de la personne le 2 décembre 2026 »', () => {
    expect(form(null, { departedOn: '2026-12-02' })).toContain('Le motif inscrit dans l’historique sera « Départ de la personne le 2 décembre 2026 » (« Décès de la personne le 2 décembre 2026 » pour un décès).');
  });
  it('before any date: the reason with an ellipsis, completed by the date typed above', () => {
    const html = form(null);
    expect(html).toContain('Le motif inscrit dans l’historique sera « Départ de la personne le … », avec la date de fin saisie ci-dessus (« Décès de la personne le … » pour un décès).');
    expect(html).not.toContain('« Départ de la personne le », suivi');
  });
});
