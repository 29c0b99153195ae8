import type { ServerResponse } from 'node:http';

/** An HTML answer, or a redirect (`location`). */
export interface Page {
  status: number;
  html: string;
  location?: string;
  /** `html` in UTF-8, when the page is kept (portal-pages.ts): not encoded again at every answer. */
  bytes?: Buffer;
}

/** Written on node's response directly: the same bytes and headers whichever path answers; never cached. */
export function sendPage(res: ServerResponse, page: Page): void {
  const body = page.bytes ?? Buffer.from(page.html, 'utf8');
  res.statusCode = page.status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  if (page.location) res.setHeader('Location', page.location);
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  sendPage(res, { status, html });
}

/** POST → redirect → GET (303): a refresh never re-sends a form. */
export function redirectTo(res: ServerResponse, location: string): void {
  sendPage(res, { status: 303, html: '', location });
}

/**
 * sendPage's status, headers and body in one `writeHead`, after `before` (flat name, value list: the
 * security headers) in place of the headers a middleware would have set: for a response nothing
 * else has written headers on (the portal's fast path).
 */
export function writePage(res: ServerResponse, before: readonly string[], page: Page): void {
  const body = page.bytes ?? Buffer.from(page.html, 'utf8');
  const headers = [...before, 'Cache-Control', 'no-store', 'Content-Type', 'text/html; charset=utf-8', 'Content-Length', String(body.length)];
  if (page.location) headers.push('Location', page.location);
  res.writeHead(page.status, headers);
  res.end(body);
}
