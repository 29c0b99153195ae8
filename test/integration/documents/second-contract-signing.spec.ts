import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { TEST_PASSWORD, contractData, countersignRequest, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { scanOf } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const IN_FORCE = { code: 'CONTRACT_ALREADY_IN_FORCE', message: 'Un contrat de séjour est déjà signé : toute modification se fait par avenant (CASF L.311-4, D.311).' };
const MARCEL = 'marcel.dupont@example.org';
const KARIM = 'k.benaissa@udaf-val.example';
const LATE = { lateReason: 'Essai : envoi après le délai légal.' };

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; role: string }[];
}

/**
 * The security review's finding (HIGH, reproduced): a second contract of one admission is refused at
 * its creation once one is signed (CONTRACT_ALREADY_IN_FORCE), drafts being allowed — but two drafts
 * made before either was signed could both be sent and signed: two contrats de séjour for one stay.
 * CASF L.311-4, D.311: the contract is concluded once for the stay, then amended by avenant. Now the
 * signing side keeps it: no request, no new version, no paper for a contract while another of the
 * admission is concluded (409 CONTRACT_ALREADY_IN_FORCE, the creation's message), and the signature
 * that concludes one cancels the other contracts' open requests in its transaction — audited, the
 * signers told by the `signature-cancelled` e-mail why. The api and the worker in process, a real
 * SMTP server (DevMailbox), PostgreSQL and Redis.
 */
