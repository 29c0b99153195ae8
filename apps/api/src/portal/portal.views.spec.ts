import type { PortalContext } from '@carepact/signing';
import { landingPage } from './portal.views';

/** A signer's context as the portal service returns it, reduced to what the landing page reads. */
function context(over: { type: string; role: string; residentName?: string; deadline?: Date; views?: unknown[] }): PortalContext {
  return {
    session: { codeVerified: true },
    signer: { role: over.role, status: 'pending', firstName: 'Claire', lastName: 'Durand', capacity: 'en qualité de tutrice', accessCodeRequired: false },
    request: { status: 'active', deadline: over.deadline ?? new Date('2026-12-12T22:59:00Z') },
    document: { id: 'd1', type: over.type },
    link: null,
    residentName: over.residentName ?? 'Émile Durand',
    establishmentName: 'EHPAD <Les Tilleuls>',
    preferences: { largePrint: false, easyToRead: false },
    views: over.views ?? [],
    waitingFor: [],
    purpose: 'sign',
  } as unknown as PortalContext;
}

describe('portal landing page wording (labels and dates of @carepact/common)', () => {
  it('names the document as the e-mails do: article and elision (was « le avenant … de Émile »)', () => {
    const html = landingPage(context({ type: 'avenant', role: 'tuteur' }), 'csrf');
    expect(html).toContain('<strong>Le document :</strong> l’avenant au contrat de séjour d’Émile Durand</li>');
    expect(html).toContain('<h1>Signature : avenant au contrat de séjour</h1>');
  });

  it('says « votre … » to the resident', () => {
    expect(landingPage(context({ type: 'contrat-sejour', role: 'resident' }), 'csrf')).toContain('<strong>Le document :</strong> votre contrat de séjour</li>');
  });

  it('writes the deadline in full on its day in Paris, « 1er » for the first of the month', () => {
    const html = landingPage(context({ type: 'dipc', role: 'tuteur', deadline: new Date('2026-11-30T23:30:00Z') }), 'csrf');
    expect(html).toContain('<strong>Date limite :</strong> 1er décembre 2026</li>');
  });

  it('escapes user data with the shared escaper', () => {
    expect(landingPage(context({ type: 'dipc', role: 'tuteur' }), 'csrf')).toContain('EHPAD &lt;Les Tilleuls&gt;');
  });

  it('the person’s view is not said to « ne pas bloquer »: under representation her disagreement about where she lives goes to the judge (C. civ. 459-2, issue 8)', () => {
    const view = { key: 'resident', person: { firstName: 'Lucie', lastName: 'Martin' }, reason: 'C. civ. 459', recordedBy: ['tuteur'], recorded: false, answer: null };
    const html = landingPage(context({ type: 'contrat-sejour', role: 'tuteur', views: [view] }), 'csrf');
    expect(html).toContain('L’avis de Lucie Martin');
    expect(html).not.toContain('ne bloque pas');
  });
});
