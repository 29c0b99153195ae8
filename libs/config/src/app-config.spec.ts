import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const dir = () => mkdtempSync(join(tmpdir(), 'carepact-config-'));
/** What `openssl rand -base64 48` gives. */
const strongSecrets = {
  SESSION_SECRET: randomBytes(48).toString('base64'),
  AUDIT_CHECKPOINT_SECRET: randomBytes(48).toString('base64'),
  AUDIT_ANCHOR_DIR: '/var/lib/carepact-anchor',
};

describe('configuration', () => {
  it('defaults as documented', () => {
    const c = loadConfig({ CAREPACT_SECRETS_DIR: dir() });
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/carepact');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.http).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://localhost:3000', apiDocs: true });
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
    const ok = loadConfig({ NODE_ENV: 'production', ...strongSecrets, SEAL_P12_PATH: '/etc/carepact/seal.p12' });
    expect(ok.secrets.source).toBe('environment');
    expect(ok.audit.anchorDir).toBe('/var/lib/carepact-anchor');
    // A TSA in production: its roots are required (a token is trusted only from a known authority).
    expect(() => loadConfig({ NODE_ENV: 'production', ...strongSecrets, SEAL_P12_PATH: '/etc/carepact/seal.p12', SEAL_TSA_URL: 'https://tsa.example.fr/tsp' })).toThrow(/SEAL_TSA_CA: obligatoire en production/);
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

  it('LOG_FORMAT: one short line per record in development, JSON in production and test; anything else refused (issue 13, item 10)', () => {
    const d = dir();
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d }).log.format).toBe('pretty');
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d, NODE_ENV: 'test' }).log.format).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production', ...strongSecrets, SEAL_P12_PATH: '/etc/carepact/seal.p12' }).log.format).toBe('json');
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d, LOG_FORMAT: 'json' }).log.format).toBe('json');
    expect(() => loadConfig({ CAREPACT_SECRETS_DIR: d, LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT: valeurs possibles json, pretty/);
  });

  it('QUEUE_BOARD_ORGANISATION: unset by default, an organisation UUID (lower-cased) when given, anything else refused', () => {
    const d = dir();
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d }).queueBoard.operatorOrganisationId).toBeNull();
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d, QUEUE_BOARD_ORGANISATION: 'A1B2C3D4-0000-4000-8000-000000000001' }).queueBoard.operatorOrganisationId).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(() => loadConfig({ CAREPACT_SECRETS_DIR: d, QUEUE_BOARD_ORGANISATION: 'jardins-du-val' })).toThrow(/QUEUE_BOARD_ORGANISATION: identifiant \(UUID\) d’organisation attendu/);
  });

  it('the development mailbox is kept per database, beside the secrets (in the temporary directory in tests)', () => {
    const d = dir();
    expect(loadConfig({ CAREPACT_SECRETS_DIR: d }).paths.devMailDir).toBe(join(d, 'dev-mail', 'carepact'));
    expect(loadConfig({ NODE_ENV: 'test', CAREPACT_SECRETS_DIR: d, DATABASE_URL: 'postgres://h/carepact_x' }).paths.devMailDir).toBe(join(tmpdir(), 'carepact-test', 'dev-mail', 'carepact_x'));
  });

  it('production refuses placeholder, short and repetitive secrets, naming the key and never the value', () => {
    const cases: [string, RegExp][] = [
      // docker-compose.yml's former values, word for word
      ['compose-only-session-secret-change-me-0123456789', /valeur d’exemple connue/],
      ['Compose-Only-Audit-Secret-Change-Me-0123456789', /valeur d’exemple connue/],
      ['changeme', /valeur d’exemple connue/],
      ['change-me', /valeur d’exemple connue/],
      ['secret', /valeur d’exemple connue/],
      ['password', /valeur d’exemple connue/],
      ['please-change-me-before-going-live-2026-xyz', /valeur d’exemple connue/],
      ['Zq8#r!Lm2@pW', /au moins 32 caractères/],
      ['s'.repeat(40), /trop peu de caractères différents/],
      ['ababababababababababababababababab', /trop peu de caractères différents/],
    ];
    for (const [value, reason] of cases) {
      let error: ConfigError | null = null;
      try {
        loadConfig({ NODE_ENV: 'production', ...strongSecrets, SESSION_SECRET: value, SEAL_P12_PATH: '/etc/carepact/seal.p12' });
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.problems).toHaveLength(1);
      expect(error!.problems[0]).toMatch(/^SESSION_SECRET: /);
      expect(error!.problems[0]).toMatch(reason);
      expect(error!.message).not.toContain(value);
    }
  });

  it('bind address and API docs: loopback and docs on in development; every interface and docs off in production; both configurable', () => {
    const prod = { NODE_ENV: 'production', ...strongSecrets, SEAL_P12_PATH: '/etc/carepact/seal.p12' };
    expect(loadConfig(prod).http).toMatchObject({ host: '0.0.0.0', apiDocs: false });
    expect(loadConfig({ ...prod, HOST: '10.0.0.5', API_DOCS: 'true' }).http).toMatchObject({ host: '10.0.0.5', apiDocs: true });
    expect(loadConfig({ CAREPACT_SECRETS_DIR: dir(), HOST: '0.0.0.0', API_DOCS: 'false' }).http).toMatchObject({ host: '0.0.0.0', apiDocs: false });
    expect(() => loadConfig({ CAREPACT_SECRETS_DIR: dir(), API_DOCS: 'peut-être', HOST: 'a b' })).toThrow(/HOST: [\s\S]*API_DOCS: valeurs possibles true ou false/);
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

  it('SEAL_TSA_*: no TSA by default (B-B, also with the empty values of docker-compose.yml); a URL, a policy OID, basic credentials; bad values refused', () => {
    const d = dir();
    const tsa = (env: Record<string, string>) => loadConfig({ CAREPACT_SECRETS_DIR: d, ...env }).seal.tsa;
    expect(tsa({})).toBeNull();
    expect(tsa({ SEAL_TSA_URL: '', SEAL_TSA_POLICY_OID: '', SEAL_TSA_USERNAME: '', SEAL_TSA_PASSWORD: '', SEAL_TSA_QUALIFIED: '' })).toBeNull();
    expect(tsa({ SEAL_TSA_URL: 'https://tsa.example.fr/tsp', SEAL_TSA_POLICY_OID: '1.2.250.1.1.2', SEAL_TSA_USERNAME: 'ehpad', SEAL_TSA_PASSWORD: 's3cret' })).toEqual({
      url: 'https://tsa.example.fr/tsp',
      policyOid: '1.2.250.1.1.2',
      username: 'ehpad',
      password: 's3cret',
      timeoutMs: 10000,
      trustedRootsPem: null,
      qualified: false,
    });
    // Qualified (eIDAS art. 42) only when the operator says so; never without a TSA.
    expect(tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_QUALIFIED: 'true' })?.qualified).toBe(true);
    expect(tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_QUALIFIED: '' })?.qualified).toBe(false);
    expect(() => tsa({ SEAL_TSA_QUALIFIED: 'true' })).toThrow(/SEAL_TSA_URL: obligatoire avec SEAL_TSA_QUALIFIED/);
    expect(() => tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_QUALIFIED: 'oui' })).toThrow(/SEAL_TSA_QUALIFIED: valeurs possibles true ou false/);
    expect(() => tsa({ SEAL_TSA_URL: 'ftp://tsa.example.fr' })).toThrow(/SEAL_TSA_URL: protocole attendu/);
    expect(() => tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_POLICY_OID: 'politique' })).toThrow(/SEAL_TSA_POLICY_OID: OID attendu/);
    expect(() => tsa({ SEAL_TSA_PASSWORD: 's3cret' })).toThrow(/SEAL_TSA_URL: obligatoire avec/);
    expect(() => tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_USERNAME: 'a:b' })).toThrow(/SEAL_TSA_USERNAME/);
    // Credentials never in clear; the CA file read at boot; required in production.
    expect(() => tsa({ SEAL_TSA_URL: 'http://tsa.example.fr/tsp', SEAL_TSA_USERNAME: 'ehpad', SEAL_TSA_PASSWORD: 's3cret' })).toThrow(/envoyés seulement en https/);
    // Upper case or a leading space is still plain http once parsed (the attacker's review of session 16).
    expect(() => tsa({ SEAL_TSA_URL: 'HTTP://tsa.example.fr/tsp', SEAL_TSA_USERNAME: 'ehpad', SEAL_TSA_PASSWORD: 's3cret' })).toThrow(/envoyés seulement en https/);
    expect(() => tsa({ SEAL_TSA_URL: ' http://tsa.example.fr/tsp', SEAL_TSA_PASSWORD: 's3cret' })).toThrow(/envoyés seulement en https/);
    expect(() => tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_CA: join(d, 'absent.pem') })).toThrow(/SEAL_TSA_CA: fichier illisible/);
    const ca = join(d, 'tsa-ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(tsa({ SEAL_TSA_URL: 'https://tsa.example.fr', SEAL_TSA_CA: ca })?.trustedRootsPem).toContain('BEGIN CERTIFICATE');
  });
});
