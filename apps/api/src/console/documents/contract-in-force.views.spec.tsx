import type { DocumentView } from '@carepact/documents';
import { CONTRACT_SIGNED_FOR_THE_STAY } from '@carepact/signing';
import { viewActor, VIEW_ESTABLISHMENT } from '@carepact/testing';
import { type DocumentPageModel, type DocumentPagePerms, documentPage } from './document-page.views';

/**
 * A draft contrat de séjour whose stay has another contract, signed (one contract per stay, amended by
 * avenant: CASF L.311-4, D.311). The API refuses its new version and its sending (409
 * CONTRACT_ALREADY_IN_FORCE): the page says why, links to the signed contract, offers the avenant and
 * abandoning the draft, and never « Corriger », the send form, « Relancer la génération » nor the visa.
 */

const DOC_ID = 'd0c00000-0000-4000-8000-0000000000b1';
const SIGNED_ID = 'd0c00000-0000-4000-8000-0000000000a1';
const VERSION_ID = 'd0c00000-0000-4000-8000-0000000000b2';
const ADMISSIONS: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: false };
const AUDITOR: DocumentPagePerms = { content: false, residentFile: false, write: false, manage: false, countersign: false };

function doc(status: DocumentView['status'], generationError: DocumentView['generationError'] = null): DocumentView {
  return {
    id: DOC_ID,
    residentId: 'r-jeanne',
    establishmentId: VIEW_ESTABLISHMENT,
    type: 'contrat-sejour',
    subtype: null,
    status,
    currentVersionId: VERSION_ID,
    generationError,
    supersededBy: null,
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    versions: [
      {
        id: VERSION_ID,
        number: 1,
        reason: 'Création du document',
        status: status === 'generation_failed' ? 'pending' : 'ready',
        template: { id: 'contrat-sejour', version: '1.2.0', sha256: 'ab'.repeat(32) },
        inputSha256: 'cd'.repeat(32),
        rendererVersion: '1',
        errorCode: null,
        error: null,
        createdAt: '2026-11-02T09:00:00.000Z',
        generatedAt: '2026-11-02T09:00:05.000Z',
        renditions: [],
      },
    ],
  } as DocumentView;
}

function page(perms: DocumentPagePerms, over: Partial<DocumentPageModel>): string {
  const model: DocumentPageModel = {
    doc: doc('ready'),
    residentName: perms.residentFile ? 'Jeanne Martin' : null,
    perms,
    changes: null,
    decision: null,
    decisionRefusal: null,
    requests: [],
    dipcOffers: new Map(),
    flash: null,
    error: null,
    visa: { approverRole: 'coordinator', state: 'requested', versionId: VERSION_ID, decision: null, canDecide: true },
    holds: { document: [], person: [], names: new Map(), manage: false },
    ...over,
  };
  return documentPage(viewActor(perms.residentFile ? 'admissions' : 'auditor'), 'jeton', model);
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

/** As the controller gives it for such a draft (document-page.controller.ts render). */
const superseded = { contractInForce: { id: SIGNED_ID }, decisionRefusal: CONTRACT_SIGNED_FOR_THE_STAY };

describe('document page: a draft contract whose stay has another contract signed (CASF L.311-4, D.311)', () => {
  it('says so plainly, in its state and a notice linking to the signed contract', () => {
    const html = page(ADMISSIONS, superseded);
    const text = textOf(html);
    expect(text).not.toContain('Prêt à envoyer en signature');
    expect(text).toContain('Projet non envoyé : un autre contrat de séjour est signé pour ce séjour');
    expect(text).toContain('Un autre contrat de séjour est signé pour ce séjour');
    expect(html).toContain(`href="/console/documents/${SIGNED_ID}"`);
    expect(text).toContain('toute modification se fait par avenant à ce contrat (CASF L.311-4, D.311)');
    expect(text).toContain(`Le document ne peut pas être envoyé en signature : ${CONTRACT_SIGNED_FOR_THE_STAY}`);
  });

  it('offers nothing the API refuses: no « Corriger », no send form, no visa to give', () => {
    const html = page(ADMISSIONS, superseded);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/corriger`);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/envoyer`);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/visa`);
    expect(textOf(html)).toContain('Pas de nouvelle version : un contrat de séjour est déjà signé pour ce séjour.');
  });

  it('offers what is possible: an avenant to the signed contract, and abandoning the draft', () => {
    const html = page(ADMISSIONS, superseded);
    expect(html).toContain('href="/console/residents/r-jeanne/documents/nouveau?type=avenant"');
    expect(textOf(html)).toContain('Rédiger un avenant au contrat signé');
    // A link to the confirmation page (GET …/abandonner), never a one-click POST from here.
    expect(html).toMatch(new RegExp(`<a [^>]*href="/console/documents/${DOC_ID}/abandonner"`));
    expect(html).not.toMatch(new RegExp(`<form[^>]*action="/console/documents/${DOC_ID}/abandonner"`));
    expect(textOf(html)).toContain('Abandonner ce projet');
  });

  it('its generation failed: no « Relancer la génération » (nothing to generate for a draft never sent)', () => {
    const failed = doc('generation_failed', { code: 'GENERATION_RETRIES_EXHAUSTED', message: 'La génération a échoué plusieurs fois.', retryable: true });
    const html = page(ADMISSIONS, { ...superseded, doc: failed, decisionRefusal: null });
    expect(html).not.toContain(`/console/documents/${DOC_ID}/relancer`);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/corriger`);
    expect(html).toContain(`/console/documents/${DOC_ID}/abandonner`);
  });

  it('the auditor reads the statement and the link, without the actions', () => {
    const html = page(AUDITOR, superseded);
    expect(html).toContain(`href="/console/documents/${SIGNED_ID}"`);
    expect(html).not.toContain('/abandonner');
    expect(html).not.toContain('type=avenant');
  });

  it('abandoned: says so, with the link; no action left', () => {
    const html = page(ADMISSIONS, { ...superseded, doc: doc('cancelled'), decisionRefusal: null });
    const text = textOf(html);
    expect(text).toContain('Projet abandonné : un autre contrat de séjour est signé pour ce séjour');
    expect(text).toContain('Ce projet a été abandonné');
    expect(text).toContain('Aucune demande de signature : ce projet est abandonné.');
    expect(text).not.toContain('pour le moment');
    expect(html).toContain(`href="/console/documents/${SIGNED_ID}"`);
    expect(html).not.toContain('/abandonner');
    expect(html).not.toContain('/corriger');
  });

  it('no contract signed for the stay: « Corriger » and the visa as before, nothing about another contract', () => {
    const html = page(ADMISSIONS, {});
    expect(html).toContain(`/console/documents/${DOC_ID}/corriger`);
    expect(html).toContain(`/console/documents/${DOC_ID}/visa`);
    expect(html).not.toContain('/abandonner');
    expect(textOf(html)).toContain('Prêt à envoyer en signature');
  });
});
