import { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { DevMailbox, ReceivedMail } from '@carepact/notifications';
import { TestDatabase, createTestDatabase, freePort, runCli, waitUntil } from '@carepact/testing';
import { projectRoot } from '@carepact/common';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { WorkerHandle, startWorker } from '../../../apps/worker/src/bootstrap';

export interface SigningHarness {
  db: TestDatabase;
  api: INestApplication;
  worker: WorkerHandle;
  mailbox: DevMailbox;
  smtpPort: number;
  base: string;
  ds: DataSource;
  close(): Promise<void>;
  /** Logs in as a demo staff member; returns a fetch bound to its session cookie. */
  staff(email: string): Promise<(path: string, init?: RequestInit) => Promise<Response>>;
  residentId(firstName: string): Promise<string>;
  /** Creates the document from the demo fixture's data and waits until its version is generated. */
  document(residentFirstName: string, type: string, data?: Record<string, unknown>): Promise<string>;
  mailsTo(address: string): ReceivedMail[];
  waitForMail(address: string, count: number, subject?: RegExp): Promise<ReceivedMail[]>;
}

/**
 * The whole product on real components: a fresh PostgreSQL database seeded with the demo
 * establishment, Redis, the api listening on a port, the worker, and a real SMTP server.
 */
export async function startSigningHarness(opts: { mailboxDown?: boolean; env?: Record<string, string> } = {}): Promise<SigningHarness> {
  const mailbox = new DevMailbox();
  // mailboxDown: SMTP_URL points at a port where nothing listens yet (the test starts the mailbox later).
  const smtpPort = opts.mailboxDown ? await freePort() : (await mailbox.start(0)).port;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const db = await createTestDatabase({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    PUBLIC_URL: base,
    OUTBOX_POLL_MS: '100',
    CAREPACT_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'carepact-secrets-')),
    WORKER_RENDER_THREADS: '0',
    ...opts.env,
  });
  const seeded = await runCli(db.config, ['seed:demo']);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  const api = await createApiApp(db.config);
  await api.listen(port, '127.0.0.1');
  const worker = await startWorker(db.config, { probe: false });
  const ds = api.get(DataSource);
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };

  const h: SigningHarness = {
    db,
    api,
    worker,
    mailbox,
    smtpPort,
    base,
    ds,
    async close() {
      await worker.close();
      await api.close();
      await mailbox.stop();
      await db.drop();
    },
    async staff(email) {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEFAULT_DEMO_PASSWORD }) });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      return (path, init = {}) => fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(init.headers ?? {}) } });
    },
    async residentId(firstName) {
      const [r] = (await ds.query(`SELECT id FROM residents WHERE first_name = $1`, [firstName])) as { id: string }[];
      return r.id;
    },
    async document(firstName, type, data) {
      const call = await h.staff('admissions@les-tilleuls.example');
      const { resident: _key, ...fixtureData } = fixture.documents[type];
      const res = await call('/api/documents', { method: 'POST', body: JSON.stringify({ residentId: await h.residentId(firstName), type, data: data ?? fixtureData }) });
      if (res.status !== 202) throw new Error(`create ${type}: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await waitUntil(`${type} generated`, async () => ((await (await call(`/api/documents/${id}`)).json()) as { status: string }).status === 'ready', 60000);
      return id;
    },
    mailsTo(address) {
      return mailbox.list().filter((m) => m.to.some((t) => t.toLowerCase().includes(address.toLowerCase())));
    },
    async waitForMail(address, count, subject) {
      await waitUntil(`${count} mail(s) to ${address}`, async () => h.mailsTo(address).filter((m) => !subject || subject.test(m.subject)).length >= count, 30000);
      return h.mailsTo(address).filter((m) => !subject || subject.test(m.subject));
    },
  };
  return h;
}