describe('one contrat de séjour per stay, at signature too (CASF L.311-4, D.311)', () => {
  let h: ApiHarness;
  let worker: WorkerHandle | undefined;
  let ds: DataSource;
  let admissions: request.Agent;
  let director: request.Agent;
  const mailbox = new DevMailbox();
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => ds.query(q, params) as Promise<T[]>;
  const statusOf = async (documentId: string) => (await sql<{ status: string }>(`SELECT status FROM documents WHERE id = $1`, [documentId]))[0].status;
  const requestStatus = async (requestId: string) => (await sql<{ status: string }>(`SELECT status FROM signature_requests WHERE id = $1`, [requestId]))[0].status;
  const signedContracts = async (residentId: string) =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM documents WHERE resident_id = $1 AND type = 'contrat-sejour' AND status = 'signed'`, [residentId]))[0].n);

  const newResident = async () => (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
  /** Two drafts of the same admission, generated: allowed on purpose (a draft may be abandoned for another). */
  const twoDrafts = async (residentId: string) => {
    const a = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    const b = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('both contracts generated', async () => (await statusOf(a)) === 'ready' && (await statusOf(b)) === 'ready', 60_000);
    return [a, b];
  };
  const send = (documentId: string) => admissions.post(`/api/documents/${documentId}/signature-requests`).send(LATE);
  /** The contract printed, signed by hand and scanned (its first page). */
  const scanOfContract = async (documentId: string) => {
    const doc = (await admissions.get(`/api/documents/${documentId}`)).body as { versions: { renditions: { format: string; variant: string; href: string }[] }[] };
    const href = doc.versions[0].renditions.find((r) => r.format === 'pdf' && r.variant === 'standard')!.href;
    return scanOf((await admissions.get(href).buffer(true).parse(binary)).body as Buffer, [1]);
  };
  const paper = async (agent: request.Agent, view: RequestView, signerIds: string[], documentId: string) =>
    agent
      .post(`/api/signature-requests/${view.id}/paper?signerIds=${signerIds.join(',')}`)
      .set('Content-Type', 'application/pdf')
      .send(await scanOfContract(documentId));
  const sealed = (documentId: string) => waitUntil('the contract sealed', async () => (await statusOf(documentId)) === 'signed', 60_000);

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', SMTP_URL: `smtp://127.0.0.1:${port}` });
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    worker = await startWorker(h.db.config, { probe: false });
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  it('the attack: two drafts, A signed on paper — B is not sent (409, while A waits for its seal and once sealed), nor corrected into a new version; one contract signed', async () => {
    const residentId = await newResident();
    const [a, b] = await twoDrafts(residentId);
    const viewA = (await send(a).expect(201)).body as RequestView;
    // No worker for a moment: A's seal waits in the outbox, as behind a busy seal queue.
    await worker!.close();
    worker = undefined;
    let early: request.Response;
    try {
      expect((await paper(director, viewA, viewA.signers.map((s) => s.id), a)).status).toBe(200);
      // Every signature of A is in: it only waits for its seal — already concluded, nothing may duplicate it.
      expect(await statusOf(a)).toBe('in_signature');
      early = await send(b);
    } finally {
      worker = await startWorker(h.db.config, { probe: false });
    }
    expect({ status: early.status, error: early.body.error }).toEqual({ status: 409, error: expect.objectContaining(IN_FORCE) });
    await sealed(a);
    const late = await send(b);
    expect({ status: late.status, error: late.body.error }).toEqual({ status: 409, error: expect.objectContaining(IN_FORCE) });
    // Who would sign (the console's send form reads it): refused with the same sentence.
    expect((await admissions.post(`/api/documents/${b}/signature-requests/preview`).send({})).body.error).toMatchObject(IN_FORCE);
    // A third contract, as before: refused at its creation.
    expect((await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() })).body.error).toMatchObject(IN_FORCE);
    // A new version of B is a second contract too; one of the signed A is refused as any signed document's (an avenant).
    const versionB = await admissions.post(`/api/documents/${b}/versions`).send({ data: contractData(), reason: 'Tarif corrigé' });
    expect({ status: versionB.status, error: versionB.body.error }).toEqual({ status: 409, error: expect.objectContaining(IN_FORCE) });
    expect((await admissions.post(`/api/documents/${a}/versions`).send({ data: contractData(), reason: 'Tarif corrigé' })).body.error.code).toBe('DOCUMENT_SIGNED_USE_AVENANT');
    expect(await sql(`SELECT count(*)::int AS n FROM document_versions WHERE document_id = $1`, [b])).toEqual([{ n: 1 }]);
    expect(await sql(`SELECT count(*)::int AS n FROM signature_requests WHERE document_id = $1`, [b])).toEqual([{ n: 0 }]);
    expect({ b: await statusOf(b), signed: await signedContracts(residentId) }).toEqual({ b: 'ready', signed: 1 });
  }, 180_000);

  it('the race: both sent, A concluded by the director’s countersignature — B’s request is cancelled in that transaction, audited, its signers e-mailed why; B can never complete', async () => {
    const residentId = await newResident();
    const [a, b] = await twoDrafts(residentId);
    const viewA = (await send(a).expect(201)).body as RequestView;
    const viewB = (await send(b).expect(201)).body as RequestView;
    // B's signers were invited by e-mail (parallel: both at once).
    await waitUntil('B’s invitations', async () => {
      const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'email_sent'`, [viewB.id]);
      return row.n >= 2;
    });
    // A: Marcel and his curateur on paper, then the director countersigns in the console's API.
    const persons = viewA.signers.filter((s) => s.role !== 'director').map((s) => s.id);
    expect((await paper(admissions, viewA, persons, a)).status).toBe(200);
    expect(await requestStatus(viewB.id)).toBe('active');
    expect((await countersignRequest(director, viewA.id)).status).toBe(200);

    // In the countersignature's transaction: B's request cancelled, B back to « prêt », the reason recorded.
    expect({ request: await requestStatus(viewB.id), document: await statusOf(b) }).toEqual({ request: 'cancelled', document: 'ready' });
    const [event] = await sql<{ details: Record<string, string> }>(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [viewB.id]);
    expect(event).toMatchObject({ details: { reason: 'Un autre contrat de séjour a été signé pour ce séjour', otherContractDocumentId: a, otherContractRequestId: viewA.id } });
    // In the audit chain too.
    expect(await sql(`SELECT actor_type, payload->>'otherContractDocumentId' AS contract FROM audit_events WHERE subject_id = $1 AND action = 'signature.cancelled'`, [viewB.id])).toEqual([
      { actor_type: 'system', contract: a },
    ]);
    // Its links are dead.
    expect(await sql(`SELECT count(*)::int AS n FROM signing_links WHERE request_id = $1 AND revoked_at IS NULL`, [viewB.id])).toEqual([{ n: 0 }]);

    // Each of B's signers is told, with the reason; no link.
    for (const address of [MARCEL, KARIM]) {
      await waitUntil(`the cancellation e-mail to ${address}`, async () => mailbox.list().some((m) => m.to.includes(address) && /^Demande de signature annulée : /.test(m.subject)), 30_000);
      const mails = mailbox.list().filter((m) => m.to.includes(address) && /^Demande de signature annulée : /.test(m.subject));
      expect(mails).toHaveLength(1);
      const text = mails[0].text.replace(/[\u2068\u2069]/g, '');
      expect(text).toContain('a annulé la demande de signature pour');
      expect(text).toContain('car un autre contrat de séjour a été signé pour ce séjour.');
      expect(mails[0].html).not.toMatch(/<a\b/);
    }
    await waitUntil('email_sent recorded', async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND details->>'kind' = 'signature-cancelled'`, [viewB.id]))[0].n === 2);

    // B can never complete: its request is closed, and a new one is refused.
    const paperB = await paper(director, viewB, viewB.signers.map((s) => s.id), b);
    expect({ status: paperB.status, code: paperB.body.error?.code }).toEqual({ status: 409, code: 'SIGNATURE_REQUEST_CLOSED' });
    expect((await send(b)).body.error).toMatchObject(IN_FORCE);
    await sealed(a);
    expect({ b: await statusOf(b), signed: await signedContracts(residentId) }).toEqual({ b: 'ready', signed: 1 });
  }, 180_000);

  it('the new-version path: a draft corrected while another contract of its admission is signed → 409 CONTRACT_ALREADY_IN_FORCE; of another admission, allowed', async () => {
    const residentId = await newResident();
    const [a, b] = await twoDrafts(residentId);
    await sql(`UPDATE documents SET status = 'signed' WHERE id = $1`, [a]);
    const refused = await admissions.post(`/api/documents/${b}/versions`).send({ data: contractData(), reason: 'Tarif corrigé' });
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 409, error: expect.objectContaining(IN_FORCE) });
    expect(await sql(`SELECT count(*)::int AS n FROM document_versions WHERE document_id = $1`, [b])).toEqual([{ n: 1 }]);
    // Readmitted (a new admission date on the file): the corrected draft is the new stay's contract.
    const [{ d }] = await sql<{ d: string }>(`SELECT admission_date::text AS d FROM residents WHERE id = $1`, [residentId]);
    await sql(`UPDATE residents SET admission_date = $2 WHERE id = $1`, [residentId, `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`]);
    expect((await admissions.post(`/api/documents/${b}/versions`).send({ data: contractData(), reason: 'Nouvelle admission' })).status).toBe(202);
  }, 180_000);

  it('a request the old code left open while another contract was signed: its paper scan → 409 CONTRACT_ALREADY_IN_FORCE, nothing stored', async () => {
    const residentId = await newResident();
    const [a, b] = await twoDrafts(residentId);
    const viewA = (await send(a).expect(201)).body as RequestView;
    const viewB = (await send(b).expect(201)).body as RequestView;
    // What the code before this fix could leave: A signed, B's request still open.
    await sql(`UPDATE signature_requests SET status = 'completed', closed_at = now() WHERE id = $1`, [viewA.id]);
    await sql(`UPDATE documents SET status = 'signed' WHERE id = $1`, [a]);
    const res = await paper(director, viewB, viewB.signers.map((s) => s.id), b);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 409, error: expect.objectContaining(IN_FORCE) });
    expect(await sql(`SELECT count(*)::int AS n FROM paper_signatures WHERE request_id = $1`, [viewB.id])).toEqual([{ n: 0 }]);
    expect(await sql(`SELECT DISTINCT status FROM signature_signers WHERE request_id = $1`, [viewB.id])).toEqual([{ status: 'pending' }]);
    expect({ request: await requestStatus(viewB.id), b: await statusOf(b), signed: await signedContracts(residentId) }).toEqual({ request: 'active', b: 'in_signature', signed: 1 });
  }, 180_000);
});
