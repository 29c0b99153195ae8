import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

describe('staff login', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const http = () => request(h.app.getHttpServer());

  it('a correct login sets an HttpOnly SameSite session cookie; /api/me answers; logout ends the session', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const res = await agent.post('/api/auth/login').send({ email: h.orgA.users.director.email.toUpperCase(), password: TEST_PASSWORD }).expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/carepact_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await agent.get('/api/me').expect(200);
    expect(me.body).toMatchObject({ email: h.orgA.users.director.email, roles: [{ establishmentId: h.orgA.establishmentId, role: 'director' }] });
    expect(me.body.establishments[0].id).toBe(h.orgA.establishmentId);
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/me').expect(401);
  });

  it('wrong password and unknown email give the same answer', async () => {
    const wrong = await http().post('/api/auth/login').send({ email: h.orgA.users.auditor.email, password: 'not-the-password' });
    const unknown = await http().post('/api/auth/login').send({ email: 'nobody@example.test', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('rate limit: after 5 failures for an account, even the right password is refused with 429 and Retry-After', async () => {
    const email = h.orgA.users.coordinator.email;
    for (let i = 0; i < 5; i++) await http().post('/api/auth/login').send({ email, password: `wrong-${i}` }).expect(401);
    const res = await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('login successes and failures are audited without the email in clear', async () => {
    const rows = (await h.app.get(DataSource).query(
      `SELECT action, payload::text AS payload FROM audit_events WHERE action LIKE 'staff.login.%' ORDER BY occurred_at`,
    )) as { action: string; payload: string }[];
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.login.succeeded', 'staff.login.failed', 'staff.login.rate_limited']));
    for (const r of rows) expect(r.payload).not.toMatch(/@/);
  });
});
