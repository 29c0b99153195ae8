import type { CancelledForDeath } from '@carepact/signing';
import { cancelledForDeathPage, linkNotFoundPage, sessionExpiredPage } from './portal.views';

/**
 * The page of a link, or an open session, of a request cancelled with the person's death (410
 * PORTAL_REQUEST_CANCELLED_DEATH; the outside review of session 20): said plainly, soberly, without
 * the generic pages' « il peut vous envoyer un nouveau lien ou vous faire signer sur place » nor
 * « Rien de ce que vous aviez déjà validé n’est perdu » — nothing more is signed for her (C. civ.
 * 443 al. 1). The person's own link names no one.
 */
const notice: CancelledForDeath = {
  personName: 'Émile Durand',
  document: 'le contrat de séjour',
  ownLink: false,
  establishment: { name: 'EHPAD Les Tilleuls', phone: '01 23 45 67 89', address: '3 rue des Tilleuls, 75011 Paris' },
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the portal’s page for a request cancelled with the person’s death', () => {
  it('to a signer invited with or for her: cancelled after her death, her name, no new link, no « rien n’est perdu », the establishment to call', () => {
    const html = cancelledForDeathPage(notice);
    expect(html).toContain('<h1>Cette demande de signature a été annulée</h1>');
    expect(html).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour le contrat de séjour d’Émile Durand, à la suite de son décès.');
    expect(html).toContain('Il n’y a plus rien à signer pour cette demande : ce lien ne fonctionne plus.');
    expect(html).toContain('href="tel:0123456789"');
    expect(html).toContain('EHPAD Les Tilleuls — espace de signature');
    for (const promise of ['nouveau lien', 'sur place', 'perdu', 'dernier e-mail', 'session est terminée']) expect(text(html)).not.toContain(promise);
  });

  it('her own link: cancelled, no name, no death', () => {
    const html = cancelledForDeathPage({ ...notice, ownLink: true });
    expect(html).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour ce document.');
    expect(html).not.toMatch(/décès|Durand/);
  });

  it('the generic pages are unchanged for everything else', () => {
    expect(linkNotFoundPage()).toContain('il peut vous envoyer un nouveau lien ou vous faire signer sur place');
    expect(sessionExpiredPage()).toContain('Rien de ce que vous aviez déjà validé n’est perdu.');
  });
});
