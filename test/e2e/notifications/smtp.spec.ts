import { connect, createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DevMailbox, emailSamples, isMailDeliveryError, MailDeliveryError, MailTransport, renderEmail } from '@carepact/notifications';

/**
 * Real SMTP on loopback: MailTransport (nodemailer) sends to DevMailbox (smtp-server), which
 * parses what arrives. Then servers that refuse, defer or are absent, to check that the worker
 * will be told whether a retry can help.
 */
const FROM = 'CarePact <no-reply@carepact.localhost>';
const NAME = "Seán O'Brien-Nuñez";

async function failureOf(p: Promise<unknown>): Promise<MailDeliveryError> {
  try {
    await p;
  } catch (e) {
    if (isMailDeliveryError(e)) return e;
    throw e;
  }
  throw new Error('the send succeeded');
}

describe('MailTransport → DevMailbox over real SMTP', () => {
  const mailbox = new DevMailbox({ capacity: 5, maxMessageBytes: 200_000 });
  let transport: MailTransport;
  let port: number;

  beforeAll(async () => {
    ({ port } = await mailbox.start(0));
    transport = new MailTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM });
  });
  afterAll(async () => {
    transport?.close();
    await mailbox.stop();
  });
  beforeEach(() => mailbox.clear());

  it('delivers a rendered invitation: recipient, subject, text and HTML byte-exact', async () => {
    const data = { ...emailSamples()['signature-invitation'], recipientName: NAME, establishment: { name: `Résidence ${NAME} — Château-d’Œx 😀`, phone: '01 23 45 67 89' } };
    const email = renderEmail('signature-invitation', data);
    expect(email.subject).toBe(`Votre signature est demandée : contrat de séjour — Résidence ${NAME} — Château-d’Œx 😀`);
    const sent = await transport.send({ to: { address: 'sean.obrien@exemple.ie', name: NAME }, ...email, messageId: '<outbox-42@carepact.localhost>' });
    expect(sent.messageId).toBe('<outbox-42@carepact.localhost>');

    const [got] = mailbox.list();
    expect(got.to).toEqual(['sean.obrien@exemple.ie']);
    expect(got.headers['to']).toBe(`${NAME} <sean.obrien@exemple.ie>`);
    expect(got.from).toBe(FROM);
    expect(got.subject).toBe(email.subject);
    expect(Buffer.from(got.subject, 'utf8').equals(Buffer.from(email.subject, 'utf8'))).toBe(true);
    expect(got.text).toBe(email.text);
    expect(got.html).toBe(email.html);
    expect(got.text).toContain(`Bonjour ${NAME},`);
    expect(got.text).toContain(data.signUrl);
    expect(got.headers['auto-submitted']).toBe('auto-generated');
    expect(got.headers['message-id']).toBe('<outbox-42@carepact.localhost>');
  });

  it('keeps CR/LF in names out of the headers', async () => {
    const email = renderEmail('staff-question', { ...emailSamples()['staff-question'], establishment: { name: 'Les Tilleuls\r\nBcc: victime@exemple.fr' } });
    await transport.send({ to: { address: 'claire@exemple.fr', name: 'Claire\r\nBcc: autre@exemple.fr' }, ...email, headers: { 'X-CarePact-Request': 'abc\r\nBcc: x@exemple.fr' } });
    const got = await mailbox.waitFor((m) => m.to.includes('claire@exemple.fr'));
    expect(got.to).toEqual(['claire@exemple.fr']);
    expect(got.headers['bcc']).toBeUndefined();
    expect(got.subject).toBe('Question d’un signataire : contrat de séjour — Les Tilleuls Bcc: victime@exemple.fr');
    // nodemailer quotes a display name holding ':' or '@': one mailbox, not two.
    expect(got.headers['to']).toBe('"Claire Bcc: autre@exemple.fr" <claire@exemple.fr>');
    expect(got.headers['x-carepact-request']).toBe('abc Bcc: x@exemple.fr');
  });

  it('listens on 127.0.0.1 only', async () => {
    // Every 127/8 address reaches the loopback interface: a server bound to 0.0.0.0 would answer here.
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.2');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('refuses an invalid address before connecting (permanent)', async () => {
    let received = 0;
    const off = mailbox.onMail(() => received++);
    for (const to of ['pas-une-adresse', 'a@b.fr\r\nRCPT TO:<c@d.fr>', 'x@localhost']) {
      const e = await failureOf(transport.send({ to, subject: 's', text: 't', html: '<p>t</p>' }));
      expect(e.mailCode).toBe('MAIL_INVALID_RECIPIENT');
      expect(e.permanent).toBe(true);
    }
    off();
    expect(received).toBe(0);
    expect(mailbox.list()).toEqual([]);
  });

  it('refuses a message over the size limit with 552 (permanent)', async () => {
    const e = await failureOf(transport.send({ to: 'jeanne@exemple.fr', subject: 'gros', text: 'x'.repeat(300_000), html: '<p>x</p>' }));
    expect(e.responseCode).toBe(552);
    expect(e.mailCode).toBe('MAIL_MESSAGE_REJECTED');
    expect(e.permanent).toBe(true);
    expect(mailbox.list()).toEqual([]);
  });

  it('keeps the newest messages, newest first, and wakes whoever waits for one', async () => {
    const waiting = mailbox.waitFor((m) => m.subject === 'message 7');
    for (let i = 1; i <= 7; i++) await transport.send({ to: `n${i}@exemple.fr`, subject: `message ${i}`, text: `corps ${i}`, html: `<p>corps ${i}</p>` });
    expect((await waiting).text).toBe('corps 7');
    expect(mailbox.list().map((m) => m.subject)).toEqual(['message 7', 'message 6', 'message 5', 'message 4', 'message 3']);
  });
});

