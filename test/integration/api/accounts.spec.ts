import request from 'supertest';
import { DataSource } from 'typeorm';
import { sha256Hex, randomToken } from '@carepact/common';
import { TEST_PASSWORD, loginAgent, runCli } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from './api-harness';

/**
 * Issue 11 item 7 on the real API and PostgreSQL (the e-mails themselves, through the worker and a
 * real SMTP server, are in test/e2e/console/console-admin.spec.ts): invitations keep issue 7's rule,
 * a password link is single-use even under concurrent posts, expired/unknown/revoked links look
 * the same, a reset tells nothing about who has an account and is rate-limited, a password change
 * checks the current one and ends the other sessions.
 */
describe('staff accounts: invitations, password links, reset, change (issue 11 item 7)', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let a1: string;
  let a2: string;
  let adminA1: request.Agent;
  let adminA2: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    a1 = h.orgA.establishmentId;
    a2 = await addEstablishment(h.app, h.orgA.organisationId, 'a2');
    await addUser(h.app, h.orgA.organisationId, 'admin.a2@example.test', [{ establishmentId: a2, role: 'administrator' }]);
    adminA1 = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    adminA2 = await loginAgent(h.app, 'admin.a2@example.test', TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const http = () => request(h.app.getHttpServer());
  const sql = <T>(text: string, params: unknown[] = []) => ds.query(text, params) as Promise<T[]>;
  /** A link as the worker issues it (the token only in the e-mail, its SHA-256 stored). */
  const issue = async (userId: string, purpose: 'invitation' | 'reset', expiresInMs = 3600_000): Promise<string> => {
    const token = randomToken();
    await sql(`UPDATE account_tokens SET revoked_at = now() WHERE user_id = $1 AND consumed_at IS NULL AND revoked_at IS NULL`, [userId]);
    await sql(`INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES ($1, $2, $3, now(), now() + ($4 || ' milliseconds')::interval)`, [
      userId,
      purpose,
      sha256Hex(token),
      String(expiresInMs),
    ]);
    return token;
  };
  /** The password form of a link, as a browser gets it: its CSRF cookie and hidden token. */
  const openLink = async (token: string) => {
    const agent = request.agent(h.app.getHttpServer());
    const page = await agent.get(`/compte/mot-de-passe/${token}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    return { agent, page, csrf };
  };

  it('an administrator invites only where they administer; the account cannot log in before choosing a password', async () => {
    const refused = await adminA2.post('/api/users/invite').send({ email: 'escalade@example.test', name: 'Escalade', roles: [{ establishmentId: a1, role: 'director' }] });
    expect(refused.status).toBe(404);
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    expect((await auditor.post('/api/users/invite').send({ email: 'x@example.test', name: 'X', roles: [{ establishmentId: a1, role: 'admissions' }] })).status).toBe(403);
    expect(await sql(`SELECT 1 FROM staff_users WHERE email IN ('escalade@example.test', 'x@example.test')`)).toHaveLength(0);

    const ok = await adminA1.post('/api/users/invite').send({ email: 'Nouvelle.Coord@Example.test', name: 'Nouvelle Coordinatrice', roles: [{ establishmentId: a1, role: 'coordinator' }] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ email: 'nouvelle.coord@example.test', invitationPending: true });
    const [outbox] = await sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM outbox WHERE job_name = 'account.mail'`);
    expect(outbox.payload).toEqual({ userId: ok.body.id, purpose: 'invitation', invitedBy: h.orgA.users.administrator.id });
    // Whatever password is tried, the invited account is refused like a wrong password.
    const login = await http().post('/api/auth/login').send({ email: 'nouvelle.coord@example.test', password: TEST_PASSWORD });
    expect(login.status).toBe(401);
    const events = await sql<{ action: string }>(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [ok.body.id]);
    expect(events.map((e) => e.action)).toEqual(['user.created', 'user.invited', 'staff.login.failed']);
  });

  it('a link opens as often as one likes, sets the password once even with two posts at the same time, and ends the sessions', async () => {
    const userId = await addUser(h.app, h.orgA.organisationId, 'double@example.test', [{ establishmentId: a1, role: 'admissions' }]);
    const open = await loginAgent(h.app, 'double@example.test', TEST_PASSWORD);
    const token = await issue(userId, 'reset');
    const first = await openLink(token);
    expect(first.page.status).toBe(200);
    expect(first.page.headers['cache-control']).toBe('no-store');
    expect(first.page.headers['referrer-policy']).toBe('no-referrer');
    expect((await openLink(token)).page.status).toBe(200);
    const second = await openLink(token);
    const post = (l: typeof first, password: string) => l.agent.post('/compte/mot-de-passe').type('form').send({ _csrf: l.csrf, jeton: token, password, confirm: password });
    const results = await Promise.all([post(first, 'premier mot de passe long'), post(second, 'second mot de passe long')]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 404]);
    const winner = results.find((r) => r.status === 303)!;
    expect(winner.headers.location).toBe('/connexion?mot-de-passe=1');
    const password = results[0].status === 303 ? 'premier mot de passe long' : 'second mot de passe long';
    await loginAgent(h.app, 'double@example.test', password);
    expect((await open.get('/api/me')).status).toBe(401);
    expect((await openLink(token)).page.status).toBe(404);
    expect(await sql(`SELECT 1 FROM audit_events WHERE action = 'staff.password.set' AND subject_id = $1`, [userId])).toHaveLength(1);
  });

  it('unknown, expired, used and revoked links get the same page; a short password or two different ones are refused beside the field', async () => {
    const userId = await addUser(h.app, h.orgA.organisationId, 'liens@example.test', [{ establishmentId: a1, role: 'admissions' }]);
    const expired = await issue(userId, 'reset', -1000);
    const unknown = randomToken();
    const pages = await Promise.all([expired, unknown, 'pas-un-jeton'].map((t) => http().get(`/compte/mot-de-passe/${t}`)));
    for (const p of pages) expect(p.status).toBe(404);
    expect(new Set(pages.map((p) => p.text)).size).toBe(1);
    expect(pages[0].text).toContain('Ce lien n’est pas ou plus valable');

    const live = await issue(userId, 'reset');
    const l = await openLink(live);
    const short = await l.agent.post('/compte/mot-de-passe').type('form').send({ _csrf: l.csrf, jeton: live, password: 'court', confirm: 'court' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('id="password-erreur"');
    const differ = await l.agent.post('/compte/mot-de-passe').type('form').send({ _csrf: l.csrf, jeton: live, password: 'un mot de passe long', confirm: 'un autre mot de passe' });
    expect(differ.status).toBe(400);
    expect(differ.text).toContain('Les deux mots de passe saisis sont différents.');
    const noCsrf = await http().post('/compte/mot-de-passe').type('form').send({ jeton: live, password: 'un mot de passe long', confirm: 'un mot de passe long' });
    expect(noCsrf.status).toBe(403);
    // Disabling the account revokes the link still in its mailbox.
    await adminA1.post(`/api/users/${userId}/disable`).expect(200);
    expect((await l.agent.get(`/compte/mot-de-passe/${live}`)).status).toBe(404);
    const after = await l.agent.post('/compte/mot-de-passe').type('form').send({ _csrf: l.csrf, jeton: live, password: 'un mot de passe long', confirm: 'un mot de passe long' });
    expect(after.status).toBe(404);
  });

  it('a reset answers the same whether the address has an account, queues an e-mail only for an active account, and is limited per address', async () => {
    const ask = (email: string, ip = '203.0.113.7') => http().post('/api/auth/password-reset').set('X-Forwarded-For', ip).send({ email });
    const known = await ask(h.orgA.users.director.email);
    const unknown = await ask('personne@example.test');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const queued = await sql<{ payload: { userId: string; purpose: string } }>(`SELECT payload FROM outbox WHERE job_name = 'account.mail' AND payload->>'purpose' = 'reset'`);
    expect(queued.map((q) => q.payload.userId)).toEqual([h.orgA.users.director.id]);
    await ask('personne@example.test');
    await ask('personne@example.test');
    const limited = await ask('personne@example.test');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('PASSWORD_RESET_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('3600');
    const actions = await sql<{ action: string }>(`SELECT action FROM audit_events WHERE action LIKE 'staff.password_reset.%' ORDER BY occurred_at, seq`);
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['staff.password_reset.requested', 'staff.password_reset.ignored', 'staff.password_reset.rate_limited']));
    // The old password still works until a link is used.
    await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
  });

  it('a password change needs the current password and ends the other sessions, not this one', async () => {
    await addUser(h.app, h.orgA.organisationId, 'change@example.test', [{ establishmentId: a1, role: 'admissions' }]);
    const here = await loginAgent(h.app, 'change@example.test', TEST_PASSWORD);
    const elsewhere = await loginAgent(h.app, 'change@example.test', TEST_PASSWORD);
    const wrong = await here.post('/api/auth/password').send({ current: 'pas le bon', password: 'nouveau mot de passe long' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]).toMatchObject({ field: 'current', code: 'WRONG_PASSWORD' });
    const weak = await here.post('/api/auth/password').send({ current: TEST_PASSWORD, password: 'change@example.test' });
    expect(weak.status).toBe(400);
    expect((await here.post('/api/auth/password').send({ current: TEST_PASSWORD, password: 'nouveau mot de passe long' })).status).toBe(204);
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).status).toBe(401);
    await loginAgent(h.app, 'change@example.test', 'nouveau mot de passe long');
    // Guessing the current password from a session waits like guessing a login (3 free, then 1 s, 2 s…).
    for (let i = 0; i < 3; i++) expect((await here.post('/api/auth/password').send({ current: `essai ${i}`, password: 'encore un autre mot de passe' })).status).toBe(400);
    const limited = await here.post('/api/auth/password').send({ current: 'essai 4', password: 'encore un autre mot de passe' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('PASSWORD_CHANGE_RATE_LIMITED');
    const login = await http().post('/api/auth/login').send({ email: 'change@example.test', password: 'nouveau mot de passe long' });
    expect(login.status).toBe(429);
  });

  it('an invitation is resent only to an account that has not chosen its password', async () => {
    const invited = await adminA1.post('/api/users/invite').send({ email: 'relance@example.test', name: 'Relance', roles: [{ establishmentId: a1, role: 'admissions' }] });
    const console = await consoleAgent();
    const page = await console.agent.get('/console/admin/comptes');
    expect(page.text).toContain('Invité : mot de passe pas encore choisi');
    const resend = await console.agent.post(`/console/admin/comptes/${invited.body.id}/reinviter`).type('form').send({ _csrf: console.csrf });
    expect(resend.status).toBe(303);
    expect(await sql(`SELECT 1 FROM outbox WHERE job_name = 'account.mail' AND payload->>'userId' = $1`, [invited.body.id])).toHaveLength(2);
    const active = await console.agent.post(`/console/admin/comptes/${h.orgA.users.director.id}/reinviter`).type('form').send({ _csrf: console.csrf });
    expect(active.status).toBe(409);
    expect(active.text).toContain('a déjà choisi son mot de passe');
    expect(active.text).toContain('role="alert"');
    // Inviting an address already in use: said beside the e-mail field, nothing created or queued.
    const before = (await sql(`SELECT 1 FROM outbox WHERE job_name = 'account.mail'`)).length;
    const taken = await console.agent
      .post('/console/admin/comptes')
      .type('form')
      .send({ _csrf: console.csrf, name: 'Doublon', email: h.orgA.users.director.email.toUpperCase(), establishmentId: a1, role: 'admissions' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('<p class="field-error" id="email-erreur">Un compte existe déjà avec cette adresse e-mail.</p>');
    expect((await sql(`SELECT 1 FROM outbox WHERE job_name = 'account.mail'`)).length).toBe(before);
    // No role chosen: the error is beside the select, and the summary links to it.
    const noRole = await console.agent.post('/console/admin/comptes').type('form').send({ _csrf: console.csrf, name: 'Sans rôle', email: 'sans.role@example.test', establishmentId: a1, role: '' });
    expect(noRole.status).toBe(400);
    expect(noRole.text).toMatch(/<a href="#role">[^<]+<\/a>/);
    expect(noRole.text).toContain('id="role-erreur"');
    // A role in an establishment the administrator does not administer: refused, nothing created.
    const elsewhere = await console.agent.post('/console/admin/comptes').type('form').send({ _csrf: console.csrf, name: 'Ailleurs', email: 'ailleurs@example.test', establishmentId: a2, role: 'director' });
    expect(elsewhere.status).toBe(404);
    expect(await sql(`SELECT 1 FROM staff_users WHERE email = 'ailleurs@example.test'`)).toHaveLength(0);
  });

  it('the platform operator creates an organisation and its establishment with the CLI, then its first administrator', async () => {
    const org = await runCli(h.db.config, ['organisation:create', '--name', 'Association Les Pins', '--siren', '123 456 789']);
    expect(org.code).toBe(0);
    const orgId = /Identifiant : ([0-9a-f-]{36})/.exec(org.stdout)![1];
    const args = ['establishment:create', '--organisation', orgId, '--name', 'FAM Les Pins', '--category', 'FAM', '--address', '3 allée des Pins, 33000 Bordeaux', '--director-first-name', 'Léa', '--director-last-name', 'Martin'];
    const bad = await runCli(h.db.config, [...args, '--finess', '12345', '--category', 'Foyer']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Le numéro FINESS comporte 9 caractères.');
    expect(bad.stderr).toContain('Catégorie d’établissement inconnue');
    const missing = await runCli(h.db.config, ['establishment:create', '--organisation', orgId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Option --name manquante.');
    const est = await runCli(h.db.config, [...args, '--finess', '330000017']);
    expect(est.code).toBe(0);
    expect(est.stdout).toContain('Établissement créé : FAM Les Pins (FINESS 330000017)');
    const admin = await runCli(h.db.config, ['user:create', '--email', 'admin@les-pins.example', '--name', 'Admin Pins', '--role', 'administrator', '--establishment', '330000017', '--password', 'mot de passe des pins']);
    expect(admin.code).toBe(0);
    const agent = await loginAgent(h.app, 'admin@les-pins.example', 'mot de passe des pins');
    const me = await agent.get('/api/me');
    expect(me.body.establishments.map((e: { name: string }) => e.name)).toEqual(['FAM Les Pins']);
    const events = await sql<{ action: string; actor_type: string; actor_id: string }>(`SELECT action, actor_type, actor_id FROM audit_events WHERE chain_id = $1 ORDER BY seq`, [orgId]);
    expect(events.slice(0, 3).map((e) => [e.action, e.actor_type, e.actor_id])).toEqual([
      ['organisation.created', 'system', 'cli:organisation:create'],
      ['establishment.created', 'system', 'cli:establishment:create'],
      ['user.created', 'system', 'cli:user:create'],
    ]);
  });

  it('an administrator creates an establishment from the console and becomes its administrator; errors come back beside their fields', async () => {
    const c = await consoleAgent();
    const bad = await c.agent.post('/console/admin/etablissements').type('form').send({ _csrf: c.csrf, name: '', category: 'MAS', finess: '1', address: '1 rue' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="name-erreur"');
    expect(bad.text).toContain('id="directorLastName-erreur"');
    expect(await sql(`SELECT 1 FROM establishments WHERE category = 'MAS'`)).toHaveLength(0);
    const ok = await c.agent
      .post('/console/admin/etablissements')
      .type('form')
      .send({ _csrf: c.csrf, name: 'MAS Le Chêne', category: 'MAS', finess: '330000025', address: '1 rue du Chêne', directorFirstName: 'Ana', directorLastName: 'Roux' });
    expect(ok.status).toBe(303);
    const id = /etablissements\/([0-9a-f-]{36})\?fait=cree/.exec(ok.headers.location)![1];
    const roles = await sql<{ role: string }>(`SELECT role FROM staff_roles WHERE user_id = $1 AND establishment_id = $2`, [h.orgA.users.administrator.id, id]);
    expect(roles.map((r) => r.role)).toEqual(['administrator']);
    // A director (no user.manage) cannot.
    const director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    expect((await director.post('/api/establishments').send({ name: 'X', category: 'MAS', finess: '330000033', address: 'x', directorFirstName: 'a', directorLastName: 'b' })).status).toBe(403);
  });

  /** An administrator's console session with its CSRF token. */
  const consoleAgent = async () => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/connexion');
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/connexion').type('form').send({ _csrf: loginCsrf, email: h.orgA.users.administrator.email, password: TEST_PASSWORD }).expect(303);
    const page = await agent.get('/console/admin/comptes');
    return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  };
});
