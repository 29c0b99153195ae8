#!/usr/bin/env node
/**
 * What one test run leaves behind, and its removal. Every database a test creates is named
 * `carepact_<tier>_<run>_…` and every Redis key it writes starts with `cp_<run>_` (libs/testing
 * adds the marker), where <run> is CAREPACT_TEST_RUN: set by .ci/run, else by jest's global setup.
 * Cleaning up by this marker leaves alone the databases and keys of other runs on a shared server.
 *
 *   node scripts/test-run.js drop    drops this run's databases and deletes its Redis keys
 *   node scripts/test-run.js check   exits 1 if any of them remains (run by .ci/run after the tests)
 */
const { Client } = require('pg');
const Redis = require('ioredis');

const RUN_ID = /^[a-z0-9]{4,16}$/;

function runId(env = process.env) {
  const id = env.CAREPACT_TEST_RUN;
  if (!id || !RUN_ID.test(id)) throw new Error(`CAREPACT_TEST_RUN must match ${RUN_ID} (got ${JSON.stringify(id)})`);
  return id;
}

function serverUrl(env = process.env) {
  return env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

function redisUrl(env = process.env) {
  return env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
}

/** LIKE pattern of this run's databases (`_` escaped: it is a LIKE wildcard). */
function databasePattern(run) {
  return `carepact\\_%\\_${run}\\_%`;
}

/** Redis glob of this run's keys (`_` is literal in a Redis glob). */
function keyPattern(run) {
  return `cp_${run}_*`;
}

async function withPg(env, work) {
  const url = new URL(serverUrl(env));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withRedis(env, work) {
  const client = new Redis(redisUrl(env), { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await client.connect();
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}

async function scanKeys(redis, pattern) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** This run's databases and Redis keys still present. */
async function leftovers(env = process.env) {
  const run = runId(env);
  const databases = await withPg(env, async (pg) => (await pg.query('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [databasePattern(run)])).rows.map((r) => r.datname));
  const keys = await withRedis(env, (redis) => scanKeys(redis, keyPattern(run)));
  return { run, databases, keys };
}

/** Drops this run's databases and deletes its Redis keys; returns how many of each. */
async function drop(env = process.env) {
  const { run, databases, keys } = await leftovers(env);
  await withPg(env, async (pg) => {
    for (const d of databases) await pg.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
  });
  await withRedis(env, async (redis) => {
    for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
  });
  return { run, databases: databases.length, keys: keys.length };
}

module.exports = { runId, databasePattern, keyPattern, leftovers, drop };

if (require.main === module) {
  const what = process.argv[2];
  (async () => {
    if (what === 'drop') {
      const r = await drop();
      process.stdout.write(`test-run ${r.run}: ${r.databases} database(s) dropped, ${r.keys} Redis key(s) deleted\n`);
    } else if (what === 'check') {
      const r = await leftovers();
      if (r.databases.length || r.keys.length) {
        process.stderr.write(`test-run ${r.run} left ${r.databases.length} database(s) and ${r.keys.length} Redis key(s):\n${[...r.databases, ...r.keys.slice(0, 20)].join('\n')}\n`);
        process.exit(1);
      }
      process.stdout.write(`test-run ${r.run}: nothing left behind\n`);
    } else {
      process.stderr.write('usage: node scripts/test-run.js drop|check\n');
      process.exit(2);
    }
  })().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
