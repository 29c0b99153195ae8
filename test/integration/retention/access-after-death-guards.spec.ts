import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * The attacker's review of session 21: (1) once a death was recorded, the person's former tutrice, a
 * request « from the person », or no statement at all had her whole file by the RGPD art. 15 path,
 * skipping every check the heirs' path makes (purpose, objection, standing, selection, 48 hours) —
 * her right of access and her measure ended with her (RGPD recital 27, C. civ. 443); (2) a death
 * cleared as entered by mistake left an heir's request open about a person the file shows
 * accompanied again, and its selection and delivery went through.
 */
describe('access requests after a death: only the CSP requesters; nothing handed over once the death is cleared', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let resident = '';
  const proof = { type: 'acte_notoriete', reference: 'Me Lenoir, notaire à Dijon, réf. 2026/0412', issuedOn: '2026-11-20' };
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const written = async () => ({
    jobs: await count(`SELECT count(*) AS n FROM data_jobs WHERE kind = 'access_request'`),
    events: await count(`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'access_request.%' OR action IN ('data_job.requested', 'archive.opened_for_heir_request', 'archive.opened_for_access_request')`),
  });

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    resident = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Garnier' }).expect(201)).body.id as string;
    await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: contractData() }).expect(202);
    await ds.query(`UPDATE residents SET admission_date = '2019-05-02', birth_date = '1938-01-15' WHERE id = $1`, [resident]);
    await admin.put(`/api/residents/${resident}/departure`).send({ departedOn: '2026-11-02', endReason: 'death' }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('after a recorded death, a request from the person, her former representative (health information or not) or without a statement: 400 ACCESS_REQUEST_PERSON_DECEASED beside request.from, nothing recorded', async () => {
    const before = await written();
    const bodies = [
      { residentId: resident, request: { from: 'person', receivedOn: '2026-11-25', statement: 'Demande de la personne' } },
      { residentId: resident, request: { from: 'representative', receivedOn: '2026-11-25', statement: 'La curatrice demande le dossier.' } },
      { residentId: resident, request: { from: 'representative', receivedOn: '2026-11-25', statement: 'La curatrice demande le dossier médical.', healthInformation: true } },
      { residentId: resident },
    ];
    for (const body of bodies) {
      const refused = await admin.post('/api/data-jobs/access-request').send(body);
      expect({ status: refused.status, code: refused.body.error?.code, details: refused.body.error?.details?.map((d: { field: string; code: string }) => `${d.field} ${d.code}`) }).toEqual({
        status: 400,
        code: 'ACCESS_REQUEST_PERSON_DECEASED',
        details: ['request.from ACCESS_REQUEST_PERSON_DECEASED'],
      });
      expect(refused.body.error.message).toMatch(/^D’après son dossier, la personne est décédée le 2 novembre 2026 : son droit d’accès \(RGPD, art\. 15\) a pris fin avec elle/);
      expect(refused.body.error.message).toContain('ayant droit, concubin ou partenaire de PACS (Code de la santé publique, art. L.1110-4 V)');
    }
    expect(await written()).toEqual(before);
  });

  it('an heir’s request is recorded; once the death is cleared (entered by mistake) its selection and delivery are refused 409 HEIR_REQUEST_PERSON_ACCOMPANIED, nothing written; a refusal still closes it', async () => {
    const heir = { from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier de sa fille : causes du décès', purpose: 'causes_of_death', deceasedOn: '2026-11-02', deceasedObjection: 'none', standingProof: proof };
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: resident, request: heir }).expect(202)).body;
    const [outbox] = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL`, [job.id])) as { id: string }[];
    await h.app.get(DataJobsService).run(outbox.id, job.id);
    await admin.put(`/api/residents/${resident}/departure`).send({ departedOn: null }).expect(200);
    const before = await written();
    const answer = async () => ((await ds.query(`SELECT answer FROM data_jobs WHERE id = $1`, [job.id])) as { answer: unknown }[])[0].answer;
    const answerBefore = await answer();
    const selection = await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: 'Le dossier seul répond au motif.' });
    expect({ status: selection.status, code: selection.body.error?.code }).toEqual({ status: 409, code: 'HEIR_REQUEST_PERSON_ACCOMPANIED' });
    expect(selection.body.error.message).toMatch(/^Le dossier de la personne n’indique plus la fin de son accompagnement/);
    const delivery = await admin.post(`/api/data-jobs/${job.id}/delivery`);
    expect({ status: delivery.status, code: delivery.body.error?.code }).toEqual({ status: 409, code: 'HEIR_REQUEST_PERSON_ACCOMPANIED' });
    expect(await written()).toEqual(before);
    expect(await answer()).toEqual(answerBefore);
    const refused = await admin.post(`/api/data-jobs/${job.id}/refusal`).send({ reason: 'purpose_not_established', explanation: 'La personne est vivante : la date de décès avait été saisie par erreur.' });
    expect(refused.status).toBe(200);
    expect(refused.body.answer).toMatchObject({ state: 'refused' });
  });
});
