import { textProblem } from '@carepact/common';
import { type DocumentView, dataFailureOf, generationErrorOf } from '@carepact/documents';
import { viewActor, VIEW_ESTABLISHMENT } from '@carepact/testing';
import { type DocumentPagePerms, documentPage } from './document-page.views';

/**
 * A version whose stored data the templates' input check refuses now (a resident's name stored before
 * CHARACTER_NOT_PRINTABLE): the page says which field, why (the check's own message) and what to do —
 * correct the resident's file, then « Corriger » — never « code VALIDATION_FAILED » alone.
 */

const DOC_ID = 'd0c00000-0000-4000-8000-0000000000c1';
const VERSION_ID = 'd0c00000-0000-4000-8000-0000000000c2';
const ADMISSIONS: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: false };

function failedDoc(): DocumentView {
  const problem = textProblem('李', 'printed')!;
  const base = generationErrorOf({ status: 'failed', errorCode: 'VALIDATION_FAILED' })!;
  const generationError = dataFailureOf(base, 'contrat-sejour', [
    { field: 'resident.lastName', code: problem.code, message: problem.message },
    { field: 'document.participation.others[0].name', code: 'TOO_LONG', message: 'Au plus 120 caractères.' },
  ]);
  return {
    id: DOC_ID,
    residentId: 'r-li',
    establishmentId: VIEW_ESTABLISHMENT,
    type: 'contrat-sejour',
    subtype: null,
    status: 'generation_failed',
    currentVersionId: VERSION_ID,
    generationError,
    supersededBy: null,
    createdAt: '2026-12-04T09:00:00.000Z',
    updatedAt: '2026-12-04T09:00:00.000Z',
    versions: [
      {
        id: VERSION_ID,
        number: 1,
        reason: 'Création du document',
        status: 'failed',
        template: { id: 'contrat-sejour', version: '1.11.0', sha256: 'ab'.repeat(32) },
        inputSha256: 'cd'.repeat(32),
        rendererVersion: '1',
        errorCode: 'VALIDATION_FAILED',
        error: base,
        createdAt: '2026-12-04T09:00:00.000Z',
        generatedAt: null,
        renditions: [],
      },
    ],
  } as DocumentView;
}

function textOf(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the console page of a document whose data the templates’ check refuses', () => {
  const html = documentPage(viewActor('admissions'), 'jeton', {
    doc: failedDoc(),
    residentName: 'Li Wei',
    perms: ADMISSIONS,
    changes: null,
    decision: null,
    decisionRefusal: null,
    requests: [],
    dipcOffers: new Map(),
    flash: null,
    error: null,
    visa: { approverRole: null, state: 'none', versionId: null, decision: null, canDecide: false },
    holds: { document: [], person: [], names: new Map(), manage: false },
  });
  const text = textOf(html);

  it('names each field in French with the check’s message, and says what to do', () => {
    expect(text).toContain('Le document ne peut pas être généré : des données de cette version ne passent pas le contrôle des modèles de documents');
    expect(html).toMatch(/<ul id="donnees-refusees">/);
    expect(text).toContain('Dossier de la personne › Nom : Les documents ne peuvent pas imprimer ce caractère');
    expect(text).toContain('Participation à l’élaboration › Participant 1 › Nom : Au plus 120 caractères.');
    expect(text).toContain(
      'Corrigez d’abord le dossier de la personne, puis cliquez sur « Corriger » et corrigez-y les données du document : la nouvelle version reprend les données corrigées.',
    );
    expect(text).not.toContain('code VALIDATION_FAILED');
    // No retry (the data must change), « Corriger » offered.
    expect(text).not.toContain('Relancer la génération');
    expect(text).toContain('Corriger : créer une nouvelle version');
  });
});
