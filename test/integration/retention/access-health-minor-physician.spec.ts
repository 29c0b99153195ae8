import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { sha256Hex } from '@carepact/common';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * The sector lawyer's review of the access-request code, a living minor's health information asked
 * for by her parents, through the API and the console:
 * - (4) access through a physician at her request (CSP L.1111-7; R.1111-6 last alinéa: « adressées
 *   au médecin qu'il a désigné ou consultées sur place en présence de ce médecin », at the parents'
 *   choice): the physician's name is required, as on the heirs' path — 400
 *   MINOR_HEALTH_PHYSICIAN_REQUIRED beside the field, nothing recorded —, kept with the request,
 *   audited as its SHA-256 (the chain holds hashes, never a name), and the list says where the
 *   information goes;
 * - (3) her opposition recorded: the list says it is written down by a professional who seeks her
 *   consent, not communicated while she maintains it, and that he sorts.
 */
describe('a living minor’s health information: the physician the parents designate, her opposition (CSP L.1111-7, R.1111-6)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let minor = '';
  const statement = 'Courrier de ses parents réf. 2026-45 : copie de son dossier de soins';
  const count = async (sql: string) => Number(((await ds.query(sql)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'data_job.requested'`),
  });
  const ask = (body: Record<string, unknown>) =>
    admin.post('/api/data-jobs/access-request').send({ residentId: minor, request: { from: 'representative', receivedOn: '2026-11-30', statement, healthInformation: true, ...body } });

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const { protectionMeasure: _none, ...free } = curatelleResident(h.orgA.establishmentId);
    minor = (await admissions.post('/api/residents').send({ ...free, lastName: 'Mineurmedecin' }).expect(201)).body.id as string;
    // Fourteen on the day of the request (C. civ. 388).
    await ds.query(`UPDATE residents SET birth_date = '2012-05-01' WHERE id = $1`, [minor]);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('a physician at her request without his name: 400 MINOR_HEALTH_PHYSICIAN_REQUIRED beside request.minorPhysician, in French, nothing recorded', async () => {
    const before = await written();
    const refused = await ask({ minorOpposition: 'none', minorThroughPhysician: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'request.minorPhysician', code: 'MINOR_HEALTH_PHYSICIAN_REQUIRED' })]);
    expect(refused.body.error.details[0].message).toContain('indiquez le nom du médecin que les titulaires de l’autorité parentale désignent');
    expect(await written()).toEqual(before);
  });

  it('named: kept with the request, audited as its SHA-256 (never the name), and the list says where the information goes', async () => {
    const job = (await ask({ minorOpposition: 'recorded', minorThroughPhysician: true, minorPhysician: 'Dr Claire Martin' }).expect(202)).body;
    expect(job.params.request.minor).toEqual({ opposition: 'recorded', throughPhysician: true, physician: 'Dr Claire Martin' });
    const [{ payload }] = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'data_job.requested' AND payload->>'jobId' = $1`, [job.id])) as { payload: Record<string, unknown> }[];
    expect(payload).toMatchObject({ requestMinorOpposition: 'recorded', requestMinorThroughPhysician: 'true', requestMinorPhysicianSha256: sha256Hex('Dr Claire Martin') });
    expect(JSON.stringify(payload)).not.toContain('Martin');
    const list = textOf((await admin.get(`/console/archives?demande=${job.id}`).expect(200)).text);
    expect(list).toContain(
      'À la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale (Dr Claire Martin), ou consultées sur place en sa présence (Code de la santé publique, art. L.1111-7 et R.1111-6) ; elles ne sont pas remises aux parents.',
    );
    expect(list).toContain(
      'Une opposition du mineur figure au dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées à ses parents tant qu’elle est maintenue (Code de la santé publique, art. L.1111-5 et R.1111-6). Le tri est fait par ce professionnel.',
    );
    expect(list).not.toContain('retirez-les du zip');
  });

  it('the console’s form: the box ticked without a name, the error beside « Médecin désigné » (400), nothing recorded; named, accepted (303)', async () => {
    const page = (await admin.get(`/console/archives?personne-acces=Mineurmedecin`).expect(200)).text;
    const base = {
      _csrf: csrfOf(page),
      accessResidentId: minor,
      'personne-acces': 'Mineurmedecin',
      requestFrom: 'representative',
      requestReceivedOn: '2026-12-01',
      requestStatement: statement,
      requestHealthInformation: 'oui',
      requestMinorOpposition: 'none',
      requestMinorThroughPhysician: 'oui',
    };
    const before = await written();
    const missing = await admin.post('/console/archives/acces').type('form').send(base);
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/id="requestMinorPhysician"[^>]*aria-invalid="true"/);
    expect(textOf(missing.text)).toContain('indiquez le nom du médecin que les titulaires de l’autorité parentale désignent');
    expect(await written()).toEqual(before);
    const ok = await admin.post('/console/archives/acces').type('form').send({ ...base, requestMinorPhysician: 'Dr Paul Bernard' });
    expect(ok.status).toBe(303);
    expect(textOf((await admin.get(ok.headers.location).expect(200)).text)).toContain('au médecin désigné par les titulaires de l’autorité parentale (Dr Paul Bernard)');
  });
});
