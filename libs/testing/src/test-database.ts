import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@carepact/config';
import { dropDatabase, ensureDatabaseExists, runMigrations } from '@carepact/database';

/** Server of the tests' databases: TEST_DATABASE_URL, else the local PostgreSQL. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrlFor(name: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Configuration for a test: explicit secrets (no file written), quiet logs, the given database. */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SESSION_SECRET: 'test-session-secret-0123456789abcdef-0123456789',
    AUDIT_CHECKPOINT_SECRET: 'test-audit-secret-0123456789abcdef-0123456789',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    WORKER_HEALTH_PORT: '0',
    PORT: '0',
    ...env,
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  config: AppConfig;
  drop(): Promise<void>;
}

/** A fresh database with every migration applied; dropped by `drop()`. */
export async function createTestDatabase(env: Record<string, string | undefined> = {}): Promise<TestDatabase> {
  const name = `carepact_test_${randomBytes(6).toString('hex')}`;
  const url = databaseUrlFor(name);
  await ensureDatabaseExists(url);
  const config = testConfig({ DATABASE_URL: url, QUEUE_PREFIX: `cp_${name}`, ...env });
  await runMigrations(config);
  return { name, url, config, drop: () => dropDatabase(url) };
}
