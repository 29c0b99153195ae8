import type { PortalContext } from '@carepact/signing';
import { portalContext } from './portal-context.fixture';
import { landingPage, readingPage, signPage } from './portal.views';

/**
 * C. civ. 459-2 (DOMAIN.md rule 2): Lucie Bernard, under tutelle, disagrees with living in the
 * establishment and the contract cites no decision of the judge. The policy's rule, read into the
 * session's context (PortalContext.residenceDispute), stops every signature: the portal does not
 * offer « Signer » and says why, instead of a 409 when the form is sent (which stays, server-side).
 */
function tuteur(dispute: PortalContext['residenceDispute'], over: { phone?: string | null } = {}): PortalContext {
  const ctx = portalContext();
  return {
    ...ctx,
    signer: { ...ctx.signer, role: 'tuteur', firstName: 'Alain', lastName: 'Bernard', capacity: 'en qualité de tuteur, qui représente Lucie Bernard', measure: { type: 'tutelle', mode: 'representation' } },
    residentName: 'Lucie Bernard',
    establishment: { ...ctx.establishment, phone: over.phone === undefined ? ctx.establishment.phone : over.phone },
    views: [
      {
        key: 'resident',
        person: { contactId: null, firstName: 'Lucie', lastName: 'Bernard', email: null },
        reason: 'tutelle',
        recordedBy: ['tuteur:alain'],
        legalBasis: 'C. civ. 457-1, 459-2 ; CASF L.311-4',
        recorded: true,
        answer: { expression: 'desaccord', comment: null, byMe: dispute?.byMe ?? true },
      },
    ],
    residenceDispute: dispute,
  } as PortalContext;
}

const lucie = { contactId: null, firstName: 'Lucie', lastName: 'Bernard', email: null };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const FORM = 'action="/portail/signer"';

describe('her disagreement with living here, before the judge has decided: no « Signer », and why (C. civ. 459-2)', () => {
  it('the sign page offers no signature form, read or not, and says why in plain French', () => {
    for (const read of [true, false]) {
      const html = signPage(tuteur({ person: lucie, byMe: true }), read);
      expect({ read, form: html.includes(FORM), button: html.includes('>Signer</button>'), script: html.includes('portal.js') }).toEqual({ read, form: false, button: false, script: false });
      const page = text(html);
      expect(page).toContain('Ce document ne peut pas être signé pour le moment.');
      expect(page).toContain('L’avis enregistré dit que Lucie Bernard n’est pas d’accord pour vivre dans l’établissement.');
      expect(page).toContain('Le choix du lieu de vie appartient à Lucie Bernard (article 459-2 du Code civil).');
      expect(page).toContain('c’est le juge des contentieux de la protection qui décide où Lucie Bernard va vivre');
      expect(page).toContain('Personne ne peut signer ce document avant cette décision.');
    }
  });

  it('says what the signer can still do: ask the establishment (its phone), correct the view they recorded, refuse', () => {
    const html = signPage(tuteur({ person: lucie, byMe: true }), true);
    expect(html).toContain('<a class="button" href="/portail/question">Poser une question</a>');
    expect(html).toContain('<a class="button secondary" href="/portail/avis">Corriger l’avis de Lucie Bernard</a>');
    expect(html).toContain('<a class="button secondary" href="/portail/refuser">Refuser de signer</a>');
    expect(text(html)).toContain('Prévenir l’établissement et lui poser vos questions : appelez-le au 01 00 00 00 18 , ou écrivez-lui avec le bouton « Poser une question ».');
    // The view recorded by someone else (another tuteur, staff in person) is not this signer's to correct.
    const other = signPage(tuteur({ person: lucie, byMe: false }, { phone: null }), true);
    expect(other).not.toContain('href="/portail/avis"');
    expect(text(other)).toContain('Prévenir l’établissement et lui poser vos questions : écrivez-lui avec le bouton « Poser une question ».');
  });

  it('the reading page and the landing do not lead to « Signer » either', () => {
    const reading = readingPage(tuteur({ person: lucie, byMe: true }), 'standard', '<h1>Contrat</h1>');
    expect(reading).not.toContain('Signer le document');
    expect(text(reading)).toContain('Ce document ne peut pas être signé pour le moment : Lucie Bernard n’est pas d’accord pour vivre dans l’établissement, et c’est au juge de décider.');
    for (const href of ['/portail/question', '/portail/refuser']) expect(reading).toContain(`href="${href}"`);
    expect(text(landingPage(tuteur({ person: lucie, byMe: true })))).toContain('Ce document ne peut pas être signé pour le moment');
  });

  it('without a dispute (her agreement, or the judge’s decision in the document) the form is there', () => {
    const html = signPage(tuteur(null), true);
    expect(html).toContain(FORM);
    expect(html).toContain('<button type="submit">Signer</button>');
    expect(html).not.toContain('ne peut pas être signé');
  });
});
