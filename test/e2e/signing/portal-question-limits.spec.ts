import { request as httpRequest } from 'node:http';
import { PortalClient, waitUntil, countersignFetch } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; status: string; delivery: string }[];
  questions: { id: string; answer: string | null }[];
}

type Staff = (path: string, init?: RequestInit) => Promise<Response>;

/** A POST of the question form from a chosen loopback address (the rate limit counts the socket's address). */
function postFrom(url: string, localAddress: string, cookie: string, fields: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', localAddress, headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Security review, portal questions: a question is taken only while the signer may still answer (an
 * active request, a pending signer, a signing link's session — never a download link's), at most 5
 * wait for an answer per signer, POST /portail/question is rate-limited per address, staff are
 * e-mailed at most once per signer and hour, and every refusal writes nothing (no question, no
 * event, no job, no e-mail). Real api and worker processes, PostgreSQL, Redis and SMTP.
 */
describe('portal questions: closed requests, download sessions, cap and rate limit', () => {
  let h: SigningHarness;
  let staff: Staff;
  beforeAll(async () => {
    h = await startSigningHarness();
    staff = await h.staff('admissions@les-tilleuls.example');
  }, 180000);
  afterAll(async () => {
    await h?.close();
  });

  const SEAN = 'sean.obrien@example.org';
  const known = new Set<string>();
  const unknownMails = (address: string) => h.mailsTo(address).filter((m) => !known.has(m.id));
  const createRequest = async (): Promise<RequestView> => {
    const docId = await h.document('Seán', 'contrat-sejour');
    for (const m of h.mailbox.list()) known.add(m.id);
    const res = await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) });
    if (res.status !== 201) throw new Error(`signature request: ${res.status} ${await res.text()}`);
    return (await res.json()) as RequestView;
  };
  /** The link of the next mail to this address (since the request was created) whose subject matches. */
  const nextLink = async (address: string, subject: RegExp): Promise<string> => {
    const fresh = () => unknownMails(address).filter((m) => subject.test(m.subject));
    await waitUntil(`a new mail to ${address}`, async () => fresh().length > 0, 60000);
    const mail = fresh().at(-1)!;
    known.add(mail.id);
    const links = PortalClient.linksIn(mail.text, h.base);
    expect(links).toHaveLength(1);
    return links[0];
  };
  /** Opens the link: the portal client, its cookie ("name=value") and the session's CSRF token (read from the database: a closed page has no form). */
  const session = async (link: string) => {
    const p = new PortalClient(h.base);
    const opened = await p.open(link);
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const token = cookie.slice(cookie.indexOf('=') + 1);
    const [{ csrf }] = await h.sql<{ csrf: string }>(`SELECT csrf_token AS csrf FROM portal_sessions WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [token]);
    return { p, cookie, csrf };
  };
  const questions = async (requestId: string) => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM signer_questions WHERE request_id = $1`, [requestId]))[0].n;
  const questionEvents = async (requestId: string) =>
    (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'question'`, [requestId]))[0].n;
  const questionJobs = async (requestId: string) =>
    (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notify.staff' AND payload->>'requestId' = $1 AND payload->>'kind' = 'question'`, [requestId]))[0].n;
  const staffQuestionMails = () => [...h.mailsTo('direction@les-tilleuls.example'), ...h.mailsTo('admissions@les-tilleuls.example')].filter((m) => /^Question d’un signataire/.test(m.subject));
  const ask = (cookie: string, csrf: string, message: string, from: string) => postFrom(`${h.base}/portail/question`, from, cookie, { _csrf: csrf, message });

  it('a download session (the link of the completion e-mail, after the seal) cannot ask: 409, no form, nothing written', async () => {
    const r = await createRequest();
    const { p } = await session(await nextLink(SEAN, /signer|signature/i));
    expect((await p.sign({ consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(303);
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, r.id)).status).toBe(200);
    await waitUntil('the seal', async () => ((await (await staff(`/api/signature-requests/${r.id}`)).json()) as RequestView).status === 'completed', 90000);

    const download = await session(await nextLink(SEAN, /signé/i));
    expect(await h.sql(`SELECT l.purpose FROM portal_sessions s JOIN signing_links l ON l.id = s.link_id WHERE s.csrf_token = $1`, [download.csrf])).toEqual([{ purpose: 'download' }]);
    const mailsBefore = staffQuestionMails().length;
    const refused = await ask(download.cookie, download.csrf, 'Puis-je avoir une copie papier ?', '127.0.0.51');
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('Cette demande de signature est close : vous ne pouvez plus poser de question ici.');
    expect(refused.body).not.toContain('action="/portail/question"');
    // The page offers no form to begin with.
    expect((await download.p.get('/portail/question')).status).toBe(200);
    expect(download.p.lastHtml).not.toContain('action="/portail/question"');
    expect(download.p.lastHtml).toContain('vous ne pouvez plus poser de question ici');
    expect(await questions(r.id)).toBe(0);
    expect(await questionEvents(r.id)).toBe(0);
    expect(await questionJobs(r.id)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // what an enqueued job would have sent by now
    expect(staffQuestionMails().length).toBe(mailsBefore);
  }, 240000);

  it('the 6th unanswered question of a signer is refused (409 TOO_MANY_QUESTIONS: nothing written); staff are e-mailed once, not once per question; an answer frees a place', async () => {
    const r = await createRequest();
    const { p, cookie, csrf } = await session(await nextLink(SEAN, /signer|signature/i));
    const mailsBefore = staffQuestionMails().length;
    for (let i = 1; i <= 5; i++) expect({ i, status: (await ask(cookie, csrf, `Question numéro ${i} ?`, '127.0.0.52')).status }).toEqual({ i, status: 303 });
    expect(await questions(r.id)).toBe(5);

    const sixth = await ask(cookie, csrf, 'Une sixième question ?', '127.0.0.52');
    expect(sixth.status).toBe(409);
    expect(sixth.body).toContain('Vous avez déjà envoyé 5 questions qui attendent une réponse. L’établissement va répondre aux questions déjà envoyées');
    expect(sixth.body).not.toContain('action="/portail/question"');
    expect(await questions(r.id)).toBe(5);
    expect(await questionEvents(r.id)).toBe(5);
    // One notice per signer and clock hour (two if the questions straddled the hour).
    expect(await questionJobs(r.id)).toBeGreaterThanOrEqual(1);
    expect(await questionJobs(r.id)).toBeLessThanOrEqual(2);
    // The director and the author (admissions) each get that notice: 2 e-mails (4 across an hour), not 10.
    await waitUntil('the staff notice', async () => staffQuestionMails().length >= mailsBefore + 2, 30000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(staffQuestionMails().length - mailsBefore).toBeLessThanOrEqual(4);
    // The page says so, without the form.
    await p.get('/portail/question');
    expect(p.lastHtml).not.toContain('action="/portail/question"');
    expect(p.lastHtml).toContain('Vous avez déjà envoyé 5 questions qui attendent une réponse');

    // Staff answer one: the form is back and a question is taken again.
    const [first] = ((await (await staff(`/api/signature-requests/${r.id}`)).json()) as RequestView).questions;
    expect((await staff(`/api/signature-requests/${r.id}/questions/${first.id}/answer`, { method: 'POST', body: JSON.stringify({ answer: 'Oui.' }) })).status).toBe(204);
    // The answer's e-mail brings a fresh link (it revokes the previous one): its session may ask again.
    const again = await session(await nextLink(SEAN, /^Réponse à votre question/));
    await again.p.get('/portail/question');
    expect(again.p.lastHtml).toContain('action="/portail/question"');
    expect((await ask(again.cookie, again.csrf, 'Une sixième question ?', '127.0.0.52')).status).toBe(303);
    expect(await questions(r.id)).toBe(6);
  }, 180000);

  it('POST /portail/question is rate-limited per address: the 11th in a minute gets the 429 page and writes nothing; another address is not affected', async () => {
    const r = await createRequest();
    const { cookie, csrf } = await session(await nextLink(SEAN, /signer|signature/i));
    const statuses: number[] = [];
    // Empty questions (400, nothing written) up to the limit, then a real one.
    for (let i = 0; i < 10; i++) statuses.push((await ask(cookie, csrf, '', '127.0.0.53')).status);
    const limited = await ask(cookie, csrf, 'Une question au-delà de la limite ?', '127.0.0.53');
    expect(statuses).toEqual(Array(10).fill(400));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.body).toContain('Trop de tentatives');
    expect(await questions(r.id)).toBe(0);
    expect(await questionJobs(r.id)).toBe(0);
    expect((await ask(cookie, csrf, 'Depuis une autre adresse ?', '127.0.0.54')).status).toBe(303);
    expect(await questions(r.id)).toBe(1);
  }, 180000);

  it('after refusing (the request is refused), a question is refused with 409 and the page says why; no question, no event, no job, no staff e-mail', async () => {
    const r = await createRequest();
    const { p, cookie, csrf } = await session(await nextLink(SEAN, /signer|signature/i));
    await p.get('/portail/refuser');
    expect((await p.post('/portail/refuser', { reason: 'Je préfère attendre.' })).status).toBe(303);
    expect(((await (await staff(`/api/signature-requests/${r.id}`)).json()) as RequestView).status).toBe('refused');
    // The refusal's own e-mail reached staff: the worker is relaying the outbox.
    await waitUntil('the refusal e-mail', async () => h.mailsTo('direction@les-tilleuls.example').some((m) => !known.has(m.id) && /refus/i.test(m.subject)), 30000);
    const mailsBefore = staffQuestionMails().length;

    for (let i = 0; i < 3; i++) {
      const refused = await ask(cookie, csrf, `Pourquoi ? (${i})`, '127.0.0.55');
      expect({ i, status: refused.status }).toEqual({ i, status: 409 });
      expect(refused.body).toContain('Cette demande de signature est close : vous ne pouvez plus poser de question ici.');
      expect(refused.body).not.toContain('action="/portail/question"');
    }
    expect(await questions(r.id)).toBe(0);
    expect(await questionEvents(r.id)).toBe(0);
    expect(await questionJobs(r.id)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(staffQuestionMails().length).toBe(mailsBefore);
    // The page offers no form any more.
    await p.get('/portail/question');
    expect(p.lastHtml).not.toContain('action="/portail/question"');
    expect(p.lastHtml).toContain('Cette demande de signature est close : vous ne pouvez plus poser de question ici.');
  }, 180000);
});
