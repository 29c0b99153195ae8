import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { calendarDayIn, projectRoot } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { dataSourceOptions } from '@carepact/database';
import { DevMailbox, ReceivedMail } from '@carepact/notifications';
import { RunningProcess, runCli, startProcess, waitUntil } from './processes';
import { freePort } from './redis-server';
import { TestDatabase, createTestDatabase } from './test-database';

export interface SigningHarness {
  db: TestDatabase;
  /** The api and the worker, compiled (dist/, built by the e2e tier's global setup), as child processes. */
  api: RunningProcess;
  worker: RunningProcess;
  mailbox: DevMailbox;
  smtpPort: number;
  base: string;
  /** The database as the application role sees it (the api's own privileges). */
  ds: DataSource;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** Logs in as a demo staff member (a new session each call); returns a fetch bound to its session cookie. */
  staff(email: string): Promise<(path: string, init?: RequestInit) => Promise<Response>>;
  residentId(firstName: string): Promise<string>;
  /** Creates the document from the demo fixture's data and waits until its version is generated. */
  document(residentFirstName: string, type: string, data?: Record<string, unknown>): Promise<string>;
  /**
   * A new admission today (PATCH of the file's admission date): a test telling another story of a
   * person whose contract an earlier test signed — no second contract is made for one admission
   * (409 CONTRACT_ALREADY_IN_FORCE; an avenant changes it, CASF L.311-4, D.311).
   */
  readmit(residentFirstName: string): Promise<void>;
  mailsTo(address: string): ReceivedMail[];
  waitForMail(address: string, count: number, subject?: RegExp): Promise<ReceivedMail[]>;
}

export interface SigningHarnessOptions {
  /** SMTP_URL points at a port where nothing listens yet; the test starts `mailbox` on `smtpPort` later. */
  mailboxDown?: boolean;
  /** The processes' LOG_LEVEL (default silent); `info` to inspect what production would log. */
  logLevel?: string;
  /** More configuration for the api and the worker (e.g. TRUST_PROXY). */
  env?: Record<string, string>;
}

/**
 * The whole product on real components: a fresh PostgreSQL database seeded with the demo
 * establishment (`seed:demo` through the CLI), Redis, the api listening on a port and the worker as
 * real processes, and a real SMTP server. The one harness of the signing end-to-end tests.
 */
export async function startSigningHarness(opts: SigningHarnessOptions = {}): Promise<SigningHarness> {
  const mailbox = new DevMailbox();
  const smtpPort = opts.mailboxDown ? await freePort() : (await mailbox.start(0)).port;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const extra = {
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    PUBLIC_URL: base,
    OUTBOX_POLL_MS: '100',
    CAREPACT_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'carepact-secrets-')),
    WORKER_RENDER_THREADS: '0',
    ...opts.env,
  };
  // What is started so far: stopped again if the start fails (a test whose beforeAll throws never
  // calls close(); left running, the processes, the SMTP server and the pool kept jest's worker alive:
  // « A worker process has failed to exit gracefully »).
  let db: TestDatabase | undefined;
  let api: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let ds: DataSource | undefined;
  try {
    db = await createTestDatabase(extra);
    const seeded = await runCli(db.config, ['seed:demo']);
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    const logs: Record<string, string> = opts.logLevel ? { LOG_LEVEL: opts.logLevel } : {};
    const [a, w] = [
      startProcess(db.config, 'dist/apps/api/src/main.js', { ...extra, ...logs, PORT: String(port) }),
      startProcess(db.config, 'dist/apps/worker/src/main.js', { ...extra, ...logs, WORKER_HEALTH_PORT: '0' }),
    ];
    [api, worker] = [a, w];
    ds = new DataSource(dataSourceOptions(db.config, { as: 'app', poolSize: 2 }));
    await ds.initialize();
    // /health is 200 only when PostgreSQL, Redis and the worker's heartbeat are all up.
    await waitUntil('api and worker up', async () => (await fetch(`${base}/health`)).status === 200, 60000).catch((e: Error) => {
      throw new Error(`${e.message}\napi: ${a.output().slice(-2000)}\nworker: ${w.output().slice(-2000)}`);
    });
  } catch (e) {
    await api?.stop();
    await worker?.stop();
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    await mailbox.stop();
    await db?.drop().catch(() => undefined);
    throw e;
  }
  return harness({ db, api, worker, ds, mailbox, smtpPort, base });
}

function harness(
  { db, api, worker, ds, mailbox, smtpPort, base }: { db: TestDatabase; api: RunningProcess; worker: RunningProcess; ds: DataSource; mailbox: DevMailbox; smtpPort: number; base: string },
): SigningHarness {
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as {
    documents: Record<string, Record<string, unknown>>;
    residents: { firstName: string; documents?: Record<string, Record<string, unknown>> }[];
  };

  const h: SigningHarness = {
    db,
    api,
    worker,
    mailbox,
    smtpPort,
    base,
    ds,
    sql: async <T>(text: string, params: unknown[] = []) => (await ds.query(text, params)) as T[],
    async close() {
      await api.stop();
      await worker.stop();
      await ds.destroy();
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
      const [r] = await h.sql<{ id: string }>(`SELECT id FROM residents WHERE first_name = $1`, [firstName]);
      return r.id;
    },
    async readmit(firstName) {
      const call = await h.staff('admissions@les-tilleuls.example');
      const res = await call(`/api/residents/${await h.residentId(firstName)}`, { method: 'PATCH', body: JSON.stringify({ admissionDate: calendarDayIn(new Date()) }) });
      if (res.status !== 200) throw new Error(`readmit ${firstName}: ${res.status} ${await res.text()}`);
    },
    async document(firstName, type, data) {
      const call = await h.staff('admissions@les-tilleuls.example');
      // The person's own data for this type when the fixture has it (a tutelle needs her residence
      // choice, issue 8); otherwise the fixture's shared block, as tests have always used it.
      const own = fixture.residents.find((r) => r.firstName === firstName)?.documents?.[type];
      const { resident: _key, ...fixtureData } = own ?? fixture.documents[type];
      const post = async () => call('/api/documents', { method: 'POST', body: JSON.stringify({ residentId: await h.residentId(firstName), type, data: data ?? fixtureData }) });
      let res = await post();
      // A test telling another story of a person whose contract an earlier test of the file signed: a
      // contract is made once per admission (409 CONTRACT_ALREADY_IN_FORCE), so it starts as a new admission.
      if (res.status === 409 && type === 'contrat-sejour') {
        const body = await res.text();
        if (!body.includes('"CONTRACT_ALREADY_IN_FORCE"')) throw new Error(`create ${type}: 409 ${body}`);
        await h.readmit(firstName);
        res = await post();
      }
      if (res.status !== 202) throw new Error(`create ${type}: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await waitUntil(`${type} generated`, async () => ((await (await call(`/api/documents/${id}`)).json()) as { status: string }).status === 'ready', 60000);
      return id;
    },
    mailsTo(address) {
      return mailbox.list().filter((m) => m.to.some((t) => t.toLowerCase().includes(address.toLowerCase())));
    },
    async waitForMail(address, count, subject) {
      const matching = () => h.mailsTo(address).filter((m) => !subject || subject.test(m.subject));
      await waitUntil(`${count} mail(s) to ${address}`, async () => matching().length >= count, 30000);
      return matching();
    },
  };
  return h;
}
