import type { PortalContext } from '@carepact/signing';
import { portalContext } from './portal-context.fixture';
import { questionPage, sessionExpiredPage } from './portal.views';

/**
 * What the portal says about links must be true: answering a question e-mails the signer a new
 * link and ends the old one (SigningJobsService.invite, 'question-answered'), so the signer cannot
 * « revenir signer avec le même lien »; and a session may end for other reasons than 30 minutes
 * without activity (its link replaced by a newer e-mail's, its 2 hours reached).
 */
function context(delivery: 'email' | 'in_person', email: string | null): PortalContext {
  return portalContext({ delivery, email });
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('portal wording about links (the answer brings a new link; why a session ended is not known)', () => {
  it('after a question sent by e-mail: the answer comes by e-mail with a new link, the old one stops working', () => {
    const page = text(questionPage(context('email', 'sean.obrien@example.org'), { sent: true }));
    expect(page).toContain('Votre question est envoyée');
    expect(page).toContain('L’établissement va vous répondre par e-mail.');
    expect(page).toContain('Cet e-mail aura un nouveau lien pour revenir signer. Utilisez ce nouveau lien : l’ancien ne marchera plus.');
    expect(page).not.toContain('même lien');
  });

  it('after a question asked in person (no e-mail is sent to this signer): no promise of an e-mail', () => {
    const page = text(questionPage(context('in_person', null), { sent: true }));
    expect(page).toContain('L’établissement va vous répondre.');
    expect(page).not.toContain('par e-mail');
    expect(page).not.toContain('nouveau lien');
    expect(page).not.toContain('même lien');
  });

  it('the session-ended page gives 30 minutes and a newer e-mail as examples, and sends to the latest e-mail', () => {
    const page = text(sessionExpiredPage());
    expect(page).toContain('Votre session est terminée');
    expect(page).not.toContain('la session se ferme après 30 minutes sans activité');
    expect(page).toContain('Cela arrive par exemple : quand la page n’a pas servi pendant 30 minutes ; quand un e-mail plus récent vous a envoyé un nouveau lien.');
    expect(page).toContain('Pour reprendre, ouvrez le lien du dernier e-mail reçu.');
    expect(page).toContain('Rien de ce que vous aviez déjà validé n’est perdu.');
  });
});
