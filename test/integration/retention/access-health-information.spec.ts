import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { calendarDayIn } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, tutelleResident } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * A living person's request, hers or her representative's, about her health information: CSP
 * L.1111-7 al. 2 — « au plus tard dans les huit jours suivant sa demande et au plus tôt après qu'un
 * délai de quarante-huit heures aura été observé », two months for information more than five years
 * old (R.1111-1) —, not RGPD art. 12(3)'s month, which stays her other data's. CSP L.1111-7,
 * alinéa relatif à la personne chargée d’une mesure de protection avec représentation relative à la
 * personne (ordonnance n° 2020-232): her representative asks for it only under such a measure; a curateur assists her (C. civ. 440 al. 1).
 */
describe('a living person’s request about her health information (CSP L.1111-7)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  let curatelle = '';
  let tutelle = '';
  let propertyOnly = '';
  let noMeasure = '';
  const statement = 'Courrier recommandé réf. AR 1A 987 654 : copie de son dossier de soins et de son contrat';
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.requested'`),
    outbox: await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'data.run'`),
  });

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const create = async (body: Record<string, unknown>) => (await admissions.post('/api/residents').send(body).expect(201)).body.id as string;
    curatelle = await create({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Assistée' });
    tutelle = await create({ ...tutelleResident(h.orgA.establishmentId), lastName: 'Représentée' });
    const t = tutelleResident(h.orgA.establishmentId);
    propertyOnly = await create({ ...t, lastName: 'Biens', protectionMeasure: { ...t.protectionMeasure, scope: ['biens'] } });
    const { protectionMeasure: _none, ...free } = curatelleResident(h.orgA.establishmentId);
    noMeasure = await create({ ...free, lastName: 'Libre' });
    await admissions.post('/api/documents').send({ residentId: curatelle, type: 'contrat-sejour', data: contractData() }).expect(202);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('her own request about her health information: eight days and the 48 hours for it, RGPD art. 12(3)’s month for her other data', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: curatelle, request: { from: 'person', receivedOn: '2026-11-25', statement, healthInformation: true } }).expect(202)).body;
    expect(job.params.request).toEqual({
      from: 'person',
      receivedOn: '2026-11-25',
      answerDue: '2026-12-03',
      answerDueOtherData: '2026-12-25',
      healthInformation: true,
      statement,
      // 48 hours after the end of the day of receipt (Paris), at the latest.
      notBefore: '2026-11-27T23:00:00.000Z',
    });
    // Without health information: the month, as before.
    const plain = (await admin.post('/api/data-jobs/access-request').send({ residentId: curatelle, request: { from: 'person', receivedOn: '2026-11-26', statement } }).expect(202)).body;
    expect(plain.params.request).toEqual({ from: 'person', receivedOn: '2026-11-26', answerDue: '2026-12-26', statement });
    // The audit chain keeps the same deadlines (the statement as its SHA-256 only); without health information, none of them.
    const payloadOf = async (jobId: string) =>
      ((await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [jobId])) as { payload: Record<string, unknown> }[])[0].payload;
    expect(await payloadOf(job.id)).toMatchObject({
      requestFrom: 'person',
      requestAnswerDue: '2026-12-03',
      requestHealthInformation: 'true',
      requestAnswerDueOtherData: '2026-12-25',
      requestNotBefore: '2026-11-27T23:00:00.000Z',
    });
    const plainPayload = await payloadOf(plain.id);
    expect(plainPayload).toMatchObject({ requestFrom: 'person', requestAnswerDue: '2026-12-26' });
    expect(Object.keys(plainPayload).filter((k) => /HealthInformation|OtherData|NotBefore/.test(k))).toEqual([]);
  });

  it('information more than five years old: two months for it (R.1111-1, from the day it was constituted)', async () => {
    await ds.query(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       SELECT organisation_id, document_id, number + 100, reason, 'failed', template_id, template_version, template_hash, renderer_version, input, input_hash, '2015-02-01T10:00:00Z'
         FROM document_versions WHERE document_id = (SELECT id FROM documents WHERE resident_id = $1 LIMIT 1) ORDER BY number LIMIT 1`,
      [curatelle],
    );
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: curatelle, request: { from: 'person', receivedOn: '2026-11-24', statement, healthInformation: true } }).expect(202)).body;
    expect(job.params.request).toMatchObject({ answerDue: '2026-12-02', answerDueOlderInformation: '2027-01-24', answerDueOtherData: '2026-12-24', notBefore: '2026-11-26T23:00:00.000Z' });
  });

  it('her tuteur (tutelle: representation relative to the person) asks for it: accepted, no warning', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: tutelle, request: { from: 'representative', receivedOn: '2026-11-25', statement, healthInformation: true } }).expect(202)).body;
    expect(job.params.request).toMatchObject({ answerDue: '2026-12-03', answerDueOtherData: '2026-12-25', healthInformation: true, notBefore: '2026-11-27T23:00:00.000Z' });
    expect(job.params.request.warnings).toBeUndefined();
  });

  it('a stated value other than true or false: 400 ACCESS_REQUEST_HEALTH_INFORMATION_INVALID, nothing recorded', async () => {
    const before = await written();
    const refused = await admin.post('/api/data-jobs/access-request').send({ residentId: noMeasure, request: { from: 'person', receivedOn: '2026-11-25', statement, healthInformation: 'médical' } });
    expect({ status: refused.status, details: refused.body.error?.details?.map((d: { field: string; code: string }) => [d.field, d.code]) }).toEqual({
      status: 400,
      details: [['request.healthInformation', 'ACCESS_REQUEST_HEALTH_INFORMATION_INVALID']],
    });
    expect(await written()).toEqual(before);
  });

  it('her curateur, or a measure limited to her property, asks for her health information: 400 HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING in French citing L.1111-7, nothing recorded; for her other data, accepted', async () => {
    const before = await written();
    for (const residentId of [curatelle, propertyOnly]) {
      const refused = await admin.post('/api/data-jobs/access-request').send({ residentId, request: { from: 'representative', receivedOn: '2026-11-27', statement, healthInformation: true } });
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code: 'HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING' });
      expect(refused.body.error.message).toMatch(/représentation relative à la personne.*art\. L\.1111-7/);
    }
    expect(await written()).toEqual(before);
    await admin.post('/api/data-jobs/access-request').send({ residentId: curatelle, request: { from: 'representative', receivedOn: '2026-11-27', statement } }).expect(202);
  });

  it('a representative for an adult whose file records no measure: accepted, with a warning kept on the request', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: noMeasure, request: { from: 'representative', receivedOn: '2026-11-28', statement, healthInformation: true } }).expect(202)).body;
    expect(job.params.request.warnings).toEqual([{ code: 'HEALTH_ACCESS_REPRESENTATION_UNVERIFIED', message: expect.stringMatching(/aucune mesure de protection en cours.*L\.1111-7/) }]);
  });

  it('the console’s form: the checkbox citing L.1111-7; a curateur refused beside « Qui a fait la demande » (400), the person’s own accepted (303) and listed with both due dates', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Assistée`).expect(200)).text;
    expect(page).toMatch(/name="requestHealthInformation" value="oui"/);
    expect(page).toContain('La demande porte sur des informations de santé de la personne (Code de la santé publique, art. L.1111-7)');
    const base = { _csrf: csrfOf(page), accessResidentId: curatelle, 'personne-acces': 'Assistée', requestReceivedOn: '2026-11-29', requestStatement: statement, requestHealthInformation: 'oui' };
    const refused = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'representative' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('ne peut pas demander ses informations de santé à sa place');
    expect(refused.text).toMatch(/id="requestFrom"[^>]*aria-invalid="true"/);
    expect(refused.text).toMatch(/name="requestHealthInformation" value="oui" checked/);
    const ok = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'person' });
    expect(ok.status).toBe(303);
    const list = (await admin.get(ok.headers.location).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(list).toContain('Informations de santé : réponse due au plus tard le 7 décembre 2026 (le 29 janvier 2027 pour celles de plus de cinq ans) ; autres données : au plus tard le 29 décembre 2026 (RGPD, art. 12)');
  });

  /** Runs the job as the worker would (DataJobsService.run), on PostgreSQL. */
  const runJob = async (id: string) => {
    const rows = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL ORDER BY created_at DESC`, [id])) as { id: string }[];
    await h.app.get(DataJobsService).run(rows[0].id, id);
  };
  const downloads = async (jobId: string) => count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.downloaded' AND subject_id = $1`, [jobId]);
  /** The « À faire » section of access requests, as text (tags stripped). */
  const todo = async () => {
    const html = (await admin.get('/console').expect(200)).text;
    const start = html.indexOf('Demandes d’accès aux informations à satisfaire');
    return start < 0 ? '' : textOf(html.slice(start, html.indexOf('</section>', start)));
  };

  it('the 48 hours (L.1111-7 al. 2) are kept: her zip — the communication itself — is not downloaded before notBefore (409 HEALTH_ACCESS_REFLECTION_PERIOD, the date and hour in French, nothing audited), the console says from when; after, downloaded and audited', async () => {
    const today = calendarDayIn(new Date());
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: tutelle, request: { from: 'person', receivedOn: today, statement, healthInformation: true } }).expect(202)).body;
    const notBefore = job.params.request.notBefore as string;
    expect(Date.parse(notBefore)).toBeGreaterThan(Date.now());
    await runJob(job.id);
    const early = await admin.get(`/api/data-jobs/${job.id}/download`);
    expect({ status: early.status, code: early.body.error?.code }).toEqual({ status: 409, code: 'HEALTH_ACCESS_REFLECTION_PERIOD' });
    const when = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(notBefore)).replace(/^1 /, '1er ');
    const hour = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).format(new Date(notBefore)).replace(':', ' h ').replace(/^0(\d)/, '$1');
    // Midnight in Paris (48 hours after the end of the day of receipt): the day alone, never « à 0 h 00 » (the console's convention).
    const from = hour === '0 h 00' ? when : `${when} à ${hour}`;
    expect(early.body.error.message).toContain(`délai de réflexion de quarante-huit heures suivant sa demande (Code de la santé publique, art. L.1111-7, deuxième alinéa) : le zip, qui les contient, peut être téléchargé et remis à partir du ${from} (heure de Paris).`);
    // The console's link answers the same, in a French page.
    const page = await admin.get(`/console/archives/${job.id}/telecharger`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('délai de réflexion de quarante-huit heures');
    expect(await downloads(job.id)).toBe(0);
    // The list offers no link before, and says from when.
    const list = (await admin.get('/console/archives').expect(200)).text;
    expect(list).not.toContain(`href="/console/archives/${job.id}/telecharger"`);
    expect(textOf(list)).toContain(`Zip prêt : à télécharger et remettre à partir du ${from} (délai de réflexion de 48 heures, Code de la santé publique, art. L.1111-7).`);
    // Still to be answered.
    expect(await todo()).toContain('Représentée');
    const actor: StaffActor = { kind: 'staff', userId: h.orgA.users.administrator.id, organisationId: h.orgA.organisationId, email: h.orgA.users.administrator.email, name: 'Admin', sessionId: 'test', roles: [{ establishmentId: h.orgA.establishmentId, role: 'administrator' }] };
    await expect(h.app.get(DataJobsService).download(actor, job.id, new Date(Date.parse(notBefore) - 1000))).rejects.toMatchObject({ code: 'HEALTH_ACCESS_REFLECTION_PERIOD' });
    const file = await h.app.get(DataJobsService).download(actor, job.id, new Date(Date.parse(notBefore) + 1000));
    (file.stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    expect(await downloads(job.id)).toBe(1);
  });

  it('a request without health information, or whose 48 hours have run: its zip is downloaded at once', async () => {
    const today = calendarDayIn(new Date());
    const plain = (await admin.post('/api/data-jobs/access-request').send({ residentId: noMeasure, request: { from: 'person', receivedOn: today, statement } }).expect(202)).body;
    const past = (await admin.post('/api/data-jobs/access-request').send({ residentId: noMeasure, request: { from: 'person', receivedOn: '2026-11-20', statement, healthInformation: true } }).expect(202)).body;
    for (const j of [plain, past]) {
      await runJob(j.id);
      await admin.get(`/api/data-jobs/${j.id}/download`).expect(200);
      expect(await downloads(j.id)).toBe(1);
    }
  });

  it('« À faire » shows both due dates of her health request, each named: her health information’s (CSP L.1111-7) and her other data’s (RGPD art. 12)', async () => {
    // The request recorded by the first test (tutelle, received today) is still open; a second, received on 1 December 2026.
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: curatelle, request: { from: 'person', receivedOn: '2026-12-01', statement, healthInformation: true } }).expect(202)).body;
    expect(job.params.request).toMatchObject({ answerDue: '2026-12-09', answerDueOlderInformation: '2027-02-01', answerDueOtherData: '2027-01-01' });
    const section = await todo();
    const item = section.slice(section.indexOf('Assistée — Demande d’accès de la personne'));
    expect(item).toMatch(/^Assistée — Demande d’accès de la personne .*?Reçue le 1er décembre 2026 Informations de santé \(CSP, art\. L\.1111-7\) : réponse due au plus tard le 9 décembre 2026 Informations de santé de plus de cinq ans : au plus tard le 1er février 2027 Autres données \(RGPD, art\. 12\) : au plus tard le 1er janvier 2027/);
  });
});
