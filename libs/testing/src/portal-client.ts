/**
 * A minimal browser for the signing portal over plain HTTP (fetch): follows the link like a mail
 * client would, keeps the portal cookie, reads the CSRF token from the page and posts forms.
 * Browser-level tests (Chromium) use Playwright instead; this one keeps API-level tests fast.
 */
export class PortalClient {
  private cookie = '';
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
    this.lastHtml = await res.clone().text();
    return res;
  }

  csrf(html = this.lastHtml): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1];
  }

  async post(path: string, fields: Record<string, string>, withCsrf = true): Promise<Response> {
    if (withCsrf && !fields._csrf) {
      if (!this.lastHtml.includes('_csrf')) await this.get('/portail');
      fields = { _csrf: this.csrf(), ...fields };
    }
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { Cookie: this.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.lastHtml = await res.clone().text();
    return res;
  }
}
