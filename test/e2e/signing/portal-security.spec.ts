import { randomBytes } from 'node:crypto';
import { ReceivedMail } from '@carepact/notifications';
import { PortalClient, SigningHarness, getFrom, startSigningHarness, waitUntil, countersignFetch } from '@carepact/testing';

/**
 * Issue 4, "Security", with the api and the worker as real child processes (LOG_LEVEL=info, so
 * their output is what production would log), a fresh seeded PostgreSQL database, Redis and a real
 * SMTP server: links are never consumed by a GET, concurrent POSTs sign once and seal once, resent
 * links revoke the old ones, every dead link looks the same (a used link reopens read-only, issue
 * 13), forms need their CSRF token, the portal's headers, the link rate limit, and no token in any
 * log line. The harness is libs/testing's startSigningHarness (issue 9, item 7).
 */

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; status: string; delivery: string }[];
}

/** The invitations and reminders (not the completion mail). */
const INVITATION = /signer|signature/i;

/** Everything secret the test saw: none of it may appear in the api's or the worker's output. */
const secrets = new Set<string>();

function cookieValue(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const value = /^[^=]+=([^;]*)/.exec(set)?.[1] ?? '';
  if (value) secrets.add(value);
  return value;
}

function headersOf(res: Response, except: string[] = ['date', 'etag']): Record<string, string> {
  return Object.fromEntries([...res.headers.entries()].filter(([k]) => !except.includes(k)).sort(([a], [b]) => a.localeCompare(b)));
}

