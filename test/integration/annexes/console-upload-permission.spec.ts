import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** What a multipart upload sent part-way got back, if anything, while the rest of its body was held back. */
interface PartialUpload {
  /** null: no answer within the wait, the server was still reading the body. */
  status: number | null;
  text: string;
  /** Bytes of the body sent when the answer came (or when the wait ended), and the length declared. */
  sent: number;
  declared: number;
}

/**
 * Sends a console multipart form whose file declares `fileBytes` (Content-Length says the whole),
 * but writes only its fields and the first 64 KiB of the file, then waits `waitMs` for an answer
 * without sending more. A server that reads the form before checking who asks cannot answer: the
 * body is incomplete. One that checks first answers with the rest of the body never sent.
 */
function partialUpload(url: string, cookie: string, fields: [string, string][], fileField: string, fileBytes: number, waitMs: number): Promise<PartialUpload> {
  const boundary = '----carepact-test-boundary';
  const head = Buffer.from(
    fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const declared = head.length + fileBytes + tail.length;
  const first = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64 * 1024 - 9, 0x20)]);
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      agent: false,
      headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(declared) },
    });
    let sent = 0;
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: null, text: '', sent, declared });
    }, waitMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), sent, declared });
      });
    });
    req.on('error', (e) => {
      // Our own destroy after the answer (or the wait) is not a failure.
      if (!req.destroyed) reject(e);
    });
    req.write(head);
    req.write(first);
    sent = head.length + first.length;
  });
}

/**
 * The console's two multipart uploads (an annex's PDF, a paper signature's scan) check who asks
 * before their file is read (AnnexPublishGuard, ScanUploadGuard): a signed-in auditor's upload is
 * answered 403 with the console's French page while most of its body was never sent, so nothing of
 * it was held in memory. The method, without a spy: Content-Length declares 19 MB, only the
 * fields and 64 KiB of the file are written, and the answer must come before anything more is sent;
 * a reader that takes the body first (FileInterceptor, multer in memory) cannot answer then. The
 * director's same partial upload is the control: it is not answered, its body is being read.
 */
describe('console uploads: the permission is checked before the file is read', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base: string;
  let est: string;
  let documentId: string;
  let requestId: string;
  let signerIds: string[];
  let auditorCookie: string;
  let directorCookie: string;
  let auditorCsrf: string;
  let directorCsrf: string;

  const declaredFile = 19 * 1024 * 1024;
  const stored = async () =>
    (
      (await ds.query(`SELECT
        (SELECT count(*)::int FROM establishment_annex_files) AS annexes,
        (SELECT count(*)::int FROM paper_signatures) AS papers,
        (SELECT count(*)::int FROM blobs) AS blobs`)) as Record<string, number>[]
    )[0];
  /** A real login through the API: the session cookie as a browser would send it back, and the console's form token. */
  const session = async (email: string) => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const home = await (await fetch(`${base}/console`, { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1];
    expect(csrf).toBeTruthy();
    return { cookie, csrf: csrf! };
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    est = h.orgA.establishmentId;
    const admissions: request.Agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(est)).expect(201)).body.id as string;
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    requestId = view.id;
    signerIds = view.signers.filter((s) => s.role !== 'director').map((s) => s.id);
    ({ cookie: auditorCookie, csrf: auditorCsrf } = await session(h.orgA.users.auditor.email));
    ({ cookie: directorCookie, csrf: directorCsrf } = await session(h.orgA.users.director.email));
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('an auditor’s annex upload: 403, the console’s French page, answered with 64 KiB of a declared 19 MB sent; nothing stored', async () => {
    const before = await stored();
    const fields: [string, string][] = [
      ['_csrf', auditorCsrf],
      ['kind', 'livret-accueil-2026'],
      ['versionLabel', 'Édition 2026'],
      ['effectiveOn', ''],
    ];
    const res = await partialUpload(`${base}/console/admin/etablissements/${est}/documents-remis`, auditorCookie, fields, 'file', declaredFile, 5_000);
    expect({ status: res.status, answeredBeforeTheBody: res.sent < res.declared / 100 }).toEqual({ status: 403, answeredBeforeTheBody: true });
    expect(res.text).toContain('<html lang="fr"');
    expect(res.text).toContain('Votre rôle ne permet pas cette action.');
    expect(await stored()).toEqual(before);
  });

  it('an auditor’s paper scan upload: 403, the console’s French page, answered with 64 KiB of a declared 19 MB sent; nothing stored', async () => {
    const before = await stored();
    const fields: [string, string][] = [['_csrf', auditorCsrf], ...signerIds.map((id): [string, string] => ['signerIds', id])];
    const res = await partialUpload(`${base}/console/documents/${documentId}/demandes/${requestId}/papier`, auditorCookie, fields, 'scan', declaredFile, 5_000);
    expect({ status: res.status, answeredBeforeTheBody: res.sent < res.declared / 100 }).toEqual({ status: 403, answeredBeforeTheBody: true });
    expect(res.text).toContain('<html lang="fr"');
    expect(res.text).toContain('Votre rôle ne permet pas cette action.');
    expect(await stored()).toEqual(before);
  });

  it('the control: the director may publish, so the same partial upload is read, not answered while its body is incomplete', async () => {
    const fields: [string, string][] = [
      ['_csrf', directorCsrf],
      ['kind', 'livret-accueil-2026'],
      ['versionLabel', 'Édition 2026'],
      ['effectiveOn', ''],
    ];
    const res = await partialUpload(`${base}/console/admin/etablissements/${est}/documents-remis`, directorCookie, fields, 'file', declaredFile, 1_500);
    expect(res.status).toBeNull();
  });
});
