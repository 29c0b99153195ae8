// Drops the databases and deletes the Redis keys that this run's tests left (e.g. BullMQ's
// completed-job keys, or a test that failed before its own cleanup). Other runs' are left alone.
const { drop } = require('../scripts/test-run');

module.exports = async () => {
  const r = await drop();
  if (process.env.TEST_RUN_VERBOSE) process.stdout.write(`\ntest-run ${r.run}: ${r.databases} database(s) dropped, ${r.keys} Redis key(s) deleted\n`);
};
