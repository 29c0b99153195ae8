import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DataJobsService } from '@carepact/archive';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from '../api/api-harness';

/**
 * The attacker review of session 21, on a request after the death (CSP L.1110-4 V, L.1111-7):
 * - a refusal's or a selection's error names the field as the body has it (`explanation`, not
 *   `refusal.explanation`), whether the JSON reader or the service refuses it: one path for one field;
 * - the physician's name answers the text rule's own code (BIDI_CONTROL…), not « de 3 à 200 caractères ».
 */
describe('a request after the death: field paths and the physician’s name', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let adult = '';
  const proof = { type: 'acte_notoriete', reference: 'Me Durand, notaire à Lyon, réf. 2026/1187', issuedOn: '2026-10-20' };
  const heirRequest = { from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier de son fils : causes du décès', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: proof };
  const details = (res: request.Response) => (res.body.error?.details ?? []).map((d: { field: string; code: string }) => `${d.field} ${d.code}`);

  beforeAll(async () => {
    h = await startApiHarness({ EXPORTS_DIR: mkdtempSync(join(tmpdir(), 'carepact-exports-')) });
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    adult = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Défunte' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01', birth_date = '1941-03-02' WHERE id = $1`, [adult]);
    await admin.put(`/api/residents/${adult}/departure`).send({ departedOn: '2026-10-02' }).expect(200);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('a physician’s name with a bidi override or an invisible character: its own code on request.physician; too short still ACCESS_REQUEST_PHYSICIAN_REQUIRED', async () => {
    const post = (physician: string) => admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { ...heirRequest, communication: 'physician', physician } });
    const bidi = await post('Dr \u202eX');
    expect({ status: bidi.status, details: details(bidi) }).toEqual({ status: 400, details: ['request.physician BIDI_CONTROL'] });
    expect(bidi.body.error.details[0].message).toMatch(/sens d’affichage/);
    const emoji = await post('Dr Martin 🙂');
    expect(details(emoji)).toEqual(['request.physician EMOJI_NOT_ALLOWED']);
    const selector = await post('Dr Mar\uFE00tin');
    expect(details(selector)).toEqual(['request.physician CONTROL_CHARACTER']);
    expect(details(await post('Dr'))).toEqual(['request.physician ACCESS_REQUEST_PHYSICIAN_REQUIRED']);
    expect(details(await post(''))).toEqual(['request.physician ACCESS_REQUEST_PHYSICIAN_REQUIRED']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM data_jobs WHERE kind = 'access_request'`)).toEqual([{ n: 0 }]);
  });

  it('a refusal’s and a selection’s errors name the body’s fields, the same whether the JSON reader or the service refuses', async () => {
    const job = (await admin.post('/api/data-jobs/access-request').send({ residentId: adult, request: { ...heirRequest, purpose: 'assert_rights' } }).expect(202)).body;
    const rows = (await ds.query(`SELECT id FROM outbox WHERE job_name = 'data.run' AND payload->>'dataJobId' = $1 AND done_at IS NULL`, [job.id])) as { id: string }[];
    await h.app.get(DataJobsService).run(rows[0].id, job.id);
    const refuse = (body: Record<string, unknown>) => admin.post(`/api/data-jobs/${job.id}/refusal`).send(body);
    // U+200B only: the JSON reader refuses it before the service.
    const invisible = await refuse({ reason: 'other', explanation: '\u200B' });
    expect({ status: invisible.status, details: details(invisible) }).toEqual({ status: 400, details: ['explanation CONTROL_CHARACTER'] });
    // The service's own refusals: the same paths.
    const empty = await refuse({ reason: 'parce que', explanation: '' });
    expect({ status: empty.status, details: details(empty) }).toEqual({ status: 400, details: ['reason ACCESS_REFUSAL_REASON_INVALID', 'explanation ACCESS_REFUSAL_EXPLANATION_INVALID'] });
    const bidi = await refuse({ reason: 'other', explanation: 'Les raisons \u202esont données.' });
    expect(details(bidi)).toEqual(['explanation BIDI_CONTROL']);
    const selection = await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['document:autre'], justification: '' });
    expect({ status: selection.status, details: details(selection) }).toEqual({ status: 400, details: ['items ACCESS_SELECTION_ITEM_UNKNOWN', 'justification ACCESS_SELECTION_JUSTIFICATION_INVALID'] });
    const selectionInvisible = await admin.post(`/api/data-jobs/${job.id}/selection`).send({ items: ['dossier'], justification: '\u200B' });
    expect(details(selectionInvisible)).toEqual(['justification CONTROL_CHARACTER']);
  });
});
