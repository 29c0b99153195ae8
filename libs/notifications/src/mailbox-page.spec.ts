import type { ReceivedMail } from './dev-mailbox';
import { linkify, renderMailboxPage } from './mailbox-page';

const mail = (over: Partial<ReceivedMail> = {}): ReceivedMail => ({
  id: '7d3c2a10-0000-4000-8000-000000000001',
  receivedAt: new Date('2026-11-20T09:30:00Z'),
  from: 'CarePact <no-reply@carepact.localhost>',
  to: ['jeanne.martin@exemple.fr'],
  subject: 'Votre signature est demandée : contrat de séjour — EHPAD Les Tilleuls',
  text: 'Lire et signer le document :\nhttp://localhost:3000/s/abc_DEF-123.\n',
  html: '<p>x</p>',
  headers: {},
  ...over,
});

describe('renderMailboxPage', () => {
  it('is a French page with a heading per message and its links as real links', () => {
    const page = renderMailboxPage([mail()], { stylesheetHref: '/dev/mail/style.css', htmlHref: (m) => `/dev/mail/${m.id}.html` });
    expect(page).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(page).toContain('<h1>Courriels reçus (développement)</h1>');
    expect(page).toContain('<h2 id="courriel-1">Votre signature est demandée : contrat de séjour — EHPAD Les Tilleuls</h2>');
    expect(page).toContain('<dd>jeanne.martin@exemple.fr</dd>');
    expect(page).toContain('<time datetime="2026-11-20T09:30:00.000Z">vendredi 20 novembre 2026 à 10 h 30</time>');
    // The sentence's full stop is not part of the link.
    expect(page).toContain('<pre>Lire et signer le document :\n<a href="http://localhost:3000/s/abc_DEF-123">http://localhost:3000/s/abc_DEF-123</a>.\n</pre>');
    expect(page).toContain('<a href="/dev/mail/7d3c2a10-0000-4000-8000-000000000001.html">');
    expect(page).toContain('<link rel="stylesheet" href="/dev/mail/style.css">');
    expect(page).not.toMatch(/<script|style="/);
  });

  it('escapes what the messages contain', () => {
    const page = renderMailboxPage([mail({ subject: '<img src=x onerror=alert(1)>', text: 'javascript:alert(1) <b>x</b> http://a.example/"><script>', to: ['<x@y.fr>'] })]);
    expect(page).not.toMatch(/<img|<script|<b>/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<a href="http://a.example/">http://a.example/</a>&quot;&gt;&lt;script&gt;');
  });

  it('says when there is nothing yet', () => {
    expect(renderMailboxPage([])).toContain('<p>Aucun message reçu pour l’instant.</p>');
  });

  it('links only http(s) URLs', () => {
    expect(linkify('ftp://x.example et https://y.example/a?b=1&c=2),')).toBe('ftp://x.example et <a href="https://y.example/a?b=1&amp;c=2">https://y.example/a?b=1&amp;c=2</a>),');
  });
});
