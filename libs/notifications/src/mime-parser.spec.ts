import MailComposer from 'nodemailer/lib/mail-composer';
import { decodeHeaderValue, decodeQuotedPrintable, parseContentType, parseMimeMessage } from './mime-parser';

/** What nodemailer itself writes on the wire for these options. */
function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => new MailComposer(options).compile().build((err, message) => (err ? reject(err) : resolve(message))));
}

const NAME = "Seán O'Brien-Nuñez";
const TEXT = `Bonjour ${NAME},\n\nÀ signer jusqu’au dimanche 20 décembre 2026 à 23 h 59 — ${'très longue ligne '.repeat(12)}\nhttps://carepact.example.fr/s/9hQkXw2mZr4tLbN7cVd0sE1fGu3yJp5aKq8iOx6RzTA\nŒuvre, 😀, ‮ fin.\n`;
const HTML = `<!doctype html><html lang="fr"><body><p>Bonjour ${NAME}, « guillemets » =3D pas un échappement</p><a href="https://carepact.example.fr/s/abc?x=1&amp;y=2">Lire</a></body></html>`;

describe('parseMimeMessage on nodemailer output', () => {
  it.each(['quoted-printable', 'base64'] as const)('reads a multipart/alternative message in %s byte-exact', async (encoding) => {
    const subject = `Votre signature est demandée : contrat de séjour — Maison ${NAME} ${'é'.repeat(60)}`;
    const raw = await compose({
      from: { name: 'CarePact', address: 'no-reply@carepact.example.fr' },
      to: { name: NAME, address: 'sean@exemple.fr' },
      subject,
      text: TEXT,
      html: HTML,
      textEncoding: encoding,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    const parsed = parseMimeMessage(raw);
    expect(parsed.headers['subject']).toBe(subject);
    expect(parsed.headers['to']).toBe(`${NAME} <sean@exemple.fr>`);
    expect(parsed.headers['from']).toBe('CarePact <no-reply@carepact.example.fr>');
    expect(parsed.headers['auto-submitted']).toBe('auto-generated');
    expect(parsed.text).toBe(TEXT);
    expect(parsed.html).toBe(HTML);
  });

  it('finds the bodies inside multipart/mixed and skips attachments', async () => {
    const raw = await compose({
      from: 'a@exemple.fr',
      to: 'b@exemple.fr',
      subject: 'x',
      text: 'le texte',
      html: '<p>le html</p>',
      attachments: [{ filename: 'note.txt', content: 'pièce jointe', contentType: 'text/plain' }],
    });
    expect(raw.toString('latin1')).toMatch(/multipart\/mixed/);
    const parsed = parseMimeMessage(raw);
    expect(parsed.text).toBe('le texte');
    expect(parsed.html).toBe('<p>le html</p>');
  });

  it('reads a single-part text message in another charset', () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: =?ISO-8859-1?Q?Caf=E9?=\r\nContent-Type: text/plain; charset="iso-8859-1"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a]),
    ]);
    expect(parseMimeMessage(raw)).toEqual({ headers: { subject: 'Café', 'content-type': 'text/plain; charset="iso-8859-1"', 'content-transfer-encoding': '8bit' }, text: 'Café\n', html: null });
  });
});

describe('RFC 2047 and quoted-printable', () => {
  it('decodes encoded words, joining adjacent ones and the bytes of a split character', () => {
    expect(decodeHeaderValue('=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>')).toBe('André Pirard <PIRARD@vm1.ulg.ac.be>');
    expect(decodeHeaderValue('=?utf-8?Q?a?= =?utf-8?Q?b?=')).toBe('ab');
    expect(decodeHeaderValue('=?utf-8?Q?a?=  b')).toBe('a  b');
    expect(decodeHeaderValue('=?UTF-8?Q?Se=C3?= =?UTF-8?Q?=A1n_O=27Brien?=')).toBe("Seán O'Brien");
    expect(decodeHeaderValue('=?UTF-8?B?8J+YgA==?=')).toBe('😀');
    expect(decodeHeaderValue('plain =?not encoded')).toBe('plain =?not encoded');
  });

  it('removes soft line breaks and transport padding', () => {
    expect(decodeQuotedPrintable('caf=C3=A9 =\r\nsuite  \r\nfin=3D').toString('utf8')).toBe('café suite\r\nfin=');
  });

  it('reads content-type parameters, quoted or not', () => {
    expect(parseContentType('multipart/alternative; boundary="--_a;b"; charset=UTF-8')).toEqual({ type: 'multipart/alternative', params: { boundary: '--_a;b', charset: 'UTF-8' } });
  });
});
