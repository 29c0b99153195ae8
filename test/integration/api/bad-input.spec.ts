import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/** SECURITY-RELIABILITY.md, "Bad input": a clear 4xx with a code, never a 500, never a stack trace. */
describe('bad input', () => {
  let h: ApiHarness;
  let agent: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness({ BODY_LIMIT_BYTES: '4096' });
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  function expectCleanError(res: request.Response, status: number, code: string) {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(5);
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|stack/i);
  }

  const valid = () => curatelleResident(h.orgA.establishmentId);

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await agent.post('/api/residents').set('Content-Type', 'application/json').send('{"firstName": "Marcel",');
    expectCleanError(res, 400, 'MALFORMED_JSON');
  });

  it('unknown fields → 400 with the field named', async () => {
    const res = await agent.post('/api/residents').send({ ...valid(), favouriteColour: 'bleu' });
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'favouriteColour', code: 'UNKNOWN_FIELD' }));
  });

  it('unknown nested field → 400 naming its path', async () => {
    const body = valid();
    (body.protectionMeasure as Record<string, unknown>).secret = 1;
    const res = await agent.post('/api/residents').send(body);
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'protectionMeasure.secret', code: 'UNKNOWN_FIELD' }));
  });

  it('wrong types → 400 with each field, code and French message', async () => {
    const res = await agent.post('/api/residents').send({ ...valid(), firstName: 42, birthDate: '1947-02-30', stayType: 'forever', preferences: { largePrint: 'oui' } });
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    const fields = Object.fromEntries((res.body.error.details as { field: string; code: string }[]).map((d) => [d.field, d.code]));
    expect(fields).toMatchObject({
      firstName: 'INVALID_TYPE',
      birthDate: 'INVALID_DATE',
      stayType: 'NOT_ALLOWED_VALUE',
      'preferences.largePrint': 'INVALID_TYPE',
    });
  });

  it('missing required fields → REQUIRED per field', async () => {
    const res = await agent.post('/api/residents').send({ establishmentId: h.orgA.establishmentId });
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    const fields = (res.body.error.details as { field: string; code: string }[]).filter((d) => d.code === 'REQUIRED').map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'lastName', 'birthDate', 'admissionDate', 'stayType']));
  });

  it('domain rules → precise errors: curatelle must be assistance, temporary stay needs an end date', async () => {
    const body = { ...valid(), stayType: 'temporary', protectionMeasure: { ...valid().protectionMeasure, mode: 'representation' } };
    const res = await agent.post('/api/residents').send(body);
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'plannedEndDate', code: 'REQUIRED' }),
        expect.objectContaining({ field: 'protectionMeasure.mode', code: 'MODE_INCOMPATIBLE' }),
      ]),
    );
  });

  it('NUL bytes → 400 NUL_BYTE', async () => {
    const res = await agent.post('/api/residents').send({ ...valid(), firstName: 'Mar\u0000cel' });
    expectCleanError(res, 400, 'NUL_BYTE');
    expect(res.body.error.details[0].field).toBe('firstName');
  });

  it('__proto__ and constructor keys → 400 FORBIDDEN_KEY, and nothing is polluted', async () => {
    const raw = `{"establishmentId":"${h.orgA.establishmentId}","__proto__":{"polluted":"yes"},"firstName":"A"}`;
    const res = await agent.post('/api/residents').set('Content-Type', 'application/json').send(raw);
    expectCleanError(res, 400, 'FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const res2 = await agent.post('/api/residents').send({ ...valid(), preferences: { constructor: { prototype: 1 } } });
    expectCleanError(res2, 400, 'FORBIDDEN_KEY');
  });

  it('a body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await agent.post('/api/residents').send({ ...valid(), room: 'x'.repeat(10_000) });
    expectCleanError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('not JSON → 415-like clear error; an id that is not a uuid → 404; unknown route → 404', async () => {
    const res = await agent.post('/api/residents').set('Content-Type', 'text/plain').send('hello');
    expectCleanError(res, 400, 'UNSUPPORTED_MEDIA_TYPE');
    expectCleanError(await agent.get('/api/residents/not-a-uuid'), 404, 'NOT_FOUND');
    expectCleanError(await agent.get('/api/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('control characters in a name (CR/LF) → 400 CONTROL_CHARACTER', async () => {
    const res = await agent.post('/api/residents').send({ ...valid(), lastName: 'Dupont\r\nBcc: x@example.org' });
    expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'lastName', code: 'CONTROL_CHARACTER' }));
  });

  it('nothing half-written: none of the refused requests created a resident or an audit event for one', async () => {
    const list = await agent.get('/api/residents').expect(200);
    expect(list.body).toEqual([]);
    const [{ n }] = (await h.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'resident.created'`)) as { n: number }[];
    expect(n).toBe(0);
  });

  it('a valid request with user data that looks like code is stored literally', async () => {
    const res = await agent
      .post('/api/residents')
      .send({ ...valid(), firstName: '{{constructor}}', lastName: "<script>alert(1)</script> (\\) /JavaScript" })
      .expect(201);
    const file = await agent.get(`/api/residents/${res.body.id}`).expect(200);
    expect(file.body.firstName).toBe('{{constructor}}');
    expect(file.body.lastName).toBe("<script>alert(1)</script> (\\) /JavaScript");
    expect(file.headers['content-type']).toMatch(/application\/json/);
  });
});
