import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevMailbox } from '@carepact/notifications';
import { TEST_PASSWORD, curatelleResident, launchChromium, loginAgent, residentWithContract, sendToTuteurInPerson, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the notice after a cleared death is left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'departure-death');
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/** Tomorrow in Paris, the establishment's calendar (the service's « today »). */
const tomorrow = () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * The end of the stay by the person's death (migration 1764250000000): recorded through the API
 * (`endReason: "death"`) and the console's departure form (« Décès »), stored as
 * `residents.deceased_on` beside `departed_on`, audited (`resident.departure_recorded` says which).
 * The protection measure ends at death (C. civ. 443 al. 1): no representative signs for her any
 * more, so her open signature requests are cancelled with it — reason « Décès de la personne le … »,
 * the signers invited told « à la suite du décès de … ». Bad input: a French message and a stable
 * code beside the field, nothing written.
 */
describe('the end of the stay by the person’s death', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  const mailbox = new DevMailbox();
  const TUTEUR = 'olivier.marchal@example.org';
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const row = async (id: string) =>
    ((await ds.query(`SELECT departed_on::text AS "departedOn", deceased_on::text AS "deceasedOn" FROM residents WHERE id = $1`, [id])) as { departedOn: string | null; deceasedOn: string | null }[])[0];
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const cancelReason = async (requestId: string) =>
    ((await ds.query(`SELECT details->>'reason' AS reason FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [requestId])) as { reason: string }[]).map((r) => r.reason);
  const departureEvents = async (residentId: string) =>
    ((await ds.query(`SELECT payload FROM audit_events WHERE action = 'resident.departure_recorded' AND subject_id = $1 ORDER BY seq`, [residentId])) as { payload: Record<string, unknown> }[]).map(
      (e) => e.payload,
    );
  const cancelMail = (name: string) => mailbox.list().find((m) => m.to.includes(TUTEUR) && /^Demande de signature annulée : /.test(m.subject) && m.text.includes(name));
  /** A person under tutelle, « Madame », with her contract sent to her tuteur (in person: he was invited). */
  const withOpenRequest = async (lastName: string) => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName, ready: true });
    await admissions.patch(`/api/residents/${made.residentId}`).send({ civility: 'madame' }).expect(200);
    const sent = await sendToTuteurInPerson(admissions, base, made.documentId);
    return { ...made, ...sent };
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
  }, 120000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await mailbox.stop();
  });

  it('bad input through the API: a French message and a stable code beside the field, nothing written', async () => {
    const p = await withOpenRequest('Refus');
    const tries: [Record<string, unknown>, string, string, RegExp][] = [
      [{ departedOn: tomorrow(), endReason: 'death' }, 'departedOn', 'DEATH_IN_FUTURE', /^La date du décès ne peut être dans le futur\.$/],
      [{ departedOn: '2026-09-30', endReason: 'death' }, 'departedOn', 'DEATH_BEFORE_ADMISSION', /^La date du décès ne peut précéder l’admission\.$/],
      [{ departedOn: '2026-11-30', endReason: 'deces' }, 'endReason', 'INVALID_END_REASON', /^Indiquez comment l’accompagnement a pris fin : départ ou décès\.$/],
      [{ departedOn: '2026-11-30', endReason: 'death', cancelOpenRequests: false }, 'cancelOpenRequests', 'DEATH_CANCELS_REQUESTS', /^Après un décès, les demandes de signature en cours sont toujours annulées/],
      [{ departedOn: null, endReason: 'death' }, 'endReason', 'NO_DEPARTURE', /^Un départ ou un décès s’indique avec sa date/],
    ];
    for (const [body, field, code, message] of tries) {
      const res = await admin.put(`/api/residents/${p.residentId}/departure`).send(body);
      expect({ status: res.status, field: res.body.error?.details?.[0]?.field, code: res.body.error?.details?.[0]?.code }).toEqual({ status: 400, field, code });
      expect(res.body.error.details[0].message).toMatch(message);
    }
    expect(await row(p.residentId)).toEqual({ departedOn: null, deceasedOn: null });
    expect(await departureEvents(p.residentId)).toEqual([]);
    expect(await requestStatus(p.requestId)).toBe('active');
    expect(await cancelReason(p.requestId)).toEqual([]);
    // The database itself refuses a death date that is not the end of the accompaniment.
    await expect(ds.query(`UPDATE residents SET deceased_on = '2026-11-29' WHERE id = $1`, [p.residentId])).rejects.toThrow(/ck_residents_deceased_on/);
  }, 240_000);

  it('endReason null with a date is a departure, as an absent one (not 400 INVALID_END_REASON): recorded and audited as a departure, her request left open', async () => {
    const p = await withOpenRequest('Nulle');
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: null }).expect(200);
    expect(res.body).toMatchObject({ departedOn: '2026-11-30', endReason: 'departure', deceasedOn: null });
    expect(res.body.cancelledSignatureRequests).toBeUndefined();
    expect(res.body.openSignatureRequests).toEqual([expect.objectContaining({ id: p.requestId })]);
    expect(await row(p.residentId)).toEqual({ departedOn: '2026-11-30', deceasedOn: null });
    expect(await departureEvents(p.residentId)).toEqual([{ departedOn: '2026-11-30', previous: null, endReason: 'departure', previousEndReason: null, deceasedOn: null, previousDeceasedOn: null }]);
    expect(await requestStatus(p.requestId)).toBe('active');
    // With « cancelOpenRequests »: a departure's reason, not a death's.
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-29', endReason: null, cancelOpenRequests: true }).expect(200);
    expect(await row(p.residentId)).toEqual({ departedOn: '2026-11-29', deceasedOn: null });
    expect(await cancelReason(p.requestId)).toEqual(['Départ de la personne le 29 novembre 2026']);
  }, 240_000);

  it('the console’s « Effacer la date de décès (saisie par erreur) »: a notice about the cleared death, never « de nouveau accompagnée »; the requests the death cancelled stay cancelled, and it says so; audited', async () => {
    const p = await withOpenRequest('Erreur');
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    const file = (await admin.get(`/console/residents/${p.residentId}`).expect(200)).text;
    expect(file).toContain('Effacer la date de décès (saisie par erreur)');
    const cleared = await admin.post(`/console/residents/${p.residentId}/fin-accompagnement/effacer`).type('form').send({ _csrf: csrfOf(file) });
    expect(cleared.status).toBe(303);
    expect(cleared.headers.location).toContain('fait=deces-efface-annulees');
    const after = (await admin.get(cleared.headers.location).expect(200)).text;
    expect(after).toContain(
      'La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée et son accompagnement n’a plus de date de fin. Les demandes de signature annulées avec le décès restent annulées et leurs liens ne fonctionnent plus : envoyez-en de nouvelles si besoin. L’effacement est inscrit au journal.',
    );
    expect(after).not.toContain('de nouveau accompagnée');
    await shoot(after, 'deces-efface-annulees');
    // What the notice says is what happened: both dates cleared, the request still cancelled, its links revoked, the clearing audited.
    expect(await row(p.residentId)).toEqual({ departedOn: null, deceasedOn: null });
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    expect(await count(`SELECT count(*) AS n FROM signing_links WHERE request_id = $1 AND revoked_at IS NULL`, [p.requestId])).toBe(0);
    expect((await departureEvents(p.residentId)).at(-1)).toEqual({ departedOn: null, previous: '2026-11-30', endReason: null, previousEndReason: 'death', deceasedOn: null, previousDeceasedOn: '2026-11-30' });

    // A death with no request cancelled: the notice does not speak of any.
    const lone = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Seule' }).expect(201)).body.id as string;
    await admin.put(`/api/residents/${lone}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    const loneFile = (await admin.get(`/console/residents/${lone}`).expect(200)).text;
    const loneCleared = await admin.post(`/console/residents/${lone}/fin-accompagnement/effacer`).type('form').send({ _csrf: csrfOf(loneFile) });
    expect(loneCleared.headers.location).toContain('fait=deces-efface');
    expect(loneCleared.headers.location).not.toContain('annulees');
    const loneAfter = (await admin.get(loneCleared.headers.location).expect(200)).text;
    expect(loneAfter).toContain('La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée et son accompagnement n’a plus de date de fin. L’effacement est inscrit au journal.');
    expect(loneAfter).not.toContain('de nouveau accompagnée');
    // A departure cleared: accompanied again, as before.
    await admin.put(`/api/residents/${lone}/departure`).send({ departedOn: '2026-11-30' }).expect(200);
    const leftFile = (await admin.get(`/console/residents/${lone}`).expect(200)).text;
    const leftCleared = await admin.post(`/console/residents/${lone}/fin-accompagnement/effacer`).type('form').send({ _csrf: csrfOf(leftFile) });
    expect(leftCleared.headers.location).toContain('fait=fin-effacee');
    expect((await admin.get(leftCleared.headers.location).expect(200)).text).toContain('La date de fin a été effacée : la personne est de nouveau accompagnée.');
  }, 240_000);

  it('the API records the death: date stored and exposed, audited as a death, her open request cancelled « Décès de la personne le … », the tuteur told of the death', async () => {
    const p = await withOpenRequest('Deces');
    // No cancelOpenRequests: after a death the requests go anyway (C. civ. 443 al. 1).
    const res = await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    expect(res.body).toMatchObject({
      departedOn: '2026-11-30',
      endReason: 'death',
      deceasedOn: '2026-11-30',
      openSignatureRequests: [],
      cancelledSignatureRequests: [expect.objectContaining({ id: p.requestId })],
    });
    expect(res.body.warning).toBeUndefined();
    expect(await row(p.residentId)).toEqual({ departedOn: '2026-11-30', deceasedOn: '2026-11-30' });
    expect((await admin.get(`/api/residents/${p.residentId}`).expect(200)).body).toMatchObject({ departedOn: '2026-11-30', deceasedOn: '2026-11-30' });
    expect(await departureEvents(p.residentId)).toEqual([{ departedOn: '2026-11-30', previous: null, endReason: 'death', previousEndReason: null, deceasedOn: '2026-11-30', previousDeceasedOn: null }]);
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    expect(await cancelReason(p.requestId)).toEqual(['Décès de la personne le 30 novembre 2026']);
    expect(await count(`SELECT count(*) AS n FROM signing_links WHERE request_id = $1 AND revoked_at IS NULL`, [p.requestId])).toBe(0);
    // The tuteur, invited (his in-person session), is told: the death, soberly, no date, no « départ ».
    await waitUntil('the cancellation e-mail', async () => !!cancelMail('Deces'), 30_000);
    const text = cancelMail('Deces')!.text.replace(/[\u2068\u2069]/g, '');
    expect(text).toContain('a annulé la demande de signature pour le contrat de séjour d’Yvonne Deces, à la suite du décès d’Yvonne Deces.');
    expect(text).not.toContain('départ');
    expect(text).not.toContain('30 novembre 2026');

    // Corrected to a departure (a mistake): the death date goes, the event says what it was.
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-29', endReason: 'departure' }).expect(200);
    expect(await row(p.residentId)).toEqual({ departedOn: '2026-11-29', deceasedOn: null });
    // Cleared: accompanied again, neither date.
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: null }).expect(200);
    expect(await row(p.residentId)).toEqual({ departedOn: null, deceasedOn: null });
    expect((await departureEvents(p.residentId)).slice(1)).toEqual([
      { departedOn: '2026-11-29', previous: '2026-11-30', endReason: 'departure', previousEndReason: 'death', deceasedOn: null, previousDeceasedOn: '2026-11-30' },
      { departedOn: null, previous: '2026-11-29', endReason: null, previousEndReason: 'departure', deceasedOn: null, previousDeceasedOn: null },
    ]);
  }, 240_000);

  it('after her death nothing new is established nor sent for her: a new document (corrections and previews share its check), a signature request — 409 RESIDENT_DECEASED, nothing written (the code review of session 20)', async () => {
    const p = await withOpenRequest('Apres');
    await admin.put(`/api/residents/${p.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    const docs = () => count(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [p.residentId]);
    const requests = () => count(`SELECT count(*) AS n FROM signature_requests WHERE document_id = $1`, [p.documentId]);
    const [docsBefore, requestsBefore] = [await docs(), await requests()];
    const created = await admissions.post('/api/documents').send({ residentId: p.residentId, type: 'projet-personnalise', data: {} });
    expect({ status: created.status, code: created.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });
    expect(created.body.error.message).toBe(
      'La personne est décédée le 30 novembre 2026 : aucun nouveau document ni aucune nouvelle version ne peut être établi pour elle (le pouvoir de ceux qui la représentaient a pris fin avec elle : mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur).',
    );
    const sent = await admissions.post(`/api/documents/${p.documentId}/signature-requests`).send({ lateReason: 'Envoi après le décès : ne doit pas partir.' });
    expect({ status: sent.status, code: sent.body.error?.code }).toEqual({ status: 409, code: 'RESIDENT_DECEASED' });
    expect(sent.body.error.message).toContain('aucune nouvelle demande de signature ne peut être envoyée pour elle');
    expect([await docs(), await requests()]).toEqual([docsBefore, requestsBefore]);
  });

  it('no cancellation e-mail to the deceased person herself (her own address); after a departure she gets one', async () => {
    const cancelledJobs = async (requestId: string) =>
      ((await ds.query(`SELECT payload FROM outbox WHERE job_name = 'notify.cancelled' AND payload->>'requestId' = $1`, [requestId])) as { payload: { signerId: string; death?: boolean } }[]).map(
        (r) => r.payload,
      );
    const sendTo = async (lastName: string) => {
      // Under curatelle renforcée she signs herself, her curateur assisting (C. civ. 467): both invited by e-mail.
      const made = await residentWithContract(admissions, h.orgA.establishmentId, { measure: 'curatelle', lastName, ready: true });
      const sent = (await admissions.post(`/api/documents/${made.documentId}/signature-requests`).send({ lateReason: 'Envoi après le délai légal : la famille était absente.' }).expect(201)).body as {
        id: string;
        signers: { id: string; role: string }[];
      };
      return { ...made, requestId: sent.id, self: sent.signers.find((x) => x.role === 'resident')!.id };
    };
    const left = await sendTo('Partant');
    await admin.put(`/api/residents/${left.residentId}/departure`).send({ departedOn: '2026-11-30', cancelOpenRequests: true }).expect(200);
    expect((await cancelledJobs(left.requestId)).map((j) => j.signerId)).toContain(left.self);

    const died = await sendTo('Defunt');
    await admin.put(`/api/residents/${died.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    expect(await requestStatus(died.requestId)).toBe('cancelled');
    const jobs = await cancelledJobs(died.requestId);
    expect(jobs.map((j) => j.signerId)).not.toContain(died.self);
    // Her curateur, invited with her, is told of the death.
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.death === true)).toBe(true);
    await waitUntil('the cancellation e-mail jobs', async () => Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE job_name = 'notify.cancelled' AND done_at IS NULL`))[0].n) === 0, 30_000);
    expect(mailbox.list().filter((m) => m.to.includes('marcel.dupont@example.org') && /annulée/.test(m.subject) && /Defunt|décès/.test(m.text))).toEqual([]);
  }, 240_000);

  it('the console’s form: « Décès » cancels her open request without the box, the notice and the file say it, « Décédée le … »', async () => {
    const p = await withOpenRequest('Console');
    const file = (await admin.get(`/console/residents/${p.residentId}`).expect(200)).text;
    expect(file).toContain('<legend>L’accompagnement a pris fin par</legend>');
    // A date in the future, with « Décès »: the service's message beside the date, the choice kept, nothing written.
    const refused = await admin
      .post(`/console/residents/${p.residentId}/fin-accompagnement`)
      .type('form')
      .send({ _csrf: csrfOf(file), endReason: 'death', departedOn: tomorrow() });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<p class="field-error" id="departedOn-erreur">La date du décès ne peut être dans le futur.</p>');
    expect(refused.text).toMatch(/value="death" checked/);
    // An unknown choice: its error beside the choice, not the date.
    const unknown = await admin.post(`/console/residents/${p.residentId}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), endReason: 'autre', departedOn: '2026-11-30' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<p class="field-error" id="endReason-erreur">Indiquez comment l’accompagnement a pris fin : départ ou décès.</p>');
    expect(await row(p.residentId)).toEqual({ departedOn: null, deceasedOn: null });
    expect(await requestStatus(p.requestId)).toBe('active');

    const posted = await admin.post(`/console/residents/${p.residentId}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), endReason: 'death', departedOn: '2026-11-30' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toContain('fait=deces-enregistre-annulees');
    expect(await row(p.residentId)).toEqual({ departedOn: '2026-11-30', deceasedOn: '2026-11-30' });
    expect(await requestStatus(p.requestId)).toBe('cancelled');
    expect(await cancelReason(p.requestId)).toEqual(['Décès de la personne le 30 novembre 2026']);
    expect(await departureEvents(p.residentId)).toEqual([{ departedOn: '2026-11-30', previous: null, endReason: 'death', previousEndReason: null, deceasedOn: '2026-11-30', previousDeceasedOn: null }]);
    const after = (await admin.get(posted.headers.location).expect(200)).text;
    expect(after).toContain('Le décès de la personne a été enregistré');
    expect(after).toContain('(motif : décès de la personne)');
    expect(after).toContain('<dt>Fin de l’accompagnement</dt><dd>Décédée le 30 novembre 2026</dd>');
    expect(after).toMatch(/value="death" checked/);
    const list = (await admin.get('/console/residents?q=Console').expect(200)).text;
    expect(list).toContain('— décédée le 30 novembre 2026');
    await waitUntil('the cancellation e-mail', async () => !!cancelMail('Console'), 30_000);
    expect(cancelMail('Console')!.text.replace(/[\u2068\u2069]/g, '')).toContain('à la suite du décès d’Yvonne Console.');
  }, 240_000);
  /** The page's top (heading and notice) at 1280 and 320 px, in SHOTS. */
  async function shoot(html: string, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: width < 600 ? 1300 : 700 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
      }
    } finally {
      await browser.close();
    }
  }
});
