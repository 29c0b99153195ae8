import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, loginAgent, minorUnderTutelleResident } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * Text that must read as it is (security review): a bidirectional override (U+202A–U+202E,
 * U+2066–U+2069) makes it display otherwise — « Motif ‮ok tnetnetnoC » shows as « Motif Contentent ko ».
 * The reason of an archive's opening (kept write-once, read by auditors) and the reference of the
 * decision behind a minor's representative follow the shared text rule for names (libs/common
 * `textProblem`, 'name'): 400 BIDI_CONTROL, nothing stored.
 */
describe('bidirectional controls in an archive opening’s reason and a minor’s decision reference', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let admin: request.Agent;
  let admissions: request.Agent;
  const count = async (sql: string, params: unknown[] = []) => Number(((await ds.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  it('the reason of an archive’s opening: refused with U+202E or U+2066, nothing granted or audited; a plain one passes', async () => {
    const id = (await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Raison' }).expect(201)).body.id as string;
    await ds.query(`UPDATE residents SET admission_date = '2014-03-01' WHERE id = $1`, [id]);
    await admin.put(`/api/residents/${id}/departure`).send({ departedOn: '2020-01-01' }).expect(200);
    for (const reason of ['Motif \u202eok tnetnetnoC', 'Contentieux \u2066TJ\u2069 Valville']) {
      const refused = await admin.post(`/api/residents/${id}/archive-access`).send({ reason });
      expect({ status: refused.status, details: refused.body.error?.details }).toEqual({
        status: 400,
        details: [{ field: 'reason', code: 'BIDI_CONTROL', message: expect.stringContaining('change le sens d’affichage') }],
      });
    }
    expect(await count(`SELECT count(*) AS n FROM archive_access_grants WHERE resident_id = $1`, [id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'archive.opened' AND subject_id = $1`, [id])).toBe(0);
    await admin.post(`/api/residents/${id}/archive-access`).send({ reason: 'Contentieux : TJ de Valville' }).expect(201);
  });

  it('the reference of a minor’s decision (and of the juge des enfants’ authorisation): refused with U+202E, nothing created', async () => {
    const m = minorUnderTutelleResident(h.orgA.establishmentId);
    const residents = () => count(`SELECT count(*) AS n FROM residents WHERE organisation_id = $1`, [h.orgA.organisationId]);
    const before = await residents();
    const refused = await admissions.post('/api/residents').send({ ...m, minorDecision: { ...m.minorDecision, reference: 'RG \u202e24000/52' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'minorDecision.reference', code: 'BIDI_CONTROL' })]);
    const authorised = await admissions.post('/api/residents').send({ ...m, minorDecision: { ...m.minorDecision, actAuthorisation: { reference: 'JE \u202e12/0026', date: '2026-10-02' } } });
    expect(authorised.status).toBe(400);
    expect(authorised.body.error.details).toEqual([expect.objectContaining({ field: 'minorDecision.actAuthorisation.reference', code: 'BIDI_CONTROL' })]);
    expect(await residents()).toBe(before);
    await admissions.post('/api/residents').send(m).expect(201);
  });

  it('the implicit bidi marks (U+200E, U+200F, U+061C) too, as the e-mails count them (one rule, BIDI_CONTROLS): in a name, a decision’s reference; French names with no-break spaces and curly apostrophes pass', async () => {
    const m = minorUnderTutelleResident(h.orgA.establishmentId);
    const residents = () => count(`SELECT count(*) AS n FROM residents WHERE organisation_id = $1`, [h.orgA.organisationId]);
    const before = await residents();
    for (const c of ['\u200e', '\u200f', '\u061c']) {
      const named = await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: `Benali${c}` });
      expect({ status: named.status, details: named.body.error?.details }).toEqual({ status: 400, details: [expect.objectContaining({ field: 'lastName', code: 'BIDI_CONTROL' })] });
      const referenced = await admissions.post('/api/residents').send({ ...m, minorDecision: { ...m.minorDecision, reference: `RG 25/${c}00042` } });
      expect({ status: referenced.status, details: referenced.body.error?.details }).toEqual({
        status: 400,
        details: [expect.objectContaining({ field: 'minorDecision.reference', code: 'BIDI_CONTROL' })],
      });
    }
    expect(await residents()).toBe(before);
    const french = await admissions.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), firstName: 'Hélène', lastName: 'd’Aubigné\u00a0Lefèvre' });
    expect(french.status).toBe(201);
  });
});
