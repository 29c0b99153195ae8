import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { dropDatabase } from '@carepact/database';
import { RunningProcess, databaseUrlFor, freePort, runCli, startProcess, testConfig, waitUntil } from '@carepact/testing';

/**
 * Issue 2, "Done when", as a new user would try it: migrate and seed through the CLI, run the api
 * and the worker as real processes, log in as the demo administrator, create a resident under
 * curatelle through the API, see it audited, and `audit:verify` exits 0.
 */
describe('demo flow with real processes', () => {
  const name = `carepact_e2e_${randomBytes(5).toString('hex')}`;
  let port: number;
  let config: ReturnType<typeof testConfig>;
  let api: RunningProcess;
  let worker: RunningProcess;
  let base: string;
  let cookie = '';

  beforeAll(async () => {
    port = await freePort();
    config = testConfig({ DATABASE_URL: databaseUrlFor(name), PORT: String(port), QUEUE_PREFIX: name });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await dropDatabase(config.database.url);
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(init.headers ?? {}) } });

  it('db:migrate creates the database and migrates; seed:demo loads Les Tilleuls (twice is harmless)', async () => {
    const migrate = await runCli(config, ['db:migrate']);
    expect(migrate.stdout).toContain('Base de données créée.');
    expect(migrate.code).toBe(0);
    const seed = await runCli(config, ['seed:demo']);
    expect(seed.stdout).toContain('EHPAD Les Tilleuls, 5 comptes, 10 résidents');
    expect(seed.code).toBe(0);
    const again = await runCli(config, ['seed:demo', '--if-empty']);
    expect(again.code).toBe(0);
  });

  it('api and worker run; /health is 200 with every part up', async () => {
    // With the development mailbox on, as `npm start` runs it without SMTP_URL.
    api = startProcess(config, 'dist/apps/api/src/main.js', { PORT: String(port), LOG_LEVEL: 'info', DEV_MAILBOX_PORT: String(await freePort()) });
    worker = startProcess(config, 'dist/apps/worker/src/main.js', { WORKER_HEALTH_PORT: '0' });
    // Both processes boot at once: on a loaded 2-core machine that takes close to 30 s.
    await waitUntil('health ok', async () => (await fetch(`${base}/health`)).status === 200, 50000);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up', worker: 'up' });
  });

  it('the demo administrator logs in, creates a resident under curatelle, and sees it audited', async () => {
    const login = await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'admin@jardins-du-val.example', password: DEFAULT_DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const me = (await (await call('/api/me')).json()) as { establishments: { id: string; name: string }[] };
    const establishmentId = me.establishments[0].id as string;
    expect(me.establishments[0].name).toBe('EHPAD Les Tilleuls');

    const docs = (await (await fetch(`${base}/api/docs/openapi.json`)).json()) as { paths: Record<string, { post?: unknown }> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/residents', '/api/residents/{id}/protection-measures', '/api/auth/login']));
    expect(docs.paths['/api/residents'].post).toBeDefined();

    const created = await call('/api/residents', {
      method: 'POST',
      body: JSON.stringify({
        establishmentId,
        firstName: 'Georges',
        lastName: 'Lefèvre',
        birthDate: '1941-06-12',
        admissionDate: '2026-11-20',
        stayType: 'permanent',
        room: '121',
        protectionMeasure: {
          type: 'curatelle',
          mode: 'assistance',
          scope: ['personne', 'biens'],
          court: 'Tribunal judiciaire de Valville',
          judgmentReference: 'RG 26/00077',
          judgmentDate: '2026-02-03',
          endDate: '2031-02-03',
          holders: [{ role: 'curateur', firstName: 'Anne', lastName: 'Lefèvre', relation: 'fille', email: 'anne.lefevre@example.org' }],
        },
      }),
    });
    expect(created.status).toBe(201);
    const resident = (await created.json()) as { id: string; protectionMeasures: unknown[] };
    expect(resident.protectionMeasures[0]).toMatchObject({ type: 'curatelle', status: 'active', holders: [{ role: 'curateur', lastName: 'Lefèvre' }] });

    const auditor = await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'audit@jardins-du-val.example', password: DEFAULT_DEMO_PASSWORD }) });
    cookie = (auditor.headers.get('set-cookie') ?? '').split(';')[0];
    const events = (await (await call(`/api/audit/events?limit=500&subjectId=${resident.id}`)).json()) as { action: string; payload: object }[];
    expect(events.map((e) => e.action)).toEqual(['resident.created']);
    expect(JSON.stringify(events)).not.toMatch(/Georges|Lefèvre|RG 26/);
    // The auditor checks the log, not the care details (issue 7, item 14).
    for (const path of [`/api/residents/${resident.id}`, '/api/residents']) {
      const res = await call(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(await res.text()).not.toMatch(/Georges|Lefèvre|RG 26|anne\.lefevre/);
    }
  });

  it('the first addresses answer: / leads to the console’s login, /api an index of links (issue 13, item 10)', async () => {
    const home = await fetch(`${base}/`, { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/connexion');
    const login = await fetch(`${base}/connexion`);
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await login.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<title>Connexion — CarePact</title>');
    for (const href of ['/api/docs', '/health', '/dev/mail']) expect(html).toContain(`<a href="${href}">`);
    expect((await fetch(`${base}/dev/mail`)).status).toBe(200);

    // Readable before logging in: it says where to log in.
    const index = await fetch(`${base}/api`);
    expect(index.status).toBe(200);
    const body = (await index.json()) as { name: string; _links: Record<string, { href: string; title: string }> };
    expect(body.name).toBe('CarePact API');
    expect(body._links).toMatchObject({
      self: { href: '/api' },
      login: { href: '/api/auth/login' },
      residents: { href: '/api/residents' },
      documents: { href: '/api/documents' },
      docs: { href: '/api/docs' },
      health: { href: '/health' },
    });
    for (const link of Object.values(body._links)) expect(link.title).not.toBe('');
    const docs = (await (await fetch(`${base}/api/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    // Every link of the index is a route that exists (none 404s).
    for (const { href } of Object.values(body._links)) {
      if (href.startsWith('/api/') && !href.startsWith('/api/docs')) expect(Object.keys(docs.paths)).toContain(href);
    }
  });

  it('the README\'s first try: docs/examples/resident.json, with the establishment id put in, is accepted', async () => {
    const login = await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'admin@jardins-du-val.example', password: DEFAULT_DEMO_PASSWORD }) });
    const admin = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const establishments = (await (await call('/api/establishments', { headers: { Cookie: admin } })).json()) as { id: string }[];
    const example = readFileSync(join(projectRoot(), 'docs/examples/resident.json'), 'utf8');
    // The README's sed: the one placeholder, replaced by the first establishment's id.
    expect(example.match(/ID-DE-L-ETABLISSEMENT/g)).toHaveLength(1);
    const created = await call('/api/residents', { method: 'POST', headers: { Cookie: admin }, body: example.replace('ID-DE-L-ETABLISSEMENT', establishments[0].id) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ firstName: 'Georgette', protectionMeasures: [{ type: 'curatelle', status: 'active' }] });
  });

  it('the api logs JSON lines with no password, session token or care detail', async () => {
    const lines = api.output().trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const token = cookie.split('=')[1];
    expect(token.length).toBeGreaterThan(20);
    for (const secret of [DEFAULT_DEMO_PASSWORD, token, 'Georges', 'Lefèvre', 'RG 26/00077', 'anne.lefevre'])
      expect(api.output()).not.toContain(secret);
    expect(api.output()).toContain('"url":"/api/residents"');
  });

  it('audit:verify exits 0 on the running system', async () => {
    const res = await runCli(config, ['audit:verify']);
    expect(res.stdout).toMatch(/^OK {5}chaîne /m);
    expect(res.code).toBe(0);
  });

  it('with the worker stopped, /health answers 503 naming the worker', async () => {
    await worker.stop();
    await waitUntil('health 503', async () => (await fetch(`${base}/health`)).status === 503, 30000);
    expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ status: 'degraded', worker: 'down', postgres: 'up', redis: 'up' });
  });
});
