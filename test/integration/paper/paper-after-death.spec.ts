import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { TEST_PASSWORD, countersignRequest, launchChromium, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { scanOf, tempFile, tool } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const DEMO = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
/** The demo's projet personnalisé, without the demo person it names: her tuteur signs, she may sign beside him (optional), the director last. */
const projet = (): Record<string, unknown> => {
  const { resident: _r, ...data } = DEMO.documents['projet-personnalise'];
  return data;
};
const day = (offset: number) => calendarDayIn(new Date(Date.now() + offset * 86_400_000));
/** Where the sealed PDF is left for a person to look at. */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'paper-after-death');

/**
 * A paper signed in person before the death, its request cancelled by the death (C. civ. 443 al. 1):
 * the contract it records was formed while she lived (C. civ. 1121). Staff upload its scan with the day
 * it was signed: on or before the death, the request reopens for it (`reopened_for_paper`, audited),
 * the director countersigns, the seal completes it and its evidence says she died before it; after
 * the death, or for a request cancelled for another reason, refused with a stable code, nothing stored.
 */
describe('the paper signed before the death, uploaded after it', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  let director: request.Agent;
  let base = '';
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const stored = async (id: string) =>
    Number(((await ds.query(`SELECT count(*) AS n FROM paper_signatures WHERE request_id = $1`, [id])) as { n: string }[])[0].n) +
    Number(((await ds.query(`SELECT count(*) AS n FROM signature_events WHERE request_id = $1 AND kind IN ('paper_uploaded', 'reopened_for_paper')`, [id])) as { n: string }[])[0].n);
  const upload = (agent: request.Agent, id: string, signerIds: string[], scan: Buffer, signedOn?: string) =>
    agent
      .post(`/api/signature-requests/${id}/paper?signerIds=${signerIds.join(',')}${signedOn ? `&signedOn=${signedOn}` : ''}`)
      .set('Content-Type', 'application/pdf')
      .send(scan);

  /** Her projet sent to her tuteur (in person: nothing signed electronically), its scan as if printed and signed. */
  const sent = async (lastName: string) => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'projet-personnalise', data: projet() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const doc = (await admissions.get(`/api/documents/${documentId}`)).body as { versions: { renditions: { format: string; variant: string; href: string }[] }[] };
    const pdf = (await admissions.get(doc.versions[0].renditions.find((r) => r.format === 'pdf' && r.variant === 'standard')!.href).buffer(true).parse(binary)).body as Buffer;
    const view = (await admissions
      .post(`/api/documents/${documentId}/signature-requests`)
      .send({})
      .expect(201)).body as { id: string; signers: { id: string; role: string; optional: boolean }[] };
    return { residentId, documentId, requestId: view.id, signers: view.signers, scan: await scanOf(pdf, [1]) };
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

  it('cancelled by the death: the day is required, after the death refused; signed before it, the request reopens, is countersigned, sealed and completed', async () => {
    const p = await sent('Papier');
    const died = day(-1);
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: died, endReason: 'death' }).expect(200);
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    const side = p.signers.filter((s) => s.role !== 'director' && !s.optional).map((s) => s.id);
    expect(side.length).toBeGreaterThan(0);

    const noDay = await upload(admissions, p.requestId, side, p.scan);
    expect({ status: noDay.status, code: noDay.body.error?.code, field: noDay.body.error?.details?.[0]?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'PAPER_SIGNED_ON_REQUIRED' });
    const after = await upload(admissions, p.requestId, side, p.scan, day(0));
    expect({ status: after.status, code: after.body.error?.code }).toEqual({ status: 409, code: 'PAPER_SIGNED_AFTER_DEATH' });
    expect(after.body.error.message).toContain(`après le décès de la personne le ${formatDateFr(died)}`);
    expect(await stored(p.requestId)).toBe(0);
    expect(await requestStatus(p.requestId)).toBe('cancelled');

    const ok = await upload(admissions, p.requestId, side, p.scan, day(-2));
    expect(ok.status).toBe(200);
    expect(await requestStatus(p.requestId)).toBe('active');
    expect(((await ds.query(`SELECT status FROM documents WHERE id = $1`, [p.documentId])) as { status: string }[])[0].status).toBe('in_signature');
    const [reopened] = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'reopened_for_paper'`, [p.requestId])) as { details: Record<string, unknown> }[];
    expect(reopened.details).toMatchObject({ deceasedOn: died, signedOn: day(-2) });
    const audit = (await ds.query(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'signature.reopened_for_paper'`, [p.requestId])) as { payload: Record<string, unknown> }[];
    expect(audit.map((a) => a.payload)).toEqual([expect.objectContaining({ deceasedOn: died, signedOn: day(-2) })]);

    expect((await countersignRequest(director, p.requestId)).status).toBe(200);
    await waitUntil('sealed and completed', async () => (await requestStatus(p.requestId)) === 'completed', 90_000);
    const evidence = JSON.parse((await director.get(`/api/signature-requests/${p.requestId}/evidence.json`).expect(200)).text) as {
      personDeceasedOn?: string;
      paper?: { signedOn?: string };
      events: { kind: string }[];
    };
    expect(evidence).toMatchObject({ personDeceasedOn: died, paper: { signedOn: day(-2) } });
    expect(evidence.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['cancelled', 'reopened_for_paper', 'paper_uploaded', 'signed_on_paper', 'countersigned']));
    const sealed = (await director.get(`/api/signature-requests/${p.requestId}/signed.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const file = tempFile('sealed-paper.pdf', sealed);
    const text = tool('pdftotext', ['-layout', file, '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Personne décédée le');
    expect(text).toContain('au plus tard le jour du décès, date déclarée par l’établissement');
    mkdirSync(SHOTS, { recursive: true });
    copyFileSync(file, join(SHOTS, 'sealed-paper.pdf'));
  }, 300_000);

  it('the console form: the day of signature asked after the death; a day after it refused beside the field; a day before it reopens the request', async () => {
    const p = await sent('Console');
    const died = day(-1);
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: died, endReason: 'death' }).expect(200);
    const path = `/console/documents/${p.documentId}/demandes/${p.requestId}/papier`;
    const form = (await admissions.get(path).expect(200)).text;
    expect(form).toContain(`La personne est décédée le ${formatDateFr(died)}.`);
    expect(form).toContain('Date à laquelle le papier a été signé');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1];
    const tuteur = p.signers.find((s) => s.role === 'tuteur')!.id;
    const post = (signedOn: string) =>
      admissions.post(path).field('_csrf', csrf).field('signerIds', tuteur).field('signedOn', signedOn).attach('scan', p.scan, { filename: 'scan.pdf', contentType: 'application/pdf' });
    const refused = await post(day(0));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('id="signedOn-erreur"');
    expect(refused.text).toContain('après le décès de la personne');
    await shoot(refused.text, 'formulaire-papier-apres-deces');
    expect(await stored(p.requestId)).toBe(0);
    const ok = await post(day(-3));
    expect(ok.status).toBe(303);
    expect(await requestStatus(p.requestId)).toBe('active');
  }, 300_000);

  it('a request cancelled by staff for another reason: 409 SIGNATURE_REQUEST_CLOSED, nothing stored', async () => {
    const p = await sent('Autre');
    await admissions.post(`/api/signature-requests/${p.requestId}/cancel`).send({ reason: 'Erreur de tarif' }).expect(200);
    const side = p.signers.filter((s) => s.role !== 'director').map((s) => s.id);
    const res = await upload(admissions, p.requestId, side, p.scan, day(-1));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'SIGNATURE_REQUEST_CLOSED' });
    expect(res.body.error.message).toContain('Seule une demande annulée au décès de la personne');
    expect(await stored(p.requestId)).toBe(0);
  }, 300_000);

  /** The page at 1280 and 320 px wide, in SHOTS. */
  async function shoot(html: string, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: width < 600 ? 1400 : 900 } })).newPage();
        // A page of the same origin first: the console's stylesheet (a same-origin path) then loads.
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
    } finally {
      await browser.close();
    }
  }
});
