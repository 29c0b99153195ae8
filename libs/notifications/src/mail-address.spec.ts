import { isValidEmailAddress, parseMailbox } from './mail-address';
import { classifySmtpError } from './mail-errors';

describe('isValidEmailAddress', () => {
  it.each(['jeanne.martin@exemple.fr', "o'brien+carepact@mail.example.ie", 'x@sub.domaine-médical.fr', 'a_b-c@exemple.co.uk'])('accepts %s', (a) => {
    expect(isValidEmailAddress(a)).toBe(true);
  });

  it.each([
    '',
    'jeanne',
    'jeanne@',
    '@exemple.fr',
    'jeanne@exemple',
    'jeanne..martin@exemple.fr',
    '.jeanne@exemple.fr',
    'jeanne martin@exemple.fr',
    'jeanne@exemple.fr\r\nBcc: x@y.fr',
    '"jeanne"@exemple.fr',
    'jeanne@[127.0.0.1]',
    'jeanne@127.0.0.1',
    'jeanne@-exemple.fr',
    'Jeanne <jeanne@exemple.fr>',
    `${'a'.repeat(65)}@exemple.fr`,
  ])('refuses %j', (a) => {
    expect(isValidEmailAddress(a)).toBe(false);
  });
});

describe('parseMailbox (SMTP_FROM)', () => {
  it('reads a name and an address, or a bare address', () => {
    expect(parseMailbox('CarePact <no-reply@carepact.example.fr>')).toEqual({ name: 'CarePact', address: 'no-reply@carepact.example.fr' });
    expect(parseMailbox('"CarePact, Les Tilleuls" <no-reply@carepact.example.fr>')).toEqual({ name: 'CarePact, Les Tilleuls', address: 'no-reply@carepact.example.fr' });
    expect(parseMailbox('no-reply@carepact.example.fr')).toEqual({ name: null, address: 'no-reply@carepact.example.fr' });
  });

  it('refuses what would corrupt a From header', () => {
    expect(parseMailbox('CarePact\r\nBcc: x@y.fr <no-reply@carepact.example.fr>')).toBeNull();
    expect(parseMailbox('CarePact <not an address>')).toBeNull();
    expect(parseMailbox('CarePact')).toBeNull();
  });
});

describe('classifySmtpError', () => {
  const err = (props: Record<string, unknown>) => Object.assign(new Error('x'), props);
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <jeanne@exemple.fr>: unknown' }, 'MAIL_RECIPIENT_REJECTED', true],
    [{ code: 'EMESSAGE', responseCode: 552, command: 'DATA', response: '552 too big' }, 'MAIL_MESSAGE_REJECTED', true],
    [{ code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO', response: '450 greylisted' }, 'MAIL_DEFERRED', false],
    [{ code: 'EPROTOCOL', responseCode: 421, command: 'CONN', response: '421 busy' }, 'MAIL_DEFERRED', false],
    [{ code: 'EPROTOCOL', responseCode: 503, command: 'DATA', response: '503 bad sequence' }, 'MAIL_SEND_FAILED', false],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'MAIL_SERVER_UNREACHABLE', false],
    [{ code: 'ETIMEDOUT' }, 'MAIL_SERVER_UNREACHABLE', false],
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'MAIL_SERVER_CONFIGURATION', false],
    [{ code: 'ETLS' }, 'MAIL_SERVER_CONFIGURATION', false],
    [{}, 'MAIL_SEND_FAILED', false],
  ])('%j → %s', (props, code, permanent) => {
    const e = classifySmtpError(err(props));
    expect(e.mailCode).toBe(code);
    expect(e.permanent).toBe(permanent);
  });

  it('masks the addresses the server repeats', () => {
    const e = classifySmtpError(err({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <jeanne.martin@exemple.fr>: Recipient address rejected' }));
    expect(e.serverResponse).toBe('550 5.1.1 <[adresse]>: Recipient address rejected');
    expect(e.message).not.toContain('jeanne');
  });
});
