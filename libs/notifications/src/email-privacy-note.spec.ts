import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * Newcomer review, item 6: the staff e-mails name the person (« le contrat de séjour de Marcel
 * Dupont ») — their footer must not claim they hold no detail about her. It says what they do
 * hold (her name and the document concerned) and what they never hold (her care, the content).
 * Only staff e-mails carry it: the signers' e-mails never had it.
 */
const samples = emailSamples('https://carepact.example.fr');
const STAFF_KINDS = ['countersign-due', 'staff-question', 'staff-refusal', 'delivery-failed', 'request-expired', 'seal-failed'] as const;
const SIGNER_KINDS = ['signature-invitation', 'signature-reminder', 'question-answered', 'signature-completed'] as const;
const NOTE = 'Ce message nomme la personne accompagnée et le document concerné, sans rien dire de son accompagnement ni du contenu du document : ils se consultent dans la console, après connexion.';

describe.each(STAFF_KINDS)('staff e-mail %s: a truthful privacy note', (kind) => {
  const email = renderEmail(kind, samples[kind]);

  it('names the person, and its note says so rather than « aucun détail sur la personne »', () => {
    expect(email.text).toContain('Marcel Dupont');
    expect(email.text).toContain(NOTE);
    expect(email.html.replace(/&nbsp;|\u00a0/g, ' ')).toContain(NOTE);
    expect(`${email.text}\n${email.html}`).not.toMatch(/aucun détail sur la personne/);
  });
});

describe.each(SIGNER_KINDS)('signer e-mail %s', (kind) => {
  it('carries no staff privacy note', () => {
    expect(renderEmail(kind, samples[kind]).text).not.toContain('Ce message ne');
  });
});
