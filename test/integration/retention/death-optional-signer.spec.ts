import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PortalClient, TEST_PASSWORD, countersignRequest, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { tempFile, tool } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Today in Paris: the day of death of a person whose tuteur signed today. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const frToday = () => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date()).replace(/^1 /, '1er ');
const DEMO = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
/** The demo's projet personnalisé, without the demo person it names. */
const projet = (): Record<string, unknown> => {
  const { resident: _r, ...data } = DEMO.documents['projet-personnalise'];
  return data;
};
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
/** Where the rendered evidence page is left for a person to look at. */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'death-optional-signer');

/**
 * A projet personnalisé under tutelle: her tuteur signs (required), she may sign it herself beside him
 * (optional, CASF L.311-3 7°), the director countersigns. She dies after her tuteur signed, before she
 * did: the agreement her side had to give was given (C. civ. 1121) — the request is not cancelled;
 * her own optional signature can no longer come (C. civ. 443 al. 1): closed « non signé — décès de la
 * personne le … », no link any more; the director countersigns, the seal completes the request (no
 * countersignature window for her) and its evidence page says she died before it.
 */
describe('after a death: a request whose required signers of her side all signed, only her optional signature pending', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let director: request.Agent;
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const eventsOf = async (id: string) =>
    (await ds.query(`SELECT kind, signer_id AS "signerId", details FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [id])) as {
      kind: string;
      signerId: string | null;
      details: Record<string, unknown>;
    }[];
  const auditOf = async (id: string, action: string) =>
    ((await ds.query(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = $2`, [id, action])) as { payload: Record<string, unknown> }[]).map((e) => e.payload);

  /** Her projet sent; her tuteur records her view and signs in person: her own optional signature and the director's are pending. */
  const signedByTuteur = async (lastName: string) => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'projet-personnalise', data: projet() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({}).expect(201)).body as { id: string; signers: { id: string; role: string; optional: boolean }[] };
    expect(sent.signers.map((s) => [s.role, s.optional])).toEqual([
      ['resident', true],
      ['tuteur', false],
      ['director', false],
    ]);
    const tuteur = sent.signers.find((s) => s.role === 'tuteur')!;
    const self = sent.signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    expect((await portal.post('/portail/avis', { viewKey: 'resident', expression: 'accord', comment: '' })).status).toBe(303);
    expect((await portal.sign({ consent: 'oui', typedName: `Olivier Marchal` })).status).toBe(303);
    // Her own place to sign, by a link given in person: still open when she dies.
    const own = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${self.id}/in-person`).expect(200)).body as { url: string };
    return { residentId, documentId, requestId: sent.id, selfId: self.id, ownLink: base + new URL(own.url).pathname };
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('kept, her optional signature closed « non signé — décès » (event, audit, no link), countersigned, sealed and completed; the evidence says she died before the seal', async () => {
    const p = await signedByTuteur('Facultative');
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    expect(res.body.cancelledSignatureRequests).toEqual([]);
    expect(res.body.keptSignatureRequests).toEqual([expect.objectContaining({ id: p.requestId, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH' })]);
    expect(await requestStatus(p.requestId)).toBe('active');
    const events = await eventsOf(p.requestId);
    expect(events.map((e) => e.kind)).not.toContain('cancelled');
    expect(events.find((e) => e.kind === 'kept_at_death')?.details).toMatchObject({ deceasedOn: today(), lapsedSignerIds: [p.selfId] });
    const lapsed = events.filter((e) => e.kind === 'lapsed_at_death');
    expect(lapsed).toEqual([
      {
        kind: 'lapsed_at_death',
        signerId: p.selfId,
        details: expect.objectContaining({ deceasedOn: today(), reason: expect.stringContaining(`Non signé — décès de la personne le ${frToday()}`) }),
      },
    ]);
    expect(await auditOf(p.requestId, 'signature.lapsed_at_death')).toEqual([expect.objectContaining({ deceasedOn: today() })]);
    // Her link no longer opens; staff cannot give her a new one.
    const portal = new PortalClient(base);
    expect((await portal.open(p.ownLink)).status).not.toBe(200);
    const again = await admissions.post(`/api/signature-requests/${p.requestId}/signers/${p.selfId}/in-person`);
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'SIGNER_LAPSED_AT_DEATH' });
    expect(again.body.error.message).toContain('est close « non signé » (C. civ. art. 443)');

    // The director countersigns: sealed and completed at once (no countersignature window for her).
    const countersigned = await countersignRequest(director, p.requestId);
    expect(countersigned.status).toBe(200);
    await waitUntil('the request completed', async () => (await requestStatus(p.requestId)) === 'completed', 60_000);
    expect(((await ds.query(`SELECT status FROM documents WHERE id = $1`, [p.documentId])) as { status: string }[])[0].status).toBe('signed');
    const evidence = JSON.parse((await director.get(`/api/signature-requests/${p.requestId}/evidence.json`).expect(200)).text) as {
      personDeceasedOn?: string;
      signers: { id: string; status: string; lapsedAtDeath?: string }[];
      events: { kind: string }[];
    };
    expect(evidence.personDeceasedOn).toBe(today());
    expect(evidence.signers.find((s) => s.id === p.selfId)).toMatchObject({ status: 'pending', lapsedAtDeath: today() });
    expect(evidence.events.map((e) => e.kind)).toContain('lapsed_at_death');
    const sealed = (await director.get(`/api/signature-requests/${p.requestId}/signed.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const file = tempFile('sealed.pdf', sealed);
    const text = tool('pdftotext', ['-layout', file, '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(`Personne décédée le ${frToday()} ; document scellé après son décès`);
    expect(text).toContain(`non signé — décès de la personne le ${frToday()}`);
    mkdirSync(SHOTS, { recursive: true });
    copyFileSync(file, join(SHOTS, 'sealed.pdf'));
  }, 300_000);

  it('established before the death (tuteur and director signed, sealed), her own signature still open in its window: the death closes it — lapsed, the request completed', async () => {
    const p = await signedByTuteur('Fenetre');
    expect((await countersignRequest(director, p.requestId)).status).toBe(200);
    await waitUntil('sealed, her window open', async () => (await eventsOf(p.requestId)).some((e) => e.kind === 'sealed'), 60_000);
    expect(await requestStatus(p.requestId)).toBe('active');
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    expect(await requestStatus(p.requestId)).toBe('completed');
    const events = await eventsOf(p.requestId);
    expect(events.filter((e) => e.kind === 'lapsed_at_death').map((e) => e.signerId)).toEqual([p.selfId]);
    expect(events.find((e) => e.kind === 'countersign_window_closed')?.details).toMatchObject({ reason: 'death', notCountersigned: [p.selfId] });
    expect(await auditOf(p.requestId, 'signature.countersign_window_closed')).toEqual([expect.objectContaining({ reason: 'death' })]);
    expect((await new PortalClient(base).open(p.ownLink)).status).not.toBe(200);
  }, 300_000);

  it('a required signer of her side still pending: cancelled as before', async () => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName: 'Annulee' }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'projet-personnalise', data: projet() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({}).expect(201)).body as { id: string };
    const res = await admin.put(`/api/residents/${residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    expect(res.body.keptSignatureRequests).toEqual([]);
    expect(res.body.cancelledSignatureRequests).toEqual([expect.objectContaining({ id: sent.id })]);
    expect(await requestStatus(sent.id)).toBe('cancelled');
    expect((await eventsOf(sent.id)).map((e) => e.kind)).not.toContain('lapsed_at_death');
  }, 300_000);
});
