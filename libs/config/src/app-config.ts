import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';

/**
 * The only code that reads `process.env`. One schema, validated at boot; every problem is reported
 * by key and reason, never by value (a mistyped secret must not end up in a log).
 */
export type NodeEnv = 'development' | 'test' | 'production';

/**
 * Which peers may tell the client's address in `X-Forwarded-For`, with the meaning of Express's
 * `trust proxy`: `false` (none: the socket's address), a number of proxy hops in front of the api, or
 * the proxies' addresses, CIDR ranges and named ranges (`loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = false | number | string[];

export interface AppConfig {
  env: NodeEnv;
  http: {
    port: number;
    /** Bind address: loopback by default outside production, every interface in production (behind a proxy or in a container). */
    host: string;
    publicUrl: string;
    bodyLimitBytes: number;
    /** Serve the OpenAPI UI at /api/docs (on by default outside production). */
    apiDocs: boolean;
    trustProxy: TrustProxy;
  };
  database: { url: string; appRole: string };
  redis: { url: string; prefix: string };
  smtp: { url: string | null; from: string };
  secrets: { session: string; auditCheckpoint: string; source: 'environment' | 'generated' };
  demo: { password: string };
  /**
   * `anchorDir`: where the worker appends every signed checkpoint (one JSON line each, fsync'd),
   * outside the database, so that a restored older database is visible to `audit:verify --anchor`.
   */
  audit: { checkpointIntervalSeconds: number; anchorDir: string };
  worker: { healthPort: number; renderThreads: number };
  outbox: { pollMs: number; resweepMs: number };
  /**
   * `backoffMs`: base delay of a failed job's exponential retry backoff. `outageRetryMs`: first
   * delay of a job that met a PostgreSQL or Redis outage (doubling up to a minute, no attempt used).
   */
  jobs: { backoffMs: number; outageRetryMs: number };
  /** `format`: `json` lines (production, test) or `pretty`, one short line each (development). */
  log: { level: string; format: 'json' | 'pretty' };
  /** `devMailDir`: where the development mailbox (/dev/mail) keeps its messages across restarts, per database. */
  paths: { secretsDir: string; devMailDir: string; exportsDir: string };
  /**
   * `tsa`: the RFC 3161 time-stamping authority (SEAL_TSA_URL…). Set, every seal is PAdES baseline
   * B-T (ETSI EN 319 142-1: a signature-time-stamp token on the CMS); unset, B-B, whose time is the
   * server's clock only.
   */
  seal: { p12Path: string | null; p12Passphrase: string | null; tsa: TsaConfig | null };
  /**
   * The queues (and Bull Board, which shows them) are the platform's, shared by every organisation:
   * `operatorOrganisationId` (QUEUE_BOARD_ORGANISATION) names the organisation whose administrators
   * may open the board; unset, only a platform holding a single organisation opens it.
   */
  queueBoard: { operatorOrganisationId: string | null };
  /** Development only: where `npm start` runs its local SMTP server and lists mail at /dev/mail. */
  devMailboxPort: number;
}

