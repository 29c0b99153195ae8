import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { PortalClient, TEST_PASSWORD, contractData, countersignRequest, launchChromium, loginAgent, tutelleResident, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the document page's notice after the death is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'death-completion-recipients');
/** Today in Paris, the establishment's calendar: the day of death of a person whose tuteur signed today. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const AFTER_DEATH = 'Après le décès, le document signé n’est plus adressé à l’ancien représentant ; les ayants droit peuvent en demander communication (CSP L.1110-4 V ; C. civ. 724).';
const SAME_DAY = 'Signature donnée le jour du décès : vérifiez l’heure sur l’acte de décès ; donnée après, elle l’a été sans pouvoir (C. civ. art. 418 et 443).';
const TUTEUR = 'olivier.marchal@example.org';

/**
 * The sector lawyer's findings 5 and 6 on a request kept at the person's death (kept_at_death).
 * (5) Completed after the death (the director countersigns), the signed document no longer goes to
 * her former tuteur: his mission ended with the death (C. civ. 418, 443), her information goes to
 * her ayants droit (CSP L.1110-4 V), her heirs succeed to the contract (C. civ. 724). `email_skipped`
 * (reason `representative_after_death`) and its audit event say so; the page says so.
 * (6) A signature of her side given on the very day of the death counts, with a warning: only the
 * day of death is recorded, the acte states its hour (C. civ. 79).
 */
describe('after a death: who gets the signed document of a request kept for the countersignature, a signature of the day of the death', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  let director: request.Agent;
  const mailbox = new DevMailbox();
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const eventsOf = async (id: string) =>
    (await ds.query(`SELECT kind, signer_id AS "signerId", details FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [id])) as {
      kind: string;
      signerId: string | null;
      details: Record<string, unknown>;
    }[];
  const auditOf = async (id: string, action: string) =>
    ((await ds.query(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = $2`, [id, action])) as { payload: Record<string, unknown> }[]).map((e) => e.payload);
  const toTuteur = (lastName: string) => mailbox.list().filter((m) => m.to.includes(TUTEUR) && m.text.includes(lastName)).length;

  /** Her contrat de séjour sent; her tuteur signs in person: only the director's countersignature is required and pending. */
  const signedByTuteur = async (lastName: string) => {
    const residentId = (await admissions.post('/api/residents').send({ ...tutelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ residenceChoice: { agrees: true, recordedOn: '2026-10-20' } }) }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 90_000);
    const sent = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : le tuteur était absent.' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string; optional: boolean }[];
    };
    const tuteur = sent.signers.find((s) => s.role === 'tuteur')!;
    const { url } = (await admissions.post(`/api/signature-requests/${sent.id}/signers/${tuteur.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    // Her view first (C. civ. 457-1, CASF L.311-4): he records it, then signs.
    expect((await portal.post('/portail/avis', { viewKey: 'resident', expression: 'accord', comment: '' })).status).toBe(303);
    const signed = await portal.sign({ consent: 'oui', typedName: `Olivier Marchal` });
    expect(signed.status).toBe(303);
    return { residentId, documentId, requestId: sent.id, tuteurId: tuteur.id, personSide: sent.signers.filter((s) => s.role !== 'director').map((s) => s.id) };
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

  it('(5) signed by her tuteur the day before her death, completed after it: the signed document goes to the establishment only, not to her former tuteur', async () => {
    const p = await signedByTuteur('Veille');
    // Her tuteur's signature given the day before (its time moved back one day, as if signed then).
    await ds.query(`UPDATE signature_signers SET acted_at = acted_at - interval '1 day' WHERE request_id = $1 AND status = 'signed'`, [p.requestId]);
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    expect(res.body.keptSignatureRequests).toEqual([expect.objectContaining({ id: p.requestId, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH' })]);
    // The director countersigns: no completion e-mail to her former tuteur, `email_skipped` with its reason, audited.
    const before = toTuteur('Veille');
    const countersigned = await countersignRequest(director, p.requestId);
    expect(countersigned.status).toBe(200);
    await waitUntil('the request completed', async () => (await requestStatus(p.requestId)) === 'completed', 60_000);
    await waitUntil(
      'the completion e-mail to her tuteur handled',
      async () => (await eventsOf(p.requestId)).some((e) => e.signerId === p.tuteurId && ['email_skipped', 'completion_sent', 'email_failed'].includes(e.kind)),
      60_000,
    );
    const handled = (await eventsOf(p.requestId)).filter((e) => e.kind === 'email_skipped' || e.kind === 'completion_sent');
    expect(handled.find((e) => e.signerId === p.tuteurId)).toEqual({ kind: 'email_skipped', signerId: p.tuteurId, details: { kind: 'signature-completed', reason: 'representative_after_death' } });
    expect(handled.filter((e) => e.kind === 'completion_sent' && p.personSide.includes(e.signerId!))).toEqual([]);
    expect(await auditOf(p.requestId, 'signature.email_skipped')).toContainEqual({ signerId: p.tuteurId, kind: 'signature-completed', reason: 'representative_after_death' });
    expect(toTuteur('Veille')).toBe(before);
    // The page: the notice says why (no same-day warning here); the handover no longer lists the former tuteur.
    const done = (await director.get(`/console/documents/${p.documentId}`).expect(200)).text;
    expect(done).toContain(AFTER_DEATH);
    expect(done).not.toContain(SAME_DAY);
    // Nobody of her side is handed the document any more (under tutelle she does not sign; her tuteur's mission ended): no « Remise du document ».
    expect(done).not.toContain('Remise du document (CASF D.311 III)');
    expect(done).not.toContain('envoi par e-mail en cours');
    expect(res.body.keptSignatureRequests[0].sameDayAsDeath).toBeUndefined();
    expect(res.body.warning).not.toContain(SAME_DAY);
    await shoot(done, 'document-apres-deces', `[data-request-id="${p.requestId}"]`);
  }, 300_000);

  it('(6) signed by her tuteur on the day of her death: kept, with a warning to check the hour on the acte de décès', async () => {
    const p = await signedByTuteur('Jourmeme');
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: today(), endReason: 'death' }).expect(200);
    // Kept, not refused; the answer, the event, the audit and the page warn that the hour is to be checked.
    expect(res.body.keptSignatureRequests).toEqual([expect.objectContaining({ id: p.requestId, keptBecause: 'PERSON_SIDE_SIGNED_BEFORE_DEATH', sameDayAsDeath: true, warning: SAME_DAY })]);
    expect(res.body.warning).toContain(SAME_DAY);
    expect(await requestStatus(p.requestId)).toBe('active');
    expect((await eventsOf(p.requestId)).find((e) => e.kind === 'kept_at_death')?.details).toMatchObject({ deceasedOn: today(), sameDayAsDeath: true, warning: SAME_DAY });
    expect(await auditOf(p.requestId, 'signature.kept_at_death')).toEqual([expect.objectContaining({ sameDayAsDeath: true })]);
    const page = (await director.get(`/console/documents/${p.documentId}`).expect(200)).text;
    expect(page).toContain(SAME_DAY);
    await shoot(page, 'document-jour-du-deces', `[data-request-id="${p.requestId}"]`);
    // A warning, not a refusal: the director still countersigns.
    expect((await countersignRequest(director, p.requestId)).status).toBe(200);
  }, 300_000);

  /** One part of the page, at 1280 and 320 px, in SHOTS. */
  async function shoot(html: string, name: string, part: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: width < 600 ? 1400 : 800 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        await page.locator(part).screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
      }
    } finally {
      await browser.close();
    }
  }
});
