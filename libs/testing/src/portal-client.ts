import { request as httpRequest } from 'node:http';

/**
 * A minimal browser for the signing portal over plain HTTP (fetch): follows the link like a mail
 * client would, keeps the portal cookie, reads the CSRF token from the page and posts forms.
 * Browser-level tests (Chromium) use Playwright instead; this one keeps API-level tests fast.
 */
export class PortalClient {
  private cookie = '';
  /** The session's CSRF token as last seen on a page (the landing has no form since issue 13). */
  private token = '';
  lastHtml = '';

  constructor(readonly base: string) {}

  static linksIn(text: string, base: string): string[] {
    const re = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s/[A-Za-z0-9_-]+`, 'g');
    return [...new Set(text.match(re) ?? [])];
  }

  async open(link: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
    const res = await fetch(link, { method, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return res;
  }

  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, { headers: { Cookie: this.cookie }, redirect: 'manual' });
    this.seen(await res.clone().text());
    return res;
  }

  private seen(html: string): void {
    this.lastHtml = html;
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.token = m[1];
  }

  /** The CSRF token of `html`, else the one last seen in this session. */
  csrf(html = this.lastHtml): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) return m[1];
    if (html === this.lastHtml && this.token) return this.token;
    throw new Error('no CSRF token on the page');
  }

  /**
   * Signs as a person does: opens the document first (the portal accepts a signature only after it
   * was opened, issue 13), then posts the signature form. A 303 to the recap means signed.
   */
  async sign(fields: Record<string, string>): Promise<Response> {
    await this.get('/portail/document');
    return this.post('/portail/signer', fields);
  }

  async post(path: string, fields: Record<string, string>, withCsrf = true): Promise<Response> {
    if (withCsrf && !fields._csrf) {
      // A page with a form of this session: the landing (code form), else the question page.
      if (!this.token) await this.get('/portail');
      if (!this.token) await this.get('/portail/question');
      fields = { _csrf: this.csrf(), ...fields };
    }
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { Cookie: this.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.seen(await res.clone().text());
    return res;
  }
}

/**
 * A GET from a chosen loopback address (all of 127.0.0.0/8 is local on Linux), with raw headers: how
 * a test stands for distinct clients, or forges X-Forwarded-For, without a proxy. The path is sent
 * as written (no URL normalisation).
 */
export function getFrom(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
