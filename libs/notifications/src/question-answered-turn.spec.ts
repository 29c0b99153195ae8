import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * « Réponse à votre question »: sent to a signer whose turn has not come (sequential mode, « Chacun à
 * son tour ») it said « Vous pourrez ensuite le signer », which the portal then refuses (NOT_YOUR_TURN).
 * Before her turn: she is invited to sign at her turn; at her turn, the wording stays.
 */
describe('question-answered e-mail and the signer’s turn', () => {
  const sample = emailSamples('https://carepact.example.fr')['question-answered'];
  const flat = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('before her turn: « Vous serez invité à le signer à votre tour », never « Vous pourrez ensuite le signer », in HTML and text', () => {
    const e = renderEmail('question-answered', { ...sample, notYourTurn: true });
    for (const body of [flat(e.html), flat(e.text)]) {
      expect(body).toContain('Vous serez invité à le signer à votre tour, par un autre e-mail.');
      expect(body).not.toContain('Vous pourrez ensuite le signer');
    }
  });

  it('at her turn (or in parallel mode): she may sign next, as before', () => {
    const e = renderEmail('question-answered', sample);
    for (const body of [flat(e.html), flat(e.text)]) {
      expect(body).toContain('Vous pourrez ensuite le signer si vous êtes d’accord.');
      expect(body).not.toContain('à votre tour');
    }
  });
});
