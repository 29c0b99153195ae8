import { Client } from 'pg';
import { OutboxService } from '@carepact/queue';
import { SigningJobsService } from '@carepact/signing';
import { PortalClient, waitUntil } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';
import { startWorker } from '../../../apps/worker/src/bootstrap';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; status: string; delivery: string }[];
  questions: { id: string; answer: string | null }[];
}

type Staff = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Issue 7, the signer's side: the access code's try limit holds (failures are committed, five
 * lock the code until staff issue a new one), revoking a link ends the sessions it opened (resend,
 * in-person, cancel, expiry, reminder), an invitation racing a cancel sends nothing, a witness
 * statement on a closed request is refused, a second answer to a question keeps the first, and
 * invisible characters in the typed name do not refuse a signature.
 */
describe('signer security (issue 7)', () => {
  let h: SigningHarness;
  let staff: Staff;
  beforeAll(async () => {
    h = await startSigningHarness();
    staff = await h.staff('admissions@les-tilleuls.example');
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await h.ds.query(text, params)) as T[];
  const createRequest = async (firstName: string, body: object = {}): Promise<RequestView> => {
    const docId = await h.document(firstName, 'contrat-sejour');
    for (const m of h.mailbox.list()) known.add(m.id);
    const res = await staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', ...body }) });
    if (res.status !== 201) throw new Error(`signature request: ${res.status} ${await res.text()}`);
    return (await res.json()) as RequestView;
  };
  const view = async (requestId: string) => (await (await staff(`/api/signature-requests/${requestId}`)).json()) as RequestView;
  /** Mails already taken by a test, or sent before its request was created. */
  const known = new Set<string>();
  const unknownMails = (address: string) => h.mailsTo(address).filter((m) => !known.has(m.id));
  /** The signing link of the next mail to this address (since the request was created). */
  const nextLink = async (address: string): Promise<string> => {
    await waitUntil(`a new mail to ${address}`, async () => unknownMails(address).length > 0, 30000);
    const mail = unknownMails(address).at(-1)!; // the oldest of the new ones (the list is newest first)
    known.add(mail.id);
    const links = PortalClient.linksIn(mail.text, h.base);
    expect(links).toHaveLength(1);
    return links[0];
  };
  const session = async (link: string): Promise<PortalClient> => {
    const p = new PortalClient(h.base);
    expect((await p.open(link)).status).toBe(303);
    await p.get('/portail/question'); // the session's CSRF token (303 to the code form when a code is due)
    expect((await p.get('/portail')).status).toBe(200);
    return p;
  };
  const events = async (requestId: string, kind: string) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = $2`, [requestId, kind]))[0].n;
  const signerStatus = async (signerId: string) => (await sql<{ status: string }>(`SELECT status FROM signature_signers WHERE id = $1`, [signerId]))[0].status;
  const due = (requestId: string, jobName: string) =>
    h.ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = $1 AND payload->>'requestId' = $2 AND done_at IS NULL`, [jobName, requestId]);

  /** A session whose link was revoked: it can neither sign nor read. */
  const expectEnded = async (p: PortalClient, signerId: string, name: string) => {
    const csrf = p.csrf();
    const signed = await p.post('/portail/signer', { _csrf: csrf, consent: 'oui', typedName: name });
    expect(signed.status).toBe(401);
    expect(await signerStatus(signerId)).toBe('pending');
    expect((await p.get('/portail')).status).toBe(401);
    expect((await p.get('/portail/document')).status).toBe(401);
  };

  describe('access code', () => {
    it('five wrong codes lock it (the right one is then refused) until staff issue a new code; every failure is in the evidence and the audit chain', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      const issue = async () => (await (await staff(`/api/signature-requests/${r.id}/signers/${sean.id}/access-code`, { method: 'POST' })).json()) as { code: string };
      const { code } = await issue();
      const wrong = code === '000000' ? '111111' : '000000';
      const left: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await p.post('/portail/code', { code: wrong });
        left.push(`${res.status} ${/Code incorrect[^<.]*|Trop d’essais/.exec(p.lastHtml)?.[0] ?? ''}`);
      }
      expect(left).toEqual([
        '400 Code incorrect',
        '400 Code incorrect',
        '400 Code incorrect',
        '400 Code incorrect',
        '400 Code incorrect',
        '403 Trop d’essais',
        '403 Trop d’essais',
      ]);
      expect(p.lastHtml).toContain('Demandez un nouveau code');
      // The right code no longer opens anything: the session cannot sign.
      expect((await p.post('/portail/code', { code })).status).toBe(403);
      expect((await p.post('/portail/signer', { consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(403);
      expect(await signerStatus(sean.id)).toBe('pending');
      expect((await sql<{ f: number }>(`SELECT access_code_failures AS f FROM signature_signers WHERE id = $1`, [sean.id]))[0].f).toBe(5);
      expect(await events(r.id, 'code_failed')).toBe(8);
      expect(await events(r.id, 'code_locked')).toBe(1);
      expect(await events(r.id, 'code_ok')).toBe(0);
      const audit = (await sql<{ action: string; n: number }>(`SELECT action, count(*)::int AS n FROM audit_events WHERE subject_id = $1 GROUP BY action`, [r.id])).reduce(
        (m, x) => ({ ...m, [x.action]: x.n }),
        {} as Record<string, number>,
      );
      expect(audit).toMatchObject({ 'signature.code_failed': 8, 'signature.code_locked': 1 });

      // Staff give a new code: the lock is lifted, the new code works and the signer signs.
      const second = await issue();
      expect((await p.post('/portail/code', { code: second.code })).status).toBe(303);
      await p.get('/portail');
      expect((await p.sign({ consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(303);
      expect(await signerStatus(sean.id)).toBe('signed');
      expect(await events(r.id, 'code_ok')).toBe(1);
    });
  });

  describe('a revoked link ends its sessions', () => {
    it('resend to a corrected address: the session opened with the old link cannot sign or read; the new link works', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const old = await session(await nextLink('sean.obrien@example.org'));
      const resent = await staff(`/api/signature-requests/${r.id}/signers/${sean.id}/resend`, { method: 'POST', body: JSON.stringify({ email: 'sean.nouvelle-adresse@example.org' }) });
      expect(resent.status).toBe(200);
      const fresh = await nextLink('sean.nouvelle-adresse@example.org');
      await expectEnded(old, sean.id, 'Seán O’Brien-Nuñez');
      const p = await session(fresh);
      expect((await p.sign({ consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(303);
    });

    it('in-person signing: the e-mail link’s session ends; the tablet’s session signs', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const mailed = await session(await nextLink('sean.obrien@example.org'));
      const opened = (await (await staff(`/api/signature-requests/${r.id}/signers/${sean.id}/in-person`, { method: 'POST' })).json()) as { url: string };
      await expectEnded(mailed, sean.id, 'Seán O’Brien-Nuñez');
      const tablet = await session(opened.url);
      expect((await tablet.sign({ consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(303);
    });

    it('cancel: the signer’s open session ends', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      expect((await staff(`/api/signature-requests/${r.id}/cancel`, { method: 'POST' })).status).toBe(200);
      await expectEnded(p, sean.id, 'Seán O’Brien-Nuñez');
    });

    it('expiry: the signer’s open session ends', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      await h.ds.query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [r.id]);
      await due(r.id, 'signing.expire');
      await waitUntil('expiry', async () => (await view(r.id)).status === 'expired');
      await expectEnded(p, sean.id, 'Seán O’Brien-Nuñez');
    });

    it('reminder: the session opened with the previous link ends; the reminder’s link works', async () => {
      const r = await createRequest('Seán', { reminderDays: [3] });
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      await due(r.id, 'signing.remind');
      const reminded = await nextLink('sean.obrien@example.org');
      await expectEnded(p, sean.id, 'Seán O’Brien-Nuñez');
      expect((await (await session(reminded)).sign({ consent: 'oui', typedName: 'Seán O’Brien-Nuñez' })).status).toBe(303);
    });
  });

  describe('closed requests', () => {
    it('an invitation racing a cancel sends no link', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      await nextLink('sean.obrien@example.org');
      await waitUntil('first invitation recorded', async () => (await events(r.id, 'email_sent')) === 1);
      // A resend's invitation, enqueued and not yet processed (not due: only this test runs it).
      // The worker's services in this process (the harness's worker is a child process): a second
      // consumer of the same queues, which changes nothing for at-least-once, idempotent jobs.
      const local = await startWorker(h.db.config, { probe: false });
      const outbox = local.app.get(OutboxService, { strict: false });
      const [{ organisation_id }] = await sql<{ organisation_id: string }>(`SELECT organisation_id FROM signature_requests WHERE id = $1`, [r.id]);
      await h.ds.transaction((em) =>
        outbox.enqueue(em, 'signing.invite', { signerId: sean.id, reason: 'resend' }, { key: `race_${sean.id}`, organisationId: organisation_id, availableAt: new Date(Date.now() + 3600_000) }),
      );
      const [{ id: outboxId }] = await sql<{ id: string }>(`SELECT id FROM outbox WHERE job_name = 'signing.invite' AND payload->>'signerId' = $1 AND done_at IS NULL`, [sean.id]);

      // The cancel is under way: it waits for the request's lock, held here for a moment.
      // Two connections as the database owner: one holds the lock, one watches who waits for it
      // (the app's role may not see other sessions' activity).
      const holder = new Client({ connectionString: h.db.url });
      const monitor = new Client({ connectionString: h.db.url });
      await holder.connect();
      await monitor.connect();
      const waiting = async () =>
        (await monitor.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n;
      let cancelled: Promise<Response>;
      let invited: Promise<string>;
      let settled = false;
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT id FROM signature_requests WHERE id = $1 FOR UPDATE`, [r.id]);
        cancelled = staff(`/api/signature-requests/${r.id}/cancel`, { method: 'POST' });
        await waitUntil('the cancel waits for the lock', async () => (await waiting()) >= 1);
        const jobs = local.app.get(SigningJobsService, { strict: false });
        invited = jobs.invite(outboxId, sean.id).finally(() => (settled = true));
        // The invitation either waits behind the cancel or (the defect) goes out without waiting.
        await waitUntil('the invitation waits or is done', async () => settled || (await waiting()) >= 2);
      } finally {
        await holder.query('COMMIT');
        await holder.end();
        await monitor.end();
      }
      expect((await cancelled!).status).toBe(200);
      expect(await invited!).toBe('skipped');
      await local.close(); // only once the invitation has finished with its connection
      await new Promise((res) => setTimeout(res, 500));
      // Since session 18 the cancel tells him by e-mail (signature-cancelled): that e-mail carries no link; nothing else went out.
      const after = unknownMails('sean.obrien@example.org');
      expect(after.filter((m) => !m.subject.startsWith('Demande de signature annulée'))).toEqual([]);
      for (const m of after) expect(PortalClient.linksIn(m.text, h.base)).toEqual([]);
      const invitations = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND COALESCE(details->>'kind', '') <> 'signature-cancelled'`,
        [r.id],
      );
      expect(invitations[0].n).toBe(1);
      expect(await sql(`SELECT id FROM signing_links WHERE signer_id = $1 AND revoked_at IS NULL`, [sean.id])).toEqual([]);
      expect((await sql<{ done: boolean }>(`SELECT done_at IS NOT NULL AS done FROM outbox WHERE id = $1`, [outboxId]))[0].done).toBe(true);
    });

    it('a witness statement on a cancelled request is refused (409 SIGNATURE_REQUEST_CLOSED) and records nothing', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      await nextLink('sean.obrien@example.org');
      expect((await staff(`/api/signature-requests/${r.id}/cancel`, { method: 'POST' })).status).toBe(200);
      const witness = await staff(`/api/signature-requests/${r.id}/signers/${sean.id}/witness`, { method: 'POST', body: JSON.stringify({ explainedHow: 'Lecture à voix haute', present: ['Nadia Haddad (admissions)'] }) });
      expect(witness.status).toBe(409);
      expect(((await witness.json()) as { error: { code: string } }).error.code).toBe('SIGNATURE_REQUEST_CLOSED');
      expect((await sql<{ witness: unknown }>(`SELECT witness FROM signature_signers WHERE id = $1`, [sean.id]))[0].witness).toBeNull();
      expect(await events(r.id, 'witness_recorded')).toBe(0);
    });
  });

  describe('questions and the typed name', () => {
    it('a second answer keeps the first and is a new event in the evidence', async () => {
      const r = await createRequest('Seán');
      const p = await session(await nextLink('sean.obrien@example.org'));
      expect((await p.post('/portail/question', { message: 'Puis-je venir avec mon chien ?' })).status).toBe(303);
      const [q] = (await view(r.id)).questions;
      const answer = (text: string) => staff(`/api/signature-requests/${r.id}/questions/${q.id}/answer`, { method: 'POST', body: JSON.stringify({ answer: text }) });
      expect((await answer('Oui, s’il est calme.')).status).toBe(204);
      expect((await answer('Non, finalement.')).status).toBe(204);
      expect((await view(r.id)).questions.find((x) => x.id === q.id)!.answer).toBe('Oui, s’il est calme.');
      const answered = await sql<{ details: Record<string, unknown> }>(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'question_answered' ORDER BY at`, [r.id]);
      // Each answer names the staff member who gave it (the evidence's « who acted »), never its text.
      const staffMember = { byUserId: expect.any(String), byName: expect.any(String), byAccount: 'admissions@les-tilleuls.example' };
      expect(answered.map((e) => e.details)).toEqual([
        { questionId: q.id, ...staffMember },
        { questionId: q.id, followUp: true, answerSha256: expect.stringMatching(/^[0-9a-f]{64}$/), ...staffMember },
      ]);
      // Each answer reaches Seán (issue 10, item 3): an e-mail with a fresh link, without the answer's text.
      const told = () => unknownMails('sean.obrien@example.org').filter((m) => /^Réponse à votre question/.test(m.subject));
      await waitUntil('two answer e-mails', async () => told().length === 2, 30000);
      for (const m of told()) {
        expect(m.text).not.toContain('calme');
        known.add(m.id);
      }
    });

    it('signing before opening the document is refused (409) and said plainly; after reading, POST → 303 → recap, and reloading the recap sends nothing (issue 13, items 3 and 5)', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      expect((await p.get('/portail/signer')).status).toBe(200);
      expect(p.lastHtml).not.toContain('action="/portail/signer"');
      expect(p.lastHtml).toContain('Vous n’avez pas encore ouvert le document');
      const early = await p.post('/portail/signer', { consent: 'oui', typedName: 'Seán O’Brien-Nuñez' });
      expect(early.status).toBe(409);
      expect(p.lastHtml).toContain('Avant de signer, ouvrez le document');
      expect(await signerStatus(sean.id)).toBe('pending');
      expect(await events(r.id, 'signed')).toBe(0);

      expect((await p.get('/portail/document?version=falc')).status).toBe(200);
      await p.get('/portail/signer');
      expect(p.lastHtml).toContain('action="/portail/signer"');
      const signed = await p.post('/portail/signer', { consent: 'oui', typedName: 'Seán O’Brien-Nuñez' });
      expect(signed.status).toBe(303);
      expect(signed.headers.get('location')).toBe('/portail/recapitulatif');
      for (let i = 0; i < 2; i++) {
        expect((await p.get('/portail/recapitulatif')).status).toBe(200);
        expect(p.lastHtml).toContain('<h1>Merci, votre signature est enregistrée</h1>');
      }
      expect(await events(r.id, 'signed')).toBe(1);
      const [ev] = await sql<{ details: { consent: string } }>(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'signed'`, [r.id]);
      expect(ev.details.consent).toBe('J’ai lu le document et je le signe en mon nom.');
    });

    it('a typed name with zero-width characters, a word joiner, a BOM and a soft hyphen signs; the evidence keeps it without them', async () => {
      const r = await createRequest('Seán');
      const sean = r.signers.find((s) => s.role === 'resident')!;
      const p = await session(await nextLink('sean.obrien@example.org'));
      const typed = 'Se\u200Bán\u00AD O’Brien\u2060-Nu\uFEFFñez\u200D';
      expect((await p.sign({ consent: 'oui', typedName: typed })).status).toBe(303);
      expect(await signerStatus(sean.id)).toBe('signed');
      const [{ typed_name }] = await sql<{ typed_name: string }>(`SELECT typed_name FROM signature_signers WHERE id = $1`, [sean.id]);
      expect(typed_name).toBe('Seán O’Brien-Nuñez');
    });
  });
  it('two signers at one mailbox: refused until each has an access code (C. civ. 1367), nothing created; a resend to another signer\'s mailbox likewise', async () => {
    // Marcel's file gives his curateur's address as his own (case aside): one mailbox, two signatures.
    const [before] = await sql<{ email: string }>(`SELECT email FROM residents WHERE first_name = 'Marcel'`);
    await sql(`UPDATE residents SET email = 'K.Benaissa@UDAF-val.example' WHERE first_name = 'Marcel'`);
    try {
      const docId = await h.document('Marcel', 'contrat-sejour');
      const preview = (await (await staff(`/api/documents/${docId}/signature-requests/preview`, { method: 'POST', body: '{}' })).json()) as { signers: { key: string; role: string }[] };
      const curateur = preview.signers.find((x) => x.role === 'curateur')!.key;
      const post = (delivery: object) =>
        staff(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', delivery }) });
      const refused = await post({});
      expect(refused.status).toBe(400);
      const err = ((await refused.json()) as { error: { message: string; details: { field: string; code: string; message: string }[] } }).error;
      expect(err.message).toContain('C. civ. 1367');
      expect(err.details.map((d) => [d.field, d.code])).toEqual([
        ['delivery.resident', 'SIGNER_EMAIL_SHARED'],
        [`delivery.${curateur}`, 'SIGNER_EMAIL_SHARED'],
      ]);
      expect(err.details[0].message).toBe(
        'Marcel Dupont a la même adresse e-mail que Karim Benaïssa : l’un pourrait signer à la place de l’autre. Exigez un code d’accès (donné par téléphone ou en personne), ou choisissez la signature en présence.',
      );
      // A code for one of them leaves the other exposed.
      const one = await post({ resident: { method: 'email', accessCode: true } });
      expect(one.status).toBe(400);
      expect(((await one.json()) as { error: { details: { field: string }[] } }).error.details.map((d) => d.field)).toEqual([`delivery.${curateur}`]);
      expect(await sql(`SELECT id FROM signature_requests WHERE document_id = $1`, [docId])).toEqual([]);
      // In person for one of them: each signs alone.
      const res = await post({ resident: { method: 'in_person' } });
      expect(res.status).toBe(201);
      const created = (await res.json()) as RequestView;
      // Moving the person back to e-mail at that address, without codes, is refused too; nothing changes.
      const resident = created.signers.find((x) => x.key === 'resident')!;
      const resend = await staff(`/api/signature-requests/${created.id}/signers/${resident.id}/resend`, { method: 'POST', body: '{}' });
      expect(resend.status).toBe(400);
      expect(((await resend.json()) as { error: { details: { field: string; code: string }[] } }).error.details[0]).toMatchObject({ field: 'email', code: 'SIGNER_EMAIL_SHARED' });
      expect((await view(created.id)).signers.find((x) => x.key === 'resident')!.delivery).toBe('in_person');
      // To an address of her own, it goes.
      expect((await staff(`/api/signature-requests/${created.id}/signers/${resident.id}/resend`, { method: 'POST', body: JSON.stringify({ email: 'marcel.dupont@example.org' }) })).status).toBe(200);
      await staff(`/api/signature-requests/${created.id}/cancel`, { method: 'POST' });
    } finally {
      await sql(`UPDATE residents SET email = $1 WHERE first_name = 'Marcel'`, [before.email]);
    }
  });
});
