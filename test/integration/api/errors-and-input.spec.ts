import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { ensureDatabaseExists, runMigrations } from '@carepact/database';
import { PrivatePostgres, RunningProcess, TEST_PASSWORD, contractData, curatelleResident, freePort, loginAgent, runCli, startProcess, testConfig, waitUntil } from '@carepact/testing';
import { StaffService, systemActor } from '@carepact/identity';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from './api-harness';

/**
 * Issue 7: input the API accepted but no document could be made from (item 13), what a 500 writes
 * in the logs (item 5), and what the API answers while PostgreSQL is away (item 8).
 */
describe('input the product cannot use is refused at the API (one text rule, amounts in bounds)', () => {
  let h: ApiHarness;
  let admissions: request.Agent;
  let director: request.Agent;

  beforeAll(async () => {
    h = await startApiHarness();
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const valid = () => curatelleResident(h.orgA.establishmentId);
  const detailsOf = (res: request.Response) => (res.body.error?.details ?? []) as { field: string; code: string; message: string }[];
  const expectRefused = (res: request.Response, field: string, code: string) => {
    expect({ status: res.status, details: detailsOf(res) }).toEqual({ status: 400, details: expect.arrayContaining([expect.objectContaining({ field, code })]) });
    const d = detailsOf(res).find((x) => x.field === field)!;
    // A French sentence that says what is wrong, never the value itself.
    expect(d.message).toMatch(/[a-zé]{4,}.*[a-z]/);
  };

  it('a contract drawn up without the person and without her family or legal representative is refused (CASF D.311, « à peine de nullité »); nothing is written', async () => {
    const resident = (await admissions.post('/api/residents').send(valid()).expect(201)).body.id as string;
    const data = contractData() as Record<string, unknown> & { participation: { others: object[] } };
    const staffOnly = { ...data, participation: { person: { presence: 'excuse', note: 'Hospitalisée ce jour-là.' }, others: data.participation.others } };
    const refused = await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: staffOnly });
    expectRefused(refused, 'data.participation.others', 'PARTICIPATION_REQUIRED');
    expect(detailsOf(refused).find((d) => d.code === 'PARTICIPATION_REQUIRED')!.message).toContain('CASF D.311');
    expect(Number(((await h.app.get(DataSource).query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [resident])) as { n: string }[])[0].n)).toBe(0);
    // Her curateur was there: the document is made.
    const withCurateur = { ...staffOnly, participation: { ...staffOnly.participation, others: [...data.participation.others, { name: 'Karim Benaïssa', capacity: 'representant_legal', role: 'curateur', roleFalc: 'votre curateur', presence: 'present' }] } };
    expect((await admissions.post('/api/documents').send({ residentId: resident, type: 'contrat-sejour', data: withCurateur })).status).toBe(202);
  });

  it('an avenant for a person with no signed contract or DIPC is refused (CASF L.311-4: it amends a concluded contract); the console does not offer it', async () => {
    const resident = (await admissions.post('/api/residents').send(valid()).expect(201)).body.id as string;
    const avenant = { purpose: 'accompagnement', kind: 'avenant à six mois', appliesTo: 'contrat-sejour', contractSignedOn: '2026-10-29', ...contractData() };
    const refused = await admissions.post('/api/documents').send({ residentId: resident, type: 'avenant', data: avenant });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'AVENANT_WITHOUT_SIGNED_CONTRACT', message: expect.stringContaining('CASF L.311-4') });
    const ds = h.app.get(DataSource);
    expect(Number(((await ds.query(`SELECT count(*) AS n FROM documents WHERE resident_id = $1`, [resident])) as { n: string }[])[0].n)).toBe(0);
    const page = await admissions.get(`/console/residents/${resident}/documents/nouveau?type=avenant`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('Aucun contrat de séjour ni DIPC signé');
    // Once her contract is signed (rows written directly: no worker here), the avenant is offered and prefilled with it.
    const [doc] = (await ds.query(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, 'contrat-sejour', 'signed', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z') RETURNING id`,
      [h.orgA.organisationId, h.orgA.establishmentId, resident],
    )) as { id: string }[];
    const [v] = (await ds.query(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'contrat-sejour', '1.3.0', 'h', 'r', '{}', 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id],
    )) as { id: string }[];
    await ds.query(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, v.id]);
    const form = await admissions.get(`/console/residents/${resident}/documents/nouveau?type=avenant`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/name="contractSignedOn"[^>]*value="2026-11-20"|value="2026-11-20"[^>]*name="contractSignedOn"/);
  });

  it('U+0085 and lone surrogates, which the templates refuse, are refused by the API too', async () => {
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), firstName: 'Marcel\u0085' }), 'firstName', 'CONTROL_CHARACTER');
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), lastName: 'Dupont\uD800' }), 'lastName', 'INVALID_CHARACTER');
    // Free text reaches the documents too (the measure's mission, the tariffs' absence rule).
    const mission = { ...valid(), protectionMeasure: { ...valid().protectionMeasure, mission: 'Gérer\u0085les comptes' } };
    expectRefused(await admissions.post('/api/residents').send(mission), 'protectionMeasure.mission', 'CONTROL_CHARACTER');
  });

  it('bidirectional overrides and isolates in names, rooms and other person fields → 400 BIDI_CONTROL', async () => {
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), lastName: 'Dupont \u202Eevil' }), 'lastName', 'BIDI_CONTROL');
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), firstName: '\u2066Marcel\u2069' }), 'firstName', 'BIDI_CONTROL');
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), room: '1\u202D12' }), 'room', 'BIDI_CONTROL');
    const holder = valid();
    holder.protectionMeasure.holders[0].lastName = 'Bena\u202Bïssa';
    expectRefused(await admissions.post('/api/residents').send(holder), 'protectionMeasure.holders.0.lastName', 'BIDI_CONTROL');
    const contact = { ...valid(), contacts: [{ firstName: 'Sylvie', lastName: 'Martin', relation: 'fil\u202Ele' }] };
    expectRefused(await admissions.post('/api/residents').send(contact), 'contacts.0.relation', 'BIDI_CONTROL');
    const res = await admissions.post('/api/residents').send({ ...valid(), lastName: 'Dupont \u202Eevil' });
    expect(detailsOf(res)[0].message).toMatch(/sens d’affichage/);
  });

  it('emoji in names (the PDF fonts cannot draw them) → 400 EMOJI_NOT_ALLOWED; accents, apostrophes and other scripts pass', async () => {
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), firstName: 'Marcel 🙂' }), 'firstName', 'EMOJI_NOT_ALLOWED');
    expectRefused(await admissions.post('/api/residents').send({ ...valid(), lastName: 'Dupont 👍🏽' }), 'lastName', 'EMOJI_NOT_ALLOWED');
    const ok = await admissions.post('/api/residents').send({ ...valid(), firstName: 'Seán-Éloïse', lastName: "O'Brien-Nuñez", room: '112 bis' });
    expect(ok.status).toBe(201);
  });

  it('tariffs: 0 ≤ amount ≤ 100 000 €, cents at most', async () => {
    const tariffs = { effectiveFrom: '2026-01-01', hebergementPerDay: 72.5, absenceRule: 'Au-delà de 72 heures d’absence, minoration.' };
    const patch = (t: Record<string, unknown>) => director.patch(`/api/establishments/${h.orgA.establishmentId}`).send({ tariffs: { ...tariffs, ...t } });
    expectRefused(await patch({ hebergementPerDay: 1e12 }), 'tariffs.hebergementPerDay', 'AMOUNT_OUT_OF_RANGE');
    expectRefused(await patch({ dependanceGir12PerDay: -3 }), 'tariffs.dependanceGir12PerDay', 'AMOUNT_OUT_OF_RANGE');
    expectRefused(await patch({ depositEuros: 1500.555 }), 'tariffs.depositEuros', 'AMOUNT_TOO_PRECISE');
    expectRefused(await patch({ hebergementPerDay: '72.5' }), 'tariffs.hebergementPerDay', 'INVALID_AMOUNT');
    expectRefused(await patch({ absenceRule: 'Au-delà\u0085de 72 heures' }), 'tariffs.absenceRule', 'CONTROL_CHARACTER');
    expect((await patch({ hebergementPerDay: 100000, depositEuros: 1500.55 })).status).toBe(200);
  });

  it('category (issue 8 A): a closed list, set by the director or an administrator, audited; the database refuses anything else', async () => {
    const url = `/api/establishments/${h.orgA.establishmentId}`;
    expectRefused(await director.patch(url).send({ category: 'Maison de retraite' }), 'category', 'NOT_ALLOWED_VALUE');
    expect(detailsOf(await director.patch(url).send({ category: 'ehpad' }))[0].message).toContain('residence_autonomie');
    // Admissions staff may not change how the home is financed.
    expect((await admissions.patch(url).send({ category: 'FAM' })).status).toBe(403);
    const ok = await director.patch(url).send({ category: 'residence_autonomie' });
    expect({ status: ok.status, category: ok.body.category }).toEqual({ status: 200, category: 'residence_autonomie' });
    const listed = (await director.get('/api/establishments')).body as { id: string; category: string }[];
    expect(listed.find((e) => e.id === h.orgA.establishmentId)!.category).toBe('residence_autonomie');
    const admin = await loginAgent(h.app, h.orgA.users.administrator.email, TEST_PASSWORD);
    const events = (await admin.get('/api/audit/events?action=establishment.updated&limit=100')).body as { events?: { payload: Record<string, unknown> }[] } | { payload: Record<string, unknown> }[];
    const list = Array.isArray(events) ? events : (events.events ?? []);
    expect(list.map((e) => e.payload)).toEqual(expect.arrayContaining([expect.objectContaining({ changedFields: ['category'], categoryFrom: 'EHPAD', categoryTo: 'residence_autonomie' })]));
    // The lib refuses it for every other caller, and the CHECK constraint for any SQL.
    await expect(h.app.get(StaffService).updateEstablishment(systemActor(h.orgA.organisationId, [h.orgA.establishmentId], 'test'), h.orgA.establishmentId, { category: 'EHPAD ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(h.app.get(DataSource).query(`UPDATE establishments SET category = 'foyer' WHERE id = $1`, [h.orgA.establishmentId])).rejects.toThrow(/ck_establishments_category/);
    await director.patch(url).send({ category: 'EHPAD' }).expect(200);
  });
});

/**
 * The api as a real process on a private PostgreSQL cluster, its log output captured at `info`
 * (what production writes): a database error that becomes a 500 logs no value; PostgreSQL going
 * away is a 503 with Retry-After until it is back.
 */
describe('database errors and outages (api process, private PostgreSQL)', () => {
  let pg: PrivatePostgres;
  let api: RunningProcess;
  let base: string;
  let sql: Client;
  let cookie: string;
  let admin: string;
  let establishmentId: string;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    const url = pg.url.replace(/\/postgres$/, '/carepact');
    await ensureDatabaseExists(url);
    const extra = { CAREPACT_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'carepact-secrets-')), QUEUE_PREFIX: `cp_err_${randomBytes(4).toString('hex')}` };
    const config = testConfig({ DATABASE_URL: url, ...extra });
    await runMigrations(config);
    const seeded = await runCli(config, ['seed:demo'], extra);
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = startProcess(config, 'dist/apps/api/src/main.js', { ...extra, PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'info' });
    await waitUntil('api listening', async () => (await fetch(`${base}/api/nothing-here`)).status === 404, 60000);
    const login = async (email: string) => {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEFAULT_DEMO_PASSWORD }) });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0];
    };
    cookie = await login('admissions@les-tilleuls.example');
    admin = await login('admin@jardins-du-val.example');
    establishmentId = ((await (await call('/api/establishments')).json()) as { id: string }[])[0].id;
    sql = new Client({ connectionString: url });
    await sql.connect();
  }, 120000);
  afterAll(async () => {
    await sql?.end().catch(() => undefined);
    await api?.stop();
    pg?.destroy();
  });

  function call(path: string, init: RequestInit = {}, as = cookie): Promise<Response> {
    return fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', Cookie: as, ...(init.headers ?? {}) } });
  }

  it('a database error that becomes a 500 logs class, code, constraint, table and error id — none of the values (names, e-mail, measure, court reference, password hash)', async () => {
    // Stand-ins for "a query PostgreSQL refuses that nothing in front of it foresaw".
    await sql.query(`ALTER TABLE protection_measures ADD CONSTRAINT ck_test_unforeseen CHECK (court <> 'Tribunal judiciaire de Quimperlé')`);
    await sql.query(`ALTER TABLE staff_users ADD CONSTRAINT ck_test_unforeseen_user CHECK (name <> 'Gwenaëlle Le Bihan')`);
    const resident = {
      ...curatelleResident(establishmentId),
      firstName: 'Yvonnick',
      lastName: 'Quellec-Tromeur',
      email: 'yvonnick.quellec@example.org',
      room: 'Aile Ouest 27',
      protectionMeasure: { ...curatelleResident(establishmentId).protectionMeasure, court: 'Tribunal judiciaire de Quimperlé', judgmentReference: 'RG 26/98765' },
    };
    const before = api.output().length;
    const r1 = await call('/api/residents', { method: 'POST', body: JSON.stringify(resident) });
    const user = { email: 'gwenaelle.lebihan@example.org', name: 'Gwenaëlle Le Bihan', password: 'Ker-Ys-1675-horizon', roles: [{ establishmentId, role: 'coordinator' }] };
    const r2 = await call('/api/users', { method: 'POST', body: JSON.stringify(user) }, admin);
    const bodies = [(await r1.json()) as { error: { code: string; errorId: string } }, (await r2.json()) as { error: { code: string; errorId: string } }];
    expect([r1.status, r2.status]).toEqual([500, 500]);
    expect(bodies.map((b) => b.error.code)).toEqual(['INTERNAL_ERROR', 'INTERNAL_ERROR']);
    await waitUntil('both errors logged', async () => bodies.every((b) => api.output().includes(b.error.errorId)), 10000);
    const log = api.output().slice(before);

    for (const value of [
      'Yvonnick',
      'Quellec',
      'yvonnick.quellec@example.org',
      'Aile Ouest 27',
      'Quimperl',
      'RG 26/98765',
      'curatelle_renforcee',
      'Benaïssa',
      'k.benaissa@udaf-val.example',
      'Gwenaëlle',
      'Le Bihan',
      'gwenaelle.lebihan@example.org',
      '$argon2',
      'Ker-Ys-1675-horizon',
      'Failing row',
    ])
      expect({ value, found: log.includes(value) }).toEqual({ value, found: false });

    const lines = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { errorId?: string; err?: Record<string, string> });
    const logged = bodies.map((b) => lines.find((l) => l.errorId === b.error.errorId)?.err);
    expect(logged[0]).toMatchObject({ class: 'QueryFailedError', code: '23514', constraint: 'ck_test_unforeseen', table: 'protection_measures' });
    expect(logged[1]).toMatchObject({ class: 'QueryFailedError', code: '23514', constraint: 'ck_test_unforeseen_user', table: 'staff_users' });
    expect(logged[0]!.query).toMatch(/INSERT INTO "protection_measures"/);
    expect(logged[0]!.stack).toMatch(/^\s+at /);
    await sql.query(`ALTER TABLE protection_measures DROP CONSTRAINT ck_test_unforeseen`);
    await sql.query(`ALTER TABLE staff_users DROP CONSTRAINT ck_test_unforeseen_user`);
  }, 60000);

  it('PostgreSQL stops: 503 SERVICE_UNAVAILABLE with Retry-After (JSON for the API, a French page for the portal); back to 200 when it returns', async () => {
    expect((await call('/api/residents')).status).toBe(200);
    await sql.end();
    pg.stopServer();
    try {
      for (const res of [await call('/api/residents'), await call('/api/residents'), await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'a@b.example', password: 'x' }) })]) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
        expect(body.error.message).toMatch(/momentanément indisponible/);
      }
      const page = await fetch(`${base}/s/${'A'.repeat(43)}`, { redirect: 'manual' });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBeTruthy();
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('<html lang="fr"');
      expect(html).toMatch(/momentanément indisponible/);
      expect(api.child.exitCode).toBeNull();
    } finally {
      pg.startServer();
    }
    await waitUntil('the api to answer 200 again', async () => (await call('/api/residents')).status === 200, 30000);
  }, 90000);
});