describe('MailTransport failures', () => {
  /** An SMTP server whose answers to RCPT TO and DATA the test chooses. */
  async function refusingServer(rcpt: (address: string) => number | null, data: number | null = null): Promise<{ port: number; close: () => Promise<void> }> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 500,
      onRcptTo(address, _session, callback) {
        const code = rcpt(address.address);
        callback(code ? Object.assign(new Error(code >= 500 ? '5.1.1 Mailbox unknown' : '4.7.1 Try again later'), { responseCode: code }) : null);
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(data ? Object.assign(new Error('5.7.1 Refused by policy'), { responseCode: data }) : null));
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
  }

  const email = { subject: 'Votre signature est demandée', text: 'texte', html: '<p>texte</p>' };

  it('a refused connection is transient', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const t = new MailTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM });
    const e = await failureOf(t.send({ to: 'jeanne@exemple.fr', ...email }));
    expect(e.mailCode).toBe('MAIL_SERVER_UNREACHABLE');
    expect(e.permanent).toBe(false);
    expect(e.kind).toBe('unavailable');
    t.close();
  });

  it('550 to RCPT TO is permanent; 450 is transient; 554 to DATA is permanent', async () => {
    const server = await refusingServer((a) => (a.startsWith('inconnu') ? 550 : a.startsWith('plus-tard') ? 450 : null));
    const t = new MailTransport({ url: `smtp://127.0.0.1:${server.port}`, from: FROM });
    try {
      const unknown = await failureOf(t.send({ to: 'inconnu@exemple.fr', ...email }));
      expect([unknown.mailCode, unknown.responseCode, unknown.permanent]).toEqual(['MAIL_RECIPIENT_REJECTED', 550, true]);
      expect(unknown.serverResponse).toContain('5.1.1 Mailbox unknown');

      const later = await failureOf(t.send({ to: 'plus-tard@exemple.fr', ...email }));
      expect([later.mailCode, later.responseCode, later.permanent]).toEqual(['MAIL_DEFERRED', 450, false]);

      await expect(t.send({ to: 'jeanne@exemple.fr', ...email })).resolves.toEqual({ messageId: expect.stringMatching(/^<.+@carepact\.localhost>$/) });
    } finally {
      t.close();
      await server.close();
    }
    const policy = await refusingServer(() => null, 554);
    const t2 = new MailTransport({ url: `smtp://127.0.0.1:${policy.port}`, from: FROM });
    try {
      const refused = await failureOf(t2.send({ to: 'jeanne@exemple.fr', ...email }));
      expect([refused.mailCode, refused.responseCode, refused.permanent]).toEqual(['MAIL_MESSAGE_REJECTED', 554, true]);
    } finally {
      t2.close();
      await policy.close();
    }
  });

  it('refuses a bad configuration at construction', () => {
    expect(() => new MailTransport({ url: 'http://127.0.0.1:25', from: FROM })).toThrow(/smtp:\/\//);
    expect(() => new MailTransport({ url: 'smtp://127.0.0.1:25', from: 'CarePact' })).toThrow(/SMTP_FROM/);
  });

  it('refuses headers it sets itself', async () => {
    const t = new MailTransport({ url: 'smtp://127.0.0.1:9', from: FROM });
    await expect(t.send({ to: 'jeanne@exemple.fr', ...email, headers: { Bcc: 'x@exemple.fr' } })).rejects.toThrow(/cannot be set/);
    await expect(t.send({ to: 'jeanne@exemple.fr', ...email, headers: { 'Auto-Submitted': 'no' } })).rejects.toThrow(/cannot be set/);
    await expect(t.send({ to: 'jeanne@exemple.fr', ...email, headers: { 'X-Bad\r\nBcc': 'x' } })).rejects.toThrow(/cannot be set/);
    t.close();
  });
});
