import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { OutboxService } from '@carepact/queue';
import { TransactionRunner } from '@carepact/database';
import { TEST_PASSWORD, archiveResident, launchChromium, loginAgent, residentWithContract, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the request's section, as staff see it afterwards, is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.ARCHIVE_MAIL_SHOTS ?? join(tmpdir(), 'archive-scheduled-mail');

/**
 * The intermediate archive (libs/documents intermediate-archive.ts) and the e-mails the outbox had
 * scheduled about a request still in progress when the person passed into it: her links no longer
 * open (PORTAL_PERSON_ARCHIVED) and nobody may ask her for a signature (RESIDENT_ARCHIVED), so no
 * reminder, queued invitation or expiry notice goes out (RGPD art. 5.1.b and 5.1.e). Each one not
 * sent leaves a signature event and its audit event saying why (`signature.reminder_skipped`,
 * `signature.email_skipped`, reason `resident_archived`). The request still expires at its
 * deadline, without e-mail: it does not stay « en cours » for ever.
 * On a real SMTP server (DevMailbox), the api and the worker in process.
 */
describe('intermediate archive: no scheduled e-mail about an archived person’s request', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  const mailbox = new DevMailbox();
  let admin: request.Agent;
  let admissions: request.Agent;
  const person = { id: '', doc: '', request: '' };

  const outboxDone = (jobName: string, requestId: string) =>
    waitUntil(`${jobName} done`, async () => {
      const rows = (await ds.query(`SELECT done_at, failed_at FROM outbox WHERE job_name = $1 AND payload->>'requestId' = $2`, [jobName, requestId])) as { done_at: Date | null; failed_at: Date | null }[];
      return rows.length > 0 && rows.every((r) => r.done_at !== null || r.failed_at !== null);
    });
  const due = (jobName: string, requestId: string) => ds.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE job_name = $1 AND payload->>'requestId' = $2`, [jobName, requestId]);
  /** The worker polls every 100 ms: two seconds more leave any e-mail it would have sent the time to arrive. */
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  const events = async (kind: string) =>
    (await ds.query(`SELECT signer_id, details FROM signature_events WHERE request_id = $1 AND kind = $2 ORDER BY at`, [person.request, kind])) as { signer_id: string | null; details: Record<string, unknown> }[];
  const audit = async (action: string) => (await ds.query(`SELECT payload FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, person.request])) as { payload: Record<string, unknown> }[];

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', SMTP_URL: `smtp://127.0.0.1:${port}` });
    await h.app.listen(0, '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    // Under curatelle: the person and her curateur sign, each by e-mail.
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { measure: 'curatelle', lastName: 'Relance', ready: true });
    Object.assign(person, { id: made.residentId, doc: made.documentId });
    person.request = (await admissions.post(`/api/documents/${person.doc}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : la famille était absente.', reminderDays: [3] }).expect(201))
      .body.id as string;
    // The invitations went out, before the archive: the SMTP server receives what the worker sends.
    await outboxDone('signing.invite', person.request).catch(() => undefined);
    await waitUntil('the invitations', async () => mailbox.list().length >= 1, 30000);
    await settle();
  }, 300000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  it('the reminder of an archived person’s request sends nothing; each signer it was for has `reminder_skipped` (resident_archived), in the audit chain too', async () => {
    const before = mailbox.list().length;
    expect(before).toBeGreaterThan(0);
    const signers = (await ds.query(`SELECT id FROM signature_signers WHERE request_id = $1 AND email IS NOT NULL AND delivery = 'email'`, [person.request])) as { id: string }[];
    expect(signers.length).toBeGreaterThan(0);
    await archiveResident(ds, admin, person.id);
    await due('signing.remind', person.request);
    await outboxDone('signing.remind', person.request);
    await settle();
    expect(mailbox.list().length).toBe(before);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE job_name = 'signing.invite' AND payload->>'reason' = 'reminder'`))[0].n)).toBe(0);
    const skipped = await events('reminder_skipped');
    expect(skipped.map((e) => e.signer_id).sort()).toEqual(signers.map((s) => s.id).sort());
    expect(skipped.every((e) => e.details.reason === 'resident_archived' && e.details.day === 3)).toBe(true);
    expect((await audit('signature.reminder_skipped')).map((e) => e.payload.reason)).toEqual(signers.map(() => 'resident_archived'));
    expect(await events('reminder')).toEqual([]);
  });

  it('an invitation still queued when she passed into the archive is not sent either: `email_skipped`, no new link', async () => {
    const before = mailbox.list().length;
    const [signer] = (await ds.query(`SELECT id FROM signature_signers WHERE request_id = $1 AND delivery = 'email' ORDER BY id LIMIT 1`, [person.request])) as { id: string }[];
    const links = async () => Number((await ds.query(`SELECT count(*) AS n FROM signing_links WHERE signer_id = $1`, [signer.id]))[0].n);
    const linksBefore = await links();
    await h.app.get(TransactionRunner).run((em) =>
      h.app.get(OutboxService).enqueue(em, 'signing.invite', { signerId: signer.id, reason: 'reminder' }, { key: `${signer.id}_queued_before_archive`, organisationId: h.orgA.organisationId }),
    );
    await waitUntil('the queued invitation handled', async () => {
      const [row] = (await ds.query(`SELECT done_at FROM outbox WHERE job_name = 'signing.invite' AND job_id LIKE $1`, [`%${signer.id}_queued_before_archive%`])) as { done_at: Date | null }[];
      return !!row?.done_at;
    });
    await settle();
    expect(mailbox.list().length).toBe(before);
    expect(await links()).toBe(linksBefore);
    const skipped = (await events('email_skipped')).filter((e) => e.signer_id === signer.id);
    expect(skipped.map((e) => e.details)).toEqual([{ kind: 'signature-reminder', reason: 'resident_archived' }]);
  });

  it('at its deadline the request expires all the same (links revoked, the document ready) without any e-mail to staff; `email_skipped` says why', async () => {
    const before = mailbox.list().length;
    await ds.query(`UPDATE signature_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, [person.request]);
    await due('signing.expire', person.request);
    await waitUntil('expiry', async () => (await admissions.get(`/api/signature-requests/${person.request}`)).body.status === 'expired');
    await outboxDone('signing.expire', person.request);
    await settle();
    expect(mailbox.list().length).toBe(before);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE job_name = 'notify.staff' AND payload->>'requestId' = $1`, [person.request]))[0].n)).toBe(0);
    expect((await events('email_skipped')).filter((e) => e.signer_id === null).map((e) => e.details)).toEqual([{ kind: 'request-expired', reason: 'resident_archived' }]);
    expect((await audit('signature.expired')).length).toBe(1);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM signing_links l JOIN signature_signers s ON s.id = l.signer_id WHERE s.request_id = $1 AND l.revoked_at IS NULL`, [person.request]))[0].n)).toBe(0);
    expect((await admissions.get(`/api/documents/${person.doc}`).expect(200)).body.status).toBe('ready');
    // The console's detailed follow-up says which e-mails were not sent, and why.
    const page = (await admissions.get(`/console/documents/${person.doc}`).expect(200)).text;
    expect(page).toContain('Relance non envoyée : dossier en archive intermédiaire');
    expect(page).toContain('E-mail non envoyé : dossier en archive intermédiaire');
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, 'request-archived.html'), page);
    const base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const tab = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await tab.goto('/connexion');
        await tab.setContent(page, { waitUntil: 'load' });
        await tab.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
        await tab.locator(`section[data-request-id="${person.request}"]`).screenshot({ path: join(SHOTS, `request-archived-${width}.png`) });
      }
    } finally {
      await browser.close();
    }
  });
});