function expectPortalHeaders(res: Response): void {
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('signing portal security (real processes, PostgreSQL, Redis, SMTP)', () => {
  let h: SigningHarness;
  let marcel: RequestView;
  let marcelResidentLink: string;
  let seanOldLink: string;
  let seanNewLink: string;

  beforeAll(async () => {
    h = await startSigningHarness({ logLevel: 'info' });
  }, 180000);
  afterAll(async () => {
    await h?.close();
  });

  const createRequest = async (documentId: string, body: object = {}): Promise<RequestView> => {
    const staff = await h.staff('admissions@les-tilleuls.example');
    const res = await staff(`/api/documents/${documentId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', ...body }) });
    if (res.status !== 201) throw new Error(`signature request: ${res.status} ${await res.text()}`);
    return (await res.json()) as RequestView;
  };
  const linkIn = (mail: ReceivedMail): string => {
    const links = PortalClient.linksIn(mail.text, h.base);
    expect(links).toHaveLength(1);
    secrets.add(links[0].split('/s/')[1]);
    return links[0];
  };
  const signerStatus = async (signerId: string) => (await h.sql<{ status: string }>(`SELECT status FROM signature_signers WHERE id = $1`, [signerId]))[0].status;
  const events = async (requestId: string, kind: string, signerId?: string) =>
    (
      await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = $2 AND ($3::uuid IS NULL OR signer_id = $3)`, [
        requestId,
        kind,
        signerId ?? null,
      ])
    )[0].n;
  /** A portal client whose session cookie and CSRF tokens are remembered as secrets. */
  const session = async (link: string): Promise<PortalClient> => {
    const p = new PortalClient(h.base);
    const opened = await p.open(link);
    expect(opened.status).toBe(303);
    const cookie = decodeURIComponent(cookieValue(opened));
    secrets.add(cookie);
    // The session's CSRF token, from a page with a form (the landing has none since issue 13). A
    // read-only session (the signer answered) has no form left, not even the question's: its token
    // is read from the database, so that a forged form can still be posted with it.
    expect((await p.get('/portail/question')).status).toBe(200);
    if (!p.lastHtml.includes('name="_csrf"'))
      (p as unknown as { token: string }).token = (
        await h.sql<{ csrf: string }>(`SELECT csrf_token AS csrf FROM portal_sessions WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [cookie])
      )[0].csrf;
    secrets.add(p.csrf());
    expect((await p.get('/portail')).status).toBe(200);
    return p;
  };

  it('HEAD and three GETs of a link consume nothing: the link still opens, the signer is still pending, nothing is signed', async () => {
    marcel = await createRequest(await h.document('Marcel', 'contrat-sejour'));
    const resident = marcel.signers.find((s) => s.role === 'resident')!;
    marcelResidentLink = linkIn((await h.waitForMail('marcel.dupont@example.org', 1, INVITATION))[0]);

    const head = await fetch(marcelResidentLink, { method: 'HEAD', redirect: 'manual' });
    expect([200, 303]).toContain(head.status);
    cookieValue(head);
    for (let i = 0; i < 3; i++) {
      const get = await fetch(marcelResidentLink, { redirect: 'manual' });
      expect(get.status).toBe(303);
      expect(get.headers.get('location')).toBe('/portail');
      expectPortalHeaders(get);
      const set = get.headers.get('set-cookie') ?? '';
      expect(set).toMatch(/^__Host-carepact_portal=/);
      expect(set).toMatch(/HttpOnly/i);
      expect(set).toMatch(/Secure/i);
      expect(set).toMatch(/SameSite=Strict/i);
      expect(set).toMatch(/Path=\//);
      expect(set).not.toMatch(/Domain=/i);
      cookieValue(get);
    }

    expect(await signerStatus(resident.id)).toBe('pending');
    expect(await events(marcel.id, 'signed')).toBe(0);
    expect(await events(marcel.id, 'link_opened', resident.id)).toBe(4);
    const [link] = await h.sql<{ used_at: Date | null; revoked_at: Date | null }>(`SELECT used_at, revoked_at FROM signing_links WHERE signer_id = $1`, [resident.id]);
    expect(link).toEqual({ used_at: null, revoked_at: null });
    // …and it still opens afterwards, on the landing whose one action is reading.
    const p = await session(marcelResidentLink);
    expect(p.lastHtml).toContain('href="/portail/document">Lire le document</a>');
  });

  it('portal pages carry Cache-Control: no-store, Referrer-Policy: no-referrer and a strict CSP with frame-ancestors none', async () => {
    const p = await session(marcelResidentLink);
    for (const path of ['/portail', '/portail/document', '/portail/document?version=falc', '/portail/document?version=large-print', '/portail/signer', '/portail/refuser', '/portail/question']) {
      const res = await p.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expectPortalHeaders(res);
    }
    const pdf = await p.get('/portail/telecharger/pdf/standard');
    expect(pdf.status).toBe(200);
    expectPortalHeaders(pdf);
    const noSession = await fetch(`${h.base}/portail`);
    expect(noSession.status).toBe(401);
    expectPortalHeaders(noSession);
    const dead = await fetch(`${h.base}/s/${randomBytes(32).toString('base64url')}`, { redirect: 'manual' });
    expect(dead.status).toBe(404);
    expectPortalHeaders(dead);
  });

  it('a POST without a CSRF token, or with a wrong one, is refused (403) and records nothing', async () => {
    const resident = marcel.signers.find((s) => s.role === 'resident')!;
    const p = await session(marcelResidentLink);
    const before = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1`, [marcel.id]);
    const attempts: [string, Record<string, string>][] = [
      ['/portail/signer', { consent: 'oui', typedName: 'Marcel Dupont' }],
      ['/portail/refuser', { reason: 'non' }],
      ['/portail/question', { message: 'Une question ?' }],
      ['/portail/avis', { viewKey: 'x', expression: 'accord' }],
      ['/portail/code', { code: '123456' }],
    ];
    for (const [path, fields] of attempts) {
      const without = await p.post(path, fields, false);
      expect({ path, status: without.status }).toEqual({ path, status: 403 });
      expectPortalHeaders(without);
      expect(p.lastHtml).toContain('Formulaire expiré');
      const wrong = await p.post(path, { ...fields, _csrf: randomBytes(24).toString('base64url') }, false);
      expect({ path, status: wrong.status }).toEqual({ path, status: 403 });
      const empty = await p.post(path, { ...fields, _csrf: '' }, false);
      expect({ path, status: empty.status }).toEqual({ path, status: 403 });
    }
    // Another session's token is no good either.
    const other = await session(marcelResidentLink);
    const foreign = await p.post('/portail/signer', { consent: 'oui', typedName: 'Marcel Dupont', _csrf: other.csrf() }, false);
    expect(foreign.status).toBe(403);

    expect(await signerStatus(resident.id)).toBe('pending');
    const after = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1`, [marcel.id]);
    expect(after[0].n).toBe(before[0].n + 1); // only the second session's link_opened
    expect(await h.sql(`SELECT id FROM signer_questions WHERE request_id = $1`, [marcel.id])).toEqual([]);
    expect(await h.sql(`SELECT id FROM recorded_views WHERE request_id = $1`, [marcel.id])).toEqual([]);
  });

  it('50 concurrent sign POSTs in one session give exactly one signature; 10 concurrent countersignatures give one; one seal', async () => {
    const resident = marcel.signers.find((s) => s.role === 'resident')!;
    const p = await session(marcelResidentLink);
    // Signing is accepted once the document was opened (issue 13, item 3).
    expect((await p.get('/portail/document')).status).toBe(200);
    expect((await p.get('/portail/signer')).status).toBe(200);
    const csrf = p.csrf();
    const cookie = (p as unknown as { cookie: string }).cookie;
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await fetch(`${h.base}/portail/signer`, {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, consent: 'oui', typedName: 'Marcel Dupont' }).toString(),
          redirect: 'manual',
        });
        return { status: res.status, html: await res.text(), location: res.headers.get('location') };
      }),
    );
    const statuses = results.map((r) => r.status).sort();
    // The one that signs is redirected to its recap (POST → 303 → GET, issue 13 item 5).
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.status === 409)) expect(r.html).toContain('déjà enregistrée');
    expect(results.find((r) => r.status === 303)!.location).toBe('/portail/recapitulatif');
    expect((await p.get('/portail/recapitulatif')).status).toBe(200);
    expect(p.lastHtml).toContain('votre signature est enregistrée');
    expect(await events(marcel.id, 'signed', resident.id)).toBe(1);
    expect(await signerStatus(resident.id)).toBe('signed');

    const curateur = await session(linkIn((await h.waitForMail('k.benaissa@udaf-val.example', 1, INVITATION))[0]));
    await curateur.get('/portail/document');
    expect((await curateur.post('/portail/signer', { consent: 'oui', typedName: 'Karim Benaïssa' })).status).toBe(303);

    const director = await h.staff('direction@les-tilleuls.example');
    const countersigned = await Promise.all(Array.from({ length: 10 }, async () => (await countersignFetch(director, marcel.id)).status));
    expect(countersigned.filter((s) => s === 200)).toHaveLength(1);
    expect(countersigned.filter((s) => s === 409)).toHaveLength(9);
    expect(await events(marcel.id, 'countersigned')).toBe(1);

    await waitUntil('the seal', async () => (await h.sql<{ status: string }>(`SELECT status FROM signature_requests WHERE id = $1`, [marcel.id]))[0].status === 'completed', 60000);
    // Give a duplicate seal job every chance to run before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sealed_documents WHERE request_id = $1`, [marcel.id]))[0].n).toBe(1);
    expect((await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'signing.seal' AND payload->>'requestId' = $1`, [marcel.id]))[0].n).toBe(1);
    expect(await events(marcel.id, 'sealed')).toBe(1);
  });

  it('a resent link revokes the previous one: the old link gives 404, the new one works', async () => {
    const sean = await createRequest(await h.document('Seán', 'contrat-sejour'));
    const signer = sean.signers.find((s) => s.role === 'resident')!;
    seanOldLink = linkIn((await h.waitForMail('sean.obrien@example.org', 1, INVITATION))[0]);
    expect((await fetch(seanOldLink, { redirect: 'manual' })).status).toBe(303);
    const staff = await h.staff('admissions@les-tilleuls.example');
    const resent = await staff(`/api/signature-requests/${sean.id}/signers/${signer.id}/resend`, { method: 'POST', body: '{}' });
    expect(resent.status).toBeLessThan(300);
    seanNewLink = linkIn((await h.waitForMail('sean.obrien@example.org', 2, INVITATION)).find((m) => !m.text.includes(seanOldLink))!);
    expect(seanNewLink).not.toBe(seanOldLink);
    expect((await fetch(seanOldLink, { redirect: 'manual' })).status).toBe(404);
    const p = await session(seanNewLink);
    expect(p.lastHtml).toContain('Seán');
    expect(await events(sean.id, 'revoked', signer.id)).toBe(1);
  });

  it('only the canonical /s/<token> opens a link: another case, percent-encoding or a trailing slash give the unknown link’s 404', async () => {
    const token = seanNewLink.split('/s/')[1];
    const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    secrets.add(encoded);
    const [sean] = await h.sql<{ request_id: string }>(`SELECT request_id FROM signing_links WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [token]);
    const opened = () => events(sean.request_id, 'link_opened');
    const before = await opened();
    // From their own address: the link rate limit of the other tests' client is not spent here.
    const from = '127.0.0.41';
    const strip = (a: { status: number; headers: Record<string, string>; body: string }) => ({ status: a.status, body: a.body, headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => k !== 'date')) });
    const unknown = strip(await getFrom(`${h.base}/s/${randomBytes(32).toString('base64url')}`, from));
    expect(unknown.status).toBe(404);
    for (const path of [`/S/${token}`, `/s/${encoded}`, `/s/${token.slice(0, 10)}%${token.charCodeAt(10).toString(16)}${token.slice(11)}`, `/s/${token}/`, `/s/${token}%20`, `/s/${token}/x`, `/S/${encoded}`]) {
      expect({ path: path.slice(0, 3), ...strip(await getFrom(h.base + path, from)) }).toEqual({ path: path.slice(0, 3), ...unknown });
    }
    expect(await opened()).toBe(before);
    expect((await getFrom(`${h.base}/s/${token}?utm_source=mail`, from)).status).toBe(303);
    expect(await opened()).toBe(before + 1);
    // Every one of them is logged, its token masked.
    await new Promise((r) => setTimeout(r, 300));
    const urls = h.api
      .output()
      .split('\n')
      .filter((l) => l.includes('"statusCode":404') || l.includes('"statusCode":303'))
      .map((l) => /"url":"([^"]*)"/.exec(l)?.[1]);
    for (const url of ['/S/[jeton]', '/s/[jeton]', '/s/[jeton]/', '/s/[jeton]/x', '/s/[jeton]?utm_source=mail']) expect(urls).toContain(url);
  });

  it('a link used to sign reopens read-only: « Vous avez signé le … à … » and the signed document; it signs nothing again (issue 13, item 4)', async () => {
    const resident = marcel.signers.find((s) => s.role === 'resident')!;
    const p = await session(marcelResidentLink);
    expect(p.lastHtml).toMatch(/<h1>Vous avez signé le \d{1,2}(er)? [a-zéû]+ \d{4} à \d{1,2} h \d{2}<\/h1>/);
    expect(p.lastHtml).toContain('href="/portail/document-signe.pdf"');
    expect(p.lastHtml).not.toContain('action="/portail/signer"');
    const pdf = await p.get('/portail/document-signe.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    // Read-only: the sign step leads back to the answer; a forged signature changes nothing.
    expect((await p.get('/portail/signer')).headers.get('location')).toBe('/portail');
    // No question either: the question page shows the questions sent, without its form.
    await p.get('/portail/question');
    expect(p.lastHtml).not.toContain('action="/portail/question"');
    const again = await p.post('/portail/signer', { consent: 'oui', typedName: 'Marcel Dupont' });
    expect(again.status).toBe(409);
    expect(await events(marcel.id, 'signed', resident.id)).toBe(1);
    const [opened] = await h.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM signature_events WHERE request_id = $1 AND signer_id = $2 AND kind = 'link_opened' ORDER BY at DESC LIMIT 1`,
      [marcel.id, resident.id],
    );
    expect(opened.details).toEqual({ purpose: 'sign', readOnly: true });
  });

  it('unknown, expired, revoked, and used-then-expired links all give the same 404: same status, same bytes, same headers', async () => {
    // Expired: the new link of the previous test, its expiry moved to the past; and Marcel's used link too.
    for (const link of [seanNewLink, marcelResidentLink])
      await h.sql(`UPDATE signing_links SET expires_at = now() - interval '1 minute' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [link.split('/s/')[1]]);
    const cases: Record<string, string> = {
      unknown: `${h.base}/s/${randomBytes(32).toString('base64url')}`,
      malformed: `${h.base}/s/not-a-token`,
      expired: seanNewLink,
      usedThenExpired: marcelResidentLink,
      revoked: seanOldLink,
    };
    const answers: Record<string, { status: number; body: string; headers: Record<string, string> }> = {};
    for (const [kind, url] of Object.entries(cases)) {
      const res = await fetch(url, { redirect: 'manual' });
      answers[kind] = { status: res.status, body: await res.text(), headers: headersOf(res) };
    }
    expect(answers.unknown.status).toBe(404);
    expect(answers.unknown.body).toContain('Ce lien n’est pas ou plus valable');
    expect(answers.unknown.headers['set-cookie']).toBeUndefined();
    for (const kind of Object.keys(cases)) expect({ kind, ...answers[kind] }).toEqual({ kind, ...answers.unknown });
  });

  it('more than 30 link opens per minute from one address are refused with 429; a forged X-Forwarded-For changes nothing (TRUST_PROXY unset)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      // Each request claims another client: without a trusted proxy the socket's address counts.
      const res = await getFrom(`${h.base}/s/${randomBytes(32).toString('base64url')}`, '127.0.0.7', { 'X-Forwarded-For': `198.51.100.${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      }
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(404));
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
    // Another address is not affected.
    expect((await getFrom(`${h.base}/s/${randomBytes(32).toString('base64url')}`, '127.0.0.8')).status).toBe(404);
  });

  it('no link token, session cookie or CSRF token appears in any log line; the request lines are logged with /s/[jeton]', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const out = h.api.output();
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(out).toMatch(/"url":"\/s\/\[jeton\]"/);
    expect(out).toContain('"url":"/portail/signer"');
    expect(secrets.size).toBeGreaterThan(10);
    const workerOut = h.worker.output();
    expect(workerOut.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(20);
      expect(out.includes(secret)).toBe(false);
      expect(workerOut.includes(secret)).toBe(false);
    }
  });
});
