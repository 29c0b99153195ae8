import { DomainError } from '@carepact/common';
import { assertDocumentTypeApplies } from '@carepact/documents';
import { templates } from '@carepact/rendering';
import { viewActor } from '@carepact/testing';
import type { DocumentView } from '@carepact/documents';
import { type DocumentPageModel, documentPage } from './document-page.views';
import { chooseTypePage, documentFormPage } from './new-document.views';
import { formSchemaOf } from './schema-form';

const actor = viewActor('admissions');
const ahmed = { id: 'r-ahmed', name: 'Ahmed Benali' };

/**
 * A person whose document is the DIPC gets an avenant to the DIPC (CASF D.311 VII): the « Nouveau
 * document » list names it as the form titles it, and its refusal speaks of the DIPC, not of « le contrat ».
 */
describe('« Nouveau document »: the avenant named as the form makes it', () => {
  it('a DIPC resident: « Avenant au document individuel de prise en charge (DIPC) », in the list and among those that do not apply', () => {
    const allowed = chooseTypePage(actor, 'csrf', ahmed, [{ type: 'avenant', allowed: true, reason: null, subtype: 'avenant-dipc' }]);
    expect(allowed).toContain('>Avenant au document individuel de prise en charge (DIPC)</a>');
    const refused = chooseTypePage(actor, 'csrf', ahmed, [
      { type: 'dipc', allowed: true, reason: null },
      { type: 'avenant', allowed: false, reason: 'x', subtype: 'avenant-dipc' },
    ]);
    expect(refused).toContain('<strong>Avenant au document individuel de prise en charge (DIPC)</strong>');
    expect(refused).not.toContain('Avenant au contrat de séjour');
  });

  it('the refusal without a signed DIPC says « établir le DIPC », not « signer le contrat »', () => {
    const situation = {
      resident: { stayType: 'at_home' as const, admissionDate: '2026-11-01', plannedEndDate: null, parentalAuthority: null, minor: false },
      establishmentCategory: 'SAAD',
      contractRefused: false,
      contractSigned: false,
    };
    let message = '';
    try {
      assertDocumentTypeApplies('avenant', situation);
    } catch (e) {
      message = (e as DomainError).messageFr;
    }
    expect(message).toContain('Faites d’abord établir le DIPC');
    expect(message).not.toContain('signer le contrat');
  });

  it('the « Objet » hint names the choices in French, never the code « liberte-aller-venir »', () => {
    const schema = formSchemaOf(templates().load('avenant').content.inputSchema);
    const html = documentFormPage(actor, 'csrf', { type: 'avenant', resident: ahmed, schema, data: { purpose: 'accompagnement', appliesTo: 'dipc' } });
    expect(html).not.toContain('liberte-aller-venir »');
    expect(html).toContain('Annexe sur la sécurité et la liberté d’aller et venir');
  });
});

describe('the DIPC avenant’s page: its model named as the avenant it is', () => {
  const avenant = (subtype: DocumentView['subtype']) =>
    ({
      id: 'd0c00000-0000-4000-8000-000000000001',
      residentId: 'r-ahmed',
      establishmentId: 'e',
      type: 'avenant',
      subtype,
      status: 'ready',
      currentVersionId: 'd0c00000-0000-4000-8000-000000000002',
      generationError: null,
      supersededBy: null,
      createdAt: '2026-11-02T09:00:00.000Z',
      updatedAt: '2026-11-02T09:00:00.000Z',
      versions: [
        {
          id: 'd0c00000-0000-4000-8000-000000000002',
          number: 1,
          reason: 'Création du document',
          status: 'ready',
          template: { id: 'avenant', version: '1.10.0', sha256: 'ab'.repeat(32) },
          inputSha256: 'cd'.repeat(32),
          rendererVersion: '1',
          errorCode: null,
          error: null,
          createdAt: '2026-11-02T09:00:00.000Z',
          generatedAt: '2026-11-02T09:00:05.000Z',
          renditions: [],
        },
      ],
    }) as DocumentView;
  const page = (subtype: DocumentView['subtype']) => {
    const model: DocumentPageModel = {
      doc: avenant(subtype),
      residentName: 'Ahmed Benali',
      perms: { content: true, residentFile: true, write: true, manage: true, countersign: false },
      changes: null,
      decision: null,
      decisionRefusal: null,
      requests: [],
      dipcOffers: new Map(),
      flash: null,
      error: null,
      visa: { approverRole: null, state: 'none', versionId: null, decision: null, canDecide: false },
      holds: { document: [], person: [], names: new Map(), manage: false },
    };
    return documentPage(actor, 'jeton', model);
  };
  it('« Modèle : avenant au document individuel de prise en charge (DIPC) », not « au contrat de séjour »', () => {
    expect(page('avenant-dipc')).toContain('Modèle : avenant au document individuel de prise en charge (DIPC), version 1.10.0.');
    expect(page(null)).toContain('Modèle : avenant au contrat de séjour, version 1.10.0.');
  });
});
