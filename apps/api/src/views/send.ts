import type { ServerResponse } from 'node:http';

/** An HTML answer, or a redirect (`location`). */
export interface Page {
  status: number;
  html: string;
  location?: string;
}

/** Written on node's response directly: the same bytes and headers whichever path answers; never cached. */
export function sendPage(res: ServerResponse, page: Page): void {
  const body = Buffer.from(page.html, 'utf8');
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
