import request from 'supertest';
import { DataSource } from 'typeorm';
import { sha256Hex } from '@carepact/common';
import { DISPLAY_FACTS_MS, PortalContextReader, PortalSessionService } from '@carepact/signing';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * Issue 9 item 5: a page read reuses the session context this process kept only while the stamp of
 * the session's signing state is the same (PortalContextReader, PortalSessionService.readContext).
 * Every row that state is read from changes the stamp when it changes — session, link, request, the
 * signer, a co-signer, a recorded view, the seal — and a kept context is then not reused; a lock or
 * a rolled-back change is no change. Stamps asked for together (one query) each go to their session.
 */
describe('portal session stamp: what a page read may reuse', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let requestId = '';
  const tokens: Record<'resident' | 'curateur', string> = { resident: '', curateur: '' };
  const signerIds: Record<'resident' | 'curateur', string> = { resident: '', curateur: '' };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    ds = h.app.get(DataSource);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    const worker = await startWorker(h.db.config, { probe: false });
    try {
      await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
    } finally {
      await worker.close();
    }
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    requestId = view.id;
    for (const who of ['resident', 'curateur'] as const) {
      const signer = view.signers.find((s) => (who === 'resident' ? s.role === 'resident' : s.role !== 'resident'))!;
      signerIds[who] = signer.id;
      const opened = (await admissions.post(`/api/signature-requests/${view.id}/signers/${signer.id}/in-person`).expect(200)).body as { url: string };
      const open = await request(h.app.getHttpServer()).get(new URL(opened.url).pathname).redirects(0);
      expect(open.status).toBe(303);
      tokens[who] = decodeURIComponent(String(open.headers['set-cookie']).split(';')[0].split('=')[1]);
    }
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  const stamp = () => h.app.get(PortalContextReader).stamp(sha256Hex(tokens.resident));
  const read = () => h.app.get(PortalSessionService).readContext(tokens.resident);

  it('unchanged: the same stamp and the same context object; a lock or a rolled-back change changes nothing', async () => {
    const ctx = await read();
    const s = await stamp();
    // session, signer, request, link, the person's archive day ('-' while none), signers, views, seals.
    expect(s).toMatch(/^\d+:\d+:\d+:\d+:-:[\d,]+:-:-$/);
    expect(await read()).toBe(ctx);
    await ds.transaction(async (em) => {
      await em.query(`SELECT 1 FROM signature_requests WHERE id = $1 FOR UPDATE`, [requestId]);
      await em.query(`SELECT 1 FROM signature_signers WHERE request_id = $1 FOR UPDATE`, [requestId]);
    });
    await ds
      .transaction(async (em) => {
        await em.query(`UPDATE signature_signers SET status = 'signed' WHERE id = $1`, [signerIds.resident]);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await stamp()).toBe(s);
    expect(await read()).toBe(ctx);
  });

  it.each([
    ['the session', `UPDATE portal_sessions SET last_seen_at = last_seen_at WHERE token_hash = $1`, 'hash'],
    ['its link', `UPDATE signing_links SET expires_at = expires_at WHERE id = (SELECT link_id FROM portal_sessions WHERE token_hash = $1)`, 'hash'],
    ['the request', `UPDATE signature_requests SET status = status WHERE id = $1`, 'request'],
    ['the signer', `UPDATE signature_signers SET status = status WHERE id = $1`, 'resident'],
    ['a co-signer', `UPDATE signature_signers SET status = status WHERE id = $1`, 'curateur'],
    ['a recorded view', `INSERT INTO recorded_views (request_id, view_key, person_name, expression, comment, recorded_by_signer_id, recorded_at) VALUES ($1, 'essai', 'Essai', 'accord', NULL, NULL, now())`, 'request'],
    [
      'the seal',
      `INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at)
       SELECT r.id, r.version_id, (SELECT sha256 FROM blobs LIMIT 1), '{}'::jsonb, 'essai', 'CN=essai', now() FROM signature_requests r WHERE r.id = $1`,
      'request',
    ],
  ] as const)('a change of %s (even to the same values): another stamp, the kept context is not reused', async (what, sql, param) => {
    const before = await read();
    const s = await stamp();
    await ds.query(sql, [param === 'hash' ? sha256Hex(tokens.resident) : param === 'request' ? requestId : signerIds[param]]);
    expect({ what, changed: (await stamp()) !== s }).toEqual({ what, changed: true });
    const after = await read();
    expect({ what, reused: after === before }).toEqual({ what, reused: false });
    expect(after.signer.id).toBe(signerIds.resident);
    // And kept again from there.
    expect(await read()).toBe(after);
  });

  it('what comes from other libs (the establishment’s contact, the resident’s name) is not in the stamp: read again once DISPLAY_FACTS_MS have passed', async () => {
    const before = await read();
    const s = await stamp();
    await ds.query(`UPDATE establishments SET phone = '01 02 03 04 05' WHERE id = $1`, [before.request.establishmentId]);
    await ds.query(`UPDATE residents SET last_name = 'Nouveau-Nom' WHERE id = (SELECT resident_id FROM documents WHERE id = $1)`, [before.document.id]);
    expect(await stamp()).toBe(s);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now + DISPLAY_FACTS_MS + 1);
    try {
      const after = await read();
      expect(after).not.toBe(before);
      expect({ phone: after.establishment.phone, name: after.residentName.endsWith('Nouveau-Nom') }).toEqual({ phone: '01 02 03 04 05', name: true });
    } finally {
      clock.mockRestore();
    }
  });

  it('stamps asked for together are read by one query and each goes to its own session', async () => {
    const reader = h.app.get(PortalContextReader);
    const hashes = [tokens.resident, tokens.curateur, 'x'.repeat(43)].map((t) => sha256Hex(t));
    // The pool TypeORM uses, watched (every call goes through to PostgreSQL).
    const pool = (ds.driver as unknown as { master: { query: (q: unknown) => Promise<unknown> } }).master;
    const queries = jest.spyOn(pool, 'query');
    const [resident, curateur, unknown, residentAgain] = await Promise.all([...hashes.map((x) => reader.stamp(x)), reader.stamp(hashes[0])]);
    const stampQueries = queries.mock.calls.filter(([q]) => (q as { name?: string }).name === 'portal_session_stamps_v2');
    queries.mockRestore();
    expect(stampQueries.map(([q]) => (q as { values: string[][] }).values[0].length)).toEqual([3]);
    expect(unknown).toBeNull();
    expect(residentAgain).toBe(resident);
    expect(resident).not.toBe(curateur);
    const sessions = h.app.get(PortalSessionService);
    const contexts = await Promise.all([tokens.curateur, tokens.resident, tokens.curateur].map((t) => sessions.readContext(t)));
    expect(contexts.map((c) => c.signer.id)).toEqual([signerIds.curateur, signerIds.resident, signerIds.curateur]);
  });
});
