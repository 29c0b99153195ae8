import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox, ReceivedMail } from '@carepact/notifications';
import { PortalClient, TEST_PASSWORD, contractData, launchChromium, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the cancellation e-mail is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.CANCEL_MAIL_SHOTS ?? join(tmpdir(), 'cancel-notifies-signers');
const JULIE = 'julie.petit@example.org';
const THOMAS = 'thomas.petit@example.org';
/** Staff's reason: may be private, never in an e-mail. */
const PRIVATE_REASON = 'Erreur de tarif signalée par la comptabilité (dossier contentieux CX-77)';

interface Signer {
  id: string;
  role: string;
  name: string;
  order: number;
}

/**
 * A cancelled request (console « Annuler la demande », `POST /api/signature-requests/:id/cancel`)
 * is told, by e-mail, to each signer who had been invited — whose turn had come, or who had a link —
 * and has an address: the document, that the request is cancelled, that a signature given no longer
 * counts, that the establishment will get in touch; never staff's own reason. Not to a signer still
 * waiting for her turn in sequential mode (she never heard of it). Queued in the cancel's
 * transaction (outbox), each e-mail leaves `email_sent` (kind `signature-cancelled`) and its audit
 * event. A real SMTP server (DevMailbox), the api and the worker in process. Before this, a cancel
 * sent nothing: a guardian found a dead link with no explanation.
 */
describe('a cancelled signature request is told to the signers who had been invited', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let ds: DataSource;
  let base = '';
  const mailbox = new DevMailbox();
  let admissions: request.Agent;
  let documentId = '';
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => ds.query(q, params) as Promise<T[]>;
  const mailsTo = (address: string, subject: RegExp) => mailbox.list().filter((m) => m.to.includes(address) && subject.test(m.subject));
  const CANCELLED = /^Demande de signature annulée : /;
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  const cancelJobsDone = (requestId: string) =>
    waitUntil('the cancellation e-mails', async () => {
      const rows = await sql<{ done: boolean }>(`SELECT done_at IS NOT NULL AS done FROM outbox WHERE job_name = 'notify.cancelled' AND payload->>'requestId' = $1`, [requestId]);
      return rows.length > 0 && rows.every((r) => r.done);
    });

  /** Each parent's address (the signing order puts either first). */
  const addressOf = (s: Signer) => (s.name === 'Julie Petit' ? JULIE : THOMAS);
  const send = async (): Promise<{ requestId: string; first: Signer; second: Signer }> => {
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ mode: 'sequential', lateReason: 'Essai : envoi après le délai légal.' });
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const [first, second] = [...(sent.body.signers as Signer[])].sort((a, b) => a.order - b.order);
    expect([first.name, second.name].sort()).toEqual(['Julie Petit', 'Thomas Petit']);
    return { requestId: sent.body.id as string, first, second };
  };

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', SMTP_URL: `smtp://127.0.0.1:${port}` });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (
      await admissions
        .post('/api/residents')
        .send({
          establishmentId: h.orgA.establishmentId,
          firstName: 'Enzo',
          lastName: 'Petit',
          birthDate: '2014-05-30',
          admissionDate: '2026-09-07',
          stayType: 'permanent',
          parentalAuthority: 'shared',
          parents: [
            { firstName: 'Julie', lastName: 'Petit', email: JULIE },
            { firstName: 'Thomas', lastName: 'Petit', email: THOMAS },
          ],
        })
        .expect(201)
    ).body.id as string;
    const data = contractData({ minorView: 'Enzo souhaite garder son club de football.', minorViewFalc: 'Tu veux garder ton club de football.' });
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data }).expect(202)).body.id as string;
    worker = await startWorker(h.db.config, { probe: false });
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  it('console « Annuler la demande », sequential, the first parent’s turn: she is told (without staff’s reason); the second parent, still waiting, hears nothing', async () => {
    const { requestId, first, second } = await send();
    const [FIRST, SECOND] = [addressOf(first), addressOf(second)];
    await waitUntil('the first parent’s invitation', async () => mailsTo(FIRST, /^Votre signature est demandée/).length === 1, 30_000);
    const confirm = (await admissions.get(`/console/documents/${documentId}/demandes/${requestId}/annuler`).expect(200)).text;
    // The confirmation says who is told, and that the reason is not sent.
    expect(confirm).toContain('les personnes qui ont déjà reçu la demande et ont une adresse e-mail sont prévenues par e-mail de l’annulation, sans la raison indiquée ci-dessous');
    expect(confirm).toContain('Elle n’est pas envoyée aux signataires.');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(confirm)![1];
    const posted = await admissions.post(`/console/documents/${documentId}/demandes/${requestId}/annuler`).type('form').send({ _csrf: csrf, reason: PRIVATE_REASON });
    expect(posted.status).toBe(303);
    await cancelJobsDone(requestId);
    await settle();

    const [mail] = mailsTo(FIRST, CANCELLED);
    expect(mailsTo(FIRST, CANCELLED)).toHaveLength(1);
    expect(mail.subject).toMatch(/^Demande de signature annulée : contrat de séjour — /);
    const body = mail.text.replace(/[\u2068\u2069]/g, '');
    expect(body).toContain(`Bonjour ${first.name},`);
    expect(body).toContain('a annulé la demande de signature pour le contrat de séjour d’Enzo Petit.');
    expect(body).toContain('Vous n’avez plus rien à signer pour cette demande : les liens reçus pour elle ne fonctionnent plus.');
    expect(body).toContain('Si un nouveau document doit être signé, l’établissement vous contactera.');
    expect(body).not.toContain('La signature que vous aviez donnée');
    expect(body).not.toContain('départ');
    expect(mail.text + mail.html).not.toContain('CX-77');
    expect(mail.html).not.toMatch(/<a\b/);
    // The second parent, whose turn had not come: nothing queued, nothing sent.
    expect(mailbox.list().filter((m) => m.to.includes(SECOND))).toEqual([]);
    expect(await sql(`SELECT 1 FROM outbox WHERE job_name = 'notify.cancelled' AND payload->>'signerId' = $1`, [second.id])).toEqual([]);
    // The e-mail's trace: a signature event and its audit event, as every e-mail sent.
    expect(await sql(`SELECT signer_id AS "signerId", details FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND details->>'kind' = 'signature-cancelled'`, [requestId])).toEqual([
      { signerId: first.id, details: { kind: 'signature-cancelled' } },
    ]);
    expect(await sql(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'signature.email_sent' AND payload->>'kind' = 'signature-cancelled'`, [requestId])).toEqual([
      { payload: { signerId: first.id, kind: 'signature-cancelled' } },
    ]);
    await shootMail(mail, 'signature-cancelled-first-parent');
  }, 120_000);

  it('API cancel after the first parent signed: both parents are told, the first that her signature no longer counts', async () => {
    const { requestId, first, second } = await send();
    const [FIRST, SECOND] = [addressOf(first), addressOf(second)];
    // The first parent signs in person (her turn), after recording Enzo's view; the second is then invited.
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${first.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    await portal.get('/portail/document');
    expect((await portal.post('/portail/avis', { viewKey: 'resident', expression: 'accord', comment: '' })).status).toBe(303);
    expect((await portal.post('/portail/signer', { consent: 'oui', typedName: first.name })).status).toBe(303);
    await waitUntil('the second parent’s invitation', async () => mailsTo(SECOND, /^Votre signature est demandée/).length === 1, 30_000);

    const before = mailsTo(FIRST, CANCELLED).length;
    await admissions.post(`/api/signature-requests/${requestId}/cancel`).send({ reason: PRIVATE_REASON }).expect(200);
    await cancelJobsDone(requestId);
    await settle();

    const toFirst = mailsTo(FIRST, CANCELLED).slice(0, mailsTo(FIRST, CANCELLED).length - before);
    expect(toFirst).toHaveLength(1);
    expect(toFirst[0].text).toContain('La signature que vous aviez donnée ne compte plus : le document n’est pas signé.');
    const toSecond = mailsTo(SECOND, CANCELLED);
    expect(toSecond).toHaveLength(1);
    expect(toSecond[0].text.replace(/[\u2068\u2069]/g, '')).toContain(`Bonjour ${second.name},`);
    expect(toSecond[0].text).not.toContain('La signature que vous aviez donnée');
    for (const m of [...toFirst, ...toSecond]) expect(m.text + m.html).not.toContain('CX-77');
    const sent = await sql<{ signerId: string }>(`SELECT signer_id AS "signerId" FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND details->>'kind' = 'signature-cancelled' ORDER BY signer_id`, [requestId]);
    expect(sent.map((e) => e.signerId).sort()).toEqual([first.id, second.id].sort());
    // The director (the establishment's countersigner) is never e-mailed about it: staff cancelled it.
    expect(await sql(`SELECT 1 FROM outbox o JOIN signature_signers s ON s.id = (o.payload->>'signerId')::uuid WHERE o.job_name = 'notify.cancelled' AND s.request_id = $1 AND s.role = 'director'`, [requestId])).toEqual([]);
    await shootMail(toFirst[0], 'signature-cancelled-signed');
  }, 120_000);

  it('a signer to sign in person, never sent a link nor an e-mail, is not told by e-mail (the code review of session 18); the one invited by e-mail is', async () => {
    const contacts = (await admissions.get(`/api/documents/${documentId}`).expect(200)).body as { residentId: string };
    const parents = await sql<{ id: string; email: string }>(`SELECT id, email FROM contacts WHERE resident_id = $1 ORDER BY email`, [contacts.residentId]);
    const thomas = parents.find((p) => p.email === THOMAS)!;
    const sent = await admissions
      .post(`/api/documents/${documentId}/signature-requests`)
      .send({ mode: 'parallel', lateReason: 'Essai : envoi après le délai légal.', delivery: { [`parent:${thomas.id}`]: { method: 'in_person' } } });
    expect({ status: sent.status, error: sent.body.error }).toEqual({ status: 201, error: undefined });
    const requestId = sent.body.id as string;
    const beforeJulie = mailsTo(JULIE, CANCELLED).length;
    const beforeThomas = mailsTo(THOMAS, CANCELLED).length;
    await admissions.post(`/api/signature-requests/${requestId}/cancel`).send({ reason: PRIVATE_REASON }).expect(200);
    await cancelJobsDone(requestId);
    await settle();
    expect(mailsTo(JULIE, CANCELLED).length - beforeJulie).toBe(1);
    expect(mailsTo(THOMAS, CANCELLED).length - beforeThomas).toBe(0);
    const queued = await sql<{ email: string }>(
      `SELECT s.email FROM outbox o JOIN signature_signers s ON s.id = (o.payload->>'signerId')::uuid WHERE o.job_name = 'notify.cancelled' AND s.request_id = $1`,
      [requestId],
    );
    expect(queued.map((q) => q.email)).toEqual([JULIE]);
  }, 120_000);

  /** The e-mail as received, at 1280 and 320 px wide. */
  async function shootMail(mail: ReceivedMail, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, `${name}.html`), mail.html);
    writeFileSync(join(SHOTS, `${name}.txt`), `${mail.subject}\n\n${mail.text}`);
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await page.setContent(mail.html, { waitUntil: 'load' });
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
    } finally {
      await browser.close();
    }
  }
});
