import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * A living minor's health information (the sector lawyer's review): « Sous réserve de l'opposition
 * prévue aux articles L.1111-5 et L.1111-5-1, dans le cas d'une personne mineure, le droit d'accès est
 * exercé par le ou les titulaires de l'autorité parentale. À la demande du mineur, cet accès a lieu par
 * l'intermédiaire d'un médecin » (CSP L.1111-7); the parents' request « ne peut être satisfaite tant
 * que l'opposition est maintenue » (R.1111-6). The minor's age is read from her birth date at the day
 * the request was received.
 */
describe('a living minor’s health information (CSP L.1111-7, L.1111-5, R.1111-6)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let minor = '';
  const statement = 'Courrier de ses parents réf. 2026-44 : copie de son dossier de soins';
  const count = async (sql: string) => Number(((await ds.query(sql)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.requested'`),
  });
  const ask = (body: Record<string, unknown>) => admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { receivedOn: '2026-11-30', statement, healthInformation: true, ...body } });

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const { protectionMeasure: _none, ...free } = curatelleResident(h.orgA.establishmentId);
    minor = (await admissions.post('/api/residents').send({ ...free, lastName: 'Mineure' }).expect(201)).body.id as string;
    // Fourteen on the day of the request (C. civ. 388): no emancipation possible (C. civ. 413-2).
    await ds.query(`UPDATE residents SET birth_date = '2012-05-01' WHERE id = $1`, [minor]);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('her own request about her health information: 400 MINOR_HEALTH_ACCESS_BY_PARENTS in French, nothing recorded; her other data (RGPD art. 15): accepted', async () => {
    const before = await written();
    const refused = await ask({ from: 'person' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('MINOR_HEALTH_ACCESS_BY_PARENTS');
    expect(refused.body.error.message).toMatch(/exercé par le ou les titulaires de l’autorité parentale \(Code de la santé publique, art\. L\.1111-7\).*intermédiaire d’un médecin.*RGPD, art\. 15/);
    expect(await written()).toEqual(before);
    const plain = (await admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { from: 'person', receivedOn: '2026-11-30', statement: 'Sa demande : copie de son contrat' } }).expect(202)).body;
    expect(plain.params.request).not.toHaveProperty('minor');
  });

  it('her parents’ request without her opposition stated: 400 MINOR_HEALTH_OPPOSITION_REQUIRED, nothing recorded', async () => {
    const before = await written();
    const refused = await ask({ from: 'representative', minorThroughPhysician: true, minorPhysician: 'Dr Claire Martin' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('MINOR_HEALTH_OPPOSITION_REQUIRED');
    expect(refused.body.error.message).toContain('art. R.1111-6');
    expect(await written()).toEqual(before);
  });

  it('her parents’ request, her opposition recorded and a physician at her request: accepted, kept on the request, audited, listed', async () => {
    const job = (await ask({ from: 'representative', minorOpposition: 'recorded', minorThroughPhysician: true, minorPhysician: 'Dr Claire Martin' }).expect(202)).body;
    expect(job.params.request).toMatchObject({ from: 'representative', healthInformation: true, minor: { opposition: 'recorded', throughPhysician: true, physician: 'Dr Claire Martin' }, answerDue: '2026-12-08' });
    const [{ payload }] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [job.id])) as { payload: Record<string, unknown> }[];
    expect(payload).toMatchObject({ requestFrom: 'representative', requestHealthInformation: 'true', requestMinorOpposition: 'recorded', requestMinorThroughPhysician: 'true' });
    const list = textOf((await admin.get(`/console/archives?demande=${job.id}`).expect(200)).text);
    // The sector lawyer's review (access-health-minor-physician.spec.ts): the professional seeks her consent and sorts; the physician the parents designate.
    expect(list).toContain('ces informations ne sont pas communiquées à ses parents tant qu’elle est maintenue (Code de la santé publique, art. L.1111-5 et R.1111-6)');
    expect(list).toContain('À la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale (Dr Claire Martin)');
  });

  it('the console’s form: the minor’s questions; her own request refused beside « Qui a fait la demande » (400), her parents’ accepted (303) with « no opposition »', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Mineure`).expect(200)).text;
    expect(page).toContain('Le mineur s’est-il opposé à ce que ses parents soient informés de certains soins ?');
    expect(page).toMatch(/name="requestMinorOpposition" value="recorded"/);
    expect(page).toMatch(/name="requestMinorThroughPhysician" value="oui"/);
    const base = { _csrf: csrfOf(page), accessResidentId: minor, 'personne-acces': 'Mineure', requestReceivedOn: '2026-12-01', requestStatement: statement, requestHealthInformation: 'oui' };
    const refused = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'person' });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/id="requestFrom"[^>]*aria-invalid="true"/);
    expect(textOf(refused.text)).toContain('le droit d’accès à ses informations de santé est exercé par le ou les titulaires de l’autorité parentale');
    const missing = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'representative' });
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/id="requestMinorOpposition"[^>]*aria-invalid="true"/);
    const ok = await admin.post('/console/archives/acces').type('form').send({ ...base, requestFrom: 'representative', requestMinorOpposition: 'none' });
    expect(ok.status).toBe(303);
    const list = textOf((await admin.get(ok.headers.location).expect(200)).text);
    expect(list).toContain('Mineur : pas d’opposition à l’information de ses parents');
    expect(list).toContain('Accès direct des parents');
  });
});
