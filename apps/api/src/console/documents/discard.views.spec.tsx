import { viewActor } from '@carepact/testing';
import { discardPage } from './discard.views';

/**
 * « Abandonner ce projet » was one click, with no confirmation (the outside review of session 20):
 * the confirmation page says why, what the abandonment does and that it is final, and its button
 * posts the confirmation field the POST requires; no JavaScript.
 */
const DOC = 'd0c00000-0000-4000-8000-0000000000e1';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const page = (why: Parameters<typeof discardPage>[0]['why'], error: string | null = null) =>
  discardPage({ actor: viewActor('admissions'), csrf: 'jeton', documentId: DOC, documentType: 'projet-personnalise', documentSubtype: null, why, error });

describe('the confirmation page of « Abandonner ce projet »', () => {
  it('a deceased person’s draft: says why and what follows; its form posts the confirmation, with a way back', () => {
    const html = page({ deceasedOn: '2026-11-30' });
    expect(text(html)).toContain('la personne est décédée le 30 novembre 2026');
    expect(text(html)).toContain('l’abandon est définitif');
    expect(text(html)).toContain('l’abandon est inscrit au journal d’audit, avec votre nom, la date et le motif');
    expect(html).toMatch(new RegExp(`<form[^>]*method="post"[^>]*action="/console/documents/${DOC}/abandonner"|<form[^>]*action="/console/documents/${DOC}/abandonner"[^>]*method="post"`));
    expect(html).toContain('<input type="hidden" name="confirm" value="oui"/>');
    expect(html).toContain('name="_csrf" value="jeton"');
    expect(html).toContain('Confirmer l’abandon du projet');
    expect(html).toContain(`href="/console/documents/${DOC}"`);
    expect(html).not.toContain('<script');
  });

  it('a superseded contract: links to the signed one; a POST without the confirmation comes back with a message', () => {
    const html = page({ contractInForceId: 'd0c00000-0000-4000-8000-0000000000e2' }, 'Confirmez l’abandon avec le bouton « Confirmer l’abandon du projet » : rien n’a été modifié.');
    expect(html).toContain('href="/console/documents/d0c00000-0000-4000-8000-0000000000e2"');
    expect(text(html)).toContain('CASF L.311-4, D.311');
    expect(html).toContain('class="error-summary"');
    expect(text(html)).toContain('rien n’a été modifié');
  });
});
