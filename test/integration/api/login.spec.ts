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

  it('five wrong passwords do not lock the owner out: a progressive delay (1 s, 2 s, 4 s…), then the right password works', async () => {
    const email = h.orgA.users.coordinator.email;
    const statuses: number[] = [];
    const waits: number[] = [];
    // Someone else tries five wrong passwords, each as soon as they are let in.
    for (let i = 0; i < 5; ) {
      const res = await http().post('/api/auth/login').send({ email, password: `wrong-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error.code).toBe('LOGIN_RATE_LIMITED');
        const wait = Number(res.headers['retry-after']);
        waits.push(wait);
        await new Promise((r) => setTimeout(r, wait * 1000 + 50));
      } else i++;
    }
    expect(waits).toEqual([1, 2]);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    // While the wait runs, even the right password gets 429 with Retry-After, and does not lengthen it.
    const early = await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD });
    expect(early.status).toBe(429);
    const wait = Number(early.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(3);
    expect(wait).toBeLessThanOrEqual(4);
    await new Promise((r) => setTimeout(r, wait * 1000 + 50));
    // After the wait, the owner logs in; the count starts again from zero.
    await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    await http().post('/api/auth/login').send({ email, password: 'wrong-again' }).expect(401);
    await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  });

  it('parallel guesses cannot skip the delay: they are checked one at a time', async () => {
    const email = h.orgA.users.director.email;
    for (let i = 0; i < 3; i++) await http().post('/api/auth/login').send({ email, password: `wrong-${i}` }).expect(401);
    await new Promise((r) => setTimeout(r, 1050));
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => http().post('/api/auth/login').send({ email, password: `burst-${i}` })));
    expect(burst.map((r) => r.status).sort()).toEqual([401, 429, 429, 429, 429, 429, 429, 429]);
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
