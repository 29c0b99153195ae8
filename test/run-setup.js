// Every test run gets an id (CAREPACT_TEST_RUN, kept if .ci/run already set it): libs/testing puts
// it in the name of every database and in every Redis key prefix, so the teardown removes only this
// run's. Set here, before jest starts its workers, so that they all inherit it.
const { randomBytes } = require('node:crypto');

module.exports = async () => {
  if (!process.env.CAREPACT_TEST_RUN) process.env.CAREPACT_TEST_RUN = `r${randomBytes(4).toString('hex')}`;
};
