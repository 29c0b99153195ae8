import request from 'supertest';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * SECURITY-RELIABILITY.md, "Bad input": a NUL byte (which PostgreSQL refuses in text) or another
 * control character in any input — a query parameter, a path segment, a console or portal form
 * field, a JSON body — is refused once, before any handler, with a 400: the stable code and a
 * French message for API callers, a French page for the console. Never a 500.
 */
describe('control characters in any input: 400, never a 500', () => {
  let h: ApiHarness;
  let agent: request.Agent;
  let auditor: request.Agent;
  let admin: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const noStack = (res: request.Response) => expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|stack|erreur interne/i);

  it('the console’s resident search with a NUL byte: a French error page (400), not a 500', async () => {
    const res = await agent.get('/console/residents?q=%00');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="fr"');
    expect(res.text).toContain('caractère invisible');
    noStack(res);
    // The same search without it still works.
    expect((await agent.get('/console/residents?q=dupont')).status).toBe(200);
  });

  it.each([
    ['the resident search', '/console/residents?q=Dup%00ont'],
    ['a parameter given twice', '/console/residents?q=a&q=%00'],
    ['a parameter’s name', '/console/residents?q%00=dupont'],
    ['another control character', '/console/residents?q=%01'],
    ['the archives’ person search', '/console/archives?personne-paquet=%00'],
    ['the audit journal’s filter', '/console/journal?action=%00'],
    ['a path segment', '/console/residents/%00'],
  ])('console, %s → 400 French page', async (_label, url) => {
    const res = await (url.includes('journal') ? auditor : url.includes('archives') ? admin : agent).get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 400 });
    expect(res.text).toContain('caractère invisible');
    noStack(res);
  });

  it.each([
    ['/api/residents?q=%00', 'q'],
    ['/api/documents?residentId=%00', 'residentId'],
    ['/api/audit/events?actor=%00', 'actor'],
    ['/api/audit/events.csv?action=sig%00nature', 'action'],
  ])('JSON API, %s → 400 NUL_BYTE naming the parameter, in French', async (url, field) => {
    const res = await (url.includes('audit') ? auditor : agent).get(url);
    expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, status: 400, code: 'NUL_BYTE' });
    expect(res.body.error.message).toMatch(/caractère nul/);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field, code: 'NUL_BYTE' })]);
    noStack(res);
  });

  it('JSON API: other control characters in a parameter → 400 CONTROL_CHARACTER (ASCII controls; tab, CR and LF are left to each parameter)', async () => {
    const res = await agent.get('/api/documents?residentId=%1B');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'residentId', code: 'CONTROL_CHARACTER' }] });
  });

  it('JSON API body with a NUL byte → 400 NUL_BYTE, the same code as a parameter; nothing stored', async () => {
    const res = await agent.post('/api/residents').send({ ...curatelleResident(h.orgA.establishmentId), lastName: 'Du\u0000pont' });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'NUL_BYTE' });
    expect(res.body.error.message).toMatch(/caractère nul/);
    const res2 = await agent.post('/api/bulk-runs').send({ establishmentId: h.orgA.establishmentId, kind: 'avenant-tarifs', commonData: { basisReference: 'arrêté\u0000' } });
    expect({ status: res2.status, code: res2.body.error?.code }).toEqual({ status: 400, code: 'NUL_BYTE' });
  });

  it('a console form field with a NUL byte (the login form) → 400 French page, no 500', async () => {
    const anonymous = request.agent(h.app.getHttpServer());
    const form = await anonymous.get('/connexion').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const res = await anonymous.post('/connexion').type('form').send({ _csrf: csrf, email: `admissions\u0000@example.org`, password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('caractère invisible');
    noStack(res);
  });

  it('the portal: a NUL byte in a form field or in a link’s address → 400 French page', async () => {
    const form = await request(h.app.getHttpServer()).post('/portail/question').type('form').send({ _csrf: 'x', question: 'Puis-je\u0000 venir ?' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('caractère invisible');
    const link = await request(h.app.getHttpServer()).get('/s/abc%00def');
    expect(link.status).toBe(400);
    expect(link.text).toContain('caractère invisible');
  });
});