/** An RFC 3161 time-stamping authority (SEAL_TSA_*): queried over HTTP(S) with SHA-256 imprints. */
export interface TsaConfig {
  url: string;
  /** TSAPolicyId to ask for (SEAL_TSA_POLICY_OID), or the TSA's default. */
  policyOid: string | null;
  /** HTTP basic credentials (SEAL_TSA_USERNAME, SEAL_TSA_PASSWORD), when the TSA asks for them. */
  username: string | null;
  password: string | null;
  /** How long one request may take (SEAL_TSA_TIMEOUT_MS). */
  timeoutMs: number;
  /**
   * The roots the TSA's certificate must chain to (SEAL_TSA_CA: a PEM file of one or more
   * certificates, read at boot). Null: any time-stamping certificate the token carries is taken —
   * allowed outside production only.
   */
  trustedRootsPem: string | null;
  /**
   * SEAL_TSA_QUALIFIED: the operator states that the TSA is a qualified trust service provider
   * issuing qualified electronic time stamps (eIDAS art. 42, on the EU trusted list): only then do
   * the evidence and the console say « Horodatage qualifié » (presumption of eIDAS art. 41(2)). The
   * product cannot know it: unset, false, and everything says « Horodatage » only.
   */
  qualified: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The application's PostgreSQL role: it cannot UPDATE, DELETE or TRUNCATE audit rows. */
export const APP_DB_ROLE = 'carepact_app';
export const DEFAULT_DEMO_PASSWORD = 'Tilleuls-demo-2026';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Secrets an operator may have copied from an example (docker-compose.yml of earlier versions,
 * tutorials): refused in production whatever their length. Compared lower-cased.
 */
export const KNOWN_PLACEHOLDER_SECRETS = [
  'compose-only-session-secret-change-me-0123456789',
  'compose-only-audit-secret-change-me-0123456789',
  'secret',
  'password',
  'changeme',
  'change-me',
];
/** Words that mark a value as a placeholder rather than a generated secret. */
const PLACEHOLDER_MARKERS = ['change-me', 'changeme', 'change_me', 'change-it', 'changeit', 'replace-me', 'replaceme', 'placeholder', 'compose-only', 'example', 'xxxxxxxx'];

/** Why a secret must not be used in production, or null. Never includes the value. */
export function weakSecretReason(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (KNOWN_PLACEHOLDER_SECRETS.includes(v) || PLACEHOLDER_MARKERS.some((m) => v.includes(m)))
    return 'valeur d’exemple connue, générez-en une (openssl rand -base64 48)';
  if (value.length < 32) return 'au moins 32 caractères';
  // A generated secret of 32+ characters uses far more than 10 distinct characters.
  if (new Set(value).size < 10) return 'trop peu de caractères différents, générez-en une (openssl rand -base64 48)';
  return null;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const str = (key: string, def: string): string => {
    const v = env[key];
    return v === undefined || v === '' ? def : v;
  };
  const int = (key: string, def: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return def;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${key}: doit être un entier`);
      return def;
    }
    const n = Number(raw);
    if (n < min || n > max) problems.push(`${key}: doit être compris entre ${min} et ${max}`);
    return n;
  };
  const protocolOf = (v: string): string | null => {
    try {
      return new URL(v).protocol;
    } catch {
      return null;
    }
  };
  const url = (key: string, def: string | null, protocols: string[]): string | null => {
    const raw = env[key];
    const v = raw === undefined || raw === '' ? def : raw;
    if (v === null) return null;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) problems.push(`${key}: protocole attendu ${protocols.join(' ou ')}`);
    } catch {
      problems.push(`${key}: URL invalide`);
    }
    return v;
  };

  const nodeEnvRaw = str('NODE_ENV', 'development');
  let nodeEnv: NodeEnv = 'development';
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'test' || nodeEnvRaw === 'production') nodeEnv = nodeEnvRaw;
  else problems.push('NODE_ENV: valeurs possibles development, test, production');

  const bool = (key: string, def: boolean): boolean => {
    const raw = env[key];
    if (raw === undefined || raw === '') return def;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${key}: valeurs possibles true ou false`);
    return def;
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST', nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) problems.push('HOST: adresse IP ou nom d’hôte attendu');
  const publicUrl = (url('PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']) ?? '').replace(/\/+$/, '');
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const databaseUrl = url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/carepact', ['postgres:', 'postgresql:'])!;
  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!;
  const smtpUrl = url('SMTP_URL', null, ['smtp:', 'smtps:']);
  const logLevel = str('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: valeurs possibles ${LOG_LEVELS.join(', ')}`);
  const logFormat = str('LOG_FORMAT', nodeEnv === 'development' ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push('LOG_FORMAT: valeurs possibles json, pretty');

  const secretsDir = str('CAREPACT_SECRETS_DIR', join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'carepact'));
  let sessionSecret = env.SESSION_SECRET ?? '';
  let auditSecret = env.AUDIT_CHECKPOINT_SECRET ?? '';
  let source: 'environment' | 'generated' = 'environment';
  for (const [key, value] of [
    ['SESSION_SECRET', sessionSecret],
    ['AUDIT_CHECKPOINT_SECRET', auditSecret],
  ] as const) {
    if (value === '' && nodeEnv === 'production') problems.push(`${key}: obligatoire en production`);
    else if (value !== '' && nodeEnv === 'production') {
      const reason = weakSecretReason(value);
      if (reason) problems.push(`${key}: ${reason}`);
    } else if (value !== '' && value.length < 32) problems.push(`${key}: au moins 32 caractères`);
  }
  if ((sessionSecret === '' || auditSecret === '') && nodeEnv !== 'production') {
    // Development and test: generated once, kept outside the repository, reused at every start.
    const generated = developmentSecrets(secretsDir);
    sessionSecret ||= generated.session;
    auditSecret ||= generated.auditCheckpoint;
    source = 'generated';
  }

  // The anchor must survive what it watches: in production an explicit place the database owner
  // cannot rewrite (another volume, an append-only mount). Development keeps it beside its secrets,
  // tests in the temporary directory; both per database, so two local databases never share one.
  const databaseName = databaseNameOf(databaseUrl);
  let anchorDir = env.AUDIT_ANCHOR_DIR ?? '';
  if (anchorDir === '') {
    if (nodeEnv === 'production') problems.push('AUDIT_ANCHOR_DIR: obligatoire en production');
    anchorDir = join(nodeEnv === 'test' ? join(tmpdir(), 'carepact-test') : secretsDir, 'audit-anchor', databaseName);
  } else if (!isAbsolute(anchorDir)) problems.push('AUDIT_ANCHOR_DIR: chemin absolu attendu');

  const boardOrganisation = env.QUEUE_BOARD_ORGANISATION?.trim() || null;
  if (boardOrganisation && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(boardOrganisation))
    problems.push('QUEUE_BOARD_ORGANISATION: identifiant (UUID) d’organisation attendu');

  const tsaUrl = url('SEAL_TSA_URL', null, ['http:', 'https:']);
  const tsaPolicy = env.SEAL_TSA_POLICY_OID?.trim() || null;
  if (tsaPolicy && !/^[0-2](\.(0|[1-9]\d*))+$/.test(tsaPolicy)) problems.push('SEAL_TSA_POLICY_OID: OID attendu (par exemple 1.2.3.4.1)');
  const tsaUser = env.SEAL_TSA_USERNAME || null;
  const tsaPassword = env.SEAL_TSA_PASSWORD || null;
  if (!tsaUrl && (tsaPolicy || tsaUser || tsaPassword)) problems.push('SEAL_TSA_URL: obligatoire avec SEAL_TSA_POLICY_OID, SEAL_TSA_USERNAME ou SEAL_TSA_PASSWORD');
  if (tsaUser?.includes(':')) problems.push('SEAL_TSA_USERNAME: ne peut pas contenir « : » (authentification HTTP basique)');
  const tsaTimeoutMs = int('SEAL_TSA_TIMEOUT_MS', 10_000, 100, 120_000);
  const tsaQualified = bool('SEAL_TSA_QUALIFIED', false);
  if (!tsaUrl && tsaQualified) problems.push('SEAL_TSA_URL: obligatoire avec SEAL_TSA_QUALIFIED');
  // Credentials never travel in clear; the token's time is trusted only from a known TSA root.
  // The parsed protocol, not the raw text: « HTTP://… », or « http://… » after a space, is plain http too (URL lowercases and trims).
  if (tsaUrl && protocolOf(tsaUrl) === 'http:' && (tsaUser || tsaPassword)) problems.push('SEAL_TSA_USERNAME, SEAL_TSA_PASSWORD: envoyés seulement en https (SEAL_TSA_URL en https://)');
  const tsaCaPath = env.SEAL_TSA_CA?.trim() || null;
  let tsaRootsPem: string | null = null;
  if (tsaCaPath) {
    if (!tsaUrl) problems.push('SEAL_TSA_URL: obligatoire avec SEAL_TSA_CA');
    try {
      tsaRootsPem = readFileSync(tsaCaPath, 'utf8');
      if (!tsaRootsPem.includes('-----BEGIN CERTIFICATE-----')) problems.push('SEAL_TSA_CA: fichier PEM de certificats attendu');
    } catch {
      problems.push('SEAL_TSA_CA: fichier illisible');
    }
  } else if (tsaUrl && nodeEnv === 'production') problems.push('SEAL_TSA_CA: obligatoire en production avec SEAL_TSA_URL (l’autorité de certification de l’horodatage)');

  const demoPassword = str('DEMO_PASSWORD', DEFAULT_DEMO_PASSWORD);
  if (demoPassword.length < 8) problems.push('DEMO_PASSWORD: au moins 8 caractères');

  const config: AppConfig = {
    env: nodeEnv,
    http: {
      port,
      host,
      publicUrl,
      bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
      apiDocs: bool('API_DOCS', nodeEnv !== 'production'),
      trustProxy,
    },
    database: { url: databaseUrl, appRole: APP_DB_ROLE },
    redis: { url: redisUrl, prefix: str('QUEUE_PREFIX', 'carepact') },
    smtp: { url: smtpUrl, from: str('SMTP_FROM', 'CarePact <no-reply@carepact.localhost>') },
    secrets: { session: sessionSecret, auditCheckpoint: auditSecret, source },
    demo: { password: demoPassword },
    audit: { checkpointIntervalSeconds: int('AUDIT_CHECKPOINT_INTERVAL_SECONDS', 300, 1, 86400), anchorDir },
    worker: {
      healthPort: int('WORKER_HEALTH_PORT', 3001, 0, 65535),
      renderThreads: int('WORKER_RENDER_THREADS', availableParallelism(), 0, 64),
    },
    outbox: { pollMs: int('OUTBOX_POLL_MS', 500, 10, 60000), resweepMs: int('OUTBOX_RESWEEP_MS', 30000, 100, 3600000) },
    jobs: { backoffMs: int('JOB_BACKOFF_MS', 1000, 10, 60000), outageRetryMs: int('JOB_OUTAGE_RETRY_MS', 2000, 10, 60000) },
    log: { level: logLevel, format: logFormat === 'pretty' ? 'pretty' : 'json' },
    paths: {
      secretsDir,
      devMailDir: join(nodeEnv === 'test' ? join(tmpdir(), 'carepact-test') : secretsDir, 'dev-mail', databaseName),
      // Archive packages and access-request zips produced by jobs (EXPORTS_DIR, absolute), per database.
      exportsDir: env.EXPORTS_DIR || join(nodeEnv === 'test' ? join(tmpdir(), 'carepact-test') : secretsDir, 'exports', databaseName),
    },
    seal: {
      p12Path: env.SEAL_P12_PATH || null,
      p12Passphrase: env.SEAL_P12_PASSPHRASE ?? null,
      tsa: tsaUrl ? { url: tsaUrl, policyOid: tsaPolicy, username: tsaUser, password: tsaPassword, timeoutMs: tsaTimeoutMs, trustedRootsPem: tsaRootsPem, qualified: tsaQualified } : null,
    },
    queueBoard: { operatorOrganisationId: boardOrganisation?.toLowerCase() ?? null },
    devMailboxPort: int('DEV_MAILBOX_PORT', 0, 0, 65535),
  };
  // Production seals with the establishment's real certificate, never a generated one.
  if (nodeEnv === 'production' && !config.seal.p12Path) problems.push('SEAL_P12_PATH: obligatoire en production');
  if (nodeEnv === 'production' && config.devMailboxPort) problems.push('DEV_MAILBOX_PORT: réservé au développement');
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY. `true` (Express's "trust everyone") is refused: any client could then write the
 * address recorded in the signature evidence. A list item is an address, a CIDR range or a named range.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) problems.push('TRUST_PROXY: au plus 10 proxys');
    return hops === 0 ? false : hops;
  }
  if (v === 'true') {
    problems.push('TRUST_PROXY: « true » laisserait tout client choisir son adresse ; donnez le nombre de proxys ou leurs adresses');
    return false;
  }
  const items = v.split(',').map((x) => x.trim());
  for (const item of items) {
    if (NAMED_RANGES.includes(item)) continue;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (!family || rest.length || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max))) {
      problems.push('TRUST_PROXY: false, un nombre de proxys, ou une liste d’adresses, de plages CIDR ou de loopback, linklocal, uniquelocal');
      return false;
    }
  }
  return items;
}

/** The database's name, safe as a directory name (`carepact` when the URL has none or is invalid). */
function databaseNameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)).replace(/[^A-Za-z0-9_-]/g, '_') || 'carepact';
  } catch {
    return 'carepact';
  }
}

function developmentSecrets(dir: string): { session: string; auditCheckpoint: string } {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { session?: string; auditCheckpoint?: string };
    if (parsed.session && parsed.auditCheckpoint) return { session: parsed.session, auditCheckpoint: parsed.auditCheckpoint };
  }
  const secrets = {
    session: randomBytes(32).toString('base64url'),
    auditCheckpoint: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** Same configuration with overrides, for tests and the CLI (e.g. another database). */
export function configWith(base: AppConfig, patch: { [K in keyof AppConfig]?: Partial<AppConfig[K]> }): AppConfig {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) out[k] = { ...(base as unknown as Record<string, object>)[k], ...(v as object) };
  return out as unknown as AppConfig;
}
