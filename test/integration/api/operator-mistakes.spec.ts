import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@carepact/config';
import { RunningProcess, createTestDatabase, freePort, runCli, startProcess, TestDatabase, waitUntil } from '@carepact/testing';
import { createApiApp } from '../../../apps/api/src/bootstrap';

/** Issue 7, item 12: a production deployment does not keep development conveniences by mistake. */
describe('operator mistakes in production', () => {
  let db: TestDatabase;
  /** What `openssl rand -base64 48` gives: accepted. */
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(48).toString('base64'),
    AUDIT_CHECKPOINT_SECRET: randomBytes(48).toString('base64'),
    AUDIT_ANCHOR_DIR: '/tmp/carepact-test/operator-mistakes-anchor',
    SEAL_P12_PATH: '/etc/carepact/seal.p12',
  };
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const p of running) await p.stop();
    await db?.drop();
  });

  const exitOf = (p: RunningProcess, ms: number) =>
    new Promise<number | null>((resolve) => {
      if (p.child.exitCode !== null) return resolve(p.child.exitCode);
      const timer = setTimeout(() => resolve(null), ms);
      p.child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

  it('seed:demo refuses NODE_ENV=production (non-zero exit, French message) and loads nothing', async () => {
    const res = await runCli(db.config, ['seed:demo'], production);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/seed:demo refusé : NODE_ENV=production/);
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    try {
      const [{ n }] = (await ds.query('SELECT count(*)::int AS n FROM organisations')) as { n: number }[];
      expect(n).toBe(0);
    } finally {
      await ds.destroy();
    }
  });

  it('the api refuses to boot with docker-compose’s former placeholder secrets: exit 78, keys named, values never printed', async () => {
    const placeholders = {
      SESSION_SECRET: 'compose-only-session-secret-change-me-0123456789',
      AUDIT_CHECKPOINT_SECRET: 'compose-only-audit-secret-change-me-0123456789',
    };
    const api = startProcess(db.config, 'dist/apps/api/src/main.js', { ...production, ...placeholders, PORT: String(await freePort()) });
    running.push(api);
    expect(await exitOf(api, 20000)).toBe(78);
    expect(api.output()).toMatch(/SESSION_SECRET: valeur d’exemple connue/);
    expect(api.output()).toMatch(/AUDIT_CHECKPOINT_SECRET: valeur d’exemple connue/);
    for (const v of Object.values(placeholders)) expect(api.output()).not.toContain(v);
  });

  describe('the production app', () => {
    let app: INestApplication;
    afterEach(async () => {
      await app?.close();
    });
    const boot = async (env: Record<string, string> = {}) => {
      const config = loadConfig({ ...production, DATABASE_URL: db.url, REDIS_URL: db.config.redis.url, QUEUE_PREFIX: db.config.redis.prefix, LOG_LEVEL: 'silent', ...env });
      app = await createApiApp(config);
      await app.init();
      return request(app.getHttpServer());
    };

    it('has no /dev/mail and no API docs unless API_DOCS=true', async () => {
      let http = await boot();
      await http.get('/dev/mail').expect(404);
      await http.get('/api/docs').expect(404);
      await http.get('/api/docs/openapi.json').expect(404);
      await app.close();
      http = await boot({ API_DOCS: 'true' });
      const docs = await http.get('/api/docs/openapi.json').expect(200);
      expect(Object.keys(docs.body.paths)).toContain('/api/auth/login');
    });
  });

  it('outside production the API docs are on by default', async () => {
    const app = await createApiApp(db.config);
    await app.init();
    try {
      await request(app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    } finally {
      await app.close();
    }
  });

  it('the api binds to loopback by default outside production, and to HOST when set', async () => {
    const reaches = async (host: string, port: number) => {
      try {
        await fetch(`http://${host}:${port}/api/me`);
        return true;
      } catch {
        return false;
      }
    };
    // 127.0.0.2 is another loopback address: a server on 0.0.0.0 answers there, one on 127.0.0.1 does not.
    const port = await freePort();
    const api = startProcess(db.config, 'dist/apps/api/src/main.js', { PORT: String(port) });
    running.push(api);
    await waitUntil('api up', () => reaches('127.0.0.1', port));
    expect(await reaches('127.0.0.2', port)).toBe(false);
    await api.stop();

    const port2 = await freePort();
    const api2 = startProcess(db.config, 'dist/apps/api/src/main.js', { PORT: String(port2), HOST: '127.0.0.2' });
    running.push(api2);
    await waitUntil('api up on HOST', () => reaches('127.0.0.2', port2));
    expect(await reaches('127.0.0.1', port2)).toBe(false);
    await api2.stop();
  });
});
