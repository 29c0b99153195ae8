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
      /SESSION_SECRET: obligatoire en production[\s\S]*AUDIT_CHECKPOINT_SECRET: obligatoire en production[\s\S]*AUDIT_ANCHOR_DIR: obligatoire en production[\s\S]*SEAL_P12_PATH: obligatoire en production/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      AUDIT_CHECKPOINT_SECRET: 'a'.repeat(40),
      AUDIT_ANCHOR_DIR: '/var/lib/carepact-anchor',
      SEAL_P12_PATH: '/etc/carepact/seal.p12',
    });
    expect(ok.secrets.source).toBe('environment');
    expect(ok.audit.anchorDir).toBe('/var/lib/carepact-anchor');
  });

  it('the audit anchor directory: absolute when given; by default per database, beside the secrets in development and in the temporary directory in tests', () => {
    const d = dir();
    expect(() => loadConfig({ CAREPACT_SECRETS_DIR: d, AUDIT_ANCHOR_DIR: 'relative/anchor' })).toThrow(/AUDIT_ANCHOR_DIR: chemin absolu attendu/);
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d }).audit.anchorDir).toBe(join(d, 'audit-anchor', 'carepact'));
    const test = loadConfig({ NODE_ENV: 'test', CAREPACT_SECRETS_DIR: d, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/carepact_test_ab12' });
    expect(test.audit.anchorDir).toBe(join(tmpdir(), 'carepact-test', 'audit-anchor', 'carepact_test_ab12'));
    // A database name never climbs out of the directory.
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d, DATABASE_URL: 'postgres://h/..%2F..%2Fetc' }).audit.anchorDir).toBe(join(d, 'audit-anchor', '______etc'));
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

  it('TRUST_PROXY: none by default; a hop count or addresses, CIDR and named ranges; never « true » nor a malformed range', () => {
    const d = dir();
    const trust = (v?: string) => loadConfig({ CAREPACT_SECRETS_DIR: d, TRUST_PROXY: v }).http.trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['true', '11', '10.0.0.0/33', '10.0.0.300', 'proxy.example', '::1/129', '10.0.0.0/8/1', 'loopback,'])
      expect(() => trust(bad)).toThrow(/TRUST_PROXY: /);
  });
});
