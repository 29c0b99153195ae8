import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

const samples = emailSamples();

/**
 * CASF D.311 I: the DIPC replaces a contract the person or her legal representative refused to sign.
 * A signer whose signature was optional declined it: the request goes on, nothing is refused, and the
 * e-mail to staff does not offer the DIPC.
 */
describe('the staff e-mail after a refusal: an optional signature declined calls for no DIPC', () => {
  it('a contract, the refuser’s signature optional: no DIPC; required: the DIPC, as before', () => {
    const optional = renderEmail('staff-refusal', { ...samples['staff-refusal'], documentType: 'contrat-sejour', optionalSignature: true });
    expect(optional.text + optional.html).not.toContain('DIPC');
    const required = renderEmail('staff-refusal', { ...samples['staff-refusal'], documentType: 'contrat-sejour', optionalSignature: false });
    expect(required.text).toContain('document individuel de prise en charge (DIPC, article D. 311');
  });
});
