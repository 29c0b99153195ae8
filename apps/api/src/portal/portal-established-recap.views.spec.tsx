import type { CoSigner, PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { answeredPage } from './portal.views';

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal ». Once the director signed, the DIPC is sealed and
 * in force while the person's side may still countersign until the request's deadline. The recap a
 * countersigner reads after answering says that — never « Toutes les signatures sont réunies » while
 * an optional countersignature is missing.
 */
function countersigner(over: { requestStatus: string; easyToRead?: boolean }): PortalContext {
  const ctx = portalContext({ status: 'signed', requestStatus: over.requestStatus });
  return {
    ...ctx,
    signer: { ...ctx.signer, optional: true, actedAt: new Date('2026-12-03T13:05:00Z') },
    document: { id: 'd1', type: 'dipc' },
    preferences: { largePrint: false, easyToRead: over.easyToRead ?? false },
  } as PortalContext;
}

const me: CoSigner = { name: 'Seán O’Brien', role: 'resident', status: 'signed', optional: true, me: true };
const director: CoSigner = { name: 'Claire Morel', role: 'director', status: 'signed', optional: false, me: false };
const tutor = (status: CoSigner['status']): CoSigner => ({ name: 'Paul Martin', role: 'tuteur', status, optional: true, me: false });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const paragraphs = (html: string) =>
  [...html.slice(html.indexOf('<main'), html.indexOf('</main>')).matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim());

describe('the recap after a countersignature of an established DIPC (CASF D.311 II)', () => {
  it('in the window: established by the director, her countersignature sealed next, who may still countersign and until when', () => {
    const page = text(answeredPage(countersigner({ requestStatus: 'active' }), { signers: [me, tutor('pending'), director], sealed: true, mySignatureSealed: false }, true));
    expect(page).not.toContain('Toutes les signatures sont réunies');
    expect(page).not.toContain('Quand toutes les signatures seront réunies');
    expect(page).toContain('Le document est établi : la direction de l’établissement l’a signé. Il s’applique dès maintenant. Votre contresignature est enregistrée');
    expect(page).toContain('l’établissement scelle un nouvel exemplaire du document avec votre signature');
    expect(page).toContain('Paul Martin peut encore le contresigner jusqu’au 12 décembre 2026 à 23 h 59. Ce n’est pas obligatoire : le document s’applique déjà.');
    // The file offered is the established edition, without her countersignature yet.
    expect(page).toContain('Télécharger le document établi, sans votre signature (PDF)');
  });

  it('her countersignature sealed, the window still open for the other: the file holds her signature', () => {
    const page = text(answeredPage(countersigner({ requestStatus: 'active' }), { signers: [me, tutor('pending'), director], sealed: true, mySignatureSealed: true }, false));
    expect(page).toContain('le document scellé avec votre signature est prêt.');
    expect(page).toContain('Télécharger le document signé (PDF)');
    expect(page).toContain('Paul Martin peut encore le contresigner jusqu’au 12 décembre 2026 à 23 h 59.');
  });

  it('completed with a countersignature missing (declined, or the deadline passed): established, not « toutes les signatures »', () => {
    for (const status of ['refused', 'pending'] as const) {
      const page = text(answeredPage(countersigner({ requestStatus: 'completed' }), { signers: [me, tutor(status), director], sealed: true, mySignatureSealed: true }, false));
      expect(page).not.toContain('Toutes les signatures sont réunies');
      expect(page).toContain('Le document est établi : la direction de l’établissement l’a signé.');
      expect(page).toContain('Paul Martin ne l’a pas contresigné : ce n’était pas obligatoire.');
      expect(page).not.toContain('peut encore le contresigner');
    }
  });

  it('every signature in: « Toutes les signatures sont réunies » still', () => {
    const page = text(answeredPage(countersigner({ requestStatus: 'completed' }), { signers: [me, tutor('signed'), director], sealed: true, mySignatureSealed: true }, false));
    expect(page).toContain('Toutes les signatures sont réunies. Le document signé est prêt.');
  });

  it('in easy-to-read French: the same facts, one short sentence each', () => {
    const html = answeredPage(countersigner({ requestStatus: 'active', easyToRead: true }), { signers: [me, tutor('pending'), director], sealed: true, mySignatureSealed: false }, true);
    const page = text(html);
    expect(page).not.toContain('Tout le monde a signé');
    expect(page).toContain('L’établissement a signé ce document. Il compte dès maintenant. Vous l’avez signé vous aussi.');
    expect(page).toContain('Paul Martin peut aussi le signer. Ce n’est pas obligatoire. C’est possible jusqu’au 12 décembre 2026 à 23 h 59.');
    expect(paragraphs(html).flatMap((p) => lintFalcText(p).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });
});
