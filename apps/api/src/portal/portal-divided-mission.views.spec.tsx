import type { CoSigner, PortalContext } from '@carepact/signing';
import { portalContext } from './portal-context.fixture';
import { answeredPage, landingPage, signPage } from './portal.views';

/**
 * C. civ. 447 al. 3–4: Germaine Faure's tutelle is divided; Sophie Texier is the tuteur in charge of
 * her property. The document and the evidence say « tuteur chargé de la gestion patrimoniale »; the
 * portal said « en qualité de tuteur : vous représentez Germaine Faure » on the landing and « je le
 * signe en qualité de tuteur : je représente … » in the consent and the recap. They name her mission now.
 */
function goodsTuteur(status = 'pending'): PortalContext {
  const ctx = portalContext({ status });
  return {
    ...ctx,
    signer: {
      ...ctx.signer,
      role: 'tuteur',
      firstName: 'Sophie',
      lastName: 'Texier',
      capacity: 'en qualité de tuteur chargé de la gestion patrimoniale, qui représente Germaine Faure',
      measure: { type: 'tutelle', mode: 'representation' },
      actedAt: status === 'signed' ? new Date('2026-12-03T13:05:00Z') : null,
    },
    residentName: 'Germaine Faure',
  } as PortalContext;
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the portal names the mission of a divided measure’s holder (C. civ. 447 al. 3–4)', () => {
  it('landing: « Vous signez : Sophie Texier, en qualité de tuteur chargé de la gestion patrimoniale de Germaine Faure »', () => {
    const page = text(landingPage(goodsTuteur()));
    expect(page).toContain('Vous signez : Sophie Texier, en qualité de tuteur chargé de la gestion patrimoniale de Germaine Faure');
    expect(page).not.toContain('vous représentez Germaine Faure');
  });

  it('the consent ticked and the recap: « je le signe en qualité de tuteur chargé de la gestion patrimoniale de Germaine Faure »', () => {
    const sentence = 'J’ai lu le document et je le signe en qualité de tuteur chargé de la gestion patrimoniale de Germaine Faure.';
    expect(text(signPage(goodsTuteur(), true))).toContain(sentence);
    const me: CoSigner = { name: 'Sophie Texier', role: 'tuteur', status: 'signed', optional: false, me: true };
    expect(text(answeredPage(goodsTuteur('signed'), { signers: [me], sealed: false, mySignatureSealed: false }, true))).toContain(`Vous avez confirmé : « ${sentence} »`);
  });
});
