import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { PortalClient, TEST_PASSWORD, contractData, countersignRequest, curatelleResident, launchChromium, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the console's notice after the death is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'death-kept-requests');
/** Today in Paris, the establishment's calendar: the day of death of a person whose side signed today. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const DEMO = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Record<string, unknown>> };
/** The demo's compte rendu de réunion de synthèse, on a meeting day given. */
const minutes = (date: string): Record<string, unknown> => {
  const { resident: _r, ...data } = DEMO.documents['compte-rendu-synthese'];
  return { ...data, date };
};

/**
 * The sector lawyer's review of session 20. (1) A death ends the representative's power (C. civ. 443
 * al. 1), not the signatures given: a request the person's side had all signed, only the director's
 * countersignature pending, is an agreement formed before the death (C. civ. 1121) — kept open, not
 * cancelled; the answer, the notice, the history and the audit say so; the director countersigns it
 * (no 409 RESIDENT_DECEASED). (2) The compte rendu of a meeting held before the death records past
 * facts: it may be written, corrected and sent for the director's signature alone; a meeting after
 * the death stays refused (409 RESIDENT_DECEASED).
 */
describe('after a death: the requests her side signed before it, the minutes of a meeting held before it', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let director: request.Agent;
  const mailbox = new DevMailbox();
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const eventsOf = async (id: string) => ((await ds.query(`SELECT kind, details FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [id])) as { kind: string; details: Record<string, unknown> }[]);
  const auditOf = async (id: string, action: string) =>
    ((await ds.query(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = $2`, [id, action])) as { payload: Record<string, unknown> }[]).map((e) => e.payload);
  const cancelJobs = async (id: string) => Number(((await ds.query(`SELECT count(*) AS n FROM outbox WHERE job_name = 'notify.cancelled' AND payload->>'requestId' = $1`, [id])) as { n: string }[])[0].n);

  /** An adult without a protection measure, her contract sent and signed by her in person: only the director's countersignature is pending. */
  const signedByHer = async (lastName: string) => {
    const { protectionMeasure: _m, ...adult } = curatelleResident(h.orgA.establishmentId);
    const residentId = (await admissions.post('/api/residents').send({ ...adult, lastName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : la famille était absente.' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    const self = sent.signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${self.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    expect((await portal.sign({ consent: 'oui', typedName: `Marcel ${lastName}` })).status).toBe(303);
    return { residentId, documentId, requestId: sent.id };
  };

  beforeAll(async () => {
    const { port } = await mailbox.start(0);
    h = await startApiHarness({ OUTBOX_POLL_MS: '100', EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')), SMTP_URL: `smtp://127.0.0.1:${port}` });
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
    await mailbox.stop();
  });

  it('the API: a request she signed before her death is kept (not cancelled, no e-mail), the answer and the audit say why; the director countersigns it', async () => {
    const p = await signedByHer('Gardee');
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    expect(res.body.cancelledSignatureRequests).toEqual([]);
    expect(res.body.keptSignatureRequests).toEqual([
      expect.objectContaining({ id: p.requestId, personSideSigned: true, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH', keptReason: expect.stringContaining('C. civ. art. 1121') }),
    ]);
    expect(res.body.openSignatureRequests).toEqual([expect.objectContaining({ id: p.requestId })]);
    expect(res.body.warning).toContain('seule la contresignature de l’établissement reste à donner');
    expect(res.body.warning).not.toContain('cancelOpenRequests');
    expect(await requestStatus(p.requestId)).toBe('active');
    const events = await eventsOf(p.requestId);
    expect(events.map((e) => e.kind)).not.toContain('cancelled');
    expect(events.find((e) => e.kind === 'kept_at_death')?.details).toMatchObject({ deceasedOn: today(), keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH' });
    expect(await auditOf(p.requestId, 'signature.kept_at_death')).toEqual([expect.objectContaining({ deceasedOn: today(), keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH' })]);
    expect(await cancelJobs(p.requestId)).toBe(0);
    // The console's document page says it was kept, not cancelled, beside the signers' dates.
    const page = (await director.get(`/console/documents/${p.documentId}`).expect(200)).text;
    expect(page).toContain('son accord était donc donné (C. civ. art. 1121). La demande est maintenue pour la seule contresignature de la direction ; elle n’a pas été annulée.');
    expect(page).not.toContain('Demande annulée');
    await shoot(page, 'document-demande-maintenue', `[data-request-id="${p.requestId}"]`);
    // The director's countersignature is not a new request: no 409 RESIDENT_DECEASED.
    const countersigned = await countersignRequest(director, p.requestId);
    expect({ status: countersigned.status, code: countersigned.body?.error?.code }).toEqual({ status: 200, code: undefined });
    await waitUntil('the request completed', async () => (await requestStatus(p.requestId)) === 'completed', 60_000);
    // The sealed evidence says it, after her signature (dated before the death) and before the countersignature.
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${p.requestId}/evidence.json`)).status === 200, 60_000);
    const evidence = JSON.parse((await director.get(`/api/signature-requests/${p.requestId}/evidence.json`).expect(200)).text) as { events: { kind: string; details?: Record<string, unknown> }[] };
    const kinds = evidence.events.map((e) => e.kind);
    expect(kinds.indexOf('kept_at_death')).toBeGreaterThan(kinds.indexOf('signed'));
    expect(kinds.indexOf('signed')).toBeGreaterThan(-1);
    expect(kinds.indexOf('countersigned')).toBeGreaterThan(kinds.indexOf('kept_at_death'));
    expect(evidence.events.find((e) => e.kind === 'kept_at_death')?.details).toMatchObject({ deceasedOn: today(), keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH' });
    // The completion e-mail (one per signer with an address, the director's account has none here): none to the deceased person herself, `email_skipped` saying why.
    const [her] = (await ds.query(`SELECT id FROM signature_signers WHERE request_id = $1 AND role = 'resident'`, [p.requestId])) as { id: string }[];
    await waitUntil('the completion e-mail handled', async () => (await eventsOf(p.requestId)).some((e) => e.kind === 'email_skipped' || e.kind === 'completion_sent'), 60_000);
    expect(await ds.query(`SELECT signer_id AS "signerId", kind, details FROM signature_events WHERE request_id = $1 AND kind IN ('email_skipped', 'completion_sent')`, [p.requestId])).toEqual([
      { signerId: her.id, kind: 'email_skipped', details: { kind: 'signature-completed', reason: 'resident_deceased' } },
    ]);
    expect(mailbox.list().filter((m) => m.to.includes('marcel.dupont@example.org') && m.text.includes('Gardee'))).toEqual([]);

    // A death recorded late, dated before her signature: that signature was given after it — cancelled, not kept.
    const late = await signedByHer('Tardive');
    const lateRes = await admin.put(`/api/residents/${late.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    expect(lateRes.body.keptSignatureRequests).toEqual([]);
    expect(lateRes.body.cancelledSignatureRequests).toEqual([expect.objectContaining({ id: late.requestId })]);
    expect(await requestStatus(late.requestId)).toBe('cancelled');
  }, 300_000);

  it('the console: the form says which request a death keeps; « Décès » keeps it, the notice says so, never that it was cancelled', async () => {
    const p = await signedByHer('Console');
    const file = (await admin.get(`/console/residents/${p.residentId}`).expect(200)).text;
    expect(file).toContain('signée du côté de la personne : maintenue en cas de décès, pour la contresignature de la direction');
    await shoot(file, 'formulaire-demande-signee', '#demandes-en-cours');
    const posted = await admin.post(`/console/residents/${p.residentId}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), endReason: 'death', departedOn: today() });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toContain('fait=deces-enregistre-maintenues');
    expect(await requestStatus(p.requestId)).toBe('active');
    const after = (await admin.get(posted.headers.location).expect(200)).text;
    expect(after).toContain(
      'Les demandes de signature que la personne ou ceux qui signaient pour elle avaient signées avant le décès restent ouvertes : seule la contresignature de la direction reste à donner (l’accord de la personne a été donné avant le décès, C. civ. art. 1121).',
    );
    expect(after).not.toContain('Les demandes de signature en cours ont été annulées');
    await shoot(after, 'deces-maintenues');
  }, 300_000);

  it('the compte rendu of a meeting held before the death: written, corrected and sent for the director alone; a meeting after it, or another document, 409 RESIDENT_DECEASED', async () => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName: 'Synthese' }).expect(201)).body.id as string;
    await admin.put(`/api/residents/${residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    const after = await admissions.post('/api/documents').send({ residentId, type: 'compte-rendu-synthese', data: minutes('2026-12-01') });
    expect({ status: after.status, code: after.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });
    expect(after.body.error.message).toBe(
      'La personne est décédée le 30 novembre 2026 : la réunion du 1er décembre 2026 a eu lieu après son décès, son compte rendu ne peut pas être établi pour elle. Seul le compte rendu d’une réunion tenue au plus tard le jour du décès peut l’être.',
    );
    const other = await admissions.post('/api/documents').send({ residentId, type: 'projet-personnalise', data: {} });
    expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });

    const created = await admissions.post('/api/documents').send({ residentId, type: 'compte-rendu-synthese', data: minutes('2026-11-18') });
    expect(created.status).toBe(202);
    const documentId = created.body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    // A correction of the unsigned draft: allowed on the same day; moved after the death, refused.
    const moved = await admissions.post(`/api/documents/${documentId}/versions`).send({ data: minutes('2026-12-02'), reason: 'Date de réunion corrigée' });
    expect({ status: moved.status, code: moved.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });
    expect((await admissions.post(`/api/documents/${documentId}/versions`).send({ data: minutes('2026-11-30'), reason: 'Date de réunion corrigée' })).status).toBe(202);
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const sent = await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Compte rendu établi après le décès de la personne.' });
    expect(sent.status).toBe(201);
    expect((sent.body.signers as { role: string }[]).map((s) => s.role)).toEqual(['director']);
    expect(await auditOf(sent.body.id, 'signature.created')).toHaveLength(1);
  }, 300_000);

  /** The page's top (heading and notice), or one part of it, at 1280 and 320 px, in SHOTS. */
  async function shoot(html: string, name: string, part?: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: width < 600 ? 1400 : 800 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        if (part) await page.locator(part).screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
        else await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
      }
    } finally {
      await browser.close();
    }
  }
});
