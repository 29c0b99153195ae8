import { randomBytes } from 'node:crypto';

/**
 * The id of this test run (CAREPACT_TEST_RUN, set by .ci/run or by jest's global setup
 * test/run-setup.js). Every database a test creates and every Redis key prefix carries it, so that
 * the teardown (scripts/test-run.js) removes only this run's, even on a server other runs share.
 * Outside jest (a bench, a script) one id is made up per process.
 */
export function testRunId(): string {
  if (!process.env.CAREPACT_TEST_RUN) process.env.CAREPACT_TEST_RUN = `r${randomBytes(4).toString('hex')}`;
  const id = process.env.CAREPACT_TEST_RUN;
  if (!/^[a-z0-9]{4,16}$/.test(id)) throw new Error(`CAREPACT_TEST_RUN must be 4 to 16 lowercase letters or digits (got ${JSON.stringify(id)})`);
  return id;
}

/** Prefix of every Redis key this run writes (BullMQ queues, the worker's heartbeat). */
export function testQueuePrefix(name = 'carepact'): string {
  const marker = `cp_${testRunId()}_`;
  return name.startsWith(marker) ? name : marker + name;
}

/**
 * A database name of this run: `carepact_<tier>_<run>_<rest>`. A name given as
 * `carepact_<tier>_<rest>` gets the run's id inserted; any other name is refused, so that no test
 * database escapes the cleanup.
 */
export function testDatabaseName(name: string): string {
  const run = testRunId();
  const m = /^carepact_([a-z0-9]+)_(.+)$/.exec(name);
  if (!m) throw new Error(`test database names start with carepact_<tier>_ (got ${name})`);
  return m[2].startsWith(`${run}_`) ? name : `carepact_${m[1]}_${run}_${m[2]}`;
}
