import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, launchChromium, loginAgent, residentWithContract, sendToTuteurInPerson } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/** Where the changed forms and file are left for a person to look at (1280 and 320 px wide). */
const SHOTS = process.env.DEATH_SHOTS ?? join(tmpdir(), 'death-after-departure');
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const tomorrow = () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ');

/**
 * The death is not the end of the accompaniment by force (the sector lawyer's review of session 20,
 * migration 1764290000000): a person who left in October and is known to have died in November keeps
 * her departure (retention counts from it), only `deceased_on` is set; in an EHPAD the exit date is
 * the date of the contradictory état des lieux (CASF R.314-149 I), which may follow the death
 * (`vacatedOn`). Clearing a death entered by mistake keeps a departure recorded before it. Audited
 * with both dates, previous and new.
 */
describe('a death recorded apart from the end of the accompaniment', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base = '';
  let admin: request.Agent;
  let admissions: request.Agent;
  const row = async (id: string) =>
    ((await ds.query(`SELECT departed_on::text AS "departedOn", deceased_on::text AS "deceasedOn" FROM residents WHERE id = $1`, [id])) as { departedOn: string | null; deceasedOn: string | null }[])[0];
  const departureEvents = async (residentId: string) =>
    ((await ds.query(`SELECT payload FROM audit_events WHERE action = 'resident.departure_recorded' AND subject_id = $1 ORDER BY seq`, [residentId])) as { payload: Record<string, unknown> }[]).map(
      (e) => e.payload,
    );
  const requestStatus = async (id: string) => ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const cancelReason = async (requestId: string) =>
    ((await ds.query(`SELECT details->>'reason' AS reason FROM signature_events WHERE request_id = $1 AND kind = 'cancelled'`, [requestId])) as { reason: string }[]).map((r) => r.reason);
  /** Admitted on 15 October 2026 (the factory), under curatelle, no request. */
  const person = async (lastName: string) => (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName }).expect(201)).body.id as string;

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
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
  });

  it('the database: a date of death another day than the end of the accompaniment, before or after it; never without an end', async () => {
    const id = await person('Base');
    await ds.query(`UPDATE residents SET departed_on = '2026-10-20' WHERE id = $1`, [id]);
    await ds.query(`UPDATE residents SET deceased_on = '2026-11-30' WHERE id = $1`, [id]);
    await ds.query(`UPDATE residents SET deceased_on = '2026-10-18' WHERE id = $1`, [id]);
    expect(await row(id)).toEqual({ departedOn: '2026-10-20', deceasedOn: '2026-10-18' });
    await expect(ds.query(`UPDATE residents SET departed_on = NULL WHERE id = $1`, [id])).rejects.toThrow(/ck_residents_deceased_on/);
  });

  it('she left, her death is known later: the departure stays the end (retention from it), only the death is set, her open request cancelled « Décès … le <death> »; audited with both dates; clearing the death keeps the departure', async () => {
    const made = await residentWithContract(admissions, h.orgA.establishmentId, { lastName: 'Partie', ready: true });
    const sent = await sendToTuteurInPerson(admissions, base, made.documentId);
    await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2026-10-20' }).expect(200);
    expect(await requestStatus(sent.requestId)).toBe('active');
    const res = await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death' }).expect(200);
    expect(res.body).toMatchObject({ departedOn: '2026-10-20', deceasedOn: '2026-11-30', endReason: 'death', cancelledSignatureRequests: [expect.objectContaining({ id: sent.requestId })] });
    expect(await row(made.residentId)).toEqual({ departedOn: '2026-10-20', deceasedOn: '2026-11-30' });
    expect((await admin.get(`/api/residents/${made.residentId}`).expect(200)).body).toMatchObject({ departedOn: '2026-10-20', deceasedOn: '2026-11-30' });
    expect(await cancelReason(sent.requestId)).toEqual(['Décès de la personne le 30 novembre 2026']);
    // An état des lieux other than the recorded departure: refused beside its field, nothing written.
    const other = await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: '2026-11-30', endReason: 'death', vacatedOn: '2026-12-01' });
    expect({ status: other.status, field: other.body.error?.details?.[0]?.field, code: other.body.error?.details?.[0]?.code }).toEqual({ status: 400, field: 'vacatedOn', code: 'DEPARTURE_ALREADY_RECORDED' });
    expect(other.body.error.details[0].message).toMatch(/^La fin de l’accompagnement est déjà enregistrée, le 20 octobre 2026, et reste cette date/);
    // Cleared (entered by mistake): the death only; she had left, the departure stays.
    const cleared = await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: null }).expect(200);
    expect(cleared.body).toMatchObject({ departedOn: '2026-10-20', deceasedOn: null, endReason: 'departure' });
    expect(await row(made.residentId)).toEqual({ departedOn: '2026-10-20', deceasedOn: null });
    // Cleared again: accompanied.
    await admin.put(`/api/residents/${made.residentId}/departure`).send({ departedOn: null }).expect(200);
    expect(await row(made.residentId)).toEqual({ departedOn: null, deceasedOn: null });
    expect(await departureEvents(made.residentId)).toEqual([
      { departedOn: '2026-10-20', previous: null, endReason: 'departure', previousEndReason: null, deceasedOn: null, previousDeceasedOn: null },
      { departedOn: '2026-10-20', previous: '2026-10-20', endReason: 'death', previousEndReason: 'departure', deceasedOn: '2026-11-30', previousDeceasedOn: null },
      { departedOn: '2026-10-20', previous: '2026-10-20', endReason: 'departure', previousEndReason: 'death', deceasedOn: null, previousDeceasedOn: '2026-11-30' },
      { departedOn: null, previous: '2026-10-20', endReason: null, previousEndReason: 'departure', deceasedOn: null, previousDeceasedOn: null },
    ]);
  }, 240_000);

  it('the room vacated after the death: vacatedOn is the end of the accompaniment; its checks (400, French, beside the field); clearing that death clears the end recorded with it', async () => {
    const id = await person('Chambre');
    const tries: [Record<string, unknown>, string, string, RegExp][] = [
      [{ departedOn: '2026-11-25', endReason: 'death', vacatedOn: '2026-11-24' }, 'vacatedOn', 'VACATED_BEFORE_DEATH', /^La date de l’état des lieux de sortie ne peut précéder le décès\.$/],
      [{ departedOn: '2026-11-25', endReason: 'death', vacatedOn: tomorrow() }, 'vacatedOn', 'VACATED_IN_FUTURE', /^La date de l’état des lieux de sortie ne peut être dans le futur\.$/],
      [{ departedOn: '2026-11-25', endReason: 'death', vacatedOn: '30/11/2026' }, 'vacatedOn', 'INVALID_DATE', /^Date attendue au format AAAA-MM-JJ\.$/],
      [{ departedOn: '2026-11-25', vacatedOn: '2026-11-30' }, 'vacatedOn', 'VACATED_ONLY_WITH_DEATH', /^La date de l’état des lieux de sortie ne s’indique qu’avec un décès\.$/],
      // The date of death itself: as before.
      [{ departedOn: tomorrow(), endReason: 'death', vacatedOn: tomorrow() }, 'departedOn', 'DEATH_IN_FUTURE', /^La date du décès ne peut être dans le futur\.$/],
      [{ departedOn: '2026-10-01', endReason: 'death', vacatedOn: '2026-11-30' }, 'departedOn', 'DEATH_BEFORE_ADMISSION', /^La date du décès ne peut précéder l’admission\.$/],
    ];
    for (const [body, field, code, message] of tries) {
      const res = await admin.put(`/api/residents/${id}/departure`).send(body);
      expect({ status: res.status, field: res.body.error?.details?.[0]?.field, code: res.body.error?.details?.[0]?.code }).toEqual({ status: 400, field, code });
      expect(res.body.error.details[0].message).toMatch(message);
    }
    expect(await row(id)).toEqual({ departedOn: null, deceasedOn: null });
    expect(await departureEvents(id)).toEqual([]);
    const res = await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-11-25', endReason: 'death', vacatedOn: '2026-11-30' }).expect(200);
    expect(res.body).toMatchObject({ departedOn: '2026-11-30', deceasedOn: '2026-11-25', endReason: 'death' });
    expect(await row(id)).toEqual({ departedOn: '2026-11-30', deceasedOn: '2026-11-25' });
    // The death's date corrected: the end recorded with it follows (no état des lieux given: the death's day).
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-11-26', endReason: 'death' }).expect(200);
    expect(await row(id)).toEqual({ departedOn: '2026-11-26', deceasedOn: '2026-11-26' });
    // Cleared: she had not left before, so the end goes with the death (accompanied, as session 20).
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: null }).expect(200);
    expect(await row(id)).toEqual({ departedOn: null, deceasedOn: null });
    expect((await departureEvents(id)).map((e) => [e.departedOn, e.previous, e.deceasedOn, e.previousDeceasedOn])).toEqual([
      ['2026-11-30', null, '2026-11-25', null],
      ['2026-11-26', '2026-11-30', '2026-11-26', '2026-11-25'],
      [null, '2026-11-26', null, '2026-11-26'],
    ]);
  }, 240_000);

  it('the console: « Partie le … », « Enregistrer son décès » keeps the departure and says so; the file « Décédée le … . Sortie le … »; clearing it keeps the departure; the form of a person accompanied takes the état des lieux under « Décès »', async () => {
    const id = await person('Console');
    await admissions.patch(`/api/residents/${id}`).send({ civility: 'madame' }).expect(200);
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2026-10-20' }).expect(200);
    const left = (await admin.get(`/console/residents/${id}`).expect(200)).text;
    expect(text(left)).toContain('Partie le 20 octobre 2026');
    expect(text(left)).toContain('Son départ du 20 octobre 2026 est gardé : l’accompagnement a pris fin à cette date, et la durée de conservation court toujours à partir d’elle.');
    await shoot(left, 'partie-enregistrer-deces');
    // A refused date: its message beside « Date du décès », nothing written.
    const refused = await admin.post(`/console/residents/${id}/deces`).type('form').send({ _csrf: csrfOf(left), deceasedOn: tomorrow() });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<p class="field-error" id="deceasedOn-erreur">La date du décès ne peut être dans le futur.</p>');
    expect(await row(id)).toEqual({ departedOn: '2026-10-20', deceasedOn: null });
    const posted = await admin.post(`/console/residents/${id}/deces`).type('form').send({ _csrf: csrfOf(left), deceasedOn: '2026-11-30' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toContain('fait=deces-enregistre-depart-garde');
    expect(await row(id)).toEqual({ departedOn: '2026-10-20', deceasedOn: '2026-11-30' });
    const dead = (await admin.get(posted.headers.location).expect(200)).text;
    expect(text(dead)).toContain('Le décès de la personne a été enregistré. La date de sortie déjà enregistrée est gardée');
    expect(text(dead)).toContain('Fin de l’accompagnement Décédée le 30 novembre 2026. Sortie le 20 octobre 2026.');
    expect(text(dead)).toContain('Décédée le 30 novembre 2026. Sortie le 20 octobre 2026 : fin de l’accompagnement.');
    expect(text(dead)).toContain('jusqu’au 20 octobre 2031 inclus');
    await shoot(dead, 'decedee-sortie');
    const cleared = await admin.post(`/console/residents/${id}/fin-accompagnement/effacer`).type('form').send({ _csrf: csrfOf(dead) });
    expect(cleared.headers.location).toContain('fait=deces-efface-depart-garde');
    expect(await row(id)).toEqual({ departedOn: '2026-10-20', deceasedOn: null });
    const after = text((await admin.get(cleared.headers.location).expect(200)).text);
    expect(after).toContain('La date de décès a été effacée (saisie par erreur) : la personne n’est plus indiquée comme décédée. Son départ, enregistré avant, reste la fin de l’accompagnement.');
    expect(after).toContain('Fin de l’accompagnement Partie le 20 octobre 2026');

    // Still accompanied: « Décès » with the état des lieux.
    const other = await person('Sortie');
    const file = (await admin.get(`/console/residents/${other}`).expect(200)).text;
    expect(text(file)).toContain('Décès : date de l’état des lieux de sortie (facultatif)');
    await shoot(file, 'accompagnee-formulaire');
    const bad = await admin.post(`/console/residents/${other}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), endReason: 'death', departedOn: '2026-11-25', vacatedOn: '2026-11-20' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<p class="field-error" id="vacatedOn-erreur">La date de l’état des lieux de sortie ne peut précéder le décès.</p>');
    await shoot(bad.text, 'accompagnee-erreur');
    const ok = await admin.post(`/console/residents/${other}/fin-accompagnement`).type('form').send({ _csrf: csrfOf(file), endReason: 'death', departedOn: '2026-11-25', vacatedOn: '2026-11-30' });
    expect(ok.headers.location).toContain('fait=deces-enregistre-sortie');
    expect(await row(other)).toEqual({ departedOn: '2026-11-30', deceasedOn: '2026-11-25' });
    expect(text((await admin.get(ok.headers.location).expect(200)).text)).toContain('L’accompagnement a pris fin à la date de sortie indiquée (état des lieux, chambre libérée)');
  }, 240_000);

  /** The retention section at 1280 and 320 px, in SHOTS. */
  async function shoot(html: string, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: { width, height: 900 } })).newPage();
        await page.goto('/portail/lien-invalide');
        await page.setContent(html, { waitUntil: 'load' });
        await page.locator('section[aria-labelledby="conservation"]').screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
      }
    } finally {
      await browser.close();
    }
  }
});
