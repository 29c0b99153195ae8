import { INestApplication } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configWith } from '@carepact/config';
import { PortalClient, freePort, getFrom, waitUntil } from '@carepact/testing';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { securityHeaderList } from '../../../apps/api/src/http/security-headers.middleware';
import { NodeMiddleware, portalFastPath } from '../../../apps/api/src/portal/portal-fast-path';
import { PortalPages } from '../../../apps/api/src/portal/portal-pages';
import { SigningHarness, startSigningHarness } from './signing-harness';

/**
 * Issue 9 item 5 and issue 7 items 10 and 6, on real components (PostgreSQL, Redis, the worker, SMTP):
 * - the portal's fast path and its routes give the same status, headers and body for the landing and
 *   reading pages, with a valid session, an expired one and no cookie;
 * - one rule for the client's address (TRUST_PROXY): a forged X-Forwarded-For is neither recorded in
 *   the evidence nor used by the rate limit unless a proxy is trusted, and then the proxy's client is;
 * - a signer whose access code is required reaches only the code form until they give it, and a view
 *   they recorded stays correctable (a new, audited event) until they sign.
 */

interface RequestView {
  id: string;
  signers: { id: string; role: string; name: string }[];
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function answer(res: Response): Promise<Answer> {
  // Only Date differs by nature between two answers.
  const headers = Object.fromEntries([...res.headers.entries()].filter(([k]) => k !== 'date').sort(([a], [b]) => a.localeCompare(b)));
  return { status: res.status, headers, body: await res.text() };
}

describe('signing portal: fast path ≡ routes, one client address, the access code first', () => {
  let h: SigningHarness;
  const apps: INestApplication[] = [];
  /** The same api with the fast path off: every portal page goes through Nest's routes. */
  let routesBase: string;
  /** The same api behind one trusted proxy (TRUST_PROXY=1). */
  let proxiedBase: string;

  const listen = async (app: INestApplication): Promise<string> => {
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    apps.push(app);
    return `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    h = await startSigningHarness();
    routesBase = await listen(await createApiApp(h.db.config, { portalFastPath: false }));
    proxiedBase = await listen(await createApiApp(configWith(h.db.config, { http: { trustProxy: 1 } })));
  }, 180000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await h?.close();
  });

  const staff = () => h.staff('admissions@les-tilleuls.example');
  const createRequest = async (firstName: string): Promise<RequestView> => {
    const res = await (await staff())(`/api/documents/${await h.document(firstName, 'contrat-sejour')}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) });
    if (res.status !== 201) throw new Error(`signature request: ${res.status} ${await res.text()}`);
    return (await res.json()) as RequestView;
  };
  /** An in-person link's token (no e-mail needed); any of the apps opens it (one database). */
  const inPersonToken = async (r: RequestView, role: string): Promise<string> => {
    const signer = r.signers.find((s) => s.role === role)!;
    const res = await (await staff())(`/api/signature-requests/${r.id}/signers/${signer.id}/in-person`, { method: 'POST' });
    return ((await res.json()) as { url: string }).url.split('/s/')[1];
  };
  const openSession = async (base: string, token: string, headers: Record<string, string> = {}): Promise<string> => {
    const res = await fetch(`${base}/s/${token}`, { redirect: 'manual', headers });
    expect(res.status).toBe(303);
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  };
  const events = (requestId: string, kind: string) =>
    h.ds.query(`SELECT ip, details FROM signature_events WHERE request_id = $1 AND kind = $2 ORDER BY at`, [requestId, kind]) as Promise<{ ip: string | null; details: Record<string, unknown> }[]>;

  it('the fast path and the routes answer the landing and reading pages identically: valid session, expired session, no cookie', async () => {
    const jeanne = await createRequest('Jeanne');
    const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
    const other = await createRequest('Jeanne');
    const expired = await openSession(h.base, await inPersonToken(other, 'resident'));
    await h.ds.query(`UPDATE portal_sessions SET expires_at = now() - interval '1 minute' WHERE signer_id = $1`, [other.signers.find((s) => s.role === 'resident')!.id]);

    const states: [string, Record<string, string>][] = [
      ['valid session', { cookie }],
      ['expired session', { cookie: expired }],
      ['no cookie', {}],
    ];
    for (const [state, headers] of states) {
      for (const path of ['/portail', '/portail/document', '/portail/document?version=falc']) {
        const fast = await answer(await fetch(h.base + path, { headers, redirect: 'manual' }));
        const route = await answer(await fetch(routesBase + path, { headers, redirect: 'manual' }));
        expect({ state, path, ...route }).toEqual({ state, path, ...fast });
        expect({ state, path, status: fast.status }).toEqual({ state, path, status: state === 'valid session' ? 200 : 401 });
        expect(fast.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(fast.headers['cache-control']).toBe('no-store');
        expect(fast.headers['referrer-policy']).toBe('no-referrer');
      }
    }
    // One 'viewed' event per session and variant, whichever path served the reading.
    expect((await events(jeanne.id, 'viewed')).map((e) => e.details.variant).sort()).toEqual(['falc', 'large-print']);
  });

  it('the fast path answers every state itself (it does not only fall through to the routes)', async () => {
    const jeanne = await createRequest('Jeanne');
    const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
    // The fast path alone in front of an application that would betray any fall-through.
    const solo = express();
    solo.use((_req, res) => void res.status(599).end());
    const server = createServer(
      portalFastPath({
        express: solo,
        pages: apps[0].get(PortalPages),
        requestLog: (_req, _res, next) => next(),
        cookies: cookieParser() as unknown as NodeMiddleware,
        securityHeaders: (path) => securityHeaderList('http://127.0.0.1', path),
      }),
    );
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/portail', '/portail/document']) {
        expect((await fetch(base + path, { headers: { cookie } })).status).toBe(200);
        expect((await fetch(base + path)).status).toBe(401);
      }
      expect((await fetch(`${base}/portail/telecharger/pdf/standard`, { headers: { cookie } })).status).toBe(599);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  describe('a page kept by a process is never stale: the next read after a change shows it, identically on both paths', () => {
    /** Both paths (the api's fast path, and the routes of another api instance: this process), compared; the fast path's answer. */
    const both = async (cookie: string, path: string): Promise<Answer> => {
      const fast = await answer(await fetch(h.base + path, { headers: { cookie }, redirect: 'manual' }));
      const route = await answer(await fetch(routesBase + path, { headers: { cookie }, redirect: 'manual' }));
      expect({ path, ...route }).toEqual({ path, ...fast });
      return fast;
    };
    /** Each page read twice on both paths: each process keeps its context and rendered pages. */
    const keptIn = async (cookie: string) => {
      for (let i = 0; i < 2; i++) for (const path of ['/portail', '/portail/document']) expect({ path, status: (await both(cookie, path)).status }).toEqual({ path, status: 200 });
    };
    const expectEnded = async (cookie: string) => {
      for (const path of ['/portail', '/portail/document', '/portail/document?version=falc']) expect({ path, status: (await both(cookie, path)).status }).toEqual({ path, status: 401 });
    };
    const statusOf = async (requestId: string) => ((await (await (await staff())(`/api/signature-requests/${requestId}`)).json()) as { status: string }).status;

    it('a signature made through another api instance, then the session ended in the database by another instance', async () => {
      const jeanne = await createRequest('Jeanne');
      const resident = jeanne.signers.find((s) => s.role === 'resident')!;
      const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
      await keptIn(cookie);
      expect((await both(cookie, '/portail')).body).not.toContain('Vous avez signé');
      // Signed on the routes' instance (this process): the api's kept pages are of the pending signer.
      const p = new PortalClient(routesBase);
      (p as unknown as { cookie: string }).cookie = cookie;
      await p.get('/portail/signer');
      expect((await p.sign({ consent: 'oui', typedName: 'Jeanne Martin' })).status).toBe(303);
      const landing = await both(cookie, '/portail');
      expect(landing.status).toBe(200);
      expect(landing.body).toContain('Vous avez signé le');
      // Ended by another instance (a revocation it made): no read is served from what was kept.
      await h.ds.query(`UPDATE portal_sessions SET expires_at = now() WHERE signer_id = $1`, [resident.id]);
      await expectEnded(cookie);
    });

    it('a link revoked by staff (in-person again): the session it opened ends at the next read, without a form in between', async () => {
      const jeanne = await createRequest('Jeanne');
      const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
      await keptIn(cookie);
      await inPersonToken(jeanne, 'resident');
      await expectEnded(cookie);
    });

    it('the request expired by the worker: its sessions end at the next read', async () => {
      const jeanne = await createRequest('Jeanne');
      const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
      await h.ds.query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [jeanne.id]);
      // Kept after the deadline moved: only the worker's expiry changes the state from here.
      await keptIn(cookie);
      await h.ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = 'signing.expire' AND payload->>'requestId' = $1 AND done_at IS NULL`, [jeanne.id]);
      await waitUntil('expiry by the worker', async () => (await statusOf(jeanne.id)) === 'expired', 30000);
      await expectEnded(cookie);
    });

    it('staff require an access code after the pages were kept: the next reading leads to the code form', async () => {
      const jeanne = await createRequest('Jeanne');
      const resident = jeanne.signers.find((s) => s.role === 'resident')!;
      const cookie = await openSession(h.base, await inPersonToken(jeanne, 'resident'));
      await keptIn(cookie);
      // The signer row changes as staff's access-code issue changes it (another instance: the database directly).
      await h.ds.query(`UPDATE signature_signers SET access_code_required = true WHERE id = $1`, [resident.id]);
      const reading = await both(cookie, '/portail/document');
      expect({ status: reading.status, location: reading.headers.location }).toEqual({ status: 303, location: '/portail' });
      expect((await both(cookie, '/portail')).body).toContain('action="/portail/code"');
    });
  });

  it('TRUST_PROXY unset: a forged X-Forwarded-For is not recorded in the evidence and does not escape the rate limit', async () => {
    const sean = await createRequest('Seán');
    const forged = { 'X-Forwarded-For': '203.0.113.66' };
    const cookie = await openSession(h.base, await inPersonToken(sean, 'resident'), forged);
    expect((await fetch(`${h.base}/portail/document`, { headers: { cookie, ...forged } })).status).toBe(200);
    const p = new PortalClient(h.base);
    (p as unknown as { cookie: string }).cookie = cookie;
    await p.get('/portail/signer');
    const signed = await fetch(`${h.base}/portail/signer`, {
      method: 'POST',
      headers: { cookie, ...forged, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: p.csrf(), consent: 'oui', typedName: 'Seán O’Brien-Nuñez' }).toString(),
      redirect: 'manual',
    });
    expect(signed.status).toBe(303);
    for (const kind of ['link_opened', 'viewed', 'signed']) expect({ kind, ips: (await events(sean.id, kind)).map((e) => e.ip) }).toEqual({ kind, ips: ['127.0.0.1'] });
    const resident = sean.signers.find((s) => s.role === 'resident')!;
    expect(await h.ds.query(`SELECT ip FROM signature_signers WHERE id = $1`, [resident.id])).toEqual([{ ip: '127.0.0.1' }]);

    // Every request claims another address: they all count against the socket's.
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) statuses.push((await getFrom(`${h.base}/s/${'x'.repeat(43)}`, '127.0.0.21', { 'X-Forwarded-For': `198.51.100.${i}` })).status);
    expect(statuses).toEqual([...Array(30).fill(404), 429, 429, 429]);
    expect((await getFrom(`${h.base}/s/${'x'.repeat(43)}`, '127.0.0.22', { 'X-Forwarded-For': '198.51.100.1' })).status).toBe(404);
  });

  it('TRUST_PROXY=1: the client named by the one trusted proxy is recorded and rate-limited', async () => {
    const jeanne = await createRequest('Jeanne');
    // The client forged the first entry; the proxy appended the address it saw.
    const viaProxy = { 'X-Forwarded-For': '203.0.113.66, 192.0.2.44' };
    const cookie = await openSession(proxiedBase, await inPersonToken(jeanne, 'resident'), viaProxy);
    expect((await fetch(`${proxiedBase}/portail/document`, { headers: { cookie, ...viaProxy } })).status).toBe(200);
    expect((await events(jeanne.id, 'link_opened')).map((e) => e.ip)).toEqual(['192.0.2.44']);
    expect((await events(jeanne.id, 'viewed')).map((e) => e.ip)).toEqual(['192.0.2.44']);

    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) statuses.push((await getFrom(`${proxiedBase}/s/${'y'.repeat(43)}`, '127.0.0.31', { 'X-Forwarded-For': `10.0.0.${i}, 192.0.2.45` })).status);
    expect(statuses).toEqual([...Array(30).fill(404), 429, 429, 429]);
    // Same proxy (same socket address), another client: its own budget.
    expect((await getFrom(`${proxiedBase}/s/${'y'.repeat(43)}`, '127.0.0.31', { 'X-Forwarded-For': '192.0.2.46' })).status).toBe(404);
  });

  it('access code required: only the code form is reachable until it is given; then a recorded view stays correctable until the signature', async () => {
    // Tutelle: the tuteur records Lucie's view (C. civ. 459-2) and signs.
    const lucie = await createRequest('Lucie');
    const tuteur = lucie.signers.find((s) => s.name.startsWith('Alain'))!;
    const issued = (await (await (await staff())(`/api/signature-requests/${lucie.id}/signers/${tuteur.id}/access-code`, { method: 'POST' })).json()) as { code: string };
    // Earlier requests may have written to the tuteur too: the link of this request is the one whose row names it.
    let token = '';
    await waitUntil('the tuteur’s link', async () => {
      for (const link of h.mailsTo('alain.bernard@example.org').flatMap((m) => PortalClient.linksIn(m.text, h.base))) {
        const t = link.split('/s/')[1];
        const [row] = (await h.ds.query(`SELECT request_id FROM signing_links WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [t])) as { request_id: string }[];
        if (row?.request_id === lucie.id) token = t;
      }
      return token !== '';
    }, 30000);
    const cookie = await openSession(h.base, token);

    for (const base of [h.base, routesBase]) {
      const p = new PortalClient(base);
      (p as unknown as { cookie: string }).cookie = cookie;
      const landing = await p.get('/portail');
      expect(landing.status).toBe(200);
      expect(p.lastHtml).toContain('action="/portail/code"');
      for (const hidden of ['/portail/document', '/portail/avis', '/portail/question', '/portail/signer', '/portail/refuser']) expect({ base, hidden, shown: p.lastHtml.includes(hidden) }).toEqual({ base, hidden, shown: false });
      for (const path of ['/portail/document', '/portail/document?version=falc', '/portail/telecharger/pdf/standard', '/portail/telecharger/docx/falc']) {
        const res = await p.get(path);
        expect({ base, path, status: res.status, location: res.headers.get('location') }).toEqual({ base, path, status: 303, location: '/portail' });
      }
      await p.get('/portail');
      const viewKey = 'x';
      for (const [path, fields] of [
        ['/portail/avis', { viewKey, expression: 'accord' }],
        ['/portail/question', { message: 'Puis-je lire avant ?' }],
        // Even a signature form with errors is refused for the code first.
        ['/portail/signer', { typedName: '' }],
        ['/portail/refuser', { reason: 'Non.' }],
      ] as const) {
        const res = await p.post(path, { ...fields } as Record<string, string>);
        expect({ base, path, status: res.status }).toEqual({ base, path, status: 403 });
        expect(p.lastHtml).toContain('Saisissez d’abord le code');
        expect(p.lastHtml).toContain('action="/portail/code"');
      }
    }
    expect(await events(lucie.id, 'viewed')).toEqual([]);
    expect(await events(lucie.id, 'downloaded')).toEqual([]);
    expect(await h.ds.query(`SELECT id FROM recorded_views WHERE request_id = $1`, [lucie.id])).toEqual([]);
    expect(await h.ds.query(`SELECT id FROM signer_questions WHERE request_id = $1`, [lucie.id])).toEqual([]);

    const p = new PortalClient(h.base);
    (p as unknown as { cookie: string }).cookie = cookie;
    expect((await p.post('/portail/code', { code: issued.code })).status).toBe(303);
    expect((await p.get('/portail/document')).status).toBe(200);
    expect((await p.get('/portail/telecharger/pdf/standard')).status).toBe(200);
    expect((await p.post('/portail/question', { message: 'Une question.' })).status).toBe(303);
    await p.get('/portail/avis');
    const viewKey = /name="viewKey" value="([^"]+)"/.exec(p.lastHtml)![1];
    expect((await p.post('/portail/avis', { viewKey, expression: 'desaccord', comment: 'Il préfère attendre.' })).status).toBe(303);

    // Corrected before signing: the row changes, a new event says from what to what, in the audit chain too.
    await p.get('/portail/avis');
    expect(p.lastHtml).toContain('Corriger l’avis');
    expect(p.lastHtml).toMatch(/value="desaccord" checked/);
    expect((await p.post('/portail/avis', { viewKey, expression: 'accord_partiel', comment: 'Accord sur le logement.' })).status).toBe(303);
    expect(await h.ds.query(`SELECT expression, comment FROM recorded_views WHERE request_id = $1`, [lucie.id])).toEqual([{ expression: 'accord_partiel', comment: 'Accord sur le logement.' }]);
    expect((await events(lucie.id, 'view_recorded')).map((e) => e.details.expression)).toEqual(['desaccord']);
    expect((await events(lucie.id, 'view_corrected')).map((e) => e.details)).toEqual([{ viewKey, expression: 'accord_partiel', previousExpression: 'desaccord' }]);
    expect(await h.ds.query(`SELECT payload->>'previousExpression' AS previous FROM audit_events WHERE action = 'signature.view_corrected' AND subject_id = $1`, [lucie.id])).toEqual([
      { previous: 'desaccord' },
    ]);

    await p.get('/portail/signer');
    const csrf = p.csrf();
    const signed = await p.post('/portail/signer', { consent: 'oui', typedName: 'Alain Bernard' });
    expect({ status: signed.status, page: signed.status === 303 ? 'ok' : p.lastHtml.slice(0, 3000) }).toEqual({ status: 303, page: 'ok' });
    // Signed: the view is fixed (409; 401 once the request closes and its links' sessions end).
    const late = await p.post('/portail/avis', { viewKey, expression: 'accord', _csrf: csrf });
    expect([401, 409]).toContain(late.status);
    expect(await h.ds.query(`SELECT expression FROM recorded_views WHERE request_id = $1`, [lucie.id])).toEqual([{ expression: 'accord_partiel' }]);
    expect(await events(lucie.id, 'view_corrected')).toHaveLength(1);
  });
});
