/**
 * One jest configuration, three projects (tiers), each runnable alone (`npm run test:unit`,
 * `test:db`, `test:e2e`; `npm test` runs all three):
 *   unit  no build, no service: *.spec.ts next to the code and test/unit (rendering, PDF tools, seal);
 *   db    real PostgreSQL and Redis, in process: test/integration (api, documents, seed, schema);
 *   e2e   compiled processes (CLI, api, worker), SMTP, Chromium: test/e2e, plus the integration
 *         tests that spawn dist/ (test/integration/queue, test/integration/audit runs audit:verify,
 *         test/integration/archive runs the api, the worker and archive:export/verify,
 *         test/integration/retention/retention-cli.spec.ts runs purge and audit:verify, and
 *         test/integration/bulk kills a worker process mid-run).
 * Only e2e builds dist/ (its global setup). The run id and the cleanup of what a run leaves in
 * PostgreSQL and Redis are the global setup/teardown (test/run-setup.js, test/run-teardown.js).
 */
const fs = require('fs');
/** .swcrc holds two configurations, TypeScript (.ts) and TSX (.tsx, the view layer's preact components). */
const [swcTs, swcTsx] = JSON.parse(fs.readFileSync(__dirname + '/.swcrc', 'utf8')).map(({ $schema: _schema, test: _test, ...c }) => ({ ...c, jsc: { ...c.jsc, baseUrl: __dirname }, swcrc: false }));

/** Integration tests that spawn compiled processes: they need dist/, so they run with e2e. */
const SPAWNING = [
  '<rootDir>/test/integration/queue/**/*.spec.ts',
  '<rootDir>/test/integration/audit/**/*.spec.ts',
  '<rootDir>/test/integration/archive/**/*.spec.ts',
  '<rootDir>/test/integration/retention/retention-cli.spec.ts',
  '<rootDir>/test/integration/bulk/**/*.spec.ts',
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcTs], '^.+\\.tsx$': ['@swc/jest', swcTsx] },
  moduleNameMapper: { '^@carepact/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/test/setup-env.js'],
};

module.exports = {
  rootDir: __dirname,
  testTimeout: 60000,
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
  globalSetup: '<rootDir>/test/run-setup.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.{ts,tsx}', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/queue/', '<rootDir>/test/integration/audit/', '<rootDir>/test/integration/archive/', '<rootDir>/test/integration/retention/retention-cli.spec.ts', '<rootDir>/test/integration/bulk/'],
      globalTeardown: '<rootDir>/test/run-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts', ...SPAWNING],
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/run-teardown.js',
    },
  ],
};
