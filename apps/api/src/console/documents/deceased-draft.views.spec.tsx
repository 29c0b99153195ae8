import type { DocumentView } from '@carepact/documents';
import type { ResidentView } from '@carepact/residents';
import { viewActor, VIEW_ESTABLISHMENT } from '@carepact/testing';
import { residentFileBody } from '../residents/residents.views';
import { type DocumentPageModel, type DocumentPagePerms, documentPage } from './document-page.views';
import { chooseTypePage } from './new-document.views';

/**
 * After the person's death (409 RESIDENT_DECEASED, C. civ. 443 al. 1; resident-deceased.ts) the outside
 * review of session 20 found a dead end: the document page kept « Corriger » and « Prêt à envoyer en
 * signature », the file's « Nouveau document » led to types all refused, the chooser listed them as
 * possible; « Abandonner ce projet » was one click, its message scrolled out of view, and an abandoned
 * draft's page did not say who abandoned it, nor when.
 */

const DOC_ID = 'd0c00000-0000-4000-8000-0000000000d1';
const VERSION_ID = 'd0c00000-0000-4000-8000-0000000000d2';
const ADMISSIONS: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: false };
const AUDITOR: DocumentPagePerms = { content: false, residentFile: false, write: false, manage: false, countersign: false };
const REFUSED_DOC = 'La personne est décédée le 30 novembre 2026 : aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).';
const REFUSED_SIG = 'La personne est décédée le 30 novembre 2026 : aucune nouvelle demande de signature ne peut être envoyée pour elle (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).';
/** As DocumentsService.deceasedRefusals gives them: a projet refused both; the minutes of a meeting before the death, neither. */
const DEAD = { deceasedOn: '2026-11-30', newVersion: REFUSED_DOC, signature: REFUSED_SIG };
const MINUTES_STILL_OPEN = { deceasedOn: '2026-11-30', newVersion: null, signature: null };

function doc(status: DocumentView['status'], type = 'projet-personnalise'): DocumentView {
  return {
    id: DOC_ID,
    residentId: 'r-odette',
    establishmentId: VIEW_ESTABLISHMENT,
    type,
    subtype: null,
    status,
    currentVersionId: VERSION_ID,
    generationError: null,
    supersededBy: null,
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    versions: [
      {
        id: VERSION_ID,
        number: 1,
        reason: 'Création du document',
        status: 'ready',
        template: { id: type, version: '1.0.0', sha256: 'ab'.repeat(32) },
        inputSha256: 'cd'.repeat(32),
        rendererVersion: '1',
        errorCode: null,
        error: null,
        createdAt: '2026-11-02T09:00:00.000Z',
        generatedAt: '2026-11-02T09:00:05.000Z',
        renditions: [],
      },
    ],
  } as unknown as DocumentView;
}

