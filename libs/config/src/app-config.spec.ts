import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const dir = () => mkdtempSync(join(tmpdir(), 'carepact-config-'));

describe('configuration', () => {
  it('defaults as documented', () => {
    const c = loadConfig({ CAREPACT_SECRETS_DIR: dir() });
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/carepact');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.http).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000' });
    expect(c.smtp.url).toBeNull();
  });

  it('lists every problem by key and never by value', () => {
    const secretish = 'https://user:hunter2-value@db.example/x';
    let error: ConfigError | null = null;
    try {
      loadConfig({ CAREPACT_SECRETS_DIR: dir(), PORT: 'abc', DATABASE_URL: secretish, REDIS_URL: 'nope', SESSION_SECRET: 'short-hunter2' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET']);
    expect(error!.message).not.toContain('hunter2');
  });

  it('production refuses to start without its secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET: obligatoire en production[\s\S]*AUDIT_CHECKPOINT_SECRET: obligatoire en production[\s\S]*SEAL_P12_PATH: obligatoire en production/,
    );
    const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), AUDIT_CHECKPOINT_SECRET: 'a'.repeat(40), SEAL_P12_PATH: '/etc/carepact/seal.p12' });
    expect(ok.secrets.source).toBe('environment');
  });

  it('development secrets are generated once outside the repository, private, and reused', () => {
    const d = dir();
    const a = loadConfig({ CAREPACT_SECRETS_DIR: d });
    const b = loadConfig({ CAREPACT_SECRETS_DIR: d });
    expect(a.secrets.session).toBe(b.secrets.session);
    expect(a.secrets.session).not.toBe(a.secrets.auditCheckpoint);
    expect(a.secrets.session.length).toBeGreaterThanOrEqual(40);
    const file = join(d, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).session).toBe(a.secrets.session);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
