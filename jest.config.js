/** One jest configuration for the three tiers: *.spec.ts next to the code (pure logic),
 * test/integration (real PostgreSQL and Redis), test/e2e (HTTP + worker + SMTP + Chromium). */
const fs = require('fs');
const swcrc = JSON.parse(fs.readFileSync(__dirname + '/.swcrc', 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = __dirname;

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: { '^@carepact/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 60000,
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
};