function page(perms: DocumentPagePerms, over: Partial<DocumentPageModel> & Record<string, unknown>): string {
  const model = {
    doc: doc('ready'),
    residentName: perms.residentFile ? 'Odette Leroy' : null,
    perms,
    changes: null,
    decision: null,
    decisionRefusal: null,
    requests: [],
    dipcOffers: new Map(),
    flash: null,
    error: null,
    visa: { approverRole: null, state: 'none', versionId: VERSION_ID, decision: null, canDecide: false },
    holds: { document: [], person: [], names: new Map(), manage: false },
    ...over,
  } as DocumentPageModel;
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

describe('document page after the person’s death', () => {
  it('a projet never sent: its state says why it is not sent, no « Corriger », no send form, no visa; the abandonment offered as a link to its confirmation', () => {
    const html = page(ADMISSIONS, { deceased: DEAD, decisionRefusal: REFUSED_SIG });
    const text = textOf(html);
    expect(text).not.toContain('Prêt à envoyer en signature');
    expect(text).toContain('Prêt, non envoyé en signature : la personne est décédée le 30 novembre 2026');
    expect(text).toContain('La personne est décédée le 30 novembre 2026 Ce projet ne peut plus être corrigé ni envoyé en signature');
    expect(html).not.toContain(`/console/documents/${DOC_ID}/corriger`);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/envoyer`);
    expect(html).not.toContain(`/console/documents/${DOC_ID}/visa`);
    expect(text).toContain(`Pas de nouvelle version. ${REFUSED_DOC}`);
    expect(text).toContain(`Le document ne peut pas être envoyé en signature : ${REFUSED_SIG}`);
    // Never one click: a link to the confirmation page, no form posting it from here.
    expect(html).toMatch(new RegExp(`<a [^>]*href="/console/documents/${DOC_ID}/abandonner"[^>]*>\\s*Abandonner ce projet`));
    expect(html).not.toMatch(new RegExp(`<form[^>]*action="/console/documents/${DOC_ID}/abandonner"`));
  });

  it('the minutes of a meeting held before the death: still corrected and sent; the abandonment offered too', () => {
    const html = page(ADMISSIONS, { doc: doc('ready', 'compte-rendu-synthese'), deceased: MINUTES_STILL_OPEN });
    expect(html).toContain(`/console/documents/${DOC_ID}/corriger`);
    expect(textOf(html)).toContain('Prêt à envoyer en signature');
    expect(textOf(html)).toContain('il peut encore être corrigé et envoyé en signature');
    expect(html).toContain(`href="/console/documents/${DOC_ID}/abandonner"`);
  });

  it('an auditor reads why, without the actions', () => {
    const html = page(AUDITOR, { deceased: DEAD, decisionRefusal: REFUSED_SIG });
    expect(textOf(html)).toContain('Prêt, non envoyé en signature : la personne est décédée le 30 novembre 2026');
    expect(html).not.toContain('/abandonner');
  });

  it('abandoned: says who abandoned it, when and why; no action left', () => {
    const html = page(ADMISSIONS, {
      doc: doc('cancelled'),
      deceased: DEAD,
      discarded: { at: '2026-12-02T08:15:00.000Z', by: 'Claire Admissions', reason: 'La personne est décédée le 30 novembre 2026 : ce projet, jamais envoyé en signature, est abandonné (C. civ. art. 443).' },
    });
    const text = textOf(html);
    expect(text).toContain('Projet abandonné : la personne est décédée le 30 novembre 2026');
    expect(text).toContain('Abandonné le 2 décembre 2026 à 9 h 15 par Claire Admissions — motif : La personne est décédée le 30 novembre 2026');
    expect(html).not.toContain('/abandonner');
    expect(html).not.toContain('/corriger');
  });

  it('an action’s message carries the id its redirect goes to, above the state (out of view before: the redirect went to #etat, below it)', () => {
    const html = page(ADMISSIONS, { doc: doc('cancelled'), flash: { kind: 'done', message: 'Le projet est abandonné : il reste consultable.' } });
    expect(html).toMatch(/<div id="message">\s*<div class="notice success" role="status">\s*<p>Le projet est abandonné/);
    expect(html.indexOf('id="message"')).toBeLessThan(html.indexOf('id="etat"'));
  });
});

describe('« Nouveau document » after the death', () => {
  const resident = (over: Partial<ResidentView>) =>
    ({
      id: '00000000-0000-4000-8000-000000000001',
      establishmentId: 'e',
      firstName: 'Odette',
      lastName: 'Leroy',
      birthName: null,
      birthDate: '1934-02-11',
      admissionDate: '2021-09-01',
      stayType: 'permanent',
      plannedEndDate: null,
      departedOn: null,
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
      createdAt: '2026-10-01T00:00:00.000Z',
      updatedAt: '2026-10-01T00:00:00.000Z',
      ...over,
    }) as ResidentView;
  const body = (over: Partial<ResidentView>) => residentFileBody({ resident: resident(over), establishment: 'EHPAD', documents: [], rights: { write: true, newDocument: true } });

  it('the file offers only the minutes, and says why', () => {
    const html = body({ departedOn: '2026-11-30', deceasedOn: '2026-11-30' } as Partial<ResidentView>);
    expect(html).not.toMatch(/>\s*Nouveau document\s*</);
    expect(html).toContain('href="/console/residents/00000000-0000-4000-8000-000000000001/documents/nouveau?type=compte-rendu-synthese"');
    expect(html).toContain('Nouveau compte rendu de réunion de synthèse');
    expect(textOf(html)).toContain('La personne est décédée le 30 novembre 2026 : aucun autre document n’est établi pour elle');
    // A living person's file, as before.
    expect(body({})).toMatch(/>\s*Nouveau document\s*</);
  });

  it('the chooser: the minutes possible, the others’ cause said once', () => {
    const refused = (type: 'contrat-sejour' | 'projet-personnalise') => ({ type, allowed: false, reason: REFUSED_DOC, subtype: null, code: 'RESIDENT_DECEASED' });
    const html = chooseTypePage(viewActor('admissions'), 'jeton', { id: 'r-odette', name: 'Odette Leroy' }, [
      refused('contrat-sejour'),
      refused('projet-personnalise'),
      { type: 'compte-rendu-synthese', allowed: true, reason: null, subtype: null },
    ]);
    const text = textOf(html);
    expect(html).toContain('documents/nouveau?type=compte-rendu-synthese"');
    expect(text.split(REFUSED_DOC)).toHaveLength(2);
    expect(text).toContain('Seul le compte rendu d’une réunion de synthèse tenue au plus tard le jour du décès peut encore être établi');
    expect(text).not.toContain('Voir les mesures de protection');
  });
});
