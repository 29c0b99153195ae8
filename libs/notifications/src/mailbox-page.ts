import type { ReceivedMail } from './dev-mailbox';
import { escapeHtml } from '@carepact/common';
import { formatDateTime } from './email-values';

export interface MailboxPageOptions {
  /** A stylesheet served by the API (the CSP allows no inline style); see MAILBOX_PAGE_CSS. */
  stylesheetHref?: string;
  /** Where the HTML part of a message is served, if it is; omitted: no link. */
  htmlHref?: (mail: ReceivedMail) => string;
  timeZone?: string;
}

/** The page's styles, to be served at `stylesheetHref`: long lines and links wrap (WCAG 1.4.10). */
export const MAILBOX_PAGE_CSS = `body{font-family:system-ui,Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1f1f1f;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
article{border-top:2px solid #6b6b6b;padding:0.5rem 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0.25rem 1rem;margin:0 0 0.75rem}
dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.95rem;background:#f5f5f5;border:1px solid #6b6b6b;padding:0.75rem;margin:0}
a{color:#0b4f9c}a:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px}
`;

/**
 * The development mailbox as a page (served by the API at /dev/mail): each message with its
 * subject, recipients, time and plain-text body, whose links are real links so that a new user
 * can follow an invitation. No script; styles come from a stylesheet.
 */
export function renderMailboxPage(mails: readonly ReceivedMail[], options: MailboxPageOptions = {}): string {
  const timeZone = options.timeZone ?? 'Europe/Paris';
  const count = mails.length === 0 ? 'Aucun message reçu pour l’instant.' : mails.length === 1 ? '1 message.' : `${mails.length} messages, du plus récent au plus ancien.`;
  const articles = mails
    .map((m, i) => {
      const headingId = `courriel-${i + 1}`;
      const subject = m.subject === '' ? '(sans objet)' : m.subject;
      const html = options.htmlHref
        ? `\n<p><a href="${escapeHtml(options.htmlHref(m))}">Version HTML du message «&nbsp;${escapeHtml(subject)}&nbsp;»</a></p>`
        : '';
      return `<article aria-labelledby="${headingId}">
<h2 id="${headingId}">${escapeHtml(subject)}</h2>
<dl>
<dt>Destinataires</dt><dd>${escapeHtml(m.to.join(', '))}</dd>
<dt>Expéditeur</dt><dd>${escapeHtml(m.from)}</dd>
<dt>Reçu le</dt><dd><time datetime="${m.receivedAt.toISOString()}">${escapeHtml(formatDateTime(m.receivedAt, timeZone))}</time></dd>
</dl>
<h3>Texte du message</h3>
<pre>${linkify(m.text)}</pre>${html}
</article>`;
    })
    .join('\n');
  const css = options.stylesheetHref ? `\n<link rel="stylesheet" href="${escapeHtml(options.stylesheetHref)}">` : '';
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Courriels reçus (développement) — CarePact</title>${css}
</head>
<body>
<main>
<h1>Courriels reçus (développement)</h1>
<p>Sans SMTP_URL, CarePact garde ici les derniers messages envoyés au lieu de les distribuer. Ouvrez un lien d’invitation pour signer comme le ferait son destinataire. Rechargez la page pour voir les nouveaux messages.</p>
<p>${count}</p>
${articles}
</main>
</body>
</html>
`;
}

// A URL ends before white space, angle brackets or quotes; trailing punctuation belongs to the sentence.
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** Escapes the text and turns its http(s) URLs into links, with the URL as link text. */
export function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, '');
    const start = m.index ?? 0;
    out += escapeHtml(text.slice(last, start)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(text.slice(last));
}
