import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, runCli } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from './api-harness';

/** Issue 7, items 3, 5, 9 and 14: what an outside probe got through in staff access. */
describe('staff access: privileges, accounts, cookies, auditors', () => {
  let h: ApiHarness;
  /** Organisation A: establishment A1 (the harness's) and A2, administered by someone else. */
  let a1: string;
  let a2: string;
  let adminA2: request.Agent;
  let adminA1: request.Agent;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    a1 = h.orgA.establishmentId;
    a2 = await addEstablishment(h.app, h.orgA.organisationId, 'a2');
    await addUser(h.app, h.orgA.organisationId, 'admin.a2@example.test', [{ establishmentId: a2, role: 'administrator' }]);
    adminA2 = await loginAgent(h.app, 'admin.a2@example.test', TEST_PASSWORD);
    adminA1 = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const http = () => request(h.app.getHttpServer());
  const userCount = async (email: string) =>
    ((await ds.query('SELECT count(*)::int AS n FROM staff_users WHERE email = $1', [email])) as { n: number }[])[0].n;
  const newUser = (email: string, roles: { establishmentId: string; role: string }[]) => ({ email, name: 'Nouvelle Personne', password: TEST_PASSWORD, roles });

  describe('item 3: roles are granted only where the caller administers', () => {
    it('an administrator of A2 cannot create an administrator + director of A1, nor read A1 through it', async () => {
      const res = await adminA2.post('/api/users').send(
        newUser('escalade@example.test', [
          { establishmentId: a1, role: 'administrator' },
          { establishmentId: a1, role: 'director' },
        ]),
      );
      expect(res.status).toBe(404);
      expect(await userCount('escalade@example.test')).toBe(0);
      // Mixing an allowed role with a forbidden one creates nothing either.
      const mixed = await adminA2.post('/api/users').send(
        newUser('mixte@example.test', [
          { establishmentId: a2, role: 'admissions' },
          { establishmentId: a1, role: 'director' },
        ]),
      );
      expect(mixed.status).toBe(404);
      expect(await userCount('mixte@example.test')).toBe(0);
      await http().post('/api/auth/login').send({ email: 'escalade@example.test', password: TEST_PASSWORD }).expect(401);
    });

    it('an establishment the administrator sees without administering it answers 403', async () => {
      await addUser(h.app, h.orgA.organisationId, 'admin.a2.audit.a1@example.test', [
        { establishmentId: a2, role: 'administrator' },
        { establishmentId: a1, role: 'auditor' },
      ]);
      const agent = await loginAgent(h.app, 'admin.a2.audit.a1@example.test', TEST_PASSWORD);
      const res = await agent.post('/api/users').send(newUser('escalade2@example.test', [{ establishmentId: a1, role: 'director' }]));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(await userCount('escalade2@example.test')).toBe(0);
    });

    it('roles in the administered establishment are granted (201); the user list shows only those accounts', async () => {
      const res = await adminA2.post('/api/users').send(newUser('accueil.a2@example.test', [{ establishmentId: a2, role: 'admissions' }]));
      expect(res.status).toBe(201);
      const list = (await adminA2.get('/api/users').expect(200)).body as { email: string }[];
      expect(list.map((u) => u.email)).toEqual(expect.arrayContaining(['accueil.a2@example.test', 'admin.a2@example.test']));
      expect(list.map((u) => u.email)).not.toContain(h.orgA.users.director.email);
    });
  });

  describe('item 5: duplicates', () => {
    it('the same role twice in one request is 400 DUPLICATE_ROLE', async () => {
      const res = await adminA1.post('/api/users').send(
        newUser('double.role@example.test', [
          { establishmentId: a1, role: 'coordinator' },
          { establishmentId: a1, role: 'coordinator' },
        ]),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'roles.1', code: 'DUPLICATE_ROLE' })]);
      expect(await userCount('double.role@example.test')).toBe(0);
    });

    it('an e-mail already used is 409 EMAIL_ALREADY_USED, also when requests race (no 500, no hash anywhere)', async () => {
      const email = 'course@example.test';
      const body = newUser(email, [{ establishmentId: a1, role: 'coordinator' }]);
      const answers = await Promise.all(Array.from({ length: 6 }, () => adminA1.post('/api/users').send(body)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of answers.filter((a) => a.status === 409)) {
        expect(r.body.error.code).toBe('EMAIL_ALREADY_USED');
        expect(JSON.stringify(r.body)).not.toMatch(/argon2/);
      }
      const again = await adminA1.post('/api/users').send({ ...body, email: email.toUpperCase() });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('EMAIL_ALREADY_USED');
      expect(await userCount(email)).toBe(1);
    });
  });

  describe('item 14: disabling an account', () => {
    it('an administrator disables an account: its open session ends at once, it cannot log in, it is audited', async () => {
      const email = 'partant@example.test';
      const id = await addUser(h.app, h.orgA.organisationId, email, [{ establishmentId: a1, role: 'coordinator' }]);
      const leaving = await loginAgent(h.app, email, TEST_PASSWORD);
      await leaving.get('/api/me').expect(200);

      const res = await adminA1.post(`/api/users/${id}/disable`).expect(200);
      expect(res.body).toMatchObject({ id, email, active: false });
      const after = await leaving.get('/api/me');
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHENTICATED');

      const login = await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD });
      const wrong = await http().post('/api/auth/login').send({ email: 'personne@example.test', password: 'not-the-password' });
      expect(login.status).toBe(401);
      expect(login.body).toEqual(wrong.body);

      const events = (await ds.query(
        `SELECT actor_type, actor_id, payload FROM audit_events WHERE action = 'user.disabled' AND subject_id = $1`,
        [id],
      )) as { actor_type: string; actor_id: string; payload: { sessionsEnded: number } }[];
      expect(events).toEqual([{ actor_type: 'staff', actor_id: h.orgA.users.administrator.id, payload: expect.objectContaining({ sessionsEnded: 1 }) }]);
      const list = (await adminA1.get('/api/users').expect(200)).body as { id: string; active: boolean }[];
      expect(list.find((u) => u.id === id)?.active).toBe(false);
    });

    it('only an administrator of every establishment where the account has a role; never oneself; never another organisation', async () => {
      const both = await addUser(h.app, h.orgA.organisationId, 'deux.etablissements@example.test', [
        { establishmentId: a1, role: 'coordinator' },
        { establishmentId: a2, role: 'coordinator' },
      ]);
      const onlyA1 = await addUser(h.app, h.orgA.organisationId, 'seulement.a1@example.test', [{ establishmentId: a1, role: 'director' }]);
      await adminA2.post(`/api/users/${onlyA1}/disable`).expect(404);
      const partial = await adminA2.post(`/api/users/${both}/disable`);
      expect(partial.status).toBe(403);
      const self = await adminA1.post(`/api/users/${h.orgA.users.administrator.id}/disable`);
      expect(self.status).toBe(409);
      expect(self.body.error.code).toBe('CANNOT_DISABLE_SELF');
      const adminB = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
      await adminB.post(`/api/users/${onlyA1}/disable`).expect(404);
      const director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
      await director.post(`/api/users/${onlyA1}/disable`).expect(403);
      const [{ active }] = (await ds.query('SELECT bool_and(active) AS active FROM staff_users WHERE id = ANY($1)', [[both, onlyA1]])) as { active: boolean }[];
      expect(active).toBe(true);
    });

    it('`npm run cli -- user:disable <email>` does the same, audited as the system', async () => {
      const email = 'cli.partant@example.test';
      const id = await addUser(h.app, h.orgA.organisationId, email, [{ establishmentId: a1, role: 'admissions' }]);
      const agent = await loginAgent(h.app, email, TEST_PASSWORD);
      const run = await runCli(h.db.config, ['user:disable', email.toUpperCase()]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Compte désactivé');
      await agent.get('/api/me').expect(401);
      await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(401);
      const events = (await ds.query(`SELECT actor_type, actor_id FROM audit_events WHERE action = 'user.disabled' AND subject_id = $1`, [id])) as object[];
      expect(events).toEqual([{ actor_type: 'system', actor_id: 'cli:user:disable' }]);
      const unknown = await runCli(h.db.config, ['user:disable', 'personne@example.test']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Aucun compte');
    });
  });

  describe('item 14: auditors see the audit log and document history, not care details', () => {
    it('an auditor gets 403 on resident files and document content, 200 on the audit log and document metadata', async () => {
      const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
      const resident = (await admissions.post('/api/residents').send(curatelleResident(a1)).expect(201)).body as { id: string };
      const doc = (
        await admissions
          .post('/api/documents')
          .send({
            residentId: resident.id,
            type: 'contrat-sejour',
            data: contractData({ objectives: ['Permettre à M. Dupont de vivre en sécurité tout en gardant ses habitudes de promenade quotidienne.'] }),
          })
          .expect(202)
      ).body as { id: string; versionId: string };

      const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
      for (const url of [`/api/residents/${resident.id}`, '/api/residents', `/api/residents?establishmentId=${a1}`]) {
        const res = await auditor.get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 403 });
        expect(JSON.stringify(res.body)).not.toMatch(/Marcel|Dupont|Benaïssa|RG 25/);
      }
      const meta = await auditor.get(`/api/documents/${doc.id}`).expect(200);
      expect(meta.body).toMatchObject({ id: doc.id, type: 'contrat-sejour', versions: [expect.objectContaining({ id: doc.versionId, number: 1 })] });
      await auditor.get(`/api/documents/${doc.id}/versions`).expect(200);
      const content = await auditor.get(`/api/documents/${doc.id}/versions/${doc.versionId}/renditions/pdf/standard`);
      expect(content.status).toBe(403);
      // Staff who may read the content get past the permission check (the version is still being generated here).
      const staffContent = await admissions.get(`/api/documents/${doc.id}/versions/${doc.versionId}/renditions/pdf/standard`);
      expect(staffContent.body.error.code).toBe('RENDITION_NOT_FOUND');
      const log = await auditor.get(`/api/audit/events?limit=500&subjectId=${resident.id}`).expect(200);
      expect(log.body.map((e: { action: string }) => e.action)).toContain('resident.created');
    });
  });
});

describe('item 9: under HTTPS only the __Host- staff cookie is accepted', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ PUBLIC_URL: 'https://carepact.example' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('login sets __Host-carepact_session (Secure, Path=/); the bare name with the same token is refused', async () => {
    const res = await request(h.app.getHttpServer())
      .post('/api/auth/login')
      .send({ email: h.orgA.users.director.email, password: TEST_PASSWORD })
      .expect(200);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/^__Host-carepact_session=/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; Path=\//);
    const token = /^__Host-carepact_session=([^;]+)/.exec(set)![1];
    await request(h.app.getHttpServer()).get('/api/me').set('Cookie', `__Host-carepact_session=${token}`).expect(200);
    // What a sibling subdomain could set (Domain=.carepact.example): not a session here.
    const bare = await request(h.app.getHttpServer()).get('/api/me').set('Cookie', `carepact_session=${token}`);
    expect(bare.status).toBe(401);
    expect(bare.body.error.code).toBe('UNAUTHENTICATED');
  });
});
