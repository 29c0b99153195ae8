import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { PortalClient, contractData, launchChromium, waitUntil } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

/** The links of an e-mail's text on the product's address. */
const linksOn = (text: string, base: string): string[] => [...new Set(text.match(new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^\\s<>"]*`, 'g')) ?? [])];

/**
 * Issue 4 §9: reminders and expiry are delayed jobs through the outbox. Time is moved forward by
 * making the delayed outbox rows due now (the relay enqueues rows whose `available_at` has passed).
 */
describe('reminders and expiry', () => {
  let h: SigningHarness;
  beforeAll(async () => {
    h = await startSigningHarness();
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const due = async (requestId: string, jobName: string) => {
    await h.ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = $1 AND payload->>'requestId' = $2`, [jobName, requestId]);
  };

  it('a reminder brings a fresh link (the previous one stops working); expiry closes the request and tells staff', async () => {
    const docId = await h.document('Seán', 'contrat-sejour', contractData({ objectives: ['Accompagner M. O’Brien-Nuñez dans ses sorties.'] }));
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', reminderDays: [3] }) })).json()) as {
      id: string;
      deadline: string;
    };
    const [invitation] = await h.waitForMail('sean.obrien@example.org', 1);
    expect(invitation.subject).toContain('contrat de séjour');
    expect(invitation.text).toContain("Seán O'Brien-Nuñez");
    const first = PortalClient.linksIn(invitation.text, h.base)[0];

    await due(created.id, 'signing.remind');
    const mails = await h.waitForMail('sean.obrien@example.org', 2);
    const reminder = mails.find((m) => m.id !== invitation.id)!;
    expect(reminder.subject).toMatch(/rappel|relance/i);
    const second = PortalClient.linksIn(reminder.text, h.base)[0];
    expect(second).not.toBe(first);
    expect((await new PortalClient(h.base).open(first)).status).toBe(404);
    expect((await new PortalClient(h.base).open(second)).status).toBe(303);

    // The deadline passes.
    await h.ds.query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [created.id]);
    await due(created.id, 'signing.expire');
    await waitUntil('expiry', async () => ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as { status: string }).status === 'expired');
    expect((await new PortalClient(h.base).open(second)).status).toBe(404);
    const doc = (await (await staff(`/api/documents/${docId}`)).json()) as { status: string };
    expect(doc.status).toBe('ready');
    const [expiredMail] = await h.waitForMail('direction@les-tilleuls.example', 1, /expir/i);
    // Staff e-mails open the document's page in the console at the request, never the JSON API.
    expect(linksOn(expiredMail.text, h.base)).toEqual([`${h.base}/console/documents/${docId}?section=demande-${created.id}#demande-${created.id}`]);
    expect(expiredMail.text).not.toContain('/api/');
    const events = ((await (await staff(`/api/signature-requests/${created.id}`)).json()) as { events: { kind: string }[] }).events.map((e) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['created', 'email_sent', 'reminder', 'link_opened', 'expired']));
    const audit = ((await h.ds.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [created.id])) as { action: string }[]).map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['signature.created', 'signature.email_sent', 'signature.reminder', 'signature.expired']));
  });

  it('a question reaches staff and stays listed until answered', async () => {
    const docId = await h.document('Marcel', 'contrat-sejour');
    const staff = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as { id: string };
    const [mail] = await h.waitForMail('marcel.dupont@example.org', 1);
    const p = new PortalClient(h.base);
    await p.open(PortalClient.linksIn(mail.text, h.base)[0]);
    await p.get('/portail');
    expect((await p.post('/portail/question', { message: '' })).status).toBe(400);
    expect((await p.post('/portail/question', { message: 'Puis-je garder mon fauteuil ?' })).status).toBe(303);
    const inbox = (await (await staff('/api/signature-inbox')).json()) as { questions: { id: string; message: string; request_id: string }[] };
    const q = inbox.questions.find((x) => x.request_id === created.id)!;
    expect(q.message).toBe('Puis-je garder mon fauteuil ?');
    const [question] = await h.waitForMail('direction@les-tilleuls.example', 1, /question/i);
    // « Lire la question et répondre » opens the document's page in the console at the request's
    // questions (was the JSON of GET /api/signature-requests/:id), in the text and in the HTML. The
    // section is in the query too: a browser never sends the fragment, so only the query survives
    // the way through the login page.
    const path = `/console/documents/${docId}`;
    const section = `questions-${created.id}`;
    const link = `${h.base}${path}?section=${section}#${section}`;
    expect(linksOn(question.text, h.base)).toEqual([link]);
    expect(question.text).not.toContain('/api/');
    expect(question.html).toContain(`href="${link}"`);
    expect(question.html).not.toContain('/api/');

    // Logged out, the link leads to the login page, which leads back to the document's page at the
    // questions: the login's redirect turns `?section=` into the fragment (before: the page's top).
    const anonymous = await fetch(link, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/connexion?suite=${encodeURIComponent(`${path}?section=${section}`)}`);
    const loginPage = await fetch(h.base + anonymous.headers.get('location'), { redirect: 'manual' });
    expect(loginPage.status).toBe(200);
    const loginHtml = await loginPage.text();
    expect(loginHtml).toContain(`name="suite" value="${path}?section=${section}"`);
    const csrfCookie = loginPage.headers.getSetCookie().find((c) => c.startsWith('carepact_login_csrf='))!.split(';')[0];
    const login = (suite: string) =>
      fetch(`${h.base}/connexion`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrfCookie },
        body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(loginHtml)![1], email: 'direction@les-tilleuls.example', password: DEFAULT_DEMO_PASSWORD, suite }).toString(),
      });
    const loggedIn = await login(`${path}?section=${section}`);
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get('location')).toBe(`${path}#${section}`);
    // Never another site, nor a section that is not a heading's id.
    expect((await login('https://evil.example/console')).headers.get('location')).toBe('/console');
    expect((await login(`${path}?section=%22%3E%3Cscript%3E`)).headers.get('location')).toBe(path);
    const session = loggedIn.headers.getSetCookie().find((c) => c.startsWith('carepact_session='))!.split(';')[0];
    const page = await fetch(h.base + path, { headers: { Cookie: session } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // The fragment names the questions' heading on that page.
    expect(await page.text()).toContain(`id="${section}"`);
    // Logged in, the e-mail's link itself opens the page (the browser then goes to its fragment).
    expect((await fetch(link, { headers: { Cookie: session }, redirect: 'manual' })).status).toBe(200);

    // The same in a browser, logged out: the e-mail's link, the login form, and the questions' heading is the page's target.
    const browser = await launchChromium();
    try {
      const tab = await (await browser.newContext()).newPage();
      await tab.goto(link);
      expect(new URL(tab.url()).pathname).toBe('/connexion');
      await tab.fill('input[name="email"]', 'direction@les-tilleuls.example');
      await tab.fill('input[name="password"]', DEFAULT_DEMO_PASSWORD);
      await Promise.all([tab.waitForURL(`${h.base}${path}#${section}`), tab.click('button[type="submit"]')]);
      expect(tab.url()).toBe(`${h.base}${path}#${section}`);
      expect(await tab.evaluate(() => document.querySelector(':target')?.id)).toBe(section);
    } finally {
      await browser.close();
    }

    const answered = await staff(`/api/signature-requests/${created.id}/questions/${q.id}/answer`, { method: 'POST', body: JSON.stringify({ answer: 'Oui, bien sûr.' }) });
    expect(answered.status).toBe(204);
    const after = (await (await staff('/api/signature-inbox')).json()) as { questions: { id: string }[] };
    expect(after.questions.map((x) => x.id)).not.toContain(q.id);
  });
});
