import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@carepact/config';
import { dropDatabase, ensureDatabaseExists, runMigrations } from '@carepact/database';
import { testDatabaseName, testQueuePrefix } from './test-run';

/** Server of the tests' databases: TEST_DATABASE_URL, else the local PostgreSQL. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** URL of a test database on the test server; the name gets this run's id (see testDatabaseName). */
export function databaseUrlFor(name: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${testDatabaseName(name)}`;
  return u.toString();
}

/**
 * Configuration for a test: explicit secrets (no file written), quiet logs, the given database,
 * and a queue prefix that carries this run's id (so the teardown deletes every key the run wrote).
 */
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
    QUEUE_PREFIX: testQueuePrefix(env.QUEUE_PREFIX),
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
  const tag = randomBytes(6).toString('hex');
  const name = testDatabaseName(`carepact_test_${tag}`);
  const url = databaseUrlFor(name);
  await ensureDatabaseExists(url);
  const config = testConfig({ DATABASE_URL: url, QUEUE_PREFIX: tag, ...env });
  await runMigrations(config);
  return { name, url, config, drop: () => dropDatabase(url) };
}
